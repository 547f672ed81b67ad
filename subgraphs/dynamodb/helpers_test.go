package dynamodb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/gateway"
	_ "github.com/tributary-gw/tributary/subgraphs/builtin"
	"github.com/tributary-gw/tributary/subgraphs/dynamodb/dynamotest"
)

func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }

// seedsSection is the dynamodb section, verbatim but for the
// endpoint.
const seedsSection = `
    dynamodb:
      region: ${AWS_REGION:-us-east-1}
      endpoint: %s
      tables:
        - table: Users
          type: User
          key: {partition: handle}
          attributes: {handle: ID!, name: String, description: String, followers_count: Int}
          fields: {get: getUserInfo}
        - table: Tweets
          type: Tweet
          key: {partition: tweet_id}
          attributes: {tweet_id: ID!, tweet: String!, handle: String!, created_at: String!}
          indexes:
            - {name: tweet-index, partition: handle, sort: created_at}
          scan: false
      relations:
        - field: User.tweets
          table: Tweets
          index: tweet-index
          match: {handle: handle}
          order: desc
`

func seedsYAML(endpoint string) string {
	return "subgraphs:\n  - name: social" + fmt.Sprintf(seedsSection, endpoint)
}

var (
	seedOnce sync.Once
	seedErr  error
)

// seeded returns the shared dynalite with the seeds' tables and data,
// loaded once for the package.
func seeded(t testing.TB) *dynamotest.Server {
	t.Helper()
	srv := dynamotest.Shared(t)
	seedOnce.Do(func() {
		ctx := context.Background()
		var db *ddb.Client
		if db, seedErr = srv.Client(ctx); seedErr != nil {
			return
		}
		if seedErr = dynamotest.CreateSeedTables(ctx, db); seedErr != nil {
			return
		}
		seedErr = dynamotest.LoadSeeds(ctx, db)
	})
	if seedErr != nil {
		t.Fatal(seedErr)
	}
	return srv
}

// directClient reaches dynalite without the proxy.
func directClient(t testing.TB, srv *dynamotest.Server) *ddb.Client {
	t.Helper()
	db, err := srv.Client(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// buildGateway writes yaml and files to a temp dir and builds the
// gateway, without checking readiness.
func buildGateway(t testing.TB, yaml string, files map[string]string) *gateway.Gateway {
	t.Helper()
	dir := t.TempDir()
	files = maps.Clone(files)
	if files == nil {
		files = map[string]string{}
	}
	files["gateway.yaml"] = yaml
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := config.Load(filepath.Join(dir, "gateway.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	gw, err := gateway.Build(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gw.Close(context.Background()) })
	return gw
}

// startGateway builds the gateway and checks that it is ready.
func startGateway(t testing.TB, yaml string, files map[string]string) *gateway.Gateway {
	t.Helper()
	gw := buildGateway(t, yaml, files)
	if err := gw.Ready(context.Background()); err != nil {
		t.Fatalf("gateway not ready: %v", err)
	}
	return gw
}

// gqlError is one error of a response.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// response is a decoded GraphQL response.
type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
	raw    string
}

func execute(t testing.TB, gw *gateway.Gateway, query string, vars map[string]any) response {
	t.Helper()
	varJSON, _ := json.Marshal(vars)
	res := gw.Execute(context.Background(), &tributary.Request{Query: query, Variables: varJSON})
	var r response
	if err := json.Unmarshal(res.Body, &r); err != nil {
		t.Fatalf("response is not JSON: %s", res.Body)
	}
	r.raw = string(res.Body)
	return r
}

// mustData fails on errors and decodes the data into v.
func (r response) mustData(t testing.TB, v any) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %s", r.raw)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("data %s: %v", r.Data, err)
	}
}

// assertJSON compares JSON documents semantically.
func assertJSON(t testing.TB, got json.RawMessage, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got invalid JSON %s", got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want invalid JSON %s", want)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Fatalf("data mismatch\n got %s\nwant %s", gb, wb)
	}
}

// firstError returns the response's first error (the engine may add
// others as a null bubbles up), failing when there is none.
func (r response) firstError(t testing.TB) gqlError {
	t.Helper()
	if len(r.Errors) == 0 {
		t.Fatalf("want an error, got %s", r.raw)
	}
	return r.Errors[0]
}

// onlyError returns the response's single error, failing otherwise.
func (r response) onlyError(t testing.TB) gqlError {
	t.Helper()
	if len(r.Errors) != 1 {
		t.Fatalf("want one error, got %s", r.raw)
	}
	return r.Errors[0]
}

// handlesSubgraph is a static subgraph listing users by handle, so that
// the gateway resolves them as entities of the dynamodb subgraph.
func handlesSubgraph(handles []string) (yaml string, files map[string]string) {
	sdl := `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { handles: [User!]! }
type User @key(fields: "handle", resolvable: false) { handle: ID! }
`
	var items []string
	for _, h := range handles {
		items = append(items, fmt.Sprintf(`{"handle":%q}`, h))
	}
	data := `{"Query": {"handles": [` + strings.Join(items, ",") + `]}, "entities": {}}`
	yaml = "  - name: directory\n    static:\n      sdl: directory.graphql\n      data: directory.json\n"
	return yaml, map[string]string{"directory.graphql": sdl, "directory.json": data}
}

func handles(from, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = dynamotest.Handle(from + i)
	}
	return out
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// buildContext is a BuildContext outside a gateway.
func buildContext() tributary.BuildContext { return tributary.BuildContext{} }
