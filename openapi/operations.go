package openapi

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// methodOrder is the order operations of one path are visited in, so that
// name collisions resolve the same way every time.
var methodOrder = []string{"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE", "TRACE", "QUERY"}

// operations converts every selected operation, in path order then method
// order.
func (c *converter) operations() {
	if c.doc.Paths == nil {
		return
	}
	rootNames := map[string]*namer{"Query": newNamer(), "Mutation": newNamer()}
	paths := c.doc.Paths.Keys()
	sort.Strings(paths)
	for _, path := range paths {
		item := c.doc.Paths.Value(path)
		if item == nil {
			continue
		}
		ops := item.Operations()
		methods := make([]string, 0, len(ops))
		for m := range ops {
			methods = append(methods, strings.ToUpper(m))
		}
		sort.Slice(methods, func(i, j int) bool { return methodRank(methods[i]) < methodRank(methods[j]) })
		for _, method := range methods {
			op := ops[method]
			if op == nil {
				continue
			}
			pointer := "#/paths/" + escapePointer(path) + "/" + strings.ToLower(method)
			id := op.OperationID
			if id == "" {
				id = methodPathName(method, path)
			}
			if !c.opts.selects(id, method, path) {
				continue
			}
			o := &Operation{ID: id, Pointer: pointer, Method: method, Path: path}
			o.RootType = c.rootType(o)
			o.FieldName = c.fieldName(o, rootNames[o.RootType])
			o.Description = joinText(op.Summary, op.Description)
			c.convertOperation(o, item, op)
			c.ops = append(c.ops, o)
		}
	}
}

func methodRank(m string) int {
	for i, o := range methodOrder {
		if o == m {
			return i
		}
	}
	return len(methodOrder)
}

// methodPathName builds an operation name from method and path: the
// method, each literal segment, and "By" before each parameter:
// GET /users/{id}/orders → getUsersByIdOrders; GET / → getRoot.
func methodPathName(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			b.WriteString("By" + pascalCase(seg))
		} else {
			b.WriteString(pascalCase(seg))
		}
	}
	if b.Len() == len(method) {
		b.WriteString("Root")
	}
	return b.String()
}

// rootType applies Options.RootType, else the method rule.
func (c *converter) rootType(o *Operation) string {
	if rt, ok := c.opts.RootType[o.ID]; ok {
		if rt == "Query" || rt == "Mutation" {
			return rt
		}
		c.warn(o.Pointer, fmt.Sprintf("root type %q for %s is neither Query nor Mutation; the method rule applies", rt, o.ID))
	}
	switch o.Method {
	case "GET", "HEAD", "OPTIONS":
		return "Query"
	}
	return "Mutation"
}

// fieldName applies Options.Rename, else sanitizes the id; collisions in a
// root type get suffixes, with a warning.
func (c *converter) fieldName(o *Operation, names *namer) string {
	want := camelCase(o.ID)
	if r, ok := c.opts.Rename[o.ID]; ok {
		if isName(r) {
			want = r
		} else {
			c.warn(o.Pointer, fmt.Sprintf("rename %q for %s is not a valid GraphQL name; the sanitized id is used", r, o.ID))
		}
	}
	if want == "" {
		want = camelCase(methodPathName(o.Method, o.Path))
	}
	got := names.unique(want)
	if got != want {
		c.warn(o.Pointer, fmt.Sprintf("field %s.%s is taken by another operation; this one is %s (rename it in the config to choose)", o.RootType, want, got))
	}
	return got
}

// convertOperation fills the arguments and result of o.
func (c *converter) convertOperation(o *Operation, item *openapi3.PathItem, op *openapi3.Operation) {
	base := pascalOr(o.FieldName, "Operation")
	params := c.parameters(o, item, op)
	wires := make([]string, len(params))
	for i, p := range params {
		wires[i] = p.Name
	}
	argNames := newNamer()
	for i, name := range c.memberNames(wires, "arg", o.Pointer+"/parameters") {
		params[i].Arg = argNames.unique(name)
		o.Params = append(o.Params, params[i])
	}
	for _, p := range o.Params {
		p.Type = c.paramType(p, base, o.Pointer)
	}
	if op.RequestBody != nil && op.RequestBody.Value != nil {
		o.Body = c.body(op.RequestBody.Value, base, o.Pointer+"/requestBody")
		if o.Body != nil {
			o.Body.Arg = argNames.unique("input")
		}
	}
	o.Result = c.result(op, base, o.Pointer)
	o.Errors = c.errorTypes(op, base, o.Pointer)
}

// parameters merges path-level and operation-level parameters (the
// operation's win, by name and location) and applies the spec's defaults.
// Accept, Content-Type and Authorization header parameters are ignored, as
// the spec says: the runtime and the auth config own those headers.
func (c *converter) parameters(o *Operation, item *openapi3.PathItem, op *openapi3.Operation) []*Param {
	var out []*Param
	index := map[string]int{}
	add := func(refs openapi3.Parameters, pointer string) {
		for i, pr := range refs {
			ptr := fmt.Sprintf("%s/parameters/%d", pointer, i)
			if pr == nil || pr.Value == nil || pr.Value.Name == "" {
				c.warn(ptr, "the parameter has no name; it is skipped")
				continue
			}
			p := pr.Value
			switch p.In {
			case "path", "query", "header", "cookie":
			default:
				c.warn(ptr, fmt.Sprintf("parameter %q is in %q, which is not path, query, header or cookie; it is skipped", p.Name, p.In))
				continue
			}
			if p.In == "header" && isOwnedHeader(p.Name) {
				continue
			}
			param := &Param{
				Name: p.Name, In: p.In, Style: p.Style, AllowReserved: p.AllowReserved,
				Required: p.Required || p.In == "path", Description: p.Description,
			}
			if param.Style == "" {
				param.Style = map[string]string{"path": "simple", "header": "simple", "query": "form", "cookie": "form"}[p.In]
			}
			param.Explode = param.Style == "form"
			if p.Explode != nil {
				param.Explode = *p.Explode
			}
			c.paramSchemas[param] = paramSource{schema: p.Schema, content: p.Content, pointer: ptr}
			k := p.In + " " + p.Name
			if j, ok := index[k]; ok {
				out[j] = param
				continue
			}
			index[k] = len(out)
			out = append(out, param)
		}
	}
	add(item.Parameters, strings.TrimSuffix(o.Pointer, "/"+strings.ToLower(o.Method)))
	add(op.Parameters, o.Pointer)
	return out
}

