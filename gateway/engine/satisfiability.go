package engine

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	gqlast "github.com/vektah/gqlparser/v2/ast"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/ast"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/astnormalization"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/astparser"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/astvalidation"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/operationreport"
)

// Satisfiability is what CheckSatisfiable found: whether every field of
// the client schema can be asked for by some query the planner plans.
//
// A supergraph can compose and still hold fields no query reaches: two
// subgraphs that both define Product without a key they share compose into
// one Product, but a Product that one of them returned cannot be completed
// with the other's fields, and a query asking for them fails at run time
// with "missing paths". Apollo's composition rejects such a supergraph
// (its satisfiability check); CheckSatisfiable does the same by planning,
// with the planner serve uses, a query that reaches each field.
type Satisfiability struct {
	// Fields counts the distinct fields (Type.field) that were planned.
	Fields int
	// Plans counts the operations planned, bisections included.
	Plans int
	// Unsatisfiable lists the fields that did not plan, one entry per
	// field and path tried, sorted by coordinate, shortest path (then
	// query) first.
	Unsatisfiable []Unsatisfiable
	// Unchecked lists the fields (Type.field) not checked because every
	// path to their type goes through a field that did not plan: fixing
	// those fixes the way to these.
	Unchecked []string
	// Invalid lists the fields for which no valid query could be built
	// (a schema this checker does not understand); they are not counted
	// as unsatisfiable.
	Invalid []Unsatisfiable
}

// Unsatisfiable is one field that no query reaching it by Path plans.
type Unsatisfiable struct {
	// Type and Field name the field: Type.Field.
	Type, Field string
	// Path is the response path to the field from the root, an abstract
	// type's member selected with an inline fragment written [Member]:
	// "topProducts.books", "search[Book].title".
	Path string
	// Operation is the root operation type: query, mutation or subscription.
	Operation string
	// Query is the operation tried: Path with this field alone at its end.
	Query string
	// ParentSubgraphs resolve the field that returns the parent object at
	// Path: where the planner starts from to complete it. Empty for root
	// fields.
	ParentSubgraphs []string
	// FieldSubgraphs resolve the field itself (not as @external).
	FieldSubgraphs []string
	// Reason is the planner's error, or what is wrong with the plan it
	// returned (a field sent to a subgraph that cannot resolve it there).
	Reason string
	// Cause says which link between the parent's and the field's
	// subgraphs is missing, as far as the keys tell.
	Cause Cause
	// EntityKeys are the @key field sets by which each of FieldSubgraphs
	// resolves Type (entity lookups), by subgraph.
	EntityKeys map[string][]string
	// SharedFields are leaf fields of Type that a parent subgraph and a
	// field subgraph both resolve: candidates for a key they share, the
	// likeliest first.
	SharedFields []string
	// Lookups are the root query fields of FieldSubgraphs that return
	// Type: candidates for the operation that fetches it by key.
	Lookups []Lookup
}

// Coordinate returns "Type.Field".
func (u Unsatisfiable) Coordinate() string { return u.Type + "." + u.Field }

// Cause classifies an unsatisfiable field by the keys of the subgraphs
// involved.
type Cause int

const (
	// CauseOther: the keys allow the jump (or no jump is needed); the
	// planner's reason says what else is missing (a @requires field, an
	// @external field without @provides…).
	CauseOther Cause = iota
	// CauseNoEntity: no subgraph that resolves the field resolves its type
	// by a key, so the gateway cannot fetch the field for an object another
	// subgraph returned. The fix is a @key (an `entities:` join for an
	// openapi subgraph) on a field both subgraphs have.
	CauseNoEntity
	// CauseKeyUnavailable: a subgraph that resolves the field resolves its
	// type by key, but the parent's subgraphs do not have that key's
	// fields.
	CauseKeyUnavailable
)

// Lookup is a root query field of a subgraph that returns a type.
type Lookup struct {
	// Subgraph resolves the field.
	Subgraph string
	// Field is the root field's name.
	Field string
	// Arguments are its arguments' names and types ("upc: [String!]!").
	Arguments []LookupArgument
	// List says the field returns a list of the type.
	List bool
}

// LookupArgument is one argument of a Lookup.
type LookupArgument struct {
	Name, Type string
}

// batchFields bounds the fields planned in one operation, which keeps
// each operation the size of a large client query and the bisection of a
// failing one short.
const batchFields = 64

