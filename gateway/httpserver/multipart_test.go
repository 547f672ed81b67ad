package httpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"strings"
	"testing"

	tributary "github.com/tributary-gw/tributary"
)

// formPart is one part of a test multipart body; a filename makes it a
// file part.
type formPart struct {
	name, filename, contentType, content string
}

// postMultipart builds a multipart POST with the CSRF header set.
func postMultipart(t *testing.T, parts ...formPart) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		disposition := `form-data; name="` + p.name + `"`
		if p.filename != "" {
			disposition += `; filename="` + p.filename + `"`
		}
		h.Set("Content-Disposition", disposition)
		if p.contentType != "" {
			h.Set("Content-Type", p.contentType)
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(p.content))
	}
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, "/graphql", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("GraphQL-Require-Preflight", "1")
	return r
}

const uploadOps = `{"query":"mutation($file: Upload!, $in: In) { up(file: $file, in: $in) }","variables":{"file":null,"in":{"files":[null,null],"note":"n"}}}`

// recordingFiles answers like fakeExecutor and checks, while the request
// runs, that every file is on disk with its content.
func recordingFiles(t *testing.T, seen map[string]string) *fakeExecutor {
	return &fakeExecutor{respond: func(_ context.Context, req *tributary.Request) *tributary.Response {
		for _, f := range req.Files {
			data, err := os.ReadFile(f.Path)
			if err != nil {
				t.Errorf("file %s is not on disk during the request: %v", f.VariablePath, err)
			}
			if int64(len(data)) != f.Size {
				t.Errorf("file %s: Size %d, but %d bytes on disk", f.VariablePath, f.Size, len(data))
			}
			seen[f.VariablePath] = f.Name + "|" + f.ContentType + "|" + string(data)
		}
		return &tributary.Response{Body: []byte(`{"data":{"up":true}}`)}
	}}
}

