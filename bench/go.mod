module github.com/synfin/synfin/bench

go 1.25.0

require (
	github.com/looplab/fsm v1.0.3
	github.com/qmuntal/stateless v1.7.2
	github.com/synfin/synfin v0.0.0
)

replace github.com/synfin/synfin => ../
