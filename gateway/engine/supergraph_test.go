package engine

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary"
)

// Every supergraph the composer's golden tests produce must build an engine:
// the supergraph reader, client schema and planner configuration accept it.
func TestComposedGoldenSupergraphsBuildAnEngine(t *testing.T) {
	paths, _ := filepath.Glob("../../composition/testdata/*/supergraph.graphql")
	if len(paths) < 5 {
		t.Fatalf("found %d composition goldens; the test lost its inputs", len(paths))
	}
	for _, p := range paths {
		t.Run(filepath.Base(filepath.Dir(p)), func(t *testing.T) {
			sdl, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := New(context.Background(), Options{Supergraph: string(sdl), Introspection: true}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func readSupergraph(t *testing.T, name string) *supergraph {
	t.Helper()
	sdl, err := os.ReadFile("../../composition/testdata/" + name + "/supergraph.graphql")
	if err != nil {
		t.Fatal(err)
	}
	sg, err := parseSupergraph(string(sdl))
	if err != nil {
		t.Fatal(err)
	}
	return sg
}

func typeField(fields []planTypeField, typeName string) (planTypeField, bool) {
	for _, f := range fields {
		if f.TypeName == typeName {
			return f, true
		}
	}
	return planTypeField{}, false
}

func TestOverrideMovesFieldOwnership(t *testing.T) {
	sg := readSupergraph(t, "override")
	legacy, _ := typeField(sg.views["legacy"].metadata.RootNodes, "Product")
	pricing, _ := typeField(sg.views["pricing"].metadata.RootNodes, "Product")
	if slices.Contains(legacy.FieldNames, "price") || !slices.Contains(pricing.FieldNames, "price") {
		t.Fatalf("price: legacy %v, pricing %v", legacy, pricing)
	}
	// legacy still keys on sku, but no longer resolves it.
	if slices.Contains(legacy.FieldNames, "sku") || !slices.Contains(legacy.ExternalFieldNames, "sku") {
		t.Fatalf("sku in legacy: %+v", legacy)
	}
}

func TestInaccessibleIsHiddenFromClients(t *testing.T) {
	sg := readSupergraph(t, "inaccessible_tag")
	for _, hidden := range []string{"ssn", "internalFlag", "INTERNAL", "debug", "@tag", "@inaccessible", "join__"} {
		if strings.Contains(sg.clientSDL, hidden) {
			t.Fatalf("client schema shows %s:\n%s", hidden, sg.clientSDL)
		}
	}
	if !strings.Contains(sg.views["users"].sdl, "ssn") {
		t.Fatalf("the subgraph must still be asked for ssn where it needs it:\n%s", sg.views["users"].sdl)
	}
}

func TestSupergraphReaderErrors(t *testing.T) {
	for _, c := range []struct{ sdl, want string }{
		{"type Query {", "does not parse"},
		{"type Query { a: Int }", "no join__Graph enum"},
		{"enum join__Graph { A }\ntype Query { a: Int }", "@join__graph"},
	} {
		if _, err := parseSupergraph(c.sdl); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("%q: err %v, want %q", c.sdl, err, c.want)
		}
	}
}

// mediaSource serves Query.media: books and movies.
type mediaSource struct{ noFieldBatches }

func (mediaSource) ResolveField(context.Context, tributary.FieldCall) (json.RawMessage, error) {
	return json.RawMessage(`[{"__typename":"Book","id":"b1","title":"Dune","author":"Herbert"},
	  {"__typename":"Movie","id":"m1","title":"Alien","director":"Scott"}]`), nil
}

func (mediaSource) ResolveEntities(context.Context, tributary.EntityBatch) ([]tributary.Result, error) {
	return nil, nil
}

// mediaReviews adds reviews to every Media through @interfaceObject.
type mediaReviews struct {
	noFieldBatches
	batches []string
}

func (*mediaReviews) ResolveField(context.Context, tributary.FieldCall) (json.RawMessage, error) {
	return json.RawMessage(`[]`), nil
}

func (s *mediaReviews) ResolveEntities(_ context.Context, b tributary.EntityBatch) ([]tributary.Result, error) {
	out := make([]tributary.Result, len(b.Representations))
	for i, r := range b.Representations {
		s.batches = append(s.batches, string(r))
		var rep struct{ ID string }
		_ = json.Unmarshal(r, &rep)
		out[i].Data, _ = json.Marshal(map[string]any{"__typename": "Media", "id": rep.ID, "rating": 4.5, "reviews": []string{"good " + rep.ID}})
	}
	return out, nil
}

func TestInterfaceObjectAcrossInProcessSubgraphs(t *testing.T) {
	sdl, _ := os.ReadFile("../../composition/testdata/interface_object/supergraph.graphql")
	reviews := &mediaReviews{}
	e, err := New(context.Background(), Options{Supergraph: string(sdl), Subgraphs: map[string]*tributary.Subgraph{
		"media": {Source: mediaSource{}}, "reviews": {Source: reviews},
	}})
	if err != nil {
		t.Fatal(err)
	}
	resp := e.Execute(context.Background(), &tributary.Request{Query: `{ media { title rating ... on Book { author } ... on Movie { director } } }`})
	want := `{"data":{"media":[{"title":"Dune","rating":4.5,"author":"Herbert"},{"title":"Alien","rating":4.5,"director":"Scott"}]}}`
	if string(resp.Body) != want {
		t.Fatalf("body\n got %s\nwant %s", resp.Body, want)
	}
	if len(reviews.batches) != 2 || !strings.Contains(reviews.batches[0], `"__typename":"Media"`) {
		t.Fatalf("representations %v", reviews.batches)
	}
}
