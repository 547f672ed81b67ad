package federation

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/graphql-go/graphql"
	gqlast "github.com/graphql-go/graphql/language/ast"
)

// This file adds what the Apollo Federation subgraph spec asks of every
// subgraph: scalar _Any, type _Service { sdl: String }, union _Entity of the
// @key types, and the root fields _service and _entities.

// anyScalar is _Any: an entity representation, passed through as decoded.
var anyScalar = graphql.NewScalar(graphql.ScalarConfig{
	Name:        "_Any",
	Description: "An entity representation: __typename, key fields and @requires fields.",
	Serialize:   func(v any) any { return v },
	ParseValue:  func(v any) any { return v },
	ParseLiteral: func(v gqlast.Value) any {
		out, _ := literalValue(v)
		return out
	},
})

// literalValue converts an inline GraphQL value to what JSON decoding of the
// same value yields (numbers become float64). It reports false for values
// that have no JSON form here, such as variables nested in a literal.
func literalValue(v gqlast.Value) (any, bool) {
	switch v := v.(type) {
	case *gqlast.StringValue:
		return v.Value, true
	case *gqlast.EnumValue:
		return v.Value, true
	case *gqlast.BooleanValue:
		return v.Value, true
	case *gqlast.IntValue:
		f, err := strconv.ParseFloat(v.Value, 64)
		return f, err == nil
	case *gqlast.FloatValue:
		f, err := strconv.ParseFloat(v.Value, 64)
		return f, err == nil
	case *gqlast.ListValue:
		out := make([]any, 0, len(v.Values))
		for _, item := range v.Values {
			value, ok := literalValue(item)
			if !ok {
				return nil, false
			}
			out = append(out, value)
		}
		return out, true
	case *gqlast.ObjectValue:
		out := make(map[string]any, len(v.Fields))
		for _, f := range v.Fields {
			value, ok := literalValue(f.Value)
			if !ok || f.Name == nil {
				return nil, false
			}
			out[f.Name.Value] = value
		}
		return out, true
	default:
		return nil, false
	}
}

// addFederationFields adds _service and, when the subgraph has entities,
// _entities to the Query fields.
func (b *schemaBuilder) addFederationFields(fields graphql.Fields) {
	fields["_service"] = &graphql.Field{
		Name:    "_service",
		Type:    graphql.NewNonNull(b.serviceType()),
		Resolve: func(graphql.ResolveParams) (any, error) { return b.def.sdl, nil },
	}
	if len(b.def.entities) == 0 {
		return
	}
	fields["_entities"] = &graphql.Field{
		Name: "_entities",
		Type: graphql.NewNonNull(graphql.NewList(b.entityUnion())),
		Args: graphql.FieldConfigArgument{
			"representations": &graphql.ArgumentConfig{
				Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(anyScalar))),
			},
		},
		Resolve: b.resolveEntities,
	}
}

// serviceType is _Service; its one field reads the SDL that _service returns.
func (b *schemaBuilder) serviceType() *graphql.Object {
	return graphql.NewObject(graphql.ObjectConfig{
		Name: "_Service",
		Fields: graphql.Fields{
			"sdl": &graphql.Field{
				Type:    graphql.String,
				Resolve: func(p graphql.ResolveParams) (any, error) { return p.Source, nil },
			},
		},
	})
}

// entityUnion is _Entity: every object type with @key, in SDL order.
func (b *schemaBuilder) entityUnion() *graphql.Union {
	var members []*graphql.Object
	for _, d := range b.doc.Definitions {
		if b.def.entities[d.Name] != nil {
			members = append(members, b.objects[d.Name])
		}
	}
	return graphql.NewUnion(graphql.UnionConfig{Name: "_Entity", Types: members, ResolveType: b.resolveType})
}

// resolveEntities answers _entities: one entry per representation, in order,
// null where the subgraph has no entity with that key. A representation the
// subgraph cannot read fails the whole field, as it is a gateway bug.
func (b *schemaBuilder) resolveEntities(p graphql.ResolveParams) (any, error) {
	reps, _ := p.Args["representations"].([]any)
	out := make([]any, len(reps))
	for i, raw := range reps {
		fields, ok := raw.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("representations[%d] is %s; want an object with __typename and key fields", i, jsonKind(raw))
		}
		typeName, _ := fields["__typename"].(string)
		resolve := b.def.entities[typeName]
		if resolve == nil {
			return nil, fmt.Errorf("representations[%d] has __typename %q, which is not an entity of subgraph %s (entities: %s)",
				i, typeName, b.def.name, strings.Join(slices.Sorted(maps.Keys(b.def.entities)), ", "))
		}
		entity, err := resolve(representation(fields))
		if err != nil {
			return nil, fmt.Errorf("representations[%d] (%s): %w", i, typeName, err)
		}
		if entity != nil {
			out[i] = entity
		}
	}
	return out, nil
}

// representation is one entity representation as JSON decodes it:
// "__typename", the key fields and any @requires fields.
type representation map[string]any

// key returns the value of a String or ID key field.
func (r representation) key(field string) (string, error) {
	v, ok := r[field]
	if !ok {
		return "", fmt.Errorf("key field %q is missing", field)
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("key field %q is %s; want a string", field, jsonKind(v))
	}
	return s, nil
}

// int returns the value of an Int field, such as a @requires field.
func (r representation) int(field string) (int, error) {
	v, ok := r[field]
	if !ok || v == nil {
		return 0, fmt.Errorf("field %q is missing from the representation", field)
	}
	f, ok := v.(float64)
	if !ok || f != math.Trunc(f) || f < math.MinInt32 || f > math.MaxInt32 {
		return 0, fmt.Errorf("field %q is %s; want an Int", field, jsonKind(v))
	}
	return int(f), nil
}

// jsonKind describes a decoded JSON value for error messages.
func jsonKind(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(v)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	default:
		return fmt.Sprintf("a %T", v)
	}
}
