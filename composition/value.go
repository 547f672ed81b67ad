package composition

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vektah/gqlparser/v2/ast"
)

// printValue prints a constant GraphQL value as graphql-js does:
// [1, 2], {a: 1, b: "x"}.
func printValue(v *ast.Value) string {
	var b strings.Builder
	writeValue(&b, v)
	return b.String()
}

func writeValue(b *strings.Builder, v *ast.Value) {
	if v == nil {
		b.WriteString("null")
		return
	}
	switch v.Kind {
	case ast.StringValue, ast.BlockValue:
		b.WriteString(quoteString(v.Raw))
	case ast.ListValue:
		b.WriteByte('[')
		for i, c := range v.Children {
			if i > 0 {
				b.WriteString(", ")
			}
			writeValue(b, c.Value)
		}
		b.WriteByte(']')
	case ast.ObjectValue:
		b.WriteByte('{')
		for i, c := range v.Children {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(c.Name)
			b.WriteString(": ")
			writeValue(b, c.Value)
		}
		b.WriteByte('}')
	case ast.Variable:
		// Not valid in an SDL; the parser rejects it, so this is defensive.
		b.WriteString("null")
	default:
		b.WriteString(v.Raw)
	}
}

// valueEqual compares two constant values; object fields compare in any
// order, and a string equals a block string with the same content.
func valueEqual(a, b *ast.Value) bool {
	if a == nil || b == nil {
		return a == b
	}
	return canonicalValue(a) == canonicalValue(b)
}

func canonicalValue(v *ast.Value) string {
	if v == nil {
		return "null"
	}
	switch v.Kind {
	case ast.ObjectValue:
		parts := make([]string, 0, len(v.Children))
		for _, c := range v.Children {
			parts = append(parts, c.Name+":"+canonicalValue(c.Value))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ",") + "}"
	case ast.ListValue:
		parts := make([]string, 0, len(v.Children))
		for _, c := range v.Children {
			parts = append(parts, canonicalValue(c.Value))
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	return printValue(v)
}

// quoteString writes a GraphQL string literal, escaping what GraphQL
// requires (quotes, backslashes and control characters).
func quoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case utf8.RuneError:
			b.WriteString(`\uFFFD`)
		default:
			if r < 0x20 || r == 0x7f {
				b.WriteString(`\u00`)
				h := strconv.FormatInt(int64(r), 16)
				if len(h) < 2 {
					b.WriteByte('0')
				}
				b.WriteString(strings.ToUpper(h))
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// writeDescription writes a description as a block string when that
// round-trips exactly, and as a quoted string otherwise.
func writeDescription(b *strings.Builder, desc, indent string) {
	if desc == "" {
		return
	}
	if !blockStringSafe(desc) {
		b.WriteString(indent + quoteString(desc) + "\n")
		return
	}
	b.WriteString(indent + `"""` + "\n")
	for _, line := range strings.Split(desc, "\n") {
		if line == "" {
			b.WriteString("\n")
			continue
		}
		b.WriteString(indent + strings.ReplaceAll(line, `"""`, `\"""`) + "\n")
	}
	b.WriteString(indent + `"""` + "\n")
}

// blockStringSafe reports whether a block string would give back desc.
// Block strings drop leading and trailing blank lines and cannot hold
// control characters; the common indentation they strip is exactly the
// printer's, since desc's first line is not indented.
func blockStringSafe(desc string) bool {
	if strings.TrimSpace(desc) != desc || !utf8.ValidString(desc) {
		return false
	}
	for _, r := range desc {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return false
		}
	}
	return true
}
