package wire

import (
	"github.com/tributary-gw/tributary/openapi"
)

// The fixtures below are built by hand, as the converter would build them
// from a pet store spec: GraphQL names differ from wire names wherever the
// converter would rename, so that a missing mapping shows in the tests.

func named(name string) *openapi.TypeRef            { return &openapi.TypeRef{Named: name} }
func nonNull(name string) *openapi.TypeRef          { return &openapi.TypeRef{Named: name, NonNull: true} }
func listOf(elem *openapi.TypeRef) *openapi.TypeRef { return &openapi.TypeRef{Elem: elem} }
func nonNullList(elem *openapi.TypeRef) *openapi.TypeRef {
	return &openapi.TypeRef{Elem: elem, NonNull: true}
}

func field(name, json string, t *openapi.TypeRef) *openapi.Field {
	return &openapi.Field{Name: name, JSON: json, Type: t}
}

// petTypes is the type set of the pet store fixture.
func petTypes() map[string]*openapi.Type {
	types := []*openapi.Type{
		{Name: "PetStatus", Kind: openapi.KindEnum, EnumValues: []*openapi.EnumValue{
			{Name: "AVAILABLE", Wire: "available"},
			{Name: "SOLD_OUT", Wire: "sold-out"},
			{Name: "PENDING", Wire: "pending"},
		}},
		{Name: "Priority", Kind: openapi.KindEnum, EnumValues: []*openapi.EnumValue{
			{Name: "LOW", Wire: 1.0},
			{Name: "HIGH", Wire: 2.5},
			{Name: "FLAGGED", Wire: true},
		}},
		{Name: "Pet", Kind: openapi.KindObject, Fields: []*openapi.Field{
			field("id", "id", nonNull("ID")),
			field("name", "name", nonNull("String")),
			field("status", "status", named("PetStatus")),
			field("priority", "priority", named("Priority")),
			field("tags", "tags", listOf(nonNull("String"))),
			field("owner", "owner_info", named("Owner")),
			field("birthDate", "birth_date", named("DateTime")),
			field("weightGrams", "weight_grams", named("BigInt")),
			field("companion", "companion", named("Animal")),
			field("shape", "shape", named("Shape")),
			field("extra", "extra", named("JSON")),
		}},
		{Name: "Owner", Kind: openapi.KindObject, Fields: []*openapi.Field{
			field("firstName", "first_name", nonNull("String")),
			field("age", "age", named("Int")),
		}},
		{Name: "Animal", Kind: openapi.KindUnion, Members: []string{"Cat", "Dog", "Fish"},
			Discriminator: &openapi.Discriminator{Property: "kind", Mapping: map[string]string{"cat": "Cat", "doggo": "Dog"}}},
		{Name: "Cat", Kind: openapi.KindObject, Fields: []*openapi.Field{
			field("kind", "kind", nonNull("String")),
			field("livesLeft", "lives_left", named("Int")),
		}},
		{Name: "Dog", Kind: openapi.KindObject, Fields: []*openapi.Field{
			field("kind", "kind", nonNull("String")),
			field("goodBoy", "good_boy", named("Boolean")),
		}},
		{Name: "Fish", Kind: openapi.KindObject, Fields: []*openapi.Field{
			field("kind", "kind", nonNull("String")),
			field("fins", "fins", named("Int")),
		}},
		{Name: "Shape", Kind: openapi.KindUnion, Members: []string{"Circle", "Square", "ShapeName", "ShapeSizes"}},
		{Name: "Circle", Kind: openapi.KindObject, Fields: []*openapi.Field{
			field("radius", "r", nonNull("Float")),
			field("label", "label", named("String")),
		}},
		{Name: "Square", Kind: openapi.KindObject, Fields: []*openapi.Field{
			field("side", "side", nonNull("Float")),
			field("label", "label", named("String")),
		}},
		{Name: "ShapeName", Kind: openapi.KindObject, Wrapped: true, Fields: []*openapi.Field{
			field("value", "value", nonNull("String")),
		}},
		{Name: "ShapeSizes", Kind: openapi.KindObject, Wrapped: true, Fields: []*openapi.Field{
			field("value", "value", nonNullList(nonNull("Float"))),
		}},
		{Name: "PetInput", Kind: openapi.KindInputObject, Fields: []*openapi.Field{
			field("name", "name", nonNull("String")),
			field("status", "status", named("PetStatus")),
			field("priorities", "priority_list", listOf(named("Priority"))),
			field("owner", "owner_info", named("OwnerInput")),
			field("tags", "tags", listOf(nonNull("String"))),
			field("meta", "meta", named("JSON")),
			field("weightGrams", "weight_grams", named("BigInt")),
		}},
		{Name: "OwnerInput", Kind: openapi.KindInputObject, Fields: []*openapi.Field{
			field("firstName", "first_name", nonNull("String")),
			field("nicknames", "nick_names", listOf(named("OwnerNameInput"))),
		}},
		{Name: "OwnerNameInput", Kind: openapi.KindInputObject, Fields: []*openapi.Field{
			field("text", "the_text", named("String")),
		}},
		{Name: "PetChoice", Kind: openapi.KindInputObject, OneOf: true, Fields: []*openapi.Field{
			field("byName", "byName", named("String")),
			field("byOwner", "byOwner", named("OwnerInput")),
		}},
		{Name: "DateTime", Kind: openapi.KindScalar},
		{Name: "BigInt", Kind: openapi.KindScalar},
		{Name: "JSON", Kind: openapi.KindScalar},
		{Name: "Upload", Kind: openapi.KindScalar},
	}
	out := make(map[string]*openapi.Type, len(types))
	for _, t := range types {
		out[t.Name] = t
	}
	return out
}

// listPetsOp returns a list of pets.
func listPetsOp() *openapi.Operation {
	return &openapi.Operation{
		ID: "listPets", Method: "GET", Path: "/pets", RootType: "Query", FieldName: "pets",
		Params: []*openapi.Param{
			{Name: "status", In: "query", Arg: "status", Style: "form", Explode: true, Type: listOf(nonNull("PetStatus"))},
			{Name: "limit", In: "query", Arg: "limit", Style: "form", Explode: true, Type: named("Int")},
		},
		Result: openapi.Result{Kind: openapi.ResultJSON, Type: nonNullList(nonNull("Pet"))},
	}
}

// updatePetOp updates a pet: a path parameter, query parameters and a
// JSON body.
func updatePetOp() *openapi.Operation {
	return &openapi.Operation{
		ID: "updatePet", Method: "PUT", Path: "/stores/{storeId}/pets/{petId}", RootType: "Mutation", FieldName: "updatePet",
		Params: []*openapi.Param{
			{Name: "storeId", In: "path", Arg: "storeId", Style: "simple", Required: true, Type: nonNull("ID")},
			{Name: "petId", In: "path", Arg: "petId", Style: "simple", Required: true, Type: nonNull("ID")},
			{Name: "dry-run", In: "query", Arg: "dryRun", Style: "form", Explode: true, Type: named("Boolean")},
			{Name: "notify", In: "query", Arg: "notify", Style: "form", Explode: false, Type: listOf(nonNull("String"))},
			{Name: "X-Request-Tag", In: "header", Arg: "requestTag", Style: "simple", Type: named("String")},
		},
		Body:   &openapi.Body{Arg: "input", Required: true, ContentType: "application/json", Type: nonNull("PetInput")},
		Result: openapi.Result{Kind: openapi.ResultJSON, Type: named("Pet")},
	}
}
