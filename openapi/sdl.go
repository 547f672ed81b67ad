package openapi

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// federationLink makes the SDL a Federation v2 subgraph.
const federationLink = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])`

// printSDL writes the subgraph schema: the federation link, the @oneOf
// directive when used, the root types, then every type reachable from a
// root field or an entity, sorted by name. Object types are @shareable, so
// that two subgraphs may return the same value types.
func printSDL(d *Document) string {
	var b strings.Builder
	b.WriteString(federationLink + "\n")
	reach := reachable(d)
	names := make([]string, 0, len(reach))
	oneOf := false
	for name := range reach {
		if t := d.Types[name]; t != nil {
			names = append(names, name)
			oneOf = oneOf || t.OneOf
		}
	}
	sort.Strings(names)
	implements := interfacesOf(d, names)
	if oneOf {
		b.WriteString("\n\"Exactly one field of the input object must be set.\"\ndirective @oneOf on INPUT_OBJECT\n")
	}
	if !printRoot(&b, "Query", d.Operations) {
		b.WriteString("\ntype Query {\n  \"The API has no read operations; GraphQL needs a Query root, so this placeholder (always null) stands in.\"\n  " + EmptyQueryField + ": Boolean @shareable\n}\n")
	}
	printRoot(&b, "Mutation", d.Operations)
	for _, name := range names {
		printType(&b, d.Types[name], implements[name])
	}
	return b.String()
}

// reachable returns the names of the types used by root fields and
// entities, transitively.
func reachable(d *Document) map[string]bool {
	seen := map[string]bool{}
	var visit func(t *TypeRef)
	visit = func(t *TypeRef) {
		for t != nil && t.Elem != nil {
			t = t.Elem
		}
		if t == nil || seen[t.Named] {
			return
		}
		seen[t.Named] = true
		def := d.Types[t.Named]
		if def == nil {
			return
		}
		for _, f := range def.Fields {
			visit(f.Type)
		}
		for _, m := range def.Members {
			visit(&TypeRef{Named: m})
		}
		for _, m := range def.Implementations {
			visit(&TypeRef{Named: m})
		}
	}
	for _, o := range d.Operations {
		for _, p := range o.Params {
			visit(p.Type)
		}
		if o.Body != nil {
			visit(o.Body.Type)
		}
		visit(o.Result.Type)
	}
	for _, t := range d.Types {
		if len(t.Keys) > 0 {
			visit(&TypeRef{Named: t.Name})
		}
	}
	return seen
}

// interfacesOf maps each printed object type to the printed interfaces it
// implements, sorted.
func interfacesOf(d *Document, printed []string) map[string][]string {
	out := map[string][]string{}
	for _, name := range printed { // sorted, so each list is too
		if t := d.Types[name]; t.Kind == KindInterface {
			for _, impl := range t.Implementations {
				out[impl] = append(out[impl], name)
			}
		}
	}
	return out
}

// EmptyQueryField is the placeholder Query field of a subgraph whose API
// has only mutations: a GraphQL schema needs a Query root type with at
// least one field. The runtime resolves it to null.
const EmptyQueryField = "_empty"

// printRoot writes a root type with the operations' fields, and reports
// whether it had any.
func printRoot(b *strings.Builder, root string, ops []*Operation) bool {
	started := false
	for _, o := range ops {
		if o.RootType != root {
			continue
		}
		if !started {
			fmt.Fprintf(b, "\ntype %s {\n", root)
			started = true
		}
		desc := o.Description
		if desc == "" {
			desc = o.Method + " " + o.Path
		} else {
			desc += "\n\n" + o.Method + " " + o.Path
		}
		writeDescription(b, desc, "  ")
		b.WriteString("  " + o.FieldName)
		printArgs(b, o.Params, o.Body)
		b.WriteString(": " + o.Result.Type.String() + "\n")
	}
	if started {
		b.WriteString("}\n")
	}
	return started
}

// printArgs writes the arguments of an operation's field, or of a link
// field (params only), with their defaults.
func printArgs(b *strings.Builder, params []*Param, body *Body) {
	type arg struct{ name, typ, desc string }
	var args []arg
	described := false
	for _, p := range params {
		typ := p.Type.String()
		if p.Default != "" {
			typ += " = " + p.Default
		}
		args = append(args, arg{p.Arg, typ, p.Description})
		described = described || p.Description != ""
	}
	if body != nil {
		args = append(args, arg{body.Arg, body.Type.String(), "The request body (" + body.ContentType + ")."})
	}
	if len(args) == 0 {
		return
	}
	if !described {
		parts := make([]string, len(args))
		for i, a := range args {
			parts[i] = a.name + ": " + a.typ
		}
		b.WriteString("(" + strings.Join(parts, ", ") + ")")
		return
	}
	b.WriteString("(\n")
	for _, a := range args {
		writeDescription(b, a.desc, "    ")
		b.WriteString("    " + a.name + ": " + a.typ + "\n")
	}
	b.WriteString("  )")
}

// printType writes one type; implements are the interfaces of an object.
func printType(b *strings.Builder, t *Type, implements []string) {
	b.WriteString("\n")
	writeDescription(b, t.Description, "")
	switch t.Kind {
	case KindScalar:
		b.WriteString("scalar " + t.Name + "\n")
	case KindEnum:
		b.WriteString("enum " + t.Name + " {\n")
		for _, v := range t.EnumValues {
			b.WriteString("  " + v.Name + "\n")
		}
		b.WriteString("}\n")
	case KindUnion:
		b.WriteString("union " + t.Name + " = " + strings.Join(t.Members, " | ") + "\n")
	case KindObject, KindInputObject, KindInterface:
		switch t.Kind {
		case KindInterface:
			b.WriteString("interface " + t.Name + " {\n")
		case KindObject:
			b.WriteString("type " + t.Name)
			if len(implements) > 0 {
				b.WriteString(" implements " + strings.Join(implements, " & "))
			}
			for _, k := range t.Keys {
				b.WriteString(" @key(fields: " + strconv.Quote(k) + ")")
			}
			b.WriteString(" @shareable {\n")
		default:
			b.WriteString("input " + t.Name)
			if t.OneOf {
				b.WriteString(" @oneOf")
			}
			b.WriteString(" {\n")
		}
		for _, f := range t.Fields {
			writeDescription(b, f.Description, "  ")
			b.WriteString("  " + f.Name)
			printArgs(b, f.Args, nil)
			b.WriteString(": " + f.Type.String() + "\n")
		}
		b.WriteString("}\n")
	}
}

// writeDescription writes a description as a block string when it can be
// one unchanged, else as a quoted string.
func writeDescription(b *strings.Builder, desc, indent string) {
	desc = strings.TrimSpace(strings.ReplaceAll(desc, "\r\n", "\n"))
	if desc == "" {
		return
	}
	if blockSafe(desc) {
		b.WriteString(indent + `"""` + "\n")
		for _, line := range strings.Split(desc, "\n") {
			if line == "" {
				b.WriteString("\n")
			} else {
				b.WriteString(indent + line + "\n")
			}
		}
		b.WriteString(indent + `"""` + "\n")
		return
	}
	b.WriteString(indent + quote(desc) + "\n")
}

// blockSafe reports whether desc survives a block string unchanged: no
// `"""`, no backslash before a quote, no control characters, and no
// indentation the block-string rules would strip.
func blockSafe(desc string) bool {
	if strings.Contains(desc, `"""`) || strings.HasSuffix(desc, `"`) || strings.HasSuffix(desc, `\`) {
		return false
	}
	for _, r := range desc {
		if r < 0x20 && r != '\n' || r == 0x7f || r == '\t' {
			return false
		}
	}
	for _, line := range strings.Split(desc, "\n")[1:] {
		if strings.HasPrefix(line, " ") {
			return false
		}
	}
	return true
}

// quote writes a GraphQL string literal.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		case r == 0xfffd:
			b.WriteString(`\ufffd`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
