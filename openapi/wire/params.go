package wire

import (
	"github.com/tributary-gw/tributary/internal/jsonscan"
	"github.com/tributary-gw/tributary/openapi"
)

// Parameter serialization: OpenAPI 3 styles, which are RFC 6570 URI
// template expansions. Each function takes the parameter's wire JSON value
// (non-null) and appends its serialized form. Styles the specification
// leaves undefined for a kind of value ("n/a" in its table) fall back to
// the location's default style, and values nested inside arrays and
// objects are sent as JSON text.

// The OpenAPI style names.
const (
	styleSimple         = "simple"
	styleLabel          = "label"
	styleMatrix         = "matrix"
	styleForm           = "form"
	styleSpaceDelimited = "spaceDelimited"
	stylePipeDelimited  = "pipeDelimited"
	styleDeepObject     = "deepObject"
)

// pair is one member of an object value: its key and its text.
type pair struct {
	key, value string
}

// valueParts splits a wire value into the parts styles serialize: the
// texts of an array's items, or the members of an object. Null items and
// members are left out, as RFC 6570 does with undefined values. For a
// primitive, isPrimitive is true and text holds its text.
type valueParts struct {
	isPrimitive bool
	isObject    bool
	text        string
	items       []string
	pairs       []pair
}

// splitValue classifies raw and extracts its parts.
func splitValue(raw []byte) valueParts {
	switch raw[0] {
	case '[':
		var vp valueParts
		it := jsonscan.ArrayElements(raw)
		for {
			elem, ok := it.Next()
			if !ok {
				break
			}
			if !jsonscan.IsNull(elem) {
				vp.items = append(vp.items, scalarText(elem))
			}
		}
		return vp
	case '{':
		vp := valueParts{isObject: true}
		it := jsonscan.ObjectMembers(raw)
		for {
			key, value, ok := it.Next()
			if !ok {
				break
			}
			if !jsonscan.IsNull(value) {
				vp.pairs = append(vp.pairs, pair{jsonscan.Unquote(key), scalarText(value)})
			}
		}
		return vp
	default:
		return valueParts{isPrimitive: true, text: scalarText(raw)}
	}
}

// empty reports whether an array or object has no defined parts.
func (vp *valueParts) empty() bool {
	return !vp.isPrimitive && len(vp.items) == 0 && len(vp.pairs) == 0
}

// appendJoined appends the parts of a non-primitive value joined by sep:
// array items, or object members as "key=value" when explode is set and as
// key and value joined by sep too otherwise.
func (vp *valueParts) appendJoined(dst []byte, esc escaper, explode bool, sep string) []byte {
	if !vp.isObject {
		for i, item := range vp.items {
			if i > 0 {
				dst = append(dst, sep...)
			}
			dst = esc(dst, item)
		}
		return dst
	}
	for i, p := range vp.pairs {
		if i > 0 {
			dst = append(dst, sep...)
		}
		dst = esc(dst, p.key)
		if explode {
			dst = append(dst, '=')
		} else {
			dst = append(dst, sep...)
		}
		dst = esc(dst, p.value)
	}
	return dst
}

// appendPathValue appends the expansion of a path parameter (styles
// simple, label and matrix).
func appendPathValue(dst []byte, p *openapi.Param, vp *valueParts, esc escaper) []byte {
	switch p.Style {
	case styleLabel:
		dst = append(dst, '.')
		if vp.isPrimitive {
			return esc(dst, vp.text)
		}
		sep := ","
		if p.Explode {
			sep = "."
		}
		return vp.appendJoined(dst, esc, p.Explode, sep)
	case styleMatrix:
		return appendMatrix(dst, p, vp, esc)
	default: // simple
		if vp.isPrimitive {
			return esc(dst, vp.text)
		}
		return vp.appendJoined(dst, esc, p.Explode, ",")
	}
}

