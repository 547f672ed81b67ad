package engine

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/jensneuse/abstractlogger"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/ast"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/plan"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/resolve"

	"github.com/tributary-gw/tributary"
)

// sourceConfig is the planner configuration of an in-process subgraph.
type sourceConfig struct {
	subgraph string
	source   tributary.Source
	reps     *representationBuilder
	// interfaceObjects maps the interfaces this subgraph knows as
	// @interfaceObject types, and the types implementing them, to the
	// interface's name, which their representations carry as __typename.
	interfaceObjects map[string]string
	// batchFields are the fields ("Type.field") the source resolves with
	// ResolveFieldBatch although they take no arguments.
	batchFields map[string]bool
	// schema is the subgraph's own schema. The planner consults it (as the
	// "upstream schema") to plan a union field selected only for
	// __typename; without it such a field was never fetched.
	schema *ast.Document
}

// sourceFactory plans fetches against a tributary.Source. The planner sees
// the fields it owns, records them as a selection tree (so the loader can
// shape the Source's plain JSON into the response, aliases included) and
// renders root-field arguments or entity representations into the input.
type sourceFactory struct{ ctx context.Context }

func (f *sourceFactory) Planner(abstractlogger.Logger) plan.DataSourcePlanner[sourceConfig] {
	return &sourcePlanner{}
}

func (f *sourceFactory) Context() context.Context { return f.ctx }

func (f *sourceFactory) UpstreamSchema(c plan.DataSourceConfiguration[sourceConfig]) (*ast.Document, bool) {
	s := c.CustomConfiguration().schema
	return s, s != nil
}

func (f *sourceFactory) PlanningBehavior() plan.DataSourcePlanningBehavior {
	return plan.DataSourcePlanningBehavior{MergeAliasedRootNodes: true, AllowPlanningTypeName: true}
}

// selection is one field a fetch must return, as the client asked for it.
type selection struct {
	key      string // response key: alias or name
	name     string // field name in the subgraph
	onType   string // concrete type condition, or empty
	parent   string // enclosing type name
	children []*selection
	// batch marks a field below the root that the source resolves with
	// ResolveFieldBatch; args indexes its rendered arguments in the fetch
	// input's "nested" list.
	batch bool
	args  int
}

// rootCall is one root field of a root fetch and its rendered arguments.
type rootCall struct {
	typeName, fieldName, key string
	args                     string // JSON object template with $$n$$ placeholders
	// argVars say which variable feeds which argument path, so that
	// uploads reach the field that takes them.
	argVars []argVariable
}

// argVariable is a variable used in a root field's arguments: directly
// ("file" ← $f) or inside a literal ("input.file" ← $f).
type argVariable struct {
	path, variable string
}

type sourcePlanner struct {
	id        int
	visitor   *plan.Visitor
	cfg       sourceConfig
	pc        plan.DataSourcePlannerConfiguration
	variables resolve.Variables

	top       []*selection
	stack     []*selection // nil entries mark skipped parent fields
	typeConds []string
	roots     []rootCall
	// nested are the argument templates of the batch fields, in the order
	// of selection.args.
	nested []string
	err    error
}

func (p *sourcePlanner) SetID(id int) { p.id = id }
func (p *sourcePlanner) ID() int      { return p.id }

func (p *sourcePlanner) DownstreamResponseFieldAlias(int) (string, bool) { return "", false }

func (p *sourcePlanner) Register(v *plan.Visitor, c plan.DataSourceConfiguration[sourceConfig], pc plan.DataSourcePlannerConfiguration) error {
	p.visitor, p.cfg, p.pc = v, c.CustomConfiguration(), pc
	v.Walker.RegisterEnterFieldVisitor(p)
	v.Walker.RegisterLeaveFieldVisitor(p)
	v.Walker.RegisterEnterInlineFragmentVisitor(p)
	v.Walker.RegisterLeaveInlineFragmentVisitor(p)
	return nil
}

func (p *sourcePlanner) EnterInlineFragment(ref int) {
	cond := ""
	if p.visitor.Operation.InlineFragmentHasTypeCondition(ref) {
		name := p.visitor.Operation.InlineFragmentTypeConditionNameString(ref)
		if node, ok := p.visitor.Definition.Index.FirstNodeByNameStr(name); ok && node.Kind == ast.NodeKindObjectTypeDefinition {
			cond = name
		}
	}
	p.typeConds = append(p.typeConds, cond)
}