// CheckSatisfiable plans, with the planner serve uses, a query that
// reaches each field of each type reachable from the root types, and
// returns the fields that do not plan.
//
// Types are visited breadth first from the root types, and only through
// fields that planned, so each type is reached by a shortest path that
// works and a field that does not plan is reported once, not again for
// every type below it. A type is checked once per distinct set of
// subgraphs that return it (Product reached through products'
// topProducts and through reviews' Review.product are two checks), as a
// field can be reachable from one subgraph's Product and not from
// another's. Each check plans one operation with all the type's fields
// (at most batchFields at a time) and bisects one that fails down to the
// fields at fault. Required arguments are given variables of their type.
func (e *Engine) CheckSatisfiable(ctx context.Context) (*Satisfiability, error) {
	c, err := newSatisfiabilityChecker(e)
	if err != nil {
		return nil, err
	}
	return c.run(ctx)
}

// satisfiabilityChecker holds one CheckSatisfiable run.
type satisfiabilityChecker struct {
	e       *Engine
	schema  *schemaIndex
	graphs  *subgraphFacts
	mu      sync.Mutex
	plans   int
	checked map[string]bool
}

func newSatisfiabilityChecker(e *Engine) (*satisfiabilityChecker, error) {
	schema, err := newSchemaIndex(e.clientSDL, e.schema)
	if err != nil {
		return nil, err
	}
	return &satisfiabilityChecker{e: e, schema: schema, graphs: newSubgraphFacts(e.planConfig.DataSources), checked: map[string]bool{}}, nil
}

// nodeResult is the outcome of checking one reachNode: the fields that
// did not plan, and those no valid query could be built for.
type nodeResult struct {
	failed, invalid map[string]fieldPlanFailure
}

// fieldPlanFailure is why one field's operation did not plan.
type fieldPlanFailure struct {
	query, reason string
}

func (c *satisfiabilityChecker) run(ctx context.Context) (*Satisfiability, error) {
	out := &Satisfiability{}
	seen := map[string]bool{}
	var level []*reachNode
	for _, r := range c.schema.roots {
		n := &reachNode{typeName: r.typeName, operation: r.operation}
		seen[n.key()] = true
		level = append(level, n)
	}
	reached := map[string]bool{} // types reached through a field that planned
	for len(level) > 0 {
		results, err := c.checkLevel(ctx, level)
		if err != nil {
			return nil, err
		}
		var next []*reachNode
		for i, n := range level {
			reached[n.typeName] = true
			res := results[i]
			// Fields without required arguments go first, so that a type
			// reached both ways is checked by the simpler query.
			fields := c.schema.fields(n.typeName)
			slices.SortStableFunc(fields, func(a, b *gqlast.FieldDefinition) int {
				return boolCompare(hasRequiredArguments(a), hasRequiredArguments(b))
			})
			for _, f := range fields {
				if fail, ok := res.failed[f.Name]; ok {
					out.Unsatisfiable = append(out.Unsatisfiable, c.describe(n, f.Name, fail))
					continue
				}
				if fail, ok := res.invalid[f.Name]; ok {
					out.Invalid = append(out.Invalid, c.describe(n, f.Name, fail))
					continue
				}
				child := f.Type.Name()
				if !c.schema.isComposite(child) || c.schema.isRoot(child) {
					continue
				}
				via := c.graphs.resolvers(n.typeName, f.Name)
				if len(via) == 0 {
					via = n.via
				}
				cn := &reachNode{typeName: child, operation: n.operation, parent: n, field: f, via: via}
				if !seen[cn.key()] {
					seen[cn.key()] = true
					next = append(next, cn)
				}
			}
			// An abstract type leads to each of its possible types through
			// an inline fragment, with the subgraphs that returned it.
			for _, member := range c.schema.possible[n.typeName] {
				cn := &reachNode{typeName: member, operation: n.operation, parent: n, fragment: true, via: n.via}
				if !seen[cn.key()] {
					seen[cn.key()] = true
					next = append(next, cn)
				}
			}
		}
		level = next
	}
	for _, name := range c.schema.order {
		if reached[name] || !c.schema.reachable[name] {
			continue
		}
		for _, f := range c.schema.fields(name) {
			out.Unchecked = append(out.Unchecked, name+"."+f.Name)
		}
	}
	sortUnsatisfiable(out.Unsatisfiable)
	sortUnsatisfiable(out.Invalid)
	out.Fields, out.Plans = len(c.checked), c.plans
	return out, nil
}

// checkLevel checks the nodes of one breadth-first level, concurrently.
func (c *satisfiabilityChecker) checkLevel(ctx context.Context, level []*reachNode) ([]nodeResult, error) {
	results := make([]nodeResult, len(level))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(level)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pipe := newOpPipeline()
			for i := range work {
				results[i] = c.checkNode(ctx, pipe, level[i])
			}
		}()
	}
	for i := range level {
		if ctx.Err() != nil {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("satisfiability check: %w", err)
	}
	return results, nil
}

