module github.com/synfin/synfin

go 1.25.0

require (
	github.com/dave/jennifer v1.7.1
	github.com/google/go-cmp v0.7.0
	github.com/gopacket/gopacket v1.7.7
	github.com/leanovate/gopter v0.2.11
	golang.org/x/sys v0.45.0
)

require golang.org/x/net v0.55.0 // indirect
