package integration

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/tributary-gw/tributary/gateway/httpserver"
	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// receivedUpload is what the REST service got in one multipart request.
type receivedUpload struct {
	title, filename, contentType string
	content                      []byte
}

// documentsService is a REST service taking multipart uploads, as
// integration/testdata/uploads.yaml describes it.
type documentsService struct {
	mu       sync.Mutex
	received []receivedUpload
}

func (s *documentsService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/documents" {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		http.Error(w, "want multipart/form-data: "+err.Error(), http.StatusUnsupportedMediaType)
		return
	}
	var got receivedUpload
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		data, _ := io.ReadAll(part)
		switch part.FormName() {
		case "title":
			got.title = string(data)
		case "file":
			got.filename, got.contentType, got.content = part.FileName(), part.Header.Get("Content-Type"), data
		}
	}
	s.mu.Lock()
	s.received = append(s.received, got)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{"id": "d1", "title": got.title, "filename": got.filename,
		"contentType": got.contentType, "size": len(got.content)})
}

// multipartRequest builds a GraphQL multipart request with one file.
func multipartRequest(t *testing.T, endpoint, operations, fileMap, filename, contentType string, content []byte) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("operations", operations)
	_ = mw.WriteField("map", fileMap)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="0"; filename="`+filename+`"`)
	h.Set("Content-Type", contentType)
	part, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = part.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, endpoint, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/graphql-response+json")
	req.Header.Set("Apollo-Require-Preflight", "true")
	return req
}

// A client uploads a file with the GraphQL multipart request spec; the
// OpenAPI subgraph sends it to the REST service as a multipart/form-data
// part with its bytes, name and type, next to the text field.
func TestUploadReachesTheRESTService(t *testing.T) {
	docs := &documentsService{}
	rest := httptest.NewServer(docs)
	t.Cleanup(rest.Close)
	spec, err := os.ReadFile("testdata/uploads.yaml")
	if err != nil {
		t.Fatal(err)
	}
	gw, _ := startGateway(t, "subgraphs:\n  - name: documents\n    openapi:\n      spec: uploads.yaml\n      baseURL: "+rest.URL+"\n",
		map[string]string{"uploads.yaml": string(spec)})
	uploadDir := t.TempDir()
	srv := httptest.NewServer(httpserver.NewHandler(httpserver.Options{Executor: gw, UploadDir: uploadDir, MaxBodyBytes: 4 << 20}))
	t.Cleanup(srv.Close)
	endpoint := srv.URL + "/graphql"

	content := bytes.Repeat([]byte("\x00\x01binary\xff\r\n--"), 20_000) // 260 kB, with bytes that look like boundaries
	tests := []struct {
		name, operations, fileMap string
	}{
		{"variable inside an input literal",
			`{"query":"mutation($f: Upload!, $t: String) { uploadDocument(input: {title: $t, file: $f}) { id title filename contentType size } }","variables":{"f":null,"t":"Q3 report"}}`,
			`{"0": ["variables.f"]}`},
		{"input object variable",
			`{"query":"mutation($in: UploadDocumentInput!) { uploadDocument(input: $in) { id title filename contentType size } }","variables":{"in":{"title":"Q3 report","file":null}}}`,
			`{"0": ["variables.in.file"]}`},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, multipartRequest(t, endpoint, tt.operations, tt.fileMap, "report q3.pdf", "application/pdf", content))
			if r.Status != 200 || len(r.Errors) > 0 {
				t.Fatalf("status %d: %s", r.Status, r.raw)
			}
			gatewaytest.AssertJSON(t, r.Data, `{"uploadDocument":{"id":"d1","title":"Q3 report","filename":"report q3.pdf","contentType":"application/pdf","size":`+strconv.Itoa(len(content))+`}}`)
			docs.mu.Lock()
			defer docs.mu.Unlock()
			if len(docs.received) != i+1 {
				t.Fatalf("the REST service got %d uploads, want %d", len(docs.received), i+1)
			}
			got := docs.received[i]
			if !bytes.Equal(got.content, content) || got.filename != "report q3.pdf" || got.contentType != "application/pdf" || got.title != "Q3 report" {
				t.Errorf("the REST service got title %q, file %q (%s, %d bytes, equal %v)",
					got.title, got.filename, got.contentType, len(got.content), bytes.Equal(got.content, content))
			}
		})
	}
	if entries, _ := os.ReadDir(uploadDir); len(entries) != 0 {
		t.Errorf("%d temporary upload files left after the requests", len(entries))
	}
}

// Uploads without the CSRF header, and over the body limit, are refused
// before they reach a subgraph, and leave nothing on disk.
func TestUploadRejectionsLeaveNothingBehind(t *testing.T) {
	docs := &documentsService{}
	rest := httptest.NewServer(docs)
	t.Cleanup(rest.Close)
	spec, _ := os.ReadFile("testdata/uploads.yaml")
	gw, _ := startGateway(t, "subgraphs:\n  - name: documents\n    openapi:\n      spec: uploads.yaml\n      baseURL: "+rest.URL+"\n",
		map[string]string{"uploads.yaml": string(spec)})
	uploadDir := t.TempDir()
	srv := httptest.NewServer(httpserver.NewHandler(httpserver.Options{Executor: gw, UploadDir: uploadDir, MaxBodyBytes: 64 << 10}))
	t.Cleanup(srv.Close)
	const ops = `{"query":"mutation($f: Upload!) { uploadDocument(input: {file: $f}) { id } }","variables":{"f":null}}`

	noCSRF := multipartRequest(t, srv.URL+"/graphql", ops, `{"0": ["variables.f"]}`, "a.txt", "text/plain", []byte("hi"))
	noCSRF.Header.Del("Apollo-Require-Preflight")
	if r := do(t, noCSRF); r.Status != 400 || !strings.Contains(string(r.raw), "Apollo-Require-Preflight") {
		t.Errorf("without the CSRF header: status %d: %s", r.Status, r.raw)
	}
	big := multipartRequest(t, srv.URL+"/graphql", ops, `{"0": ["variables.f"]}`, "a.bin", "application/octet-stream", make([]byte, 100<<10))
	if r := do(t, big); r.Status != 413 {
		t.Errorf("over the body limit: status %d: %s", r.Status, r.raw)
	}
	if len(docs.received) != 0 {
		t.Errorf("the REST service got %d uploads from rejected requests", len(docs.received))
	}
	if entries, _ := os.ReadDir(uploadDir); len(entries) != 0 {
		t.Errorf("%d temporary upload files left behind", len(entries))
	}
}
