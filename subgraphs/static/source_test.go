package static

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary"
)

// buildProducts builds the subgraph in testdata.
func buildProducts(t testing.TB) *store {
	t.Helper()
	c := &Config{SDL: "products.graphql", Data: "./products.json"}
	sg, err := c.Build(context.Background(), "products", tributary.BuildContext{Dir: "testdata"})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if sg.Name != "products" || sg.Remote != nil || !strings.Contains(sg.SDL, `@key(fields: "sku vendor")`) {
		t.Fatalf("Build = %+v", sg)
	}
	return sg.Source.(*store)
}

func TestResolveEntities(t *testing.T) {
	const (
		product1 = `{"__typename":"Product","upc":"1","sku":"A","vendor":7,"currency":"EUR","list":12}`
		product2 = `{"__typename":"Product","upc":"2","sku":"B","vendor":7,"currency":"USD","list":3.5}`
		big1     = `{"__typename":"Product","upc":"big1","sku":"Z","vendor":12345678901234567890}`
		big2     = `{"__typename":"Product","upc":"big2","sku":"Z","vendor":12345678901234567891}`
		proA1O2  = `{"__typename":"Account","id":"a1","org":{"id":"o2"},"plan":"free"}`
	)
	s := buildProducts(t)
	tests := []struct {
		name string
		rep  string
		want string // the entity's JSON; "" for a miss
		err  string // part of the entity's error
	}{
		{"simple key", `{"__typename":"Product","upc":"1"}`, product1, ""},
		{"simple key with space", ` { "upc" : "2" , "__typename" : "Product" } `, product2, ""},
		{"entity listed without the compound key", `{"__typename":"Product","upc":"3"}`,
			`{"__typename":"Product","upc":"3","currency":"GBP"}`, ""},
		{"compound key", `{"__typename":"Product","sku":"B","vendor":7}`, product2, ""},
		{"compound key, members reordered", `{"vendor":7,"__typename":"Product","sku":"A"}`, product1, ""},
		{"number written as float", `{"__typename":"Product","sku":"B","vendor":7.0}`, product2, ""},
		{"number written with exponent", `{"__typename":"Product","sku":"B","vendor":0.7e1}`, product2, ""},
		{"large integers stay distinct", `{"__typename":"Product","sku":"Z","vendor":12345678901234567891}`, big2, ""},
		{"large integer stored with __typename", `{"__typename":"Product","sku":"Z","vendor":12345678901234567890}`, big1, ""},
		{"number is not a string", `{"__typename":"Product","sku":"B","vendor":"7"}`, "", ""},
		{"string is not a number", `{"__typename":"Product","upc":1}`, "", ""},
		{"escaped string equals plain", `{"__typename":"Product","upc":"\u0031"}`, product1, ""},
		{"escaped type name", `{"__typename":"Pro\u0064uct","upc":"1"}`, product1, ""},
		{"extra (@requires) fields are ignored", `{"__typename":"Product","upc":"1","currency":"JPY"}`, product1, ""},
		{"either key may match", `{"__typename":"Product","upc":"99","sku":"A","vendor":7}`, product1, ""},
		{"nested key", `{"__typename":"Account","id":"a1","org":{"id":"o2"}}`, proA1O2, ""},
		{"nested key with extra nested fields", `{"__typename":"Account","org":{"__typename":"Org","id":"o2","x":1},"id":"a1"}`, proA1O2, ""},
		{"nested key, other half differs", `{"__typename":"Account","id":"a2","org":{"id":"o2"}}`, "", ""},
		{"nested key given a scalar", `{"__typename":"Account","id":"a1","org":"o2"}`, "", "has no complete key"},
		{"missing", `{"__typename":"Product","upc":"99"}`, "", ""},
		{"keyed type without data", `{"__typename":"Review","id":"r1"}`, "", ""},
		{"null key value", `{"__typename":"Product","upc":null}`, "", ""},
		{"partial compound key", `{"__typename":"Product","sku":"A"}`, "", `has no complete key (Product's keys are "upc" or "sku vendor")`},
		{"unknown type", `{"__typename":"Note","text":"x"}`, "", `type "Note" is not an entity of this subgraph`},
		{"no typename", `{"upc":"1"}`, "", `no "__typename"`},
		{"typename not a string", `{"__typename":7,"upc":"1"}`, "", `no "__typename"`},
		{"not an object", `["Product","1"]`, "", "not a JSON object"},
		{"not JSON", `{"__typename":`, "", "not a JSON object"},
	}
	reps := make([]json.RawMessage, len(tests))
	for i, tt := range tests {
		reps[i] = json.RawMessage(tt.rep)
	}
	// One batch, as the engine sends it: results must come back in order.
	results, err := s.ResolveEntities(context.Background(), tributary.EntityBatch{Representations: reps})
	if err != nil {
		t.Fatalf("ResolveEntities: %v", err)
	}
	if len(results) != len(tests) {
		t.Fatalf("%d results for %d representations", len(results), len(tests))
	}
	for i, tt := range tests {
		got := results[i]
		if string(got.Data) != tt.want {
			t.Errorf("%s: Data = %s, want %s", tt.name, got.Data, tt.want)
		}
		switch {
		case tt.err == "" && got.Err != nil:
			t.Errorf("%s: unexpected error %v", tt.name, got.Err)
		case tt.err != "":
			var gqlErr *tributary.Error
			if !errors.As(got.Err, &gqlErr) || !strings.Contains(gqlErr.Message, tt.err) ||
				!strings.Contains(gqlErr.Message, `static subgraph "products"`) {
				t.Errorf("%s: error %v, want a *tributary.Error containing %q", tt.name, got.Err, tt.err)
			}
		}
	}
}

