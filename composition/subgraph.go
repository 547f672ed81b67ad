package composition

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// Canonical names of the federation directives a subgraph may use.
const (
	dirKey              = "key"
	dirExternal         = "external"
	dirRequires         = "requires"
	dirProvides         = "provides"
	dirExtends          = "extends"
	dirShareable        = "shareable"
	dirInaccessible     = "inaccessible"
	dirTag              = "tag"
	dirOverride         = "override"
	dirInterfaceObject  = "interfaceObject"
	dirComposeDirective = "composeDirective"
	dirLink             = "link"
)

// federationDirectives are the directives of the federation spec. Those not
// handled by composition (@authenticated, @cost…) are recognised so that they
// are stripped rather than mistaken for custom directives.
var federationDirectives = []string{
	dirKey, dirExternal, dirRequires, dirProvides, dirExtends, dirShareable,
	dirInaccessible, dirTag, dirOverride, dirInterfaceObject, dirComposeDirective,
	"authenticated", "requiresScopes", "policy", "context", "fromContext",
	"cost", "listSize",
}

// builtinScalars are never printed: every GraphQL schema has them.
var builtinScalars = map[string]bool{"String": true, "Int": true, "Float": true, "Boolean": true, "ID": true}

// builtinDirectives are defined by GraphQL itself.
var builtinDirectives = map[string]bool{"deprecated": true, "specifiedBy": true, "skip": true, "include": true, "oneOf": true, "defer": true, "stream": true}

var rootOperations = []struct {
	op   ast.Operation
	name string
}{{ast.Query, "Query"}, {ast.Mutation, "Mutation"}, {ast.Subscription, "Subscription"}}

// subgraph is one parsed, normalised subgraph.
type subgraph struct {
	name  string
	url   string
	graph string // its join__Graph value
	fed2  bool
	// directives maps the names used in this SDL to canonical federation
	// directive names (handles imports renamed with "as" and the
	// federation__ prefix).
	directives map[string]string
	// rename maps the SDL's root type names to Query/Mutation/Subscription.
	rename map[string]string
	roots  map[string]bool // canonical root type names present
	types  map[string]*sgType
	order  []string
	// execDirectives are the subgraph's executable directive definitions.
	execDirectives map[string]*ast.DirectiveDefinition
	// keyFields are the "Type.field" coordinates named by a @key: always
	// shareable. providedFields are the @external fields some @provides
	// reaches. usedFields are those a @key/@requires/@provides references.
	keyFields, providedFields, usedFields map[string]bool
	// implementations maps an interface to the object types implementing
	// it in this subgraph.
	implementations map[string][]*sgType
	report          *report
}

// parseSubgraph parses and normalises one subgraph. It returns nil when the
// SDL cannot be used at all; other problems are reported and skipped.
func parseSubgraph(in Subgraph, graph string, r *report) *subgraph {
	doc, err := parser.ParseSchema(&ast.Source{Name: in.Name, Input: in.SDL})
	if err != nil {
		r.errorf(CodeInvalidGraphQL, "", []string{in.Name},
			"[%s] the SDL is not valid GraphQL: %v. Fix the subgraph's schema so that it parses.", in.Name, err)
		return nil
	}
	sg := &subgraph{
		name: in.Name, url: in.URL, graph: graph,
		directives:     map[string]string{},
		rename:         map[string]string{},
		roots:          map[string]bool{},
		types:          map[string]*sgType{},
		execDirectives: map[string]*ast.DirectiveDefinition{},
		keyFields:      map[string]bool{},
		providedFields: map[string]bool{},
		usedFields:     map[string]bool{},
		report:         r,
	}
	schemaDefs := append(append(ast.SchemaDefinitionList{}, doc.Schema...), doc.SchemaExtension...)
	sg.resolveDirectiveNames(schemaDefs)
	if !sg.resolveRoots(schemaDefs, doc) {
		return nil
	}
	for _, def := range doc.Definitions {
		sg.addDefinition(def, false)
	}
	for _, def := range doc.Extensions {
		sg.addDefinition(def, true)
	}
	sg.collectDirectiveDefinitions(doc)
	sg.dropEmptyRoots()
	sg.checkReferences()
	sg.collectImplementations()
	sg.resolveExternals()
	sg.validateFieldSets()
	return sg
}

