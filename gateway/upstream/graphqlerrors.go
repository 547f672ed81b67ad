package upstream

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/tributary-gw/tributary"
)

// Error codes of the GraphQL errors GraphQLErrors answers with.
const (
	// CodeRedirect marks a redirect the subgraph's followRedirects refused.
	CodeRedirect = "UPSTREAM_REDIRECT"
	// CodeResponseTooLarge marks a body over the subgraph's maxResponseBytes.
	CodeResponseTooLarge = "UPSTREAM_RESPONSE_TOO_LARGE"
)

// GraphQLErrors wraps the transport of a client for a remote GraphQL
// subgraph (one from Client) so that a refused redirect or a response over
// maxResponseBytes reaches the engine as a GraphQL error response naming
// the cause, which the engine reports at the fetch's fields, rather than as
// a transport error it would report without a reason.
//
// It reads each response body whole (within the client's limit), and asks
// net/http to decode gzip, so that the limit bounds the decoded body. The
// body it leaves has a Bytes method that returns it all, for transports
// above that look at it.
func GraphQLErrors(next http.RoundTripper) http.RoundTripper {
	return graphQLErrors{next: next}
}

type graphQLErrors struct{ next http.RoundTripper }

// RoundTrip implements http.RoundTripper.
func (t graphQLErrors) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("Accept-Encoding") != "" {
		// net/http then asks for gzip itself and decodes it before the
		// limit counts; the engine reads the body as it comes. A shallow
		// copy with its own header map: nothing else is changed.
		r := *req
		r.Header = make(http.Header, len(req.Header))
		for k, v := range req.Header {
			if k != "Accept-Encoding" {
				r.Header[k] = v
			}
		}
		req = &r
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return answerWith(req, err)
	}
	if _, read := resp.Body.(wholeBody); read {
		return resp, nil // Retry read it
	}
	if err := readWhole(resp); err != nil {
		return answerWith(req, err)
	}
	return resp, nil
}

// wholeBody is a body read whole. Its Bytes method lets a transport above
// look at the body without copying it; reading it is not needed after.
type wholeBody struct {
	*bytes.Reader
	whole []byte
	// json is set when the whole body was found to be valid JSON.
	json bool
}

// Bytes returns the whole body, however much of it was read.
func (b wholeBody) Bytes() []byte { return b.whole }

// ValidJSON reports whether the body was found to be valid JSON (false
// when it was not checked), so that a transport above need not check again.
func (b wholeBody) ValidJSON() bool { return b.json }

// Close implements io.Closer.
func (wholeBody) Close() error { return nil }

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the pool.
func (t graphQLErrors) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// answerWith turns err into a GraphQL error response when it is one of the
// upstream policy errors, and returns it as is otherwise.
func answerWith(req *http.Request, err error) (*http.Response, error) {
	var (
		redirect *tributary.RedirectError
		tooLarge *tributary.ResponseTooLargeError
		code     string
	)
	switch {
	case errors.As(err, &redirect):
		code = CodeRedirect
	case errors.As(err, &tooLarge):
		code = CodeResponseTooLarge
	default:
		return nil, err
	}
	type gqlError struct {
		Message    string            `json:"message"`
		Path       []string          `json:"path,omitempty"`
		Extensions map[string]string `json:"extensions"`
	}
	var errs []gqlError
	for _, field := range RootFields(req) {
		errs = append(errs, gqlError{Message: err.Error(), Path: []string{field}, Extensions: map[string]string{"code": code}})
	}
	if len(errs) == 0 {
		errs = []gqlError{{Message: err.Error(), Extensions: map[string]string{"code": code}}}
	}
	body, _ := json.Marshal(map[string][]gqlError{"errors": errs})
	return JSONResponse(req, http.StatusBadGateway, body), nil
}

// JSONResponse is a response to req made up by a transport: status and a
// JSON body, as if the subgraph had sent them.
func JSONResponse(req *http.Request, status int, body []byte) *http.Response {
	return &http.Response{
		Status:        strconv.Itoa(status) + " " + http.StatusText(status),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}
}

// RootFields returns the response keys of the root fields the GraphQL
// request req asks for ("_entities" for an entity fetch), so that an
// error can name the fields it fails; the engine rewrites those paths to
// the client's. Nil when the body cannot be read again (req.GetBody is
// nil, as for a multipart upload).
func RootFields(req *http.Request) []string {
	if req.GetBody == nil {
		return nil
	}
	body, err := req.GetBody()
	if err != nil {
		return nil
	}
	defer body.Close()
	var gql struct {
		Query         string `json:"query"`
		OperationName string `json:"operationName"`
	}
	if json.NewDecoder(io.LimitReader(body, 8<<20)).Decode(&gql) != nil {
		return nil
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: gql.Query})
	if err != nil {
		return nil
	}
	var keys []string
	for _, op := range doc.Operations {
		if gql.OperationName != "" && op.Name != gql.OperationName {
			continue
		}
		for _, sel := range op.SelectionSet {
			if f, ok := sel.(*ast.Field); ok {
				keys = append(keys, cmp.Or(f.Alias, f.Name))
			}
		}
		break
	}
	return keys
}
