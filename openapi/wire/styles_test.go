package wire

import (
	"context"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/openapi"
)

// styleExamples is the "Style Examples" table of the OpenAPI
// specification, for a parameter named color whose value is "" (the
// "empty"/"undefined" column), "blue", ["blue","black","brown"] or
// {"R": 100, "G": 200, "B": 150}. "n/a" marks combinations the table does
// not define.
//
// The rows are those of 3.0.4, the errata edition of the 3.0.3 table. They
// differ from 3.0.3 where 3.0.3 was wrong:
//   - label, explode false: 3.0.3 shows ".blue.black.brown" and
//     ".R.100.G.200.B.150"; RFC 6570, which the style is defined by, joins
//     a non-exploded label list with ",".
//   - spaceDelimited and pipeDelimited: 3.0.3 leaves out "color=", and
//     pipeDelimited's object cell has a typo ("G\|150" for "B\|150").
//   - pipeDelimited and deepObject: "|", "[" and "]" are not allowed raw in
//     an RFC 3986 query, so they are percent-encoded (%7C, %5B, %5D).
var styleExamples = []struct {
	style                     string
	explode                   bool
	empty, str, array, object string
}{
	{"matrix", false, ";color", ";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150"},
	{"matrix", true, ";color", ";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150"},
	{"label", false, ".", ".blue", ".blue,black,brown", ".R,100,G,200,B,150"},
	{"label", true, ".", ".blue", ".blue.black.brown", ".R=100.G=200.B=150"},
	{"simple", false, "", "blue", "blue,black,brown", "R,100,G,200,B,150"},
	{"simple", true, "", "blue", "blue,black,brown", "R=100,G=200,B=150"},
	{"form", false, "color=", "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"},
	{"form", true, "color=", "color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150"},
	{"spaceDelimited", false, "n/a", "n/a", "color=blue%20black%20brown", "color=R%20100%20G%20200%20B%20150"},
	{"pipeDelimited", false, "n/a", "n/a", "color=blue%7Cblack%7Cbrown", "color=R%7C100%7CG%7C200%7CB%7C150"},
	{"deepObject", true, "n/a", "n/a", "n/a", "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"},
}

// colorTypes declares the object value's input type. Its GraphQL field
// names differ from the wire names, so the test also checks the mapping.
var colorTypes = map[string]*openapi.Type{
	"RGB": {Name: "RGB", Kind: openapi.KindInputObject, Fields: []*openapi.Field{
		field("red", "R", named("Int")),
		field("green", "G", named("Int")),
		field("blue", "B", named("Int")),
	}},
}

// colorValues are the table's four values as GraphQL arguments.
var colorValues = []struct {
	column string
	typ    *openapi.TypeRef
	args   string
}{
	{"empty", named("String"), `{"color": ""}`},
	{"string", named("String"), `{"color": "blue"}`},
	{"array", listOf(named("String")), `{"color": ["blue", "black", "brown"]}`},
	{"object", named("RGB"), `{"color": {"red": 100, "green": 200, "blue": 150}}`},
}

// locationsOf returns where a style may be used, per the spec's style
// values table (form in cookies is tested on its own: cookies join pairs
// with "; ").
func locationsOf(style string) []string {
	switch style {
	case "matrix", "label":
		return []string{"path"}
	case "simple":
		return []string{"path", "header"}
	default:
		return []string{"query"}
	}
}

// colorOp is an operation with one parameter color.
func colorOp(in, style string, explode bool, t *openapi.TypeRef) *openapi.Operation {
	path := "/items"
	if in == "path" {
		path = "/items/{color}"
	}
	return &openapi.Operation{
		FieldName: "items", Method: "GET", Path: path,
		Params: []*openapi.Param{{Name: "color", In: in, Arg: "color", Style: style, Explode: explode, Required: true, Type: t}},
		Result: openapi.Result{Kind: openapi.ResultJSON, Type: named("String")},
	}
}

func TestStyleExamples(t *testing.T) {
	for _, row := range styleExamples {
		cells := map[string]string{"empty": row.empty, "string": row.str, "array": row.array, "object": row.object}
		for _, in := range locationsOf(row.style) {
			for _, v := range colorValues {
				want := cells[v.column]
				if want == "n/a" {
					continue
				}
				name := row.style + "/" + map[bool]string{false: "explode=false", true: "explode=true"}[row.explode] + "/" + in + "/" + v.column
				t.Run(name, func(t *testing.T) {
					op := colorOp(in, row.style, row.explode, v.typ)
					req, err := Request(context.Background(), "http://api.test", op, colorTypes, []byte(v.args))
					if in == "path" && want == "" {
						// An empty path segment would change the route.
						if err == nil || !strings.Contains(err.Error(), `argument "color" (path parameter "color") is empty`) {
							t.Fatalf("want an error for an empty path segment, got %v", err)
						}
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					var got string
					switch in {
					case "path":
						got = strings.TrimPrefix(req.URL.RequestURI(), "/items/")
					case "query":
						got = req.URL.RawQuery
					case "header":
						got = req.Header.Get("color")
						if _, ok := req.Header["Color"]; !ok {
							t.Fatal("header color was not set")
						}
					}
					if got != want {
						t.Errorf("got %q, want %q", got, want)
					}
				})
			}
		}
	}
}

// TestStylesUndefinedByTable pins down what the table leaves "n/a": the
// location's default serialization.
func TestStylesUndefinedByTable(t *testing.T) {
	tests := []struct {
		style   string
		explode bool
		value   int // index into colorValues
		want    string
	}{
		{"spaceDelimited", false, 1, "color=blue"},
		{"pipeDelimited", false, 1, "color=blue"},
		{"deepObject", true, 1, "color=blue"},
		{"deepObject", true, 2, "color=blue&color=black&color=brown"},
		{"spaceDelimited", true, 2, "color=blue&color=black&color=brown"},
		{"pipeDelimited", true, 3, "R=100&G=200&B=150"},
		{"deepObject", false, 3, "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"},
	}
	for _, tt := range tests {
		v := colorValues[tt.value]
		op := colorOp("query", tt.style, tt.explode, v.typ)
		req, err := Request(context.Background(), "http://api.test", op, colorTypes, []byte(v.args))
		if err != nil {
			t.Fatalf("%s/%v/%s: %v", tt.style, tt.explode, v.column, err)
		}
		if req.URL.RawQuery != tt.want {
			t.Errorf("%s/%v/%s: got %q, want %q", tt.style, tt.explode, v.column, req.URL.RawQuery, tt.want)
		}
	}
}

func TestCookieStyleForm(t *testing.T) {
	tests := []struct {
		explode bool
		value   int
		want    string
	}{
		{false, 1, "color=blue"},
		{true, 1, "color=blue"},
		{false, 2, "color=blue,black,brown"},
		{true, 2, "color=blue; color=black; color=brown"},
		{false, 3, "color=R,100,G,200,B,150"},
		{true, 3, "R=100; G=200; B=150"},
	}
	for _, tt := range tests {
		v := colorValues[tt.value]
		op := colorOp("cookie", "form", tt.explode, v.typ)
		req, err := Request(context.Background(), "http://api.test", op, colorTypes, []byte(v.args))
		if err != nil {
			t.Fatal(err)
		}
		if got := req.Header.Get("Cookie"); got != tt.want {
			t.Errorf("explode=%v %s: got %q, want %q", tt.explode, v.column, got, tt.want)
		}
	}
}
