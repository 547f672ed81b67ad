package httpserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"unicode/utf8"

	tributary "github.com/tributary-gw/tributary"
)

// The request parameters of the GraphQL-over-HTTP spec.
const (
	paramQuery         = "query"
	paramOperationName = "operationName"
	paramVariables     = "variables"
	paramExtensions    = "extensions"
)

const exampleBody = `{"query": "{ __typename }"}`

// decodeJSONBody reads a POST body into req: a JSON object whose "query" is a
// string, "operationName" a string or null, and "variables" and "extensions"
// objects or null. Other keys are reserved by the spec and ignored; when a
// key repeats, the last one wins, as in encoding/json.
//
// It validates the whole body with json.Valid and then walks the top-level
// object by hand, so the hot path does no reflection and allocates only the
// strings and raw messages it returns. Variables and extensions are copied:
// body is a pooled buffer that is reused after the request.
func decodeJSONBody(body []byte, req *tributary.Request) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return errors.New("the request body is empty; send a JSON object such as " + exampleBody)
	}
	if !json.Valid(body) {
		return invalidJSONError(body)
	}
	i := skipSpace(body, 0)
	if body[i] != '{' {
		return fmt.Errorf("the request body must be a JSON object such as %s, not %s", exampleBody, jsonKind(body[i]))
	}
	var query, operationName, variables, extensions []byte
	i = skipSpace(body, i+1)
	for i < len(body) && body[i] != '}' {
		keyEnd := stringEnd(body, i)
		key := body[i:keyEnd]
		i = skipSpace(body, keyEnd)
		i = skipSpace(body, i+1) // the ':'
		valueEnd := valueEnd(body, i)
		value := body[i:valueEnd]
		switch paramName(key) {
		case paramQuery:
			query = value
		case paramOperationName:
			operationName = value
		case paramVariables:
			variables = value
		case paramExtensions:
			extensions = value
		}
		i = skipSpace(body, valueEnd)
		if i < len(body) && body[i] == ',' {
			i = skipSpace(body, i+1)
		}
	}

	if query == nil || isNull(query) {
		return errors.New(`the request body has no "query"; send the GraphQL document as a string, e.g. ` + exampleBody)
	}
	if query[0] != '"' {
		return fmt.Errorf(`"query" must be a string holding the GraphQL document, not %s`, jsonKind(query[0]))
	}
	if operationName != nil && !isNull(operationName) && operationName[0] != '"' {
		return fmt.Errorf(`"operationName" must be a string or null, not %s`, jsonKind(operationName[0]))
	}
	if err := checkObject(paramVariables, variables); err != nil {
		return err
	}
	if err := checkObject(paramExtensions, extensions); err != nil {
		return err
	}

	var err error
	if req.Query, err = decodeString(query); err != nil {
		return fmt.Errorf(`"query": %w`, err)
	}
	if operationName != nil && !isNull(operationName) {
		if req.OperationName, err = decodeString(operationName); err != nil {
			return fmt.Errorf(`"operationName": %w`, err)
		}
	}
	req.Variables = cloneObject(variables)
	req.Extensions = cloneObject(extensions)
	return nil
}

// decodeQueryParams reads the parameters of a GET request from the URL's
// query component. variables and extensions are JSON text; an empty
// operationName, variables or extensions counts as absent.
func decodeQueryParams(values url.Values, req *tributary.Request) error {
	if _, ok := values[paramQuery]; !ok {
		return errors.New(`the URL has no "query" parameter; send the GraphQL document as ?query={__typename}`)
	}
	var err error
	if req.Query, err = singleParam(values, paramQuery); err != nil {
		return err
	}
	if req.OperationName, err = singleParam(values, paramOperationName); err != nil {
		return err
	}
	if req.Variables, err = objectParam(values, paramVariables); err != nil {
		return err
	}
	req.Extensions, err = objectParam(values, paramExtensions)
	return err
}

// objectParam reads a URL parameter holding a JSON object (or null).
func objectParam(values url.Values, name string) (json.RawMessage, error) {
	text, err := singleParam(values, name)
	if err != nil || text == "" {
		return nil, err
	}
	raw := []byte(text)
	if !json.Valid(raw) {
		return nil, fmt.Errorf("the %q URL parameter is not valid JSON: %w; send a URL-encoded JSON object", name, syntaxError(raw))
	}
	raw = bytes.TrimSpace(raw)
	if err := checkObject(name, raw); err != nil {
		return nil, err
	}
	if isNull(raw) {
		return nil, nil
	}
	return raw, nil
}

// singleParam returns the URL parameter name, or "" when it is absent. A
// parameter given twice is ambiguous and rejected.
func singleParam(values url.Values, name string) (string, error) {
	v := values[name]
	switch len(v) {
	case 0:
		return "", nil
	case 1:
		return v[0], nil
	default:
		return "", fmt.Errorf("the %q URL parameter is given %d times; give it once", name, len(v))
	}
}

// paramName returns the request parameter a raw JSON key names, or "" for
// any other key. Unescaped keys are compared in place, without allocating.
func paramName(rawKey []byte) string {
	if len(rawKey) < 2 {
		return ""
	}
	inner := rawKey[1 : len(rawKey)-1]
	if bytes.IndexByte(inner, '\\') >= 0 {
		key, err := decodeString(rawKey)
		if err != nil {
			return ""
		}
		inner = []byte(key)
	}
	switch string(inner) {
	case paramQuery:
		return paramQuery
	case paramOperationName:
		return paramOperationName
	case paramVariables:
		return paramVariables
	case paramExtensions:
		return paramExtensions
	}
	return ""
}

// checkObject accepts a JSON object, null or nothing for the parameter name.
func checkObject(name string, raw []byte) error {
	if raw == nil || isNull(raw) || raw[0] == '{' {
		return nil
	}
	return fmt.Errorf("%q must be a JSON object (or null), not %s", name, jsonKind(raw[0]))
}

// cloneObject copies a JSON object out of the pooled body; null and absent
// values become nil.
func cloneObject(raw []byte) json.RawMessage {
	if raw == nil || isNull(raw) {
		return nil
	}
	return bytes.Clone(raw)
}

// decodeString decodes a JSON string literal, quotes included. Strings
// without escapes and with valid UTF-8 are converted directly; the rest go
// through encoding/json.
func decodeString(raw []byte) (string, error) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", fmt.Errorf("%.40q is not a JSON string", raw)
	}
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return string(inner), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", err
	}
	return s, nil
}

func isNull(raw []byte) bool { return string(raw) == "null" }

// jsonKind names the kind of the JSON value starting with c, for messages.
func jsonKind(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

// invalidJSONError explains why body is not JSON, with the byte offset.
func invalidJSONError(body []byte) error {
	return fmt.Errorf("the request body is not valid JSON: %w; send a JSON object such as %s", syntaxError(body), exampleBody)
}

// syntaxError returns encoding/json's description of why raw is not JSON.
// It runs only on the error path.
func syntaxError(raw []byte) error {
	var v any
	err := json.Unmarshal(raw, &v)
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return fmt.Errorf("%w (at byte %d)", err, syntax.Offset)
	}
	if err == nil {
		return errors.New("unexpected JSON")
	}
	return err
}

// The scanners below walk JSON that json.Valid has accepted, so they need no
// error handling; they still stop at the end of b rather than index past it.

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index just past the string literal starting at i.
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b)
}

// valueEnd returns the index just past the JSON value starting at i.
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return len(b)
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = stringEnd(b, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(b)
	default:
		j := i
		for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' &&
			b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
			j++
		}
		return j
	}
}
