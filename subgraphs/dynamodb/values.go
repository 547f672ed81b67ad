package dynamodb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tributary-gw/tributary/internal/jsonscan"
)

// item is one DynamoDB item.
type item = map[string]types.AttributeValue

// typeMismatch reports an attribute whose stored value does not have its
// declared type.
type typeMismatch struct {
	attr *attribute
	got  string
}

// appendAttr appends the GraphQL JSON value of av, declared as a.typ. A
// missing (nil) or NULL value is null; the caller reports a missing
// non-null attribute.
func appendAttr(buf []byte, a *attribute, av types.AttributeValue) ([]byte, *typeMismatch) {
	if av == nil {
		return append(buf, "null"...), nil
	}
	if _, null := av.(*types.AttributeValueMemberNULL); null {
		return append(buf, "null"...), nil
	}
	if !a.typ.list {
		out, ok := appendScalar(buf, a.typ.scalar, av)
		if !ok {
			return buf, &typeMismatch{a, typeOfAV(av)}
		}
		return out, nil
	}
	start := len(buf)
	buf = append(buf, '[')
	n := 0
	elem := func(v types.AttributeValue) bool {
		if n > 0 {
			buf = append(buf, ',')
		}
		n++
		if _, null := v.(*types.AttributeValueMemberNULL); null && !a.typ.elemNonNull {
			buf = append(buf, "null"...)
			return true
		}
		var ok bool
		buf, ok = appendScalar(buf, a.typ.scalar, v)
		return ok
	}
	ok := true
	switch v := av.(type) {
	case *types.AttributeValueMemberL:
		for _, e := range v.Value {
			if ok = elem(e); !ok {
				break
			}
		}
	case *types.AttributeValueMemberSS:
		for _, e := range v.Value {
			if ok = elem(&types.AttributeValueMemberS{Value: e}); !ok {
				break
			}
		}
	case *types.AttributeValueMemberNS:
		for _, e := range v.Value {
			if ok = elem(&types.AttributeValueMemberN{Value: e}); !ok {
				break
			}
		}
	default:
		ok = false
	}
	if !ok {
		return buf[:start], &typeMismatch{a, typeOfAV(av)}
	}
	return append(buf, ']'), nil
}

// appendScalar appends av as a GraphQL scalar; ok is false when av does
// not have the scalar's type.
func appendScalar(buf []byte, scalar string, av types.AttributeValue) ([]byte, bool) {
	switch v := av.(type) {
	case *types.AttributeValueMemberS:
		if scalar == "String" || scalar == "ID" {
			return jsonscan.AppendString(buf, v.Value), true
		}
	case *types.AttributeValueMemberN:
		switch scalar {
		case "ID":
			return jsonscan.AppendString(buf, v.Value), true
		case "Int":
			i, err := strconv.ParseInt(v.Value, 10, 32)
			if err != nil {
				return buf, false
			}
			return strconv.AppendInt(buf, i, 10), true
		case "Float":
			f, err := strconv.ParseFloat(v.Value, 64)
			if err != nil || math.IsInf(f, 0) {
				return buf, false
			}
			return strconv.AppendFloat(buf, f, 'g', -1, 64), true
		}
	case *types.AttributeValueMemberBOOL:
		if scalar == "Boolean" {
			return strconv.AppendBool(buf, v.Value), true
		}
	}
	return buf, false
}

// typeOfAV names a value's DynamoDB type for messages.
func typeOfAV(av types.AttributeValue) string {
	switch v := av.(type) {
	case *types.AttributeValueMemberS:
		return "a string (S)"
	case *types.AttributeValueMemberN:
		return fmt.Sprintf("the number %s (N)", v.Value)
	case *types.AttributeValueMemberB:
		return "binary (B)"
	case *types.AttributeValueMemberBOOL:
		return "a boolean (BOOL)"
	case *types.AttributeValueMemberL:
		return "a list (L)"
	case *types.AttributeValueMemberM:
		return "a map (M)"
	case *types.AttributeValueMemberSS:
		return "a string set (SS)"
	case *types.AttributeValueMemberNS:
		return "a number set (NS)"
	case *types.AttributeValueMemberBS:
		return "a binary set (BS)"
	}
	return "of an unknown type"
}

// encodeAttr turns a GraphQL JSON input value for a into an attribute
// value; a null is (nil, nil).
func encodeAttr(a *attribute, raw json.RawMessage) (types.AttributeValue, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if !a.typ.list {
		return encodeScalar(a.typ.scalar, raw)
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		return nil, fmt.Errorf("expected a list of %s", a.typ.scalar)
	}
	out := make([]types.AttributeValue, len(elems))
	for i, e := range elems {
		if string(bytes.TrimSpace(e)) == "null" {
			out[i] = &types.AttributeValueMemberNULL{Value: true}
			continue
		}
		v, err := encodeScalar(a.typ.scalar, e)
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		out[i] = v
	}
	return &types.AttributeValueMemberL{Value: out}, nil
}

// encodeScalar turns one JSON scalar into an attribute value: ID and
// String are S, Int and Float N, Boolean BOOL.
func encodeScalar(scalar string, raw json.RawMessage) (types.AttributeValue, error) {
	switch scalar {
	case "ID", "String":
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			if scalar == "ID" && json.Valid(raw) && (raw[0] == '-' || '0' <= raw[0] && raw[0] <= '9') {
				return &types.AttributeValueMemberS{Value: string(raw)}, nil
			}
			return nil, fmt.Errorf("expected a string")
		}
		return &types.AttributeValueMemberS{Value: s}, nil
	case "Int", "Float":
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			return nil, fmt.Errorf("expected a number")
		}
		if _, err := strconv.ParseFloat(string(n), 64); err != nil {
			return nil, fmt.Errorf("expected a number")
		}
		return &types.AttributeValueMemberN{Value: string(n)}, nil
	case "Boolean":
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return nil, fmt.Errorf("expected a boolean")
		}
		return &types.AttributeValueMemberBOOL{Value: b}, nil
	}
	return nil, fmt.Errorf("unknown scalar %s", scalar)
}

// keyText is a comparable text of a key value: its type and canonical
// contents, so that the number 7 stored as "7" and sent as 7.0 compare
// equal, and the string "7" does not.
func keyText(av types.AttributeValue) (string, bool) {
	switch v := av.(type) {
	case *types.AttributeValueMemberS:
		return "S" + v.Value, true
	case *types.AttributeValueMemberN:
		r, ok := new(big.Rat).SetString(v.Value)
		if !ok {
			return "", false
		}
		return "N" + r.RatString(), true
	case *types.AttributeValueMemberB:
		return "B" + string(v.Value), true
	}
	return "", false
}
