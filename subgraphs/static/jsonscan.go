package static

import (
	"bytes"
	"encoding/json"
)

// Representations and key values are read in place with package jsonscan,
// without decoding them into maps: a representation is looked at once, for
// a few key fields, so decoding all of it would cost more than the lookup.
// jsonscan requires valid JSON, which jsonObject checks first.

// jsonObject reports whether raw is valid JSON holding an object.
func jsonObject(raw []byte) bool {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	return len(raw) > 0 && raw[0] == '{' && json.Valid(raw)
}
