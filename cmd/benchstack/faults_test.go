package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestParseFaults(t *testing.T) {
	f, err := parseFaults("503=0.05, cut=0.03,delay=30ms")
	if err != nil || f != (faultSpec{unavailable: 0.05, cut: 0.03, maxDelay: 30 * time.Millisecond}) {
		t.Fatalf("got %+v, %v", f, err)
	}
	if f, err := parseFaults(""); err != nil || f.active() {
		t.Fatalf("empty: %+v, %v", f, err)
	}
}

// Each request is answered as the spec's shares say: with every share at
// 1, all of one kind; the seeded sequence gives both kinds at 0.5.
func TestFaultHandlerInjects(t *testing.T) {
	good := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"data":{"topProducts":[{"upc":"1"},{"upc":"2"}]}}`)
	})
	get := func(h http.Handler) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", nil))
		return rec.Code, rec.Body.String()
	}
	if code, _ := get(newFaultHandler(faultSpec{unavailable: 1}, 1, good)); code != http.StatusServiceUnavailable {
		t.Errorf("503=1 answered %d", code)
	}
	code, body := get(newFaultHandler(faultSpec{cut: 1}, 1, good))
	if code != http.StatusOK || json.Valid([]byte(body)) || len(body) == 0 {
		t.Errorf("cut=1 answered %d %q, want a 200 with JSON cut short", code, body)
	}
	h := newFaultHandler(faultSpec{unavailable: 0.25, cut: 0.25}, 7, good)
	ok := 0
	for range 400 {
		if code, body := get(h); code == 200 && json.Valid([]byte(body)) {
			ok++
		}
	}
	if h.unavailable.Load() == 0 || h.cut.Load() == 0 || ok == 0 || int(h.unavailable.Load()+h.cut.Load())+ok != 400 {
		t.Errorf("400 requests: %s, %d good", h, ok)
	}
}
