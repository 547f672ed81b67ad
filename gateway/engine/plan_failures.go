package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/wundergraph/astjson"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/ast"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/astparser"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/astprinter"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/plan"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/postprocess"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/operationreport"
)

// A valid operation the planner cannot plan — a supergraph whose subgraphs
// cannot reach a field, see `gateway validate` — is answered, not refused:
// its root fields that plan are executed, each one that does not is null
// with an error at its path naming the reason (code QUERY_PLAN_FAILED), and
// the failure is logged with the operation's hash.

// codePlanFailed is the extensions.code of a root field that did not plan.
const codePlanFailed = "QUERY_PLAN_FAILED"

// plannedOperation is what the plan cache keeps of a normalized operation.
type plannedOperation struct {
	// plan executes the root fields that planned; nil when none did.
	plan plan.Plan
	// rootKeys are the operation's root response keys, in order; set only
	// when some failed.
	rootKeys []string
	// failures are the root fields that did not plan.
	failures []planFailure
}

// planFailure is a root field the planner could not plan.
type planFailure struct {
	key     string // response key
	reason  string
	nonNull bool
}

// planOperation plans a normalized operation. printed is the operation as
// printed before planning (the planner rewrites the document it plans).
func (e *Engine) planOperation(ctx context.Context, doc *ast.Document, printed []byte, operationName string, hash uint64) (*plannedOperation, *requestError) {
	p, reason := e.planDocument(doc, operationName)
	if reason == "" {
		return &plannedOperation{plan: p}, nil
	}
	if rerr := ended(ctx); rerr != nil {
		return nil, rerr
	}
	planned := e.planRootFields(string(printed), doc.Input.Variables, operationName)
	if planned == nil { // not split into root fields: one error for all
		planned = &plannedOperation{failures: []planFailure{{reason: reason}}}
	}
	for _, f := range planned.failures {
		e.opts.Logger.WarnContext(ctx, "operation could not be planned",
			"operationHash", fmt.Sprintf("%016x", hash), "operationName", operationName,
			"field", f.key, "reason", f.reason)
	}
	return planned, nil
}

// planDocument plans doc and post-processes the plan, or returns why it
// could not.
func (e *Engine) planDocument(doc *ast.Document, operationName string) (plan.Plan, string) {
	// A planner keeps state between plans that a later plan can trip over
	// (seen as a panic in assignDefer), so each plan gets a new one, as the
	// library's own execution engine does.
	planner, err := plan.NewPlanner(e.planConfig)
	if err != nil {
		return nil, err.Error()
	}
	var report operationreport.Report
	p := planner.Plan(doc, e.planSchema, operationName, &report)
	if report.HasErrors() {
		return nil, planReason(report)
	}
	postprocess.NewProcessor().Process(p)
	checkLeafValues(p)
	return p, ""
}

