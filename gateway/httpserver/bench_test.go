package httpserver

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	tributary "github.com/tributary-gw/tributary"
)

// trivialExecutor answers every request with the same body.
type trivialExecutor struct{ resp tributary.Response }

func (e *trivialExecutor) Execute(context.Context, *tributary.Request) *tributary.Response {
	return &e.resp
}

// discardWriter is a ResponseWriter that keeps nothing, so the benchmark
// measures the handler rather than a recorder.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

func BenchmarkServeHTTP(b *testing.B) {
	h := NewHandler(Options{Executor: &trivialExecutor{resp: tributary.Response{Body: []byte(`{"data":{"me":{"id":"1"}}}`)}}})
	const body = `{"query":"query Me($id: ID!) { me(id: $id) { id name } }","operationName":"Me","variables":{"id":"1"}}`
	b.Run("POST", func(b *testing.B) {
		r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Accept", "application/graphql-response+json, application/json;q=0.9")
		body := strings.NewReader(body)
		w := &discardWriter{h: http.Header{}}
		b.ReportAllocs()
		for b.Loop() {
			body.Seek(0, 0)
			r.Body = readCloser{body}
			clear(w.h)
			h.ServeHTTP(w, r)
		}
	})
	b.Run("GET", func(b *testing.B) {
		r := httptest.NewRequest(http.MethodGet, "/graphql?query=%7Bme%7Bid%7D%7D&variables=%7B%22id%22%3A1%7D", nil)
		w := &discardWriter{h: http.Header{}}
		b.ReportAllocs()
		for b.Loop() {
			clear(w.h)
			h.ServeHTTP(w, r)
		}
	})
}

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }
