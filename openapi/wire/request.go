// Package wire maps between GraphQL values and HTTP messages for one
// converted OpenAPI operation (openapi.Operation): Request turns a field's
// arguments into the HTTP request, Result turns a successful response into
// the field's value, and Value maps one wire JSON value to GraphQL JSON.
//
// It is pure (no network, no state) and walks JSON text in place, since it
// runs on every REST call the gateway makes. docs/openapi-wire.md lists the
// serialization rules.
package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/internal/jsonscan"
	"github.com/tributary-gw/tributary/openapi"
)

// Request builds the HTTP request for op from the field's arguments (a JSON
// object keyed by GraphQL argument names, as the engine passes them).
// baseURL may carry a path prefix and a query; the operation's path is
// joined to it with exactly one "/". The request carries Content-Type for a
// body and Accept for the result, and a body that can be re-read for
// retries (GetBody). Uploads come from ctx (WithFiles) and are streamed
// from disk.
func Request(ctx context.Context, baseURL string, op *openapi.Operation, types map[string]*openapi.Type, args json.RawMessage) (*http.Request, error) {
	if op == nil {
		return nil, errors.New("openapi/wire: Request needs an operation, got nil")
	}
	req, err := buildRequest(ctx, baseURL, op, types, args)
	if err != nil {
		return nil, fmt.Errorf("openapi/wire: %s: %w", describe(op), err)
	}
	return req, nil
}

// argument is one member of the arguments object.
type argument struct {
	key, value []byte
}

// requestBuilder holds one request's arguments while it is assembled.
type requestBuilder struct {
	op    *openapi.Operation
	types map[string]*openapi.Type
	args  []argument
	files map[string]*tributary.File
}

// buildRequest assembles the request; errors are wrapped by Request.
func buildRequest(ctx context.Context, baseURL string, op *openapi.Operation, types map[string]*openapi.Type, args json.RawMessage) (*http.Request, error) {
	if baseURL == "" {
		return nil, errors.New("no base URL: set baseURL in the subgraph's config, or servers in the spec")
	}
	raw := trimValue(args)
	if jsonscan.IsNull(raw) {
		raw = []byte("{}")
	}
	if !validJSON(raw) {
		return nil, fmt.Errorf("arguments are not valid JSON: %s", syntaxError(raw))
	}
	if raw[0] != '{' {
		return nil, fmt.Errorf("arguments must be a JSON object, got %s", shortJSON(raw))
	}
	var store [16]argument
	b := requestBuilder{op: op, types: types, args: store[:0], files: filesFrom(ctx)}
	it := jsonscan.ObjectMembers(raw)
	for {
		key, value, ok := it.Next()
		if !ok {
			break
		}
		b.args = append(b.args, argument{key, value})
	}

	base, baseQuery, _ := strings.Cut(baseURL, "?")
	url := make([]byte, 0, len(baseURL)+len(op.Path)+64)
	url = append(url, strings.TrimRight(base, "/")...)
	url, err := b.appendPath(url)
	if err != nil {
		return nil, err
	}
	query := append([]byte(nil), baseQuery...)
	var cookie []byte
	header := http.Header{}
	for _, p := range op.Params {
		if p.In == "path" {
			continue
		}
		vp, present, err := b.paramValue(p)
		if err != nil || !present {
			if err != nil {
				return nil, err
			}
			continue
		}
		switch p.In {
		case "query":
			esc := escapeStrict
			if p.AllowReserved {
				esc = escapeAllowReserved
			}
			query = appendQueryValue(query, p, &vp, esc)
		case "header":
			if err := setHeaderParam(header, p, &vp); err != nil {
				return nil, err
			}
		case "cookie":
			cookie = appendCookieValue(cookie, p, &vp)
		default:
			return nil, fmt.Errorf("parameter %q is in %q; want path, query, header or cookie", p.Name, p.In)
		}
	}
	if len(query) > 0 {
		url = append(url, '?')
		url = append(url, query...)
	}
	if len(cookie) > 0 {
		header.Set("Cookie", string(cookie))
	}

	var body io.Reader
	var stream *streamedBody
	if op.Body != nil {
		eb, present, err := b.body()
		if err != nil {
			return nil, err
		}
		if present {
			if eb.stream != nil {
				stream = eb.stream
			} else {
				body = bytes.NewReader(eb.data)
			}
			header.Set("Content-Type", eb.contentType)
		}
	}
	req, err := http.NewRequestWithContext(ctx, op.Method, string(url), body)
	if err != nil {
		return nil, fmt.Errorf("the request is invalid (check the base URL %q and the method): %w", baseURL, err)
	}
	if stream != nil && stream.length() > 0 {
		req.Body, _ = stream.open()
		req.GetBody = stream.open
		req.ContentLength = stream.length()
	}
	for name, values := range header {
		req.Header[name] = values
	}
	if accept := acceptFor(op.Result); accept != "" {
		req.Header.Set("Accept", accept)
	}
	return req, nil
}

// lookup returns the value of the argument called name, or nil.
func (b *requestBuilder) lookup(name string) []byte {
	for _, a := range b.args {
		if jsonscan.StringEquals(a.key, name) {
			return a.value
		}
	}
	return nil
}

