package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/composition"
)

// The library subgraph answers users and their posts in-process: posts and
// comments take arguments, friends is a batch field without any, so all
// three reach the source through ResolveFieldBatch.
const librarySDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { user(id: ID!): User  users: [User!]! }
type User @key(fields: "id") {
  id: ID!
  name: String!
  posts(first: Int = 2, tag: String, filter: PostFilter): [Post!]!
  friends: [User!]!
}
input PostFilter { minLikes: Int  tags: [String!] }
type Post { id: ID!  title: String!  likes: Int!  comments(first: Int!): [Comment!]! }
type Comment { id: ID!  text: String! }
`

// The reviews subgraph returns authors as User references, so the library
// resolves them as entities and then their posts.
const reviewsSDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { reviews: [Review!]! }
type Review { id: ID!  body: String!  author: User! }
type User @key(fields: "id", resolvable: false) { id: ID! }
`

type libraryPost struct {
	ID    string   `json:"id"`
	Title string   `json:"title"`
	Likes int      `json:"likes"`
	Tags  []string `json:"__tags"` // the source's own key: never shown to clients
}

// library serves four users with five posts each and records every call.
type library struct {
	mu      sync.Mutex
	batches []tributary.FieldBatch
	roots   []tributary.FieldCall
	reps    [][]json.RawMessage
	// fail makes ResolveFieldBatch fail the post lists of this user id.
	fail string
}

func (l *library) user(id string) map[string]any {
	return map[string]any{"__typename": "User", "id": id, "name": "user " + id}
}

func (l *library) posts(user string) []libraryPost {
	var out []libraryPost
	for n := 1; n <= 5; n++ {
		tags := []string{"all"}
		if n%2 == 0 {
			tags = append(tags, "even")
		}
		out = append(out, libraryPost{ID: fmt.Sprintf("p%s-%d", user, n), Title: fmt.Sprintf("post %d of %s", n, user), Likes: n * 10, Tags: tags})
	}
	return out
}

func (l *library) ResolveField(_ context.Context, c tributary.FieldCall) (json.RawMessage, error) {
	l.mu.Lock()
	l.roots = append(l.roots, c)
	l.mu.Unlock()
	switch c.FieldName {
	case "user":
		var args struct{ ID string }
		if err := json.Unmarshal(c.Arguments, &args); err != nil {
			return nil, err
		}
		return json.Marshal(l.user(args.ID))
	case "users":
		return json.Marshal([]any{l.user("1"), l.user("2"), l.user("3"), l.user("4")})
	}
	return nil, fmt.Errorf("no root field %s", c.FieldName)
}

func (l *library) ResolveEntities(_ context.Context, b tributary.EntityBatch) ([]tributary.Result, error) {
	l.mu.Lock()
	l.reps = append(l.reps, b.Representations)
	l.mu.Unlock()
	out := make([]tributary.Result, len(b.Representations))
	for i, r := range b.Representations {
		var rep struct{ ID string }
		if err := json.Unmarshal(r, &rep); err != nil {
			return nil, err
		}
		out[i].Data, _ = json.Marshal(l.user(rep.ID))
	}
	return out, nil
}