func (p *sourcePlanner) LeaveInlineFragment(int) {
	if len(p.typeConds) > 0 {
		p.typeConds = p.typeConds[:len(p.typeConds)-1]
	}
}

func (p *sourcePlanner) EnterField(ref int) {
	op := p.visitor.Operation
	key := op.FieldAliasOrNameString(ref)
	path := p.visitor.Walker.Path.DotDelimitedString() + "." + key
	if p.pc.HasRequiredFields() && path == p.pc.ParentPath {
		p.stack = append(p.stack, nil) // the entity's parent field belongs to another fetch
		return
	}
	s := &selection{
		key:    key,
		name:   op.FieldNameString(ref),
		parent: p.visitor.Walker.EnclosingTypeDefinition.NameString(p.visitor.Definition),
	}
	if n := len(p.typeConds); n > 0 {
		s.onType = p.typeConds[n-1]
	}
	parent := p.currentParent()
	if (parent != nil || p.pc.HasRequiredFields()) && s.name != "__typename" && p.resolvedInBatch(ref, s) {
		s.batch, s.args = true, len(p.nested)
		p.nested = append(p.nested, p.renderArguments(ref))
	}
	if parent == nil {
		p.top = append(p.top, s)
		if !p.pc.HasRequiredFields() && s.name != "__typename" {
			p.roots = append(p.roots, rootCall{typeName: s.parent, fieldName: s.name, key: key,
				args: p.renderArguments(ref), argVars: argumentVariables(p.visitor.Operation, ref)})
		}
	} else {
		parent.children = append(parent.children, s)
	}
	p.stack = append(p.stack, s)
}

// resolvedInBatch reports whether a field below the root is resolved with
// its own ResolveFieldBatch call: it takes arguments, or the subgraph lists
// it as a batch field.
func (p *sourcePlanner) resolvedInBatch(fieldRef int, s *selection) bool {
	if p.cfg.batchFields[s.parent+"."+s.name] || s.onType != "" && p.cfg.batchFields[s.onType+"."+s.name] {
		return true
	}
	fd, ok := p.visitor.Walker.FieldDefinition(fieldRef)
	return ok && len(p.visitor.Definition.FieldDefinitions[fd].ArgumentsDefinition.Refs) > 0
}

func (p *sourcePlanner) currentParent() *selection {
	for i := len(p.stack) - 1; i >= 0; i-- {
		if p.stack[i] != nil {
			return p.stack[i]
		}
	}
	return nil
}

func (p *sourcePlanner) LeaveField(int) {
	if n := len(p.stack); n > 0 {
		p.stack = p.stack[:n-1]
	}
}

// renderArguments renders a field's arguments as a JSON object
// template: variables become placeholders the resolver fills per request,
// literals are inlined, and absent arguments take their schema default.
func (p *sourcePlanner) renderArguments(fieldRef int) string {
	op, def := p.visitor.Operation, p.visitor.Definition
	var b strings.Builder
	b.WriteByte('{')
	n := 0
	write := func(name, value string) {
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		b.WriteByte('"')
		b.WriteString(name)
		b.WriteString(`":`)
		b.WriteString(value)
	}
	present := map[string]bool{}
	for _, argRef := range op.Fields[fieldRef].Arguments.Refs {
		name := op.ArgumentNameString(argRef)
		present[name] = true
		value := op.ArgumentValue(argRef)
		if value.Kind == ast.ValueKindVariable {
			placeholder, _ := p.variables.AddVariable(&resolve.ContextVariable{
				Path:     []string{op.VariableValueNameString(value.Ref)},
				Renderer: resolve.NewJSONVariableRenderer(),
			})
			write(name, placeholder)
			continue
		}
		js, err := op.ValueToJSON(value)
		if err != nil {
			p.err = err
			js = []byte("null")
		}
		write(name, string(js))
	}
	if fd, ok := p.visitor.Walker.FieldDefinition(fieldRef); ok {
		for _, argDef := range def.FieldDefinitions[fd].ArgumentsDefinition.Refs {
			name := def.InputValueDefinitionNameString(argDef)
			if present[name] || !def.InputValueDefinitionHasDefaultValue(argDef) {
				continue
			}
			if js, err := def.ValueToJSON(def.InputValueDefinitionDefaultValue(argDef)); err == nil {
				write(name, string(js))
			}
		}
	}
	b.WriteByte('}')
	return b.String()
}