func (sg *subgraph) errorf(code, coordinate string, format string, args ...any) {
	sg.report.errorf(code, coordinate, []string{sg.name}, "[%s] "+format, append([]any{sg.name}, args...)...)
}

// resolveDirectiveNames reads the schema's @link applications. A subgraph
// linking the federation spec is a federation 2 subgraph: its directives are
// the imported names (possibly renamed) or the prefixed federation__ names.
// Without that link it is a federation 1 subgraph using the bare names.
func (sg *subgraph) resolveDirectiveNames(schemaDefs ast.SchemaDefinitionList) {
	imported := map[string]bool{}
	for _, def := range schemaDefs {
		for _, d := range def.Directives {
			if d.Name == dirLink {
				sg.readLink(d, imported)
			} else if d.Name == dirComposeDirective || sg.directives[d.Name] == dirComposeDirective {
				name, _ := stringArgument(d, "name")
				sg.report.warnf("[%s] @composeDirective(name: %q) is ignored: custom type-system directives are not kept in the supergraph", sg.name, name)
			}
		}
	}
	// Bare names stay usable when not imported under another name: many
	// subgraph libraries print them without an import.
	for _, name := range federationDirectives {
		if _, taken := sg.directives[name]; !taken && !imported[name] {
			sg.directives[name] = name
		}
	}
}

// readLink handles one @link(url:, as:, import:).
func (sg *subgraph) readLink(d *ast.Directive, imported map[string]bool) {
	url, _ := stringArgument(d, "url")
	specName, _ := specNameAndVersion(url)
	prefix := specName
	if as, ok := stringArgument(d, "as"); ok && as != "" {
		prefix = strings.TrimPrefix(as, "@")
	}
	switch specName {
	case "federation":
		sg.fed2 = true
		for _, name := range federationDirectives {
			sg.directives[prefix+"__"+name] = name
		}
	case dirTag, dirInaccessible:
		// The spec's eponymous directive is named after the spec (or its "as").
		sg.directives[prefix] = specName
		return
	default:
		return
	}
	importArg := d.Arguments.ForName("import")
	if importArg == nil || importArg.Value == nil || importArg.Value.Kind != ast.ListValue {
		return
	}
	for _, item := range importArg.Value.Children {
		name, as := importedName(item.Value)
		name, as = strings.TrimPrefix(name, "@"), strings.TrimPrefix(as, "@")
		if !contains(federationDirectives, name) {
			continue
		}
		if as == "" {
			as = name
		}
		sg.directives[as] = name
		imported[name] = true
	}
}

// importedName reads one @link import: "@key" or {name: "@key", as: "@pk"}.
func importedName(v *ast.Value) (name, as string) {
	if v == nil {
		return "", ""
	}
	switch v.Kind {
	case ast.StringValue, ast.BlockValue:
		return v.Raw, ""
	case ast.ObjectValue:
		for _, c := range v.Children {
			if c.Value == nil || (c.Value.Kind != ast.StringValue && c.Value.Kind != ast.BlockValue) {
				continue
			}
			switch c.Name {
			case "name":
				name = c.Value.Raw
			case "as":
				as = c.Value.Raw
			}
		}
	}
	return name, as
}

// specNameAndVersion splits "https://specs.apollo.dev/federation/v2.3" into
// "federation" and "v2.3".
func specNameAndVersion(url string) (name, version string) {
	parts := strings.Split(strings.TrimRight(url, "/"), "/")
	if len(parts) < 2 {
		return "", ""
	}
	return parts[len(parts)-2], parts[len(parts)-1]
}

// stringArgument returns a string-valued argument of a directive.
func stringArgument(d *ast.Directive, name string) (string, bool) {
	a := d.Arguments.ForName(name)
	if a == nil || a.Value == nil || (a.Value.Kind != ast.StringValue && a.Value.Kind != ast.BlockValue) {
		return "", false
	}
	return a.Value.Raw, true
}

