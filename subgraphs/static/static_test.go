package static

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary"
)

const testSDL = `
type Query { currency: String }
type Product @key(fields: "upc") @key(fields: "sku vendor") { upc: String! sku: String! vendor: Int! }
type Account @key(fields: "id org { id }") { id: ID! org: Org! }
type Org { id: ID! }
type Note { text: String }
`

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		c    Config
		want []string // paths
	}{
		{"complete", Config{SDL: "a.graphql", Data: "a.json"}, nil},
		{"both missing", Config{}, []string{"sdl", "data"}},
		{"blank data", Config{SDL: "a.graphql", Data: "  "}, []string{"data"}},
	}
	for _, tt := range tests {
		err := tt.c.Validate()
		var fes tributary.FieldErrors
		if tt.want == nil {
			if err != nil {
				t.Errorf("%s: Validate = %v", tt.name, err)
			}
			continue
		}
		if !errors.As(err, &fes) || len(fes) != len(tt.want) {
			t.Errorf("%s: Validate = %v, want errors at %v", tt.name, err, tt.want)
			continue
		}
		for i, fe := range fes {
			if fe.Path != tt.want[i] || !strings.Contains(fe.Message, "is required") || !strings.Contains(fe.Message, "(e.g. ") {
				t.Errorf("%s: error %d = %v, want a required-key error at %s with an example", tt.name, i, fe, tt.want[i])
			}
		}
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name string
		sdl  string // "" leaves the SDL file missing
		data string // "" leaves the data file missing
		want []string
	}{
		{"missing SDL file", "", `{}`, []string{"sdl: cannot read s.graphql (resolved to DIR/s.graphql)"}},
		{"missing data file", testSDL, "", []string{"data: cannot read d.json (resolved to DIR/d.json)"}},
		{"blank data file", testSDL, " \n", []string{"data: DIR/d.json is empty"}},
		{"invalid SDL", "type Product {", `{}`, []string{"sdl: the SDL is not valid GraphQL: DIR/s.graphql:1:"}},
		{"invalid key field set", `type P @key(fields: "id {") { id: ID }`, `{}`, []string{"type P: @key(fields: \"id {\"): not a field set"}},
		{"key with a fragment", `type P @key(fields: "... on P { id }") { id: ID }`, `{}`, []string{"fragments in keys are not supported"}},
		{"key without fields", `type P @key(field: "id") { id: ID }`, `{}`, []string{`@key needs a fields string`}},
		{"invalid JSON", testSDL, "{\n  \"Query\": {\"currency\": \"EUR\",}\n}", []string{"DIR/d.json: line 2:", "invalid JSON"}},
		{"top level is a list", testSDL, `[1]`, []string{"DIR/d.json: line 1:", "holds a JSON array; it must be a JSON object"}},
		{"top level is null", testSDL, `null`, []string{"the file holds null"}},
		{"unknown top-level key", testSDL, `{"Query":{}, "Mutation": {}}`, []string{`unknown top-level key "Mutation"`}},
		{"Query not an object", testSDL, `{"Query": [1]}`, []string{`"Query" must be an object`}},
		{"Query field not in SDL", testSDL, `{"Query": {"currency": "EUR", "prices": []}}`,
			[]string{`Query.prices: DIR/s.graphql's Query type has no field "prices"`}},
		{"entities not an object", testSDL, `{"entities": []}`, []string{`"entities" must be an object`}},
		{"entity type not in SDL", testSDL, `{"entities": {"Price": []}}`, []string{"entities.Price: type Price is not defined in DIR/s.graphql"}},
		{"entity type without key", testSDL, `{"entities": {"Note": []}}`, []string{"entities.Note: type Note has no resolvable @key"}},
		{"entity type with unresolvable key", `type N @key(fields: "id", resolvable: false) { id: ID }`, `{"entities": {"N": []}}`,
			[]string{"entities.N: type N has no resolvable @key"}},
		{"entities not a list", testSDL, `{"entities": {"Product": {"upc": "1"}}}`, []string{"entities.Product must be a list of objects"}},
		{"entity not an object", testSDL, `{"entities": {"Product": [{"upc": "1"}, "2"]}}`, []string{`entities.Product[1]: must be a JSON object, not "\"2\""`}},
		{"entity without key fields", testSDL, `{"entities": {"Product": [{"upc": "1"}, {"sku": "A"}]}}`,
			[]string{`entities.Product[1] has no complete key: Product's keys are "upc" or "sku vendor"; give it every field of one key`}},
		{"nested key field not an object", testSDL, `{"entities": {"Account": [{"id": "1", "org": "o1"}]}}`,
			[]string{`entities.Account[0] has no complete key: Account's keys are "id org { id }"`}},
		{"duplicate key", testSDL, `{"entities": {"Product": [{"upc": "1"}, {"upc": "2"}, {"upc": "1", "sku": "A", "vendor": 1}]}}`,
			[]string{`entities.Product[2] has the same key (upc) as entities.Product[0]; keys must be unique`}},
		{"duplicate compound key written differently", testSDL,
			`{"entities": {"Product": [{"upc": "1", "sku": "A", "vendor": 1}, {"vendor": 1.0, "sku": "A", "upc": "2"}]}}`,
			[]string{`entities.Product[1] has the same key (sku vendor) as entities.Product[0]`}},
		{"wrong __typename", testSDL, `{"entities": {"Product": [{"__typename": "Account", "upc": "1"}]}}`,
			[]string{`entities.Product[0]: "__typename" is "Account" but the entity is listed under Product`}},
		{"several problems at once", testSDL, `{"Query": {"nope": 1}, "entities": {"Product": [{"sku": "A"}]}, "extra": 1}`,
			[]string{"DIR/d.json: 3 problems:\n  ", `unknown top-level key "extra"`, `Query.nope`, `entities.Product[0]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.sdl != "" {
				writeFile(t, filepath.Join(dir, "s.graphql"), tt.sdl)
			}
			if tt.data != "" {
				writeFile(t, filepath.Join(dir, "d.json"), tt.data)
			}
			c := &Config{SDL: "s.graphql", Data: "d.json"}
			_, err := c.Build(context.Background(), "prices", tributary.BuildContext{Dir: dir})
			if err == nil {
				t.Fatal("Build succeeded, want an error")
			}
			// The gateway names the subgraph and points at the key's line.
			if fes := tributary.AsFieldErrors(err); len(fes) != 1 || fes[0].Path != "sdl" && fes[0].Path != "data" {
				t.Errorf("error %v is not one FieldError at sdl or data", err)
			}
			if strings.Contains(err.Error(), `subgraph "prices"`) {
				t.Errorf("error %q names the subgraph", err)
			}
			for _, w := range tt.want {
				w = strings.ReplaceAll(w, "DIR", dir)
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

func TestBuildReportsAtMostSomeProblems(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "s.graphql"), testSDL)
	writeFile(t, filepath.Join(dir, "d.json"), `{"entities": {"Product": [`+strings.Repeat(`{"x": 1},`, 30)+`{"x": 1}]}}`)
	_, err := (&Config{SDL: "s.graphql", Data: "d.json"}).Build(context.Background(), "prices", tributary.BuildContext{Dir: dir})
	if err == nil {
		t.Fatal("Build succeeded")
	}
	if !strings.Contains(err.Error(), "31 problems:") || !strings.Contains(err.Error(), "… and 11 more") ||
		strings.Count(err.Error(), "\n") != maxReportedProblems+1 {
		t.Errorf("error lists the wrong problems:\n%v", err)
	}
}

func TestBuildAbsolutePaths(t *testing.T) {
	dir := t.TempDir()
	sdl, data := filepath.Join(dir, "s.graphql"), filepath.Join(dir, "d.json")
	writeFile(t, sdl, testSDL)
	writeFile(t, data, `{"Query": {"currency": "EUR"}}`)
	sg, err := (&Config{SDL: sdl, Data: data}).Build(context.Background(), "prices", tributary.BuildContext{Dir: "/nonexistent"})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if sg.SDL != testSDL || sg.Source == nil {
		t.Errorf("Build = %+v", sg)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The SDL and data files are read through the BuildContext, by their names
// as configured, so that a start-up artifact can serve them.
func TestBuildReadsThroughTheBuildContext(t *testing.T) {
	files := map[string]string{"./prices.graphql": testSDL, "./prices.json": `{"Query": {"currency": "EUR"}}`}
	var asked []string
	bc := tributary.BuildContext{Dir: "/nowhere", ReadResource: func(_ context.Context, location string) ([]byte, error) {
		asked = append(asked, location)
		return []byte(files[location]), nil
	}}
	sg, err := (&Config{SDL: "./prices.graphql", Data: "./prices.json"}).Build(context.Background(), "pricing", bc)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(asked, " ") != "./prices.graphql ./prices.json" || sg.SDL != testSDL {
		t.Errorf("read %q", asked)
	}
}
