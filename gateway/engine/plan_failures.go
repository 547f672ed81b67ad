package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/wundergraph/graphql-go-tools/v2/pkg/ast"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/astparser"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/astprinter"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/plan"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/postprocess"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/operationreport"
)

// A valid operation the planner cannot plan — a supergraph whose subgraphs
// cannot reach a field, see `gateway validate` — is answered, not refused
// with a bare server error: data is null, as Apollo Router and Hive Router
// answer it (the federation audit checks this), and there is one error per
// root field that does not plan, at its path, saying why (code
// QUERY_PLAN_FAILED). The failure is logged with the operation's hash.

// codePlanFailed is the extensions.code of an operation that did not plan.
const codePlanFailed = "QUERY_PLAN_FAILED"

// plannedOperation is what the plan cache keeps of a normalized operation.
type plannedOperation struct {
	// plan is nil when the operation did not plan.
	plan plan.Plan
	// failures say why it did not.
	failures []planFailure
}

// planFailure is a root field the planner could not plan; an empty key
// stands for the operation as a whole.
type planFailure struct {
	key    string // response key
	reason string
}

// planOperation plans a normalized operation from its printed form: the
// planner rewrites the document it plans, and the prepared operation keeps
// the normalized one.
func (e *Engine) planOperation(ctx context.Context, printed []byte, variables []byte, operationName string, hash uint64) (*plannedOperation, *requestError) {
	doc, ok := parsePrinted(printed, variables, nil)
	if !ok {
		return nil, internalError(fmt.Errorf("the printed normalized operation does not parse"))
	}
	p, reason := e.planDocument(doc, operationName)
	if reason == "" {
		return &plannedOperation{plan: p}, nil
	}
	if rerr := ended(ctx); rerr != nil {
		return nil, rerr
	}
	failures := e.rootFieldFailures(printed, variables, operationName)
	if len(failures) == 0 { // only the fields together fail
		failures = []planFailure{{reason: reason}}
	}
	for _, f := range failures {
		e.opts.Logger.WarnContext(ctx, "operation could not be planned",
			"operationHash", fmt.Sprintf("%016x", hash), "operationName", operationName,
			"field", f.key, "reason", f.reason)
	}
	return &plannedOperation{failures: failures}, nil
}

// parsePrinted parses a printed operation with its variables; keep, when
// not nil, names the root selections (by index) to keep.
func parsePrinted(printed, variables []byte, keep []int) (*ast.Document, bool) {
	doc, report := astparser.ParseGraphqlDocumentBytes(printed)
	if report.HasErrors() || len(doc.OperationDefinitions) != 1 {
		return nil, false
	}
	if keep != nil {
		set := doc.OperationDefinitions[0].SelectionSet
		all := doc.SelectionSets[set].SelectionRefs
		refs := make([]int, 0, len(keep))
		for _, i := range keep {
			refs = append(refs, all[i])
		}
		doc.SelectionSets[set].SelectionRefs = refs
		// Reprint and parse, so the planner gets a document without the
		// dropped selections' nodes.
		var b bytes.Buffer
		if astprinter.Print(&doc, &b) != nil {
			return nil, false
		}
		doc, report = astparser.ParseGraphqlDocumentBytes(b.Bytes())
		if report.HasErrors() {
			return nil, false
		}
	}
	doc.Input.Variables = variables
	return &doc, true
}

// planDocument plans doc and post-processes the plan, or returns why it
// could not.
func (e *Engine) planDocument(doc *ast.Document, operationName string) (plan.Plan, string) {
	p, err := e.rawPlan(doc, operationName)
	if err != nil {
		return nil, friendlyReason(err.Error())
	}
	postprocess.NewProcessor().Process(p)
	checkLeafValues(p)
	return p, ""
}

