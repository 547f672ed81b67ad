package static

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tributary-gw/tributary/internal/jsonscan"
)

// appendKeyValue appends to dst a canonical encoding of the values that the
// JSON object obj holds for the key fields sel. Two objects get the same
// encoding exactly when their key values are equal as JSON values: numbers
// compare by value (1 = 1.0 = 1e0), object members in any order, and a
// string never equals a number. It reports false when obj lacks one of the
// fields or is not an object where the key needs one.
//
// The encoding is for comparison only; it is not JSON.
func appendKeyValue(dst []byte, obj json.RawMessage, sel []keyField) ([]byte, bool) {
	if !jsonObject(obj) {
		return dst, false
	}
	return appendKeyFields(dst, obj, sel)
}

// appendKeyFields is appendKeyValue for an object known to be valid JSON.
func appendKeyFields(dst []byte, obj []byte, sel []keyField) ([]byte, bool) {
	dst = append(dst, '(')
	for _, f := range sel {
		raw, ok := jsonscan.MemberValue(obj, f.name)
		if !ok {
			return dst, false
		}
		if f.sub == nil {
			var err error
			if dst, err = appendCanonical(dst, raw); err != nil {
				return dst, false
			}
		} else if dst, ok = appendNestedKeyValue(dst, raw, f.sub); !ok {
			return dst, false
		}
		dst = append(dst, ',')
	}
	return append(dst, ')'), true
}

// appendNestedKeyValue encodes the value of an object-typed key field:
// an object, a list of objects, or null.
func appendNestedKeyValue(dst []byte, raw []byte, sub []keyField) ([]byte, bool) {
	switch {
	case len(raw) == 0:
		return dst, false
	case raw[0] == 'n':
		return append(dst, "null"...), true
	case raw[0] == '{':
		return appendKeyFields(dst, raw, sub)
	case raw[0] == '[':
		dst = append(dst, '[')
		ok := true
		it := jsonscan.ArrayElements(raw)
		for elem, more := it.Next(); more; elem, more = it.Next() {
			dst, ok = appendNestedKeyValue(dst, elem, sub)
			dst = append(dst, ',')
			if !ok {
				break
			}
		}
		return append(dst, ']'), ok
	}
	return dst, false
}

// appendCanonical appends the canonical encoding of the JSON value raw.
func appendCanonical(dst []byte, raw json.RawMessage) ([]byte, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return dst, errEmptyValue
	}
	switch raw[0] {
	case '"':
		// Most strings have no escapes; they need no decoding.
		if bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
			return strconv.AppendQuote(dst, string(raw[1:len(raw)-1])), nil
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return dst, err
		}
		return strconv.AppendQuote(dst, s), nil
	case 't', 'f', 'n':
		return append(dst, raw...), nil
	case '{', '[':
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return dst, err
		}
		return appendCanonicalValue(dst, v), nil
	default:
		return appendCanonicalNumber(dst, string(raw)), nil
	}
}

// errEmptyValue reports a missing JSON value.
var errEmptyValue = errors.New("empty JSON value")

// appendCanonicalValue encodes a value decoded with UseNumber.
func appendCanonicalValue(dst []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...)
	case bool:
		return strconv.AppendBool(dst, v)
	case string:
		return strconv.AppendQuote(dst, v)
	case json.Number:
		return appendCanonicalNumber(dst, string(v))
	case []any:
		dst = append(dst, '[')
		for _, item := range v {
			dst = appendCanonicalValue(dst, item)
			dst = append(dst, ',')
		}
		return append(dst, ']')
	case map[string]any:
		names := make([]string, 0, len(v))
		for name := range v {
			names = append(names, name)
		}
		slices.Sort(names)
		dst = append(dst, '{')
		for _, name := range names {
			dst = strconv.AppendQuote(dst, name)
			dst = append(dst, ':')
			dst = appendCanonicalValue(dst, v[name])
			dst = append(dst, ',')
		}
		return append(dst, '}')
	}
	return dst
}

// appendCanonicalNumber writes a JSON number as 0.DIGITSeEXP (the value is
// 0.DIGITS × 10^EXP, DIGITS without leading or trailing zeros), so that
// equal values have one spelling whatever their precision: no rounding
// through float64, so large integer IDs stay distinct. Zero is "0".
func appendCanonicalNumber(dst []byte, num string) []byte {
	raw := num
	neg := strings.HasPrefix(num, "-")
	num = strings.TrimPrefix(num, "-")
	mantissa, exponent := num, ""
	if i := strings.IndexAny(num, "eE"); i >= 0 {
		mantissa, exponent = num[:i], num[i+1:]
	}
	intPart, frac, _ := strings.Cut(mantissa, ".")
	digits := intPart + frac
	exp := int64(len(intPart))
	trimmed := strings.TrimLeft(digits, "0")
	exp -= int64(len(digits) - len(trimmed))
	digits = strings.TrimRight(trimmed, "0")
	if digits == "" {
		return append(dst, '0')
	}
	if exponent != "" {
		e, err := strconv.ParseInt(exponent, 10, 64)
		// Exponents this large only occur in hostile input; keep the text.
		if err != nil || e > 1<<40 || e < -(1<<40) {
			return append(dst, raw...)
		}
		exp += e
	}
	if neg {
		dst = append(dst, '-')
	}
	dst = append(dst, "0."...)
	dst = append(dst, digits...)
	dst = append(dst, 'e')
	return strconv.AppendInt(dst, exp, 10)
}
