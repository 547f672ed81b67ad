package lambda

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/gateway/httpserver"
)

// BenchmarkAdapter prices the Lambda adapter: the same POST served through
// serve's handler directly, and as an HTTP API event through Invoke
// (decoding the event, base64 body, building the request, recording and
// encoding the response). The executor is a stub, so the difference is
// the adapter's cost per invocation.
func BenchmarkAdapter(b *testing.B) {
	handler := httpserver.NewHandler(handlerOptions(&discardExecutor{}))
	body := `{"query":"query Top($n: Int) { topProducts(first: $n) { name } }","operationName":"Top","variables":{"n":2}}`
	b.Run("http-handler", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Accept", "application/graphql-response+json")
			handler.ServeHTTP(httptest.NewRecorder(), r)
		}
	})
	for _, name := range []string{"http-api-post-base64.json", "rest-post.json", "alb-post-multivalue.json"} {
		payload := fixture(b, name)
		h := NewHandler(handler, Options{})
		b.Run("lambda/"+strings.TrimSuffix(name, ".json"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := h.Invoke(context.Background(), payload); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
