package wire

import "github.com/tributary-gw/tributary/internal/jsonscan"

// validJSON reports whether data is one valid JSON value (RFC 8259),
// surrounded by optional white space, with nesting at most maxDepth deep.
// It does what json.Valid does, several times faster: response bodies are
// validated once before they are walked in place, and that check was the
// larger part of a result's cost. Like json.Valid, it does not check that
// strings are valid UTF-8.
func validJSON(data []byte) bool {
	v := validator{b: data}
	if !v.value(0) {
		return false
	}
	return jsonscan.SkipSpace(v.b, v.i) == len(v.b)
}

// maxDepth bounds nesting, as encoding/json does, so that hostile input
// cannot exhaust the stack.
const maxDepth = 10000

// validator is a recursive-descent JSON checker over b from index i.
type validator struct {
	b []byte
	i int
}

// plainStringByte marks the bytes a JSON string holds without escaping.
var plainStringByte = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// value checks the value at v.i and moves past it.
func (v *validator) value(depth int) bool {
	v.i = jsonscan.SkipSpace(v.b, v.i)
	if v.i >= len(v.b) {
		return false
	}
	switch c := v.b[v.i]; {
	case c == '{':
		return depth < maxDepth && v.object(depth+1)
	case c == '[':
		return depth < maxDepth && v.array(depth+1)
	case c == '"':
		return v.string()
	case c == 't':
		return v.literal("true")
	case c == 'f':
		return v.literal("false")
	case c == 'n':
		return v.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		return v.number()
	default:
		return false
	}
}

// object checks an object starting at its "{".
func (v *validator) object(depth int) bool {
	v.i = jsonscan.SkipSpace(v.b, v.i+1)
	if v.i < len(v.b) && v.b[v.i] == '}' {
		v.i++
		return true
	}
	for {
		if v.i >= len(v.b) || v.b[v.i] != '"' || !v.string() {
			return false
		}
		v.i = jsonscan.SkipSpace(v.b, v.i)
		if v.i >= len(v.b) || v.b[v.i] != ':' {
			return false
		}
		v.i++
		if !v.value(depth) {
			return false
		}
		v.i = jsonscan.SkipSpace(v.b, v.i)
		if v.i >= len(v.b) {
			return false
		}
		switch v.b[v.i] {
		case ',':
			v.i = jsonscan.SkipSpace(v.b, v.i+1)
		case '}':
			v.i++
			return true
		default:
			return false
		}
	}
}

// array checks an array starting at its "[".
func (v *validator) array(depth int) bool {
	v.i = jsonscan.SkipSpace(v.b, v.i+1)
	if v.i < len(v.b) && v.b[v.i] == ']' {
		v.i++
		return true
	}
	for {
		if !v.value(depth) {
			return false
		}
		v.i = jsonscan.SkipSpace(v.b, v.i)
		if v.i >= len(v.b) {
			return false
		}
		switch v.b[v.i] {
		case ',':
			v.i++
		case ']':
			v.i++
			return true
		default:
			return false
		}
	}
}

// string checks a string starting at its opening quote.
func (v *validator) string() bool {
	b, i := v.b, v.i+1
	for {
		for i < len(b) && plainStringByte[b[i]] {
			i++
		}
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case '"':
			v.i = i + 1
			return true
		case '\\':
			if i+1 >= len(b) {
				return false
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+5 >= len(b) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) || !isHex(b[i+5]) {
					return false
				}
				i += 6
			default:
				return false
			}
		default: // a control character
			return false
		}
	}
}

// literal checks the literal word at v.i.
func (v *validator) literal(word string) bool {
	if len(v.b)-v.i < len(word) || string(v.b[v.i:v.i+len(word)]) != word {
		return false
	}
	v.i += len(word)
	return true
}

// number checks a number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (v *validator) number() bool {
	b, i := v.b, v.i
	if b[i] == '-' {
		i++
	}
	digits := func() bool {
		start := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i > start
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if !digits() {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	v.i = i
	return true
}
