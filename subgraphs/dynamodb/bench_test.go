package dynamodb_test

import (
	"testing"
)

// BenchmarkGateway measures queries end to end through the gateway
// (parse, plan, execute) against dynalite over loopback, one request at a
// time; most of the time is dynalite's:
//
//	go test ./subgraphs/dynamodb -run '^$' -bench Gateway -benchmem
func BenchmarkGateway(b *testing.B) {
	srv := seeded(b)
	dirYAML, files := handlesSubgraph(handles(0, 120))
	gw := startGateway(b, seedsYAML(srv.URL)+dirYAML, files)
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
					b.Fatal(r.raw)
				}
			}
		})
	}
}
