package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tributary-gw/tributary"
)

// noEnv is an empty environment.
func noEnv(string) (string, bool) { return "", false }

// mapEnv is an environment holding m.
func mapEnv(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

const oneSubgraph = `
subgraphs:
  - name: accounts
    testkind:
      url: http://localhost:4001/graphql
`

func mustParse(t *testing.T, src string, env func(string) (string, bool)) *Config {
	t.Helper()
	cfg, err := Parse("gateway.yaml", []byte(src), env)
	if err != nil {
		t.Fatalf("Parse: unexpected error:\n%v", err)
	}
	return cfg
}

func TestParseAppliesDefaults(t *testing.T) {
	cfg := mustParse(t, oneSubgraph, noEnv)
	want := Default()
	want.Path, want.Dir = "gateway.yaml", "."
	got := *cfg
	got.Subgraphs = nil
	if !reflect.DeepEqual(&got, want) {
		t.Errorf("defaults:\n got %+v\nwant %+v", got, *want)
	}
	if len(cfg.Subgraphs) != 1 {
		t.Fatalf("got %d subgraphs, want 1", len(cfg.Subgraphs))
	}
	sg := cfg.Subgraphs[0]
	if sg.Name != "accounts" || sg.Kind != "testkind" || sg.Line != 3 {
		t.Errorf("entry = %q %q line %d, want accounts testkind line 3", sg.Name, sg.Kind, sg.Line)
	}
	tc, ok := sg.Config.(*testConfig)
	if !ok || tc.URL != "http://localhost:4001/graphql" {
		t.Errorf("Config = %#v, want *testConfig with the url", sg.Config)
	}
}

func TestParseTopLevelKeys(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		check func(*Config) bool
	}{
		{"every key set", `
listen: "127.0.0.1:8080"
supergraph: ./supergraph.graphql
introspection: false
graphiql: false
server:
  requestTimeout: 5s
  maxBodyBytes: 2048
  maxResponseBytes: 4096
  planCacheBytes: 8192
  shutdownTimeout: 1m
  shareIdenticalRequests: false
limits: {maxDepth: 8, maxAliases: 3, maxRootFields: 2, maxTokens: 100, maxFields: 500, maxCost: 500, defaultListSize: 20}
cors:
  allowOrigins: ["https://app.example.com", "http://localhost:3000"]
  allowHeaders: [X-Custom]
  allowCredentials: true
  maxAge: 10m
telemetry:
  serviceName: gw
  otlp:
    endpoint: https://otel.example.com:4318
    headers: {x-api-key: abc}
    insecure: true
  sampleRatio: 0.25
`, func(c *Config) bool {
			want := Config{
				Listen: "127.0.0.1:8080", Supergraph: "./supergraph.graphql",
				Server: Server{RequestTimeout: tributary.Duration(5 * time.Second), MaxBodyBytes: 2048, MaxResponseBytes: 4096, PlanCacheBytes: 8192, ShutdownTimeout: tributary.Duration(time.Minute), ShareIdenticalRequests: false},
				Limits: Limits{MaxDepth: 8, MaxAliases: 3, MaxRootFields: 2, MaxTokens: 100, MaxFields: 500, MaxCost: 500, DefaultListSize: 20},
				CORS: CORS{AllowOrigins: []string{"https://app.example.com", "http://localhost:3000"}, AllowHeaders: []string{"X-Custom"},
					AllowCredentials: true, MaxAge: tributary.Duration(10 * time.Minute)},
				Telemetry: Telemetry{ServiceName: "gw", SampleRatio: 0.25,
					OTLP: OTLP{Endpoint: "https://otel.example.com:4318", Headers: map[string]string{"x-api-key": "abc"}, Insecure: true}},
				Path: "gateway.yaml", Dir: ".",
			}
			return reflect.DeepEqual(*c, want) && c.CORS.Enabled()
		}},
		{"false is not absent", "introspection: false\ngraphiql: false\n" + oneSubgraph,
			func(c *Config) bool { return !c.Introspection && !c.GraphiQL }},
		{"true stays true", "introspection: true\n" + oneSubgraph,
			func(c *Config) bool { return c.Introspection && c.GraphiQL }},
		{"zero disables a limit", "limits:\n  maxDepth: 0\n" + oneSubgraph,
			func(c *Config) bool { return c.Limits.MaxDepth == 0 && c.Limits.MaxAliases == 30 }},
		{"empty section keeps defaults", "server:\nlimits: {}\n" + oneSubgraph,
			func(c *Config) bool { return c.Server == Default().Server && c.Limits == Default().Limits }},
		{"an empty list replaces a default list", "cors:\n  allowHeaders: []\n" + oneSubgraph,
			func(c *Config) bool {
				return c.CORS.AllowHeaders != nil && len(c.CORS.AllowHeaders) == 0 && !c.CORS.Enabled()
			}},
		{"supergraph alone", "supergraph: ./sg.graphql\n",
			func(c *Config) bool { return len(c.Subgraphs) == 0 && c.SupergraphPath() == "sg.graphql" }},
		{"quoted numbers and YAML integer forms", "limits: {maxDepth: \"12\", maxAliases: 0x10, maxRootFields: 010, maxTokens: 1_000, maxFields: 2_000}\n" + oneSubgraph,
			func(c *Config) bool {
				return c.Limits == Limits{MaxDepth: 12, MaxAliases: 16, MaxRootFields: 10, MaxTokens: 1000, MaxFields: 2000, DefaultListSize: 10}
			}},
		{"wildcard origin", "cors: {allowOrigins: [\"*\"]}\n" + oneSubgraph,
			func(c *Config) bool { return c.CORS.Enabled() && c.CORS.AllowOrigins[0] == "*" }},
		{"document marker and comments", "# gateway\n---\nlisten: :9000 # port\n" + oneSubgraph,
			func(c *Config) bool { return c.Listen == ":9000" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustParse(t, tt.src, noEnv)
			if !tt.check(cfg) {
				t.Errorf("unexpected config: %+v", *cfg)
			}
		})
	}
}

