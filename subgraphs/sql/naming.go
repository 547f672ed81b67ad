package sql

import (
	"strings"
	"unicode"
)

// words splits a database name into words at _, -, spaces and lower-to-
// upper case changes: book_loans and bookLoans both give [book loans].
func words(name string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	prev := rune(0)
	for _, r := range name {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && (unicode.IsLower(prev) || unicode.IsDigit(prev)):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
		prev = r
	}
	flush()
	return out
}

// pascal joins words with each one's first letter upper case and the rest
// lower case, keeping only ASCII letters and digits: book_loans → BookLoans.
func pascal(ws []string) string {
	var b strings.Builder
	for _, w := range ws {
		for i, r := range strings.ToLower(w) {
			if r > unicode.MaxASCII {
				continue
			}
			if i == 0 {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// lowerFirst lower-cases the first letter: BookLoan → bookLoan.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// typeNameOf is the generated type name of a table: the singular of its
// last word, PascalCase (book_loans → BookLoan).
func typeNameOf(table string) string {
	ws := words(table)
	if len(ws) == 0 {
		return ""
	}
	ws[len(ws)-1] = singular(ws[len(ws)-1])
	name := pascal(ws)
	if name != "" && name[0] >= '0' && name[0] <= '9' {
		name = "T" + name
	}
	return name
}

// singular is the English singular of a plural word, by the regular rules
// (categories → category, boxes → box, books → book); other words are
// returned unchanged.
func singular(w string) string {
	lw := strings.ToLower(w)
	switch {
	case strings.HasSuffix(lw, "ies") && len(w) > 3:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(lw, "sses"), strings.HasSuffix(lw, "xes"), strings.HasSuffix(lw, "ches"), strings.HasSuffix(lw, "shes"), strings.HasSuffix(lw, "zes"):
		return w[:len(w)-2]
	case strings.HasSuffix(lw, "ss"), strings.HasSuffix(lw, "us"), strings.HasSuffix(lw, "is"):
		return w
	case strings.HasSuffix(lw, "s") && len(w) > 1:
		return w[:len(w)-1]
	}
	return w
}

// plural is the English plural of a singular word by the regular rules
// (category → categories, box → boxes, book → books).
func plural(w string) string {
	lw := strings.ToLower(w)
	switch {
	case strings.HasSuffix(lw, "y") && len(w) > 1 && !strings.ContainsRune("aeiou", rune(lw[len(lw)-2])):
		return w[:len(w)-1] + "ies"
	case strings.HasSuffix(lw, "s"), strings.HasSuffix(lw, "x"), strings.HasSuffix(lw, "z"), strings.HasSuffix(lw, "ch"), strings.HasSuffix(lw, "sh"):
		return w + "es"
	}
	return w + "s"
}

// isGraphQLName reports whether s is a GraphQL name: letters, digits and
// _, not starting with a digit.
func isGraphQLName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// fieldNameOf is a column's GraphQL field name: the column's own name when
// it is a valid GraphQL name not starting with __ (reserved for
// introspection), else the name with each other character replaced by _.
func fieldNameOf(col string) string {
	if isGraphQLName(col) && !strings.HasPrefix(col, "__") {
		return col
	}
	var b strings.Builder
	for i, r := range col {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			if i == 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := strings.TrimLeft(b.String(), "_")
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		s = "c_" + s
	}
	return s
}

// relationName is the forward relation's field name for a foreign key's
// column: the column without its _id/Id suffix (author_id → author), or
// else the target type in lower camel case.
func relationName(col, targetType string) string {
	for _, suffix := range []string{"_id", "_ID", "Id", "ID"} {
		if base, ok := strings.CutSuffix(col, suffix); ok && base != "" && isGraphQLName(base) {
			return base
		}
	}
	return lowerFirst(targetType)
}
