package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/wundergraph/astjson"

	"github.com/tributary-gw/tributary/gateway/upstream"
	"github.com/tributary-gw/tributary/internal/jsonscan"
)

// A call to a remote subgraph that brings back no GraphQL response (the
// service is down, too slow, or answers with an HTTP error or something
// that is not GraphQL) would reach the client as graphql-go-tools'
// "Failed to fetch from Subgraph 'accounts'.", with no path and no code,
// and nothing would be logged. The library's LoaderHooks see such a
// failure but can neither change the error it renders nor tell where in
// the response the fetch was going.
//
// So failureTransport answers such a call itself, with a GraphQL error
// response at the fields the call was to fill: each root field the request
// asks for, or each representation of an _entities call, marked as in
// entity_paths.go so that the error lands on the objects the
// representation stands for. The resolver then treats the errors as the
// subgraph's own: it moves their paths to the client's, adds serviceName
// and nulls the fields. Each error carries what went wrong in a private
// extension, which finishErrors removes (takeFailures): it logs the details
// (logFailures), and shows them to clients only with
// errors.exposeSubgraphDetails. In-process Sources' timeouts and
// connection errors take the same way (sourceLoader.toFetchError).

// Codes of the errors a failed subgraph call puts at its fields, in
// extensions.code.
const (
	// CodeSubgraphUnavailable: the connection failed (refused, reset, DNS).
	CodeSubgraphUnavailable = "SUBGRAPH_UNAVAILABLE"
	// CodeSubgraphTimeout: no answer within the subgraph's timeout or the
	// request's deadline.
	CodeSubgraphTimeout = "SUBGRAPH_TIMEOUT"
	// CodeSubgraphHTTPError: a status other than 2xx with a body that is
	// not a GraphQL response; extensions.statusCode has the status.
	CodeSubgraphHTTPError = "SUBGRAPH_HTTP_ERROR"
	// CodeSubgraphInvalidResponse: a 2xx answer whose body is not a
	// GraphQL response (HTML, plain text, JSON without data or errors).
	CodeSubgraphInvalidResponse = "SUBGRAPH_INVALID_RESPONSE"
)

// failureExtension is the error extension that carries a subgraph failure
// from where it happened to takeFailures. The NUL keeps it apart from
// any extension a subgraph sends.
const failureExtension = "\x00subgraphFailure"

// maxFailureBody bounds the excerpt of a response body kept for the log.
const maxFailureBody = 512

