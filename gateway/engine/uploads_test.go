package engine

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/tributary-gw/tributary"
)

// fileSource records the calls it gets and answers with their arguments.
type fileSource struct {
	noFieldBatches
	mu    sync.Mutex
	calls []tributary.FieldCall
}

func (s *fileSource) ResolveField(_ context.Context, c tributary.FieldCall) (json.RawMessage, error) {
	s.mu.Lock()
	s.calls = append(s.calls, c)
	s.mu.Unlock()
	return json.Marshal(map[string]any{"args": string(c.Arguments)})
}

func (s *fileSource) ResolveEntities(context.Context, tributary.EntityBatch) ([]tributary.Result, error) {
	return nil, nil
}

func newUploadEngine(t *testing.T) (*Engine, *fileSource) {
	t.Helper()
	sdl, err := os.ReadFile("testdata/uploads.graphql")
	if err != nil {
		t.Fatal(err)
	}
	src := &fileSource{}
	e, err := New(context.Background(), Options{Supergraph: string(sdl),
		Subgraphs: map[string]*tributary.Subgraph{"files": {Name: "files", Source: src}}})
	if err != nil {
		t.Fatal(err)
	}
	return e, src
}

// filesByName renders FieldCall.Files as "path=name" pairs, sorted.
func filesByName(files map[string]*tributary.File) string {
	var out []string
	for path, f := range files {
		out = append(out, path+"="+f.Name)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func TestUploadsReachTheArgumentsTheyFill(t *testing.T) {
	file := func(path string) *tributary.File { return &tributary.File{VariablePath: path, Name: "file-" + path} }
	tests := []struct {
		name      string
		query     string
		variables string
		files     []*tributary.File
		want      map[string]string // response key → files of its call
	}{
		{"direct variable",
			`mutation($f: Upload!) { upload(file: $f, note: "x") { args } }`, `{"f": null}`,
			[]*tributary.File{file("f")}, map[string]string{"upload": "file=file-f"}},
		{"variables inside an input literal",
			`mutation($f: Upload, $g: Upload, $h: Upload) { attach(input: {note: "n", file: $f, files: [$g, $h]}) { args } }`,
			`{"f": null, "g": null, "h": null}`,
			[]*tributary.File{file("f"), file("h")}, map[string]string{"attach": "input.file=file-f input.files.1=file-h"}},
		{"an input object variable",
			`mutation($in: AttachInput!) { attach(input: $in) { args } }`, `{"in": {"file": null, "files": [null, null]}}`,
			[]*tributary.File{file("in.file"), file("in.files.1")}, map[string]string{"attach": "input.file=file-in.file input.files.1=file-in.files.1"}},
		{"a list variable",
			`mutation($fs: [Upload!]!) { many(files: $fs) { args } }`, `{"fs": [null, null]}`,
			[]*tributary.File{file("fs.0"), file("fs.1")}, map[string]string{"many": "files.0=file-fs.0 files.1=file-fs.1"}},
		{"two fields, one file each",
			`mutation($f: Upload!, $g: Upload!) { a: upload(file: $f) { args } b: upload(file: $g) { args } }`, `{"f": null, "g": null}`,
			[]*tributary.File{file("g"), file("f")}, map[string]string{"a": "file=file-f", "b": "file=file-g"}},
		{"one file in two fields",
			`mutation($f: Upload!) { a: upload(file: $f) { args } b: attach(input: {file: $f}) { args } }`, `{"f": null}`,
			[]*tributary.File{file("f")}, map[string]string{"a": "file=file-f", "b": "input.file=file-f"}},
		{"a file for an unused variable",
			`mutation($f: Upload!) { upload(file: $f) { args } }`, `{"f": null}`,
			[]*tributary.File{file("other")}, map[string]string{"upload": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, src := newUploadEngine(t)
			resp := e.Execute(context.Background(), &tributary.Request{Query: tt.query, Variables: json.RawMessage(tt.variables), Files: tt.files})
			if resp.Outcome != tributary.Executed || strings.Contains(string(resp.Body), `"errors"`) {
				t.Fatalf("outcome %v: %s", resp.Outcome, resp.Body)
			}
			if len(src.calls) != len(tt.want) {
				t.Fatalf("%d calls, want %d", len(src.calls), len(tt.want))
			}
			// Aliases do not reach a Source, so compare the calls' files as a set.
			var got, want []string
			for _, c := range src.calls {
				got = append(got, c.FieldName+": "+filesByName(c.Files))
			}
			for key, files := range tt.want {
				field := map[string]string{"a": "upload", "b": "upload"}[key]
				if field == "" {
					field = key
				}
				if key == "b" && strings.Contains(files, "input.") {
					field = "attach"
				}
				want = append(want, field+": "+files)
			}
			sort.Strings(got)
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("calls' files\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestLiteralArgumentsTakeEachRequestsValues(t *testing.T) {
	e, src := newUploadEngine(t)
	const q = `mutation($n: String, $f: Upload) { attach(input: {note: $n, file: $f}) { args } }`
	for _, note := range []string{"first", "second"} {
		resp := e.Execute(context.Background(), &tributary.Request{Query: q, Variables: json.RawMessage(`{"n": "` + note + `", "f": null}`)})
		if resp.Outcome != tributary.Executed {
			t.Fatalf("%s", resp.Body)
		}
	}
	// Left out, $n's field is left out, as in a fresh preparation.
	e.Execute(context.Background(), &tributary.Request{Query: q, Variables: json.RawMessage(`{"f": null}`)})
	want := []string{`{"input":{"note":"first","file":null}}`, `{"input":{"note":"second","file":null}}`, `{"input":{"file":null}}`}
	if len(src.calls) != len(want) {
		t.Fatalf("%d calls", len(src.calls))
	}
	for i, w := range want {
		if got := string(src.calls[i].Arguments); got != w {
			t.Errorf("call %d: arguments %s, want %s", i, got, w)
		}
	}
}

func TestRemoteUploadsAreLinks(t *testing.T) {
	dir := t.TempDir()
	orig := filepath.Join(dir, "upload-1")
	if err := os.WriteFile(orig, []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	files, cleanup := remoteUploads([]upload{{path: "a.file", file: &tributary.File{Name: "x.txt", Path: orig}}})
	if len(files) != 1 || files[0].VariablePath() != "variables.a.file" || files[0].Name() != "x.txt" || files[0].Path() == orig {
		t.Fatalf("files %+v", files)
	}
	// The library removes what it sent; the transport's file must stay.
	if err := os.Remove(files[0].Path()); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(orig); err != nil || string(data) != "data" {
		t.Fatalf("original after the link was removed: %q, %v", data, err)
	}
	files, cleanup = remoteUploads([]upload{{path: "f", file: &tributary.File{Path: orig}}})
	cleanup()
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("after cleanup the directory holds %d entries, want only the original", len(entries))
	}
}
