package engine

import (
	"bytes"
	"unicode/utf8"
)

// replacementChar is U+FFFD, which replaces each invalid UTF-8 sequence.
const replacementChar = "\uFFFD"

// sanitizeUTF8 returns a copy of a rendered response that is valid UTF-8.
//
// graphql-go-tools copies upstream strings byte for byte, so an upstream
// that sends invalid UTF-8 would make the response invalid JSON (RFC 8259
// requires UTF-8). Outside strings a rendered response is ASCII, so
// replacing each invalid sequence with U+FFFD keeps the JSON valid and
// changes only the broken strings — what encoding/json and most JSON
// encoders do. Replacing rather than failing the field keeps the rest of
// a string a client may still use; the choice is documented in
// docs/security.md. The check is one pass over the response, which is
// copied here anyway.
func sanitizeUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return bytes.Clone(b)
	}
	return bytes.ToValidUTF8(b, []byte(replacementChar))
}