// subgraphFailure is what went wrong with a call to a subgraph.
type subgraphFailure struct {
	Subgraph string `json:"subgraph"`
	Code     string `json:"code"`
	// Cause is the Go error or the status, after the request's method and
	// URL (without query) for remote subgraphs.
	Cause string `json:"cause"`
	// Status is the HTTP status of the answer; 0 when there was none.
	Status      int    `json:"status,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	// Body is the start of the answer's body, as valid UTF-8; BodyBytes is
	// the whole body's length.
	Body      string `json:"body,omitempty"`
	BodyBytes int    `json:"bodyBytes,omitempty"`
}

// message is what clients see: the failure's kind and the subgraph, and
// with details its cause and the start of the body.
func (f *subgraphFailure) message(details bool) string {
	var msg string
	switch f.Code {
	case CodeSubgraphUnavailable:
		msg = fmt.Sprintf("subgraph %q is unavailable", f.Subgraph)
	case CodeSubgraphTimeout:
		msg = fmt.Sprintf("subgraph %q did not answer in time", f.Subgraph)
	case CodeSubgraphHTTPError:
		msg = fmt.Sprintf("subgraph %q answered with HTTP status %d", f.Subgraph, f.Status)
		if text := http.StatusText(f.Status); text != "" {
			msg += " (" + text + ")"
		}
	default:
		msg = fmt.Sprintf("subgraph %q answered with something other than a GraphQL response", f.Subgraph)
	}
	if !details {
		return msg
	}
	msg += ": " + f.Cause
	if f.Body != "" {
		msg += "; body: " + f.Body
	}
	return msg
}

// setBody keeps the start of body, cut at a character boundary.
func (f *subgraphFailure) setBody(body []byte) {
	f.BodyBytes = len(body)
	if len(body) > maxFailureBody {
		cut := maxFailureBody
		for cut > 0 && !utf8.RuneStart(body[cut]) {
			cut--
		}
		body = body[:cut]
	}
	f.Body = strings.ToValidUTF8(string(body), "\uFFFD")
}

// failureTransport turns the failures of a remote subgraph's calls into
// GraphQL error responses (see above). It expects the transport below to
// have read each body whole (upstream.GraphQLErrors does), so that a
// deadline or a reset while reading is a call error here, and the body is
// looked at without a copy.
type failureTransport struct {
	subgraph string
	next     http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t failureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	var body []byte
	if err == nil {
		body, err = readWhole(resp)
	}
	if err != nil {
		code, failed := callErrorCode(req.Context(), err)
		if !failed {
			return nil, err
		}
		f := &subgraphFailure{Subgraph: t.subgraph, Code: code, Cause: requestLine(req) + ": " + err.Error()}
		status := http.StatusBadGateway
		if code == CodeSubgraphTimeout {
			status = http.StatusGatewayTimeout
		}
		return t.answer(req, f, status), nil
	}
	reason := ""
	if !upstream.IsRedirect(resp) {
		checked, _ := resp.Body.(interface{ ValidJSON() bool })
		reason = notGraphQLResponse(body, checked != nil && checked.ValidJSON())
	}
	if reason == "" {
		return resp, nil
	}
	f := &subgraphFailure{Subgraph: t.subgraph, Code: CodeSubgraphInvalidResponse, Status: resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type")}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		f.Code = CodeSubgraphHTTPError
	}
	f.Cause = fmt.Sprintf("%s: HTTP %d, Content-Type %q, %s", requestLine(req), resp.StatusCode, f.ContentType, reason)
	f.setBody(body)
	return t.answer(req, f, resp.StatusCode), nil
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the pool.
func (t failureTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// answer is the GraphQL response that reports f at the fields req was to
// fill, with the given HTTP status (the resolver copies it into
// extensions.statusCode, which takeFailures corrects).
func (t failureTransport) answer(req *http.Request, f *subgraphFailure, status int) *http.Response {
	var errs []fetchError
	newError := func(path []any) fetchError {
		return fetchError{Message: f.message(false), Path: path,
			Extensions: map[string]any{"code": f.Code, failureExtension: f}}
	}
	if reps := requestRepresentations(req); len(reps) > 0 {
		for i, rep := range reps {
			errs = append(errs, newError([]any{"_entities", i, entityMarker + string(rep.MarshalTo(nil))}))
		}
	} else {
		for _, field := range upstream.RootFields(req) {
			if field != "__typename" {
				errs = append(errs, newError([]any{field}))
			}
		}
	}
	if len(errs) == 0 {
		errs = append(errs, newError(nil))
	}
	body, _ := json.Marshal(fetchResponse{Errors: errs})
	return upstream.JSONResponse(req, status, body)
}

// readWhole returns the whole body of resp and leaves resp.Body to be read
// from the start. A body that upstream.GraphQLErrors read has it at hand.
func readWhole(resp *http.Response) ([]byte, error) {
	if whole, ok := resp.Body.(interface{ Bytes() []byte }); ok && resp.Header.Get("Content-Encoding") == "" {
		return whole.Bytes(), nil
	}
	var body []byte
	var err error
	if resp.Header.Get("Content-Encoding") != "" {
		body, err = readBody(resp)
	} else {
		body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
	return body, err
}

// requestRepresentations returns the representations of an _entities
// call, or nil for any other request.
func requestRepresentations(req *http.Request) []*astjson.Value {
	body := requestBody(req)
	if !bytes.Contains(body, representationsKey) {
		return nil
	}
	v, err := astjson.ParseBytes(body)
	if err != nil {
		return nil
	}
	return v.GetArray("variables", "representations")
}

// requestLine names a request for the log: its method and its URL without
// user information or query, which may hold credentials.
func requestLine(req *http.Request) string {
	u := url.URL{Scheme: req.URL.Scheme, Host: req.URL.Host, Path: req.URL.Path}
	return req.Method + " " + u.String()
}

// callErrorCode classifies the error of a call to a remote subgraph: a
// timeout when the call ran out of time, its own or the request's;
// otherwise the service could not be reached or dropped the connection.
// failed is false when the client cancelled the request: no one waits for
// the answer, and the subgraph is not to blame.
func callErrorCode(ctx context.Context, err error) (code string, failed bool) {
	var netErr net.Error
	deadline, hasDeadline := ctx.Deadline()
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout(),
		hasDeadline && !time.Now().Before(deadline):
		return CodeSubgraphTimeout, true
	case errors.Is(err, context.Canceled), ctx.Err() != nil:
		return "", false
	}
	return CodeSubgraphUnavailable, true
}

// sourceErrorCode classifies an error an in-process Source returned, so
// that its timeouts and unreachable services carry the codes of a remote
// subgraph's; other errors are the Source's own (ok false).
func sourceErrorCode(err error) (code string, ok bool) {
	var (
		netErr net.Error
		dnsErr *net.DNSError
		opErr  *net.OpError
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return CodeSubgraphTimeout, true
	case errors.As(err, &dnsErr), errors.As(err, &opErr),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET):
		return CodeSubgraphUnavailable, true
	}
	return "", false
}

// notGraphQLResponse says why body is not a GraphQL response, or returns
// "" when it is one: a JSON object with an object under data or at least
// one error under errors (what the resolver can use). The validity check
// runs at about 1 GB/s without allocating, a tenth of what parsing the body
// costs (BenchmarkNotGraphQLResponse); members are then told apart by their
// first byte, so a data object is not read again. validJSON says that the
// body was found to be valid JSON already (upstream.Retry checks 2xx
// answers), and skips the check.
func notGraphQLResponse(body []byte, validJSON bool) string {
	if len(bytes.TrimSpace(body)) == 0 {
		return "the body is empty"
	}
	if !validJSON && astjson.ValidateBytes(body) != nil {
		return "the body is not JSON"
	}
	i := jsonscan.SkipSpace(body, 0)
	if body[i] != '{' {
		return "the body is not a JSON object"
	}
	for i = jsonscan.SkipSpace(body, i+1); i < len(body) && body[i] == '"'; {
		keyEnd := jsonscan.StringEnd(body, i)
		key := body[i:keyEnd]
		at := jsonscan.SkipSpace(body, jsonscan.SkipSpace(body, keyEnd)+1) // past the colon
		switch {
		case body[at] == '{' && jsonscan.StringEquals(key, "data"):
			return ""
		case body[at] == '[' && body[jsonscan.SkipSpace(body, at+1)] != ']' && jsonscan.StringEquals(key, "errors"):
			return ""
		}
		i = jsonscan.SkipSpace(body, jsonscan.ValueEnd(body, at))
		if i < len(body) && body[i] == ',' {
			i = jsonscan.SkipSpace(body, i+1)
		}
	}
	return "the body has neither data nor errors"
}

// failureReport is one failure as the finished response holds it: the
// errors that carry it, in order.
type failureReport struct {
	failure subgraphFailure
	errors  []*astjson.Value
}

// takeFailures removes the failure extension from every error that carries
// one. It sets extensions.statusCode to the status the subgraph answered
// with (none when it did not answer) and, with exposeSubgraphDetails, puts
// the details in the message. It returns the failures, errors that carry
// the same one together.
func (e *Engine) takeFailures(errs []*astjson.Value) []*failureReport {
	var reports []*failureReport
	byFailure := map[string]*failureReport{}
	for _, er := range errs {
		ext := er.GetObject("extensions")
		if ext == nil {
			continue
		}
		raw := ext.Get(failureExtension)
		if raw == nil {
			continue
		}
		ext.Del(failureExtension)
		key := raw.MarshalTo(nil)
		var f subgraphFailure
		if json.Unmarshal(key, &f) != nil {
			continue
		}
		if f.Status > 0 {
			ext.Set(nil, "statusCode", astjson.IntValue(nil, f.Status))
		} else {
			ext.Del("statusCode")
		}
		if e.opts.Errors.ExposeSubgraphDetails {
			er.Set(nil, "message", astjson.StringValue(nil, f.message(true)))
		}
		r := byFailure[string(key)]
		if r == nil {
			r = &failureReport{failure: f}
			byFailure[string(key)] = r
			reports = append(reports, r)
		}
		r.errors = append(r.errors, er)
	}
	return reports
}

// logFailures writes one record per failure, with the response paths of
// its errors and, when they were masked, their errorIds.
func (e *Engine) logFailures(ctx context.Context, reports []*failureReport) {
	for _, r := range reports {
		f := &r.failure
		paths := astjson.ArrayValue(nil)
		var ids []string
		n := 0
		for _, er := range r.errors {
			if p := er.Get("path"); p != nil {
				paths.SetArrayItem(nil, n, p)
				n++
			}
			if id := er.GetStringBytes("extensions", "errorId"); id != nil {
				ids = append(ids, string(id))
			}
		}
		attrs := []slog.Attr{
			slog.String("subgraph", f.Subgraph),
			slog.String("code", f.Code),
			slog.String("cause", f.Cause),
			slog.String("paths", string(paths.MarshalTo(nil))),
		}
		if f.Status > 0 {
			attrs = append(attrs, slog.Int("status", f.Status))
		}
		if f.ContentType != "" {
			attrs = append(attrs, slog.String("contentType", f.ContentType))
		}
		if f.BodyBytes > 0 {
			attrs = append(attrs, slog.String("body", f.Body), slog.Int("bodyBytes", f.BodyBytes))
		}
		if len(ids) > 0 {
			attrs = append(attrs, slog.Any("errorIds", ids))
		}
		e.opts.Logger.LogAttrs(ctx, slog.LevelError, "subgraph request failed", attrs...)
	}
}
