package openapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/composition"
	"github.com/tributary-gw/tributary/gateway/engine"
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
        - {name: limit, in: query, schema: {type: integer, default: 10}}
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
	// statuses and limits are the query values the orders requests
	// carried.
	statuses, limits []string
}

func (ls *linkService) count(r *http.Request) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	ls.calls[r.URL.Path]++
	if strings.HasSuffix(r.URL.Path, "/orders") {
		ls.statuses = append(ls.statuses, r.URL.Query().Get("status"))
		ls.limits = append(ls.limits, r.URL.Query().Get("limit"))
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

func newLinkService(t *testing.T) (*linkService, *tributary.Subgraph) {
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
		// Every user's orders share the sku "common"; limit 1 gives one.
		orders := `{"order_no":` + id + `0,"line":{"sku_code":"sku-` + id + `"}}`
		if r.URL.Query().Get("limit") != "1" {
			orders += `,{"order_no":` + id + `1,"line":{"sku_code":"common"}}`
		}
		writeJSON(w, 200, "["+orders+"]")
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
	if !strings.Contains(sg.SDL, "orders(limit: Int = 10): [Order!]\n") || !strings.Contains(sg.SDL, "product: GetProductResponse\n") {
		t.Fatalf("the SDL lacks the link fields:\n%s", sg.SDL)
	}
	return ls, sg
}

// newLinkEngine serves the users subgraph alone through the engine.
func newLinkEngine(t *testing.T) (*linkService, *engine.Engine) {
	t.Helper()
	ls, sg := newLinkService(t)
	res, err := composition.Compose([]composition.Subgraph{{Name: "users", SDL: sg.SDL}})
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(context.Background(), engine.Options{Supergraph: res.SDL, Subgraphs: map[string]*tributary.Subgraph{"users": sg}})
	if err != nil {
		t.Fatal(err)
	}
	return ls, e
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
	tests := []struct {
		name  string
		query string
		want  string
		// the link requests expected, and the limits the orders ones carried
		orderCalls, productCalls int
		limits                   []string
	}{{
		name:       "one call per user",
		query:      `{ listUsers(ids: ["1", "2", "4"]) { id orders { order_no } } }`,
		want:       `{"data":{"listUsers":[{"id":"1","orders":[{"order_no":10},{"order_no":11}]},{"id":"2","orders":[{"order_no":20},{"order_no":21}]},{"id":"4","orders":[{"order_no":40},{"order_no":41}]}]}}`,
		orderCalls: 3, limits: []string{"10", "10", "10"},
	}, {
		name:       "identical requests are sent once",
		query:      `{ listUsers(ids: ["1", "2", "1"]) { id orders { order_no } } }`,
		want:       `{"data":{"listUsers":[{"id":"1","orders":[{"order_no":10},{"order_no":11}]},{"id":"2","orders":[{"order_no":20},{"order_no":21}]},{"id":"1","orders":[{"order_no":10},{"order_no":11}]}]}}`,
		orderCalls: 2, limits: []string{"10", "10"},
	}, {
		name:       "a failed link is null and reported at its path",
		query:      `{ listUsers(ids: ["3", "1"]) { id orders { order_no } } }`,
		want:       `{"errors":[{"message":"users: GET /users/{id}/orders: HTTP 500","path":["listUsers",0,"orders"],"extensions":{"body":{"error":"orders are down"},"code":"UPSTREAM_HTTP_ERROR","statusCode":500,"serviceName":"users"}}],"data":{"listUsers":[{"id":"3","orders":null},{"id":"1","orders":[{"order_no":10},{"order_no":11}]}]}}`,
		orderCalls: 2, limits: []string{"10", "10"},
	}, {
		name:       "links inside links, one call per level and request",
		query:      `{ listUsers(ids: ["1", "2"]) { id orders { order_no product { title } } } }`,
		want:       `{"data":{"listUsers":[{"id":"1","orders":[{"order_no":10,"product":{"title":"product sku-1"}},{"order_no":11,"product":{"title":"product common"}}]},{"id":"2","orders":[{"order_no":20,"product":{"title":"product sku-2"}},{"order_no":21,"product":{"title":"product common"}}]}]}}`,
		orderCalls: 2, productCalls: 3, limits: []string{"10", "10"}, // sku-1, sku-2, and common once
	}, {
		name:  "no link selected, no call",
		query: `{ listUsers(ids: ["1"]) { id full_name } }`,
		want:  `{"data":{"listUsers":[{"id":"1","full_name":"user 1"}]}}`,
	}, {
		name:       "aliases with different arguments make their own calls",
		query:      `{ getUser(id: "1") { a: orders(limit: 1) { order_no } b: orders(limit: 3) { order_no } c: orders(limit: 1) { line { sku_code } } } }`,
		want:       `{"data":{"getUser":{"a":[{"order_no":10}],"b":[{"order_no":10},{"order_no":11}],"c":[{"line":{"sku_code":"sku-1"}}]}}}`,
		orderCalls: 2, limits: []string{"1", "3"},
	}, {
		name:       "arguments from variables, over a list of parents",
		query:      `query Q($n: Int) { listUsers(ids: ["1", "2"]) { orders(limit: $n) { order_no } } }`,
		want:       `{"data":{"listUsers":[{"orders":[{"order_no":10}]},{"orders":[{"order_no":20}]}]}}`,
		orderCalls: 2, limits: []string{"1", "1"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls, e := newLinkEngine(t)
			resp := e.Execute(context.Background(), &tributary.Request{Query: tt.query, Variables: json.RawMessage(`{"n": 1}`)})
			if string(resp.Body) != tt.want {
				t.Errorf("body:\n got %s\nwant %s", resp.Body, tt.want)
			}
			if n := ls.total("/users/", "/orders"); n != tt.orderCalls {
				t.Errorf("%d orders calls, want %d", n, tt.orderCalls)
			}
			if n := ls.total("/products/", ""); n != tt.productCalls {
				t.Errorf("%d product calls, want %d", n, tt.productCalls)
			}
			ls.mu.Lock()
			limits := slices.Sorted(slices.Values(ls.limits))
			ls.mu.Unlock()
			if !slices.Equal(limits, tt.limits) {
				t.Errorf("orders limits %q, want %q", limits, tt.limits)
			}
		})
	}
}

func TestLinkRequestExpressions(t *testing.T) {
	ls, e := newLinkEngine(t)
	// $request.query.status carries the wire value of the enum argument.
	resp := e.Execute(context.Background(), &tributary.Request{Query: `{ listUsers(ids: ["1"], status: IN_PROGRESS) { orders { order_no } } }`})
	if strings.Contains(string(resp.Body), "errors") {
		t.Fatal(string(resp.Body))
	}
	if len(ls.statuses) != 1 || ls.statuses[0] != "in-progress" {
		t.Errorf("orders requests carried status %q, want [in-progress]", ls.statuses)
	}
	// A template with $request.path: team-{id}, and a text result.
	resp = e.Execute(context.Background(), &tributary.Request{Query: `{ getUser(id: "7") { id team } }`})
	if want := `{"data":{"getUser":{"id":"7","team":"the team-7"}}}`; string(resp.Body) != want {
		t.Errorf("getUser = %s, want %s", resp.Body, want)
	}
}

// TestLinkFieldsOfEntities follows the seam by hand: the entities carry
// their link context, and ResolveFieldBatch takes them as parents.
func TestLinkFieldsOfEntities(t *testing.T) {
	ls, sg := newLinkService(t)
	src := sg.Source
	results, err := src.ResolveEntities(context.Background(), tributary.EntityBatch{
		Representations: []json.RawMessage{json.RawMessage(`{"__typename":"User","id":"1"}`), json.RawMessage(`{"__typename":"User","id":"2"}`)},
		Selection:       sel("id", sub("orders", "order_no"), "team"),
	})
	if err != nil {
		t.Fatal(err)
	}
	parents := make([]json.RawMessage, len(results))
	for i, r := range results {
		if r.Err != nil || !strings.Contains(string(r.Data), `"__link":{`) {
			t.Fatalf("entity %d = %s, %v: want its link context", i, r.Data, r.Err)
		}
		parents[i] = r.Data
	}
	batch := func(field, args string) []tributary.Result {
		out, err := src.ResolveFieldBatch(context.Background(), tributary.FieldBatch{
			TypeName: "User", FieldName: field, Arguments: json.RawMessage(args), Parents: parents, Selection: sel("order_no"),
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	orders := batch("orders", `{"limit":1}`)
	teams := batch("team", `{}`)
	wants := [][2]string{{`[{"order_no":10,"line":{"sku_code":"sku-1"}}]`, `"the team-1"`}, {`[{"order_no":20,"line":{"sku_code":"sku-2"}}]`, `"the team-2"`}}
	for i, want := range wants {
		if orders[i].Err != nil || !jsonEqual(orders[i].Data, want[0]) || teams[i].Err != nil || !jsonEqual(teams[i].Data, want[1]) {
			t.Errorf("entity %d: orders %s (%v), team %s (%v); want %s, %s", i, orders[i].Data, orders[i].Err, teams[i].Data, teams[i].Err, want[0], want[1])
		}
	}
	if n := ls.total("/users/", "/orders"); n != 2 {
		t.Errorf("%d orders calls, want 2", n)
	}
}

func TestEmptyQueryFieldIsNull(t *testing.T) {
	_, sg := newLinkService(t)
	src := sg.Source
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