func TestResolveEntitiesDuplicatesInOneBatch(t *testing.T) {
	s := buildProducts(t)
	rep := json.RawMessage(`{"__typename":"Product","upc":"2"}`)
	same := json.RawMessage(`{"upc":"2","__typename":"Product"}`)
	miss := json.RawMessage(`{"__typename":"Product","upc":"nope"}`)
	results, err := s.ResolveEntities(context.Background(), tributary.EntityBatch{
		Representations: []json.RawMessage{rep, miss, same, rep},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range results {
		got = append(got, string(r.Data))
	}
	p2 := `{"__typename":"Product","upc":"2","sku":"B","vendor":7,"currency":"USD","list":3.5}`
	want := []string{p2, "", p2, p2}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("results %q\nwant %q", got, want)
	}
}

func TestResolveEntitiesHonoursContext(t *testing.T) {
	s := buildProducts(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.ResolveEntities(ctx, tributary.EntityBatch{Representations: []json.RawMessage{json.RawMessage(`{}`)}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if _, err := s.ResolveField(ctx, tributary.FieldCall{TypeName: "Query", FieldName: "currency"}); !errors.Is(err, context.Canceled) {
		t.Errorf("ResolveField err = %v, want context.Canceled", err)
	}
}

func TestResolveField(t *testing.T) {
	s := buildProducts(t)
	tests := []struct {
		typeName, field, args string
		want, err             string
	}{
		{"Query", "topProducts", `{"first":1}`, `[{"upc":"1"},{"upc":"2"}]`, ""},
		{"Query", "currency", `{}`, `"EUR"`, ""},
		{"Query", "nothingStored", ``, `null`, ""},
		{"Mutation", "buy", `{}`, "", `serves only Query fields, not Mutation.buy`},
	}
	for _, tt := range tests {
		got, err := s.ResolveField(context.Background(), tributary.FieldCall{
			TypeName: tt.typeName, FieldName: tt.field, Arguments: json.RawMessage(tt.args),
		})
		if string(got) != tt.want {
			t.Errorf("%s.%s = %s, want %s", tt.typeName, tt.field, got, tt.want)
		}
		if (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%s.%s: err = %v, want %q", tt.typeName, tt.field, err, tt.err)
		}
	}
}

func TestKindIsRegistered(t *testing.T) {
	k, ok := tributary.LookupKind(KindName)
	if !ok {
		t.Fatalf("kind %q is not registered", KindName)
	}
	if _, ok := k.NewConfig().(*Config); !ok || k.Doc == "" {
		t.Errorf("kind %q: NewConfig gives %T, Doc %q", KindName, k.NewConfig(), k.Doc)
	}
}

func BenchmarkResolveEntities(b *testing.B) {
	s := buildProducts(b)
	templates := []string{
		`{"__typename":"Product","upc":"1"}`,
		`{"__typename":"Product","sku":"B","vendor":7}`,
		`{"__typename":"Account","id":"a1","org":{"id":"o2"}}`,
		`{"__typename":"Product","upc":"missing"}`,
	}
	reps := make([]json.RawMessage, 100)
	for i := range reps {
		reps[i] = json.RawMessage(templates[i%len(templates)])
	}
	batch := tributary.EntityBatch{Representations: reps}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		results, err := s.ResolveEntities(ctx, batch)
		if err != nil || results[0].Data == nil || results[3].Data != nil {
			b.Fatalf("unexpected results: %v", err)
		}
	}
}

// FuzzLoadData feeds arbitrary bytes to the data loader: it must return a
// store or an error, never panic; a store it returns must answer lookups.
func FuzzLoadData(f *testing.F) {
	sdl, err := os.ReadFile("testdata/products.graphql")
	if err != nil {
		f.Fatal(err)
	}
	schema, err := parseSchema("products.graphql", string(sdl))
	if err != nil {
		f.Fatal(err)
	}
	seed, err := os.ReadFile("testdata/products.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{string(seed), `{}`, `null`, `[]`, `{"entities":{"Product":[{"upc":1e999999999999}]}}`,
		`{"entities":{"Account":[{"id":"1","org":[{"id":"2"}]}]}}`, `{"Query":{"currency":"\ud800"}}`} {
		f.Add([]byte(s))
	}
	reps := []json.RawMessage{
		json.RawMessage(`{"__typename":"Product","upc":"1"}`),
		json.RawMessage(`{"__typename":"Account","id":"1","org":{"id":"2"}}`),
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := loadData("products.json", data, schema)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "products.json: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		results, err := st.ResolveEntities(context.Background(), tributary.EntityBatch{Representations: reps})
		if err != nil || len(results) != len(reps) {
			t.Fatalf("ResolveEntities on a loaded store: %d results, %v", len(results), err)
		}
		for _, r := range results {
			if r.Data != nil && !json.Valid(r.Data) {
				t.Fatalf("entity is not valid JSON: %s", r.Data)
			}
		}
	})
}

// FuzzResolveEntities feeds arbitrary representations to a store.
func FuzzResolveEntities(f *testing.F) {
	s := buildProducts(f)
	for _, seed := range []string{`{"__typename":"Product","upc":"1"}`, `{"__typename":"Account","id":"a1","org":{"id":"o2"}}`,
		`{"__typename":"Product","sku":"B","vendor":7e0}`, `{"__typename":"Account","id":"a1","org":[{"id":"o2"}]}`, `x`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, rep []byte) {
		results, err := s.ResolveEntities(context.Background(), tributary.EntityBatch{Representations: []json.RawMessage{rep}})
		if err != nil || len(results) != 1 {
			t.Fatalf("%d results, %v", len(results), err)
		}
		if results[0].Data != nil && results[0].Err != nil {
			t.Fatalf("both data and error: %+v", results[0])
		}
	})
}

func TestResolveFieldBatchAnswersFromTheParent(t *testing.T) {
	s := buildProducts(t)
	results, err := s.ResolveFieldBatch(context.Background(), tributary.FieldBatch{
		TypeName: "Product", FieldName: "list", Arguments: json.RawMessage(`{"currency":"USD"}`),
		Parents: []json.RawMessage{json.RawMessage(`{"upc":"1","list":12}`), json.RawMessage(`{"upc":"2"}`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 || string(results[0].Data) != "12" || results[1].Data != nil || results[0].Err != nil || results[1].Err != nil {
		t.Fatalf("results %+v", results)
	}
}
