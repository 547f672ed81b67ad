package composition

import "github.com/vektah/gqlparser/v2/ast"

// The supergraph model: what the printer writes. Every element carries the
// join information saying which subgraphs have it.

type superType struct {
	name        string
	kind        ast.DefinitionKind
	description string
	// sources are the indexes of the subgraphs defining the type.
	sources        []int
	joinTypes      []joinType
	implements     []string
	joinImplements []joinImplements
	fields         []*superField
	fieldIndex     map[string]*superField
	members        []string
	joinMembers    []joinUnionMember
	values         []*superEnumValue
	applied        applied
}

func (t *superType) addField(name string) *superField {
	if f := t.fieldIndex[name]; f != nil {
		return f
	}
	f := &superField{name: name}
	t.fields = append(t.fields, f)
	t.fieldIndex[name] = f
	return f
}

func (t *superType) removeField(name string) {
	for i, f := range t.fields {
		if f.name == name {
			t.fields = append(t.fields[:i:i], t.fields[i+1:]...)
			break
		}
	}
	delete(t.fieldIndex, name)
}

// joinType is one @join__type(graph:, key:, extension:, resolvable:,
// isInterfaceObject:).
type joinType struct {
	graph           string
	key             *string
	extension       bool
	unresolvable    bool
	interfaceObject bool
}

// joinImplements is one @join__implements(graph:, interface:).
type joinImplements struct{ graph, iface string }

// joinUnionMember is one @join__unionMember(graph:, member:).
type joinUnionMember struct{ graph, member string }

type superField struct {
	name        string
	description string
	typ         *ast.Type
	args        []*superArg
	// defaultValue is set on input object fields only.
	defaultValue *ast.Value
	// joinFields is empty when every subgraph of the parent type resolves
	// the field the same way.
	joinFields []joinField
	applied    applied
}

// joinField is one @join__field. An empty graph prints @join__field with no
// arguments: a field an @interfaceObject provides to an implementation.
type joinField struct {
	graph          string
	requires       *string
	provides       *string
	typ            *string
	override       *string
	external       bool
	usedOverridden bool
}

type superArg struct {
	name         string
	description  string
	typ          *ast.Type
	defaultValue *ast.Value
	applied      applied
}

type superEnumValue struct {
	name        string
	description string
	graphs      []string
	applied     applied
}

// superDirective is a custom executable directive every subgraph defines.
type superDirective struct {
	name        string
	description string
	args        []*superArg
	repeatable  bool
	locations   []ast.DirectiveLocation
}
