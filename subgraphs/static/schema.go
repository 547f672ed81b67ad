package static

import (
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// schemaInfo is what the static kind needs from its subgraph SDL: the root
// query fields and the keys of each entity type.
type schemaInfo struct {
	// file names the SDL in error messages.
	file string
	// queryType is the name of the query root type, usually "Query".
	queryType string
	// queryFields holds the query root's field names.
	queryFields map[string]bool
	// types holds every type and extension defined in the SDL.
	types map[string]bool
	// keys holds the resolvable @key field sets of each entity type.
	keys map[string][]entityKey
}

// entityKey is one @key of a type: a field set such as "id sku" or
// "org { id }".
type entityKey struct {
	// fields is the field set as written in the SDL.
	fields string
	// selection is the parsed field set.
	selection []keyField
}

// keyField is one field of a key's field set; sub is the nested selection
// of an object-typed field ("org { id }").
type keyField struct {
	name string
	sub  []keyField
}

// federationSpecURL identifies the federation spec in an @link directive.
const federationSpecURL = "specs.apollo.dev/federation/"

// parseSchema reads the query root and the @key directives of sdl. It
// understands federation v1 SDL (`extend type T @key(...)`) and v2 SDL with
// an `@link` header, including imports that rename @key and the namespaced
// `@federation__key`.
func parseSchema(file, sdl string) (*schemaInfo, error) {
	doc, err := parser.ParseSchema(&ast.Source{Name: file, Input: sdl})
	if err != nil {
		return nil, fmt.Errorf("the SDL is not valid GraphQL: %w", err)
	}
	info := &schemaInfo{
		file:        file,
		queryType:   queryTypeName(doc),
		queryFields: map[string]bool{},
		types:       map[string]bool{},
		keys:        map[string][]entityKey{},
	}
	keyDirectives := keyDirectiveNames(doc)

	defs := append(append(ast.DefinitionList{}, doc.Definitions...), doc.Extensions...)
	for _, def := range defs {
		info.types[def.Name] = true
		if def.Name == info.queryType {
			for _, f := range def.Fields {
				info.queryFields[f.Name] = true
			}
		}
		for _, d := range def.Directives {
			if !keyDirectives[d.Name] {
				continue
			}
			key, resolvable, err := parseKeyDirective(d)
			if err != nil {
				return nil, fmt.Errorf("%s: type %s: %w", file, def.Name, err)
			}
			if resolvable {
				info.keys[def.Name] = append(info.keys[def.Name], key)
			}
		}
	}
	return info, nil
}

// queryTypeName returns the query root's name from a schema definition or
// extension, or "Query".
func queryTypeName(doc *ast.SchemaDocument) string {
	schemas := append(append(ast.SchemaDefinitionList{}, doc.Schema...), doc.SchemaExtension...)
	for _, s := range schemas {
		for _, op := range s.OperationTypes {
			if op.Operation == ast.Query {
				return op.Type
			}
		}
	}
	return "Query"
}

// keyDirectiveNames returns the names under which the SDL writes @key. A
// federation v1 SDL (no @link) writes "key". A v2 SDL links the federation
// spec, whose directives are named "<namespace>__key" unless imported as
// "@key" or renamed by `{name: "@key", as: "@…"}`.
func keyDirectiveNames(doc *ast.SchemaDocument) map[string]bool {
	schemas := append(append(ast.SchemaDefinitionList{}, doc.Schema...), doc.SchemaExtension...)
	for _, s := range schemas {
		for _, link := range s.Directives.ForNames("link") {
			u := link.Arguments.ForName("url")
			if u == nil || u.Value == nil || !strings.Contains(u.Value.Raw, federationSpecURL) {
				continue
			}
			namespace := "federation"
			if as := link.Arguments.ForName("as"); as != nil && as.Value != nil {
				namespace = as.Value.Raw
			}
			names := map[string]bool{namespace + "__key": true}
			if imp := link.Arguments.ForName("import"); imp != nil && imp.Value != nil {
				for _, item := range imp.Value.Children {
					if name, ok := importedKeyName(item.Value); ok {
						names[name] = true
					}
				}
			}
			return names
		}
	}
	return map[string]bool{"key": true}
}

// importedKeyName reads one @link import entry, "@key" or
// {name: "@key", as: "@primaryKey"}, and returns the local directive name.
func importedKeyName(v *ast.Value) (string, bool) {
	switch v.Kind {
	case ast.StringValue, ast.BlockValue:
		return "key", v.Raw == "@key"
	case ast.ObjectValue:
		var name, as string
		for _, c := range v.Children {
			switch c.Name {
			case "name":
				name = c.Value.Raw
			case "as":
				as = c.Value.Raw
			}
		}
		if name != "@key" {
			return "", false
		}
		if as == "" {
			return "key", true
		}
		return strings.TrimPrefix(as, "@"), true
	}
	return "", false
}

// parseKeyDirective reads @key(fields: "…", resolvable: …).
func parseKeyDirective(d *ast.Directive) (entityKey, bool, error) {
	resolvable := true
	if r := d.Arguments.ForName("resolvable"); r != nil && r.Value != nil && r.Value.Raw == "false" {
		resolvable = false
	}
	arg := d.Arguments.ForName("fields")
	if arg == nil || arg.Value == nil || (arg.Value.Kind != ast.StringValue && arg.Value.Kind != ast.BlockValue) {
		return entityKey{}, false, fmt.Errorf(`@%s needs a fields string, e.g. @key(fields: "id")`, d.Name)
	}
	selection, err := parseFieldSet(arg.Value.Raw)
	if err != nil {
		return entityKey{}, false, fmt.Errorf(`@%s(fields: %q): %w`, d.Name, arg.Value.Raw, err)
	}
	return entityKey{fields: arg.Value.Raw, selection: selection}, resolvable, nil
}

// parseFieldSet parses a federation field set such as "id org { id }" by
// parsing it as a query's selection set.
func parseFieldSet(fields string) ([]keyField, error) {
	doc, err := parser.ParseQuery(&ast.Source{Name: "fields", Input: "{" + fields + "}"})
	if err != nil {
		return nil, fmt.Errorf("not a field set: %w", err)
	}
	if len(doc.Operations) != 1 || len(doc.Fragments) != 0 {
		return nil, fmt.Errorf("not a field set; write field names, e.g. \"id\" or \"org { id }\"")
	}
	return selectionFields(doc.Operations[0].SelectionSet)
}

func selectionFields(set ast.SelectionSet) ([]keyField, error) {
	if len(set) == 0 {
		return nil, fmt.Errorf("the field set is empty")
	}
	out := make([]keyField, 0, len(set))
	for _, sel := range set {
		f, ok := sel.(*ast.Field)
		if !ok {
			return nil, fmt.Errorf("fragments in keys are not supported by static subgraphs; list the fields")
		}
		if f.Alias != f.Name || len(f.Arguments) > 0 || len(f.Directives) > 0 {
			return nil, fmt.Errorf("key field %q may not have an alias, arguments or directives", f.Name)
		}
		kf := keyField{name: f.Name}
		if len(f.SelectionSet) > 0 {
			sub, err := selectionFields(f.SelectionSet)
			if err != nil {
				return nil, err
			}
			kf.sub = sub
		}
		out = append(out, kf)
	}
	return out, nil
}
