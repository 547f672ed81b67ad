package dynamodb_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// Throttling and 5xx answers are retried by the SDK's retryer, and
// unanswered BatchGetItem calls too; once the attempts run out, the
// client sees DynamoDB's code.
func TestThrottlingAndFaultsAreRetried(t *testing.T) {
	srv := seeded(t)
	yaml := strings.Replace(seedsYAML(srv.URL), "      tables:", "      retry: {attempts: 3, minWait: 1ms, maxWait: 5ms}\n      tables:", 1)
	dirYAML, files := handlesSubgraph(handles(200, 3))
	gw := gatewaytest.Start(t, yaml+dirYAML, files)
	t.Cleanup(srv.Reset)

	srv.Reset()
	srv.Throttle("GetItem", 2)
	r := execute(t, gw, `{ getUserInfo(handle: "user001") { name } }`, nil)
	gatewaytest.AssertJSON(t, r.Data, `{"getUserInfo":{"name":"User 1"}}`)
	if n := srv.Calls("GetItem"); n != 3 {
		t.Errorf("GetItem calls: %d, want 3 (two throttled)", n)
	}

	srv.Reset()
	srv.FailInternally("Query", 1)
	srv.Throttle("BatchGetItem", 1)
	r = execute(t, gw, `{ handles { name tweets(limit: 1) { items { tweet_id } } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors after retries: %s", r.Raw)
	}
	if q, b := srv.Calls("Query"), srv.Calls("BatchGetItem"); q != 4 || b != 2 {
		t.Errorf("Query calls %d (want 3 + 1 retry), BatchGetItem calls %d (want 1 + 1 retry)", q, b)
	}

	srv.Reset()
	srv.Throttle("GetItem", 3)
	r = execute(t, gw, `{ getUserInfo(handle: "user001") { name } }`, nil)
	if e := r.OnlyError(t); e.Extensions["code"] != "ProvisionedThroughputExceededException" {
		t.Errorf("throttled past the attempts: %s", r.Raw)
	}
	if n := srv.Calls("GetItem"); n != 3 {
		t.Errorf("GetItem calls: %d, want 3 (attempts)", n)
	}
}

// Ready describes every table: a missing table, or a key that differs
// from the YAML, is an error naming the subgraph and the table.
func TestReadyChecksTables(t *testing.T) {
	srv := seeded(t)
	gw := gatewaytest.Start(t, seedsYAML(srv.URL), nil)
	if err := gw.Ready(t.Context()); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ from, to, want string }{
		{"- table: Users", "- table: Nope", `subgraph "social" is not ready: DescribeTable on table Nope: ResourceNotFoundException`},
		{"key: {partition: tweet_id}", "key: {partition: tweet_id, sort: created_at}", `subgraph "social" is not ready: table Tweets: the primary key is {partition: tweet_id, sort: none}`},
		{"tweet-index", "other-index", `table Tweets: has no index "other-index"`},
	}
	for _, tt := range tests {
		yaml := strings.ReplaceAll(seedsYAML(srv.URL), tt.from, tt.to)
		gw := gatewaytest.Build(t, yaml, nil)
		err := gw.Ready(t.Context())
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Ready = %v, want %s", tt.to, err, tt.want)
		}
	}
}

// Retries stop at the request's deadline: long backoffs and a short
// deadline end in an error long before the attempts run out.
func TestRetriesStopAtTheDeadline(t *testing.T) {
	srv := seeded(t)
	yaml := strings.Replace(seedsYAML(srv.URL), "      tables:", "      retry: {attempts: 20, minWait: 5s, maxWait: 5s}\n      tables:", 1)
	cfg, err := config.Parse("gateway.yaml", []byte(yaml), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	sg, err := cfg.Subgraphs[0].Config.Build(t.Context(), "social", tributary.BuildContext{})
	if err != nil {
		t.Fatal(err)
	}
	srv.Reset()
	t.Cleanup(srv.Reset) // faults not served must not reach other tests
	srv.Throttle("GetItem", 20)
	srv.LeaveUnprocessed(20)
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err = sg.Source.ResolveField(ctx, tributary.FieldCall{TypeName: "Query", FieldName: "getUserInfo", Arguments: json.RawMessage(`{"handle":"user001"}`)})
	if err == nil {
		t.Fatal("throttled until the deadline, yet no error")
	}
	results, err := sg.Source.ResolveEntities(ctx, tributary.EntityBatch{Representations: []json.RawMessage{
		json.RawMessage(`{"__typename":"User","handle":"user001"}`), json.RawMessage(`{"__typename":"User","handle":"user002"}`)},
		Selection: []*tributary.Selection{{Name: "name"}}})
	if err != nil || len(results) != 2 {
		t.Fatalf("ResolveEntities: %v", err)
	}
	if n := srv.Calls("GetItem") + srv.Calls("BatchGetItem"); n >= 20 {
		t.Errorf("%d calls: the retries ignored the deadline", n)
	}
}