// planRootFields plans each root field of the printed operation alone, then
// the ones that planned together. It returns nil when the operation cannot
// be split (its root selections are not all fields) or every field plans
// alone but not together.
func (e *Engine) planRootFields(printed string, variables []byte, operationName string) *plannedOperation {
	parse := func(keep []int) (*ast.Document, bool) {
		doc, report := astparser.ParseGraphqlDocumentString(printed)
		if report.HasErrors() || len(doc.OperationDefinitions) != 1 {
			return nil, false
		}
		set := doc.OperationDefinitions[0].SelectionSet
		if keep != nil {
			all := doc.SelectionSets[set].SelectionRefs
			refs := make([]int, 0, len(keep))
			for _, i := range keep {
				refs = append(refs, all[i])
			}
			doc.SelectionSets[set].SelectionRefs = refs
			// Reprint and parse, so the planner gets a document without
			// the dropped selections' nodes.
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
	whole, ok := parse(nil)
	if !ok {
		return nil
	}
	op := whole.OperationDefinitions[0]
	rootType := e.rootTypeName(op.OperationType)
	out := &plannedOperation{}
	var good []int
	for i, sel := range whole.SelectionSets[op.SelectionSet].SelectionRefs {
		if whole.Selections[sel].Kind != ast.SelectionKindField {
			return nil
		}
		field := whole.Selections[sel].Ref
		key := whole.FieldAliasOrNameString(field)
		out.rootKeys = append(out.rootKeys, key)
		one, ok := parse([]int{i})
		if !ok {
			return nil
		}
		if _, reason := e.planDocument(one, operationName); reason != "" {
			out.failures = append(out.failures, planFailure{key: key, reason: reason,
				nonNull: e.nonNullField(rootType, whole.FieldNameString(field))})
			continue
		}
		good = append(good, i)
	}
	if len(out.failures) == 0 {
		return nil
	}
	if len(good) > 0 {
		rest, ok := parse(good)
		if !ok {
			return nil
		}
		p, reason := e.planDocument(rest, operationName)
		if reason != "" {
			return nil
		}
		out.plan = p
	}
	return out
}

// rootTypeName is the name of an operation type's root type.
func (e *Engine) rootTypeName(t ast.OperationType) string {
	switch t {
	case ast.OperationTypeMutation:
		return e.roots["mutation"]
	case ast.OperationTypeSubscription:
		return e.roots["subscription"]
	}
	return e.roots["query"]
}

// nonNullField reports whether typeName.field is non-null in the client
// schema.
func (e *Engine) nonNullField(typeName, field string) bool {
	node, ok := e.schema.Index.FirstNodeByNameStr(typeName)
	if !ok || node.Kind != ast.NodeKindObjectTypeDefinition {
		return false
	}
	for _, ref := range e.schema.ObjectTypeDefinitions[node.Ref].FieldsDefinition.Refs {
		if e.schema.FieldDefinitionNameString(ref) == field {
			return e.schema.TypeIsNonNull(e.schema.FieldDefinitionType(ref))
		}
	}
	return false
}

// planReason is the planner's report as one line.
func planReason(report operationreport.Report) string {
	var parts []string
	for _, ex := range report.ExternalErrors {
		parts = append(parts, ex.Message)
	}
	for _, ie := range report.InternalErrors {
		parts = append(parts, ie.Error())
	}
	if len(parts) == 0 {
		return "the planner gave no reason"
	}
	reason := strings.Join(parts, "; ")
	// The planner's commonest complaint, said in the schema's terms.
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

// planErrors are the errors of the root fields that did not plan.
func (p *plannedOperation) planErrors() []gqlError {
	out := make([]gqlError, 0, len(p.failures))
	for _, f := range p.failures {
		g := gqlError{Extensions: map[string]any{"code": codePlanFailed}}
		if f.key == "" {
			g.Message = "the operation could not be planned: " + f.reason
		} else {
			g.Message = fmt.Sprintf("field %q could not be planned: %s", f.key, f.reason)
			g.Path = []any{f.key}
		}
		out = append(out, g)
	}
	return out
}

// dataIsNull reports whether a failure nulls the whole data: a non-null
// root field failed, or the operation could not be split.
func (p *plannedOperation) dataIsNull() bool {
	for _, f := range p.failures {
		if f.nonNull || f.key == "" {
			return true
		}
	}
	return false
}

// withPlanFailures completes a response whose plan left root fields out:
// each is null at its place among the root fields, with its error after
// the response's own. body is nil when nothing was executed.
func (p *plannedOperation) withPlanFailures(body []byte) []byte {
	var data, errs []byte
	var others [][2][]byte // other top-level members, e.g. extensions
	if body != nil {
		root, err := astjson.ParseBytes(body)
		if err != nil {
			return body
		}
		root.GetObject().Visit(func(key []byte, v *astjson.Value) {
			switch string(key) {
			case "data":
				data = v.MarshalTo(nil)
			case "errors":
				for i, e := range v.GetArray() {
					if i > 0 {
						errs = append(errs, ',')
					}
					errs = e.MarshalTo(errs)
				}
			default:
				others = append(others, [2][]byte{bytes.Clone(key), v.MarshalTo(nil)})
			}
		})
	}
	var out bytes.Buffer
	out.WriteString(`{"errors":[`)
	out.Write(errs)
	for i, g := range p.planErrors() {
		if i > 0 || len(errs) > 0 {
			out.WriteByte(',')
		}
		b, _ := json.Marshal(g)
		out.Write(b)
	}
	out.WriteString(`],"data":`)
	if p.dataIsNull() || bytes.Equal(data, []byte("null")) && p.plan != nil {
		out.WriteString("null")
	} else {
		p.writeData(&out, data)
	}
	for _, m := range others {
		out.WriteByte(',')
		b, _ := json.Marshal(string(m[0]))
		out.Write(b)
		out.WriteByte(':')
		out.Write(m[1])
	}
	out.WriteByte('}')
	return out.Bytes()
}

// writeData writes the root object with every root key in order: the
// failed ones null, the others from the executed data.
func (p *plannedOperation) writeData(out *bytes.Buffer, data []byte) {
	var executed *astjson.Value
	if len(data) > 0 {
		executed, _ = astjson.ParseBytes(data)
	}
	out.WriteByte('{')
	n := 0
	for _, key := range p.rootKeys {
		if n > 0 {
			out.WriteByte(',')
		}
		n++
		b, _ := json.Marshal(key)
		out.Write(b)
		out.WriteByte(':')
		if v := executed.Get(key); v != nil && !p.failed(key) {
			out.Write(v.MarshalTo(nil))
		} else {
			out.WriteString("null")
		}
	}
	out.WriteByte('}')
}

func (p *plannedOperation) failed(key string) bool {
	for _, f := range p.failures {
		if f.key == key {
			return true
		}
	}
	return false
}
