package wire

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// The helpers below walk JSON text in place instead of decoding it into
// maps and interfaces: every REST call goes through them, and copying
// strings and numbers verbatim keeps numbers exact and costs no
// allocations. They expect text that validJSON accepted; on anything else
// they stop early and never panic.

// skipSpace returns the index of the first non-space byte at or after i.
func skipSpace(b []byte, i int) int {
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

// trimValue returns raw without surrounding white space.
func trimValue(raw []byte) []byte {
	return bytes.TrimSpace(raw)
}

// stringEnd returns the index just past the JSON string starting at b[i].
// Most strings in API responses are short, so the first bytes are looked
// at one by one; a long string is searched for its closing quote with
// bytes.IndexByte.
func stringEnd(b []byte, i int) int {
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

// scanKey returns the index just past the JSON string (an object key)
// starting at b[i], and whether it holds escapes. Keys are short, so they
// are scanned byte by byte.
func scanKey(b []byte, i int) (end int, escaped bool) {
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

// valueEnd returns the index just past the JSON value starting at b[i].
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = stringEnd(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
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

// memberIter iterates over the members of a JSON object.
type memberIter struct {
	b []byte
	i int
}

// objectMembers returns an iterator over the members of the object obj.
func objectMembers(obj []byte) memberIter {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return memberIter{}
	}
	return memberIter{b: obj, i: skipSpace(obj, i+1)}
}

// next returns the next member: its key as raw JSON text (with quotes) and
// its value, trimmed.
func (m *memberIter) next() (key, value []byte, ok bool) {
	b, i := m.b, m.i
	if i >= len(b) || b[i] != '"' {
		return nil, nil, false
	}
	keyEnd := stringEnd(b, i)
	key = b[i:keyEnd]
	i = skipSpace(b, keyEnd)
	if i >= len(b) || b[i] != ':' {
		m.i = len(b)
		return nil, nil, false
	}
	i = skipSpace(b, i+1)
	end := valueEnd(b, i)
	value = b[i:end]
	i = skipSpace(b, end)
	if i < len(b) && b[i] == ',' {
		i = skipSpace(b, i+1)
	} else {
		i = len(b)
	}
	m.i = i
	return key, value, len(value) > 0
}

// elementIter iterates over the elements of a JSON array.
type elementIter struct {
	b []byte
	i int
}

// arrayElements returns an iterator over the elements of the array arr.
func arrayElements(arr []byte) elementIter {
	i := skipSpace(arr, 0)
	if i >= len(arr) || arr[i] != '[' {
		return elementIter{}
	}
	i = skipSpace(arr, i+1)
	if i < len(arr) && arr[i] == ']' {
		return elementIter{}
	}
	return elementIter{b: arr, i: i}
}

// next returns the next element, trimmed.
func (e *elementIter) next() ([]byte, bool) {
	b, i := e.b, e.i
	if i >= len(b) {
		return nil, false
	}
	end := valueEnd(b, i)
	value := b[i:end]
	i = skipSpace(b, end)
	if i < len(b) && b[i] == ',' {
		i = skipSpace(b, i+1)
	} else {
		i = len(b)
	}
	e.i = i
	return value, len(value) > 0
}

// isNull reports whether the trimmed value raw is JSON null (or absent).
func isNull(raw []byte) bool {
	return len(raw) == 0 || (len(raw) == 4 && string(raw) == "null")
}

// unquote returns the content of the JSON string raw.
func unquote(raw []byte) string {
	if len(raw) < 2 || raw[0] != '"' {
		return ""
	}
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return string(inner)
	}
	return s
}

// keyContent returns the text of the raw JSON string key, unescaped only
// when it holds escapes.
func keyContent(key []byte) []byte {
	if len(key) < 2 {
		return nil
	}
	inner := key[1 : len(key)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return inner
	}
	return []byte(unquote(key))
}

// keyEquals reports whether the raw JSON string key holds name.
func keyEquals(key []byte, name string) bool {
	if len(key) < 2 {
		return false
	}
	inner := key[1 : len(key)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner) == name
	}
	return unquote(key) == name
}

// scalarText returns the text a primitive JSON value stands for in a URL,
// header or form: a string's content, or a number's or boolean's literal.
// Arrays and objects come back as compact JSON text.
func scalarText(raw []byte) string {
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		return unquote(raw)
	case '{', '[':
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return string(raw)
		}
		return buf.String()
	default:
		return string(raw)
	}
}

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes
// U+FFFD, so the result is always valid JSON.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// excerpt returns at most 200 bytes of b around offset, quoted for an error
// message.
func excerpt(b []byte, offset int64) string {
	const width = 200
	start := int(offset) - width/2
	if start < 0 || start > len(b) {
		start = 0
	}
	end := min(start+width, len(b))
	s := strconv.Quote(string(b[start:end]))
	if start > 0 {
		s = "…" + s
	}
	if end < len(b) {
		s += "…"
	}
	return s
}

// syntaxError describes why data is not valid JSON, with an excerpt around
// the first error.
func syntaxError(data []byte) string {
	var v any
	err := json.Unmarshal(data, &v)
	if err == nil {
		return "not valid JSON"
	}
	var offset int64
	if se, ok := err.(*json.SyntaxError); ok {
		offset = se.Offset
	}
	return err.Error() + " at byte " + strconv.FormatInt(offset, 10) + ", near " + excerpt(data, offset)
}
