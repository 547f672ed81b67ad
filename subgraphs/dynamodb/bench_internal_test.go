package dynamodb

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tributary-gw/tributary"
)

// BenchmarkPageObject measures the kind's own work per item on top of the
// DynamoDB call: type-checking a page of 100 Tweets (four attributes) and
// writing it as the field's JSON, with its signed nextToken:
//
//	go test ./subgraphs/dynamodb -run '^$' -bench PageObject -benchmem
func BenchmarkPageObject(b *testing.B) {
	c := &Config{Tables: []TableConfig{{Table: "Tweets", Type: "Tweet", Key: KeyConfig{Partition: "tweet_id"},
		Attributes: map[string]string{"tweet_id": "ID!", "tweet": "String!", "handle": "String!", "created_at": "String!"}}}}
	m, err := c.model()
	if err != nil {
		b.Fatal(err)
	}
	ts, _ := newTokenSigner("")
	s := &source{name: "social", m: m, tokens: ts}
	t := m.byName["Tweets"]
	rs := s.readsFor(t, []*tributary.Selection{{Name: "tweet_id"}, {Name: "tweet"}, {Name: "handle"}, {Name: "created_at"}})
	items := make([]item, 100)
	for i := range items {
		items[i] = item{
			"tweet_id":   &types.AttributeValueMemberS{Value: fmt.Sprintf("t%05d", i)},
			"tweet":      &types.AttributeValueMemberS{Value: "a tweet of some length, with \"quotes\" and ünïcødé " + strconv.Itoa(i)},
			"handle":     &types.AttributeValueMemberS{Value: "user001"},
			"created_at": &types.AttributeValueMemberS{Value: "2026-01-01T00:00:00Z"},
			"location":   &types.AttributeValueMemberS{Value: "undeclared, skipped"},
		}
	}
	last := item{"tweet_id": items[99]["tweet_id"], "handle": items[99]["handle"], "created_at": items[99]["created_at"]}
	want := cursor{Table: "Tweets", Index: "tweet-index", Partition: "Suser001"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.pageObject(want, rs, items, last); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(items)), "ns/item")
}
