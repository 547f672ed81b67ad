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
	// no type condition, no __typename, no batch field): their values pass
	// through as is.
	plain map[string]bool
	// batchSelections are what the source sees of each batch field's value.
	batchSelections map[*selection][]*tributary.Selection
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
		Args   []json.RawMessage `json:"args"`
		Nested []json.RawMessage `json:"nested"`
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return nil, fmt.Errorf("subgraph %q: bad fetch input: %w", l.subgraph, err)
	}
	if len(in.Args) != len(l.roots) {
		return nil, fmt.Errorf("subgraph %q: fetch input has %d argument sets for %d root fields", l.subgraph, len(in.Args), len(l.roots))
	}
	values, errs := l.callRoots(ctx, headers, in.Args)
	data := make(map[string]any, len(l.roots))
	var out fetchResponse
	sh := &shaping{l: l}
	for i, r := range l.roots {
		var partial *tributary.PartialError
		if errors.As(errs[i], &partial) && len(values[i]) > 0 {
			out.Errors = append(out.Errors, partialErrors(partial, []any{r.key}, selectionFor(l.selection, r.key))...)
		} else if errs[i] != nil {
			data[r.key] = nil
			out.Errors = append(out.Errors, l.toFetchError(errs[i], []any{r.key}))
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
		data[r.key] = sh.project(v, sel, []any{r.key})
	}
	out.Errors = append(out.Errors, sh.resolveBatches(ctx, headers, in.Nested)...)
	out.Data = data
	return json.Marshal(out)
}

// callRoots resolves the root fields of a fetch: mutations one after the
// other, query fields together, and a query field asked twice with the same
// arguments (under two aliases) once.
func (l *sourceLoader) callRoots(ctx context.Context, headers http.Header, args []json.RawMessage) ([]json.RawMessage, []error) {
	values := make([]json.RawMessage, len(l.roots))
	errs := make([]error, len(l.roots))
	ups := uploadsFrom(ctx)
	caller := callerFrom(ctx)
	call := func(i int, selection []*tributary.Selection) {
		r := l.roots[i]
		values[i], errs[i] = l.source.ResolveField(ctx, tributary.FieldCall{
			TypeName: r.typeName, FieldName: r.fieldName, Arguments: args[i], Header: headers,
			Selection: selection, Files: filesFor(r, ups), Caller: caller,
		})
	}
	if len(l.roots) == 0 {
		return values, errs
	}
	if len(l.roots) == 1 || l.roots[0].typeName == "Mutation" {
		for i, r := range l.roots {
			call(i, l.sourceSelections[r.key])
		}
		return values, errs
	}
	// same[i] is the first root field with i's field and arguments.
	same := make([]int, len(l.roots))
	first := map[string]int{}
	var distinct []int
	for i, r := range l.roots {
		id := r.typeName + "." + r.fieldName + "\x00" + string(args[i])
		if at, ok := first[id]; ok && len(ups) == 0 {
			same[i] = at
			continue
		}
		first[id], same[i] = i, i
		distinct = append(distinct, i)
	}
	selectionOf := func(i int) []*tributary.Selection {
		var merged []*selection
		shared := false
		for j := range l.roots {
			if same[j] == i {
				merged = append(merged, selectionFor(l.selection, l.roots[j].key)...)
				shared = shared || j != i
			}
		}
		if !shared {
			return l.sourceSelections[l.roots[i].key]
		}
		return sourceSelection(merged)
	}
	if len(distinct) == 1 {
		call(distinct[0], selectionOf(distinct[0]))
	} else {
		var wg sync.WaitGroup
		for _, i := range distinct {
			wg.Add(1)
			go func() { defer wg.Done(); call(i, selectionOf(i)) }()
		}
		wg.Wait()
	}
	for i := range l.roots {
		values[i], errs[i] = values[same[i]], errs[same[i]]
	}
	return values, errs
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
		Nested          []json.RawMessage `json:"nested"`
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return nil, fmt.Errorf("subgraph %q: bad entity fetch input: %w", l.subgraph, err)
	}
	trace.SpanFromContext(ctx).SetAttributes(attribute.Int(attrBatchSize, len(in.Representations)))
	results, err := l.source.ResolveEntities(ctx, tributary.EntityBatch{
		Representations: in.Representations, Header: headers, Selection: l.sourceSelections[""], Caller: callerFrom(ctx),
	})
	var out fetchResponse
	entities := make([]any, len(in.Representations))
	out.Data = map[string]any{"_entities": entities}
	if err == nil && len(results) != len(in.Representations) {
		err = fmt.Errorf("subgraph %q returned %d entities for %d representations", l.subgraph, len(results), len(in.Representations))
	}
	if err != nil {
		for i := range entities {
			out.Errors = append(out.Errors, l.entityError(err, i, in.Representations[i]))
		}
		return json.Marshal(out)
	}
	sh := &shaping{l: l}
	for i, r := range results {
		var partial *tributary.PartialError
		if errors.As(r.Err, &partial) && len(r.Data) > 0 {
			out.Errors = append(out.Errors, partialErrors(partial, []any{"_entities", i}, l.selection)...)
		} else if r.Err != nil {
			out.Errors = append(out.Errors, l.entityError(r.Err, i, in.Representations[i]))
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
		entities[i] = sh.project(v, l.selection, []any{"_entities", i})
	}
	out.Errors = append(out.Errors, sh.resolveBatches(ctx, headers, in.Nested)...)
	return json.Marshal(out)
}

// toFetchError renders an error of the Source at path. A timeout or an
// unreachable service behind it is reported as a remote subgraph's would
// be (subgraph_failures.go), with its details logged and kept from clients.
func (l *sourceLoader) toFetchError(err error, path []any) fetchError {
	var te *tributary.Error
	if errors.As(err, &te) {
		return fetchError{Message: te.Message, Path: path, Extensions: te.Extensions}
	}
	if code, ok := sourceErrorCode(err); ok {
		f := &subgraphFailure{Subgraph: l.subgraph, Code: code, Cause: err.Error()}
		return fetchError{Message: f.message(false), Path: path, Extensions: map[string]any{"code": code, failureExtension: f}}
	}
	return fetchError{Message: err.Error(), Path: path}
}

// entityError renders an error of the i-th entity. A failure's path is
// marked with the representation (entity_paths.go), so that it lands on the
// objects the representation stands for, as a remote subgraph's does.
func (l *sourceLoader) entityError(err error, i int, rep json.RawMessage) fetchError {
	fe := l.toFetchError(err, []any{"_entities", i})
	if _, failed := fe.Extensions[failureExtension]; failed {
		fe.Path = append(fe.Path, entityMarker+string(rep))
	}
	return fe
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