func TestParseKindSection(t *testing.T) {
	src := `
subgraphs:
  - name: everything
    testkind:
      url: https://example.com/graphql
      mode: slow
      timeout: 1m30s
      wait: 250ms
      port: 8080
      retries: 3
      ratio: 0.5
      verbose: true
      headers: {Authorization: Bearer x, X-Trace: "1"}
      tags: [a, b]
      auth: {token: t0k3n}
      items:
        - name: one
          weight: 7
        - {name: two}
      data:
        list: [1, 2.5, true, null, text]
        nested: {k: v}
      region: eu-west-1
  - name: second
    plainkind: {path: ./data}
`
	cfg := mustParse(t, src, noEnv)
	if len(cfg.Subgraphs) != 2 {
		t.Fatalf("got %d subgraphs, want 2", len(cfg.Subgraphs))
	}
	got := cfg.Subgraphs[0].Config.(*testConfig)
	want := &testConfig{
		URL: "https://example.com/graphql", Mode: "slow",
		Timeout: tributary.Duration(90 * time.Second), Wait: 250 * time.Millisecond,
		Port: 8080, Retries: 3, Ratio: 0.5, Verbose: true,
		Headers: map[string]string{"Authorization": "Bearer x", "X-Trace": "1"},
		Tags:    []string{"a", "b"},
		Auth:    &testAuth{Token: "t0k3n"},
		Items:   []testItem{{Name: "one", Weight: 7}, {Name: "two"}},
		Data: map[string]any{
			"list":   []any{uint64(1), 2.5, true, nil, "text"},
			"nested": map[string]any{"k": "v"},
		},
		testEmbedded: testEmbedded{Region: "eu-west-1"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("section:\n got %#v\nwant %#v", got, want)
	}
	if p := cfg.Subgraphs[1].Config.(*plainConfig); p.Path != "./data" || cfg.Subgraphs[1].Line != 24 {
		t.Errorf("second entry = %+v at line %d", p, cfg.Subgraphs[1].Line)
	}
}

func TestParseAnchorsAndAliases(t *testing.T) {
	src := `
subgraphs:
  - name: a
    testkind:
      url: http://a
      headers: &shared {X-Env: test, X-Team: core}
      tags: &tags [x, y]
  - name: b
    testkind:
      url: http://b
      headers: *shared
      tags: *tags
`
	cfg := mustParse(t, src, noEnv)
	a, b := cfg.Subgraphs[0].Config.(*testConfig), cfg.Subgraphs[1].Config.(*testConfig)
	if !reflect.DeepEqual(a.Headers, b.Headers) || b.Headers["X-Team"] != "core" || !reflect.DeepEqual(b.Tags, []string{"x", "y"}) {
		t.Errorf("aliased values: a=%+v b=%+v", a, b)
	}
	b.Headers["X-Env"] = "changed"
	if a.Headers["X-Env"] != "test" {
		t.Error("an alias must decode to its own copy, not share the map")
	}
}

func TestParseMergeKeyOverride(t *testing.T) {
	src := `
subgraphs:
  - name: a
    testkind: &base
      url: http://a
      port: 1
  - name: b
    testkind:
      <<: *base
      url: http://b
`
	cfg := mustParse(t, src, noEnv)
	b := cfg.Subgraphs[1].Config.(*testConfig)
	if b.URL != "http://b" || b.Port != 1 {
		t.Errorf("merged = %+v, want url http://b and port 1", b)
	}
}

func TestDefaultTagsMatchDefault(t *testing.T) {
	// The default tags document Default(); each must say what it does.
	var walk func(t *testing.T, v reflect.Value, path string)
	walk = func(t *testing.T, v reflect.Value, path string) {
		fields, err := fieldsOf(v.Type())
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fields {
			fv := v.FieldByIndex(f.index)
			p := joinPath(path, f.key)
			if f.doc == "" {
				t.Errorf("%s has no doc tag", p)
			}
			if fv.Kind() == reflect.Struct && !isTextType(fv.Type()) {
				walk(t, fv, p)
				continue
			}
			if f.typ == subgraphEntriesType {
				continue
			}
			if f.def == "" {
				if !fv.IsZero() {
					t.Errorf("%s defaults to %v but has no default tag", p, fv.Interface())
				}
				continue
			}
			want, err := defaultValue(f.typ, f.def)
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			if got := jsonish(fv); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: Default() has %#v, tag says %#v", p, got, want)
			}
		}
	}
	walk(t, reflect.ValueOf(Default()).Elem(), "")
}

