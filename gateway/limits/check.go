package limits

import (
	"bytes"
	"slices"
	"sync"

	"github.com/wundergraph/graphql-go-tools/v2/pkg/ast"
)

// Check measures the selected operation of a parsed, not yet normalized,
// document and returns the first limit it exceeds (depth, then aliases, then
// root fields, then fields), or nil.
//
// operationName selects the operation; empty selects the only one. When no
// operation matches (or the name is empty and there are several), Check
// returns nil: choosing the operation is the engine's job, and it reports
// that error itself.
//
// Fragment spreads are followed and each fragment is measured once, so the
// work is linear in the document's size even when fragments spread each
// other many times: a document whose fragments each spread the next twice
// measures 2^n fields after expansion without expanding anything, and is
// refused before the normalizer would inline it. A spread of an unknown fragment, or one that closes a
// fragment cycle, adds nothing; the validator reports both later.
func (l Limits) Check(doc *ast.Document, operationName string) *Violation {
	if l.MaxDepth <= 0 && l.MaxAliases <= 0 && l.MaxRootFields <= 0 && l.MaxFields <= 0 {
		return nil
	}
	op, ok := selectOperation(doc, operationName)
	if !ok {
		return nil
	}
	selectionSet := doc.OperationDefinitions[op].SelectionSet
	if !doc.OperationDefinitions[op].HasSelections {
		return nil
	}

	w := walkers.Get().(*walker)
	w.reset(doc)
	m := w.selectionSet(selectionSet)
	w.reset(nil)
	walkers.Put(w)

	switch {
	case l.MaxDepth > 0 && m.depth > l.MaxDepth:
		return newViolation(CodeDepth, "depth", "maxDepth", l.MaxDepth, m.depth)
	case l.MaxAliases > 0 && m.aliases > l.MaxAliases:
		return newViolation(CodeAliases, "alias count", "maxAliases", l.MaxAliases, m.aliases)
	case l.MaxRootFields > 0 && m.fields > l.MaxRootFields:
		return newViolation(CodeRootFields, "root field count", "maxRootFields", l.MaxRootFields, m.fields)
	case l.MaxFields > 0 && m.total > l.MaxFields:
		return newViolation(CodeFields, "field count (fragments expanded)", "maxFields", l.MaxFields, m.total)
	}
	return nil
}

// selectOperation finds the operation definition named name, or the only one
// when name is empty.
func selectOperation(doc *ast.Document, name string) (ref int, ok bool) {
	ref = -1
	for _, node := range doc.RootNodes {
		if node.Kind != ast.NodeKindOperationDefinition || node.Ref < 0 || node.Ref >= len(doc.OperationDefinitions) {
			continue
		}
		if name == "" {
			if ref >= 0 {
				return -1, false // ambiguous
			}
			ref = node.Ref
			continue
		}
		if string(doc.OperationDefinitionNameBytes(node.Ref)) == name {
			return node.Ref, true
		}
	}
	return ref, ref >= 0
}

// measure is what Check learns about one selection set.
type measure struct {
	// depth is the deepest field nesting below and including this set.
	depth int
	// aliases counts aliased fields in the set and below.
	aliases int
	// fields counts the fields at this set's own level, with inline
	// fragments and fragment spreads expanded.
	fields int
	// total counts every field in the set and below, with fragments
	// expanded: the size of the operation as the engine would execute it.
	total int
}

// add merges a set reached without a field in between (an inline fragment
// or a fragment spread) into m.
func (m *measure) add(inner measure) {
	m.depth = max(m.depth, inner.depth)
	m.aliases = saturatingAdd(m.aliases, inner.aliases)
	m.fields = saturatingAdd(m.fields, inner.fields)
	m.total = saturatingAdd(m.total, inner.total)
}

// countCeiling caps counts: fragments spread inside fragments multiply
// their counts, which could otherwise overflow. Any limit is far below it.
const countCeiling = 1 << 30

func saturatingAdd(a, b int) int {
	return min(a+b, countCeiling)
}

type fragmentState uint8

const (
	fragmentUnvisited fragmentState = iota
	fragmentInProgress
	fragmentMeasured
)

type fragmentMemo struct {
	state   fragmentState
	measure measure
}

// linearLookupMax is the fragment count up to which a spread finds its
// definition by scanning; above it, the walker sorts the definitions by name
// once and searches, so that a document full of fragments stays linear-ish.
const linearLookupMax = 16

