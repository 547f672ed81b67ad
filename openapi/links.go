package openapi

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Response links become fields. A link on an operation's success response
// adds a nullable field, named after the link, to the response's object
// type (the item type of a list response); its value is the target
// operation's result. Link fields take no arguments: every required target
// parameter (and a required body) must be supplied by the link, or the
// link is skipped with a warning. Targets must be Query operations, as the
// field is resolved while a query runs.

// links converts the response links of every operation, in operation order.
func (c *converter) links() {
	byID := make(map[string]*Operation, len(c.ops))
	byRoute := make(map[string]*Operation, len(c.ops))
	for _, o := range c.ops {
		byID[o.ID] = o
		byRoute[strings.ToLower(o.Method)+" "+o.Path] = o
	}
	for _, o := range c.ops {
		item := c.doc.Paths.Value(o.Path)
		if item == nil {
			continue
		}
		op := item.GetOperation(o.Method)
		if op == nil {
			continue
		}
		code, resp := successResponse(op)
		if resp == nil || len(resp.Links) == 0 {
			continue
		}
		pointer := o.Pointer + "/responses/" + code + "/links"
		owner := c.linkOwner(o)
		if owner == nil {
			c.warn(pointer, fmt.Sprintf("the response of %s is not an object (or a list of objects), so its links cannot become fields; they are skipped", o.ID))
			continue
		}
		for _, name := range slices.Sorted(maps.Keys(resp.Links)) {
			ref := resp.Links[name]
			lp := pointer + "/" + escapePointer(name)
			if ref == nil || ref.Value == nil {
				c.warn(lp, "the link is empty or its $ref does not resolve; it is skipped")
				continue
			}
			field, err := c.linkField(o, ref.Value, byID, byRoute)
			if err != "" {
				c.warn(lp, err+"; the link is skipped")
				continue
			}
			c.addLinkField(owner, name, field, lp)
		}
	}
}

// successResponse returns the response result() takes as the success: the
// first 2xx with content, else the first 2xx, else default.
func successResponse(op *openapi3.Operation) (string, *openapi3.Response) {
	var first string
	for _, code := range statusCodes(op) {
		if code[0] != '2' {
			continue
		}
		r := response(op, code)
		if r != nil && len(r.Content) > 0 {
			return code, r
		}
		if first == "" && r != nil {
			first = code
		}
	}
	if first != "" {
		return first, response(op, first)
	}
	return "default", response(op, "default")
}

// linkOwner is the object type that carries the links of o's response.
func (c *converter) linkOwner(o *Operation) *Type {
	t := o.Result.Type
	if o.Result.Kind != ResultJSON || t == nil {
		return nil
	}
	for t.Elem != nil {
		t = t.Elem
	}
	owner := c.types[t.Named]
	if owner == nil || owner.Kind != KindObject || owner.Wrapped {
		return nil
	}
	return owner
}

// linkField checks one link against its source operation o and its target,
// and returns the field, or why it cannot be one.
func (c *converter) linkField(o *Operation, l *openapi3.Link, byID, byRoute map[string]*Operation) (*Field, string) {
	target, why := linkTarget(l, byID, byRoute)
	if target == nil {
		return nil, why
	}
	if target.RootType != "Query" {
		return nil, fmt.Sprintf("the target %s is a mutation, and a link field is resolved while a query runs (set rootType: Query for it if it is safe)", target.ID)
	}
	link := &Link{Operation: target.ID, Params: map[string]string{}}
	for _, key := range slices.Sorted(maps.Keys(l.Parameters)) {
		p := linkParam(target, key)
		if p == nil {
			return nil, fmt.Sprintf("the target %s has no parameter %q", target.ID, key)
		}
		expr, why := c.linkExpression(o, l.Parameters[key], "parameter "+key)
		if why != "" {
			return nil, why
		}
		link.Params[p.In+"."+p.Name] = expr
	}
	if l.RequestBody != nil {
		if target.Body == nil {
			return nil, fmt.Sprintf("the link gives a request body, but the target %s takes none", target.ID)
		}
		expr, why := c.linkExpression(o, l.RequestBody, "requestBody")
		if why != "" {
			return nil, why
		}
		link.Body = expr
	}
	// The target's parameters the link leaves open are the field's
	// arguments: `posts(limit: Int = 10, cursor: String)`.
	var args []*Param
	for _, p := range target.Params {
		if _, given := link.Params[p.In+"."+p.Name]; !given {
			args = append(args, p)
		}
	}
	if target.Body != nil && target.Body.Required && link.Body == "" {
		return nil, "the link does not give the target's required request body (a link field takes the target's parameters as arguments, not its body)"
	}
	desc := strings.TrimSpace(l.Description)
	if desc == "" {
		desc = fmt.Sprintf("Follows the link to %s (%s %s).", target.ID, target.Method, target.Path)
	}
	return &Field{Type: nonNull(target.Result.Type, false), Description: desc, Link: link, Args: args}, ""
}

