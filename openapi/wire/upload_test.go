package wire

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/openapi"
)

// tempFile writes content to a file in the test's temporary directory and
// describes it as an upload.
func tempFile(t *testing.T, name, contentType, content string) *tributary.File {
	t.Helper()
	path := filepath.Join(t.TempDir(), "upload")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return &tributary.File{Name: name, ContentType: contentType, Size: int64(len(content)), Path: path}
}

func TestUploadAsRawBody(t *testing.T) {
	content := strings.Repeat("GIF89a\x00\xff", 50_000) // 400 kB: several reads
	tests := []struct {
		mediaType string
		fileType  string
		wantType  string
	}{
		{"application/octet-stream", "image/gif", "application/octet-stream"},
		{"image/*", "image/gif", "image/gif"},
		{"image/*", "", "image/*"},
	}
	for _, tt := range tests {
		t.Run(tt.mediaType+" "+tt.fileType, func(t *testing.T) {
			files := map[string]*tributary.File{"input": tempFile(t, "a.gif", tt.fileType, content)}
			req, err := Request(WithFiles(t.Context(), files), "http://h", bodyOp(tt.mediaType, named("Upload"), nil), petTypes(), []byte(`{"input": null}`))
			if err != nil {
				t.Fatal(err)
			}
			body := readBody(t, req)
			if body != content {
				t.Errorf("body has %d bytes, want the file's %d", len(body), len(content))
			}
			if req.ContentLength != int64(len(content)) {
				t.Errorf("ContentLength = %d, want %d", req.ContentLength, len(content))
			}
			if got := req.Header.Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tt.wantType)
			}
		})
	}
}

func TestMultipartUploadStreamsWithExactLength(t *testing.T) {
	types := map[string]*openapi.Type{"SendInput": {Name: "SendInput", Kind: openapi.KindInputObject, Fields: []*openapi.Field{
		field("note", "note", named("String")), field("file", "the_file", named("Upload")),
	}}}
	content := bytes.Repeat([]byte{0, 1, 2, 0xfe}, 70_000)
	files := map[string]*tributary.File{"input.file": tempFile(t, "data.bin", "application/x-data", string(content))}
	req, err := Request(WithFiles(t.Context(), files), "http://h", bodyOp("multipart/form-data", named("SendInput"), nil), types,
		[]byte(`{"input": {"note": "hello", "file": null}}`))
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(t, req)
	if req.ContentLength != int64(len(body)) {
		t.Errorf("ContentLength = %d, but the body has %d bytes", req.ContentLength, len(body))
	}
	got := readParts(t, req.Header.Get("Content-Type"), body)
	want := []part{{"note", "", "", "hello"}, {"the_file", "data.bin", "application/x-data", string(content)}}
	if len(got) != len(want) {
		t.Fatalf("got %d parts, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("part %d: got %q %q %q (%d bytes), want %q %q %q (%d bytes)", i,
				got[i].name, got[i].filename, got[i].contentType, len(got[i].content),
				want[i].name, want[i].filename, want[i].contentType, len(want[i].content))
		}
	}
}

func TestUploadErrors(t *testing.T) {
	types := map[string]*openapi.Type{"SendInput": {Name: "SendInput", Kind: openapi.KindInputObject, Fields: []*openapi.Field{
		field("file", "file", named("Upload")),
	}}}
	op := bodyOp("multipart/form-data", named("SendInput"), nil)

	gone := tempFile(t, "x", "", "x")
	if err := os.Remove(gone.Path); err != nil {
		t.Fatal(err)
	}
	_, err := Request(WithFiles(t.Context(), map[string]*tributary.File{"input.file": gone}), "http://h", op, types, []byte(`{"input": {"file": null}}`))
	if err == nil || !strings.Contains(err.Error(), "the uploaded file is gone") {
		t.Errorf("a removed file: %v", err)
	}

	// No file for a null Upload: the part is left out, as for any null.
	req, err := Request(t.Context(), "http://h", op, types, []byte(`{"input": {"file": null}}`))
	if err != nil {
		t.Fatal(err)
	}
	if parts := readParts(t, req.Header.Get("Content-Type"), readBody(t, req)); len(parts) != 0 {
		t.Errorf("parts %+v, want none", parts)
	}

	// A required raw Upload body without a file is missing.
	raw := bodyOp("application/octet-stream", named("Upload"), nil)
	raw.Body.Required = true
	if _, err := Request(t.Context(), "http://h", raw, nil, []byte(`{"input": null}`)); err == nil || !strings.Contains(err.Error(), `argument "input" (the request body, application/octet-stream) is required`) {
		t.Errorf("a required upload without a file: %v", err)
	}
}

func TestFileChangingSizeFailsTheBody(t *testing.T) {
	f := tempFile(t, "x", "", "0123456789")
	req, err := Request(WithFiles(t.Context(), map[string]*tributary.File{"input": f}), "http://h", bodyOp("application/octet-stream", named("Upload"), nil), nil, []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.Path, []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(req.Body); err == nil || !strings.Contains(err.Error(), "changed size") {
		t.Errorf("reading a shrunk file: %v", err)
	}
	req.Body.Close()
}