// argumentVariables lists the variables in a field's arguments with the
// argument paths they fill.
func argumentVariables(op *ast.Document, fieldRef int) []argVariable {
	var out []argVariable
	for _, argRef := range op.Fields[fieldRef].Arguments.Refs {
		walkVariables(op, op.ArgumentValue(argRef), op.ArgumentNameString(argRef), func(path, variable string) {
			out = append(out, argVariable{path: path, variable: variable})
		})
	}
	return out
}

func (p *sourcePlanner) ConfigureFetch() resolve.FetchConfiguration {
	if p.err != nil {
		p.visitor.Walker.StopWithInternalErr(p.err)
		return resolve.FetchConfiguration{}
	}
	loader := &sourceLoader{subgraph: p.cfg.subgraph, source: p.cfg.source, selection: p.top, roots: p.roots,
		objectTypes: p.cfg.reps.objectTypes, sourceSelections: map[string][]*tributary.Selection{},
		batchSelections: map[*selection][]*tributary.Selection{}}
	indexBatchSelections(p.top, loader.batchSelections)
	if p.pc.HasRequiredFields() {
		loader.sourceSelections[""] = sourceSelection(p.top)
	} else {
		loader.plain = map[string]bool{}
		for _, s := range p.top {
			loader.sourceSelections[s.key] = sourceSelection(s.children)
			loader.plain[s.key] = plainSelection(s.children)
		}
	}
	if p.pc.HasRequiredFields() {
		rep, err := p.cfg.reps.build(p.pc.RequiredFields, p.cfg.interfaceObjects)
		if err != nil {
			p.visitor.Walker.StopWithInternalErr(err)
			return resolve.FetchConfiguration{}
		}
		placeholder, _ := p.variables.AddVariable(resolve.NewResolvableObjectVariable(rep))
		loader.entities = true
		batch := p.pc.PathType != plan.PlannerPathObject
		dataPath := []string{"data", "_entities"}
		if !batch {
			dataPath = append(dataPath, "0")
		}
		return resolve.FetchConfiguration{
			// The subgraph name keeps two sources' identical fetches apart:
			// the postprocessor merges fetches whose inputs are equal. The
			// nested arguments come first: they belong to the input's
			// header, rendered once, not to each representation.
			Input:                                 `{"subgraph":` + quoteJSON(p.cfg.subgraph) + p.nestedInput() + `,"representations":[` + placeholder + `]}`,
			Variables:                             p.variables,
			DataSource:                            loader,
			RequiresEntityFetch:                   !batch,
			RequiresEntityBatchFetch:              batch,
			SetTemplateOutputToNullOnVariableNull: true,
			PostProcessing: resolve.PostProcessingConfiguration{
				SelectResponseDataPath: dataPath, SelectResponseErrorsPath: []string{"errors"},
			},
		}
	}
	var in strings.Builder
	in.WriteString(`{"subgraph":` + quoteJSON(p.cfg.subgraph) + `,"args":[`)
	for i, r := range p.roots {
		if i > 0 {
			in.WriteByte(',')
		}
		in.WriteString(r.args)
	}
	in.WriteString(`]` + p.nestedInput() + `}`)
	return resolve.FetchConfiguration{
		Input:      in.String(),
		Variables:  p.variables,
		DataSource: loader,
		PostProcessing: resolve.PostProcessingConfiguration{
			SelectResponseDataPath: []string{"data"}, SelectResponseErrorsPath: []string{"errors"},
		},
	}
}

// nestedInput renders the batch fields' argument templates as the fetch
// input's "nested" member, or nothing when there are none.
func (p *sourcePlanner) nestedInput() string {
	if len(p.nested) == 0 {
		return ""
	}
	return `,"nested":[` + strings.Join(p.nested, ",") + `]`
}

// indexBatchSelections records what the source sees of each batch field's
// value (its sub-selection by field name), computed once per plan.
func indexBatchSelections(sel []*selection, into map[*selection][]*tributary.Selection) {
	for _, s := range sel {
		if s.batch {
			into[s] = sourceSelection(s.children)
		}
		indexBatchSelections(s.children, into)
	}
}

func (p *sourcePlanner) ConfigureSubscription() plan.SubscriptionConfiguration {
	return plan.SubscriptionConfiguration{}
}

func quoteJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
