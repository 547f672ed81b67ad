package dynamodb_test

import (
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// put, update (set and remove) and delete, with and without conditions;
// a failed condition is an error whose extensions carry DynamoDB's code.
func TestMutationsWithConditions(t *testing.T) {
	srv := seeded(t)
	gw := gatewaytest.Start(t, seedsYAML(srv.URL), nil)
	mutate := func(q string, vars map[string]any) response { return execute(t, gw, q, vars) }

	put := `mutation($in: TweetInput!) { putTweet(input: $in, condition: {notExists: [tweet_id]}) { tweet_id tweet handle created_at } }`
	in := map[string]any{"tweet_id": "m1", "tweet": "hello", "handle": "user010", "created_at": "2027-01-01T00:00:00Z"}
	r := mutate(put, map[string]any{"in": in})
	gatewaytest.AssertJSON(t, r.Data, `{"putTweet":{"tweet_id":"m1","tweet":"hello","handle":"user010","created_at":"2027-01-01T00:00:00Z"}}`)
	r = mutate(put, map[string]any{"in": in})
	if e := r.OnlyError(t); e.Extensions["code"] != "ConditionalCheckFailedException" || !strings.Contains(e.Message, "PutItem on table Tweets") {
		t.Fatalf("second put with notExists: %s", r.Raw)
	}

	// The new tweet is the newest of user010's.
	r = mutate(`{ getUserInfo(handle: "user010") { tweets(limit: 1) { items { tweet_id } } } }`, nil)
	gatewaytest.AssertJSON(t, r.Data, `{"getUserInfo":{"tweets":{"items":[{"tweet_id":"m1"}]}}}`)

	update := `mutation($c: TweetCondition) { updateTweet(tweet_id: "m1", set: {tweet: "edited"}, condition: $c) { tweet_id tweet } }`
	r = mutate(update, map[string]any{"c": map[string]any{"equals": map[string]any{"handle": "user999"}}})
	if e := r.OnlyError(t); e.Extensions["code"] != "ConditionalCheckFailedException" {
		t.Fatalf("update with a false condition: %s", r.Raw)
	}
	r = mutate(update, map[string]any{"c": map[string]any{"equals": map[string]any{"handle": "user010"}, "exists": []string{"tweet"}}})
	gatewaytest.AssertJSON(t, r.Data, `{"updateTweet":{"tweet_id":"m1","tweet":"edited"}}`)

	// Users: remove an attribute, and set null, which removes too.
	r = mutate(`mutation { putUser(input: {handle: "m-user", name: "M", description: "d", followers_count: 3}) { handle } }`, nil)
	gatewaytest.AssertJSON(t, r.Data, `{"putUser":{"handle":"m-user"}}`)
	r = mutate(`mutation { updateUser(handle: "m-user", set: {followers_count: 4, name: null}, remove: [description]) { handle name description followers_count } }`, nil)
	gatewaytest.AssertJSON(t, r.Data, `{"updateUser":{"handle":"m-user","name":null,"description":null,"followers_count":4}}`)
	r = mutate(`mutation { updateUser(handle: "m-user", remove: [handle]) { handle } }`, nil)
	if e := r.OnlyError(t); e.Extensions["code"] != "BAD_USER_INPUT" {
		t.Fatalf("removing the key: %s", r.Raw)
	}

	del := `mutation($c: TweetCondition) { deleteTweet(tweet_id: "m1", condition: $c) { tweet_id tweet } }`
	r = mutate(del, map[string]any{"c": map[string]any{"notEquals": map[string]any{"tweet": "edited"}}})
	if e := r.OnlyError(t); e.Extensions["code"] != "ConditionalCheckFailedException" {
		t.Fatalf("delete with a false condition: %s", r.Raw)
	}
	r = mutate(del, nil)
	gatewaytest.AssertJSON(t, r.Data, `{"deleteTweet":{"tweet_id":"m1","tweet":"edited"}}`)
	r = mutate(del, nil)
	gatewaytest.AssertJSON(t, r.Data, `{"deleteTweet":null}`)

	// A DynamoDB validation error keeps its code too: an empty string key.
	r = mutate(`mutation { putUser(input: {handle: ""}) { handle } }`, nil)
	if e := r.OnlyError(t); e.Extensions["code"] != "ValidationException" {
		t.Fatalf("empty key: %s", r.Raw)
	}
}
