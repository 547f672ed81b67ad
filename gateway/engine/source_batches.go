package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/tributary-gw/tributary"
)

// A Load shapes the source's plain values into the client's selection
// (project). Fields resolved by calls of their own (selection.batch) are
// left as holes on the way; once a whole level is shaped, the holes are
// grouped by field and arguments, each group is one ResolveFieldBatch call
// over its distinct parents, and the results are shaped in turn, which may
// leave the holes of the next level.

// shaping is one Load's shaping work.
type shaping struct {
	l     *sourceLoader
	holes []*hole
}

// hole is a batch field of one parent object, still to be resolved.
type hole struct {
	sel    *selection
	parent map[string]any // as the source returned it
	out    map[string]any // the shaped parent, which receives sel.key
	path   []any          // response path of out, relative to the fetch data
}

// project shapes a source's plain value into what the client selected: each
// selected field under its response key (so aliases work), nested values
// shaped recursively, __typename filled in for concrete types. path is the
// value's response path; it is copied when a hole is recorded.
func (sh *shaping) project(v any, sel []*selection, path []any) any {
	if len(sel) == 0 {
		return v
	}
	switch t := v.(type) {
	case []any:
		out := make([]any, len(t))
		for i := range t {
			out[i] = sh.project(t[i], sel, append(path, i))
		}
		return out
	case map[string]any:
		typename, _ := t["__typename"].(string)
		out := make(map[string]any, len(sel)+1)
		// Abstract types are resolved by __typename, so a concrete one is
		// kept; an interface object's answer names the interface, which must
		// not overwrite the concrete name the parent already holds.
		objectTypes := sh.l.objectTypes
		if objectTypes[typename] {
			out["__typename"] = typename
		}
		for _, s := range sel {
			if s.onType != "" && typename != s.onType && objectTypes[typename] {
				continue
			}
			switch {
			case s.name == "__typename":
				if typename != "" {
					out[s.key] = typename
				} else {
					out[s.key] = s.parent
				}
			case s.batch:
				out[s.key] = nil
				sh.holes = append(sh.holes, &hole{sel: s, parent: t, out: out, path: append([]any(nil), path...)})
			default:
				out[s.key] = sh.project(t[s.name], s.children, append(path, s.key))
			}
		}
		return out
	default:
		return v
	}
}

// fieldBatch is one ResolveFieldBatch call: a field with one argument set
// over the distinct parents of the holes that asked for it.
type fieldBatch struct {
	typeName, fieldName string
	args                json.RawMessage
	sels                []*selection // distinct selections (aliases) in it
	holes               []*hole
	parentOf            []int // per hole, its parent's index in parents
	parents             []json.RawMessage
	results             []tributary.Result
	err                 error
}

// resolveBatches resolves the holes level by level and returns the errors
// to report, with paths relative to the fetch data.
func (sh *shaping) resolveBatches(ctx context.Context, header http.Header, nested []json.RawMessage) []fetchError {
	var errs []fetchError
	for len(sh.holes) > 0 {
		level := sh.holes
		sh.holes = nil
		batches, groupErrs := sh.group(level, nested)
		errs = append(errs, groupErrs...)
		sh.call(ctx, header, batches)
		for _, b := range batches {
			errs = append(errs, sh.fill(b)...)
		}
	}
	return errs
}

// group puts a level's holes into batches: one per field, parent type and
// argument values, each parent object listed once.
func (sh *shaping) group(level []*hole, nested []json.RawMessage) ([]*fieldBatch, []fetchError) {
	var batches []*fieldBatch
	var errs []fetchError
	byKey := map[string]*fieldBatch{}
	parentIndex := map[*fieldBatch]map[string]int{}
	for _, h := range level {
		if h.sel.args >= len(nested) {
			errs = append(errs, fetchError{Message: fmt.Sprintf("subgraph %q: the fetch input lacks the arguments of %s.%s", sh.l.subgraph, h.sel.parent, h.sel.name),
				Path: childPath(h.path, h.sel.key)})
			continue
		}
		args := nested[h.sel.args]
		key := h.sel.parent + "." + h.sel.name + "\x00" + string(args)
		b := byKey[key]
		if b == nil {
			b = &fieldBatch{typeName: h.sel.parent, fieldName: h.sel.name, args: args}
			byKey[key] = b
			parentIndex[b] = map[string]int{}
			batches = append(batches, b)
		}
		raw, err := json.Marshal(h.parent)
		if err != nil {
			errs = append(errs, fetchError{Message: fmt.Sprintf("subgraph %q: %v", sh.l.subgraph, err), Path: childPath(h.path, h.sel.key)})
			continue
		}
		at, seen := parentIndex[b][string(raw)]
		if !seen {
			at = len(b.parents)
			parentIndex[b][string(raw)] = at
			b.parents = append(b.parents, raw)
		}
		if !containsSelection(b.sels, h.sel) {
			b.sels = append(b.sels, h.sel)
		}
		b.holes = append(b.holes, h)
		b.parentOf = append(b.parentOf, at)
	}
	return batches, errs
}