func (l *library) ResolveFieldBatch(_ context.Context, b tributary.FieldBatch) ([]tributary.Result, error) {
	l.mu.Lock()
	l.batches = append(l.batches, b)
	l.mu.Unlock()
	var args struct {
		First  *int
		Tag    *string
		Filter *struct {
			MinLikes int
			Tags     []string
		}
	}
	if err := json.Unmarshal(b.Arguments, &args); err != nil {
		return nil, err
	}
	out := make([]tributary.Result, len(b.Parents))
	for i, raw := range b.Parents {
		var parent map[string]any
		if err := json.Unmarshal(raw, &parent); err != nil {
			return nil, err
		}
		var value any
		switch b.TypeName + "." + b.FieldName {
		case "User.posts":
			if parent["id"] == l.fail {
				out[i].Err = &tributary.Error{Message: "posts of user " + l.fail + " are unavailable"}
				continue
			}
			var posts []libraryPost
			for _, p := range l.posts(parent["id"].(string)) {
				if args.Tag != nil && !slices.Contains(p.Tags, *args.Tag) {
					continue
				}
				if args.Filter != nil && (p.Likes < args.Filter.MinLikes || len(args.Filter.Tags) > 0 && !slices.Contains(p.Tags, args.Filter.Tags[0])) {
					continue
				}
				posts = append(posts, p)
			}
			if args.First != nil && len(posts) > *args.First {
				posts = posts[:*args.First]
			}
			value = posts
		case "Post.comments":
			var comments []map[string]any
			for n := 1; n <= *args.First; n++ {
				comments = append(comments, map[string]any{"id": fmt.Sprintf("c%d-%s", n, parent["id"]), "text": "comment"})
			}
			value = comments
		case "User.friends":
			id := parent["id"].(string)
			next := string(rune('1' + (id[0]-'0')%4))
			value = []any{l.user(next)}
		default:
			return nil, fmt.Errorf("no batch field %s.%s", b.TypeName, b.FieldName)
		}
		out[i].Data, _ = json.Marshal(value)
	}
	return out, nil
}

// batchCalls lists the recorded batches as "Type.field args ×parents".
func (l *library) batchCalls() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, b := range l.batches {
		var args map[string]any
		_ = json.Unmarshal(b.Arguments, &args)
		keys, _ := json.Marshal(args) // sorted keys
		out = append(out, fmt.Sprintf("%s.%s %s ×%d", b.TypeName, b.FieldName, keys, len(b.Parents)))
	}
	slices.Sort(out)
	return out
}

// reviewsSource returns three reviews by users 1, 2 and 1.
type reviewsSource struct{ noFieldBatches }

func (reviewsSource) ResolveField(context.Context, tributary.FieldCall) (json.RawMessage, error) {
	return json.RawMessage(`[{"id":"r1","body":"good","author":{"__typename":"User","id":"1"}},
		{"id":"r2","body":"fine","author":{"__typename":"User","id":"2"}},
		{"id":"r3","body":"again","author":{"__typename":"User","id":"1"}}]`), nil
}

func (reviewsSource) ResolveEntities(context.Context, tributary.EntityBatch) ([]tributary.Result, error) {
	return nil, fmt.Errorf("reviews has no entities")
}

