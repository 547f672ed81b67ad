package federation

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/graphql-go/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// The executable schema of a subgraph is built from its SDL, so that the SDL
// the gateway composes (_service.sdl) and the schema that answers it cannot
// drift apart. Only what the example subgraphs use is supported: object,
// interface and union types, the built-in scalars, and scalar arguments.

// typeNamer is implemented by every value that resolvers return for an object
// type, so that interface, union and _Entity fields know the value's type.
type typeNamer interface {
	graphQLTypeName() string
}

// entityResolver finds one entity from its representation. It returns nil and
// no error when the subgraph has no entity with that key.
type entityResolver func(rep representation) (typeNamer, error)

// subgraphDefinition is everything one subgraph is built from.
type subgraphDefinition struct {
	name string
	// sdl is the federation SDL, served as _service.sdl as written.
	sdl string
	// fields maps "Type.field" to its resolver. A field without one reads
	// the Go struct field of the same name (graphql-go's default resolver).
	fields map[string]graphql.FieldResolveFn
	// entities maps each @key type to the resolver behind _entities.
	entities map[string]entityResolver
}

// schemaBuilder turns a parsed SDL into graphql-go types. Types refer to each
// other through thunks, which graphql-go calls when the schema is assembled,
// after every named type exists.
type schemaBuilder struct {
	def        subgraphDefinition
	doc        *ast.SchemaDocument
	named      map[string]graphql.Type
	objects    map[string]*graphql.Object
	interfaces map[string]*graphql.Interface
}

// reservedTypeNames are the federation types the builder adds itself.
var reservedTypeNames = []string{"_Any", "_Entity", "_Service"}

// buildSchema builds the executable schema of def: its SDL's types with the
// resolvers of def, plus _service, _entities and the _Any scalar.
func buildSchema(def subgraphDefinition) (graphql.Schema, error) {
	doc, err := parser.ParseSchema(&ast.Source{Name: def.name + ".graphql", Input: def.sdl})
	if err != nil {
		return graphql.Schema{}, fmt.Errorf("subgraph %s: parse SDL: %w", def.name, err)
	}
	b := &schemaBuilder{
		def: def,
		doc: doc,
		named: map[string]graphql.Type{
			"Int": graphql.Int, "Float": graphql.Float, "String": graphql.String,
			"Boolean": graphql.Boolean, "ID": graphql.ID,
		},
		objects:    map[string]*graphql.Object{},
		interfaces: map[string]*graphql.Interface{},
	}
	if err := b.check(); err != nil {
		return graphql.Schema{}, fmt.Errorf("subgraph %s: %w", def.name, err)
	}
	schema, err := graphql.NewSchema(b.declare())
	if err != nil {
		return graphql.Schema{}, fmt.Errorf("subgraph %s: assemble schema: %w", def.name, err)
	}
	return schema, nil
}

