package dynamodb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/internal/gatewaytest"
	"github.com/tributary-gw/tributary/subgraphs/dynamodb/dynamotest"
)

// followsSection adds a table with a sort key, Follows (follower,
// followee), and a relation on the table's own key.
const followsSection = `        - table: Follows
          type: Follow
          key: {partition: follower, sort: followee}
          attributes: {follower: String!, followee: String!, since: Int}
`

const followsRelation = `        - field: User.following
          table: Follows
          match: {follower: handle}
`

func createFollows(t *testing.T, srv *dynamotest.Server) {
	t.Helper()
	db := directClient(t, srv)
	ctx := context.Background()
	s := func(name string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(name), AttributeType: types.ScalarAttributeTypeS}
	}
	err := dynamotest.CreateTable(ctx, db, &ddb.CreateTableInput{
		TableName:            aws.String("Follows"),
		AttributeDefinitions: []types.AttributeDefinition{s("follower"), s("followee")},
		KeySchema: []types.KeySchemaElement{{AttributeName: aws.String("follower"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("followee"), KeyType: types.KeyTypeRange}},
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(100), WriteCapacityUnits: aws.Int64(100)},
	})
	if err != nil {
		t.Fatal(err)
	}
	var items []map[string]types.AttributeValue
	for i := range 30 { // user000 follows user001…user030
		items = append(items, map[string]types.AttributeValue{
			"follower": &types.AttributeValueMemberS{Value: "user000"},
			"followee": &types.AttributeValueMemberS{Value: dynamotest.Handle(i + 1)},
			"since":    &types.AttributeValueMemberN{Value: fmt.Sprint(2000 + i)},
		})
	}
	if err := dynamotest.WriteItems(ctx, db, "Follows", items); err != nil {
		t.Fatal(err)
	}
}

func followsYAML(endpoint string) string {
	yaml := strings.Replace(seedsYAML(endpoint), "      relations:\n", followsSection+"      relations:\n", 1)
	return yaml + followsRelation
}

// A table with a sort key: get by both key attributes, the query on the
// table's own key with a key condition, a relation on the table's key,
// and entities keyed by two attributes.
func TestCompoundKeyTable(t *testing.T) {
	srv := seeded(t)
	createFollows(t, srv)
	gw := gatewaytest.Start(t, followsYAML(srv.URL), nil)
	r := execute(t, gw, `{
	  follow(follower: "user000", followee: "user003") { since }
	  followsByFollower(follower: "user000", followee: {between: ["user010", "user012"]}, order: DESC) { items { followee } nextToken }
	  getUserInfo(handle: "user000") { following(limit: 2, followee: {beginsWith: "user02"}) { items { followee since } } }
	}`, nil)
	if len(r.Errors) > 0 {
		t.Fatal(r.Raw)
	}
	gatewaytest.AssertJSON(t, r.Data, `{"follow":{"since":2002},
	  "followsByFollower":{"items":[{"followee":"user012"},{"followee":"user011"},{"followee":"user010"}],"nextToken":null},
	  "getUserInfo":{"following":{"items":[{"followee":"user020","since":2019},{"followee":"user021","since":2020}]}}}`)

	cfg, err := config.Parse("gateway.yaml", []byte(followsYAML(srv.URL)), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	sg, err := cfg.Subgraphs[0].Config.Build(context.Background(), "social", tributary.BuildContext{})
	if err != nil {
		t.Fatal(err)
	}
	reps := []json.RawMessage{
		json.RawMessage(`{"__typename":"Follow","follower":"user000","followee":"user005"}`),
		json.RawMessage(`{"__typename":"Follow","follower":"user000","followee":"nobody"}`),
		json.RawMessage(`{"__typename":"User","handle":"user002"}`),
		json.RawMessage(`{"__typename":"Follow","follower":"user000","followee":"user005"}`),
	}
	srv.Reset()
	results, err := sg.Source.ResolveEntities(context.Background(), tributary.EntityBatch{Representations: reps,
		Selection: []*tributary.Selection{{Name: "since", OnType: "Follow"}, {Name: "name", OnType: "User"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`{"__typename":"Follow","follower":"user000","followee":"user005","since":2004}`, ``,
		`{"__typename":"User","handle":"user002","name":"User 2"}`, `{"__typename":"Follow","follower":"user000","followee":"user005","since":2004}`}
	for i, w := range want {
		if results[i].Err != nil || (w == "") != (results[i].Data == nil) || w != "" && !jsonSame(results[i].Data, []byte(w)) {
			t.Errorf("entity %d: %s %v, want %s", i, results[i].Data, results[i].Err, w)
		}
	}
	if n := srv.Calls("BatchGetItem"); n != 1 {
		t.Errorf("two tables, three distinct keys: %d BatchGetItem calls, want 1", n)
	}
}
