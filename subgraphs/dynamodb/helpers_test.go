package dynamodb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/gateway"
	"github.com/tributary-gw/tributary/internal/gatewaytest"
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

// response and gqlError are the shared test harness's.
type (
	response = gatewaytest.Response
	gqlError = gatewaytest.Error
)

func execute(t testing.TB, gw *gateway.Gateway, query string, vars map[string]any) response {
	t.Helper()
	return gatewaytest.Execute(t, gw, query, vars, nil)
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