// check rejects SDL the builder cannot turn into a faithful executable schema,
// and resolvers that name nothing in it, so that mistakes fail at start-up.
func (b *schemaBuilder) check() error {
	if len(b.doc.Extensions) > 0 {
		return fmt.Errorf("SDL extends type %s; declare the type in full instead", b.doc.Extensions[0].Name)
	}
	if len(b.doc.Schema) > 0 {
		return fmt.Errorf("SDL has a schema definition; drop it and name the root type Query")
	}
	kinds := map[string]ast.DefinitionKind{}
	for _, d := range b.doc.Definitions {
		switch {
		case d.Kind != ast.Object && d.Kind != ast.Interface && d.Kind != ast.Union:
			return fmt.Errorf("type %s: %s types are not supported (use object, interface or union types)", d.Name, d.Kind)
		case b.named[d.Name] != nil || slices.Contains(reservedTypeNames, d.Name):
			return fmt.Errorf("type %s: the name is built in; rename the type", d.Name)
		case kinds[d.Name] != "":
			return fmt.Errorf("type %s is declared twice", d.Name)
		}
		kinds[d.Name] = d.Kind
	}
	for _, d := range b.doc.Definitions {
		if err := b.checkDefinition(d, kinds); err != nil {
			return fmt.Errorf("type %s: %w", d.Name, err)
		}
	}
	for key := range b.def.fields {
		typeName, fieldName, _ := strings.Cut(key, ".")
		d := b.doc.Definitions.ForName(typeName)
		if d == nil || d.Kind != ast.Object || d.Fields.ForName(fieldName) == nil {
			return fmt.Errorf("resolver %q names no field of an object type in the SDL", key)
		}
	}
	for _, d := range b.doc.Definitions {
		if d.Kind == ast.Object && d.Directives.ForName("key") != nil && b.def.entities[d.Name] == nil {
			return fmt.Errorf("type %s has @key but no entity resolver", d.Name)
		}
	}
	for name := range b.def.entities {
		d := b.doc.Definitions.ForName(name)
		if d == nil || d.Kind != ast.Object || d.Directives.ForName("key") == nil {
			return fmt.Errorf("entity resolver %q names no object type with @key", name)
		}
	}
	return nil
}

// checkDefinition checks the type references of one definition.
func (b *schemaBuilder) checkDefinition(d *ast.Definition, kinds map[string]ast.DefinitionKind) error {
	for _, name := range d.Interfaces {
		if kinds[name] != ast.Interface {
			return fmt.Errorf("implements %s, which is not an interface in the SDL", name)
		}
	}
	for _, name := range d.Types {
		if kinds[name] != ast.Object {
			return fmt.Errorf("union member %s is not an object type in the SDL", name)
		}
	}
	for _, f := range d.Fields {
		if d.Name == "Query" && (f.Name == "_entities" || f.Name == "_service") {
			return fmt.Errorf("field %s is added by federation; remove it from the SDL", f.Name)
		}
		if name := f.Type.Name(); b.named[name] == nil && kinds[name] == "" {
			return fmt.Errorf("field %s has unknown type %s", f.Name, name)
		}
		for _, a := range f.Arguments {
			if b.named[a.Type.Name()] == nil {
				return fmt.Errorf("argument %s.%s has type %s; only built-in scalars are supported", f.Name, a.Name, a.Type.Name())
			}
			if _, err := argumentDefault(a.DefaultValue); err != nil {
				return fmt.Errorf("argument %s.%s: %w", f.Name, a.Name, err)
			}
		}
	}
	return nil
}

// declare creates every named type and returns the schema configuration.
func (b *schemaBuilder) declare() graphql.SchemaConfig {
	for _, d := range b.doc.Definitions {
		if d.Kind == ast.Interface {
			b.interfaces[d.Name] = graphql.NewInterface(graphql.InterfaceConfig{
				Name:        d.Name,
				Fields:      b.fieldsThunk(d),
				ResolveType: b.resolveType,
			})
			b.named[d.Name] = b.interfaces[d.Name]
		}
	}
	var types []graphql.Type
	for _, d := range b.doc.Definitions {
		if d.Kind == ast.Object {
			b.objects[d.Name] = graphql.NewObject(graphql.ObjectConfig{
				Name:       d.Name,
				Interfaces: b.interfacesThunk(d),
				Fields:     b.fieldsThunk(d),
			})
			b.named[d.Name] = b.objects[d.Name]
			types = append(types, b.objects[d.Name])
		}
	}
	for _, d := range b.doc.Definitions {
		if d.Kind == ast.Union {
			b.named[d.Name] = graphql.NewUnion(graphql.UnionConfig{
				Name:        d.Name,
				Types:       b.objectsThunk(d.Types),
				ResolveType: b.resolveType,
			})
			types = append(types, b.named[d.Name])
		}
	}
	query := b.objects["Query"]
	if query == nil {
		// A subgraph that only extends entities still needs a Query type
		// to carry _entities and _service.
		query = graphql.NewObject(graphql.ObjectConfig{Name: "Query", Fields: b.fieldsThunk(&ast.Definition{Name: "Query"})})
	}
	return graphql.SchemaConfig{Query: query, Types: types}
}

