package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	seeds := []string{
		"",
		oneSubgraph,
		"listen: ${LISTEN:-:4000}\nlimits: {maxDepth: ${DEPTH}}\n" + oneSubgraph,
		"supergraph: ./sg.graphql\ncors: {allowOrigins: [\"*\"], allowCredentials: true}\n",
		"subgraphs:\n  - name: a\n    testkind: &x {url: http://a, items: [{name: i, weight: 200}]}\n  - name: b\n    testkind: {<<: *x, port: 13}\n",
		"subgraphs:\n  - name: a\n    testkind:\n      data: {a: [1, 2.5, true, ~, .inf], b: !!str 3}\n",
		"a: [1\n",
		"- x\n",
		"? [a]\n: 1\n",
		"x: &a [*a]\n",
		"subgraphs:\n  - name: a\n    plainkind:\n    testkind:\n",
		"telemetry:\n  otlp:\n    headers: {k: \"$${x}\"}\n  sampleRatio: 1e400\n",
		"server:\n  requestTimeout: |\n    10s\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	// Variables starting with S are set, so interpolation runs both ways.
	env := func(name string) (string, bool) {
		if strings.HasPrefix(name, "S") {
			return "secret-" + name, true
		}
		return "", false
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("gateway.yaml", data, env)
		if err == nil {
			if cfg == nil {
				t.Fatal("nil config and nil error")
			}
			return
		}
		if cfg != nil {
			t.Fatal("a config came back with an error")
		}
		var errs Errors
		if !errors.As(err, &errs) || len(errs) == 0 {
			t.Fatalf("error %T is not a non-empty Errors: %v", err, err)
		}
		for _, e := range errs {
			if e == nil || strings.TrimSpace(e.Message) == "" || !strings.HasPrefix(e.Error(), "gateway.yaml") {
				t.Fatalf("bad error entry: %#v", e)
			}
		}
		// The file may itself hold text that looks like an environment value.
		if text := err.Error(); strings.Contains(text, "secret-S") && !strings.Contains(string(data), "secret-S") {
			t.Fatalf("an environment value leaked: %s", text)
		}
	})
}

func TestDecodeUnsupportedType(t *testing.T) {
	type withChan struct {
		C chan int `yaml:"c"`
	}
	probs := &problems{file: "f.yaml"}
	root := parseDocument([]byte("c: 1\n"), probs)
	d := &decoder{env: noEnv, probs: probs, aliases: collectAliases(root, probs)}
	var v withChan
	d.decode(root, reflect.ValueOf(&v).Elem(), "", 0)
	err := probs.result()
	if err == nil || !strings.Contains(err.Error(), "f.yaml:1: c has Go type chan int, which the config loader cannot decode") {
		t.Errorf("error = %v", err)
	}
}
