package dynamodb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tributary-gw/tributary/internal/gatewaytest"
	"github.com/tributary-gw/tributary/subgraphs/dynamodb/dynamotest"
)

// hostileSection serves a table whose attribute names are reserved words
// (name, size, status) or hold '#', ':', quotes, spaces and non-ASCII
// letters, renamed to GraphQL names.
const hostileSection = `
  - name: hostile
    dynamodb:
      endpoint: %s
      tables:
        - table: Hostile.Table-1
          type: Thing
          key: {partition: id}
          attributes: {id: ID!, "group:id": String, size: Int, name: String, status: Boolean, "a#b": String, "q\"uote": String, "ünï cødé": String, tags: "[String!]"}
          rename: {"group:id": groupId, "a#b": aHash, "q\"uote": quote, "ünï cødé": unicode}
          indexes:
            - {name: "by-group.id_1", partition: "group:id", sort: size}
`

func createHostileTable(t *testing.T, db *ddb.Client) {
	t.Helper()
	s := func(name string, typ types.ScalarAttributeType) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(name), AttributeType: typ}
	}
	k := func(name string, kt types.KeyType) types.KeySchemaElement {
		return types.KeySchemaElement{AttributeName: aws.String(name), KeyType: kt}
	}
	throughput := &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(100), WriteCapacityUnits: aws.Int64(100)}
	err := dynamotest.CreateTable(context.Background(), db, &ddb.CreateTableInput{
		TableName:            aws.String("Hostile.Table-1"),
		AttributeDefinitions: []types.AttributeDefinition{s("id", types.ScalarAttributeTypeS), s("group:id", types.ScalarAttributeTypeS), s("size", types.ScalarAttributeTypeN)},
		KeySchema:            []types.KeySchemaElement{k("id", types.KeyTypeHash)},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName: aws.String("by-group.id_1"), KeySchema: []types.KeySchemaElement{k("group:id", types.KeyTypeHash), k("size", types.KeyTypeRange)},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}, ProvisionedThroughput: throughput,
		}},
		ProvisionedThroughput: throughput,
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Hostile names and values round-trip through put, get, the index query,
// update with a condition and delete: names and values are expression
// placeholders, never expression text.
func TestHostileNamesAndValues(t *testing.T) {
	srv := seeded(t)
	createHostileTable(t, directClient(t, srv))
	gw := gatewaytest.Start(t, "subgraphs:"+strings.ReplaceAll(hostileSection, "%s", srv.URL), nil)
	run := hostileRuns.Add(1) // items of an earlier run (-count) stay in the table
	evil := []string{`#n0`, `:v0`, `"); DROP TABLE --`, `a = :v1 OR #n1`, "line\nbreak\ttab\u0000nul", `ünïcødé 🦫 \"\\`, `size`, ""}
	for i, v := range evil {
		id := fmt.Sprintf("%d id %s", run, v) // keys may hold the same characters
		group := fmt.Sprintf("g#%d:%s", run, v)
		in := map[string]any{"id": id, "groupId": group, "size": i, "name": v, "status": i%2 == 0,
			"aHash": v, "quote": v, "unicode": v, "tags": []string{v, "#", ":"}}
		r := execute(t, gw, `mutation($in: ThingInput!) { putThing(input: $in, condition: {notExists: [id, name]}) { id } }`, map[string]any{"in": in})
		if len(r.Errors) > 0 {
			t.Fatalf("put %q: %s", v, r.Raw)
		}
		r = execute(t, gw, `query($id: ID!) { thing(id: $id) { id groupId size name status aHash quote unicode tags } }`, map[string]any{"id": id})
		var got struct{ Thing map[string]any }
		r.MustData(t, &got)
		want, _ := json.Marshal(in)
		have, _ := json.Marshal(got.Thing)
		if !jsonSame(want, have) {
			t.Fatalf("round trip of %q:\n got %s\nwant %s", v, have, want)
		}
		r = execute(t, gw, `query($g: String!) { thingsByGroupId(groupId: $g, size: {between: [0, 100]}) { items { id name } } }`, map[string]any{"g": group})
		var page struct {
			ThingsByGroupId struct{ Items []map[string]any }
		}
		r.MustData(t, &page)
		if items := page.ThingsByGroupId.Items; len(items) != 1 || items[0]["name"] != v {
			t.Fatalf("index query for %q: %s", v, r.Raw)
		}
		r = execute(t, gw, `mutation($id: ID!, $v: String) { updateThing(id: $id, set: {quote: "changed"}, condition: {equals: {name: $v, aHash: $v}}) { quote name } }`,
			map[string]any{"id": id, "v": v})
		gatewaytest.AssertJSON(t, r.Data, `{"updateThing":{"quote":"changed","name":`+string(mustJSON(v))+`}}`)
	}
	// Only the selected attributes were read.
	srv.Reset()
	execute(t, gw, `query($id: ID!) { thing(id: $id) { size } }`, map[string]any{"id": fmt.Sprintf("%d id ", run)})
	var req struct {
		ProjectionExpression     string
		ExpressionAttributeNames map[string]string
	}
	if err := json.Unmarshal(srv.LastRequest("GetItem"), &req); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, n := range req.ExpressionAttributeNames {
		names[n] = true
	}
	if len(names) != 2 || !names["id"] || !names["size"] || strings.ContainsAny(req.ProjectionExpression, "is") {
		t.Errorf("GetItem read %s with names %v, want id and size through placeholders", req.ProjectionExpression, req.ExpressionAttributeNames)
	}
}

// hostileRuns numbers the runs of TestHostileNamesAndValues in this
// process.
var hostileRuns atomic.Int64

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func jsonSame(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return string(mustJSON(x)) == string(mustJSON(y))
}
