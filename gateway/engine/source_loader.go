package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/datasource/httpclient"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/tributary-gw/tributary"
)

// sourceLoader is the runtime half of a fetch against a tributary.Source. It
// is built once per plan and shared by every request using that plan, so it
// holds only what planning decided.
type sourceLoader struct {
	subgraph  string
	source    tributary.Source
	selection []*selection
	roots     []rootCall
	entities  bool
	// sourceSelections are selection, per root field (root fetches) or of
	// the entities, as the Source sees them: by field name, aliases merged.
	sourceSelections map[string][]*tributary.Selection
	// plain marks root fields whose selection needs no shaping (no alias,
	// no type condition, no __typename): their values pass through as is.
	plain map[string]bool
	// objectTypes are the supergraph's concrete object types: a type
	// condition filters an object only when its __typename is one of them
	// (an @interfaceObject subgraph answers with the interface's name).
	objectTypes map[string]bool
}

var tracer = otel.Tracer("github.com/tributary-gw/tributary")

// fetchError is a GraphQL error as a subgraph response carries it.
type fetchError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

type fetchResponse struct {
	Data   any          `json:"data"`
	Errors []fetchError `json:"errors,omitempty"`
}

// Load implements resolve.DataSource.
func (l *sourceLoader) Load(ctx context.Context, headers http.Header, input []byte) ([]byte, error) {
	ctx, span := tracer.Start(ctx, "subgraph "+l.subgraph, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String(attrSubgraph, l.subgraph)))
	defer span.End()
	var out []byte
	var err error
	if l.entities {
		out, err = l.loadEntities(ctx, headers, input)
	} else {
		out, err = l.loadRootFields(ctx, headers, input)
	}
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	return out, err
}

// LoadWithFiles implements resolve.DataSource. The resolver's files are
// prepared for remote subgraphs; a Source gets the request's own files
// (with name, type and size) from ctx, as Load does.
func (l *sourceLoader) LoadWithFiles(ctx context.Context, headers http.Header, input []byte, _ []*httpclient.FileUpload) ([]byte, error) {
	return l.Load(ctx, headers, input)
}

func (l *sourceLoader) loadRootFields(ctx context.Context, headers http.Header, input []byte) ([]byte, error) {
	var in struct {
		Args []json.RawMessage `json:"args"`
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return nil, fmt.Errorf("subgraph %q: bad fetch input: %w", l.subgraph, err)
	}
	if len(in.Args) != len(l.roots) {
		return nil, fmt.Errorf("subgraph %q: fetch input has %d argument sets for %d root fields", l.subgraph, len(in.Args), len(l.roots))
	}
	values := make([]json.RawMessage, len(l.roots))
	errs := make([]error, len(l.roots))
	ups := uploadsFrom(ctx)
	call := func(i int) {
		r := l.roots[i]
		values[i], errs[i] = l.source.ResolveField(ctx, tributary.FieldCall{
			TypeName: r.typeName, FieldName: r.fieldName, Arguments: in.Args[i], Header: headers,
			Selection: l.sourceSelections[r.key], Files: filesFor(r, ups),
		})
	}
	// Mutations run in order; query fields of one subgraph run together.
	if len(l.roots) == 1 || l.roots[0].typeName == "Mutation" {
		for i := range l.roots {
			call(i)
		}
	} else {
		var wg sync.WaitGroup
		for i := range l.roots {
			wg.Add(1)
			go func() { defer wg.Done(); call(i) }()
		}
		wg.Wait()
	}
	data := make(map[string]any, len(l.roots))
	var out fetchResponse
	for i, r := range l.roots {
		var partial *tributary.PartialError
		if errors.As(errs[i], &partial) && len(values[i]) > 0 {
			out.Errors = append(out.Errors, partialErrors(partial, []any{r.key}, selectionFor(l.selection, r.key))...)
		} else if errs[i] != nil {
			data[r.key] = nil
			out.Errors = append(out.Errors, toFetchError(errs[i], []any{r.key}))
			continue
		}
		sel := selectionFor(l.selection, r.key)
		if l.plain[r.key] && json.Valid(values[i]) {
			// Nothing to rename or fill in: the value goes through as is.
			data[r.key] = values[i]
			continue
		}
		v, err := decodeValue(values[i])
		if err != nil {
			data[r.key] = nil
			out.Errors = append(out.Errors, fetchError{
				Message: fmt.Sprintf("subgraph %q returned invalid JSON for %s.%s: %v", l.subgraph, r.typeName, r.fieldName, err),
				Path:    []any{r.key},
			})
			continue
		}
		data[r.key] = l.project(v, sel)
	}
	out.Data = data
	return json.Marshal(out)
}

func selectionFor(sel []*selection, key string) []*selection {
	for _, s := range sel {
		if s.key == key {
			return s.children
		}
	}
	return nil
}

