package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/cespare/xxhash/v2"
	"github.com/wundergraph/astjson"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/ast"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/astnormalization"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/astparser"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/astprinter"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/astvalidation"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/plan"
)

// preparedOperation is an operation ready to execute: planned once, then
// shared read-only by every request with the same cache key.
type preparedOperation struct {
	plan plan.Plan
	// hash identifies the normalized operation: the plan cache's key.
	hash uint64
	// opType is the type of the operation the request selected.
	opType ast.OperationType
	// doc is the normalized operation, for validating each request's
	// variables.
	doc *ast.Document
	// baseVars are the variables normalization introduced (extracted literals
	// and defaults of variables the client left out), by name, as JSON.
	baseVars map[string][]byte
	// defined are the variables the client's operation declares; listVars
	// those of them with a list type, for single-value coercion.
	defined  map[string]bool
	listVars map[string]bool
	// literals are variables extracted from argument literals that refer
	// to variables; each request renders them afresh (see literals.go).
	literals []literalVar
	// uploadPaths maps a client variable to where its value lands in the
	// normalized operation's variables: the variable itself when an
	// argument uses it directly, and its place in each extracted literal.
	uploadPaths map[string][]string
	// withoutClientVars is the validation of the variables of a request
	// that sets none: they are the same for every such request, so they
	// are checked once.
	withoutClientVars struct {
		once sync.Once
		err  error
	}
}

// cacheKey hashes what decides the plan: the document, the operation name,
// which variables the client set (their defaults depend on it) and, when the
// document uses @skip/@include, the variable values themselves (normalization
// resolves those directives).
func cacheKey(query, operationName string, clientVars *astjson.Value, varsRaw []byte) uint64 {
	d := xxhash.New()
	_, _ = d.WriteString(operationName)
	_, _ = d.WriteString("\x00")
	_, _ = d.WriteString(query)
	_, _ = d.WriteString("\x00")
	if strings.Contains(query, "@skip") || strings.Contains(query, "@include") {
		_, _ = d.Write(varsRaw)
	} else if clientVars != nil {
		if o, err := clientVars.Object(); err == nil {
			names := make([]string, 0, o.Len())
			o.Visit(func(k []byte, _ *astjson.Value) { names = append(names, string(k)) })
			sort.Strings(names)
			for _, n := range names {
				_, _ = d.WriteString(n)
				_, _ = d.WriteString(",")
			}
		}
	}
	return d.Sum64()
}