// linkTarget finds the operation a link names by operationId, or by an
// operationRef into this document.
func linkTarget(l *openapi3.Link, byID, byRoute map[string]*Operation) (*Operation, string) {
	switch {
	case l.OperationID != "" && l.OperationRef != "":
		return nil, "the link has both operationId and operationRef; the spec allows one"
	case l.OperationID != "":
		if t := byID[l.OperationID]; t != nil {
			return t, ""
		}
		return nil, fmt.Sprintf("operationId %q names no converted operation (is it excluded?)", l.OperationID)
	case l.OperationRef != "":
		doc, fragment, _ := strings.Cut(l.OperationRef, "#")
		if doc != "" {
			return nil, fmt.Sprintf("operationRef %q points into another document; only refs within this spec (#/paths/…) are followed", l.OperationRef)
		}
		if unescaped, err := url.PathUnescape(fragment); err == nil {
			fragment = unescaped
		}
		tokens := strings.Split(fragment, "/")
		if len(tokens) != 4 || tokens[0] != "" || tokens[1] != "paths" {
			return nil, fmt.Sprintf("operationRef %q is not of the form #/paths/{path}/{method}", l.OperationRef)
		}
		path := unescapePointerToken(tokens[2])
		if t := byRoute[strings.ToLower(tokens[3])+" "+path]; t != nil {
			return t, ""
		}
		return nil, fmt.Sprintf("operationRef %q names no converted operation (is it excluded?)", l.OperationRef)
	}
	return nil, "the link has neither operationId nor operationRef"
}

func unescapePointerToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// linkParam finds the target parameter a link's parameter key names:
// "name", or "in.name" where two parameters share a name.
func linkParam(target *Operation, key string) *Param {
	if in, name, ok := strings.Cut(key, "."); ok {
		for _, p := range target.Params {
			if p.In == in && p.Name == name {
				return p
			}
		}
	}
	for _, in := range []string{"path", "query", "header", "cookie"} {
		for _, p := range target.Params {
			if p.In == in && (p.Name == key || in == "header" && strings.EqualFold(p.Name, key)) {
				return p
			}
		}
	}
	return nil
}

// linkExpression turns a link's parameter or body value into an
// expression string, checking that its $request references exist on o.
func (c *converter) linkExpression(o *Operation, v any, what string) (string, string) {
	var text string
	switch v := v.(type) {
	case string:
		text = v
	case bool, float64, int, int64, json.Number:
		text = fmt.Sprint(v)
	default:
		return "", fmt.Sprintf("%s is a constant %s; only strings, numbers, booleans and runtime expressions are supported", what, reflect.TypeOf(v))
	}
	lv, err := ParseLinkValue(text)
	if err != nil {
		return "", fmt.Sprintf("%s: %v", what, err)
	}
	for _, e := range lv.expressions() {
		if why := requestReferenceProblem(o, e); why != "" {
			return "", fmt.Sprintf("%s: %s", what, why)
		}
	}
	return text, ""
}

// requestReferenceProblem says why a $request expression cannot be
// evaluated for o's requests, or "".
func requestReferenceProblem(o *Operation, e Expression) string {
	switch e.Source {
	case SourceRequestBody:
		if o.Body == nil {
			return fmt.Sprintf("%s refers to the request body, but %s takes none", e, o.ID)
		}
	case SourceRequestPath, SourceRequestQuery, SourceRequestHeader:
		in := strings.TrimPrefix(string(e.Source), "request.")
		for _, p := range o.Params {
			if p.In == in && (p.Name == e.Name || in == "header" && strings.EqualFold(p.Name, e.Name)) {
				return ""
			}
		}
		return fmt.Sprintf("%s names no %s parameter of %s", e, in, o.ID)
	}
	return ""
}

// addLinkField adds f to owner under the link's name in camelCase. The
// same link declared on two responses of one type is added once; any other
// name collision gets a suffix, with a warning.
func (c *converter) addLinkField(owner *Type, linkName string, f *Field, pointer string) {
	want := camelCase(linkName)
	if want == "" {
		want = "link"
	}
	names := newNamer()
	for _, existing := range owner.Fields {
		if existing.Name == want && existing.Link != nil && sameLink(existing.Link, f.Link) {
			return
		}
		names.unique(existing.Name)
	}
	f.Name = names.unique(want)
	if f.Name != want {
		c.warn(pointer, fmt.Sprintf("link %q is field %s of %s, as %s is taken", linkName, f.Name, owner.Name, want))
	}
	owner.Fields = append(owner.Fields, f)
}