func newLibraryEngine(t testing.TB) (*Engine, *library) {
	t.Helper()
	res, err := composition.Compose([]composition.Subgraph{{Name: "library", SDL: librarySDL}, {Name: "reviews", SDL: reviewsSDL}})
	if err != nil {
		t.Fatal(err)
	}
	lib := &library{}
	e, err := New(context.Background(), Options{
		Supergraph: res.SDL,
		Subgraphs: map[string]*tributary.Subgraph{
			"library": {Name: "library", Source: lib, BatchFields: []string{"User.friends"}},
			"reviews": {Name: "reviews", Source: reviewsSource{}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return e, lib
}

func TestFieldsBelowTheRootGetTheirArguments(t *testing.T) {
	tests := []struct {
		name      string
		query     string
		variables string
		want      string
		calls     []string
	}{{
		name:  "aliases with different arguments are resolved separately",
		query: `{ user(id: "1") { a: posts(first: 1) { id } b: posts(first: 3) { id } } }`,
		want:  `{"data":{"user":{"a":[{"id":"p1-1"}],"b":[{"id":"p1-1"},{"id":"p1-2"},{"id":"p1-3"}]}}}`,
		calls: []string{`User.posts {"first":1} ×1`, `User.posts {"first":3} ×1`},
	}, {
		name:  "aliases with equal arguments are resolved once",
		query: `{ user(id: "2") { a: posts(first: 1) { id } b: posts(first: 1) { title } } }`,
		want:  `{"data":{"user":{"a":[{"id":"p2-1"}],"b":[{"title":"post 1 of 2"}]}}}`,
		calls: []string{`User.posts {"first":1} ×1`},
	}, {
		name:  "one call per level for a list of parents",
		query: `{ users { id posts(first: 2) { id comments(first: 1) { id } } } }`,
		want: `{"data":{"users":[` +
			`{"id":"1","posts":[{"id":"p1-1","comments":[{"id":"c1-p1-1"}]},{"id":"p1-2","comments":[{"id":"c1-p1-2"}]}]},` +
			`{"id":"2","posts":[{"id":"p2-1","comments":[{"id":"c1-p2-1"}]},{"id":"p2-2","comments":[{"id":"c1-p2-2"}]}]},` +
			`{"id":"3","posts":[{"id":"p3-1","comments":[{"id":"c1-p3-1"}]},{"id":"p3-2","comments":[{"id":"c1-p3-2"}]}]},` +
			`{"id":"4","posts":[{"id":"p4-1","comments":[{"id":"c1-p4-1"}]},{"id":"p4-2","comments":[{"id":"c1-p4-2"}]}]}]}}`,
		calls: []string{`Post.comments {"first":1} ×8`, `User.posts {"first":2} ×4`},
	}, {
		name:      "variables and schema defaults",
		query:     `query Q($tag: String) { user(id: "1") { posts(tag: $tag) { id } } }`,
		variables: `{"tag": "even"}`,
		want:      `{"data":{"user":{"posts":[{"id":"p1-2"},{"id":"p1-4"}]}}}`,
		calls:     []string{`User.posts {"first":2,"tag":"even"} ×1`},
	}, {
		name:      "input objects with variables inside",
		query:     `query Q($min: Int) { user(id: "3") { posts(first: 5, filter: {minLikes: $min, tags: ["even"]}) { id likes } } }`,
		variables: `{"min": 30}`,
		want:      `{"data":{"user":{"posts":[{"id":"p3-4","likes":40}]}}}`,
		calls:     []string{`User.posts {"filter":{"minLikes":30,"tags":["even"]},"first":5} ×1`},
	}, {
		name:  "named and inline fragments",
		query: `{ user(id: "4") { ...F } } fragment F on User { ... on User { posts(first: 1) { ... on Post { id } } } }`,
		want:  `{"data":{"user":{"posts":[{"id":"p4-1"}]}}}`,
		calls: []string{`User.posts {"first":1} ×1`},
	}, {
		name:      "skip and include",
		query:     `query Q($s: Boolean!) { user(id: "1") { a: posts(first: 1) @skip(if: $s) { id } b: posts(first: 2) @include(if: $s) { id } } }`,
		variables: `{"s": true}`,
		want:      `{"data":{"user":{"b":[{"id":"p1-1"},{"id":"p1-2"}]}}}`,
		calls:     []string{`User.posts {"first":2} ×1`},
	}, {
		name:  "entities from another subgraph, parents de-duplicated",
		query: `{ reviews { body author { name posts(first: 1) { title } } } }`,
		want: `{"data":{"reviews":[{"body":"good","author":{"name":"user 1","posts":[{"title":"post 1 of 1"}]}},` +
			`{"body":"fine","author":{"name":"user 2","posts":[{"title":"post 1 of 2"}]}},` +
			`{"body":"again","author":{"name":"user 1","posts":[{"title":"post 1 of 1"}]}}]}}`,
		calls: []string{`User.posts {"first":1} ×2`},
	}, {
		name:  "batch fields without arguments, level by level",
		query: `{ users { friends { name friends { id } } } }`,
		want: `{"data":{"users":[{"friends":[{"name":"user 2","friends":[{"id":"3"}]}]},{"friends":[{"name":"user 3","friends":[{"id":"4"}]}]},` +
			`{"friends":[{"name":"user 4","friends":[{"id":"1"}]}]},{"friends":[{"name":"user 1","friends":[{"id":"2"}]}]}]}}`,
		calls: []string{`User.friends {} ×4`, `User.friends {} ×4`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, lib := newLibraryEngine(t)
			resp := e.Execute(context.Background(), &tributary.Request{Query: tt.query, Variables: json.RawMessage(tt.variables)})
			if string(resp.Body) != tt.want {
				t.Fatalf("body\n got %s\nwant %s", resp.Body, tt.want)
			}
			if got := lib.batchCalls(); !reflect.DeepEqual(got, tt.calls) {
				t.Fatalf("batch calls\n got %q\nwant %q", got, tt.calls)
			}
		})
	}
}

func TestBatchFieldSeesParentsAsTheSourceReturnedThem(t *testing.T) {
	e, lib := newLibraryEngine(t)
	resp := e.Execute(context.Background(), &tributary.Request{Query: `{ user(id: "1") { posts(first: 1) { comments(first: 1) { text } } } }`})
	if strings.Contains(string(resp.Body), "__tags") || strings.Contains(string(resp.Body), "errors") {
		t.Fatalf("body %s", resp.Body)
	}
	for _, b := range lib.batches {
		if b.FieldName == "comments" && !strings.Contains(string(b.Parents[0]), `"__tags":["all"]`) {
			t.Fatalf("the parent lost the source's own keys: %s", b.Parents[0])
		}
		if b.FieldName == "posts" {
			if len(b.Selection) != 1 || b.Selection[0].Name != "comments" {
				t.Fatalf("posts selection %+v", b.Selection)
			}
		}
	}
	// The root call sees the batch field in its selection.
	if sel := lib.roots[0].Selection; len(sel) != 1 || sel[0].Name != "posts" {
		t.Fatalf("root selection %+v", sel)
	}
}

func TestBatchFieldErrorsHaveTheirPaths(t *testing.T) {
	e, lib := newLibraryEngine(t)
	lib.fail = "2"
	resp := e.Execute(context.Background(), &tributary.Request{Query: `{ users { id p: posts(first: 1) { id } } }`})
	body := string(resp.Body)
	if !strings.Contains(body, `"message":"posts of user 2 are unavailable","path":["users",1,"p"]`) {
		t.Fatalf("body %s", body)
	}
	// posts is non-null, so the error nulls the nearest nullable parent:
	// the users list item is non-null too, and so is the list, so data is null.
	if !strings.Contains(body, `"data":null`) {
		t.Fatalf("body %s", body)
	}
}

func TestSameRootFieldAndArgumentsResolvedOnce(t *testing.T) {
	e, lib := newLibraryEngine(t)
	resp := e.Execute(context.Background(), &tributary.Request{Query: `{ a: user(id: "1") { id } b: user(id: "1") { name } c: user(id: "2") { id } }`})
	want := `{"data":{"a":{"id":"1"},"b":{"name":"user 1"},"c":{"id":"2"}}}`
	if string(resp.Body) != want {
		t.Fatalf("body\n got %s\nwant %s", resp.Body, want)
	}
	if len(lib.roots) != 2 {
		t.Fatalf("%d root calls, want 2", len(lib.roots))
	}
}

func TestUnknownBatchFieldFailsAtStart(t *testing.T) {
	res, err := composition.Compose([]composition.Subgraph{{Name: "library", SDL: librarySDL}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(context.Background(), Options{Supergraph: res.SDL, Subgraphs: map[string]*tributary.Subgraph{
		"library": {Name: "library", Source: &library{}, BatchFields: []string{"User.enemies"}},
	}})
	if err == nil || !strings.Contains(err.Error(), `subgraph "library": batch field "User.enemies" is not a field`) {
		t.Fatalf("err = %v", err)
	}
}

// BenchmarkFieldBatches measures a query whose fields below the root are
// resolved by two levels of batch calls: one root call, one posts call for
// four users, one comments call for eight posts.
func BenchmarkFieldBatches(b *testing.B) {
	e, lib := newLibraryEngine(b)
	req := &tributary.Request{Query: `{ users { id posts(first: 2) { id comments(first: 1) { id } } } }`}
	b.ReportAllocs()
	for b.Loop() {
		if resp := e.Execute(context.Background(), req); resp.Outcome != tributary.Executed {
			b.Fatal(string(resp.Body))
		}
		lib.mu.Lock()
		lib.batches, lib.roots = lib.batches[:0], lib.roots[:0]
		lib.mu.Unlock()
	}
}