// resolveRoots maps the subgraph's root operation types to their canonical
// names. It reports false when the schema definition cannot be used.
func (sg *subgraph) resolveRoots(schemaDefs ast.SchemaDefinitionList, doc *ast.SchemaDocument) bool {
	declared := map[string]string{} // canonical → SDL name
	for _, def := range schemaDefs {
		for _, ot := range def.OperationTypes {
			for _, root := range rootOperations {
				if ot.Operation != root.op {
					continue
				}
				if prev, dup := declared[root.name]; dup && prev != ot.Type {
					sg.errorf(CodeInvalidGraphQL, "", "the schema declares two %s root types (%q and %q); declare one", root.op, prev, ot.Type)
					return false
				}
				declared[root.name] = ot.Type
			}
		}
	}
	defined := map[string]ast.DefinitionKind{}
	for _, def := range append(append(ast.DefinitionList{}, doc.Definitions...), doc.Extensions...) {
		defined[def.Name] = def.Kind
	}
	used := map[string]string{}
	for _, root := range rootOperations {
		name, ok := declared[root.name]
		if !ok {
			if defined[root.name] == ast.Object {
				sg.roots[root.name] = true
			}
			continue
		}
		if kind, ok := defined[name]; !ok || kind != ast.Object {
			sg.errorf(CodeInvalidGraphQL, "", "the %s root type %q is not an object type defined in this subgraph; define it or fix the schema definition", root.op, name)
			return false
		}
		if other, dup := used[name]; dup {
			sg.errorf(CodeInvalidGraphQL, "", "type %q is the root type of both %s and %s; use a separate type for each", name, other, root.op)
			return false
		}
		used[name] = string(root.op)
		sg.rename[name] = root.name
		sg.roots[root.name] = true
	}
	for name, canonical := range sg.rename {
		if name == canonical {
			continue
		}
		if _, clash := defined[canonical]; clash {
			if _, renamedAway := sg.rename[canonical]; !renamedAway {
				sg.report.errorf(CodeRootTypeUsed, canonical, []string{sg.name},
					"[%s] the root type %q becomes %q in the supergraph, but the subgraph also defines a type %q that is not a root type; rename that type", sg.name, name, canonical, canonical)
				return false
			}
		}
	}
	return true
}

// typeName maps a type name of the SDL to its supergraph name.
func (sg *subgraph) typeName(name string) string {
	if canonical, ok := sg.rename[name]; ok {
		return canonical
	}
	return name
}

// typeRef copies a type reference, renaming root types.
func (sg *subgraph) typeRef(t *ast.Type) *ast.Type {
	if t == nil {
		return nil
	}
	out := &ast.Type{NonNull: t.NonNull}
	if t.Elem != nil {
		out.Elem = sg.typeRef(t.Elem)
	} else {
		out.NamedType = sg.typeName(t.NamedType)
	}
	return out
}

// isFederationTypeName reports the types federation adds to a subgraph; a
// subgraph's printed _service SDL often includes them.
func isFederationTypeName(name string) bool {
	switch name {
	case "_Any", "_Entity", "_Service", "FieldSet", "_FieldSet":
		return true
	}
	return strings.HasPrefix(name, "__") || strings.HasPrefix(name, "federation__") ||
		strings.HasPrefix(name, "link__") || strings.HasPrefix(name, "join__")
}

// collectDirectiveDefinitions keeps the custom executable directives
// (usable in operations); everything else is subgraph-local.
func (sg *subgraph) collectDirectiveDefinitions(doc *ast.SchemaDocument) {
	for _, d := range doc.Directives {
		if _, fed := sg.directives[d.Name]; fed || d.Name == dirLink || builtinDirectives[d.Name] ||
			strings.Contains(d.Name, "__") {
			continue
		}
		if len(executableLocations(d.Locations)) > 0 {
			sg.execDirectives[d.Name] = d
		}
	}
}

func executableLocations(locs []ast.DirectiveLocation) []ast.DirectiveLocation {
	var out []ast.DirectiveLocation
	for _, l := range locs {
		switch l {
		case ast.LocationQuery, ast.LocationMutation, ast.LocationSubscription, ast.LocationField,
			ast.LocationFragmentDefinition, ast.LocationFragmentSpread, ast.LocationInlineFragment,
			ast.LocationVariableDefinition:
			out = append(out, l)
		}
	}
	return out
}

// dropEmptyRoots removes a Query left without fields once _entities and
// _service are stripped: the subgraph has no queries of its own.
func (sg *subgraph) dropEmptyRoots() {
	for _, root := range rootOperations {
		if t := sg.types[root.name]; t != nil && len(t.fields) == 0 {
			delete(sg.types, root.name)
			delete(sg.roots, root.name)
			for i, n := range sg.order {
				if n == root.name {
					sg.order = append(sg.order[:i:i], sg.order[i+1:]...)
					break
				}
			}
		}
	}
}