// fieldsThunk returns d's fields; on Query it adds the federation fields.
func (b *schemaBuilder) fieldsThunk(d *ast.Definition) graphql.FieldsThunk {
	return func() graphql.Fields {
		fields := graphql.Fields{}
		for _, f := range d.Fields {
			fields[f.Name] = &graphql.Field{
				Name:    f.Name,
				Type:    b.outputType(f.Type),
				Args:    b.arguments(f.Arguments),
				Resolve: b.def.fields[d.Name+"."+f.Name],
			}
		}
		if d.Name == "Query" {
			b.addFederationFields(fields)
		}
		return fields
	}
}

// interfacesThunk returns the interfaces d implements.
func (b *schemaBuilder) interfacesThunk(d *ast.Definition) graphql.InterfacesThunk {
	return func() []*graphql.Interface {
		var out []*graphql.Interface
		for _, name := range d.Interfaces {
			out = append(out, b.interfaces[name])
		}
		return out
	}
}

// objectsThunk returns the object types named.
func (b *schemaBuilder) objectsThunk(names []string) graphql.UnionTypesThunk {
	return func() []*graphql.Object {
		var out []*graphql.Object
		for _, name := range names {
			out = append(out, b.objects[name])
		}
		return out
	}
}

// outputType converts an SDL type reference; check has verified its name.
func (b *schemaBuilder) outputType(t *ast.Type) graphql.Output {
	var out graphql.Output
	if t.Elem != nil {
		out = graphql.NewList(b.outputType(t.Elem))
	} else {
		out = b.named[t.NamedType].(graphql.Output)
	}
	if t.NonNull {
		return graphql.NewNonNull(out)
	}
	return out
}

// inputType converts an argument's type; check has verified it is built of
// built-in scalars.
func (b *schemaBuilder) inputType(t *ast.Type) graphql.Input {
	var in graphql.Input
	if t.Elem != nil {
		in = graphql.NewList(b.inputType(t.Elem))
	} else {
		in = b.named[t.NamedType].(graphql.Input)
	}
	if t.NonNull {
		return graphql.NewNonNull(in)
	}
	return in
}

// arguments converts a field's argument definitions.
func (b *schemaBuilder) arguments(args ast.ArgumentDefinitionList) graphql.FieldConfigArgument {
	if len(args) == 0 {
		return nil
	}
	out := graphql.FieldConfigArgument{}
	for _, a := range args {
		value, _ := argumentDefault(a.DefaultValue) // checked in check
		out[a.Name] = &graphql.ArgumentConfig{Type: b.inputType(a.Type), DefaultValue: value}
	}
	return out
}

// resolveType names the object type of a value returned for an abstract type.
func (b *schemaBuilder) resolveType(p graphql.ResolveTypeParams) *graphql.Object {
	if v, ok := p.Value.(typeNamer); ok {
		return b.objects[v.graphQLTypeName()]
	}
	return nil
}

// argumentDefault converts an SDL default value into the Go value resolvers
// receive when the argument is absent.
func argumentDefault(v *ast.Value) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch v.Kind {
	case ast.IntValue:
		n, err := strconv.Atoi(v.Raw)
		if err != nil {
			return nil, fmt.Errorf("default value %s is not an Int: %w", v.Raw, err)
		}
		return n, nil
	case ast.FloatValue:
		return strconv.ParseFloat(v.Raw, 64)
	case ast.StringValue, ast.BlockValue:
		return v.Raw, nil
	case ast.BooleanValue:
		return v.Raw == "true", nil
	case ast.NullValue:
		return nil, nil
	default:
		return nil, fmt.Errorf("default value %s is not a scalar literal", v.String())
	}
}
