package openapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tributary-gw/tributary"
	oas "github.com/tributary-gw/tributary/openapi"
	"github.com/tributary-gw/tributary/openapi/wire"
)

// Error codes in the extensions of errors a client sees.
const (
	codeHTTPError       = "UPSTREAM_HTTP_ERROR"
	codeUnreachable     = "UPSTREAM_UNREACHABLE"
	codeTooLarge        = "UPSTREAM_RESPONSE_TOO_LARGE"
	codeInvalidResponse = "UPSTREAM_INVALID_RESPONSE"
	codeInvalidRequest  = "UPSTREAM_REQUEST_INVALID"
	codeURLTooLong      = "UPSTREAM_URL_TOO_LONG"
	codeRedirect        = "UPSTREAM_REDIRECT"
	codeAuthFailed      = "UPSTREAM_AUTH_FAILED"
	codeInternal        = "INTERNAL_SERVER_ERROR"
)

// maxErrorBodyBytes bounds the upstream body quoted in an error.
const maxErrorBodyBytes = 4 << 10

// source resolves the fields and entities of one OpenAPI subgraph.
type source struct {
	// name is the subgraph's name, the prefix of every error message.
	name    string
	baseURL string
	types   map[string]*oas.Type
	// fields maps "Type.field" to the operation behind the root field.
	fields map[string]*oas.Operation
	// entities maps an entity type name to how it is fetched.
	entities map[string]*entityResolver
	wire     wireMapping
	client   *httpClient
	// header is sent with every request; forward lists the client headers
	// copied upstream, in canonical form, each with its upstream name.
	header  http.Header
	forward []forwardedHeader
	// claims are the caller's claims sent as headers: canonical header
	// name → claim name.
	claims map[string]string
	// links indexes the targets of link fields (links.go).
	links linkIndex
	// maxURLBytes bounds a request's URL (maxURLBytes).
	maxURLBytes int
}

// close releases the idle connections to the service at shutdown; requests
// have ended by then (tributary.Subgraph.Close).
func (s *source) close(context.Context) error {
	s.client.std.CloseIdleConnections()
	return nil
}

// ResolveField sends the operation behind a root field and returns its
// GraphQL value.
func (s *source) ResolveField(ctx context.Context, call tributary.FieldCall) (json.RawMessage, error) {
	op := s.fields[call.TypeName+"."+call.FieldName]
	if op == nil {
		if call.TypeName == "Query" && call.FieldName == oas.EmptyQueryField {
			return json.RawMessage("null"), nil // the placeholder of a mutation-only API
		}
		return nil, s.errorf(codeInternal, "no operation for field %s.%s", call.TypeName, call.FieldName)
	}
	origin := func() *linkOrigin { return s.originOf(op, call.Arguments) }
	return s.resolveOperation(wire.WithFiles(ctx, call.Files), op, op, call.Arguments, requester{call.Header, call.Caller}, call.Selection, origin)
}

// resolveOperation sends op's request built from args through sendAs (op
// itself, or its untyped form for arguments already in wire form) and
// returns op's GraphQL value, with the link contexts sel needs; origin is
// the request as link expressions see it.
func (s *source) resolveOperation(ctx context.Context, op, sendAs *oas.Operation, args json.RawMessage, from requester,
	sel []*tributary.Selection, origin func() *linkOrigin) (json.RawMessage, error) {
	resp, err := s.send(ctx, sendAs, args, from)
	if err != nil {
		return nil, err
	}
	if resp.status/100 != 2 {
		return nil, s.httpError(op, resp)
	}
	value, err := s.wire.Result(op, s.types, resp.header.Get("Content-Type"), resp.body)
	if err != nil {
		return nil, s.opError(op, codeInvalidResponse, "the response does not match the spec: %v", err)
	}
	var body []byte
	if op.Result.Kind == oas.ResultJSON {
		body = resp.body
	}
	return s.withLinkContexts(op.Result.Type, value, body, sel, origin), nil
}

// requester is who a request is made for: the client's headers and the
// caller.
type requester struct {
	header http.Header
	caller *tributary.Identity
}

// send builds op's request from args and sends it with the configured and
// forwarded headers and the caller's claims. Errors are *tributary.Error.
func (s *source) send(ctx context.Context, op *oas.Operation, args json.RawMessage, from requester) (*upstreamResponse, error) {
	if len(args) == 0 {
		args = json.RawMessage("{}")
	}
	req, err := s.wire.Request(ctx, s.baseURL, op, s.types, args)
	if err != nil {
		return nil, s.opError(op, codeInvalidRequest, "cannot build the request: %v", err)
	}
	if n := len(req.URL.String()); s.maxURLBytes > 0 && n > s.maxURLBytes {
		return nil, s.opError(op, codeURLTooLong, "the request URL would be %d bytes, over the limit of %d (maxURLBytes); it was not sent: ask for fewer items at once, or raise maxURLBytes if the service accepts longer URLs",
			n, s.maxURLBytes)
	}
	// Copies, so that nothing downstream can change the shared slices.
	for name, values := range s.header {
		req.Header[name] = slices.Clone(values)
	}
	for _, f := range s.forward {
		if values := from.header.Values(f.client); len(values) > 0 {
			req.Header[f.upstream] = slices.Clone(values)
		}
	}
	for name, claim := range s.claims {
		if v, ok := from.caller.Claim(claim); ok {
			req.Header[name] = []string{v}
		}
	}
	resp, err := s.client.do(req)
	if err != nil {
		return nil, s.sendFailure(ctx, op, err)
	}
	return resp, nil
}

