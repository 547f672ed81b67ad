package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestReference(t *testing.T) {
	ref := Reference()
	for _, want := range []string{
		"# gateway.yaml reference\n",
		"| `listen` | string | `:4000` | Address the HTTP server listens on",
		"| `server.requestTimeout` | duration | `30s` |",
		"| `limits.maxDepth` | integer | `16` |",
		"| `cors.allowHeaders` | list of strings | `Content-Type,Authorization` |",
		"| `telemetry.otlp.headers` | map of string to string |  |",
		"| `introspection` | boolean | `true` | Answer introspection queries (\\_\\_schema, \\_\\_type). |",
		"### `testkind`\n\nA kind for the config tests.\n",
		"| `testkind.url` | string, required |  | Endpoint of the test subgraph. |",
		"| `testkind.mode` | one of `fast`, `slow` | `fast` |",
		"| `testkind.items[].name` | string, required |",
		"| `testkind.region` | string |",
		"### `plainkind`",
	} {
		if !strings.Contains(ref, want) {
			t.Errorf("reference lacks %q", want)
		}
	}
	if strings.Index(ref, "### `plainkind`") > strings.Index(ref, "### `testkind`") {
		t.Error("kinds must be listed by name")
	}
	if strings.Contains(ref, "\n\n\n") {
		t.Error("reference has a double blank line")
	}
}

func TestCollectRowsNesting(t *testing.T) {
	type leaf struct {
		V string `yaml:"v" doc:"Leaf."`
	}
	type root struct {
		Byname map[string]leaf `yaml:"byName" doc:"Map of structs."`
		List   []*leaf         `yaml:"list" doc:"List of pointers."`
	}
	var rows []refRow
	if err := collectRows(reflect.TypeFor[root](), "k", &rows); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, r := range rows {
		paths = append(paths, r.path+" "+r.typ)
	}
	want := "k.byName map of string to mapping|k.byName.*.v string|k.list list of mappings|k.list[].v string"
	if got := strings.Join(paths, "|"); got != want {
		t.Errorf("rows = %s\nwant   %s", got, want)
	}
}
