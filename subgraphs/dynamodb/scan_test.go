package dynamodb_test

import (
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/internal/gatewaytest"
	"github.com/tributary-gw/tributary/subgraphs/dynamodb/dynamotest"
)

// scan: true adds a scan root field that pages through the whole table;
// without it there is none. A scan's token does not continue a query.
func TestScanOnlyWhenAsked(t *testing.T) {
	srv := seeded(t)
	gw := gatewaytest.Start(t, seedsYAML(srv.URL), nil)
	if r := execute(t, gw, `{ users(limit: 1) { items { handle } } }`, nil); len(r.Errors) == 0 {
		t.Fatalf("scan field without scan: true: %s", r.Raw)
	}
	yaml := strings.Replace(seedsYAML(srv.URL), "fields: {get: getUserInfo}", "fields: {get: getUserInfo}\n          scan: true", 1)
	gw = gatewaytest.Start(t, yaml, nil)
	seen := map[string]bool{}
	var token any
	for pages := 0; pages < 20; pages++ {
		r := execute(t, gw, `query($t: String) { users(limit: 150, nextToken: $t) { items { handle } nextToken } }`, map[string]any{"t": token})
		var data struct {
			Users struct {
				Items     []struct{ Handle string }
				NextToken *string
			}
		}
		r.MustData(t, &data)
		for _, it := range data.Users.Items {
			seen[it.Handle] = true
		}
		if data.Users.NextToken == nil {
			break
		}
		token = *data.Users.NextToken
	}
	for i := range dynamotest.SeedUsers {
		if !seen[dynamotest.Handle(i)] {
			t.Fatalf("the scan missed %s (saw %d users)", dynamotest.Handle(i), len(seen))
		}
	}
	r := execute(t, gw, `{ users(limit: 1) { nextToken } }`, nil)
	var data struct{ Users struct{ NextToken string } }
	r.MustData(t, &data)
	r = execute(t, gw, `query($t: String) { tweetsByHandle(handle: "user001", nextToken: $t) { items { tweet_id } } }`, map[string]any{"t": data.Users.NextToken})
	if e := r.FirstError(t); e.Extensions["code"] != "BAD_USER_INPUT" {
		t.Fatalf("a scan token on a query: %s", r.Raw)
	}
}
