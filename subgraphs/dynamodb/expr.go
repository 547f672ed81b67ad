package dynamodb

import (
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// expr builds DynamoDB expressions. Every attribute name goes through a
// #placeholder and every value through a :placeholder, so that reserved
// words and names or values with '#', ':', quotes or any other character
// are data, never expression syntax.
type expr struct {
	names  map[string]string // placeholder → attribute name
	byName map[string]string // attribute name → placeholder
	values map[string]types.AttributeValue
}

// name returns the placeholder of an attribute name.
func (e *expr) name(attr string) string {
	if p, ok := e.byName[attr]; ok {
		return p
	}
	if e.names == nil {
		e.names, e.byName = map[string]string{}, map[string]string{}
	}
	p := "#n" + strconv.Itoa(len(e.names))
	e.names[p], e.byName[attr] = attr, p
	return p
}

// value returns a new placeholder for v.
func (e *expr) value(v types.AttributeValue) string {
	if e.values == nil {
		e.values = map[string]types.AttributeValue{}
	}
	p := ":v" + strconv.Itoa(len(e.values))
	e.values[p] = v
	return p
}

// projection writes a ProjectionExpression for attrs.
func (e *expr) projection(attrs []*attribute) string {
	var b strings.Builder
	for i, a := range attrs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(e.name(a.name))
	}
	return b.String()
}

// attributeNames is ExpressionAttributeNames, nil when empty (DynamoDB
// refuses an empty map).
func (e *expr) attributeNames() map[string]string {
	if len(e.names) == 0 {
		return nil
	}
	return e.names
}

// attributeValues is ExpressionAttributeValues, nil when empty.
func (e *expr) attributeValues() map[string]types.AttributeValue {
	if len(e.values) == 0 {
		return nil
	}
	return e.values
}

// optional returns a pointer to s, or nil for "".
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
