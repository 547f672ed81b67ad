package openapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tributary-gw/tributary"
	oas "github.com/tributary-gw/tributary/openapi"
)

const linkSpec = `openapi: 3.0.3
info: {title: users, version: "1"}
paths:
  /users:
    get:
      operationId: listUsers
      parameters:
        - {name: ids, in: query, required: true, style: form, explode: false, schema: {type: array, items: {type: string}}}
        - {name: status, in: query, schema: {type: string, enum: [active, in-progress]}}
      responses:
        "200":
          description: users
          content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/User"}}}}
          links:
            orders:
              operationId: listUserOrders
              parameters: {id: "$response.body#/id", status: "$request.query.status"}
  /users/{id}:
    get:
      operationId: getUser
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: a user
          content: {application/json: {schema: {$ref: "#/components/schemas/User"}}}
          links:
            orders:
              operationId: listUserOrders
              parameters: {id: "$response.body#/id", status: "$request.query.status"}
            team:
              operationRef: "#/paths/~1teams~1{name}/get"
              parameters: {name: "team-{$request.path.id}"}
  /users/{id}/orders:
    get:
      operationId: listUserOrders
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: status, in: query, schema: {type: string}}
      responses:
        "200":
          description: orders
          content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Order"}}}}
          links:
            product:
              operationId: getProduct
              parameters: {sku: "$response.body#/line/sku_code"}
  /products/{sku}:
    get:
      operationId: getProduct
      parameters: [{name: sku, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: a product
          content: {application/json: {schema: {type: object, properties: {title: {type: string}}}}}
  /teams/{name}:
    get:
      operationId: getTeam
      parameters: [{name: name, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: a team
          content: {text/plain: {schema: {type: string}}}
components:
  schemas:
    User:
      type: object
      required: [id]
      properties:
        id: {type: string}
        full_name: {type: string}
    Order:
      type: object
      properties:
        order_no: {type: integer}
        line: {type: object, properties: {sku_code: {type: string}}}
`

// linkService serves linkSpec and counts the requests per path. User "3"
// has no orders: its orders request fails with 500.
type linkService struct {
	mu    sync.Mutex
	calls map[string]int
	// statuses are the status query values the orders requests carried.
	statuses []string
}

func (ls *linkService) count(r *http.Request) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	ls.calls[r.URL.Path]++
	if strings.HasSuffix(r.URL.Path, "/orders") {
		ls.statuses = append(ls.statuses, r.URL.Query().Get("status"))
	}
}

func (ls *linkService) total(prefix, suffix string) int {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	n := 0
	for p, c := range ls.calls {
		if strings.HasPrefix(p, prefix) && strings.HasSuffix(p, suffix) {
			n += c
		}
	}
	return n
}