// childPath is a new path: path, then step.
func childPath(path []any, step any) []any {
	return append(append(make([]any, 0, len(path)+1), path...), step)
}

func containsSelection(sels []*selection, s *selection) bool {
	for _, x := range sels {
		if x == s {
			return true
		}
	}
	return false
}

// call runs a level's batches, concurrently when there are several.
func (sh *shaping) call(ctx context.Context, header http.Header, batches []*fieldBatch) {
	caller := callerFrom(ctx)
	run := func(b *fieldBatch) {
		ctx, span := tracer.Start(ctx, "subgraph "+sh.l.subgraph+" "+b.typeName+"."+b.fieldName, trace.WithAttributes(
			attribute.String(attrSubgraph, sh.l.subgraph), attribute.Int(attrBatchSize, len(b.parents))))
		defer span.End()
		b.results, b.err = sh.l.source.ResolveFieldBatch(ctx, tributary.FieldBatch{
			TypeName: b.typeName, FieldName: b.fieldName, Arguments: b.args, Parents: b.parents,
			Selection: sh.l.batchSelection(b.sels), Header: header, Caller: caller,
		})
		if b.err == nil && len(b.results) != len(b.parents) {
			b.err = fmt.Errorf("subgraph %q returned %d values of %s.%s for %d parents", sh.l.subgraph, len(b.results), b.typeName, b.fieldName, len(b.parents))
		}
		if b.err != nil {
			span.RecordError(b.err)
		}
	}
	if len(batches) == 1 {
		run(batches[0])
		return
	}
	var wg sync.WaitGroup
	for _, b := range batches {
		wg.Add(1)
		go func() { defer wg.Done(); run(b) }()
	}
	wg.Wait()
}

// batchSelection is what the source sees of a batch's value: the planned
// selection of its one field, or the union of its aliases'.
func (l *sourceLoader) batchSelection(sels []*selection) []*tributary.Selection {
	if len(sels) == 1 {
		return l.batchSelections[sels[0]]
	}
	var children []*selection
	for _, s := range sels {
		children = append(children, s.children...)
	}
	return sourceSelection(children)
}

// fill shapes a batch's results into its holes and returns their errors.
func (sh *shaping) fill(b *fieldBatch) []fetchError {
	var errs []fetchError
	decoded := make([]any, len(b.parents))
	failed := make([]error, len(b.parents))
	if b.err == nil {
		for i, r := range b.results {
			if len(r.Data) > 0 {
				decoded[i], failed[i] = decodeValue(r.Data)
				if failed[i] != nil {
					failed[i] = fmt.Errorf("subgraph %q returned invalid JSON for %s.%s: %w", sh.l.subgraph, b.typeName, b.fieldName, failed[i])
				}
			}
		}
	}
	for i, h := range b.holes {
		path := childPath(h.path, h.sel.key)
		if b.err != nil {
			errs = append(errs, sh.l.toFetchError(b.err, path))
			continue
		}
		at := b.parentOf[i]
		if failed[at] != nil {
			errs = append(errs, sh.l.toFetchError(failed[at], path))
			continue
		}
		var partial *tributary.PartialError
		if err := b.results[at].Err; errors.As(err, &partial) && decoded[at] != nil {
			errs = append(errs, partialErrors(partial, path, h.sel.children)...)
		} else if err != nil {
			errs = append(errs, sh.l.toFetchError(err, path))
			continue
		}
		h.out[h.sel.key] = sh.project(decoded[at], h.sel.children, path)
	}
	return errs
}
