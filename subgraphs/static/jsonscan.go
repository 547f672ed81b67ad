package static

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// The functions below read members and elements out of JSON text in place,
// without decoding it into maps: a representation is looked at once, for a
// few key fields, so decoding all of it would cost more than the lookup.
// They require valid JSON (check with json.Valid first); on other input
// their results are meaningless but they do not panic.

// jsonObject reports whether raw is valid JSON holding an object.
func jsonObject(raw []byte) bool {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	return len(raw) > 0 && raw[0] == '{' && json.Valid(raw)
}

// memberValue returns the value of the member called name in the JSON object
// obj. As with encoding/json, the last of duplicate members wins.
func memberValue(obj []byte, name string) ([]byte, bool) {
	var (
		value []byte
		found bool
	)
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return nil, false
	}
	i++
	for {
		i = skipSpace(obj, i)
		if i >= len(obj) || obj[i] != '"' {
			return value, found // '}' or malformed
		}
		keyEnd := skipValue(obj, i)
		key := obj[i:keyEnd]
		i = skipSpace(obj, keyEnd)
		if i >= len(obj) || obj[i] != ':' {
			return value, found
		}
		i = skipSpace(obj, i+1)
		valueEnd := skipValue(obj, i)
		if stringEquals(key, name) {
			value, found = obj[i:valueEnd], true
		}
		i = skipSpace(obj, valueEnd)
		if i >= len(obj) || obj[i] != ',' {
			return value, found
		}
		i++
	}
}

// forEachElement calls fn with each element of the JSON array arr and
// stops at the first false.
func forEachElement(arr []byte, fn func(elem []byte) bool) {
	i := skipSpace(arr, 0)
	if i >= len(arr) || arr[i] != '[' {
		return
	}
	i = skipSpace(arr, i+1)
	if i < len(arr) && arr[i] == ']' {
		return
	}
	for i < len(arr) {
		end := skipValue(arr, i)
		if end == i || !fn(arr[i:end]) {
			return
		}
		i = skipSpace(arr, end)
		if i >= len(arr) || arr[i] != ',' {
			return
		}
		i = skipSpace(arr, i+1)
	}
}

// stringEquals reports whether the JSON string literal lit denotes s.
func stringEquals(lit []byte, s string) bool {
	if len(lit) < 2 {
		return false
	}
	if bytes.IndexByte(lit, '\\') < 0 && utf8.Valid(lit) {
		return string(lit[1:len(lit)-1]) == s
	}
	var decoded string
	return json.Unmarshal(lit, &decoded) == nil && decoded == s
}

// skipValue returns the index just past the JSON value starting at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipString(b, i)
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

// skipString returns the index just past the string literal starting at b[i].
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}
