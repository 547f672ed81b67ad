package httpserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	tributary "github.com/tributary-gw/tributary"
)

// GraphQL multipart request spec
// (github.com/jaydenseric/graphql-multipart-request-spec): a
// multipart/form-data POST whose "operations" part is the JSON request,
// whose "map" part says which file part goes where in the variables, and
// whose file parts follow.

const mediaMultipartForm = "multipart/form-data"

// preflightHeaders are the request headers of which one, non-empty, must
// come with a multipart request. Browsers send multipart/form-data across
// origins without a CORS preflight, so a page on another site could
// otherwise post a mutation with the user's cookies (CSRF); a custom header
// forces the preflight. These are the headers Apollo Server accepts.
var preflightHeaders = []string{"Apollo-Require-Preflight", "X-Apollo-Operation-Name", "GraphQL-Require-Preflight"}

// isMultipart reports whether a Content-Type header is multipart/form-data.
func isMultipart(contentType string) bool {
	typ, _, _ := strings.Cut(contentType, ";")
	return strings.EqualFold(strings.TrimSpace(typ), mediaMultipartForm)
}

// serveMultipart serves a GraphQL multipart request. The files live in
// temporary files for as long as the request runs.
func (h *graphQLHandler) serveMultipart(w http.ResponseWriter, r *http.Request, respType responseType, deadline time.Time) {
	if !hasPreflightHeader(r.Header) {
		writeError(w, respType, http.StatusBadRequest, CodeBadRequest,
			"a multipart (file upload) request must carry a non-empty Apollo-Require-Preflight, X-Apollo-Operation-Name or GraphQL-Require-Preflight header; "+
				"it proves that the request did not come from a plain HTML form on another site (CSRF)")
		return
	}
	if r.ContentLength > h.maxBodyBytes {
		w.Header().Set("Connection", "close")
		writeError(w, respType, http.StatusRequestEntityTooLarge, CodePayloadTooLarge, h.tooLargeMessage())
		return
	}
	rc := http.NewResponseController(w)
	deadlineSet := rc.SetReadDeadline(deadline) == nil
	up := &multipartUpload{dir: h.uploadDir}
	defer up.removeFiles()
	req, err := up.read(r, http.MaxBytesReader(w, r.Body, h.maxBodyBytes))
	if err != nil {
		w.Header().Set("Connection", "close")
		var tooLarge *http.MaxBytesError
		var timeout interface{ Timeout() bool }
		switch {
		case errors.As(err, &tooLarge):
			writeError(w, respType, http.StatusRequestEntityTooLarge, CodePayloadTooLarge, h.tooLargeMessage())
		case errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &timeout) && timeout.Timeout():
			writeError(w, respType, http.StatusRequestTimeout, CodeRequestTimeout,
				fmt.Sprintf("the request body did not arrive within %s", h.timeout))
		default:
			writeError(w, respType, http.StatusBadRequest, CodeBadRequest, "multipart request: "+err.Error())
		}
		return
	}
	if deadlineSet {
		_ = rc.SetReadDeadline(time.Time{})
	}
	h.execute(w, r, respType, req, deadline)
}

func (h *graphQLHandler) tooLargeMessage() string {
	return fmt.Sprintf("the request body is larger than the %d-byte limit; send smaller files (or raise the gateway's body limit)", h.maxBodyBytes)
}

func hasPreflightHeader(header http.Header) bool {
	for _, name := range preflightHeaders {
		if strings.TrimSpace(header.Get(name)) != "" {
			return true
		}
	}
	return false
}

// multipartUpload reads one multipart request and owns its temporary files.
type multipartUpload struct {
	dir   string // where files are stored; "" is os.TempDir()
	temps []string
}

// removeFiles deletes the request's temporary files.
func (u *multipartUpload) removeFiles() {
	for _, path := range u.temps {
		_ = os.Remove(path)
	}
}

// read parses the parts in the order the spec fixes: operations, map, then
// the files.
func (u *multipartUpload) read(r *http.Request, body io.Reader) (*tributary.Request, error) {
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return nil, errors.New(`the Content-Type has no boundary; send "multipart/form-data; boundary=…" as HTTP clients do for form data`)
	}
	mr := multipart.NewReader(body, params["boundary"])

	operations, err := nextField(mr, "operations")
	if err != nil {
		return nil, err
	}
	if t := bytes.TrimSpace(operations); len(t) > 0 && t[0] == '[' {
		return nil, errors.New(`"operations" is a batch (a JSON array); this gateway takes one operation per request`)
	}
	req := &tributary.Request{}
	if err := decodeJSONBody(operations, req); err != nil {
		return nil, fmt.Errorf(`"operations": %w`, err)
	}
	mapJSON, err := nextField(mr, "map")
	if err != nil {
		return nil, err
	}
	fileMap, order, err := parseFileMap(mapJSON)
	if err != nil {
		return nil, err
	}
	if req.Variables, err = nullAtPaths(req.Variables, fileMap, order); err != nil {
		return nil, err
	}

	received := map[string]bool{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading the parts: %w", err)
		}
		key := part.FormName()
		paths, ok := fileMap[key]
		switch {
		case !ok:
			return nil, fmt.Errorf(`part %q is not in "map"; every file part needs a map entry`, key)
		case received[key]:
			return nil, fmt.Errorf("file part %q is sent twice", key)
		}
		received[key] = true
		path, size, err := u.store(part)
		if err != nil {
			return nil, err
		}
		for _, p := range paths {
			req.Files = append(req.Files, &tributary.File{
				VariablePath: strings.TrimPrefix(p, "variables."),
				Name:         part.FileName(),
				ContentType:  part.Header.Get("Content-Type"),
				Size:         size,
				Path:         path,
			})
		}
	}
	for _, key := range order {
		if !received[key] {
			return nil, fmt.Errorf(`"map" names file %q, but the request has no part called %q`, key, key)
		}
	}
	return req, nil
}

