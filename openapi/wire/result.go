package wire

import (
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/tributary-gw/tributary/internal/jsonscan"
	"github.com/tributary-gw/tributary/openapi"
)

// Result turns a successful (2xx) response into the field's GraphQL JSON
// value: true for ResultNoContent, the body as a JSON string for
// ResultText, and for ResultJSON the body mapped by Value's rules. An empty
// JSON body is null when the field is nullable and an error when it is not;
// a body that is not JSON is an error quoting at most 200 bytes of it.
func Result(op *openapi.Operation, types map[string]*openapi.Type, contentType string, body []byte) (json.RawMessage, error) {
	if op == nil {
		return nil, errors.New("openapi/wire: Result needs an operation, got nil")
	}
	switch op.Result.Kind {
	case openapi.ResultNoContent:
		return json.RawMessage("true"), nil
	case openapi.ResultText:
		if !utf8.Valid(body) {
			return nil, fmt.Errorf("openapi/wire: %s: response body (content type %q) is not UTF-8 text", describe(op), contentType)
		}
		return jsonscan.AppendString(make([]byte, 0, len(body)+2), string(body)), nil
	case openapi.ResultJSON:
		out, err := jsonResult(op, types, contentType, body)
		if err != nil {
			return nil, fmt.Errorf("openapi/wire: %s: response body: %w", describe(op), err)
		}
		return out, nil
	default:
		return nil, fmt.Errorf("openapi/wire: %s: unknown result kind %d", describe(op), op.Result.Kind)
	}
}

// jsonResult maps a JSON response body.
func jsonResult(op *openapi.Operation, types map[string]*openapi.Type, contentType string, body []byte) (json.RawMessage, error) {
	raw := trimValue(body)
	t := op.Result.Type
	if len(raw) == 0 {
		if t != nil && t.NonNull {
			return nil, fmt.Errorf("is empty (content type %q), but the field's type %s is non-null", contentType, t.String())
		}
		return json.RawMessage("null"), nil
	}
	if !validJSON(raw) {
		return nil, fmt.Errorf("is not JSON (content type %q): %s", contentType, syntaxError(raw))
	}
	return appendOutput(make([]byte, 0, len(raw)+len(raw)/8), types, t, raw)
}