func (l *sourceLoader) loadEntities(ctx context.Context, headers http.Header, input []byte) ([]byte, error) {
	var in struct {
		Representations []json.RawMessage `json:"representations"`
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return nil, fmt.Errorf("subgraph %q: bad entity fetch input: %w", l.subgraph, err)
	}
	trace.SpanFromContext(ctx).SetAttributes(attribute.Int(attrBatchSize, len(in.Representations)))
	results, err := l.source.ResolveEntities(ctx, tributary.EntityBatch{
		Representations: in.Representations, Header: headers, Selection: l.sourceSelections[""],
	})
	var out fetchResponse
	entities := make([]any, len(in.Representations))
	out.Data = map[string]any{"_entities": entities}
	if err == nil && len(results) != len(in.Representations) {
		err = fmt.Errorf("subgraph %q returned %d entities for %d representations", l.subgraph, len(results), len(in.Representations))
	}
	if err != nil {
		for i := range entities {
			out.Errors = append(out.Errors, toFetchError(err, []any{"_entities", i}))
		}
		return json.Marshal(out)
	}
	for i, r := range results {
		var partial *tributary.PartialError
		if errors.As(r.Err, &partial) && len(r.Data) > 0 {
			out.Errors = append(out.Errors, partialErrors(partial, []any{"_entities", i}, l.selection)...)
		} else if r.Err != nil {
			out.Errors = append(out.Errors, toFetchError(r.Err, []any{"_entities", i}))
			continue
		}
		if len(r.Data) == 0 {
			continue
		}
		v, derr := decodeValue(r.Data)
		if derr != nil {
			out.Errors = append(out.Errors, fetchError{
				Message: fmt.Sprintf("subgraph %q returned invalid JSON for an entity: %v", l.subgraph, derr),
				Path:    []any{"_entities", i},
			})
			continue
		}
		entities[i] = l.project(v, l.selection)
	}
	return json.Marshal(out)
}

func toFetchError(err error, path []any) fetchError {
	var te *tributary.Error
	if errors.As(err, &te) {
		return fetchError{Message: te.Message, Path: path, Extensions: te.Extensions}
	}
	return fetchError{Message: err.Error(), Path: path}
}

func decodeValue(raw json.RawMessage) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// project shapes a Source's plain value into what the client selected: each
// selected field under its response key (so aliases work), nested values
// shaped recursively, __typename filled in for concrete types.
func (l *sourceLoader) project(v any, sel []*selection) any {
	if len(sel) == 0 {
		return v
	}
	switch t := v.(type) {
	case []any:
		out := make([]any, len(t))
		for i := range t {
			out[i] = l.project(t[i], sel)
		}
		return out
	case map[string]any:
		typename, _ := t["__typename"].(string)
		out := make(map[string]any, len(sel)+1)
		// Abstract types are resolved by __typename, so a concrete one is
		// kept; an interface object's answer names the interface, which must
		// not overwrite the concrete name the parent already holds.
		if l.objectTypes[typename] {
			out["__typename"] = typename
		}
		for _, s := range sel {
			if s.onType != "" && typename != s.onType && l.objectTypes[typename] {
				continue
			}
			if s.name == "__typename" {
				if typename != "" {
					out[s.key] = typename
				} else {
					out[s.key] = s.parent
				}
				continue
			}
			out[s.key] = l.project(t[s.name], s.children)
		}
		return out
	default:
		return v
	}
}

// sourceSelection converts the engine's selection (response keys, aliases)
// into what a Source sees: field names, each selected field once, children
// of aliased duplicates merged.
func sourceSelection(sel []*selection) []*tributary.Selection {
	if len(sel) == 0 {
		return nil
	}
	var out []*tributary.Selection
	index := map[string]*tributary.Selection{}
	var children = map[*tributary.Selection][]*selection{}
	for _, s := range sel {
		id := s.onType + "." + s.name
		ts, ok := index[id]
		if !ok {
			ts = &tributary.Selection{Name: s.name, OnType: s.onType}
			index[id] = ts
			out = append(out, ts)
		}
		children[ts] = append(children[ts], s.children...)
	}
	for _, ts := range out {
		ts.Children = sourceSelection(children[ts])
	}
	return out
}

// partialErrors places a Source's errors inside a resolved value: each
// relative path of field names and indexes becomes one path per response
// key the client used for those fields (a field selected under two aliases
// fails at both).
func partialErrors(p *tributary.PartialError, prefix []any, sel []*selection) []fetchError {
	var out []fetchError
	for _, e := range p.Errors {
		for _, path := range responsePaths(e.Path, sel) {
			full := append(append([]any(nil), prefix...), path...)
			out = append(out, fetchError{Message: e.Message, Path: full, Extensions: e.Extensions})
		}
	}
	return out
}

func responsePaths(rel []any, sel []*selection) [][]any {
	if len(rel) == 0 {
		return [][]any{nil}
	}
	switch step := rel[0].(type) {
	case int:
		var out [][]any
		for _, rest := range responsePaths(rel[1:], sel) {
			out = append(out, append([]any{step}, rest...))
		}
		return out
	case string:
		var out [][]any
		for _, s := range sel {
			if s.name != step {
				continue
			}
			for _, rest := range responsePaths(rel[1:], s.children) {
				out = append(out, append([]any{s.key}, rest...))
			}
		}
		if len(out) == 0 { // not selected under a known key: keep the name
			for _, rest := range responsePaths(rel[1:], nil) {
				out = append(out, append([]any{step}, rest...))
			}
		}
		return out
	}
	return [][]any{rel}
}

// plainSelection reports whether a value selected by sel needs no shaping:
// every field under its own name, no type conditions, no __typename to
// fill in.
func plainSelection(sel []*selection) bool {
	for _, s := range sel {
		if s.key != s.name || s.onType != "" || s.name == "__typename" || !plainSelection(s.children) {
			return false
		}
	}
	return true
}
