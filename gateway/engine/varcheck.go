package engine

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wundergraph/astjson"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/ast"
)

// checkVariableValues rejects Int variables that are not integers within
// 32 bits, Float variables that are not finite, and String or ID
// variables that are not valid UTF-8, anywhere in a variable's value
// (lists and input objects included). graphql-go-tools' variables
// validator accepts any JSON number for both number types, so 1.5 or 2^40
// would otherwise reach a subgraph as an Int. It runs per request over
// the variables the operation declares; an operation with none costs a
// loop over zero definitions.
func checkVariableValues(doc, schema *ast.Document, vars *astjson.Value) *requestError {
	if vars == nil {
		return nil
	}
	for _, root := range doc.RootNodes {
		if root.Kind != ast.NodeKindOperationDefinition {
			continue
		}
		op := doc.OperationDefinitions[root.Ref]
		if !op.HasVariableDefinitions {
			continue
		}
		for _, ref := range op.VariableDefinitions.Refs {
			name := doc.VariableDefinitionNameString(ref)
			path := "$" + name
			if msg := checkNumbers(doc, schema, doc.VariableDefinitions[ref].Type, vars.Get(name), path); msg != "" {
				return &requestError{errors: []gqlError{{
					Message:    fmt.Sprintf("Variable %q got invalid value: %s", "$"+name, msg),
					Extensions: map[string]any{"code": "BAD_USER_INPUT"},
				}}}
			}
		}
	}
	return nil
}

// checkNumbers walks value along the type typeRef of doc (the operation
// for a variable's declared type, the schema below an input object) and
// returns what is wrong, or "".
func checkNumbers(doc, schema *ast.Document, typeRef int, value *astjson.Value, path string) string {
	if value == nil || value.Type() == astjson.TypeNull {
		return ""
	}
	t := doc.Types[typeRef]
	switch t.TypeKind {
	case ast.TypeKindNonNull:
		return checkNumbers(doc, schema, t.OfType, value, path)
	case ast.TypeKindList:
		if value.Type() != astjson.TypeArray {
			return checkNumbers(doc, schema, t.OfType, value, path) // a single value coerces to a list
		}
		for i, item := range value.GetArray() {
			if msg := checkNumbers(doc, schema, t.OfType, item, path+"["+strconv.Itoa(i)+"]"); msg != "" {
				return msg
			}
		}
		return ""
	}
	name := doc.TypeNameString(typeRef)
	switch name {
	case "Int":
		if value.Type() == astjson.TypeNumber && !isInt32(value) {
			return fmt.Sprintf("at %s: Int cannot represent %s (an Int is an integer between -2^31 and 2^31-1)", path, value.MarshalTo(nil))
		}
		return ""
	case "String", "ID":
		if value.Type() == astjson.TypeString && !utf8.Valid(value.GetStringBytes()) {
			return fmt.Sprintf("at %s: a %s must be valid UTF-8", path, name)
		}
		return ""
	case "Float":
		if value.Type() == astjson.TypeNumber && !isFinite(value) {
			return fmt.Sprintf("at %s: Float cannot represent %s (a Float is a finite number)", path, value.MarshalTo(nil))
		}
		return ""
	}
	node, ok := schema.Index.FirstNodeByNameStr(name)
	if !ok || node.Kind != ast.NodeKindInputObjectTypeDefinition || value.Type() != astjson.TypeObject {
		return ""
	}
	for _, field := range schema.InputObjectTypeDefinitions[node.Ref].InputFieldsDefinition.Refs {
		fieldName := schema.InputValueDefinitionNameString(field)
		if msg := checkNumbers(schema, schema, schema.InputValueDefinitions[field].Type, value.Get(fieldName), path+"."+fieldName); msg != "" {
			return msg
		}
	}
	return ""
}

func isInt32(v *astjson.Value) bool {
	s := string(v.MarshalTo(nil))
	if _, err := strconv.ParseInt(s, 10, 32); err == nil {
		return true
	}
	if strings.ContainsAny(s, ".eE") {
		f, err := strconv.ParseFloat(s, 64)
		return err == nil && f == math.Trunc(f) && f >= math.MinInt32 && f <= math.MaxInt32
	}
	return false
}

func isFinite(v *astjson.Value) bool {
	f, err := strconv.ParseFloat(string(v.MarshalTo(nil)), 64)
	return err == nil && !math.IsInf(f, 0) && !math.IsNaN(f)
}
