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
// value. On a non-null field a refused value is the custom node's error,
// which the resolver reports at the field's path and propagates to the
// nearest nullable parent, as the spec says. On a nullable field the node
// renders a marker instead, which finishValues turns into null and an
// error at the path: the resolver would null the whole parent object.
// Non-null Booleans and enum values the library checks itself; strings are
// checked once per response, as a whole (finishValues).
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
			return &resolve.CustomNode{CustomResolve: intResult{nullable: n.Nullable}, Path: n.Path, Nullable: n.Nullable}
		}
	case *resolve.Float:
		if n.Export == nil {
			return &resolve.CustomNode{CustomResolve: floatResult{nullable: n.Nullable}, Path: n.Path, Nullable: n.Nullable}
		}
	case *resolve.Boolean:
		if n.Export == nil && n.Nullable {
			return &resolve.CustomNode{CustomResolve: booleanResult{}, Path: n.Path, Nullable: true}
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
type intResult struct{ nullable bool }

func (c intResult) Resolve(_ *resolve.Context, value []byte) ([]byte, error) {
	if i, err := strconv.ParseInt(string(value), 10, 32); err == nil {
		if value[0] == '0' && len(value) > 1 || value[0] == '-' && len(value) > 1 && value[1] == '0' && i != 0 {
			return strconv.AppendInt(nil, i, 10), nil // leading zeros are not JSON
		}
		return value, nil
	}
	f, err := strconv.ParseFloat(string(value), 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt32 || f > math.MaxInt32 {
		if c.nullable {
			return badIntJSON, nil
		}
		return nil, errNotInt
	}
	return strconv.AppendInt(nil, int64(f), 10), nil
}

// floatResult checks that an upstream Float is a finite JSON number.
type floatResult struct{ nullable bool }

func (c floatResult) Resolve(_ *resolve.Context, value []byte) ([]byte, error) {
	f, err := strconv.ParseFloat(string(value), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || !isJSONNumber(value) {
		if c.nullable {
			return badFloatJSON, nil
		}
		return nil, errNotFloat
	}
	return value, nil
}

// booleanResult checks a nullable Boolean; on a non-null one the
// library's own check already does what the spec says.
type booleanResult struct{}

func (booleanResult) Resolve(_ *resolve.Context, value []byte) ([]byte, error) {
	if string(value) == "true" || string(value) == "false" {
		return value, nil
	}
	return badBooleanJSON, nil
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