// prepare runs the slow path: parse, limits, normalize, validate, plan.
//
// It gives up between phases once ctx ends, so a client that leaves (or
// times out) stops costing CPU at the next phase; a phase already running
// finishes, which the limits checked before normalizing keep short.
func (e *Engine) prepare(ctx context.Context, query, operationName string, varsRaw []byte) (*preparedOperation, *requestError) {
	if rerr := ended(ctx); rerr != nil {
		return nil, rerr
	}
	_, span := e.tracer.Start(ctx, "graphql.parse")
	doc, report := astparser.ParseGraphqlDocumentString(query)
	span.End()
	if report.HasErrors() {
		return nil, reportError(report, "GRAPHQL_PARSE_FAILED")
	}
	if rerr := ended(ctx); rerr != nil {
		return nil, rerr
	}
	if v := e.opts.Limits.Check(&doc, operationName); v != nil {
		return nil, &requestError{errors: []gqlError{{Message: v.Message, Extensions: map[string]any{"code": v.Code}}}}
	}
	opRef, rerr := selectOperation(&doc, operationName)
	if rerr != nil {
		return nil, rerr
	}
	// The selected operation's type, read before normalization: a GET may
	// only run a query, and the document's first operation need not be the
	// one selected (query Q {…} mutation M {…} with operationName M).
	opType := doc.OperationDefinitions[opRef].OperationType
	defined, listVars := variableDefinitions(&doc, opRef)
	// Only the variables the operation declares take part: an undeclared
	// one could otherwise collide with a literal the normalizer extracts.
	declared := &preparedOperation{defined: defined}
	var client *astjson.Value
	if len(varsRaw) > 0 {
		client, _ = astjson.ParseBytes(varsRaw)
	}
	doc.Input.Variables = declared.variables(client)
	clientVarNames := map[string]bool{}
	if v, err := astjson.ParseBytes(doc.Input.Variables); err == nil {
		if o, err := v.Object(); err == nil {
			o.Visit(func(k []byte, _ *astjson.Value) { clientVarNames[string(k)] = true })
		}
	}

	_, span = e.tracer.Start(ctx, "graphql.validate")
	// span is reassigned per phase; the deferred call ends whichever is open.
	defer func() { span.End() }()
	// Normalize in two passes, as the validator's messages for literal
	// arguments are clearer before literals become variables.
	operationName = doc.OperationDefinitionNameString(opRef)
	name := []byte(operationName)
	first := newOperationNormalizer()
	first.NormalizeNamedOperation(&doc, e.schema, name, &report)
	if report.HasErrors() {
		return nil, reportError(report, "GRAPHQL_VALIDATION_FAILED")
	}
	if rerr := ended(ctx); rerr != nil {
		return nil, rerr
	}
	if astvalidation.DefaultOperationValidator().Validate(&doc, e.schema, &report) != astvalidation.Valid || report.HasErrors() {
		return nil, reportError(report, "GRAPHQL_VALIDATION_FAILED")
	}
	if rerr := ended(ctx); rerr != nil {
		return nil, rerr
	}
	literals := literalArguments(&doc)
	astnormalization.NewWithOpts(astnormalization.WithExtractVariables()).NormalizeNamedOperation(&doc, e.schema, name, &report)
	if report.HasErrors() {
		return nil, reportError(report, "GRAPHQL_VALIDATION_FAILED")
	}
	if !e.opts.Introspection && usesIntrospection(&doc) {
		return nil, &requestError{errors: []gqlError{{
			Message:    "introspection is disabled on this gateway (set introspection: true in gateway.yaml to enable it)",
			Extensions: map[string]any{"code": "INTROSPECTION_DISABLED"},
		}}}
	}

	op := &preparedOperation{doc: &doc, defined: defined, listVars: listVars, baseVars: map[string][]byte{}}
	op.literals = extractedLiterals(&doc, literals, defined)
	op.uploadPaths = variablePlaces(&doc, op.literals)
	op.opType = opType
	if v, err := astjson.ParseBytes(doc.Input.Variables); err == nil {
		if o, err := v.Object(); err == nil {
			o.Visit(func(k []byte, val *astjson.Value) {
				if !clientVarNames[string(k)] {
					op.baseVars[string(k)] = val.MarshalTo(nil)
				}
			})
		}
	}

	span.End()
	if rerr := ended(ctx); rerr != nil {
		return nil, rerr
	}
	_, span = e.tracer.Start(ctx, "graphql.plan")
	// Textually different requests that normalize to the same operation
	// (other literals, whitespace, fragment layout) share one plan.
	printed, err := printOperation(&doc)
	if err != nil {
		return nil, internalError(err)
	}
	planKey := operationHash(operationName, printed)
	planned, ok := e.plans.get(planKey)
	if !ok {
		var rerr *requestError
		planned, rerr = e.planOperation(ctx, printed, doc.Input.Variables, operationName, planKey)
		if rerr != nil {
			return nil, rerr
		}
		if rerr := ended(ctx); rerr != nil {
			return nil, rerr
		}
		e.plans.put(planKey, planned, planSize(&doc))
	}
	if planned.plan == nil {
		return nil, &requestError{planFailed: planned}
	}
	op.plan = planned.plan
	op.hash = planKey
	return op, nil
}

// newOperationNormalizer is the first normalization pass of every
// operation (satisfiability's probes included): fragments inlined, only the
// selected operation kept. Extracting literals into variables is a second
// pass, after validation.
func newOperationNormalizer() *astnormalization.OperationNormalizer {
	return astnormalization.NewWithOpts(
		astnormalization.WithRemoveFragmentDefinitions(),
		astnormalization.WithRemoveUnusedVariables(),
		astnormalization.WithInlineFragmentSpreads(),
		astnormalization.WithRemoveNotMatchingOperationDefinitions(),
	)
}

// ended returns the error of a request whose context ended, or nil.
func ended(ctx context.Context) *requestError {
	if ctx.Err() == nil {
		return nil
	}
	return cancelledError()
}

// printOperation prints a normalized operation.
func printOperation(doc *ast.Document) ([]byte, error) {
	var b bytes.Buffer
	if err := astprinter.Print(doc, &b); err != nil {
		return nil, fmt.Errorf("printing the normalized operation: %w", err)
	}
	return b.Bytes(), nil
}

// operationHash hashes a printed normalized operation with its name: the
// plan cache's key, and the hash logs name an operation by.
func operationHash(operationName string, printed []byte) uint64 {
	d := xxhash.New()
	_, _ = d.WriteString(operationName)
	_, _ = d.WriteString("\x00")
	_, _ = d.Write(printed)
	return d.Sum64()
}