// paramSource is where a parameter's type comes from.
type paramSource struct {
	schema  *openapi3.SchemaRef
	content openapi3.Content
	pointer string
}

func isOwnedHeader(name string) bool {
	switch strings.ToLower(name) {
	case "accept", "content-type", "authorization":
		return true
	}
	return false
}

// paramType converts a parameter's schema, or its content's schema: JSON
// content is typed from its schema and sent as JSON text; other content
// is a String sent as is.
func (c *converter) paramType(p *Param, base, pointer string) *TypeRef {
	src := c.paramSchemas[p]
	delete(c.paramSchemas, p)
	schema := src.schema
	if schema == nil && len(src.content) > 0 {
		mt := slices.Sorted(maps.Keys(src.content))[0]
		p.ContentType = mt
		if !isJSON(mt) || src.content[mt] == nil {
			return nonNull(&TypeRef{Named: "String"}, p.Required)
		}
		schema = src.content[mt].Schema
	}
	t, nullable := c.typeOf(schema, place{base: base + pascalOr(p.Name, "Arg"), pointer: src.pointer + "/schema", mode: modeInput})
	if schema != nil && schema.Value != nil && schema.Value.Default != nil {
		p.Default, _ = c.literal(t, schema.Value.Default)
	}
	return nonNull(t, p.Required && !nullable)
}

// literal writes a JSON default as a GraphQL literal of type t. It fails
// for values that do not fit t and for types whose literals the gateway
// does not write (input objects, custom scalars): those arguments get no
// default, and the service applies its own.
func (c *converter) literal(t *TypeRef, v any) (string, bool) {
	if t.Elem != nil {
		items, ok := v.([]any)
		if !ok {
			return "", false
		}
		parts := make([]string, len(items))
		for i, item := range items {
			if parts[i], ok = c.literal(t.Elem, item); !ok {
				return "", false
			}
		}
		return "[" + strings.Join(parts, ", ") + "]", true
	}
	switch t.Named {
	case "Int":
		if f, ok := number(v); ok && f == math.Trunc(f) && f >= math.MinInt32 && f <= math.MaxInt32 {
			return strconv.FormatInt(int64(f), 10), true
		}
	case "Float":
		if f, ok := number(v); ok && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return strconv.FormatFloat(f, 'g', -1, 64), true
		}
	case "String", "ID":
		if s, ok := v.(string); ok {
			return quote(s), true
		}
	case "Boolean":
		if b, ok := v.(bool); ok {
			return strconv.FormatBool(b), true
		}
	default:
		if typ := c.types[t.Named]; typ != nil && typ.Kind == KindEnum {
			for _, ev := range typ.EnumValues {
				if ev.Wire == v {
					return ev.Name, true
				}
			}
		}
	}
	return "", false
}

// number reads a decoded JSON number.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// body picks the request body's media type: JSON (or any +json) first, then
// form-urlencoded, then multipart; otherwise the first media type, sent as
// the argument's raw string.
func (c *converter) body(rb *openapi3.RequestBody, base, pointer string) *Body {
	types := slices.Sorted(maps.Keys(rb.Content))
	if len(types) == 0 {
		c.warn(pointer, "the request body has no content; no body is sent")
		return nil
	}
	chosen := types[0]
	for _, want := range []func(string) bool{isJSON, isForm, isMultipart} {
		if i := indexFunc(types, want); i >= 0 {
			chosen = types[i]
			break
		}
	}
	media := rb.Content[chosen]
	if media == nil {
		media = &openapi3.MediaType{}
	}
	b := &Body{Required: rb.Required, ContentType: chosen}
	ptr := pointer + "/content/" + escapePointer(chosen) + "/schema"
	var t *TypeRef
	nullable := false
	switch {
	case isJSON(chosen) || isForm(chosen):
		t, nullable = c.typeOf(media.Schema, place{base: base, pointer: ptr, mode: modeInput})
	case isMultipart(chosen):
		t, nullable = c.typeOf(media.Schema, place{base: base, pointer: ptr, mode: modeMultipart})
	default:
		t = &TypeRef{Named: "String"}
	}
	b.Type = nonNull(t, rb.Required && !nullable)
	if (isForm(chosen) || isMultipart(chosen)) && len(media.Encoding) > 0 {
		b.Encoding = map[string]Encoding{}
		for prop, e := range media.Encoding {
			if e == nil {
				continue
			}
			enc := Encoding{ContentType: e.ContentType, Style: e.Style}
			if enc.Style == "" {
				enc.Style = "form"
			}
			enc.Explode = enc.Style == "form"
			if e.Explode != nil {
				enc.Explode = *e.Explode
			}
			b.Encoding[prop] = enc
		}
	}
	return b
}

// joinText joins a summary and a description with a blank line.
func joinText(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "\n\n")
}

func indexFunc(list []string, f func(string) bool) int {
	for i, s := range list {
		if f(s) {
			return i
		}
	}
	return -1
}
