package httpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"time"

	tributary "github.com/tributary-gw/tributary"
)

// allowedMethods is the Allow header of the GraphQL route.
const allowedMethods = "GET, POST, OPTIONS"

// Error codes sent in extensions.code of the errors this package writes
// itself, before a request reaches the executor.
const (
	CodeBadRequest           = "BAD_REQUEST"
	CodeRequestTimeout       = "REQUEST_TIMEOUT"
	CodePayloadTooLarge      = "PAYLOAD_TOO_LARGE"
	CodeUnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
	CodeNotAcceptable        = "NOT_ACCEPTABLE"
	CodeMethodNotAllowed     = "METHOD_NOT_ALLOWED"
	CodeInternal             = "INTERNAL_SERVER_ERROR"
)

// graphQLHandler adapts GraphQL-over-HTTP GET and POST requests to a
// tributary.Executor.
type graphQLHandler struct {
	executor     tributary.Executor
	graphiQL     bool
	maxBodyBytes int64
	uploadDir    string
	timeout      time.Duration
	logger       *slog.Logger
}

func (h *graphQLHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// One deadline covers reading the body and executing.
	deadline := time.Now().Add(h.timeout)
	switch r.Method {
	case http.MethodPost:
		h.servePOST(w, r, deadline)
	case http.MethodGet:
		h.serveGET(w, r, deadline)
	case http.MethodOptions:
		w.Header().Set("Allow", allowedMethods)
		w.WriteHeader(http.StatusNoContent)
	default:
		respType := negotiateResponseType(r.Header.Values("Accept"))
		if respType == notAcceptable {
			respType = legacyJSON
		}
		w.Header().Set("Allow", allowedMethods)
		writeError(w, respType, http.StatusMethodNotAllowed, CodeMethodNotAllowed,
			fmt.Sprintf("method %s is not allowed on the GraphQL endpoint; use POST (or GET for queries)", r.Method))
	}
}

func (h *graphQLHandler) serveGET(w http.ResponseWriter, r *http.Request, deadline time.Time) {
	// The answer to a GET (page, JSON type, status) depends on Accept, and
	// GETs may be cached.
	w.Header().Add("Vary", "Accept")
	accept := r.Header.Values("Accept")
	values, err := url.ParseQuery(r.URL.RawQuery)
	if h.graphiQL && err == nil && !values.Has(paramQuery) && acceptsHTML(accept) {
		serveGraphiQL(w)
		return
	}
	respType := negotiateResponseType(accept)
	if respType == notAcceptable {
		writeNotAcceptable(w)
		return
	}
	if err != nil {
		writeError(w, respType, http.StatusBadRequest, CodeBadRequest,
			"the URL query is malformed: "+err.Error()+"; URL-encode the GraphQL request parameters")
		return
	}
	req := &tributary.Request{QueryOnly: true}
	if err := decodeQueryParams(values, req); err != nil {
		writeError(w, respType, http.StatusBadRequest, CodeBadRequest, err.Error())
		return
	}
	h.execute(w, r, respType, req, deadline)
}

func (h *graphQLHandler) servePOST(w http.ResponseWriter, r *http.Request, deadline time.Time) {
	respType := negotiateResponseType(r.Header.Values("Accept"))
	if respType == notAcceptable {
		writeNotAcceptable(w)
		return
	}
	if isMultipart(r.Header.Get("Content-Type")) {
		h.serveMultipart(w, r, respType, deadline)
		return
	}
	if ok, problem := jsonContentType(r.Header.Get("Content-Type")); !ok {
		writeError(w, respType, http.StatusUnsupportedMediaType, CodeUnsupportedMediaType, problem)
		return
	}
	body, err := h.readBody(w, r, deadline)
	if err != nil {
		// What is left of the body must not be read as the next request, and
		// is not worth reading: close the connection after answering.
		w.Header().Set("Connection", "close")
		var tooLarge *http.MaxBytesError
		var timeout interface{ Timeout() bool }
		switch {
		case errors.As(err, &tooLarge):
			writeError(w, respType, http.StatusRequestEntityTooLarge, CodePayloadTooLarge,
				fmt.Sprintf("the request body is larger than the %d-byte limit; send a smaller request (or raise the gateway's body limit)", h.maxBodyBytes))
		case errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &timeout) && timeout.Timeout():
			writeError(w, respType, http.StatusRequestTimeout, CodeRequestTimeout,
				fmt.Sprintf("the request body did not arrive within %s", h.timeout))
		default:
			writeError(w, respType, http.StatusBadRequest, CodeBadRequest, "could not read the request body: "+err.Error())
		}
		return
	}
	defer releaseBuffer(body)
	req := &tributary.Request{}
	if err := decodeJSONBody(*body, req); err != nil {
		writeError(w, respType, http.StatusBadRequest, CodeBadRequest, err.Error())
		return
	}
	h.execute(w, r, respType, req, deadline)
}

// bodyBuffers holds buffers for reading request bodies, so that steady
// traffic reads bodies without allocating.
var bodyBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}

// maxPooledBuffer keeps the odd huge body from pinning its memory in the pool.
const maxPooledBuffer = 64 << 10

func releaseBuffer(b *[]byte) {
	if cap(*b) > maxPooledBuffer {
		return
	}
	*b = (*b)[:0]
	bodyBuffers.Put(b)
}

