package engine

import (
	"errors"
	"math"
	"strconv"

	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/plan"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/resolve"
)

// graphql-go-tools renders Int and Float results as whatever JSON number
// the upstream sent: 1.5 or 2^40 for an Int, 1e999 for a Float. The spec
// asks for a field error instead (result coercion), so checkLeafValues
// swaps those nodes of a plan's response for custom nodes that check the
// value. The resolver reports a custom node's error at the field's path
// and nulls the nearest nullable parent, as it does for its own value
// completion errors (a Boolean that is a string). Booleans and enum
// values the library checks itself; strings need no check here because
// the response's UTF-8 is repaired once, as a whole (sanitizeUTF8).
//
// It runs once per plan, before the plan is cached; the cost per value is
// one parse of a number the resolver would otherwise copy.
func checkLeafValues(p plan.Plan) {
	switch p := p.(type) {
	case *plan.SynchronousResponsePlan:
		if p.Response != nil && p.Response.Data != nil {
			checkObjectLeaves(p.Response.Data)
		}
	case *plan.SubscriptionResponsePlan:
		if p.Response != nil && p.Response.Response != nil && p.Response.Response.Data != nil {
			checkObjectLeaves(p.Response.Response.Data)
		}
	}
}

func checkObjectLeaves(o *resolve.Object) {
	for _, f := range o.Fields {
		f.Value = checkedLeaf(f.Value)
	}
}

func checkedLeaf(n resolve.Node) resolve.Node {
	switch n := n.(type) {
	case *resolve.Object:
		checkObjectLeaves(n)
	case *resolve.Array:
		n.Item = checkedLeaf(n.Item)
	case *resolve.Integer:
		if n.Export == nil {
			return &resolve.CustomNode{CustomResolve: intResult{}, Path: n.Path, Nullable: n.Nullable}
		}
	case *resolve.Float:
		if n.Export == nil {
			return &resolve.CustomNode{CustomResolve: floatResult{}, Path: n.Path, Nullable: n.Nullable}
		}
	}
	return n
}

var (
	errNotInt   = errors.New("Int cannot represent a value that is not an integer between -2^31 and 2^31-1")
	errNotFloat = errors.New("Float cannot represent a value that is not a finite number")
)

// intResult coerces an upstream Int: integral, within 32 bits. An
// integral value written with a fraction or exponent (1.0, 1e3) is
// rendered as the integer it is.
type intResult struct{}

func (intResult) Resolve(_ *resolve.Context, value []byte) ([]byte, error) {
	if i, err := strconv.ParseInt(string(value), 10, 32); err == nil {
		if value[0] == '0' && len(value) > 1 || value[0] == '-' && len(value) > 1 && value[1] == '0' && i != 0 {
			return strconv.AppendInt(nil, i, 10), nil // leading zeros are not JSON
		}
		return value, nil
	}
	f, err := strconv.ParseFloat(string(value), 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt32 || f > math.MaxInt32 {
		return nil, errNotInt
	}
	return strconv.AppendInt(nil, int64(f), 10), nil
}

// floatResult checks that an upstream Float is a finite JSON number.
type floatResult struct{}

func (floatResult) Resolve(_ *resolve.Context, value []byte) ([]byte, error) {
	f, err := strconv.ParseFloat(string(value), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || !isJSONNumber(value) {
		return nil, errNotFloat
	}
	return value, nil
}

// isJSONNumber rejects what ParseFloat accepts but JSON does not (NaN,
// Inf, hex, underscores, a leading '+').
func isJSONNumber(b []byte) bool {
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9', c == '-', c == '.', c == 'e', c == 'E', c == '+':
		default:
			return false
		}
	}
	return len(b) > 0 && b[0] != '+'
}
