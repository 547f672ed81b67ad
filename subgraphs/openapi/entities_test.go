package openapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tributary-gw/tributary"
)

func petReps(ids ...string) []json.RawMessage {
	reps := make([]json.RawMessage, len(ids))
	for i, id := range ids {
		reps[i] = json.RawMessage(fmt.Sprintf(`{"__typename":"Pet","id":%s}`, id))
	}
	return reps
}

func TestEntityBatching(t *testing.T) {
	// 120 representations of 110 distinct pets; ids 5 and 77 are unknown to
	// the service; ids are mixed strings and numbers, as gateways send them.
	var ids []string
	for i := range 110 {
		ids = append(ids, fmt.Sprintf(`"%d"`, i))
	}
	for i := range 10 {
		ids = append(ids, fmt.Sprint(i*3)) // duplicates, written as numbers
	}
	var (
		mu      sync.Mutex
		batches [][]string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/pets/batch" {
			t.Errorf("path %s", r.URL.Path)
		}
		asked := strings.Split(r.URL.Query().Get("ids"), ",")
		mu.Lock()
		batches = append(batches, asked)
		mu.Unlock()
		var out []string
		for _, id := range asked {
			if id == "5" || id == "77" {
				continue
			}
			out = append(out, fmt.Sprintf(`{"id":%s,"name":"pet %s"}`, id, id)) // ids as numbers
		}
		rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, "["+strings.Join(out, ",")+"]")
	}))
	defer srv.Close()
	s := newTestSource(t, &Config{Entities: []EntityConfig{
		{Type: "Pet", Key: "id", Operation: "getPetsByIds", Argument: "ids", MaxBatchSize: 50},
	}}, srv.URL, nil)

	results, err := s.ResolveEntities(context.Background(), tributary.EntityBatch{Representations: petReps(ids...)})
	if err != nil {
		t.Fatal(err)
	}
	if len(batches) != 3 {
		t.Fatalf("%d calls, want 3", len(batches))
	}
	asked := map[string]int{}
	for _, b := range batches {
		if len(b) > 50 {
			t.Errorf("a call asked for %d ids, more than maxBatchSize", len(b))
		}
		for _, id := range b {
			asked[id]++
		}
	}
	if len(asked) != 110 {
		t.Errorf("asked for %d distinct ids, want 110", len(asked))
	}
	for id, n := range asked {
		if n != 1 {
			t.Errorf("id %s asked for %d times", id, n)
		}
	}
	for i, res := range results {
		id := strings.Trim(ids[i], `"`)
		if res.Err != nil {
			t.Errorf("representation %d: %v", i, res.Err)
			continue
		}
		if id == "5" || id == "77" {
			if res.Data != nil {
				t.Errorf("representation %d (id %s): %s, want a miss", i, id, res.Data)
			}
			continue
		}
		var got struct{ Typename, ID, Name string }
		var raw map[string]any
		json.Unmarshal(res.Data, &raw)
		got.Typename, _ = raw["__typename"].(string)
		got.Name, _ = raw["name"].(string)
		if got.Typename != "Pet" || got.Name != "pet "+id {
			t.Errorf("representation %d (id %s) got %s", i, id, res.Data)
		}
	}
}

