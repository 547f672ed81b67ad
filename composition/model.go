package composition

import "github.com/vektah/gqlparser/v2/ast"

// The subgraph model: one subgraph's schema after parsing, with federation
// directives resolved to their canonical names, root types renamed to
// Query/Mutation/Subscription and the federation plumbing (_entities,
// _service, _Any…) removed.

// sgType is one named type of a subgraph, definition and extensions merged.
type sgType struct {
	name        string
	kind        ast.DefinitionKind
	description string
	// hasDefinition is false when the subgraph only extends the type.
	hasDefinition bool
	// extends is set by @extends on the type (federation v1 style).
	extends bool
	// external is set by @external on the type: in federation 2 it makes
	// every field of an object type external.
	external bool
	// interfaceObject is set by @interfaceObject; kind stays Object.
	interfaceObject bool
	keys            []sgKey
	interfaces      []string
	members         []string
	values          []*sgEnumValue
	fields          []*sgField
	fieldIndex      map[string]*sgField
	applied         applied
}

// mergedKind is the kind the type has in the supergraph: an @interfaceObject
// stands for an interface.
func (t *sgType) mergedKind() ast.DefinitionKind {
	if t.interfaceObject {
		return ast.Interface
	}
	return t.kind
}

func (t *sgType) field(name string) *sgField {
	if t == nil {
		return nil
	}
	return t.fieldIndex[name]
}

// sgKey is one @key application.
type sgKey struct {
	fields     string
	resolvable bool
	// extension is set when the key sits on a type extension; with the
	// type's @extends it makes the supergraph say extension: true.
	extension bool
}

// sgField is a field of an object, interface or input object.
type sgField struct {
	parent       string
	name         string
	description  string
	typ          *ast.Type
	args         []*sgArg
	defaultValue *ast.Value // input object fields only
	// external says the subgraph does not resolve the field (Apollo's
	// isExternal): set by @external on the field or its type, except for
	// fakeExternal fields.
	external bool
	// fakeExternal marks a key field of a type extension declared
	// @external: the subgraph resolves it nevertheless (see external.go).
	fakeExternal bool
	shareable    bool
	requires     *string
	provides     *string
	override     *string
	applied      applied
}

func (f *sgField) coordinate() string { return f.parent + "." + f.name }

func (f *sgField) arg(name string) *sgArg {
	for _, a := range f.args {
		if a.name == name {
			return a
		}
	}
	return nil
}

// sgArg is a field argument.
type sgArg struct {
	name         string
	description  string
	typ          *ast.Type
	defaultValue *ast.Value
	applied      applied
}

// sgEnumValue is one value of an enum.
type sgEnumValue struct {
	name        string
	description string
	applied     applied
}

// applied holds the type-system directives the supergraph keeps.
type applied struct {
	inaccessible bool
	tags         []string
	deprecated   bool
	// deprecationReason is nil when @deprecated has no reason argument.
	deprecationReason *string
	specifiedBy       *string
	// cost is @cost(weight:), nil when absent; listSize is @listSize.
	cost     *int
	listSize *listSize
}

// listSize is an applied @listSize (IBM cost spec, as Apollo adopted it).
type listSize struct {
	assumedSize               *int
	slicingArguments          []string
	sizedFields               []string
	requireOneSlicingArgument *bool
}

// mergeFrom adds another source's directives: @inaccessible wins, tags are
// united, and the first @deprecated/@specifiedBy seen is kept.
func (a *applied) mergeFrom(b applied) {
	a.inaccessible = a.inaccessible || b.inaccessible
	for _, t := range b.tags {
		if !contains(a.tags, t) {
			a.tags = append(a.tags, t)
		}
	}
	if b.deprecated && !a.deprecated {
		a.deprecated, a.deprecationReason = true, b.deprecationReason
	}
	if b.specifiedBy != nil && a.specifiedBy == nil {
		a.specifiedBy = b.specifiedBy
	}
	// The costliest subgraph's estimate is the one to plan for.
	if b.cost != nil && (a.cost == nil || *b.cost > *a.cost) {
		a.cost = b.cost
	}
	if b.listSize != nil && a.listSize == nil {
		a.listSize = b.listSize
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func appendUnique(list []string, s string) []string {
	if contains(list, s) {
		return list
	}
	return append(list, s)
}