// rawPlan runs the planner on a normalized, valid operation: serve and
// `gateway validate` (satisfiability) plan through it alike.
func (e *Engine) rawPlan(doc *ast.Document, operationName string) (p plan.Plan, err error) {
	// A planner keeps state between plans that a later plan can trip over
	// (seen as a panic in assignDefer), so each plan gets a new one, as the
	// library's own execution engine does.
	planner, err := plan.NewPlanner(e.planConfig)
	if err != nil {
		return nil, err
	}
	// An operation the planner cannot plan has been seen to panic it
	// rather than report; that is a failure to plan like any other.
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("the planner panicked: %v", r)
		}
	}()
	var report operationreport.Report
	p = planner.Plan(doc, e.planSchema, operationName, &report)
	if report.HasErrors() {
		return nil, errors.New(reportText(report))
	}
	// The planner has been seen to return, without error, a plan that
	// cannot work (a root field sent to a subgraph that does not have
	// it); such a plan fails here, not when run.
	if problem := newSubgraphFacts(e.planConfig.DataSources).planProblem(p); problem != "" {
		return nil, errors.New(problem)
	}
	return p, nil
}

// rootFieldFailures plans each root field of the printed operation alone
// and returns the ones that fail, or nil when the root selections are not
// all fields.
func (e *Engine) rootFieldFailures(printed, variables []byte, operationName string) []planFailure {
	whole, ok := parsePrinted(printed, variables, nil)
	if !ok {
		return nil
	}
	var failures []planFailure
	for i, sel := range whole.SelectionSets[whole.OperationDefinitions[0].SelectionSet].SelectionRefs {
		if whole.Selections[sel].Kind != ast.SelectionKindField {
			return nil
		}
		one, ok := parsePrinted(printed, variables, []int{i})
		if !ok {
			return nil
		}
		if _, reason := e.planDocument(one, operationName); reason != "" {
			failures = append(failures, planFailure{key: whole.FieldAliasOrNameString(whole.Selections[sel].Ref), reason: reason})
		}
	}
	return failures
}

// reportText is a report's errors, one line each, without the
// internal:/external: prefixes Report.Error adds.
func reportText(r operationreport.Report) string {
	var lines []string
	for _, err := range r.InternalErrors {
		lines = append(lines, err.Error())
	}
	for _, err := range r.ExternalErrors {
		lines = append(lines, err.Message)
	}
	if len(lines) == 0 {
		return "the planner gave no reason"
	}
	return strings.Join(slices.Compact(lines), "; ")
}

// friendlyReason says the planner's commonest complaint in the schema's
// terms.
func friendlyReason(reason string) string {
	const missing = "missing paths: ["
	if i := strings.Index(reason, missing); i >= 0 {
		if j := strings.IndexByte(reason[i:], ']'); j > 0 {
			var fields []string
			for _, p := range strings.Fields(reason[i+len(missing) : i+j]) {
				if k := strings.IndexByte(p, '.'); k >= 0 {
					p = p[k+1:] // drop the operation type
				}
				fields = append(fields, p)
			}
			return "no subgraph can resolve " + strings.Join(fields, ", ") +
				" where the query reaches it (typically the subgraphs share no key for the type holding it); " +
				"`gateway validate` reports what to add"
		}
	}
	return reason
}

// body is the response to an operation that did not plan.
func (p *plannedOperation) body() []byte {
	errs := make([]gqlError, 0, len(p.failures))
	for _, f := range p.failures {
		g := gqlError{Extensions: map[string]any{"code": codePlanFailed}}
		if f.key == "" {
			g.Message = "the operation could not be planned: " + f.reason
		} else {
			g.Message = fmt.Sprintf("field %q could not be planned: %s", f.key, f.reason)
			g.Path = []any{f.key}
		}
		errs = append(errs, g)
	}
	b, err := json.Marshal(struct {
		Errors []gqlError `json:"errors"`
		Data   any        `json:"data"`
	}{Errors: errs})
	if err != nil {
		return []byte(`{"errors":[{"message":"the operation could not be planned"}],"data":null}`)
	}
	return b
}
