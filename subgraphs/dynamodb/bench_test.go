package dynamodb_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// BenchmarkGateway measures queries end to end through the gateway
// (parse, plan, execute) against dynalite over loopback, one request at a
// time; most of the time is dynalite's:
//
//	go test ./subgraphs/dynamodb -run '^$' -bench Gateway -benchmem
func BenchmarkGateway(b *testing.B) {
	srv := seeded(b)
	dirYAML, files := handlesSubgraph(handles(0, 120))
	gw := gatewaytest.Start(b, seedsYAML(srv.URL)+dirYAML, files)
	queries := []struct{ name, query string }{
		{"get", `{ getUserInfo(handle: "user001") { handle name followers_count } }`},
		{"get+tweets10", `{ getUserInfo(handle: "user001") { name tweets(limit: 10) { items { tweet_id tweet created_at } nextToken } } }`},
		{"entities120", `{ handles { handle name followers_count } }`},
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if r := execute(b, gw, q.query, nil); len(r.Errors) > 0 {
					b.Fatal(r.Raw)
				}
			}
		})
	}
}

// BenchmarkDynaliteDirect is the baseline of BenchmarkGateway: the same
// DynamoDB calls made with the SDK directly, through the same proxy, so
// that the difference is the gateway's and the kind's cost.
func BenchmarkDynaliteDirect(b *testing.B) {
	srv := seeded(b)
	ctx := context.Background()
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion("us-east-1"))
	if err != nil {
		b.Fatal(err)
	}
	db := ddb.NewFromConfig(cfg, func(o *ddb.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	b.Run("get", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.GetItem(ctx, &ddb.GetItemInput{TableName: aws.String("Users"), Key: map[string]types.AttributeValue{"handle": s("user001")}}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("get+tweets10", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.GetItem(ctx, &ddb.GetItemInput{TableName: aws.String("Users"), Key: map[string]types.AttributeValue{"handle": s("user001")}}); err != nil {
				b.Fatal(err)
			}
			_, err := db.Query(ctx, &ddb.QueryInput{TableName: aws.String("Tweets"), IndexName: aws.String("tweet-index"),
				KeyConditionExpression: aws.String("handle = :h"), ExpressionAttributeValues: map[string]types.AttributeValue{":h": s("user001")},
				Limit: aws.Int32(10), ScanIndexForward: aws.Bool(false)})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("entities120", func(b *testing.B) {
		var keys []map[string]types.AttributeValue
		for _, h := range handles(0, 120) {
			keys = append(keys, map[string]types.AttributeValue{"handle": s(h)})
		}
		for b.Loop() {
			for _, chunk := range [][]map[string]types.AttributeValue{keys[:100], keys[100:]} {
				if _, err := db.BatchGetItem(ctx, &ddb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{"Users": {Keys: chunk}}}); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
