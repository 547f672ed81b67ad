package config

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // the error's lines, in order
	}{
		{"empty file", "", []string{
			"gateway.yaml: the file is empty; it needs at least a subgraphs: list (or a supergraph: path)"}},
		{"only comments", "# nothing here\n\n", []string{
			"gateway.yaml: the file is empty; it needs at least a subgraphs: list (or a supergraph: path)"}},
		{"top level is a list", "- listen: x\n", []string{
			"gateway.yaml:1: the top level must be a mapping of keys such as listen: and subgraphs:, got a list"}},
		{"top level is text", "\nhello\n", []string{
			`gateway.yaml:2: the top level must be a mapping of keys such as listen: and subgraphs:, got the text "hello"`}},
		{"syntax error", "listen: :4000\nsubgraphs: [a\n", []string{
			"gateway.yaml:2: YAML syntax error: sequence end token ']' not found; check the indentation and quoting on this line and the one before"}},
		{"unquoted interpolation in a flow mapping", "server: {requestTimeout: ${T}}\n" + oneSubgraph, []string{
			`gateway.yaml:1: YAML syntax error: ',' or '}' must be specified; inside { } or [ ], quote values that hold ${VAR}: "${VAR}"`}},
		{"duplicate key", "listen: :1\nlisten: :2\n", []string{
			`gateway.yaml:2: YAML syntax error: mapping key "listen" already defined at [1:1]; a key may appear only once in a mapping, so remove or rename one`}},
		{"two documents", oneSubgraph + "---\nlisten: :1\n", []string{
			"gateway.yaml:7: a second YAML document starts here (after ---); the file must hold one document"}},
		{"unknown top-level key", "listn: :4000\n" + oneSubgraph, []string{
			`gateway.yaml:1: unknown key "listn" (did you mean "listen"?)`}},
		{"unknown key, no suggestion", "colour: red\n" + oneSubgraph, []string{
			`gateway.yaml:1: unknown key "colour"; the keys here are listen, supergraph, introspection, graphiql, server, limits, cors, telemetry, errors, subgraphs`}},
		{"unknown nested key", "server:\n  timeout: 5s\n" + oneSubgraph, []string{
			`gateway.yaml:2: server: unknown key "timeout" (did you mean "requestTimeout"?)`}},
		{"wrong case", "graphQL: true\n" + oneSubgraph, []string{
			`gateway.yaml:1: unknown key "graphQL" (did you mean "graphiql"?)`}},
		{"integer expected", "limits:\n  maxDepth: 4\n  maxAliases: deep\n" + oneSubgraph, []string{
			`gateway.yaml:3: limits.maxAliases: expected an integer, got "deep"`}},
		{"boolean expected", "introspection: yes\n" + oneSubgraph, []string{
			`gateway.yaml:1: introspection: expected true or false, got "yes"`}},
		{"number expected", "telemetry: {sampleRatio: half}\n" + oneSubgraph, []string{
			`gateway.yaml:1: telemetry.sampleRatio: expected a number, got "half"`}},
		{"duration expected", "server:\n  requestTimeout: 30\n" + oneSubgraph, []string{
			`gateway.yaml:2: server.requestTimeout: "30" is not a duration (write e.g. "250ms", "10s", "1m")`}},
		{"mapping expected", "server: fast\n" + oneSubgraph, []string{
			`gateway.yaml:1: server: expected a mapping, got "fast"`}},
		{"list expected", "cors:\n  allowOrigins: https://a.example.com\n" + oneSubgraph, []string{
			`gateway.yaml:2: cors.allowOrigins: expected a list, got "https://a.example.com"`}},
		{"value expected", "listen:\n  port: 4000\n" + oneSubgraph, []string{
			`gateway.yaml:1: listen: expected a string, got a mapping`}},
		{"out of range", "server: {maxBodyBytes: 9223372036854775808}\n" + oneSubgraph, []string{
			`gateway.yaml:1: server.maxBodyBytes: "9223372036854775808" is out of range: it must be between -9223372036854775808 and 9223372036854775807`}},
		{"port out of range", "listen: \":99999\"\n" + oneSubgraph, []string{
			`gateway.yaml:1: listen must have a port from 0 to 65535 (0 picks a free one), such as ":4000"; got ":99999"`}},
		{"invalid values", `
listen: "4000"
server: {requestTimeout: 0s, maxBodyBytes: 0, maxResponseBytes: 0, planCacheBytes: -1}
limits: {maxDepth: -1}
cors:
  allowOrigins: ["*", "https://app.example.com/"]
  allowHeaders: ["Bad Header"]
  allowCredentials: true
telemetry:
  serviceName: ""
  otlp: {endpoint: "localhost:4318"}
  sampleRatio: 1.5
` + oneSubgraph, []string{
			`gateway.yaml:2: listen must be host:port or :port, such as ":4000"; got "4000"`,
			`gateway.yaml:3: server.requestTimeout must be more than 0, such as "30s"`,
			`gateway.yaml:3: server.maxBodyBytes must be more than 0, such as 1048576 (1 MiB)`,
			`gateway.yaml:3: server.maxResponseBytes must be more than 0, such as 67108864 (64 MiB)`,
			`gateway.yaml:3: server.planCacheBytes must be more than 0, such as 67108864 (64 MiB)`,
			`gateway.yaml:4: limits.maxDepth must be 0 (no limit) or more; got -1`,
			`gateway.yaml:6: cors.allowOrigins[1] must be "*" or an origin such as "https://app.example.com" (scheme and host, no path or trailing slash); got "https://app.example.com/"`,
			`gateway.yaml:7: cors.allowHeaders[0] must be a header name such as Authorization; got "Bad Header"`,
			`gateway.yaml:8: cors.allowCredentials cannot be true while allowOrigins holds "*": browsers refuse credentials for a wildcard origin, so list the origins instead`,
			`gateway.yaml:10: telemetry.serviceName must not be empty; remove the key to use "tributary"`,
			`gateway.yaml:11: telemetry.otlp.endpoint must be an http:// or https:// URL such as "http://localhost:4318"; got "localhost:4318"`,
			`gateway.yaml:12: telemetry.sampleRatio must be between 0 and 1 (0 traces nothing, 1 every request); got 1.5`,
		}},
		{"no subgraphs", "listen: :4000\n", []string{
			"gateway.yaml: subgraphs is required: list at least one subgraph, or set supergraph: to the path of a supergraph SDL composed elsewhere"}},
		{"empty subgraph list", "subgraphs: []\n", []string{
			"gateway.yaml:1: subgraphs is required: list at least one subgraph, or set supergraph: to the path of a supergraph SDL composed elsewhere"}},
		{"subgraphs not a list", "subgraphs: {name: a}\n", []string{
			`gateway.yaml:1: subgraphs: expected a list of subgraphs (items like "- name: accounts" plus one kind key), got a mapping`}},
		{"entry not a mapping", "subgraphs:\n  - accounts\n", []string{
			`gateway.yaml:2: subgraphs[0]: expected a mapping with name: and one kind key (plainkind, testkind), got a value`}},
		{"kind reports a missing key", "subgraphs:\n  - name: accounts\n    testkind: {url: http://a}\n  - name: reviews\n    testkind:\n      mode: fast\n", []string{
			`gateway.yaml:5: subgraphs[1] "reviews": testkind.url is required (e.g. "http://localhost:4002/graphql")`}},
		{"kind section is empty", "subgraphs:\n  - name: reviews\n    testkind:\n", []string{
			`gateway.yaml:3: subgraphs[0] "reviews": testkind.url is required (e.g. "http://localhost:4002/graphql")`}},
		{"required key only the loader checks", "subgraphs:\n  - name: files\n    plainkind: {}\n", []string{
			`gateway.yaml:3: subgraphs[0] "files": plainkind.path is required`}},
		{"required key in a nested struct and list item", `
subgraphs:
  - name: a
    testkind:
      url: http://a
      auth:
        scheme: bearer
      items:
        - weight: 1
`, []string{
			`gateway.yaml:6: subgraphs[0] "a": testkind.auth.token is required`,
			`gateway.yaml:9: subgraphs[0] "a": testkind.items[0].name is required`,
		}},
		{"kind errors point at their keys", `
subgraphs:
  - name: a
    testkind:
      url: http://a
      mode: slow
      auth: {token: t, scheme: basic}
      items:
        - name: light
          weight: 1
        - name: heavy
          weight: 200
`, []string{
			`gateway.yaml:4: subgraphs[0] "a": testkind.port is required in slow mode`,
			`gateway.yaml:7: subgraphs[0] "a": testkind.auth.scheme: basic is not supported; use bearer`,
			`gateway.yaml:12: subgraphs[0] "a": testkind.items[1].weight must be at most 100`,
		}},
		{"kind message repeats its key", "subgraphs:\n  - name: a\n    testkind:\n      url: http://a\n      ratio: 2\n", []string{
			`gateway.yaml:5: subgraphs[0] "a": testkind.ratio must be at most 1`}},
		{"kind returns a plain error", "subgraphs:\n  - name: a\n    testkind: {url: http://a, port: 13}\n", []string{
			`gateway.yaml:3: subgraphs[0] "a": testkind: port 13 is unlucky`}},
		{"kind section: wrong type and unknown key, Validate skipped", `
subgraphs:
  - name: a
    testkind:
      port: eighty
      urll: http://a
      mode: quick
`, []string{
			`gateway.yaml:5: subgraphs[0] "a": testkind.port: expected an integer, got "eighty"`,
			`gateway.yaml:6: subgraphs[0] "a": testkind: unknown key "urll" (did you mean "url"?)`,
			`gateway.yaml:7: subgraphs[0] "a": testkind.mode must be one of fast, slow; got "quick"`,
		}},
		{"unknown kind", "subgraphs:\n  - name: a\n    testknd: {url: http://a}\n", []string{
			`gateway.yaml:3: subgraphs[0] "a": unknown subgraph kind "testknd" (did you mean "testkind"?); the kinds are: plainkind, testkind`}},
		{"no kind key", "subgraphs:\n  - name: a\n", []string{
			`gateway.yaml:2: subgraphs[0] "a" has no kind key; add one of: plainkind, testkind`}},
		{"two kind keys", "subgraphs:\n  - name: a\n    testkind: {url: http://a}\n    plainkind: {path: p}\n", []string{
			`gateway.yaml:4: subgraphs[0] "a" has 2 kind keys (testkind, plainkind); an entry takes exactly one, so split it into one entry per kind`}},
		{"missing name", "subgraphs:\n  - testkind: {url: http://a}\n", []string{
			`gateway.yaml:2: subgraphs[0] has no name; add name: with a unique name such as "accounts"`}},
		{"invalid name", "subgraphs:\n  - name: my subgraph\n    testkind: {url: http://a}\n", []string{
			`gateway.yaml:2: subgraphs[0].name: "my subgraph" is not a valid subgraph name; use letters, digits, _ and -, starting with a letter or _`}},
		{"duplicate names", oneSubgraph + "  - name: reviews\n    testkind: {url: http://r}\n  - name: accounts\n    plainkind: {path: p}\n", []string{
			`gateway.yaml:8: subgraphs[2] "accounts" has the same name as the subgraph at line 3; subgraph names must be unique`}},
		{"alias without anchor", "subgraphs: *list\n", []string{
			"gateway.yaml:1: the alias *list has no anchor &list before it; define the anchor first"}},
		{"custom tag", "introspection: !flag true\n" + oneSubgraph, []string{
			"gateway.yaml:1: the YAML tag !flag is not supported; remove it"}},
		{"merge key of a scalar", "server:\n  <<: fast\n" + oneSubgraph, []string{
			`gateway.yaml:2: server has a merge key "<<" whose value is not a mapping; write "<<: *name" where the anchor &name marks a mapping`}},
		{"mapping as a key", "? [a, b]\n: 1\n" + oneSubgraph, []string{
			"gateway.yaml:2: YAML syntax error: found an invalid key for this map; check the indentation and quoting on this line and the one before"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("gateway.yaml", []byte(tt.src), noEnv)
			if err == nil {
				t.Fatalf("no error; config %+v", cfg)
			}
			if cfg != nil {
				t.Error("a config came back with the error")
			}
			got := strings.Split(err.Error(), "\n")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n got %q\nwant %q", got, tt.want)
			}
			var errs Errors
			if !errors.As(err, &errs) || len(errs) != len(tt.want) {
				t.Errorf("error is %T with %d entries, want Errors with %d", err, len(errs), len(tt.want))
			}
		})
	}
}

