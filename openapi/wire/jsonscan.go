package wire

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/tributary-gw/tributary/internal/jsonscan"
)

// Wire values are walked in place with package jsonscan instead of being
// decoded into maps and interfaces: every REST call goes through them, and
// copying strings and numbers verbatim keeps numbers exact and costs no
// allocations. The helpers below are the wire-specific ones; like
// jsonscan, they expect text that validJSON accepted.

// trimValue returns raw without surrounding white space.
func trimValue(raw []byte) []byte {
	return bytes.TrimSpace(raw)
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
		return jsonscan.Unquote(raw)
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