// store streams a file part into a temporary file.
func (u *multipartUpload) store(part *multipart.Part) (string, int64, error) {
	f, err := os.CreateTemp(u.dir, "tributary-upload-*")
	if err != nil {
		return "", 0, fmt.Errorf("cannot store the uploaded file: %w", err)
	}
	u.temps = append(u.temps, f.Name())
	size, copyErr := io.Copy(f, part)
	closeErr := f.Close()
	if copyErr != nil {
		return "", 0, fmt.Errorf("reading file part %q: %w", part.FormName(), copyErr)
	}
	if closeErr != nil {
		return "", 0, fmt.Errorf("cannot store the uploaded file: %w", closeErr)
	}
	return f.Name(), size, nil
}

// maxFieldBytes bounds one of the JSON parts in memory, on top of the body
// limit.
const maxFieldBytes = 16 << 20

// nextField reads the next part, which must be the field called name.
func nextField(mr *multipart.Reader, name string) ([]byte, error) {
	part, err := mr.NextPart()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("the request has no %q part; the spec's order is operations, map, then the files", name)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the %q part: %w", name, err)
	}
	if part.FormName() != name {
		return nil, fmt.Errorf("the part %q comes where %q must; the spec's order is operations, map, then the files", part.FormName(), name)
	}
	data, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the %q part: %w", name, err)
	}
	if len(data) > maxFieldBytes {
		return nil, fmt.Errorf("the %q part is larger than %d bytes", name, maxFieldBytes)
	}
	return data, nil
}

// parseFileMap reads the "map" part: {"0": ["variables.file"], …}. It
// returns the keys in a stable order.
func parseFileMap(data []byte) (map[string][]string, []string, error) {
	var m map[string][]string
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, nil, fmt.Errorf(`"map" must be a JSON object of arrays of paths, such as {"0": ["variables.file"]}: %w`, err)
	}
	order := make([]string, 0, len(m))
	for key, paths := range m {
		if key == "" {
			return nil, nil, errors.New(`"map" has an empty file key`)
		}
		if len(paths) == 0 {
			return nil, nil, fmt.Errorf(`"map" gives file %q no paths; list where it goes, such as ["variables.file"]`, key)
		}
		for _, p := range paths {
			if !strings.HasPrefix(p, "variables.") || len(p) == len("variables.") {
				return nil, nil, fmt.Errorf(`"map" puts file %q at %q; paths must start with "variables." (such as "variables.file")`, key, p)
			}
		}
		order = append(order, key)
	}
	slices.Sort(order)
	return m, order, nil
}

// nullAtPaths sets the variables to null at every mapped path. The last
// step of a path may be new; the ones before it must exist.
func nullAtPaths(variables json.RawMessage, fileMap map[string][]string, order []string) (json.RawMessage, error) {
	vars := map[string]any{}
	if len(variables) > 0 {
		dec := json.NewDecoder(bytes.NewReader(variables))
		dec.UseNumber()
		if err := dec.Decode(&vars); err != nil {
			return nil, fmt.Errorf(`"variables": %w`, err)
		}
		if vars == nil { // "variables": null
			vars = map[string]any{}
		}
	}
	for _, key := range order {
		for _, p := range fileMap[key] {
			if err := setNull(vars, strings.Split(strings.TrimPrefix(p, "variables."), ".")); err != nil {
				return nil, fmt.Errorf(`"map" puts file %q at %q: %w`, key, p, err)
			}
		}
	}
	return json.Marshal(vars)
}

// setNull sets the value at path to null; lists are indexed by number.
func setNull(root map[string]any, path []string) error {
	var cur any = root
	for i, step := range path {
		last := i == len(path)-1
		switch node := cur.(type) {
		case map[string]any:
			if last {
				node[step] = nil
				return nil
			}
			next, ok := node[step]
			if !ok {
				return fmt.Errorf("the variables have nothing at %q", strings.Join(path[:i+1], "."))
			}
			cur = next
		case []any:
			n, err := strconv.Atoi(step)
			if err != nil || n < 0 || n >= len(node) {
				return fmt.Errorf("%q is not an index of the list at %q (length %d)", step, strings.Join(path[:i], "."), len(node))
			}
			if last {
				node[n] = nil
				return nil
			}
			cur = node[n]
		default:
			return fmt.Errorf("the variables hold a value at %q that is neither an object nor a list", strings.Join(path[:i], "."))
		}
	}
	return nil
}
