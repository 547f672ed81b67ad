package dynamodb

import (
	"strings"
	"unicode"
)

// scalars are the GraphQL scalars an attribute may be declared as.
var scalars = map[string]bool{"ID": true, "String": true, "Int": true, "Float": true, "Boolean": true}

// attrType is an attribute's declared GraphQL type: a scalar or a list of
// one.
type attrType struct {
	scalar      string
	list        bool
	nonNull     bool // the attribute (or the list) is non-null
	elemNonNull bool // a list's elements are non-null
}

// parseAttrType parses "ID!", "String", "[Int!]!"…; ok is false for
// anything else.
func parseAttrType(s string) (attrType, bool) {
	var t attrType
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutSuffix(s, "!"); ok {
		t.nonNull, s = true, strings.TrimSpace(rest)
	}
	if inner, ok := strings.CutPrefix(s, "["); ok {
		inner, ok = strings.CutSuffix(inner, "]")
		if !ok {
			return t, false
		}
		t.list, s = true, strings.TrimSpace(inner)
		if rest, ok := strings.CutSuffix(s, "!"); ok {
			t.elemNonNull, s = true, strings.TrimSpace(rest)
		}
	}
	if !scalars[s] {
		return t, false
	}
	t.scalar = s
	return t, true
}

// String writes t as GraphQL.
func (t attrType) String() string {
	s := t.scalar
	if t.list {
		if t.elemNonNull {
			s += "!"
		}
		s = "[" + s + "]"
	}
	if t.nonNull {
		s += "!"
	}
	return s
}

// nullable is t without its outer non-null.
func (t attrType) nullable() attrType {
	t.nonNull = false
	return t
}

// isKeyType reports whether t can type a key attribute: a string, number
// or ID scalar.
func (t attrType) isKeyType() bool {
	return !t.list && t.scalar != "Boolean"
}

// isGraphQLName reports whether s is a GraphQL name that is not reserved
// for introspection.
func isGraphQLName(s string) bool {
	if s == "" || strings.HasPrefix(s, "__") {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z':
		case i > 0 && '0' <= r && r <= '9':
		default:
			return false
		}
	}
	return true
}

// lowerFirst writes a type name in lower camel case: User → user.
func lowerFirst(s string) string {
	for i, r := range s {
		return string(unicode.ToLower(r)) + s[i+len(string(r)):]
	}
	return s
}

// upperFirst capitalizes s: user → User.
func upperFirst(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

// pascal writes a field name in PascalCase: handle → Handle, user_id →
// UserId, userId → UserId.
func pascal(s string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '_' }) {
		b.WriteString(upperFirst(part))
	}
	return b.String()
}

// plural is a simple English plural of a lower-camel name: user → users,
// address → addresses, category → categories.
func plural(s string) string {
	switch {
	case strings.HasSuffix(s, "s") || strings.HasSuffix(s, "x") || strings.HasSuffix(s, "z") ||
		strings.HasSuffix(s, "ch") || strings.HasSuffix(s, "sh"):
		return s + "es"
	case strings.HasSuffix(s, "y") && len(s) > 1 && !strings.ContainsRune("aeiou", rune(s[len(s)-2])):
		return s[:len(s)-1] + "ies"
	}
	return s + "s"
}
