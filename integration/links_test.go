package integration

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// blogSpec is a REST service whose users link to their posts; the link
// fills the user id, and the posts operation's limit and cursor become
// arguments of User.posts.
const blogSpec = `openapi: 3.1.0
info: {title: blog, version: "1"}
paths:
  /users/{id}:
    get:
      operationId: user
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: a user
          content: {application/json: {schema: {$ref: "#/components/schemas/User"}}}
          links:
            posts: {operationId: userPosts, parameters: {id: "$response.body#/id"}}
  /users/{id}/posts:
    get:
      operationId: userPosts
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer, default: 10}}
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        "200":
          description: a page of posts
          content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Post"}}}}
components:
  schemas:
    User: {type: object, required: [id], properties: {id: {type: string}, name: {type: string}}}
    Post: {type: object, required: [id], properties: {id: {type: string}, title: {type: string}}}
`

// blogService answers blogSpec and records every request it receives.
type blogService struct {
	mu       sync.Mutex
	requests []string
}

func (b *blogService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	b.requests = append(b.requests, r.Method+" "+r.URL.RequestURI())
	b.mu.Unlock()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /users/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":%q,"name":"user %s"}`, r.PathValue("id"), r.PathValue("id"))
	})
	mux.HandleFunc("GET /users/{id}/posts", func(w http.ResponseWriter, r *http.Request) {
		limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
		if err != nil {
			http.Error(w, "limit is required", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, "[")
		for i := range limit {
			if i > 0 {
				fmt.Fprint(w, ",")
			}
			fmt.Fprintf(w, `{"id":"%s-%d","title":"post %d"}`, r.PathValue("id"), i+1, i+1)
		}
		fmt.Fprint(w, "]")
	})
	mux.ServeHTTP(w, r)
}

func (b *blogService) received() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Sorted(slices.Values(b.requests))
}

// A link field's aliases with different arguments are answered each with
// its own page from its own REST call; equal ones share one call.
func TestOpenAPILinkFieldArgumentsOverHTTP(t *testing.T) {
	blog := &blogService{}
	srv := httptest.NewServer(blog)
	t.Cleanup(srv.Close)
	_, endpoint := startGateway(t, `subgraphs:
  - name: blog
    openapi:
      spec: blog.yaml
      baseURL: `+srv.URL+`
`, map[string]string{"blog.yaml": blogSpec})
	r := post(t, endpoint, `query Q($n: Int) { user(id: "7") { name a: posts(limit: 1) { id } b: posts(limit: $n) { id } c: posts(limit: 1) { title } d: posts { id } } }`,
		map[string]any{"n": 3})
	if len(r.Errors) > 0 {
		t.Fatalf("errors %s", r.raw)
	}
	d := `[{"id":"7-1"},{"id":"7-2"},{"id":"7-3"},{"id":"7-4"},{"id":"7-5"},{"id":"7-6"},{"id":"7-7"},{"id":"7-8"},{"id":"7-9"},{"id":"7-10"}]`
	gatewaytest.AssertJSON(t, r.Data, `{"user":{"name":"user 7","a":[{"id":"7-1"}],"b":[{"id":"7-1"},{"id":"7-2"},{"id":"7-3"}],"c":[{"title":"post 1"}],"d":`+d+`}}`)
	want := []string{"GET /users/7", "GET /users/7/posts?limit=1", "GET /users/7/posts?limit=10", "GET /users/7/posts?limit=3"}
	if got := blog.received(); !slices.Equal(got, want) {
		t.Fatalf("the service received\n%q\nwant\n%q", got, want)
	}
}
