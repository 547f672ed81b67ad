package wire

// Percent-encoding, RFC 3986. Each component of a serialized parameter
// (name, key, value) is escaped on its own, and the style's delimiters
// (",", ";", "=", ".", "&") are added unescaped around them, so that a
// delimiter inside a value can never be confused with a structural one.

const upperHex = "0123456789ABCDEF"

// escaper appends s, percent-encoded for one part of an HTTP message.
type escaper func(dst []byte, s string) []byte

// isUnreserved reports whether c is an RFC 3986 unreserved character.
func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// isReserved reports whether c is an RFC 3986 reserved character
// (gen-delims and sub-delims).
func isReserved(c byte) bool {
	switch c {
	case ':', '/', '?', '#', '[', ']', '@',
		'!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=':
		return true
	}
	return false
}

// isHex reports whether c is a hexadecimal digit.
func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// appendPercent appends c as a percent-encoded triple.
func appendPercent(dst []byte, c byte) []byte {
	return append(dst, '%', upperHex[c>>4], upperHex[c&15])
}

// escapeStrict keeps only unreserved characters: path segments and query
// components.
func escapeStrict(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; isUnreserved(c) {
			dst = append(dst, c)
		} else {
			dst = appendPercent(dst, c)
		}
	}
	return dst
}

// escapeAllowReserved keeps unreserved and reserved characters and existing
// percent-encoded triples (allowReserved: true). "#" is still encoded: raw,
// it would end the URL's query and send the rest as a fragment.
func escapeAllowReserved(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isUnreserved(c), isReserved(c) && c != '#':
			dst = append(dst, c)
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			dst = append(dst, c)
		default:
			dst = appendPercent(dst, c)
		}
	}
	return dst
}

// escapeCookie keeps the characters RFC 6265 allows in a cookie value
// except "%", which is encoded so that the value decodes back unchanged;
// space, DQUOTE, ",", ";" and "\" are encoded, since "," delimits the
// items of a non-exploded array.
func escapeCookie(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\' && c != '%' {
			dst = append(dst, c)
		} else {
			dst = appendPercent(dst, c)
		}
	}
	return dst
}

// escapeNone appends s unchanged: header values are not percent-encoded.
func escapeNone(dst []byte, s string) []byte {
	return append(dst, s...)
}

// escapePathTemplate escapes the literal text of a path template: it keeps
// every character that may appear in a URL path, including "%" of triples
// the template already encodes.
func escapePathTemplate(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isUnreserved(c), c == '/', c == ':', c == '@',
			c == '!', c == '$', c == '&', c == '\'', c == '(', c == ')',
			c == '*', c == '+', c == ',', c == ';', c == '=':
			dst = append(dst, c)
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			dst = append(dst, c)
		default:
			dst = appendPercent(dst, c)
		}
	}
	return dst
}