// walker measures selection sets. Walkers are pooled so that Check does not
// allocate in steady state.
type walker struct {
	doc       *ast.Document
	fragments []fragmentMemo // indexed by fragment definition ref
	byName    []int          // fragment definition refs sorted by name, when many
}

var walkers = sync.Pool{New: func() any { return new(walker) }}

func (w *walker) reset(doc *ast.Document) {
	w.doc = doc
	n := 0
	if doc != nil {
		n = len(doc.FragmentDefinitions)
	}
	if cap(w.fragments) < n {
		w.fragments = make([]fragmentMemo, n)
	} else {
		w.fragments = w.fragments[:n]
		clear(w.fragments)
	}
	w.byName = w.byName[:0]
	if n > linearLookupMax {
		for ref := range n {
			w.byName = append(w.byName, ref)
		}
		// Stable, so that a duplicated name finds its first definition, as
		// ast.Document.FragmentDefinitionRef does.
		slices.SortStableFunc(w.byName, w.compareFragmentNames)
	}
}

func (w *walker) compareFragmentNames(a, b int) int {
	return bytes.Compare(w.doc.FragmentDefinitionNameBytes(a), w.doc.FragmentDefinitionNameBytes(b))
}

// fragmentRef finds the first fragment definition called name.
func (w *walker) fragmentRef(name ast.ByteSlice) (int, bool) {
	if len(w.byName) == 0 {
		return w.doc.FragmentDefinitionRef(name)
	}
	i, found := slices.BinarySearchFunc(w.byName, name, func(ref int, name ast.ByteSlice) int {
		return bytes.Compare(w.doc.FragmentDefinitionNameBytes(ref), name)
	})
	if !found {
		return -1, false
	}
	return w.byName[i], true
}

// selectionSet measures the selection set ref. Refs are bounds-checked
// because Check may see a document the parser gave up on half way.
func (w *walker) selectionSet(ref int) measure {
	var m measure
	doc := w.doc
	if ref < 0 || ref >= len(doc.SelectionSets) {
		return m
	}
	for _, selRef := range doc.SelectionSets[ref].SelectionRefs {
		if selRef < 0 || selRef >= len(doc.Selections) {
			continue
		}
		sel := doc.Selections[selRef]
		switch sel.Kind {
		case ast.SelectionKindField:
			if sel.Ref < 0 || sel.Ref >= len(doc.Fields) {
				continue
			}
			field := &doc.Fields[sel.Ref]
			fieldDepth := 1
			if field.Alias.IsDefined {
				m.aliases = saturatingAdd(m.aliases, 1)
			}
			if field.HasSelections {
				inner := w.selectionSet(field.SelectionSet)
				fieldDepth += inner.depth
				m.aliases = saturatingAdd(m.aliases, inner.aliases)
				m.total = saturatingAdd(m.total, inner.total)
			}
			m.depth = max(m.depth, fieldDepth)
			m.fields = saturatingAdd(m.fields, 1)
			m.total = saturatingAdd(m.total, 1)
		case ast.SelectionKindInlineFragment:
			if sel.Ref < 0 || sel.Ref >= len(doc.InlineFragments) {
				continue
			}
			if inline := &doc.InlineFragments[sel.Ref]; inline.HasSelections {
				m.add(w.selectionSet(inline.SelectionSet))
			}
		case ast.SelectionKindFragmentSpread:
			if sel.Ref < 0 || sel.Ref >= len(doc.FragmentSpreads) {
				continue
			}
			m.add(w.fragment(doc.FragmentSpreadNameBytes(sel.Ref)))
		}
	}
	return m
}

// fragment measures the fragment definition called name, once per Check.
func (w *walker) fragment(name ast.ByteSlice) measure {
	ref, ok := w.fragmentRef(name)
	if !ok || ref >= len(w.fragments) {
		return measure{}
	}
	memo := &w.fragments[ref]
	switch memo.state {
	case fragmentMeasured:
		return memo.measure
	case fragmentInProgress:
		return measure{} // a cycle; the validator rejects the document
	}
	memo.state = fragmentInProgress
	var m measure
	if def := &w.doc.FragmentDefinitions[ref]; def.HasSelections {
		m = w.selectionSet(def.SelectionSet)
	}
	// w.fragments is not resized during a walk, so memo is still valid.
	memo.state = fragmentMeasured
	memo.measure = m
	return m
}
