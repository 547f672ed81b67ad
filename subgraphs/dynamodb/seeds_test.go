package dynamodb_test

import (
	"testing"

	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// The seeds' tables are served from the YAML alone, with the issue's
// names: get by key (renamed getUserInfo), the index query, the relation.
func TestSeedsServedFromYAML(t *testing.T) {
	srv := seeded(t)
	gw := gatewaytest.Start(t, seedsYAML(srv.URL), nil)
	r := execute(t, gw, `{
	  getUserInfo(handle: "user007") { handle name description followers_count }
	  tweet(tweet_id: "t00507") { tweet_id tweet handle created_at }
	  missing: getUserInfo(handle: "nobody") { handle }
	  tweetsByHandle(handle: "user007", limit: 2) { items { tweet_id created_at } nextToken }
	}`, nil)
	if len(r.Errors) > 0 {
		t.Fatal(r.Raw)
	}
	var data struct {
		TweetsByHandle struct{ NextToken *string }
	}
	r.MustData(t, &data)
	if data.TweetsByHandle.NextToken == nil {
		t.Fatalf("no nextToken after 2 of 10 tweets: %s", r.Raw)
	}
	gatewaytest.AssertJSON(t, r.Data, `{
	  "getUserInfo": {"handle":"user007","name":"User 7","description":"seed user","followers_count":7},
	  "tweet": {"tweet_id":"t00507","tweet":"tweet 507","handle":"user007","created_at":"2026-01-01T08:27:00Z"},
	  "missing": null,
	  "tweetsByHandle": {"items":[{"tweet_id":"t00007","created_at":"2026-01-01T00:07:00Z"},{"tweet_id":"t00507","created_at":"2026-01-01T08:27:00Z"}],
	    "nextToken": "`+*data.TweetsByHandle.NextToken+`"}
	}`)
}