func TestMultipartRequest(t *testing.T) {
	seen := map[string]string{}
	exec := recordingFiles(t, seen)
	dir := t.TempDir()
	h := newTestHandler(t, exec, func(o *Options) { o.UploadDir = dir })
	w := serve(h, postMultipart(t,
		formPart{name: "operations", content: uploadOps},
		formPart{name: "map", content: `{"0": ["variables.file"], "1": ["variables.in.files.0", "variables.in.files.1"]}`},
		formPart{name: "0", filename: "a.png", contentType: "image/png", content: "\x89PNG"},
		formPart{name: "1", filename: "b.txt", contentType: "text/plain", content: "hello"},
	))
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	req := exec.last(t)
	if req.Query == "" || !strings.Contains(req.Query, "mutation") {
		t.Errorf("query %q", req.Query)
	}
	var vars map[string]any
	if err := json.Unmarshal(req.Variables, &vars); err != nil {
		t.Fatal(err)
	}
	if in := vars["in"].(map[string]any); vars["file"] != nil || in["note"] != "n" || len(in["files"].([]any)) != 2 {
		t.Errorf("variables %s", req.Variables)
	}
	want := map[string]string{
		"file":       "a.png|image/png|\x89PNG",
		"in.files.0": "b.txt|text/plain|hello",
		"in.files.1": "b.txt|text/plain|hello",
	}
	if len(seen) != len(want) {
		t.Errorf("files %v, want %v", seen, want)
	}
	for path, w := range want {
		if seen[path] != w {
			t.Errorf("file at %s = %q, want %q", path, seen[path], w)
		}
	}
	for _, f := range req.Files {
		if !strings.HasPrefix(f.Path, dir) {
			t.Errorf("file stored at %s, not in UploadDir", f.Path)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d temporary files left after the request", len(entries))
	}
}

func TestMultipartVariablesAreNulledAtMappedPaths(t *testing.T) {
	exec := &fakeExecutor{}
	h := newTestHandler(t, exec, nil)
	w := serve(h, postMultipart(t,
		formPart{name: "operations", content: `{"query":"mutation($f: Upload) { a(f: $f) }","variables":{"f":"client sent text","list":[1,2]}}`},
		formPart{name: "map", content: `{"x": ["variables.f", "variables.list.1", "variables.g"]}`},
		formPart{name: "x", filename: "x", content: "x"},
	))
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if got := string(exec.last(t).Variables); got != `{"f":null,"g":null,"list":[1,null]}` {
		t.Errorf("variables %s", got)
	}
}

func TestMultipartRejections(t *testing.T) {
	ops := formPart{name: "operations", content: `{"query":"mutation($f: Upload) { a(f: $f) }","variables":{"f":null,"o":{"l":[]}}}`}
	okMap := formPart{name: "map", content: `{"0": ["variables.f"]}`}
	file := formPart{name: "0", filename: "f.txt", content: "data"}
	tests := []struct {
		name       string
		parts      []formPart
		noPreflite bool
		wantStatus int
		wantMsg    string
	}{
		{"no CSRF header", []formPart{ops, okMap, file}, true, 400, "Apollo-Require-Preflight"},
		{"batch", []formPart{{name: "operations", content: `[{"query":"{a}"}]`}, okMap, file}, false, 400, "a batch"},
		{"operations not JSON", []formPart{{name: "operations", content: `{`}, okMap, file}, false, 400, `"operations": the request body is not valid JSON`},
		{"map first", []formPart{okMap, ops, file}, false, 400, `the part "map" comes where "operations" must`},
		{"no map", []formPart{ops}, false, 400, `the request has no "map" part`},
		{"map not an object of arrays", []formPart{ops, {name: "map", content: `{"0": "variables.f"}`}, file}, false, 400, `"map" must be a JSON object of arrays`},
		{"path outside variables", []formPart{ops, {name: "map", content: `{"0": ["query"]}`}, file}, false, 400, `paths must start with "variables."`},
		{"path into nothing", []formPart{ops, {name: "map", content: `{"0": ["variables.x.y"]}`}, file}, false, 400, `the variables have nothing at "x"`},
		{"index out of range", []formPart{ops, {name: "map", content: `{"0": ["variables.o.l.0"]}`}, file}, false, 400, `"0" is not an index of the list at "o.l"`},
		{"empty paths", []formPart{ops, {name: "map", content: `{"0": []}`}, file}, false, 400, `gives file "0" no paths`},
		{"unknown file part", []formPart{ops, okMap, file, {name: "9", filename: "x", content: "x"}}, false, 400, `part "9" is not in "map"`},
		{"file sent twice", []formPart{ops, okMap, file, file}, false, 400, `file part "0" is sent twice`},
		{"missing file", []formPart{ops, {name: "map", content: `{"0": ["variables.f"], "1": ["variables.f"]}`}, file}, false, 400, `"map" names file "1", but the request has no part called "1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exec := &fakeExecutor{}
			dir := t.TempDir()
			h := newTestHandler(t, exec, func(o *Options) { o.UploadDir = dir })
			r := postMultipart(t, tt.parts...)
			if tt.noPreflite {
				r.Header.Del("GraphQL-Require-Preflight")
			}
			w := serve(h, r)
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.wantStatus, w.Body)
			}
			if msg := errorMessage(t, w.Body.Bytes()); !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("message %q, want it to contain %q", msg, tt.wantMsg)
			}
			if exec.calls() != 0 {
				t.Errorf("the executor ran for a rejected request")
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("%d temporary files left behind", len(entries))
			}
		})
	}
}

func TestMultipartBodyLimit(t *testing.T) {
	exec := &fakeExecutor{}
	dir := t.TempDir()
	h := newTestHandler(t, exec, func(o *Options) { o.MaxBodyBytes = 4096; o.UploadDir = dir })
	big := strings.Repeat("x", 10_000)
	for _, known := range []bool{true, false} {
		req := postMultipart(t, formPart{name: "operations", content: `{"query":"mutation($f: Upload) { a(f: $f) }"}`},
			formPart{name: "map", content: `{"0": ["variables.f"]}`}, formPart{name: "0", filename: "big", content: big})
		if !known {
			req.ContentLength = -1 // streamed: the limit trips while reading
		}
		w := serve(h, req)
		if w.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("length known=%v: status %d, want 413: %s", known, w.Code, w.Body)
		}
	}
	if exec.calls() != 0 {
		t.Errorf("the executor ran for a too-large request")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d temporary files left behind", len(entries))
	}
}

// FuzzMultipart sends arbitrary "operations" and "map" parts: the handler
// answers 200 or 400, never panics, and leaves no file behind.
func FuzzMultipart(f *testing.F) {
	f.Add(uploadOps, `{"0": ["variables.file"], "1": ["variables.in.files.1"]}`)
	f.Add(`{"query":"{a}","variables":{"a":[[{"b":null}]]}}`, `{"0": ["variables.a.0.0.b", "variables.a.0"]}`)
	f.Add(`[]`, `{"0": ["variables."]}`)
	f.Add(`{"query":"{a}","variables":null}`, `{"0": ["variables.x"], "": ["variables.y"]}`)
	f.Fuzz(func(t *testing.T, operations, fileMap string) {
		dir := t.TempDir()
		h := newTestHandler(t, &fakeExecutor{}, func(o *Options) { o.UploadDir = dir })
		w := serve(h, postMultipart(t, formPart{name: "operations", content: operations}, formPart{name: "map", content: fileMap},
			formPart{name: "0", filename: "a", content: "a"}, formPart{name: "1", filename: "b", content: "b"}))
		if w.Code != 200 && w.Code != 400 {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Fatalf("%d files left behind", len(entries))
		}
	})
}
