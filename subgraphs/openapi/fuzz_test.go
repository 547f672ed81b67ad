package openapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/tributary-gw/tributary"
)

// FuzzUpstreamAnswers feeds arbitrary service answers and representations
// through the entity and error paths: no panic, one result per
// representation, and bounded, valid-UTF-8 error bodies.
func FuzzUpstreamAnswers(f *testing.F) {
	f.Add(200, []byte(`[{"id":"1"},{"id":2},null,{"id":{"a":1}}]`), []byte(`{"__typename":"Pet","id":"1"}`), "1")
	f.Add(404, []byte(`{"message":"x"}`), []byte(`{"__typename":"Pet","id":2}`), "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add(500, []byte("\xff\xfe not utf8"), []byte(`[1]`), "-1")
	f.Add(200, []byte(`{"id":"1"}`), []byte(`{"__typename":"Nope"}`), "")

	var (
		mu     sync.Mutex
		status int
		body   []byte
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		st, b := status, body
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(st)
		w.Write(b)
	}))
	defer srv.Close()
	cfg := &Config{Spec: "./pets.yaml", MaxResponseBytes: 1 << 16,
		Retry:    &RetryConfig{Attempts: 1},
		Entities: []EntityConfig{{Type: "Pet", Key: "id", Operation: "getPetsByIds", Argument: "ids"}}}
	s, err := cfg.newSource("pets", srv.URL, petDoc(), fakeWire{}, tributary.BuildContext{}, nil)
	if err != nil {
		f.Fatal(err)
	}

	f.Fuzz(func(t *testing.T, st int, answer, rep []byte, retryAfter string) {
		if st < 200 || st > 599 {
			st = 200 + (st%400+400)%400
		}
		mu.Lock()
		status, body = st, answer
		mu.Unlock()
		reps := []json.RawMessage{rep, json.RawMessage(`{"__typename":"Pet","id":"1"}`)}
		results, err := s.ResolveEntities(context.Background(), tributary.EntityBatch{Representations: reps})
		if err != nil || len(results) != len(reps) {
			t.Fatalf("ResolveEntities: %d results, %v", len(results), err)
		}
		for _, r := range results {
			if r.Data != nil && !json.Valid(r.Data) {
				t.Fatalf("invalid JSON data %q", r.Data)
			}
		}
		_, err = s.ResolveField(context.Background(), tributary.FieldCall{TypeName: "Query", FieldName: "pet", Arguments: json.RawMessage(`{"petId":"1"}`)})
		if e, ok := err.(*tributary.Error); ok {
			if text, ok := e.Extensions["body"].(string); ok && (len(text) > maxErrorBodyBytes || !utf8.ValidString(text)) {
				t.Fatalf("error body of %d bytes, valid UTF-8 %v", len(text), utf8.ValidString(text))
			}
			if _, err := json.Marshal(e); err != nil {
				t.Fatalf("error does not encode: %v", err)
			}
		}
	})
}