func TestErrorFields(t *testing.T) {
	_, err := Parse("conf/gw.yaml", []byte("limits:\n  maxDepth: deep\n"+oneSubgraph), noEnv)
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 1 {
		t.Fatalf("error = %v", err)
	}
	want := Error{File: "conf/gw.yaml", Line: 2, Path: "limits.maxDepth", Message: `expected an integer, got "deep"`}
	if *errs[0] != want {
		t.Errorf("got %+v, want %+v", *errs[0], want)
	}
}

func TestErrorsAreCapped(t *testing.T) {
	var b strings.Builder
	for i := range maxErrors + 7 {
		b.WriteString("unknown" + strings.Repeat("x", i) + ": 1\n")
	}
	b.WriteString(oneSubgraph)
	_, err := Parse("gateway.yaml", []byte(b.String()), noEnv)
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != maxErrors+1 {
		t.Fatalf("got %d errors, want %d plus a summary", len(errs), maxErrors)
	}
	if last := errs[len(errs)-1].Message; !strings.Contains(last, "and 7 more problems") {
		t.Errorf("summary = %q", last)
	}
}

func TestAliasBombEndsInError(t *testing.T) {
	// Each level doubles the nodes: 2^30 without a budget.
	var b strings.Builder
	b.WriteString("subgraphs:\n  - name: a\n    testkind:\n      url: http://a\n      data:\n        l0: &l0 [x, x]\n")
	for i := 1; i <= 30; i++ {
		b.WriteString("        l" + strconv.Itoa(i) + ": &l" + strconv.Itoa(i) + " [*l" + strconv.Itoa(i-1) + ", *l" + strconv.Itoa(i-1) + "]\n")
	}
	_, err := Parse("gateway.yaml", []byte(b.String()), noEnv)
	if err == nil || !strings.Contains(err.Error(), "expands to more than") {
		t.Fatalf("error = %v, want the expansion budget error", err)
	}
}

func TestTrimKeyPrefix(t *testing.T) {
	tests := []struct{ msg, path, want string }{
		{"url is required", "url", "is required"},
		{"token: must not be empty", "auth.token", "must not be empty"},
		{"urls are hard", "url", "urls are hard"},
		{"url", "url", "url"},
		{"must be at most 100", "items[1].weight", "must be at most 100"},
		{"weight is bad", "items[1]", "weight is bad"},
	}
	for _, tt := range tests {
		if got := trimKeyPrefix(tt.msg, tt.path); got != tt.want {
			t.Errorf("trimKeyPrefix(%q, %q) = %q, want %q", tt.msg, tt.path, got, tt.want)
		}
	}
}