func newLinkService(t *testing.T) (*linkService, tributary.Source) {
	t.Helper()
	ls := &linkService{calls: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /users", func(w http.ResponseWriter, r *http.Request) {
		ls.count(r)
		var users []string
		for _, id := range strings.Split(r.URL.Query().Get("ids"), ",") {
			users = append(users, `{"id":"`+id+`","full_name":"user `+id+`"}`)
		}
		writeJSON(w, 200, "["+strings.Join(users, ",")+"]")
	})
	mux.HandleFunc("GET /users/{id}", func(w http.ResponseWriter, r *http.Request) {
		ls.count(r)
		writeJSON(w, 200, `{"id":"`+r.PathValue("id")+`","full_name":"user `+r.PathValue("id")+`"}`)
	})
	mux.HandleFunc("GET /users/{id}/orders", func(w http.ResponseWriter, r *http.Request) {
		ls.count(r)
		id := r.PathValue("id")
		if id == "3" {
			writeJSON(w, 500, `{"error":"orders are down"}`)
			return
		}
		// Every user's orders share the sku "common".
		writeJSON(w, 200, `[{"order_no":`+id+`0,"line":{"sku_code":"sku-`+id+`"}},{"order_no":`+id+`1,"line":{"sku_code":"common"}}]`)
	})
	mux.HandleFunc("GET /products/{sku}", func(w http.ResponseWriter, r *http.Request) {
		ls.count(r)
		writeJSON(w, 200, `{"title":"product `+r.PathValue("sku")+`"}`)
	})
	mux.HandleFunc("GET /teams/{name}", func(w http.ResponseWriter, r *http.Request) {
		ls.count(r)
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("the " + r.PathValue("name")))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "users.yaml"), []byte(linkSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := &Config{Spec: "users.yaml", BaseURL: srv.URL, Entities: []EntityConfig{{Type: "User", Key: "id", Operation: "getUser"}},
		Retry: &RetryConfig{Attempts: 1}}
	sg, err := cfg.Build(context.Background(), "users", tributary.BuildContext{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sg.SDL, "orders: [Order!]\n") || !strings.Contains(sg.SDL, "product: GetProductResponse\n") {
		t.Fatalf("the SDL lacks the link fields:\n%s", sg.SDL)
	}
	return ls, sg.Source
}

// sel builds a selection from "name" and "name{children}" strings.
func sel(fields ...any) []*tributary.Selection {
	var out []*tributary.Selection
	for _, f := range fields {
		switch f := f.(type) {
		case string:
			out = append(out, &tributary.Selection{Name: f})
		case *tributary.Selection:
			out = append(out, f)
		}
	}
	return out
}

func sub(name string, children ...any) *tributary.Selection {
	return &tributary.Selection{Name: name, Children: sel(children...)}
}

func TestLinkFields(t *testing.T) {
	ordersOnly := sel("id", sub("orders", "order_no"))
	tests := []struct {
		name      string
		args      string
		selection []*tributary.Selection
		want      string
		// calls are the link requests expected, by path suffix.
		orderCalls, productCalls int
		wantErrorPath            string
	}{
		{
			name: "one call per user", args: `{"ids":["1","2","4"]}`, selection: ordersOnly,
			want:       `[{"id":"1","full_name":"user 1","orders":[{"order_no":10,"line":{"sku_code":"sku-1"}},{"order_no":11,"line":{"sku_code":"common"}}]},{"id":"2","full_name":"user 2","orders":[{"order_no":20,"line":{"sku_code":"sku-2"}},{"order_no":21,"line":{"sku_code":"common"}}]},{"id":"4","full_name":"user 4","orders":[{"order_no":40,"line":{"sku_code":"sku-4"}},{"order_no":41,"line":{"sku_code":"common"}}]}]`,
			orderCalls: 3,
		},
		{
			name: "identical requests are sent once", args: `{"ids":["1","2","1"]}`, selection: ordersOnly,
			want:       `[{"id":"1","full_name":"user 1","orders":[{"order_no":10,"line":{"sku_code":"sku-1"}},{"order_no":11,"line":{"sku_code":"common"}}]},{"id":"2","full_name":"user 2","orders":[{"order_no":20,"line":{"sku_code":"sku-2"}},{"order_no":21,"line":{"sku_code":"common"}}]},{"id":"1","full_name":"user 1","orders":[{"order_no":10,"line":{"sku_code":"sku-1"}},{"order_no":11,"line":{"sku_code":"common"}}]}]`,
			orderCalls: 2,
		},
		{
			name: "a failed link is null", args: `{"ids":["3","1"]}`, selection: ordersOnly,
			want:       `[{"id":"3","full_name":"user 3","orders":null},{"id":"1","full_name":"user 1","orders":[{"order_no":10,"line":{"sku_code":"sku-1"}},{"order_no":11,"line":{"sku_code":"common"}}]}]`,
			orderCalls: 2, wantErrorPath: `[0,"orders"]`,
		},
		{
			name: "links inside links", args: `{"ids":["1","2"]}`, selection: sel("id", sub("orders", "order_no", sub("product", "title"))),
			want:       `[{"id":"1","full_name":"user 1","orders":[{"order_no":10,"line":{"sku_code":"sku-1"},"product":{"title":"product sku-1"}},{"order_no":11,"line":{"sku_code":"common"},"product":{"title":"product common"}}]},{"id":"2","full_name":"user 2","orders":[{"order_no":20,"line":{"sku_code":"sku-2"},"product":{"title":"product sku-2"}},{"order_no":21,"line":{"sku_code":"common"},"product":{"title":"product common"}}]}]`,
			orderCalls: 2, productCalls: 3, // sku-1, sku-2, and common once
		},
		{
			name: "no link selected, no call", args: `{"ids":["1"]}`, selection: sel("id", "full_name"),
			want: `[{"id":"1","full_name":"user 1"}]`,
		},
		{
			name: "a fragment on another type is not followed", args: `{"ids":["1"]}`,
			selection: []*tributary.Selection{{Name: "orders", OnType: "Other", Children: sel("order_no")}},
			want:      `[{"id":"1","full_name":"user 1"}]`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls, src := newLinkService(t)
			got, err := src.ResolveField(context.Background(), tributary.FieldCall{
				TypeName: "Query", FieldName: "listUsers", Arguments: json.RawMessage(tt.args), Selection: tt.selection,
			})
			var partial *tributary.PartialError
			switch {
			case tt.wantErrorPath != "":
				// The failed link is null and reported at its path, with the
				// upstream status: never a silent null.
				if !errors.As(err, &partial) || len(partial.Errors) != 1 {
					t.Fatalf("err %v, want one partial error", err)
				}
				path, _ := json.Marshal(partial.Errors[0].Path)
				if string(path) != tt.wantErrorPath || partial.Errors[0].Extensions["statusCode"] != 500 {
					t.Fatalf("partial error %+v", partial.Errors[0])
				}
			case err != nil:
				t.Fatal(err)
			}
			if !jsonEqual(got, tt.want) {
				t.Errorf("value:\n got %s\nwant %s", got, tt.want)
			}
			if n := ls.total("/users/", "/orders"); n != tt.orderCalls {
				t.Errorf("%d orders calls, want %d", n, tt.orderCalls)
			}
			if n := ls.total("/products/", ""); n != tt.productCalls {
				t.Errorf("%d product calls, want %d", n, tt.productCalls)
			}
		})
	}
}

