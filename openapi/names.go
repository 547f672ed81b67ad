package openapi

import (
	"strconv"
	"strings"
)

// Naming rules. GraphQL names are ASCII: [_A-Za-z][_0-9A-Za-z]*, and names
// starting with "__" are reserved for introspection. Spec names are split
// into words at every character that cannot appear in a GraphQL name
// ("get-user_by.id" → get, user, by, id) and rejoined in the case each
// position wants. Case inside a word is kept ("listAPIKeys" stays as is),
// except for the first word of a camelCase name, whose leading capitals are
// lowered ("APIKeys" → "apiKeys", "ID" → "id").

// isName reports whether s is a valid GraphQL name that is not reserved.
func isName(s string) bool {
	if s == "" || strings.HasPrefix(s, "__") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// words splits s at every character that is not an ASCII letter or digit.
// A leading '+' or '-' before a digit becomes the word "plus" or "minus", so
// that GitHub's "+1" and "-1" reactions stay apart.
func words(s string) []string {
	var out []string
	if len(s) > 1 && s[1] >= '0' && s[1] <= '9' {
		switch s[0] {
		case '+':
			out = append(out, "plus")
		case '-':
			out = append(out, "minus")
		}
	}
	start := -1
	for i := 0; i <= len(s); i++ {
		// Comparison suffixes (Twilio's "StartTime<", "StartTime>") would
		// otherwise collide with the plain name.
		if i < len(s) && (s[i] == '<' || s[i] == '>') {
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
			out = append(out, map[byte]string{'<': "lt", '>': "gt"}[s[i]])
			continue
		}
		alnum := i < len(s) && isAlnum(s[i])
		if alnum && start < 0 {
			start = i
		}
		if !alnum && start >= 0 {
			out = append(out, s[start:i])
			start = -1
		}
	}
	return out
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// camelCase joins the words of s as lowerCamelCase; "" when s has no words.
func camelCase(s string) string {
	ws := words(s)
	if len(ws) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(lowerLeading(ws[0]))
	for _, w := range ws[1:] {
		b.WriteString(upperFirst(w))
	}
	return digitSafe(b.String())
}

// pascalCase joins the words of s as UpperCamelCase; "" when s has no words.
func pascalCase(s string) string {
	var b strings.Builder
	for _, w := range words(s) {
		b.WriteString(upperFirst(w))
	}
	return digitSafe(b.String())
}

// screamingSnake writes s as SCREAMING_SNAKE_CASE, splitting camelCase
// words too ("inProgress" → "IN_PROGRESS").
func screamingSnake(s string) string {
	var parts []string
	for _, w := range words(s) {
		parts = append(parts, splitCamel(w)...)
	}
	return digitSafe(strings.ToUpper(strings.Join(parts, "_")))
}

// splitCamel splits one word at case changes: "HTTPServer2x" → HTTP,
// Server2x.
func splitCamel(w string) []string {
	var out []string
	start := 0
	for i := 1; i < len(w); i++ {
		prev, cur := w[i-1], w[i]
		next := byte(0)
		if i+1 < len(w) {
			next = w[i+1]
		}
		lowerToUpper := isLowerOrDigit(prev) && isUpper(cur)
		acronymEnd := isUpper(prev) && isUpper(cur) && next >= 'a' && next <= 'z'
		if lowerToUpper || acronymEnd {
			out = append(out, w[start:i])
			start = i
		}
	}
	return append(out, w[start:])
}

func isUpper(c byte) bool        { return c >= 'A' && c <= 'Z' }
func isLowerOrDigit(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// lowerLeading lowers the leading capitals of w, keeping the last one of a
// run that starts a new word: "APIKeys" → "apiKeys", "ID" → "id",
// "Get" → "get".
func lowerLeading(w string) string {
	n := 0
	for n < len(w) && isUpper(w[n]) {
		n++
	}
	switch {
	case n == 0:
		return w
	case n == len(w) || n == 1:
		return strings.ToLower(w[:n]) + w[n:]
	case w[n] >= 'a' && w[n] <= 'z':
		return strings.ToLower(w[:n-1]) + w[n-1:]
	default:
		return strings.ToLower(w[:n]) + w[n:]
	}
}

func upperFirst(w string) string {
	if w == "" || w[0] < 'a' || w[0] > 'z' {
		return w
	}
	return string(w[0]-'a'+'A') + w[1:]
}

// digitSafe prefixes names that start with a digit with "_".
func digitSafe(s string) string {
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		return "_" + s
	}
	return s
}

// memberName keeps a spec name that is already a valid GraphQL name and
// otherwise sanitizes it to camelCase; fallback is used when nothing is
// left (a name made only of symbols).
func memberName(wire, fallback string) string {
	if isName(wire) {
		return wire
	}
	if strings.HasPrefix(wire, "__") && isName(wire[1:]) {
		return wire[1:]
	}
	if n := camelCase(wire); n != "" {
		return n
	}
	return fallback
}

// enumValueName turns a wire enum value into a GraphQL enum value name.
// true, false and null are not allowed as enum values, but their upper-case
// forms are.
func enumValueName(v any) string {
	var s string
	switch v := v.(type) {
	case string:
		if v == "" {
			return "EMPTY"
		}
		s = v
	case bool:
		return strings.ToUpper(strconv.FormatBool(v))
	case float64:
		s = strconv.FormatFloat(v, 'f', -1, 64)
		if strings.HasPrefix(s, "-") {
			s = "minus_" + s[1:]
		}
		s = strings.ReplaceAll(s, ".", "_")
	default:
		s = "VALUE"
	}
	if n := screamingSnake(s); n != "" {
		return n
	}
	return "VALUE"
}

// namer hands out unique names: the first request for a name gets it, the
// next ones get the name with a suffix 2, 3… Each name's next suffix is
// remembered, so that n requests for the same name cost O(n), not O(n²).
type namer struct {
	used map[string]bool
	next map[string]int
}

func newNamer(reserved ...string) *namer {
	n := &namer{used: map[string]bool{}, next: map[string]int{}}
	for _, r := range reserved {
		n.used[r] = true
	}
	return n
}

// unique returns name, or name with the smallest free suffix from 2 on.
func (n *namer) unique(name string) string {
	if !n.used[name] {
		n.used[name] = true
		return name
	}
	i := max(n.next[name], 2)
	for n.used[name+strconv.Itoa(i)] {
		i++
	}
	n.next[name] = i + 1
	out := name + strconv.Itoa(i)
	n.used[out] = true
	return out
}

// taken reports whether name has been handed out or reserved.
func (n *namer) taken(name string) bool { return n.used[name] }
