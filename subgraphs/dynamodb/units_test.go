package dynamodb

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestParseAttrType(t *testing.T) {
	tests := map[string]string{
		"ID!": "ID!", "String": "String", " Int ! ": "Int!", "[String!]": "[String!]", "[Float]!": "[Float]!", "Boolean": "Boolean",
		"Long": "", "[String": "", "[[Int]]": "", "": "", "String!!": "",
	}
	for in, want := range tests {
		typ, ok := parseAttrType(in)
		if got := typ.String(); (want == "") == ok || ok && got != want {
			t.Errorf("parseAttrType(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{"user": "users", "address": "addresses", "category": "categories", "day": "days", "box": "boxes", "tweet": "tweets"} {
		if got := plural(in); got != want {
			t.Errorf("plural(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"handle": "Handle", "user_id": "UserId", "userId": "UserId", "created_at_utc": "CreatedAtUtc"} {
		if got := pascal(in); got != want {
			t.Errorf("pascal(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKeyTextComparesNumbersByValue(t *testing.T) {
	n := func(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }
	a, _ := keyText(n("7"))
	b, _ := keyText(n("7.0"))
	c, _ := keyText(&types.AttributeValueMemberS{Value: "7"})
	if a != b || a == c {
		t.Errorf("keyText: 7 %q, 7.0 %q, \"7\" %q", a, b, c)
	}
}

func TestTokenBinding(t *testing.T) {
	ts, err := newTokenSigner("")
	if err != nil {
		t.Fatal(err)
	}
	key := item{"tweet_id": &types.AttributeValueMemberS{Value: "t1"}, "handle": &types.AttributeValueMemberS{Value: "h"},
		"n": &types.AttributeValueMemberN{Value: "12"}, "b": &types.AttributeValueMemberB{Value: []byte{0, 1}}}
	names := []string{"tweet_id", "handle", "n", "b"}
	want := cursor{Table: "Tweets", Index: "tweet-index", Partition: "Sh"}
	token, err := ts.encode(want, key)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ts.decode(token, want, names)
	if err != nil || len(got) != 4 || got["n"].(*types.AttributeValueMemberN).Value != "12" || got["b"].(*types.AttributeValueMemberB).Value[1] != 1 {
		t.Fatalf("round trip: %v, %v", got, err)
	}
	for name, other := range map[string]cursor{
		"table": {Table: "Users", Index: want.Index, Partition: want.Partition}, "index": {Table: want.Table, Partition: want.Partition},
		"partition": {Table: want.Table, Index: want.Index, Partition: "Sx"},
	} {
		if _, err := ts.decode(token, other, names); err != errForeignToken {
			t.Errorf("another %s: %v", name, err)
		}
	}
	if _, err := ts.decode(token, want, names[:2]); err != errForeignToken {
		t.Errorf("other key attributes: %v", err)
	}
	if empty, _ := ts.encode(want, nil); empty != "" {
		t.Errorf("last page token %q", empty)
	}
}
