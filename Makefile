# synfin: the targets a developer and CI run. `make help` lists them.

GO          ?= go
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
FUZZTIME    ?= 20s
BENCHTIME   ?= 1s

.PHONY: help generate check-generated test vet lint bench bench-report fuzz check proptest proptest-long ci

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

# bench-report runs what `make bench` runs and tcpcheck on the default world,
# then bench/cmd/benchreport turns their output into docs/benchmarks.md. The
# commit is HEAD when it starts, marked -dirty when tracked files other than
# the report differ from it.
bench-report: ## run the benchmarks and tcpcheck once, write docs/benchmarks.md (not in CI)
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	commit=$$(git rev-parse --short=12 HEAD)$$(git diff --quiet HEAD -- . ':!docs/benchmarks.md' || echo -dirty); \
	echo "== benchmarks: the main module (-benchtime $(BENCHTIME))"; \
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./... >"$$tmp/bench.txt" || { cat "$$tmp/bench.txt"; exit 1; }; \
	echo "== benchmarks: the peers (bench/)"; \
	(cd bench && $(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...) >>"$$tmp/bench.txt" || { cat "$$tmp/bench.txt"; exit 1; }; \
	echo "== tcpcheck on the default world"; \
	$(GO) run ./model/cmd/tcpcheck -json -quiet >"$$tmp/tcpcheck.json"; \
	mkdir -p docs; \
	(cd bench && $(GO) run ./cmd/benchreport -o ../docs/benchmarks.md -benchtime $(BENCHTIME) -commit "$$commit" \
		-tcpcheck "$$tmp/tcpcheck.json" -generated ../tcpfsm/fsm_gen.go) <"$$tmp/bench.txt"; \
	echo "== wrote docs/benchmarks.md"

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