// sendFailure turns an error from the HTTP client into a client-facing
// error. URLs are left out: a query string may carry an API key.
func (s *source) sendFailure(ctx context.Context, op *oas.Operation, err error) error {
	var tooLarge *errResponseTooLarge
	var authErr *authError
	var redirect *tributary.RedirectError
	switch {
	case errors.As(err, &tooLarge):
		return s.opError(op, codeTooLarge, "%v", tooLarge)
	case errors.As(err, &authErr):
		return s.opError(op, codeAuthFailed, "%v", authErr)
	case errors.As(err, &redirect):
		if redirect.Policy == tributary.RedirectSameHost {
			return s.opError(op, codeRedirect, "the service redirected to %s (HTTP %d), another host; followRedirects is sameHost: fix baseURL, or set followRedirects: always",
				redirect.Location, redirect.Status)
		}
		return s.opError(op, codeRedirect, "the service redirected to %s (HTTP %d); fix baseURL, or set followRedirects (sameHost or always) to follow it",
			redirect.Location, redirect.Status)
	case ctx.Err() != nil:
		return s.opError(op, codeUnreachable, "the request was cancelled: %v", ctx.Err())
	}
	attempts := ""
	var sendErr *sendError
	if errors.As(err, &sendErr) && sendErr.attempts > 1 {
		attempts = fmt.Sprintf(" (after %d attempts)", sendErr.attempts)
	}
	return s.opError(op, codeUnreachable, "cannot reach the service: %v%s", innermost(err), attempts)
}

// innermost strips url.Error, whose text holds the full URL.
func innermost(err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err
	}
	return err
}

// httpError reports a non-2xx response: status, and the body as JSON (in
// GraphQL form when the spec declares its schema) or as text, bounded.
func (s *source) httpError(op *oas.Operation, resp *upstreamResponse) error {
	ext := map[string]any{"code": codeHTTPError, "statusCode": resp.status}
	if body, truncated := s.errorBody(op, resp); body != nil {
		ext["body"] = body
		if truncated {
			ext["bodyTruncated"] = true
		}
	}
	return &tributary.Error{
		Message:    fmt.Sprintf("%s: %s %s: HTTP %d", s.name, op.Method, op.Path, resp.status),
		Extensions: ext,
	}
}

func (s *source) errorBody(op *oas.Operation, resp *upstreamResponse) (any, bool) {
	body := resp.body
	if len(body) == 0 {
		return nil, false
	}
	if len(body) <= maxErrorBodyBytes && json.Valid(body) {
		if t := declaredErrorType(op, resp.status); t != nil {
			if v, err := s.wire.Value(t, s.types, body); err == nil {
				body = v
			}
		}
		if len(body) <= maxErrorBodyBytes {
			return json.RawMessage(body), false
		}
	}
	if len(body) <= maxErrorBodyBytes && utf8.Valid(body) {
		return string(body), false
	}
	return truncateUTF8(body, maxErrorBodyBytes), len(body) > maxErrorBodyBytes
}

// declaredErrorType finds the schema the spec declares for status: the
// exact code, then its class ("4XX"), then "default".
func declaredErrorType(op *oas.Operation, status int) *oas.TypeRef {
	code := strconv.Itoa(status)
	for _, k := range []string{code, code[:1] + "XX", code[:1] + "xx", "default"} {
		if t := op.Errors[k]; t != nil {
			return t
		}
	}
	return nil
}

// truncateUTF8 returns at most n bytes of b as a string, cut at a rune
// boundary, with invalid bytes replaced.
func truncateUTF8(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
		// Drop the bytes of a rune the cut split.
		for i := 0; i < utf8.UTFMax-1 && len(b) > 0; i++ {
			if r, size := utf8.DecodeLastRune(b); r != utf8.RuneError || size > 1 {
				break
			}
			b = b[:len(b)-1]
		}
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// opError is an error about one operation, prefixed with the subgraph and
// the operation's method and path template.
func (s *source) opError(op *oas.Operation, code, format string, args ...any) *tributary.Error {
	return &tributary.Error{
		Message:    fmt.Sprintf("%s: %s %s: %s", s.name, op.Method, op.Path, fmt.Sprintf(format, args...)),
		Extensions: map[string]any{"code": code},
	}
}

func (s *source) errorf(code, format string, args ...any) *tributary.Error {
	return tributary.SubgraphError(s.name, code, format, args...)
}
