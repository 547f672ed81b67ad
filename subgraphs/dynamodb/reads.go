package dynamodb

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/internal/jsonscan"
)

// get reads one item by primary key: GetItem, the selected attributes
// only.
func (s *source) get(ctx context.Context, t *table, args map[string]json.RawMessage, sel []*tributary.Selection) (json.RawMessage, error) {
	key, err := s.itemKey(t, args)
	if err != nil {
		return nil, s.badInput("%s: %v", t.get, err)
	}
	rs := s.readsFor(t, sel)
	var e expr
	out, err := s.db.GetItem(ctx, &ddb.GetItemInput{
		TableName:                aws.String(t.name),
		Key:                      key,
		ProjectionExpression:     aws.String(e.projection(rs.attrs)),
		ExpressionAttributeNames: e.attributeNames(),
	})
	if err != nil {
		return nil, s.callError(ctx, "GetItem", t.name, err)
	}
	if out.Item == nil {
		return json.RawMessage("null"), nil
	}
	obj, errs := s.appendObject(nil, rs, out.Item, nil)
	return obj, partial(errs)
}

// queryField resolves an index (or table key) query root field.
func (s *source) queryField(ctx context.Context, t *table, ix *index, args map[string]json.RawMessage, sel []*tributary.Selection) (json.RawMessage, error) {
	pk := ix.key.partition
	partition, err := encodeAttr(pk, args[pk.field])
	if err != nil || partition == nil {
		return nil, s.badInput("%s: %s must be a %s", ix.field, pk.field, pk.typ.scalar)
	}
	page, err := s.parsePageArgs(t, ix, args, false)
	if err != nil {
		return nil, err
	}
	return s.query(ctx, t, ix, partition, page, s.readsFor(t, itemsSelection(sel)))
}

// query reads one page of the items of a partition of ix, and returns it
// as a page object: {"items": [...], "nextToken": ...}.
func (s *source) query(ctx context.Context, t *table, ix *index, partition types.AttributeValue, page pageArgs, rs readSet) (json.RawMessage, error) {
	want := cursor{Table: t.name, Index: ix.name}
	want.Partition, _ = keyText(partition)
	start, err := s.startKey(page.nextToken, want, t, ix)
	if err != nil {
		return nil, err
	}
	var e expr
	cond := e.name(ix.key.partition.name) + " = " + e.value(partition)
	if page.sort != nil {
		cond += " AND " + page.sort.expression(&e, ix.key.sort)
	}
	in := &ddb.QueryInput{
		TableName:                 aws.String(t.name),
		IndexName:                 optional(ix.name),
		KeyConditionExpression:    aws.String(cond),
		ProjectionExpression:      aws.String(e.projection(rs.attrs)),
		ExpressionAttributeNames:  e.attributeNames(),
		ExpressionAttributeValues: e.attributeValues(),
		ExclusiveStartKey:         start,
		Limit:                     page.limit,
		ScanIndexForward:          aws.Bool(!page.desc),
	}
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return nil, s.callError(ctx, "Query", t.name, err)
	}
	return s.pageObject(want, rs, out.Items, out.LastEvaluatedKey)
}

// scan resolves a scan root field: one page of the whole table.
func (s *source) scan(ctx context.Context, t *table, args map[string]json.RawMessage, sel []*tributary.Selection) (json.RawMessage, error) {
	page, err := s.parsePageArgs(t, nil, args, false)
	if err != nil {
		return nil, err
	}
	want := cursor{Table: t.name}
	start, err := s.startKey(page.nextToken, want, t, nil)
	if err != nil {
		return nil, err
	}
	rs := s.readsFor(t, itemsSelection(sel))
	var e expr
	out, err := s.db.Scan(ctx, &ddb.ScanInput{
		TableName:                aws.String(t.name),
		ProjectionExpression:     aws.String(e.projection(rs.attrs)),
		ExpressionAttributeNames: e.attributeNames(),
		ExclusiveStartKey:        start,
		Limit:                    page.limit,
	})
	if err != nil {
		return nil, s.callError(ctx, "Scan", t.name, err)
	}
	return s.pageObject(want, rs, out.Items, out.LastEvaluatedKey)
}

// startKey checks a client's nextToken; "" starts at the beginning.
func (s *source) startKey(token string, want cursor, t *table, ix *index) (item, error) {
	if token == "" {
		return nil, nil
	}
	names := []string{}
	for _, a := range t.key.attrs() {
		names = append(names, a.name)
	}
	if ix != nil && ix.name != "" {
		for _, a := range ix.key.attrs() {
			if !slices.Contains(names, a.name) {
				names = append(names, a.name)
			}
		}
	}
	key, err := s.tokens.decode(token, want, names)
	if err != nil {
		return nil, s.badInput("nextToken is not valid here: %v", err)
	}
	return key, nil
}

// pageObject writes a page of items and the token of the next page.
func (s *source) pageObject(c cursor, rs readSet, items []item, last item) (json.RawMessage, error) {
	token, err := s.tokens.encode(c, last)
	if err != nil {
		return nil, s.errorf(codeInternal, "table %s: %v", rs.t.name, err)
	}
	var errs []*tributary.Error
	buf := append(make([]byte, 0, 256+len(items)*(64+32*len(rs.attrs))), `{"items":[`...)
	for i, it := range items {
		if i > 0 {
			buf = append(buf, ',')
		}
		var itemErrs []*tributary.Error
		buf, itemErrs = s.appendObject(buf, rs, it, []any{"items", i})
		errs = append(errs, itemErrs...)
	}
	buf = append(buf, `],"nextToken":`...)
	if token == "" {
		buf = append(buf, "null"...)
	} else {
		buf = jsonscan.AppendString(buf, token)
	}
	return append(buf, '}'), partial(errs)
}
