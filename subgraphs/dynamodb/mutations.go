package dynamodb

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tributary-gw/tributary"
)

// put writes a whole item (PutItem) and returns it as written.
func (s *source) put(ctx context.Context, t *table, args map[string]json.RawMessage, sel []*tributary.Selection) (json.RawMessage, error) {
	var input map[string]json.RawMessage
	if err := json.Unmarshal(args["input"], &input); err != nil || input == nil {
		return nil, s.badInput("%s: input must be a %sInput object", t.put, t.typeName)
	}
	it := make(item, len(input))
	for field, raw := range input {
		a := t.byField[field]
		if a == nil {
			return nil, s.badInput("%s: %s is not a field of %sInput", t.put, field, t.typeName)
		}
		av, err := encodeAttr(a, raw)
		if err != nil {
			return nil, s.badInput("%s: input.%s: %v", t.put, field, err)
		}
		if av != nil {
			it[a.name] = av
		}
	}
	if _, err := s.itemKey(t, input); err != nil {
		return nil, s.badInput("%s: input.%v", t.put, err)
	}
	var e expr
	cond, err := s.condition(&e, t, args["condition"])
	if err != nil {
		return nil, s.badInput("%s: condition: %v", t.put, err)
	}
	_, err = s.db.PutItem(ctx, &ddb.PutItemInput{
		TableName:                 aws.String(t.name),
		Item:                      it,
		ConditionExpression:       optional(cond),
		ExpressionAttributeNames:  e.attributeNames(),
		ExpressionAttributeValues: e.attributeValues(),
	})
	if err != nil {
		return nil, s.callError(ctx, "PutItem", t.name, err)
	}
	obj, errs := s.appendObject(nil, s.readsFor(t, sel), it, nil)
	return obj, partial(errs)
}

// update sets and removes attributes of one item (UpdateItem) and returns
// the item as it is afterwards. Like DynamoDB, it creates the item when
// it does not exist, unless a condition says otherwise.
func (s *source) update(ctx context.Context, t *table, args map[string]json.RawMessage, sel []*tributary.Selection) (json.RawMessage, error) {
	key, err := s.itemKey(t, args)
	if err != nil {
		return nil, s.badInput("%s: %v", t.update, err)
	}
	var e expr
	var sets, removes []string
	if raw := args["set"]; len(raw) > 0 && string(raw) != "null" {
		var set map[string]json.RawMessage
		if err := json.Unmarshal(raw, &set); err != nil {
			return nil, s.badInput("%s: set must be a %sPatch object", t.update, t.typeName)
		}
		for _, a := range t.attrs {
			raw, ok := set[a.field]
			if !ok || a == t.key.partition || a == t.key.sort {
				continue
			}
			av, err := encodeAttr(a, raw)
			if err != nil {
				return nil, s.badInput("%s: set.%s: %v", t.update, a.field, err)
			}
			if av == nil { // setting null removes the attribute
				removes = append(removes, e.name(a.name))
			} else {
				sets = append(sets, e.name(a.name)+" = "+e.value(av))
			}
		}
	}
	var remove []string
	if raw := args["remove"]; len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &remove); err != nil {
			return nil, s.badInput("%s: remove must be a list of %sAttribute", t.update, t.typeName)
		}
	}
	for _, field := range remove {
		a := t.byField[field]
		if a == nil || a == t.key.partition || a == t.key.sort {
			return nil, s.badInput("%s: remove: %s is not an attribute that can be removed (keys cannot)", t.update, field)
		}
		removes = append(removes, e.name(a.name))
	}
	if len(sets)+len(removes) == 0 {
		return nil, s.badInput("%s: give set or remove, or both", t.update)
	}
	var update []string
	if len(sets) > 0 {
		update = append(update, "SET "+strings.Join(sets, ", "))
	}
	if len(removes) > 0 {
		update = append(update, "REMOVE "+strings.Join(removes, ", "))
	}
	cond, err := s.condition(&e, t, args["condition"])
	if err != nil {
		return nil, s.badInput("%s: condition: %v", t.update, err)
	}
	out, err := s.db.UpdateItem(ctx, &ddb.UpdateItemInput{
		TableName:                 aws.String(t.name),
		Key:                       key,
		UpdateExpression:          aws.String(strings.Join(update, " ")),
		ConditionExpression:       optional(cond),
		ExpressionAttributeNames:  e.attributeNames(),
		ExpressionAttributeValues: e.attributeValues(),
		ReturnValues:              types.ReturnValueAllNew,
	})
	if err != nil {
		return nil, s.callError(ctx, "UpdateItem", t.name, err)
	}
	obj, errs := s.appendObject(nil, s.readsFor(t, sel), out.Attributes, nil)
	return obj, partial(errs)
}

// delete removes one item (DeleteItem) and returns it as it was, or null
// when there was none.
func (s *source) delete(ctx context.Context, t *table, args map[string]json.RawMessage, sel []*tributary.Selection) (json.RawMessage, error) {
	key, err := s.itemKey(t, args)
	if err != nil {
		return nil, s.badInput("%s: %v", t.remove, err)
	}
	var e expr
	cond, err := s.condition(&e, t, args["condition"])
	if err != nil {
		return nil, s.badInput("%s: condition: %v", t.remove, err)
	}
	out, err := s.db.DeleteItem(ctx, &ddb.DeleteItemInput{
		TableName:                 aws.String(t.name),
		Key:                       key,
		ConditionExpression:       optional(cond),
		ExpressionAttributeNames:  e.attributeNames(),
		ExpressionAttributeValues: e.attributeValues(),
		ReturnValues:              types.ReturnValueAllOld,
	})
	if err != nil {
		return nil, s.callError(ctx, "DeleteItem", t.name, err)
	}
	if len(out.Attributes) == 0 {
		return json.RawMessage("null"), nil
	}
	obj, errs := s.appendObject(nil, s.readsFor(t, sel), out.Attributes, nil)
	return obj, partial(errs)
}

// condition writes a <Type>Condition input as a ConditionExpression: every
// part must hold. "" when there is none.
func (s *source) condition(e *expr, t *table, raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var c struct {
		Exists    []string                   `json:"exists"`
		NotExists []string                   `json:"notExists"`
		Equals    map[string]json.RawMessage `json:"equals"`
		NotEquals map[string]json.RawMessage `json:"notEquals"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return "", fmt.Errorf("expected a %sCondition object", t.typeName)
	}
	var parts []string
	attr := func(field string) (*attribute, error) {
		if a := t.byField[field]; a != nil {
			return a, nil
		}
		return nil, fmt.Errorf("%s is not an attribute of %s", field, t.typeName)
	}
	for _, list := range []struct {
		fn     string
		fields []string
	}{{"attribute_exists", c.Exists}, {"attribute_not_exists", c.NotExists}} {
		for _, f := range list.fields {
			a, err := attr(f)
			if err != nil {
				return "", err
			}
			parts = append(parts, list.fn+"("+e.name(a.name)+")")
		}
	}
	for _, cmp := range []struct {
		op     string
		values map[string]json.RawMessage
	}{{" = ", c.Equals}, {" <> ", c.NotEquals}} {
		for _, a := range t.attrs { // in a fixed order
			raw, ok := cmp.values[a.field]
			if !ok {
				continue
			}
			av, err := encodeAttr(a, raw)
			if err != nil {
				return "", fmt.Errorf("%s: %w", a.field, err)
			}
			if av != nil {
				parts = append(parts, e.name(a.name)+cmp.op+e.value(av))
			}
		}
	}
	return strings.Join(parts, " AND "), nil
}