// paramValue maps a parameter's argument to its wire value and splits it
// for serialization. A missing optional argument is not present; a missing
// required one is an error that names it.
func (b *requestBuilder) paramValue(p *openapi.Param) (valueParts, bool, error) {
	raw := b.lookup(p.Arg)
	if jsonscan.IsNull(raw) {
		if p.Required || p.In == "path" {
			return valueParts{}, false, fmt.Errorf("argument %q (%s parameter %q) is required", p.Arg, p.In, p.Name)
		}
		return valueParts{}, false, nil
	}
	wire, err := appendInput(nil, b.types, p.Type, raw)
	if err != nil {
		return valueParts{}, false, fmt.Errorf("argument %q (%s parameter %q): %w", p.Arg, p.In, p.Name, err)
	}
	if p.ContentType != "" {
		// A `content` parameter is one value in its media type, JSON text.
		text := scalarText(wire)
		if isJSONMedia(p.ContentType) {
			var buf bytes.Buffer
			if json.Compact(&buf, wire) == nil {
				text = buf.String()
			}
		}
		return valueParts{isPrimitive: true, text: text}, true, nil
	}
	return splitValue(wire), true, nil
}

// appendPath appends the operation's path with its parameters expanded.
func (b *requestBuilder) appendPath(url []byte) ([]byte, error) {
	tmpl := b.op.Path
	if !strings.HasPrefix(tmpl, "/") {
		url = append(url, '/')
	}
	for tmpl != "" {
		open := strings.IndexByte(tmpl, '{')
		if open < 0 {
			return escapePathTemplate(url, tmpl), nil
		}
		url = escapePathTemplate(url, tmpl[:open])
		closing := strings.IndexByte(tmpl[open:], '}')
		if closing < 0 {
			return nil, fmt.Errorf("path template %q has an unclosed {", b.op.Path)
		}
		name := tmpl[open+1 : open+closing]
		tmpl = tmpl[open+closing+1:]
		p := b.pathParam(name)
		if p == nil {
			return nil, fmt.Errorf("path template %q names {%s}, but the operation has no path parameter %q", b.op.Path, name, name)
		}
		vp, _, err := b.paramValue(p)
		if err != nil {
			return nil, err
		}
		start := len(url)
		if p.ContentType != "" {
			url = escapeStrict(url, vp.text)
		} else {
			url = appendPathValue(url, p, &vp, escapeStrict)
		}
		switch segment := string(url[start:]); {
		case segment == "":
			return nil, fmt.Errorf("argument %q (path parameter %q) is empty; an empty path segment would change the route", p.Arg, p.Name)
		case segment == ".." || segment == "." && vp.text == ".":
			// A value that makes a dot segment would move the request
			// up the server's path (label style's "." for an empty
			// value is the style's own and kept).
			dots := len(url) - start
			url = url[:start]
			for range dots {
				url = append(url, "%2E"...)
			}
		}
	}
	return url, nil
}

// pathParam returns the path parameter called name.
func (b *requestBuilder) pathParam(name string) *openapi.Param {
	for _, p := range b.op.Params {
		if p.In == "path" && p.Name == name {
			return p
		}
	}
	return nil
}

// body maps and encodes the request body argument.
func (b *requestBuilder) body() (encodedBody, bool, error) {
	body := b.op.Body
	raw := b.lookup(body.Arg)
	if file := b.files[body.Arg]; file != nil && jsonscan.IsNull(raw) && namedType(body.Type) == uploadType {
		eb, err := encodeFileBody(body, file)
		if err != nil {
			return encodedBody{}, false, fmt.Errorf("argument %q (the request body): %w", body.Arg, err)
		}
		return eb, true, nil
	}
	if jsonscan.IsNull(raw) {
		if body.Required {
			return encodedBody{}, false, errBodyRequired(body)
		}
		return encodedBody{}, false, nil
	}
	wire, err := appendInput(nil, b.types, body.Type, raw)
	if err == nil {
		var eb encodedBody
		if eb, err = encodeBody(body, b.types, wire, b.files); err == nil {
			return eb, true, nil
		}
	}
	return encodedBody{}, false, fmt.Errorf("argument %q (the request body): %w", body.Arg, err)
}

// setHeaderParam sets a header parameter (style simple, not escaped).
// Parameters named Accept, Content-Type or Authorization are ignored, as
// the OpenAPI specification says.
func setHeaderParam(header http.Header, p *openapi.Param, vp *valueParts) error {
	switch strings.ToLower(p.Name) {
	case "accept", "content-type", "authorization":
		return nil
	}
	var value []byte
	if p.ContentType != "" {
		value = []byte(vp.text)
	} else {
		simple := openapi.Param{Name: p.Name, Style: styleSimple, Explode: p.Explode}
		value = appendPathValue(nil, &simple, vp, escapeNone)
	}
	for _, c := range value {
		if c < 0x20 && c != '\t' || c == 0x7f {
			return fmt.Errorf("argument %q (header parameter %q) holds a control character, which a header value cannot carry", p.Arg, p.Name)
		}
	}
	header.Set(p.Name, string(value))
	return nil
}

// acceptFor returns the Accept header for a result.
func acceptFor(r openapi.Result) string {
	switch r.Kind {
	case openapi.ResultJSON:
		return firstNonEmpty(r.ContentType, mediaJSON)
	case openapi.ResultText:
		return firstNonEmpty(r.ContentType, "*/*")
	default:
		return ""
	}
}