func TestLinkRequestExpressions(t *testing.T) {
	ls, src := newLinkService(t)
	// $request.query.status carries the wire value of the enum argument.
	_, err := src.ResolveField(context.Background(), tributary.FieldCall{
		TypeName: "Query", FieldName: "listUsers", Arguments: json.RawMessage(`{"ids":["1"],"status":"IN_PROGRESS"}`),
		Selection: sel(sub("orders", "order_no")),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ls.statuses) != 1 || ls.statuses[0] != "in-progress" {
		t.Errorf("orders requests carried status %q, want [in-progress]", ls.statuses)
	}
	// A template with $request.path: team-{id}, and a text result.
	got, err := src.ResolveField(context.Background(), tributary.FieldCall{
		TypeName: "Query", FieldName: "getUser", Arguments: json.RawMessage(`{"id":"7"}`), Selection: sel("id", "team"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(got, `{"id":"7","full_name":"user 7","team":"the team-7"}`) {
		t.Errorf("getUser = %s", got)
	}
}

func TestLinkFieldsOfEntities(t *testing.T) {
	ls, src := newLinkService(t)
	results, err := src.ResolveEntities(context.Background(), tributary.EntityBatch{
		Representations: []json.RawMessage{json.RawMessage(`{"__typename":"User","id":"1"}`), json.RawMessage(`{"__typename":"User","id":"2"}`)},
		Selection:       sel("id", sub("orders", "order_no"), "team"),
	})
	if err != nil {
		t.Fatal(err)
	}
	wants := []string{
		`{"__typename":"User","id":"1","full_name":"user 1","orders":[{"order_no":10,"line":{"sku_code":"sku-1"}},{"order_no":11,"line":{"sku_code":"common"}}],"team":"the team-1"}`,
		`{"__typename":"User","id":"2","full_name":"user 2","orders":[{"order_no":20,"line":{"sku_code":"sku-2"}},{"order_no":21,"line":{"sku_code":"common"}}],"team":"the team-2"}`,
	}
	for i, want := range wants {
		if results[i].Err != nil || !jsonEqual(results[i].Data, want) {
			t.Errorf("entity %d = %s, %v\nwant %s", i, results[i].Data, results[i].Err, want)
		}
	}
	if n := ls.total("/users/", "/orders"); n != 2 {
		t.Errorf("%d orders calls, want 2", n)
	}
}

func TestEmptyQueryFieldIsNull(t *testing.T) {
	_, src := newLinkService(t)
	got, err := src.ResolveField(context.Background(), tributary.FieldCall{TypeName: "Query", FieldName: oas.EmptyQueryField})
	if err != nil || string(got) != "null" {
		t.Errorf("Query.%s = %s, %v; want null", oas.EmptyQueryField, got, err)
	}
	if _, err := src.ResolveField(context.Background(), tributary.FieldCall{TypeName: "Mutation", FieldName: oas.EmptyQueryField}); err == nil {
		t.Error("Mutation._empty must stay an unknown field")
	}
}

func TestLinkPointerAndWireInput(t *testing.T) {
	doc := map[string]any{"a": []any{map[string]any{"b~/c": "x"}}, "n": nil}
	tests := []struct {
		tokens []string
		want   any
		ok     bool
	}{
		{[]string{"a", "0", "b~/c"}, "x", true},
		{[]string{"a", "1"}, nil, false},
		{[]string{"a", "01"}, nil, false},
		{[]string{"a", "-1"}, nil, false},
		{[]string{"n"}, nil, false},
		{[]string{"missing"}, nil, false},
	}
	for _, tt := range tests {
		got, ok := pointerValue(doc, tt.tokens)
		if ok != tt.ok || got != tt.want {
			t.Errorf("pointer %q = %v, %v; want %v, %v", tt.tokens, got, ok, tt.want, tt.ok)
		}
	}
	types := map[string]*oas.Type{
		"Status": {Name: "Status", Kind: oas.KindEnum, EnumValues: []*oas.EnumValue{{Name: "IN_PROGRESS", Wire: "in-progress"}}},
		"Filter": {Name: "Filter", Kind: oas.KindInputObject, Fields: []*oas.Field{{Name: "status", JSON: "the_status", Type: &oas.TypeRef{Elem: &oas.TypeRef{Named: "Status"}}}}},
	}
	s := &source{types: types}
	got, ok := s.wireArgument(&oas.TypeRef{Named: "Filter"}, json.RawMessage(`{"status":"IN_PROGRESS"}`))
	if enc, _ := json.Marshal(got); !ok || string(enc) != `{"the_status":["in-progress"]}` {
		t.Errorf("wireArgument = %s, %v", enc, ok)
	}
}
