package federation

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// BenchmarkEntities measures one _entities request of 20 representations to
// the inventory subgraph, the typical shape of a gateway fetch.
func BenchmarkEntities(b *testing.B) {
	reps := make([]string, 20)
	for i := range reps {
		reps[i] = fmt.Sprintf(`{"__typename": "Product", "upc": "%d", "price": %d, "weight": 40}`, i%6+1, 100*i)
	}
	body := `{"query": "query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { upc inStock shippingEstimate } } }", "variables": {"r": [` + strings.Join(reps, ",") + `]}}`
	s := Inventory()
	b.ReportAllocs()
	for b.Loop() {
		if status, answer := post(b, s, body); status != http.StatusOK {
			b.Fatalf("HTTP %d: %s", status, answer)
		}
	}
}

// BenchmarkRootQuery measures a root query with nested lists on reviews.
func BenchmarkRootQuery(b *testing.B) {
	s := Reviews()
	const body = `{"query": "{ latestReviews(first: 10) { id body rating author { id username } product { upc } } }"}`
	b.ReportAllocs()
	for b.Loop() {
		if status, answer := post(b, s, body); status != http.StatusOK {
			b.Fatalf("HTTP %d: %s", status, answer)
		}
	}
}
