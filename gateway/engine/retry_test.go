package engine

import (
	"encoding/json"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
)

// flaky answers its first failures requests with fail, the rest with
// answer, and counts them all.
func flaky(calls *atomic.Int32, failures int32, fail http.HandlerFunc, answer func(upstreamRequest) string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if calls.Add(1) <= failures {
			fail(w, r)
			return
		}
		var req upstreamRequest
		_ = json.Unmarshal(body, &req)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, answer(req))
	}
}

func unavailable(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusServiceUnavailable)
}

func cutShort(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"data":{"_enti`)
}

// A root query that got two 503s and an entity fetch cut short are sent
// again, and the client gets the whole answer without an error.
func TestFailedSubgraphQueriesAreRetried(t *testing.T) {
	var users, profiles atomic.Int32
	e := newCannedEngine(t, Options{},
		cannedSubgraph{name: "users", sdl: usersSDL, serve: flaky(&users, 2, unavailable, func(upstreamRequest) string {
			return `{"data":{"users":[{"__typename":"User","id":"1"},{"__typename":"User","id":"2"}]}}`
		})},
		cannedSubgraph{name: "profiles", sdl: profilesSDL, serve: flaky(&profiles, 1, cutShort, func(upstreamRequest) string {
			return `{"data":{"_entities":[` + entity("1") + `,` + entity("2") + `]}}`
		})},
	)
	want := `{"data":{"users":[{"id":"1","nick":"nick-1"},{"id":"2","nick":"nick-2"}]}}`
	if got := run(t, e, `{ users { id nick } }`, ""); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if u, p := users.Load(), profiles.Load(); u != 3 || p != 2 {
		t.Fatalf("users got %d requests, profiles %d; want 3 and 2", u, p)
	}
}

// A mutation is sent once, whatever the answer: the error is at its field.
func TestFailedMutationsAreNotRetried(t *testing.T) {
	var calls atomic.Int32
	e := newCannedEngine(t, Options{},
		cannedSubgraph{name: "users", sdl: usersSDL + "type Mutation { ping: String }\n",
			serve: flaky(&calls, 1, unavailable, func(upstreamRequest) string { return `{"data":{"ping":"pong"}}` })},
	)
	body := run(t, e, `mutation { ping }`, "")
	r := decode(t, body)
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != CodeSubgraphHTTPError || pathsOf(r) != `["ping"]` {
		t.Fatalf("want one SUBGRAPH_HTTP_ERROR at ping: %s", body)
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("the mutation was sent %d times, want once", n)
	}
}