func sameLink(a, b *Link) bool {
	return a.Operation == b.Operation && a.Body == b.Body && maps.Equal(a.Params, b.Params)
}

// ExpressionSource is where a runtime expression takes its value from.
type ExpressionSource string

// The expression sources links may use.
const (
	SourceRequestPath   ExpressionSource = "request.path"
	SourceRequestQuery  ExpressionSource = "request.query"
	SourceRequestHeader ExpressionSource = "request.header"
	SourceRequestBody   ExpressionSource = "request.body"
	SourceResponseBody  ExpressionSource = "response.body"
)

// Expression is one OpenAPI runtime expression.
type Expression struct {
	Source ExpressionSource
	// Name is the parameter or header name (request.path, .query, .header).
	Name string
	// Pointer is the JSON pointer into a body ("" for the whole body),
	// unescaped into its reference tokens.
	Pointer []string
}

// String writes the expression as the spec does.
func (e Expression) String() string {
	if e.Source == SourceRequestBody || e.Source == SourceResponseBody {
		if e.Pointer == nil {
			return "$" + string(e.Source)
		}
		escaped := make([]string, len(e.Pointer))
		for i, t := range e.Pointer {
			escaped[i] = escapePointer(t)
		}
		return "$" + string(e.Source) + "#/" + strings.Join(escaped, "/")
	}
	return "$" + string(e.Source) + "." + e.Name
}

// LinkValue is a parsed link parameter or body value.
type LinkValue struct {
	// Whole is set when the value is one expression: the value is the JSON
	// value it selects.
	Whole *Expression
	// Parts is a string template otherwise: literal text and embedded
	// {$…} expressions, which are replaced by their values' text.
	Parts []TemplatePart
}

// TemplatePart is literal text, or an expression when Expr is set.
type TemplatePart struct {
	Text string
	Expr *Expression
}

func (v LinkValue) expressions() []Expression {
	if v.Whole != nil {
		return []Expression{*v.Whole}
	}
	var out []Expression
	for _, p := range v.Parts {
		if p.Expr != nil {
			out = append(out, *p.Expr)
		}
	}
	return out
}

// ParseLinkValue reads a link value: a runtime expression ("$…"), or a
// string with embedded expressions ("{$…}"), or a literal string.
// Expressions other than $request.path/query/header/body and
// $response.body are errors.
func ParseLinkValue(s string) (LinkValue, error) {
	if strings.HasPrefix(s, "$") {
		e, err := ParseExpression(s)
		if err != nil {
			return LinkValue{}, err
		}
		return LinkValue{Whole: &e}, nil
	}
	var v LinkValue
	for s != "" {
		open := strings.Index(s, "{$")
		if open < 0 {
			v.Parts = append(v.Parts, TemplatePart{Text: s})
			break
		}
		closing := strings.IndexByte(s[open:], '}')
		if closing < 0 {
			return LinkValue{}, fmt.Errorf("the embedded expression in %q has no closing }", s)
		}
		if open > 0 {
			v.Parts = append(v.Parts, TemplatePart{Text: s[:open]})
		}
		e, err := ParseExpression(s[open+1 : open+closing])
		if err != nil {
			return LinkValue{}, err
		}
		v.Parts = append(v.Parts, TemplatePart{Expr: &e})
		s = s[open+closing+1:]
	}
	return v, nil
}

// ParseExpression reads one runtime expression.
func ParseExpression(s string) (Expression, error) {
	for _, src := range []ExpressionSource{SourceRequestBody, SourceResponseBody} {
		rest, ok := strings.CutPrefix(s, "$"+string(src))
		if !ok {
			continue
		}
		if rest == "" || rest == "#" {
			return Expression{Source: src}, nil
		}
		ptr, ok := strings.CutPrefix(rest, "#")
		if !ok || ptr != "" && ptr[0] != '/' {
			return Expression{}, fmt.Errorf("%q: a body expression is $%s or $%s#/json/pointer", s, src, src)
		}
		var tokens []string
		for _, t := range strings.Split(ptr[1:], "/") {
			tokens = append(tokens, unescapePointerToken(t))
		}
		return Expression{Source: src, Pointer: tokens}, nil
	}
	for _, src := range []ExpressionSource{SourceRequestPath, SourceRequestQuery, SourceRequestHeader} {
		if name, ok := strings.CutPrefix(s, "$"+string(src)+"."); ok && name != "" {
			return Expression{Source: src, Name: name}, nil
		}
	}
	return Expression{}, fmt.Errorf("%q is not a supported runtime expression (supported: $request.path.NAME, $request.query.NAME, $request.header.NAME, $request.body#/ptr, $response.body#/ptr)", truncate(s, 80))
}

// truncate shortens s to n bytes for messages.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
