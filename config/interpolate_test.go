package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestInterpolate(t *testing.T) {
	env := mapEnv(map[string]string{"HOST": "db.internal", "EMPTY": "", "PORT": "5432"})
	tests := []struct {
		in      string
		want    string
		wantEnv []string // variables read from the environment
		wantErr string
	}{
		{in: "plain text", want: "plain text"},
		{in: "${HOST}", want: "db.internal", wantEnv: []string{"HOST"}},
		{in: "tcp://${HOST}:${PORT}/x", want: "tcp://db.internal:5432/x", wantEnv: []string{"HOST", "PORT"}},
		{in: "${MISSING:-fallback}", want: "fallback"},
		{in: "${MISSING:-}", want: ""},
		{in: "${EMPTY:-used when empty}", want: "used when empty"},
		{in: "${EMPTY}", want: "", wantEnv: []string{"EMPTY"}},
		{in: "${HOST:-unused}", want: "db.internal", wantEnv: []string{"HOST"}},
		{in: "${MISSING:-a:-b}", want: "a:-b"},
		{in: "$${HOST}", want: "${HOST}"},
		{in: "cost: $5 and $HOST", want: "cost: $5 and $HOST"},
		{in: "$$${HOST}", want: "$${HOST}"},
		{in: "${MISSING}", wantErr: "uses environment variable MISSING, which is not set; set it, or give a default with ${MISSING:-value}"},
		{in: "x ${HOST", wantErr: `has an unterminated "${"`},
		{in: "${}", wantErr: `has "${}", which does not name an environment variable`},
		{in: "${1ABC}", wantErr: `has "${1ABC}"`},
		{in: "${A B}", wantErr: `has "${A B}"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, used, err := interpolate(tt.in, env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			var names []string
			for _, u := range used {
				names = append(names, u.name)
			}
			if !reflect.DeepEqual(names, tt.wantEnv) {
				t.Errorf("read %v from the environment, want %v", names, tt.wantEnv)
			}
		})
	}
}

func TestParseInterpolation(t *testing.T) {
	env := mapEnv(map[string]string{
		"DEPTH":     "7",
		"LISTEN":    ":8088",
		"ON":        "false",
		"TIMEOUT":   "45s",
		"TOKEN":     "s3cr3t-t0ken",
		"URL":       "http://accounts:4001/graphql",
		"ORIGIN":    "https://web.example.org",
		"KEY_NAME":  "x-not-interpolated",
		"RATIO_BAD": "lots",
	})
	src := `
listen: ${LISTEN}
introspection: ${ON}
server:
  requestTimeout: ${TIMEOUT}
limits:
  maxDepth: ${DEPTH}
  maxAliases: ${ALIASES:-12}
cors:
  allowOrigins: ["${ORIGIN}", "$${literal}"]
telemetry:
  otlp:
    endpoint: http://collector:4318
    headers:
      ${KEY_NAME}: Bearer ${TOKEN}
subgraphs:
  - name: ${NAME:-accounts}
    testkind:
      url: ${URL}
      data: {token: "${TOKEN}", count: 3}
`
	// The "$${literal}" origin is invalid on purpose: it proves the escape
	// reached validation as the literal text.
	_, err := Parse("gateway.yaml", []byte(src), env)
	want := `gateway.yaml:10: cors.allowOrigins[1] must be "*" or an origin such as "https://app.example.com" (scheme and host, no path or trailing slash); got "${literal}"`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v\nwant %s", err, want)
	}
	cfg := mustParse(t, strings.Replace(src, `, "$${literal}"`, "", 1), env)
	if cfg.Listen != ":8088" || cfg.Introspection || cfg.Server.RequestTimeout.Std().String() != "45s" ||
		cfg.Limits.MaxDepth != 7 || cfg.Limits.MaxAliases != 12 || cfg.CORS.AllowOrigins[0] != "https://web.example.org" {
		t.Errorf("interpolated top level: %+v", cfg)
	}
	if h := cfg.Telemetry.OTLP.Headers; h["${KEY_NAME}"] != "Bearer s3cr3t-t0ken" || len(h) != 1 {
		t.Errorf("headers = %v; keys are not interpolated, values are", h)
	}
	sg := cfg.Subgraphs[0]
	tc := sg.Config.(*testConfig)
	if sg.Name != "accounts" || tc.URL != "http://accounts:4001/graphql" ||
		!reflect.DeepEqual(tc.Data, map[string]any{"token": "s3cr3t-t0ken", "count": uint64(3)}) {
		t.Errorf("subgraph = %+v, section %+v", sg, tc)
	}
}

func TestParseInterpolationErrors(t *testing.T) {
	const secret = "hunter2/very-secret"
	env := mapEnv(map[string]string{"SECRET": secret, "DEPTH": "deep", "SHORT": "x"})
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"unset variable", "listen: ${LISTEN_ADDR}\n" + oneSubgraph, []string{
			"gateway.yaml:1: listen uses environment variable LISTEN_ADDR, which is not set; set it, or give a default with ${LISTEN_ADDR:-value}"}},
		{"unset variable in a kind section", "subgraphs:\n  - name: a\n    testkind:\n      url: ${ACCOUNTS_URL}\n", []string{
			`gateway.yaml:4: subgraphs[0] "a": testkind.url uses environment variable ACCOUNTS_URL, which is not set; set it, or give a default with ${ACCOUNTS_URL:-value}`}},
		{"interpolated value of the wrong type", "limits: {maxDepth: \"${DEPTH}\"}\n" + oneSubgraph, []string{
			`gateway.yaml:1: limits.maxDepth: expected an integer, got the value of "${DEPTH}"`}},
		{"interpolated default of the wrong type", "limits: {maxDepth: \"${NOPE:-x}\"}\n" + oneSubgraph, []string{
			`gateway.yaml:1: limits.maxDepth: expected an integer, got "x"`}},
		{"secret in a bad duration", "server: {requestTimeout: \"${SECRET}\"}\n" + oneSubgraph, []string{
			`gateway.yaml:1: server.requestTimeout: the value of "${SECRET}" is not valid: "${SECRET}" is not a duration (write e.g. "250ms", "10s", "1m")`}},
		{"secret in a top-level validation message", "listen: pre-${SECRET}\n" + oneSubgraph, []string{
			`gateway.yaml:1: listen must be host:port or :port, such as ":4000"; got "pre-${SECRET}"`}},
		{"secret in a kind's validation message", "subgraphs:\n  - name: a\n    testkind: {url: \"${SECRET}\"}\n", []string{
			`gateway.yaml:3: subgraphs[0] "a": testkind.url must start with http; got "${SECRET}"`}},
		{"secret in a subgraph name", "subgraphs:\n  - name: ${SECRET}\n    testkind: {url: http://a}\n", []string{
			`gateway.yaml:2: subgraphs[0].name: the value of "${SECRET}" is not a valid subgraph name; use letters, digits, _ and -, starting with a letter or _`}},
		{"bad reference", "listen: ${not ok}\n" + oneSubgraph, []string{
			`gateway.yaml:1: listen has "${not ok}", which does not name an environment variable; write ${NAME} or ${NAME:-default} (letters, digits and _, not starting with a digit), or "$${" for a literal "${"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("gateway.yaml", []byte(tt.src), env)
			if err == nil {
				t.Fatal("no error")
			}
			if got := strings.Split(err.Error(), "\n"); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n got %q\nwant %q", got, tt.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("the secret leaked: %v", err)
			}
			var errs Errors
			if errors.As(err, &errs) {
				for _, e := range errs {
					if strings.Contains(e.Path+e.Message, secret) {
						t.Errorf("the secret leaked into %+v", *e)
					}
				}
			}
		})
	}
}
