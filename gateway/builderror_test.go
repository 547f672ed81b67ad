package gateway_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/gateway"
	_ "github.com/tributary-gw/tributary/subgraphs/builtin"
)

// booksSpec is an OpenAPI document with one entity-shaped operation and no
// servers.
const booksSpec = `openapi: 3.0.3
info: {title: Books, version: "1"}
paths:
  /books/{id}:
    get:
      operationId: getBook
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: a book
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Book"}
components:
  schemas:
    Book:
      type: object
      properties:
        id: {type: string}
        title: {type: string}
`

// A kind's build error names the subgraph once and points at the line of
// the key at fault (the entry's line when the kind names no key), one line
// per problem, exactly as config errors do.
func TestBuildErrorsPointAtKeys(t *testing.T) {
	brokenSDL := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"data":{"_service":{"sdl":"type Query { me: }"}}}`)
	}))
	defer brokenSDL.Close()

	tests := []struct {
		name   string
		yaml   string
		cancel bool // start-up is cancelled before it begins
		want   []string
	}{
		{"an entity type the spec lacks", `
subgraphs:
  - name: books
    openapi:
      spec: books.yaml
      baseURL: http://books.invalid/v1
      entities:
        - type: Usr
          key: id
          operation: getBook
          argument: id
`, false, []string{
			`gateway.yaml:8: subgraph "books" (openapi): entities[0].type: the spec has no object type "Usr"; object types: Book`}},
		{"several entity problems, one line each", `
subgraphs:
  - name: books
    openapi:
      spec: books.yaml
      baseURL: http://books.invalid/v1
      entities:
        - type: Usr
          key: id
          operation: getBook
        - {type: Book, key: id, operation: listBooks}
`, false, []string{
			`gateway.yaml:8: subgraph "books" (openapi): entities[0].type: the spec has no object type "Usr"; object types: Book`,
			`gateway.yaml:11: subgraph "books" (openapi): entities[1].operation: the spec has no operation "listBooks" (or include/exclude removed it)`}},
		{"a key field the type lacks", `
subgraphs:
  - name: books
    openapi:
      spec: books.yaml
      baseURL: http://books.invalid/v1
      entities:
        - type: Book
          key: isbn
          operation: getBook
          argument: id
`, false, []string{
			`gateway.yaml:9: subgraph "books" (openapi): entities[0].key: type Book has no field "isbn" for the key`}},
		{"an argument the operation lacks", `
subgraphs:
  - name: books
    openapi:
      spec: books.yaml
      baseURL: http://books.invalid/v1
      entities:
        - type: Book
          key: id
          operation: getBook
          argument: bookId
`, false, []string{
			`gateway.yaml:11: subgraph "books" (openapi): entities[0].argument: operation getBook has no argument "bookId" (arguments: id)`}},
		{"a spec that does not exist", `
subgraphs:
  - name: books
    openapi:
      baseURL: http://books.invalid/v1
      spec: nobooks.yaml
`, false, []string{
			`gateway.yaml:6: subgraph "books" (openapi): spec: cannot read nobooks.yaml: stat DIR/nobooks.yaml: no such file or directory; a relative path starts at gateway.yaml's directory`}},
		{"no baseURL and no servers: the section", `
subgraphs:
  - name: books

    openapi:
      spec: books.yaml
`, false, []string{
			`gateway.yaml:5: subgraph "books" (openapi): baseURL: the spec declares no servers; set baseURL to the service's URL (e.g. "http://localhost:8080/v1")`}},
		{"a static data file that is missing", `
subgraphs:
  - name: prices
    static:
      sdl: prices.graphql
      data: prices.json
`, false, []string{
			`gateway.yaml:6: subgraph "prices" (static): data: cannot read prices.json (resolved to DIR/prices.json): stat DIR/prices.json: no such file or directory; paths are relative to gateway.yaml's directory`}},
		{"a graphql SDL file that does not parse", `
subgraphs:
  - name: accounts
    graphql:
      url: http://accounts.invalid/graphql
      sdlFile: prices.json
`, false, []string{
			`gateway.yaml:6: subgraph "accounts" (graphql): sdlFile: the SDL is not valid GraphQL: DIR/prices.json:1:1: Unexpected {`}},
		{"a fetched SDL that does not parse; two subgraphs fail", `
subgraphs:
  - name: accounts
    graphql: {url: "` + brokenSDL.URL + `"}
  - name: books
    openapi: {spec: books.yaml, baseURL: "http://books.invalid", entities: [{type: Usr, key: id, operation: getBook}]}
`, false, []string{
			`gateway.yaml:4: subgraph "accounts" (graphql): url: the SDL is not valid GraphQL: ` + brokenSDL.URL + `:1:18: Expected Name, found }`,
			`gateway.yaml:6: subgraph "books" (openapi): entities[0].type: the spec has no object type "Usr"; object types: Book`}},
		{"no key at fault: the entry", `
subgraphs:
  - name: accounts
    graphql:
      url: ` + brokenSDL.URL + `
`, true, []string{
			`gateway.yaml:3: subgraph "accounts" (graphql): cannot fetch SDL from ` + brokenSDL.URL + `: start-up was cancelled: context canceled`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{"gateway.yaml": tt.yaml, "books.yaml": booksSpec,
				"prices.graphql": "type Query { currency: String }\n"}
			if strings.Contains(tt.yaml, "sdlFile: prices.json") {
				files["prices.json"] = `{"Query": {}}`
			}
			for name, content := range files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			cfg, err := config.Load(filepath.Join(dir, "gateway.yaml"))
			if err != nil {
				t.Fatalf("config.Load: %v", err)
			}
			cfg.Path = "gateway.yaml" // as the gateway was started from its directory
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancel {
				cancel()
			}
			_, _, err = gateway.BuildSubgraphs(ctx, cfg, slog.New(slog.DiscardHandler))
			if err == nil {
				t.Fatal("BuildSubgraphs succeeded")
			}
			want := strings.ReplaceAll(strings.Join(tt.want, "\n"), "DIR", dir)
			if err.Error() != want {
				t.Errorf("error:\n%s\nwant:\n%s", err, want)
			}
			var be *gateway.BuildError
			if !errors.As(err, &be) {
				t.Errorf("error %T holds no BuildError", err)
			}
		})
	}
}

// A BuildError keeps what the kind returned, for errors.Is and errors.As.
func TestBuildErrorUnwraps(t *testing.T) {
	dir := t.TempDir()
	yaml := "subgraphs:\n  - name: books\n    openapi: {spec: nobooks.yaml, baseURL: \"http://books.invalid\"}\n"
	if err := os.WriteFile(filepath.Join(dir, "gateway.yaml"), []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(filepath.Join(dir, "gateway.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = gateway.BuildSubgraphs(context.Background(), cfg, slog.New(slog.DiscardHandler))
	var be *gateway.BuildError
	var fe *tributary.FieldError
	if !errors.As(err, &be) || be.Line != 3 || be.Subgraph != "books" || be.Kind != "openapi" || be.Path != "spec" {
		t.Fatalf("error %v: BuildError %+v", err, be)
	}
	if !errors.As(err, &fe) || fe.Path != "spec" || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error %v does not unwrap to the kind's FieldError and its cause", err)
	}
}
