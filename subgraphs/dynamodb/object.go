package dynamodb

import (
	"fmt"
	"slices"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/internal/jsonscan"
)

// readSet is what one call reads of a table's items: the attributes to
// project, which are also the fields written to each object.
type readSet struct {
	t     *table
	attrs []*attribute
	// prefix is `{"__typename":"T"`, and keys[i] is `,"field":` for
	// attrs[i]: written once per call, copied per item.
	prefix []byte
	keys   [][]byte
}

// readsFor returns what sel (a selection of t's objects) needs: the
// selected attributes, the key (for entity matching and tokens) and the
// parent fields of selected relations.
func (s *source) readsFor(t *table, sel []*tributary.Selection) readSet {
	attrs := slices.Clone(t.key.attrs())
	add := func(a *attribute) {
		if a != nil && !slices.Contains(attrs, a) {
			attrs = append(attrs, a)
		}
	}
	rels := s.m.relationFields(t.typeName)
	for _, f := range sel {
		if f.OnType != "" && f.OnType != t.typeName {
			continue
		}
		add(t.byField[f.Name])
		if r := rels[f.Name]; r != nil {
			add(t.byField[r.parentField])
		}
	}
	rs := readSet{t: t, attrs: attrs, prefix: jsonscan.AppendString([]byte(`{"__typename":`), t.typeName)}
	for _, a := range attrs {
		rs.keys = append(rs.keys, append(jsonscan.AppendString([]byte{','}, a.field), ':'))
	}
	return rs
}

// keyOnly reports whether the reads need nothing but the primary key.
func (rs readSet) keyOnly() bool {
	return len(rs.attrs) == len(rs.t.key.attrs())
}

// itemsSelection returns the selection of a page's items.
func itemsSelection(sel []*tributary.Selection) []*tributary.Selection {
	for _, f := range sel {
		if f.Name == "items" {
			return f.Children
		}
	}
	return nil
}

// appendObject appends it as a JSON object of the read attributes, with
// its __typename. An attribute whose value does not have its declared
// type, or a missing non-null one, is null with an error at path+field
// naming the table, the item's key and the attribute.
func (s *source) appendObject(buf []byte, rs readSet, it item, path []any) ([]byte, []*tributary.Error) {
	var errs []*tributary.Error
	buf = append(buf, rs.prefix...)
	for i, a := range rs.attrs {
		buf = append(buf, rs.keys[i]...)
		av := it[a.name]
		var bad *typeMismatch
		buf, bad = appendAttr(buf, a, av)
		switch {
		case bad != nil:
			buf = append(buf, "null"...)
			errs = append(errs, s.itemError(rs.t, it, a, path, fmt.Sprintf("is %s, but it is declared %s", bad.got, a.typ)))
		case av == nil && a.typ.nonNull:
			errs = append(errs, s.itemError(rs.t, it, a, path, fmt.Sprintf("is missing, but it is declared %s", a.typ)))
		}
	}
	return append(buf, '}'), errs
}

// itemError is an error about one attribute of a stored item.
func (s *source) itemError(t *table, it item, a *attribute, path []any, what string) *tributary.Error {
	e := s.errorf(codeInvalidItem, "table %s, item %s: attribute %q %s", t.name, keyString(t, it), a.name, what)
	e.Path = append(slices.Clone(path), a.field)
	return e
}

// partial wraps item errors for the engine, or returns nil.
func partial(errs []*tributary.Error) error {
	if len(errs) == 0 {
		return nil
	}
	return &tributary.PartialError{Errors: errs}
}
