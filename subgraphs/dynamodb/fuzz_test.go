package dynamodb

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tributary-gw/tributary/config"
)

// FuzzTokenDecode: no input a client sends as nextToken panics or is
// accepted, unless it is a token the signer issued for this query.
func FuzzTokenDecode(f *testing.F) {
	ts := tokenSigner{secret: []byte("fuzzing-secret-0123456789")}
	want := cursor{Table: "Tweets", Index: "tweet-index", Partition: "Suser001"}
	good, _ := ts.encode(want, item{"tweet_id": &types.AttributeValueMemberS{Value: "t1"}, "handle": &types.AttributeValueMemberS{Value: "user001"},
		"created_at": &types.AttributeValueMemberS{Value: "2026"}})
	f.Add(good)
	f.Add("")
	f.Add(".")
	f.Add("eyJ0IjoiVHdlZXRzIn0.AAAA")
	f.Add(strings.Repeat("A", 5000) + ".x")
	names := []string{"tweet_id", "handle", "created_at"}
	f.Fuzz(func(t *testing.T, token string) {
		key, err := ts.decode(token, want, names)
		if err == nil && token != good {
			// Only a re-encoding of the same signed payload may pass.
			again, _ := ts.encode(want, key)
			if again == "" {
				t.Fatalf("accepted %q with an empty key", token)
			}
		}
	})
}

// FuzzKeyCondition: any JSON as a key condition is refused or gives one
// operator with the values it needs.
func FuzzKeyCondition(f *testing.F) {
	f.Add(`{"eq":"a"}`)
	f.Add(`{"between":["a","b"]}`)
	f.Add(`{"between":["a"]}`)
	f.Add(`{"lt":1,"gt":2}`)
	f.Add(`{"beginsWith":null,"gte":"x"}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, raw string) {
		for _, scalar := range []string{"String", "Int"} {
			a := &attribute{name: "s", field: "s", typ: attrType{scalar: scalar}}
			c, err := parseKeyCondition(a, json.RawMessage(raw))
			if err != nil || c == nil {
				continue
			}
			need := 1
			if c.op == "between" {
				need = 2
			}
			if len(c.values) != need {
				t.Fatalf("%s with %d values", c.op, len(c.values))
			}
			var e expr
			c.expression(&e, a)
		}
	})
}

// FuzzSection: a dynamodb section of any shape is decoded and validated
// without a panic; an accepted one generates SDL.
func FuzzSection(f *testing.F) {
	f.Add("tables:\n  - {table: T, type: T, key: {partition: id}, attributes: {id: ID!}}\n")
	f.Add("tables:\n  - {table: T, type: T, key: {partition: id, sort: s}, attributes: {id: ID!, s: Int}, indexes: [{name: i, partition: s}]}\nrelations:\n  - {field: X.ts, table: T, match: {id: x}}\n")
	f.Add("tables: [{table: T, type: T, key: {partition: 'a#b'}, attributes: {'a#b': String!}, rename: {'a#b': ab}}]\n")
	f.Fuzz(func(t *testing.T, section string) {
		var b strings.Builder
		b.WriteString("subgraphs:\n  - name: s\n    dynamodb:\n")
		for line := range strings.SplitSeq(section, "\n") {
			b.WriteString("      " + line + "\n")
		}
		cfg, err := config.Parse("gateway.yaml", []byte(b.String()), func(string) (string, bool) { return "", false })
		if err != nil {
			return
		}
		c, ok := cfg.Subgraphs[0].Config.(*Config)
		if !ok {
			t.Fatalf("decoded as %T", cfg.Subgraphs[0].Config)
		}
		m, err := c.model()
		if err != nil {
			t.Fatalf("Validate passed but model failed: %v", err)
		}
		_ = m.sdl()
	})
}
