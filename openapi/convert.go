package openapi

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// converter holds the state of one conversion.
type converter struct {
	doc      *openapi3.T
	opts     *Options
	warnings []Warning
	// types are the generated types by GraphQL name.
	types map[string]*Type
	// names hands out type names; component names are claimed first.
	names *namer
	// componentBase maps a component schema's $ref to its type name
	// without TypePrefix.
	componentBase map[string]string
	cache         map[cacheKey]*TypeRef
	building      map[cacheKey]bool
	merged        map[*openapi3.Schema]*openapi3.Schema
	wrappers      map[string]string
	paramSchemas  map[*Param]paramSource
	ops           []*Operation
	// poly is the allOf inheritance among component schemas and the
	// interfaces made from it.
	poly polymorphism
}

// reservedTypeNames cannot be taken by generated types: GraphQL's and
// federation's own, and the scalars the converter defines.
var reservedTypeNames = []string{
	"Query", "Mutation", "Subscription", "String", "Int", "Float", "Boolean", "ID",
	"JSON", "DateTime", "Date", "BigInt", "Upload",
	"_Any", "_Entity", "_Service", "FieldSet", "link__Import", "link__Purpose", "federation__FieldSet",
}

// Convert converts an OpenAPI 2.0, 3.0 or 3.1 document (JSON or YAML) into
// a federation subgraph. It fails only when nothing usable can be
// generated: the document does not parse, or no operation survives.
// Everything else is skipped or degraded with a Warning.
func Convert(spec []byte, opts Options) (*Document, error) {
	if opts.TypePrefix != "" && !isName(opts.TypePrefix) {
		return nil, fmt.Errorf("openapi: type prefix %q is not a valid GraphQL name; use letters, digits and _", opts.TypePrefix)
	}
	doc, warnings, err := parseSpec(spec, &opts)
	if err != nil {
		return nil, err
	}
	c := &converter{
		doc:           doc,
		opts:          &opts,
		warnings:      warnings,
		types:         map[string]*Type{},
		names:         newNamer(reservedTypeNames...),
		componentBase: map[string]string{},
		cache:         map[cacheKey]*TypeRef{},
		building:      map[cacheKey]bool{},
		merged:        map[*openapi3.Schema]*openapi3.Schema{},
		wrappers:      map[string]string{},
		paramSchemas:  map[*Param]paramSource{},
	}
	c.reserveComponents()
	c.operations()
	c.finishInterfaces()
	if len(c.ops) == 0 {
		if doc.Paths == nil || doc.Paths.Len() == 0 {
			return nil, errors.New("openapi: the spec has no paths, so there is nothing to expose")
		}
		return nil, errors.New("openapi: no operation could be converted (check include/exclude, and the warnings)")
	}
	c.links()
	c.entities()
	sort.SliceStable(c.ops, func(i, j int) bool {
		if c.ops[i].RootType != c.ops[j].RootType {
			return c.ops[i].RootType == "Query"
		}
		return c.ops[i].FieldName < c.ops[j].FieldName
	})
	out := &Document{
		Servers:    servers(doc),
		Operations: c.ops,
		Types:      c.types,
		Warnings:   c.warnings,
	}
	if doc.Info != nil {
		out.Title = doc.Info.Title
	}
	out.SDL = printSDL(out)
	return out, nil
}

// reserveComponents claims the type names of component schemas, in name
// order, before any inline schema can take one.
func (c *converter) reserveComponents() {
	if c.doc.Components == nil {
		return
	}
	names := make([]string, 0, len(c.doc.Components.Schemas))
	for name := range c.doc.Components.Schemas {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		full := c.names.unique(c.opts.TypePrefix + pascalOr(name, "Schema"))
		c.componentBase["#/components/schemas/"+escapePointer(name)] = strings.TrimPrefix(full, c.opts.TypePrefix)
	}
}

func (c *converter) warn(pointer, message string) {
	c.warnings = append(c.warnings, Warning{Pointer: pointer, Message: message})
}

// entities adds the @key field sets of Options.Entities.
func (c *converter) entities() {
	for i, e := range c.opts.Entities {
		pointer := fmt.Sprintf("options/entities/%d", i)
		t := c.types[e.Type]
		if t == nil {
			t = c.types[c.opts.TypePrefix+e.Type]
		}
		if t == nil || t.Kind != KindObject || t.Wrapped {
			c.warn(pointer, fmt.Sprintf("entity type %q is not a generated object type; no @key is added (the object types are listed in the SDL)", e.Type))
			continue
		}
		if missing := missingKeyFields(t, e.Key); missing != "" {
			c.warn(pointer, fmt.Sprintf("entity key %q names %q, which is not a field of %s; no @key is added", e.Key, missing, t.Name))
			continue
		}
		t.Keys = append(t.Keys, strings.TrimSpace(e.Key))
	}
}

// missingKeyFields returns the first top-level field of a key field set
// that t does not have, or "" when all exist. Nested selections
// ("org { id }") are checked by composition.
func missingKeyFields(t *Type, key string) string {
	if strings.TrimSpace(key) == "" {
		return "(empty)"
	}
	have := map[string]bool{}
	for _, f := range t.Fields {
		have[f.Name] = true
	}
	depth := 0
	for _, tok := range strings.Fields(strings.NewReplacer("{", " { ", "}", " } ").Replace(key)) {
		switch {
		case tok == "{":
			depth++
		case tok == "}":
			depth--
		case depth == 0 && !have[tok]:
			return tok
		}
	}
	return ""
}

// servers returns the server URLs with their variables set to defaults.
func servers(doc *openapi3.T) []string {
	var out []string
	for _, s := range doc.Servers {
		if s == nil {
			continue
		}
		u := s.URL
		for name, v := range s.Variables {
			if v != nil {
				u = strings.ReplaceAll(u, "{"+name+"}", v.Default)
			}
		}
		out = append(out, u)
	}
	return out
}
