module github.com/synfin/synfin

go 1.25.0

require (
	github.com/dave/jennifer v1.7.1 // indirect
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/gopacket/gopacket v1.7.7 // indirect
	github.com/leanovate/gopter v0.2.11 // indirect
)