// checkNode plans n's fields in batches and bisects the batches that fail.
func (c *satisfiabilityChecker) checkNode(ctx context.Context, pipe *opPipeline, n *reachNode) nodeResult {
	res := nodeResult{failed: map[string]fieldPlanFailure{}, invalid: map[string]fieldPlanFailure{}}
	fields := c.schema.fieldNames(n.typeName)
	size := batchFields
	if n.parent == nil && n.operation == "subscription" {
		size = 1 // a subscription selects one root field
	}
	for start := 0; start < len(fields); start += size {
		c.bisect(ctx, pipe, n, fields[start:min(start+size, len(fields))], &res)
	}
	c.mu.Lock()
	for _, f := range fields {
		c.checked[n.typeName+"."+f] = true
	}
	c.mu.Unlock()
	return res
}

func (c *satisfiabilityChecker) bisect(ctx context.Context, pipe *opPipeline, n *reachNode, fields []string, res *nodeResult) {
	if ctx.Err() != nil {
		return
	}
	query := c.schema.operation(n, fields, "")
	reason, invalid := c.plan(pipe, query)
	if reason == "" {
		return
	}
	if len(fields) == 1 && !invalid {
		// __typename is not every field's best probe: the planner answers
		// it without fetching the field at all when the field returns a
		// root type (mutation { refresh { __typename } } sends nothing).
		// A field of the type its own subgraph resolves is what a client
		// would ask for.
		if sub := c.probeSelection(n.typeName, fields[0]); sub != "" {
			if again, _ := c.plan(pipe, c.schema.operation(n, fields, sub)); again == "" {
				return
			}
		}
	}
	if len(fields) == 1 {
		if invalid {
			res.invalid[fields[0]] = fieldPlanFailure{query: query, reason: reason}
		} else {
			res.failed[fields[0]] = fieldPlanFailure{query: query, reason: reason}
		}
		return
	}
	half := len(fields) / 2
	c.bisect(ctx, pipe, n, fields[:half], res)
	c.bisect(ctx, pipe, n, fields[half:], res)
}

// opPipeline is one worker's parse, normalize and validate steps, reused
// from one operation to the next; the planner is not (see prepare).
type opPipeline struct {
	parser    *astparser.Parser
	normalize *astnormalization.OperationNormalizer
	extract   *astnormalization.OperationNormalizer
	validator *astvalidation.OperationValidator
}

func newOpPipeline() *opPipeline {
	return &opPipeline{
		parser:    astparser.NewParser(),
		normalize: newOperationNormalizer(),
		extract:   astnormalization.NewWithOpts(astnormalization.WithExtractVariables()),
		validator: astvalidation.DefaultOperationValidator(),
	}
}

// plan runs query through the steps prepare runs (parse, normalize,
// validate, plan) and returns why it did not plan, or "". invalid is set
// when the query itself did not parse, normalize or validate.
func (c *satisfiabilityChecker) plan(pipe *opPipeline, query string) (reason string, invalid bool) {
	c.mu.Lock()
	c.plans++
	c.mu.Unlock()
	doc := ast.NewSmallDocument()
	doc.Input.ResetInputString(query)
	var report operationreport.Report
	pipe.parser.Parse(doc, &report)
	if report.HasErrors() {
		return reportText(report), true
	}
	doc.Input.Variables = []byte("{}")
	name := []byte{}
	pipe.normalize.NormalizeNamedOperation(doc, c.e.schema, name, &report)
	if report.HasErrors() {
		return reportText(report), true
	}
	if pipe.validator.Validate(doc, c.e.schema, &report) != astvalidation.Valid || report.HasErrors() {
		return reportText(report), true
	}
	pipe.extract.NormalizeNamedOperation(doc, c.e.schema, name, &report)
	if report.HasErrors() {
		return reportText(report), true
	}
	if _, err := c.e.rawPlan(doc, ""); err != nil {
		return err.Error(), false
	}
	return "", false
}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// sortUnsatisfiable orders by coordinate, then shortest path first, then
// simplest query.
func sortUnsatisfiable(list []Unsatisfiable) {
	slices.SortStableFunc(list, func(a, b Unsatisfiable) int {
		if c := strings.Compare(a.Coordinate(), b.Coordinate()); c != 0 {
			return c
		}
		if c := strings.Count(a.Path, ".") - strings.Count(b.Path, "."); c != 0 {
			return c
		}
		if c := len(a.Query) - len(b.Query); c != 0 {
			return c
		}
		return strings.Compare(a.Path, b.Path)
	})
}