// selectOperation finds the operation a request names, per the spec's rules.
func selectOperation(doc *ast.Document, name string) (int, *requestError) {
	ref, count := -1, 0
	for _, root := range doc.RootNodes {
		if root.Kind != ast.NodeKindOperationDefinition {
			continue
		}
		count++
		if name == "" || doc.OperationDefinitionNameString(root.Ref) == name {
			ref = root.Ref
		}
	}
	switch {
	case count == 0:
		return -1, badRequest("the document has no operation")
	case name == "" && count > 1:
		return -1, badRequest("the document has several operations: send operationName to pick one")
	case ref == -1:
		return -1, badRequest(fmt.Sprintf("the document has no operation named %q", name))
	}
	return ref, nil
}

// variableDefinitions returns the variables an operation declares and which
// of them have list types.
func variableDefinitions(doc *ast.Document, opRef int) (defined, lists map[string]bool) {
	defined, lists = map[string]bool{}, map[string]bool{}
	for _, vd := range doc.OperationDefinitions[opRef].VariableDefinitions.Refs {
		name := doc.VariableDefinitionNameString(vd)
		defined[name] = true
		t := doc.VariableDefinitions[vd].Type
		if doc.Types[t].TypeKind == ast.TypeKindNonNull {
			t = doc.Types[t].OfType
		}
		if doc.Types[t].TypeKind == ast.TypeKindList {
			lists[name] = true
		}
	}
	return defined, lists
}

func usesIntrospection(doc *ast.Document) bool {
	for _, od := range doc.OperationDefinitions {
		if !od.HasSelections {
			continue
		}
		for _, sel := range doc.SelectionSets[od.SelectionSet].SelectionRefs {
			if doc.Selections[sel].Kind != ast.SelectionKindField {
				continue
			}
			n := doc.FieldNameString(doc.Selections[sel].Ref)
			if n == "__schema" || n == "__type" {
				return true
			}
		}
	}
	return false
}

// variables builds one request's variables: the operation's base variables
// overlaid with the client's values for the variables it declares, with a
// single value for a list variable coerced to a one-item list.
func (op *preparedOperation) variables(client *astjson.Value) []byte {
	var buf bytes.Buffer
	buf.WriteByte('{')
	n := 0
	var clientObj *astjson.Object
	if client != nil {
		clientObj, _ = client.Object()
	}
	for k, v := range op.baseVars {
		if clientObj != nil && clientObj.Get(k) != nil && op.defined[k] || op.isLiteral(k) {
			continue
		}
		writeMember(&buf, &n, k, v, false)
	}
	if clientObj != nil {
		clientObj.Visit(func(k []byte, v *astjson.Value) {
			name := string(k)
			if !op.defined[name] {
				return
			}
			wrap := op.listVars[name] && v.Type() != astjson.TypeArray && v.Type() != astjson.TypeNull
			writeMember(&buf, &n, name, v.MarshalTo(nil), wrap)
		})
	}
	if len(op.literals) > 0 {
		op.writeLiterals(&buf, &n, clientObj)
	}
	buf.WriteByte('}')
	return buf.Bytes()
}

// writeLiterals writes the variables extracted from argument literals,
// rendered with this request's values; they replace the values baked in
// at preparation.
func (op *preparedOperation) writeLiterals(buf *bytes.Buffer, n *int, clientObj *astjson.Object) {
	lookup := func(name string) ([]byte, bool) {
		if clientObj != nil && op.defined[name] {
			if v := clientObj.Get(name); v != nil {
				return v.MarshalTo(nil), true
			}
		}
		v, ok := op.baseVars[name]
		return v, ok
	}
	var value bytes.Buffer
	for _, lv := range op.literals {
		value.Reset()
		renderLiteral(&value, op.doc, lv.value, lookup)
		writeMember(buf, n, lv.name, value.Bytes(), false)
	}
}

// isLiteral reports whether name is a variable extracted from a literal.
func (op *preparedOperation) isLiteral(name string) bool {
	for _, lv := range op.literals {
		if lv.name == name {
			return true
		}
	}
	return false
}

func writeMember(buf *bytes.Buffer, n *int, key string, value []byte, wrap bool) {
	if *n > 0 {
		buf.WriteByte(',')
	}
	*n++
	k, _ := json.Marshal(key)
	buf.Write(k)
	buf.WriteByte(':')
	if wrap {
		buf.WriteByte('[')
	}
	buf.Write(value)
	if wrap {
		buf.WriteByte(']')
	}
}
