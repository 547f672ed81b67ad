package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/composition"
)

const whoamiSDL = `type Query { me: Caller }
type Caller { subject: String!  greeting(lang: String = "en"): String! }
`

// whoami answers with the caller's subject. Each root call waits until
// `expect` calls are in (or a second passed), so that concurrent requests
// are in flight together and would share a fetch if the engine let them.
type whoami struct {
	expect  int
	mu      sync.Mutex
	arrived int
	all     chan struct{}
}

func (w *whoami) ResolveField(ctx context.Context, c tributary.FieldCall) (json.RawMessage, error) {
	w.mu.Lock()
	w.arrived++
	if w.arrived == w.expect {
		close(w.all)
	}
	w.mu.Unlock()
	select {
	case <-w.all:
	case <-time.After(time.Second):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if c.Caller == nil {
		return json.RawMessage(`{"subject":"anonymous"}`), nil
	}
	return json.Marshal(map[string]any{"subject": c.Caller.Subject, "__tenant": c.Caller.Claims["tenant"]})
}

func (w *whoami) ResolveEntities(context.Context, tributary.EntityBatch) ([]tributary.Result, error) {
	return nil, fmt.Errorf("no entities")
}

func (w *whoami) ResolveFieldBatch(_ context.Context, b tributary.FieldBatch) ([]tributary.Result, error) {
	out := make([]tributary.Result, len(b.Parents))
	for i, p := range b.Parents {
		var parent struct {
			Tenant string `json:"__tenant"`
		}
		_ = json.Unmarshal(p, &parent)
		if b.Caller == nil || b.Caller.Claims["tenant"] != parent.Tenant {
			return nil, fmt.Errorf("the batch call lost the caller: %+v", b.Caller)
		}
		out[i].Data, _ = json.Marshal("hello " + b.Caller.Subject + " of " + parent.Tenant)
	}
	return out, nil
}

func TestCallersNeverShareAFetch(t *testing.T) {
	res, err := composition.Compose([]composition.Subgraph{{Name: "who", SDL: whoamiSDL}})
	if err != nil {
		t.Fatal(err)
	}
	const pairs = 20
	for round := range pairs {
		w := &whoami{expect: 2, all: make(chan struct{})}
		e, err := New(context.Background(), Options{Supergraph: res.SDL, Subgraphs: map[string]*tributary.Subgraph{"who": {Name: "who", Source: w}}})
		if err != nil {
			t.Fatal(err)
		}
		callers := []*tributary.Identity{
			{Subject: "alice", Claims: map[string]any{"tenant": "a"}},
			{Subject: "bob", Claims: map[string]any{"tenant": "b"}},
		}
		bodies := make([]string, len(callers))
		var wg sync.WaitGroup
		for i, c := range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp := e.Execute(context.Background(), &tributary.Request{
					Query:  `{ me { subject greeting } }`,
					Header: map[string][]string{"X-Same": {"1"}},
					Caller: c,
				})
				bodies[i] = string(resp.Body)
			}()
		}
		wg.Wait()
		for i, c := range callers {
			want := fmt.Sprintf(`{"data":{"me":{"subject":"%s","greeting":"hello %s of %s"}}}`, c.Subject, c.Subject, c.Claims["tenant"])
			if bodies[i] != want {
				t.Fatalf("round %d, %s got\n%s\nwant\n%s", round, c.Subject, bodies[i], want)
			}
		}
	}
}

func TestIdentityHashTellsCallersApart(t *testing.T) {
	a := identityHash(&tributary.Identity{Subject: "u1", Claims: map[string]any{"scope": "read", "tenant": "x"}})
	b := identityHash(&tributary.Identity{Subject: "u1", Claims: map[string]any{"tenant": "x", "scope": "read"}})
	c := identityHash(&tributary.Identity{Subject: "u1", Claims: map[string]any{"tenant": "y", "scope": "read"}})
	d := identityHash(&tributary.Identity{Subject: "u2", Claims: map[string]any{"tenant": "x", "scope": "read"}})
	if a != b || a == c || a == d || c == d || a == 0 {
		t.Fatalf("hashes %x %x %x %x", a, b, c, d)
	}
}

func TestSourceOwnKeysNeverReachClients(t *testing.T) {
	res, err := composition.Compose([]composition.Subgraph{{Name: "who", SDL: whoamiSDL}})
	if err != nil {
		t.Fatal(err)
	}
	w := &whoami{expect: 1, all: make(chan struct{})}
	e, err := New(context.Background(), Options{Supergraph: res.SDL, Subgraphs: map[string]*tributary.Subgraph{"who": {Name: "who", Source: w}}})
	if err != nil {
		t.Fatal(err)
	}
	// A plain selection passes the source's value through as is: the
	// resolver still renders only the selected fields.
	resp := e.Execute(context.Background(), &tributary.Request{Query: `{ me { subject } }`,
		Caller: &tributary.Identity{Subject: "carol", Claims: map[string]any{"tenant": "c"}}})
	if want := `{"data":{"me":{"subject":"carol"}}}`; string(resp.Body) != want {
		t.Fatalf("body %s, want %s", resp.Body, want)
	}
}

// A remote GraphQL subgraph told to receive claims gets them as headers,
// each caller its own, and callers never share its fetch.
func TestRemoteSubgraphReceivesClaims(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user := r.Header.Get("X-User")
		mu.Lock()
		got = append(got, user)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"data":{"whoami":%q}}`, user)
	}))
	t.Cleanup(srv.Close)
	res, err := composition.Compose([]composition.Subgraph{{Name: "remote", URL: srv.URL, SDL: `type Query { whoami: String }`}})
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(context.Background(), Options{Supergraph: res.SDL, Subgraphs: map[string]*tributary.Subgraph{
		"remote": {Name: "remote", Remote: &tributary.RemoteGraphQL{URL: srv.URL, ClaimsToHeaders: map[string]string{"X-User": "sub"}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			subject := fmt.Sprintf("user-%d", i%4)
			resp := e.Execute(context.Background(), &tributary.Request{Query: `{ whoami }`, Caller: &tributary.Identity{Subject: subject}})
			if want := `{"data":{"whoami":"` + subject + `"}}`; string(resp.Body) != want {
				t.Errorf("%s got %s", subject, resp.Body)
			}
		}()
	}
	wg.Wait()
	resp := e.Execute(context.Background(), &tributary.Request{Query: `{ whoami }`})
	if want := `{"data":{"whoami":""}}`; string(resp.Body) != want {
		t.Errorf("anonymous got %s", resp.Body)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) < 5 { // at least one call per caller, and the anonymous one
		t.Errorf("the subgraph saw %q", got)
	}
}
