package dynamodb

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// pageArgs are the paging arguments of a query or scan field.
type pageArgs struct {
	limit     *int32
	nextToken string
	desc      bool
	sort      *keyCondition
}

// maxLimit bounds limit: DynamoDB reads at most 1 MB a page anyway.
const maxLimit = 1000

// parsePageArgs reads limit, nextToken, order and, for an index with a
// sort key, its key condition. defaultDesc is the order when none is
// given.
func (s *source) parsePageArgs(t *table, ix *index, args map[string]json.RawMessage, defaultDesc bool) (pageArgs, error) {
	p := pageArgs{desc: defaultDesc}
	if raw, ok := args["limit"]; ok && string(raw) != "null" {
		var n int64
		if err := json.Unmarshal(raw, &n); err != nil || n < 1 || n > maxLimit {
			return p, s.badInput("limit must be between 1 and %d", maxLimit)
		}
		n32 := int32(n)
		p.limit = &n32
	}
	if raw, ok := args["nextToken"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &p.nextToken); err != nil {
			return p, s.badInput("nextToken must be a string")
		}
	}
	if raw, ok := args["order"]; ok && string(raw) != "null" {
		var order string
		_ = json.Unmarshal(raw, &order)
		switch order {
		case "ASC":
			p.desc = false
		case "DESC":
			p.desc = true
		default:
			return p, s.badInput("order must be ASC or DESC")
		}
	}
	if ix != nil && ix.key.sort != nil {
		if raw, ok := args[ix.key.sort.field]; ok && string(raw) != "null" {
			c, err := parseKeyCondition(ix.key.sort, raw)
			if err != nil {
				return p, s.badInput("%s of table %s: %v", ix.key.sort.field, t.name, err)
			}
			p.sort = c
		}
	}
	return p, nil
}

// keyCondition is a condition on a sort key: one operator and its values.
type keyCondition struct {
	op     string
	values []types.AttributeValue
}

// parseKeyCondition reads a <Scalar>KeyCondition input object.
func parseKeyCondition(a *attribute, raw json.RawMessage) (*keyCondition, error) {
	var in map[string]json.RawMessage
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, fmt.Errorf("expected a key condition object")
	}
	var c *keyCondition
	for op, v := range in {
		if string(v) == "null" {
			continue
		}
		if c != nil {
			return nil, fmt.Errorf("give one of eq, lt, lte, gt, gte, between and beginsWith, not %s and %s", c.op, op)
		}
		c = &keyCondition{op: op}
		var raws []json.RawMessage
		switch op {
		case "eq", "lt", "lte", "gt", "gte", "beginsWith":
			raws = []json.RawMessage{v}
		case "between":
			if err := json.Unmarshal(v, &raws); err != nil || len(raws) != 2 {
				return nil, fmt.Errorf("between takes two values, the low and the high bound")
			}
		default:
			return nil, fmt.Errorf("unknown operator %q", op)
		}
		for _, r := range raws {
			av, err := encodeScalar(a.typ.scalar, r)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", op, err)
			}
			c.values = append(c.values, av)
		}
	}
	return c, nil
}

// expression writes the condition on sort for a KeyConditionExpression.
func (c *keyCondition) expression(e *expr, sort *attribute) string {
	name := e.name(sort.name)
	switch c.op {
	case "between":
		return name + " BETWEEN " + e.value(c.values[0]) + " AND " + e.value(c.values[1])
	case "beginsWith":
		return "begins_with(" + name + ", " + e.value(c.values[0]) + ")"
	}
	ops := map[string]string{"eq": "=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
	return strings.Join([]string{name, ops[c.op], e.value(c.values[0])}, " ")
}
