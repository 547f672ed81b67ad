package dynamodb_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/tributary-gw/tributary/internal/gatewaytest"
	"github.com/tributary-gw/tributary/subgraphs/dynamodb/dynamotest"
)

// User.tweets pages through all of a user's tweets, newest first (the
// relation's order), with nextToken; every tweet comes exactly once.
func TestUserTweetsPagesThroughAll(t *testing.T) {
	srv := seeded(t)
	gw := gatewaytest.Start(t, seedsYAML(srv.URL), nil)
	const user = 3
	var want []string
	for j := dynamotest.SeedTweets - dynamotest.SeedUsers + user; j >= 0; j -= dynamotest.SeedUsers {
		want = append(want, fmt.Sprintf("t%05d", j))
	}
	var got []string
	var token any
	for pages := 0; ; pages++ {
		if pages > len(want) {
			t.Fatalf("more pages than tweets: %v", got)
		}
		r := execute(t, gw, `query($t: String) { getUserInfo(handle: "user003") {
		  tweets(limit: 3, nextToken: $t) { items { tweet_id handle } nextToken } } }`, map[string]any{"t": token})
		var data struct {
			GetUserInfo struct {
				Tweets struct {
					Items []struct {
						TweetID string `json:"tweet_id"`
					}
					NextToken *string
				}
			}
		}
		r.MustData(t, &data)
		page := data.GetUserInfo.Tweets
		for _, it := range page.Items {
			got = append(got, it.TweetID)
		}
		if page.NextToken == nil {
			break
		}
		token = *page.NextToken
	}
	if !slices.Equal(got, want) {
		t.Fatalf("paged tweets %v\nwant %v", got, want)
	}
}

// Key conditions, order and limit on the index query field.
func TestIndexQueryKeyConditions(t *testing.T) {
	srv := seeded(t)
	gw := gatewaytest.Start(t, seedsYAML(srv.URL), nil)
	tests := []struct{ cond, want string }{
		{`{eq: "2026-01-01T08:27:00Z"}`, `["t00507"]`},
		{`{lt: "2026-01-01T08:27:00Z"}`, `["t00007"]`},
		{`{lte: "2026-01-01T08:27:00Z"}`, `["t00007","t00507"]`},
		{`{gt: "2026-01-03T00:00:00Z"}`, `["t03007","t03507","t04007","t04507"]`},
		{`{gte: "2026-01-03T10:27:00Z"}`, `["t03507","t04007","t04507"]`},
		{`{between: ["2026-01-01T08:00:00Z", "2026-01-01T17:00:00Z"]}`, `["t00507","t01007"]`},
		{`{beginsWith: "2026-01-01T0"}`, `["t00007","t00507"]`},
	}
	for _, tt := range tests {
		r := execute(t, gw, `{ tweetsByHandle(handle: "user007", created_at: `+tt.cond+`) { items { tweet_id } } }`, nil)
		var data struct {
			TweetsByHandle struct {
				Items []struct {
					TweetID string `json:"tweet_id"`
				}
			}
		}
		r.MustData(t, &data)
		var ids []string
		for _, it := range data.TweetsByHandle.Items {
			ids = append(ids, it.TweetID)
		}
		if got := fmt.Sprintf("%q", ids); got != fmt.Sprintf("%q", mustStrings(t, tt.want)) {
			t.Errorf("%s: %s, want %s", tt.cond, got, tt.want)
		}
	}
	r := execute(t, gw, `{ tweetsByHandle(handle: "user007", limit: 2, order: DESC) { items { tweet_id } } }`, nil)
	r2 := execute(t, gw, `{ tweetsByHandle(handle: "user007", created_at: {lt: "a", gt: "b"}) { items { tweet_id } } }`, nil)
	gatewaytest.AssertJSON(t, r.Data, `{"tweetsByHandle":{"items":[{"tweet_id":"t04507"},{"tweet_id":"t04007"}]}}`)
	if e := r2.FirstError(t); e.Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("two operators: %s", r2.Raw)
	}
}

// A relation's order argument overrides the relation's default, and two
// aliases with different arguments are two separate queries.
func TestRelationOrderAndAliases(t *testing.T) {
	srv := seeded(t)
	gw := gatewaytest.Start(t, seedsYAML(srv.URL), nil)
	srv.Reset()
	r := execute(t, gw, `{ getUserInfo(handle: "user001") {
	  newest: tweets(limit: 1) { items { tweet_id } }
	  oldest: tweets(limit: 1, order: ASC) { items { tweet_id } }
	  january2: tweets(created_at: {beginsWith: "2026-01-02"}, order: ASC) { items { tweet_id } }
	} }`, nil)
	if len(r.Errors) > 0 {
		t.Fatal(r.Raw)
	}
	gatewaytest.AssertJSON(t, r.Data, `{"getUserInfo":{"newest":{"items":[{"tweet_id":"t04501"}]},"oldest":{"items":[{"tweet_id":"t00001"}]},
	  "january2":{"items":[{"tweet_id":"t01501"},{"tweet_id":"t02001"},{"tweet_id":"t02501"}]}}}`)
	if n := srv.Calls("Query"); n != 3 {
		t.Errorf("three aliases with different arguments made %d Query calls, want 3", n)
	}
}

func mustStrings(t *testing.T, s string) []string {
	var out []string
	if err := jsonUnmarshal(s, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