// jsonish converts a default value to what defaultValue yields for its tag.
func jsonish(v reflect.Value) any {
	if m, ok := v.Interface().(interface{ MarshalText() ([]byte, error) }); ok {
		text, _ := m.MarshalText()
		return string(text)
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Float32, reflect.Float64:
		return v.Float()
	case reflect.Slice:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = jsonish(v.Index(i))
		}
		return out
	}
	return v.Interface()
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "gateway.yaml")
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("TRIBUTARY_TEST_LISTEN", ":5001")
	write("gateway.yaml", "listen: ${TRIBUTARY_TEST_LISTEN}\nsupergraph: sg.graphql\n")

	_, err := Load(path)
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Line != 2 || errs[0].Path != "supergraph" ||
		!strings.Contains(errs[0].Message, "cannot be read") {
		t.Fatalf("missing supergraph file: error = %v", err)
	}

	write("sg.graphql", "type Query { a: Int }")
	cfg, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if cfg.Listen != ":5001" || cfg.Path != path || cfg.Dir != dir || cfg.SupergraphPath() != filepath.Join(dir, "sg.graphql") {
		t.Errorf("Load = listen %q path %q dir %q supergraph %q", cfg.Listen, cfg.Path, cfg.Dir, cfg.SupergraphPath())
	}

	_, err = Load(filepath.Join(dir, "absent.yaml"))
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "absent.yaml") {
		t.Errorf("absent file: error = %v, want one wrapping fs.ErrNotExist and naming the file", err)
	}
}
