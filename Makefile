# Two commands matter: `make run` and `make test`. The rest are helpers.
GO ?= go
BIN := bin

.PHONY: run test build lambda vet fmt-check dynalite bench bench-load fuzz audit clean

## run: serve the gateway on :4000 over the bundled example subgraphs
run: build
	@$(BIN)/example-services & pid=$$!; \
	trap 'kill $$pid 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gateway serve -config gateway.yaml

## build: compile the gateway and the example services into bin/
build:
	$(GO) build -o $(BIN)/gateway ./cmd/gateway
	$(GO) build -o $(BIN)/example-services ./cmd/example-services

## test: formatting, vet, the gateway built without its optional kinds, the
## allocation-count tests (the race detector's instrumentation would skew
## them), then the whole suite with the race detector
test: fmt-check vet dynalite
	$(GO) build -tags tributary_nodynamodb,tributary_nosql -o /dev/null ./cmd/gateway
	$(GO) test -count=1 -run 'Alloc' ./gateway/limits/
	$(GO) test -race -count=1 ./...

## lambda: package the gateway as an AWS Lambda function (docs/lambda.md):
## dist/lambda-amd64.zip and dist/lambda-arm64.zip, each with bootstrap,
## gateway.yaml and its start-up artifact. The bundled gateway.yaml composes
## against the example services, started for the purpose; for your own, run
## bash deploy/lambda/package.sh CONFIG [ARCH...] where its subgraphs are reachable.
lambda:
	bash deploy/lambda/package.sh --with-examples gateway.yaml amd64 arm64

vet:
	$(GO) vet ./...

## dynalite: the local DynamoDB the dynamodb kind's tests run against
## (npm); without npm those tests skip, or fail when CI=true
dynalite:
	@if [ -d tools/dynalite/node_modules/dynalite ]; then :; \
	elif command -v npm >/dev/null; then npm ci --prefix tools/dynalite --no-audit --no-fund; \
	else echo "npm not found: the dynamodb kind's tests will skip (install node and npm, then run make test again)"; fi

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

## bench: the Go benchmarks of the hot paths (figures go in docs/benchmarks.md)
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## bench-load: the one-core load test of docs/benchmarks.md (needs taskset)
bench-load:
	$(GO) build -o /tmp/bench/benchstack ./cmd/benchstack
	$(GO) build -o /tmp/bench/loadgen ./cmd/loadgen
	bash bench/loadtest.sh identical 1 0
	bash bench/loadtest.sh distinct 1 1

## fuzz: a short fuzzing pass over every parser (FUZZTIME=30s by default)
FUZZTIME ?= 30s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

## audit: the federation gateway audit (46 suites, 199 cases) in both modes, setting it up
## on first use (docs/federation-audit.md). Not part of test: it needs Node from the npm
## registry and the audit's source, and takes ~4 minutes. Exits non-zero if a case fails.
audit:
	bash tools/federation-audit/setup.sh --if-needed
	bash tools/federation-audit/run-audit.sh both

clean:
	rm -rf $(BIN)
