package openapi

import (
	"maps"
	"mime"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// result picks the successful response: the lowest 2xx with content (an
// explicit code before the 2XX range). JSON content becomes its schema's
// type, other content a String; a 2xx without content (204) is a Boolean
// that is true on success. With no 2xx declared, a default response with
// content is taken as the success, with a warning.
func (c *converter) result(op *openapi3.Operation, base, pointer string) Result {
	codes := statusCodes(op)
	var success []string
	for _, code := range codes {
		if code[0] == '2' {
			success = append(success, code)
		}
	}
	if len(success) == 0 {
		if d := response(op, "default"); d != nil && len(d.Content) > 0 {
			c.warn(pointer+"/responses", "no 2xx response is declared; the default response is taken as the success")
			success = []string{"default"}
		} else {
			c.warn(pointer+"/responses", "no 2xx response is declared; the field returns true on success")
			return noContent()
		}
	}
	for _, code := range success {
		r := response(op, code)
		if r == nil || len(r.Content) == 0 {
			continue
		}
		t, kind, mt := c.content(r.Content, place{base: base + "Response", pointer: pointer + "/responses/" + code, mode: modeOutput})
		return Result{Kind: kind, Type: t, ContentType: mt}
	}
	return noContent()
}

func noContent() Result {
	return Result{Kind: ResultNoContent, Type: &TypeRef{Named: "Boolean"}}
}

// errorTypes types the declared non-2xx responses that have content.
func (c *converter) errorTypes(op *openapi3.Operation, base, pointer string) map[string]*TypeRef {
	var out map[string]*TypeRef
	for _, code := range statusCodes(op) {
		if code[0] == '2' {
			continue
		}
		r := response(op, code)
		if r == nil || len(r.Content) == 0 {
			continue
		}
		t, _, _ := c.content(r.Content, place{base: base + "Error" + upperFirst(code), pointer: pointer + "/responses/" + code, mode: modeOutput})
		if out == nil {
			out = map[string]*TypeRef{}
		}
		out[code] = t
	}
	return out
}

// content types a response's content: JSON media (application/json, any
// +json, or a wildcard with a non-string schema) by its schema, anything
// else as text. It returns the media type chosen: the JSON one, or for
// text the first one in order.
func (c *converter) content(content openapi3.Content, p place) (*TypeRef, ResultKind, string) {
	types := slices.Sorted(maps.Keys(content))
	chosen := ""
	if i := indexFunc(types, isJSON); i >= 0 {
		chosen = types[i]
	} else if i := indexFunc(types, isWildcard); i >= 0 {
		if m := content[types[i]]; m != nil && m.Schema != nil && m.Schema.Value != nil && !m.Schema.Value.Type.Is(openapi3.TypeString) {
			chosen = types[i]
		}
	}
	if chosen == "" {
		return &TypeRef{Named: "String"}, ResultText, types[0]
	}
	media := content[chosen]
	p.pointer += "/content/" + escapePointer(chosen) + "/schema"
	if media == nil {
		return c.scalar("JSON"), ResultJSON, chosen
	}
	t, _ := c.typeOf(media.Schema, p)
	return t, ResultJSON, chosen
}

// statusCodes returns an operation's response codes: explicit codes in
// numeric order, then ranges (2XX), then default.
func statusCodes(op *openapi3.Operation) []string {
	if op.Responses == nil {
		return nil
	}
	var codes []string
	for _, code := range op.Responses.Keys() {
		if code != "" && code != "default" {
			codes = append(codes, strings.ToUpper(code))
		}
	}
	sort.Slice(codes, func(i, j int) bool {
		ri, rj := strings.HasSuffix(codes[i], "XX"), strings.HasSuffix(codes[j], "XX")
		if ri != rj {
			return rj
		}
		return codes[i] < codes[j]
	})
	if op.Responses.Value("default") != nil {
		codes = append(codes, "default")
	}
	return codes
}

// response returns the response for a code as written (2XX or 2xx).
func response(op *openapi3.Operation, code string) *openapi3.Response {
	r := op.Responses.Value(code)
	if r == nil {
		r = op.Responses.Value(strings.ToLower(code))
	}
	if r == nil {
		return nil
	}
	return r.Value
}

// mediaType returns the media type without parameters, lower case.
func mediaType(s string) string {
	if mt, _, err := mime.ParseMediaType(s); err == nil {
		return mt
	}
	return strings.ToLower(strings.TrimSpace(strings.SplitN(s, ";", 2)[0]))
}

func isJSON(s string) bool {
	mt := mediaType(s)
	return mt == "application/json" || strings.HasSuffix(mt, "+json") || strings.HasSuffix(mt, "/json")
}

func isForm(s string) bool { return mediaType(s) == "application/x-www-form-urlencoded" }

func isMultipart(s string) bool { return strings.HasPrefix(mediaType(s), "multipart/") }

func isWildcard(s string) bool { mt := mediaType(s); return mt == "*/*" || mt == "application/*" }
