// Package jsonscan walks JSON text in place, without decoding it into maps
// and interfaces: it finds where values end, iterates over the members of
// objects and the elements of arrays, and compares or unquotes strings.
// Values come back as sub-slices of the input, so numbers stay exact and a
// walk costs no allocations.
//
// Every function expects JSON that is already known to be valid (checked
// with json.Valid or an equivalent). On anything else the results are
// meaningless, but the functions stop early and never panic or loop.
package jsonscan

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// SkipSpace returns the index of the first byte at or after i that is not
// JSON white space, or len(b).
func SkipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// StringEnd returns the index just past the JSON string that starts with
// the quote at b[i], or len(b) when it is not terminated.
func StringEnd(b []byte, i int) int {
	// Most strings in API payloads are short, so the first bytes are read
	// one by one; a long string is searched for its closing quote with
	// bytes.IndexByte, which is vectorised.
	j := i + 1
	for limit := min(j+24, len(b)); j < limit; j++ {
		switch b[j] {
		case '"':
			return j + 1
		case '\\':
			j++
		}
	}
	for j < len(b) {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return len(b)
		}
		q := j + k
		backslashes := 0
		for p := q - 1; p > i && b[p] == '\\'; p-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			return q + 1
		}
		j = q + 1
	}
	return len(b)
}

// KeyEnd is StringEnd for short strings such as object keys, which it
// scans byte by byte; it also reports whether the string holds escapes, so
// a caller can use the raw text of the many keys that hold none.
func KeyEnd(b []byte, i int) (end int, escaped bool) {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '"':
			return j + 1, escaped
		case '\\':
			escaped = true
			j++
		}
	}
	return len(b), escaped
}

// structural marks the bytes ValueEnd stops at inside a container.
var structural = [256]bool{'"': true, '{': true, '[': true, '}': true, ']': true}

// ValueEnd returns the index just past the JSON value that starts at b[i]
// (which must not be white space), or len(b) when it is not terminated.
func ValueEnd(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return StringEnd(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			// Skip what cannot open or close anything: most of a
			// container's bytes.
			for i < len(b) && !structural[b[i]] {
				i++
			}
			if i >= len(b) {
				break
			}
			switch b[i] {
			case '"':
				i = StringEnd(b, i)
				continue
			case '{', '[':
				depth++
			default: // '}', ']'
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	default: // number, true, false, null
		for i < len(b) {
			switch b[i] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				return i
			}
			i++
		}
		return i
	}
}

// IsNull reports whether the value raw, without surrounding white space,
// is JSON null or absent (empty): both leave a Go value at its zero.
func IsNull(raw []byte) bool {
	return len(raw) == 0 || (len(raw) == 4 && string(raw) == "null")
}

// Unquote returns the Go string that the JSON string literal lit denotes,
// exactly as encoding/json decodes it (invalid UTF-8 becomes U+FFFD). It
// allocates only for the result; anything that is not a string literal
// gives "".
func Unquote(lit []byte) string {
	inner, ok := literal(lit)
	if !ok {
		return ""
	}
	if plain(inner) {
		return string(inner)
	}
	return decode(lit, inner)
}

// UnquoteBytes is Unquote returning bytes: when lit holds no escapes and
// is valid UTF-8, the result is its content, sharing lit's memory.
func UnquoteBytes(lit []byte) []byte {
	inner, ok := literal(lit)
	if !ok {
		return nil
	}
	if plain(inner) {
		return inner
	}
	return []byte(decode(lit, inner))
}

// StringEquals reports whether the JSON string literal lit (an object key
// or a string value) denotes s, as encoding/json would decode it. It
// compares in place, without allocating, unless lit holds escapes or a
// non-ASCII byte where lit and s differ.
func StringEquals(lit []byte, s string) bool {
	inner, ok := literal(lit)
	if !ok {
		return false
	}
	// Keys are compared with many names, mostly ASCII and mostly unequal,
	// so the common answer comes from one pass that stops at the first
	// difference.
	high := false
	n := min(len(inner), len(s))
	for k := 0; k < n; k++ {
		c := inner[k]
		if c == '\\' {
			return decode(lit, inner) == s
		}
		if c >= utf8.RuneSelf {
			high = true
		}
		if c != s[k] {
			// Without escapes, a difference in an ASCII prefix survives
			// decoding; after a non-ASCII byte, replacing invalid UTF-8
			// could shift it.
			return high && decode(lit, inner) == s
		}
	}
	if len(inner) == len(s) {
		// inner is s byte for byte: it decodes to s unless encoding/json
		// would replace invalid UTF-8.
		return !high || utf8.Valid(inner)
	}
	// One is a proper prefix of the other; an ASCII, unescaped inner
	// decodes to itself, and a longer one to more than s.
	return high && decode(lit, inner) == s
}

// literal returns the content of the string literal lit between its
// quotes.
func literal(lit []byte) (inner []byte, ok bool) {
	if len(lit) < 2 || lit[0] != '"' {
		return nil, false
	}
	return lit[1 : len(lit)-1], true
}

// plain reports whether the content of a string literal is its own
// decoding: no escapes, and valid UTF-8 (which encoding/json would
// otherwise replace).
func plain(inner []byte) bool {
	return bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner)
}

// decode decodes lit with encoding/json, falling back to its raw content
// on text that is not a valid literal.
func decode(lit, inner []byte) string {
	var s string
	if err := json.Unmarshal(lit, &s); err != nil {
		return string(inner)
	}
	return s
}