// appendMatrix appends a matrix (";name=value") expansion.
func appendMatrix(dst []byte, p *openapi.Param, vp *valueParts, esc escaper) []byte {
	named := func(dst []byte, name, value string) []byte {
		dst = append(dst, ';')
		dst = esc(dst, name)
		if value != "" {
			dst = append(dst, '=')
			dst = esc(dst, value)
		}
		return dst
	}
	switch {
	case vp.isPrimitive:
		return named(dst, p.Name, vp.text)
	case vp.empty():
		return named(dst, p.Name, "")
	case !p.Explode:
		dst = append(dst, ';')
		dst = esc(dst, p.Name)
		dst = append(dst, '=')
		return vp.appendJoined(dst, esc, false, ",")
	case vp.isObject:
		for _, pr := range vp.pairs {
			dst = named(dst, pr.key, pr.value)
		}
		return dst
	default:
		for _, item := range vp.items {
			dst = named(dst, p.Name, item)
		}
		return dst
	}
}

// appendQueryValue appends the "name=value" pairs of a query parameter,
// each preceded by "&" when q is not empty.
func appendQueryValue(q []byte, p *openapi.Param, vp *valueParts, esc escaper) []byte {
	if vp.empty() {
		return q
	}
	sep := func(q []byte) []byte {
		if len(q) > 0 {
			q = append(q, '&')
		}
		return q
	}
	assign := func(q []byte, name, value string) []byte {
		q = esc(sep(q), name)
		q = append(q, '=')
		return esc(q, value)
	}
	if vp.isPrimitive {
		return assign(q, p.Name, vp.text)
	}
	if vp.isObject && p.Style == styleDeepObject {
		return appendDeepObject(q, p.Name, vp, esc)
	}
	if !p.Explode {
		delimiter := ""
		switch p.Style {
		case styleForm, styleDeepObject:
			delimiter = ","
		case styleSpaceDelimited:
			delimiter = "%20"
		case stylePipeDelimited:
			delimiter = "%7C"
		}
		if delimiter != "" {
			q = esc(sep(q), p.Name)
			q = append(q, '=')
			return vp.appendJoined(q, esc, false, delimiter)
		}
	}
	// form, exploded; and the exploded forms the specification leaves
	// undefined for the delimited styles and deepObject arrays.
	if vp.isObject {
		for _, pr := range vp.pairs {
			q = assign(q, pr.key, pr.value)
		}
		return q
	}
	for _, item := range vp.items {
		q = assign(q, p.Name, item)
	}
	return q
}

// appendDeepObject appends name[key]=value pairs, descending into nested
// objects as name[key][inner]=value; the items of a nested array repeat
// their key.
func appendDeepObject(q []byte, name string, vp *valueParts, esc escaper) []byte {
	for _, pr := range vp.pairs {
		key := name + "[" + pr.key + "]"
		if len(pr.value) > 0 && (pr.value[0] == '{' || pr.value[0] == '[') {
			nested := splitValue([]byte(pr.value))
			if nested.isObject {
				q = appendDeepObject(q, key, &nested, esc)
				continue
			}
			if !nested.isPrimitive {
				for _, item := range nested.items {
					q = appendDeepPair(q, key, item, esc)
				}
				continue
			}
		}
		q = appendDeepPair(q, key, pr.value, esc)
	}
	return q
}

// appendDeepPair appends one key=value pair of a deepObject expansion.
func appendDeepPair(q []byte, key, value string, esc escaper) []byte {
	if len(q) > 0 {
		q = append(q, '&')
	}
	q = esc(q, key)
	q = append(q, '=')
	return esc(q, value)
}

// appendCookieValue appends the "name=value" pairs of a cookie parameter
// (style form), each preceded by "; " when c is not empty.
func appendCookieValue(c []byte, p *openapi.Param, vp *valueParts) []byte {
	if vp.empty() {
		return c
	}
	assign := func(c []byte, name, value string) []byte {
		if len(c) > 0 {
			c = append(c, "; "...)
		}
		c = escapeCookie(c, name)
		c = append(c, '=')
		return escapeCookie(c, value)
	}
	switch {
	case vp.isPrimitive:
		return assign(c, p.Name, vp.text)
	case !p.Explode:
		if len(c) > 0 {
			c = append(c, "; "...)
		}
		c = escapeCookie(c, p.Name)
		c = append(c, '=')
		return vp.appendJoined(c, escapeCookie, false, ",")
	case vp.isObject:
		for _, pr := range vp.pairs {
			c = assign(c, pr.key, pr.value)
		}
		return c
	default:
		for _, item := range vp.items {
			c = assign(c, p.Name, item)
		}
		return c
	}
}