// readBody reads the whole body into a pooled buffer, at most maxBodyBytes,
// and no later than deadline. A too-large body is reported as
// *http.MaxBytesError. The caller releases the buffer.
func (h *graphQLHandler) readBody(w http.ResponseWriter, r *http.Request, deadline time.Time) (*[]byte, error) {
	if r.ContentLength > h.maxBodyBytes {
		return nil, &http.MaxBytesError{Limit: h.maxBodyBytes}
	}
	// A deadline on the connection stops slow clients from holding a handler
	// forever; servers without deadline support (tests' recorders) skip it.
	// It is lifted once the body is in, and left in place on failure so that
	// the server gives up on the rest of the body too.
	rc := http.NewResponseController(w)
	deadlineSet := rc.SetReadDeadline(deadline) == nil
	buf := bodyBuffers.Get().(*[]byte)
	b := (*buf)[:0]
	if r.ContentLength > 0 {
		b = slices.Grow(b, int(r.ContentLength)+1) // +1 to see EOF without growing
	}
	var err error
	for {
		if len(b) == cap(b) {
			b = slices.Grow(b, len(b)) // double
		}
		// Read at most one byte past the limit: enough to know it was passed.
		room := min(int64(cap(b)), h.maxBodyBytes+1)
		var n int
		n, err = r.Body.Read(b[len(b):room])
		b = b[:len(b)+n]
		if int64(len(b)) > h.maxBodyBytes {
			err = &http.MaxBytesError{Limit: h.maxBodyBytes}
			break
		}
		if err != nil {
			break
		}
	}
	*buf = b
	if err != io.EOF {
		releaseBuffer(buf)
		return nil, err
	}
	if deadlineSet {
		_ = rc.SetReadDeadline(time.Time{})
	}
	return buf, nil
}

// execute runs req until deadline and writes the executor's
// response with the status its outcome and the response type call for.
func (h *graphQLHandler) execute(w http.ResponseWriter, r *http.Request, respType responseType, req *tributary.Request, deadline time.Time) {
	req.Header = r.Header.Clone()
	ctx, cancel := context.WithDeadline(r.Context(), deadline)
	defer cancel()
	resp, ok := h.callExecutor(ctx, req)
	if !ok {
		writeError(w, respType, http.StatusInternalServerError, CodeInternal,
			"the gateway failed while executing the request; the error has been logged")
		return
	}
	if resp == nil {
		h.logger.Error("httpserver: the executor returned a nil response", "operation", req.OperationName)
		writeError(w, respType, http.StatusInternalServerError, CodeInternal,
			"the gateway produced no response; the error has been logged")
		return
	}
	if resp.Outcome == tributary.MethodNotAllowed {
		w.Header().Set("Allow", http.MethodPost)
	}
	writeBody(w, respType, statusFor(respType, resp.Outcome), resp.Body)
}

// callExecutor runs the executor, turning a panic into ok=false after
// logging it, so that one bad request cannot take the server down.
func (h *graphQLHandler) callExecutor(ctx context.Context, req *tributary.Request) (resp *tributary.Response, ok bool) {
	defer func() {
		if v := recover(); v != nil {
			h.logger.Error("httpserver: the executor panicked; answered 500",
				"panic", fmt.Sprint(v), "operation", req.OperationName, "stack", string(debug.Stack()))
			resp, ok = nil, false
		}
	}()
	return h.executor.Execute(ctx, req), true
}

// statusFor maps an outcome to a status code. With
// application/graphql-response+json the status says what happened; with
// legacy application/json every GraphQL response is 200, except that the
// spec demands 405 for a mutation over GET whatever the media type.
func statusFor(respType responseType, outcome tributary.Outcome) int {
	if outcome == tributary.MethodNotAllowed {
		return http.StatusMethodNotAllowed
	}
	if respType == legacyJSON {
		return http.StatusOK
	}
	switch outcome {
	case tributary.Executed:
		return http.StatusOK
	case tributary.RequestInvalid:
		return http.StatusBadRequest
	default:
		return http.StatusInternalServerError
	}
}

func writeBody(w http.ResponseWriter, respType responseType, status int, body []byte) {
	h := w.Header()
	h["Content-Type"] = respType.contentType()
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	// A failed write means the client has gone; there is no one to tell.
	_, _ = w.Write(body)
}

// errorBody is a GraphQL response holding one request error.
type errorBody struct {
	Errors [1]errorEntry `json:"errors"`
}

type errorEntry struct {
	Message    string          `json:"message"`
	Extensions errorExtensions `json:"extensions"`
}

type errorExtensions struct {
	Code string `json:"code"`
}

// writeError writes a GraphQL-shaped error: {"errors":[{"message":…}]}.
func writeError(w http.ResponseWriter, respType responseType, status int, code, message string) {
	body, err := json.Marshal(errorBody{Errors: [1]errorEntry{{Message: message, Extensions: errorExtensions{Code: code}}}})
	if err != nil { // cannot happen: the value holds only strings
		body = []byte(`{"errors":[{"message":"internal error"}]}`)
	}
	writeBody(w, respType, status, body)
}

// writeNotAcceptable answers 406. No acceptable type exists, so the body uses
// application/json, the type every GraphQL client understands.
func writeNotAcceptable(w http.ResponseWriter) {
	writeError(w, legacyJSON, http.StatusNotAcceptable, CodeNotAcceptable,
		`none of the media types in the Accept header can be served; accept "application/graphql-response+json" or "application/json"`)
}
