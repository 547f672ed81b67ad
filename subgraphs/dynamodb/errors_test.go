package dynamodb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// firstToken returns the nextToken of a user's first page of tweets.
func firstToken(t *testing.T, r response) string {
	t.Helper()
	var data struct {
		TweetsByHandle struct{ NextToken string }
	}
	r.MustData(t, &data)
	if data.TweetsByHandle.NextToken == "" {
		t.Fatalf("no token: %s", r.Raw)
	}
	return data.TweetsByHandle.NextToken
}

// A tampered token, one of another query and one that is no token at all
// are BAD_USER_INPUT errors, never a 500 nor another query's items.
func TestTamperedAndForeignTokens(t *testing.T) {
	srv := seeded(t)
	gw := gatewaytest.Start(t, seedsYAML(srv.URL), nil)
	page := `query($h: String!, $t: String) { tweetsByHandle(handle: $h, limit: 2, nextToken: $t) { items { tweet_id } nextToken } }`
	token := firstToken(t, execute(t, gw, page, map[string]any{"h": "user001"}))

	// Each byte of the payload flipped in turn, and the signature.
	tampered := []string{token[:len(token)-2] + flip(token[len(token)-2]) + token[len(token)-1:]}
	for i := 0; i < strings.IndexByte(token, '.'); i += 7 {
		tampered = append(tampered, token[:i]+flip(token[i])+token[i+1:])
	}
	otherGateway := gatewaytest.Start(t, seedsYAML(srv.URL), nil) // another random key
	type tokenCase struct{ user, token string }
	cases := map[string]tokenCase{
		"foreign partition": {"user002", token},
		"garbage":           {"user001", "not a token"},
		"empty parts":       {"user001", "."},
		"huge":              {"user001", strings.Repeat("A", 10000)},
	}
	for i, tok := range tampered {
		cases[fmt.Sprintf("tampered %d", i)] = tokenCase{"user001", tok}
	}
	for name, c := range cases {
		r := execute(t, gw, page, map[string]any{"h": c.user, "t": c.token})
		if e := r.FirstError(t); e.Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(e.Message, "nextToken") {
			t.Errorf("%s: %s", name, r.Raw)
		}
	}
	r := execute(t, otherGateway, page, map[string]any{"h": "user001", "t": token})
	if e := r.FirstError(t); e.Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("a token of another gateway's key: %s", r.Raw)
	}
	// The same token on the relation field of the same partition and index
	// is the same query: accepted.
	r = execute(t, gw, `query($t: String) { getUserInfo(handle: "user001") { tweets(limit: 2, order: ASC, nextToken: $t) { items { tweet_id } } } }`, map[string]any{"t": token})
	gatewaytest.AssertJSON(t, r.Data, `{"getUserInfo":{"tweets":{"items":[{"tweet_id":"t01001"},{"tweet_id":"t01501"}]}}}`)
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

// An item whose attribute has the wrong type is an error at that field's
// path, naming the table, the item's key and the attribute; the rest of
// the item is served. A missing non-null attribute is an error too.
func TestWrongTypedItems(t *testing.T) {
	srv := seeded(t)
	db := directClient(t, srv)
	ctx := context.Background()
	put := func(table string, it map[string]types.AttributeValue) {
		if _, err := db.PutItem(ctx, &ddb.PutItemInput{TableName: aws.String(table), Item: it}); err != nil {
			t.Fatal(err)
		}
	}
	put("Users", map[string]types.AttributeValue{
		"handle":          &types.AttributeValueMemberS{Value: "wrongtype"},
		"name":            &types.AttributeValueMemberN{Value: "12"},
		"followers_count": &types.AttributeValueMemberS{Value: "many"},
	})
	put("Tweets", map[string]types.AttributeValue{
		"tweet_id": &types.AttributeValueMemberS{Value: "untold"},
		"handle":   &types.AttributeValueMemberS{Value: "wrongtype"},
	})
	put("Tweets", map[string]types.AttributeValue{
		"tweet_id":   &types.AttributeValueMemberS{Value: "numeric"},
		"handle":     &types.AttributeValueMemberS{Value: "wrongtype"},
		"created_at": &types.AttributeValueMemberS{Value: "2030-01-01T00:00:00Z"},
		"tweet":      &types.AttributeValueMemberN{Value: "5"},
	})
	gw := gatewaytest.Start(t, seedsYAML(srv.URL), nil)
	// In a page reached through a relation, the path runs through items.
	r := execute(t, gw, `{ getUserInfo(handle: "wrongtype") { handle tweets { items { tweet_id tweet } } } }`, nil)
	if e := r.FirstError(t); fmt.Sprint(e.Path) != "[getUserInfo tweets items 0 tweet]" || !strings.Contains(e.Message, `table Tweets, item {tweet_id: "numeric"}: attribute "tweet" is the number 5 (N), but it is declared String!`) {
		t.Errorf("wrong type in a page: %s", r.Raw)
	}
	r = execute(t, gw, `{ getUserInfo(handle: "wrongtype") { handle description followers_count } }`, nil)
	gatewaytest.AssertJSON(t, r.Data, `{"getUserInfo":{"handle":"wrongtype","description":null,"followers_count":null}}`)
	e := r.OnlyError(t)
	if e.Extensions["code"] != "DYNAMODB_INVALID_ITEM" || !strings.Contains(e.Message, "table Users") ||
		!strings.Contains(e.Message, `"wrongtype"`) || !strings.Contains(e.Message, `"followers_count"`) || !strings.Contains(e.Message, "Int") {
		t.Errorf("error %+v", e)
	}
	if path := fmt.Sprint(e.Path); path != "[getUserInfo followers_count]" {
		t.Errorf("error path %v", e.Path)
	}
	r = execute(t, gw, `{ tweet(tweet_id: "untold") { tweet_id tweet } }`, nil)
	if e := r.FirstError(t); !strings.Contains(e.Message, `"tweet" is missing`) || !strings.Contains(e.Message, "table Tweets") {
		t.Errorf("missing non-null: %s", r.Raw)
	}
	gatewaytest.AssertJSON(t, r.Data, `{"tweet":null}`)
}
