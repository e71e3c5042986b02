# synfin: the targets a developer and CI run. `make help` lists them.

GO          ?= go
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
FUZZTIME    ?= 20s
BENCHTIME   ?= 1s

.PHONY: help generate check-generated test vet lint bench fuzz check proptest proptest-long ci

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

generate: ## regenerate every *_gen.go from its table
	$(GO) generate ./...

check-generated: ## fail if `go generate ./...` would change a committed file
	@.ci/check-generated

vet: ## go vet
	$(GO) vet ./...

test: check-generated vet ## the test suite: generated code fresh, vet, every package's tests
	$(GO) test -count=1 ./...

lint: vet ## go vet plus staticcheck
	$(STATICCHECK) ./...

bench: ## benchmarks with allocations, ours and the peers' side by side
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...
	cd bench && $(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...

fuzz: ## every fuzz target for FUZZTIME each
	$(GO) test ./spec -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	@for t in tcpfsm/wire:FuzzParseHeader tcpfsm/wire:FuzzBuildHeader tcpfsm:FuzzEndpointSegment tcpfsm:FuzzConformanceClassifier; do \
		p=$${t%%:*}; f=$${t#*:}; \
		echo "$(GO) test ./$$p -run '^$$' -fuzz '^$$f$$' -fuzztime $(FUZZTIME)"; \
		$(GO) test ./$$p -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) || exit 1; \
	done

check: ## the model checker on the default TCP model
	$(GO) run ./model/cmd/tcpcheck

proptest: ## property tests, default run count
	$(GO) test -count=1 ./proptest

proptest-long: ## property tests, ten times the runs, random seed (printed)
	$(GO) test -count=1 -v ./proptest -long

ci: test lint check ## what CI runs
