package lambda

import (
	"bytes"
	"encoding/base64"
	"mime"
	"net/http"
	"strings"
)

// responseRecorder is the in-memory http.ResponseWriter an invocation is
// served into. It supports nothing but the three methods: the HTTP
// handler's read deadlines, which need a connection, are skipped for it
// (Lambda's own deadline bounds the invocation).
type responseRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newResponseRecorder() *responseRecorder {
	return &responseRecorder{header: http.Header{}}
}

// Header implements http.ResponseWriter.
func (w *responseRecorder) Header() http.Header { return w.header }

// WriteHeader implements http.ResponseWriter; the first final status wins.
func (w *responseRecorder) WriteHeader(status int) {
	if w.status == 0 && status >= 200 {
		w.status = status
	}
}

// Write implements http.ResponseWriter.
func (w *responseRecorder) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}

// statusCode is the status written, 200 if the handler wrote none.
func (w *responseRecorder) statusCode() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// eventBody is the body as an event response carries it: text as is,
// anything else in base64, which every trigger decodes for the client.
func (w *responseRecorder) eventBody() (body string, isBase64 bool) {
	if w.body.Len() == 0 {
		return "", false
	}
	if isText(w.header.Get("Content-Type")) {
		return w.body.String(), false
	}
	return base64.StdEncoding.EncodeToString(w.body.Bytes()), true
}

// isText reports whether a media type is text that survives a JSON string:
// text/*, JSON (application/graphql-response+json included), XML,
// JavaScript.
func isText(contentType string) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return strings.HasPrefix(mediaType, "text/") || mediaType == "application/json" ||
		strings.HasSuffix(mediaType, "+json") || strings.HasSuffix(mediaType, "xml") ||
		mediaType == "application/javascript"
}