func TestEntityBatchFailureIsPerChunk(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked := strings.Split(r.URL.Query().Get("ids"), ",")
		if asked[0] == "3" {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"message":"bad id"}`)
			return
		}
		var out []string
		for _, id := range asked {
			out = append(out, fmt.Sprintf(`{"id":"%s"}`, id))
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, "["+strings.Join(out, ",")+"]")
	}))
	defer srv.Close()
	s := newTestSource(t, &Config{Entities: []EntityConfig{
		{Type: "Pet", Key: "id", Operation: "getPetsByIds", Argument: "ids", MaxBatchSize: 2},
	}}, srv.URL, nil)
	reps := petReps(`"1"`, `"2"`, `"3"`, `"4"`, `"5"`)
	reps = append(reps, json.RawMessage(`{"__typename":"Owner","id":"1"}`), json.RawMessage(`{"__typename":"Pet"}`))
	results, err := s.ResolveEntities(context.Background(), tributary.EntityBatch{Representations: reps})
	if err != nil {
		t.Fatal(err)
	}
	for i, wantErr := range []bool{false, false, true, true, false, true, true} {
		if (results[i].Err != nil) != wantErr {
			t.Errorf("representation %d: %s, %v; want error=%v", i, results[i].Data, results[i].Err, wantErr)
		}
	}
	if e := gqlError(t, results[2].Err); e.Extensions["statusCode"] != 400 {
		t.Errorf("chunk error %v", e)
	}
}

func TestEntityFanOut(t *testing.T) {
	var inFlight, maxInFlight, calls atomic.Int32
	release := make(chan struct{})
	var releaseOnce sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		n := inFlight.Add(1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		if n == 4 {
			releaseOnce.Do(func() { close(release) }) // every slot is taken: let all answer
		}
		<-release
		inFlight.Add(-1)
		id := strings.TrimPrefix(r.URL.Path, "/pets/")
		if id == "404" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":"%s","name":"pet %s"}`, id, id)
	}))
	defer srv.Close()
	s := newTestSource(t, &Config{Entities: []EntityConfig{
		{Type: "Pet", Key: "id", Operation: "getPet", Argument: "petId", Concurrency: 4},
	}}, srv.URL, nil)
	var ids []string
	for i := range 20 {
		ids = append(ids, fmt.Sprintf(`"%d"`, i))
	}
	ids = append(ids, `"3"`, `"7"`, `"404"`) // two duplicates and a miss
	results, err := s.ResolveEntities(context.Background(), tributary.EntityBatch{Representations: petReps(ids...)})
	if err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 21 {
		t.Errorf("%d calls, want 21 (one per distinct key)", n)
	}
	if m := maxInFlight.Load(); m > 4 {
		t.Errorf("%d calls in flight at once, want at most 4", m)
	}
	for i, res := range results {
		id := strings.Trim(ids[i], `"`)
		if res.Err != nil {
			t.Errorf("representation %d: %v", i, res.Err)
		}
		if id == "404" {
			if res.Data != nil {
				t.Errorf("404 gave %s, want a miss", res.Data)
			}
			continue
		}
		if want := fmt.Sprintf(`"name":"pet %s"`, id); !strings.Contains(string(res.Data), want) || !strings.Contains(string(res.Data), `"__typename":"Pet"`) {
			t.Errorf("representation %d: %s", i, res.Data)
		}
	}
}

func TestEntityCompoundKey(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/owners/ann/pets/rex" {
			t.Errorf("path %s", r.URL.Path)
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"1","owner":"ann","name":"rex"}`)
	}))
	defer srv.Close()
	s := newTestSource(t, &Config{Entities: []EntityConfig{{Type: "Pet", Key: "owner name", Operation: "getOwnedPet"}}}, srv.URL, nil)
	results, err := s.ResolveEntities(context.Background(), tributary.EntityBatch{Representations: []json.RawMessage{
		json.RawMessage(`{"__typename":"Pet","name":"rex","owner":"ann"}`),
	}})
	if err != nil || results[0].Err != nil || !strings.Contains(string(results[0].Data), `"id":"1"`) {
		t.Fatalf("got %+v, %v", results, err)
	}
}

func TestKeyText(t *testing.T) {
	tests := []struct {
		a, b  string
		equal bool
	}{
		{`"7"`, `7`, true},
		{`7`, `7.0`, true},
		{`7`, `7e0`, true},
		{`"07"`, `7`, false},
		{`12345678901234567890`, `12345678901234567891`, false},
		{`"a\u0062"`, `"ab"`, true},
		{`{"a":1, "b":2}`, `{"a":1,"b":2}`, true},
		{`1.5`, `"1.5"`, true},
		{`1.5`, `1.25`, false},
	}
	for _, tt := range tests {
		a, okA := keyText(json.RawMessage(tt.a))
		b, okB := keyText(json.RawMessage(tt.b))
		if !okA || !okB || (a == b) != tt.equal {
			t.Errorf("keyText(%s)=%q, keyText(%s)=%q; want equal=%v", tt.a, a, tt.b, b, tt.equal)
		}
	}
}
