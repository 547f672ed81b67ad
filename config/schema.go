package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/tributary-gw/tributary"
)

const (
	// interpolatedPattern matches a value holding a ${VAR} reference; such a
	// value is accepted wherever a boolean, number or enum is.
	interpolatedPattern = `\$\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}`
	// durationPattern matches Go duration text, or text to interpolate.
	durationPattern = `^(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$|\$\{`
)

// Schema returns a JSON Schema (draft 2020-12) of gateway.yaml, with each
// registered kind's section as one alternative of a subgraphs item. Editors
// use it for completion and checking; the loader does not.
func Schema() ([]byte, error) {
	root, err := topSchema()
	if err != nil {
		return nil, err
	}
	compact, err := marshalJSON(root)
	if err != nil {
		return nil, fmt.Errorf("config: encode JSON Schema: %w", err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact, "", "  "); err != nil {
		return nil, fmt.Errorf("config: indent JSON Schema: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func topSchema() (*object, error) {
	root, err := typeSchema(reflect.TypeFor[Config](), nil)
	if err != nil {
		return nil, err
	}
	out := newObject().
		set("$schema", "https://json-schema.org/draft/2020-12/schema").
		set("title", "gateway.yaml").
		set("description", "Configuration of the Tributary GraphQL federation gateway.")
	for _, k := range root.keys {
		out.set(k, root.get(k))
	}
	out.set("anyOf", []any{
		newObject().set("required", []string{"subgraphs"}),
		newObject().set("required", []string{"supergraph"}),
	})
	out.set("$defs", newObject().
		set("interpolated", newObject().
			set("description", "A ${VAR} or ${VAR:-default} reference, replaced from the environment before the value is read.").
			set("type", "string").
			set("pattern", interpolatedPattern)).
		set("duration", newObject().
			set("description", `Go duration text such as "250ms", "10s" or "1m30s".`).
			set("type", "string").
			set("pattern", durationPattern)))
	return out, nil
}

// typeSchema returns the schema of values of type t; f, if not nil, is the
// struct field holding it, whose tags add a description, default and enum.
func typeSchema(t reflect.Type, f *field) (*object, error) {
	s, err := bareSchema(t, f)
	if err != nil {
		return nil, err
	}
	if f == nil || (f.doc == "" && f.def == "") {
		return s, nil
	}
	out := newObject()
	if f.doc != "" {
		out.set("description", f.doc)
	}
	if f.def != "" {
		def, err := defaultValue(t, f.def)
		if err != nil {
			return nil, fmt.Errorf("field %s: default %q: %w", f.goName, f.def, err)
		}
		out.set("default", def)
	}
	for _, k := range s.keys {
		out.set(k, s.get(k))
	}
	return out, nil
}

func orInterpolated(s *object) *object {
	return newObject().set("anyOf", []any{s, newObject().set("$ref", "#/$defs/interpolated")})
}

func bareSchema(t reflect.Type, f *field) (*object, error) {
	if t == subgraphEntriesType {
		return subgraphsSchema()
	}
	if isDurationType(t) {
		return newObject().set("$ref", "#/$defs/duration"), nil
	}
	if isTextType(t) {
		return newObject().set("type", "string"), nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		return bareSchema(t.Elem(), f)
	case reflect.String:
		if f != nil && len(f.enum) > 0 {
			return orInterpolated(newObject().set("enum", f.enum)), nil
		}
		return newObject().set("type", "string"), nil
	case reflect.Bool:
		return orInterpolated(newObject().set("type", "boolean")), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return orInterpolated(newObject().set("type", "integer")), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return orInterpolated(newObject().set("type", "integer").set("minimum", 0)), nil
	case reflect.Float32, reflect.Float64:
		return orInterpolated(newObject().set("type", "number")), nil
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return newObject(), nil
		}
	case reflect.Slice:
		items, err := typeSchema(t.Elem(), nil)
		if err != nil {
			return nil, err
		}
		return newObject().set("type", "array").set("items", items), nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			break
		}
		values, err := typeSchema(t.Elem(), nil)
		if err != nil {
			return nil, err
		}
		return newObject().set("type", "object").set("additionalProperties", values), nil
	case reflect.Struct:
		return structSchema(t)
	}
	return nil, fmt.Errorf("type %s cannot appear in a config struct", t)
}

func structSchema(t reflect.Type) (*object, error) {
	fields, err := fieldsOf(t)
	if err != nil {
		return nil, err
	}
	props := newObject()
	var required []string
	for i := range fields {
		f := &fields[i]
		s, err := typeSchema(f.typ, f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Name(), err)
		}
		props.set(f.key, s)
		if f.required {
			required = append(required, f.key)
		}
	}
	out := newObject().set("type", "object").set("properties", props)
	if len(required) > 0 {
		out.set("required", required)
	}
	return out.set("additionalProperties", false), nil
}

func subgraphNameSchema() *object {
	return newObject().
		set("description", "Unique name of the subgraph: letters, digits, _ and -, starting with a letter or _.").
		set("type", "string").
		set("pattern", subgraphNamePatternText)
}

func subgraphsSchema() (*object, error) {
	var alternatives []any
	for _, k := range tributary.Kinds() {
		section, err := kindSchema(k)
		if err != nil {
			return nil, err
		}
		item := newObject().set("title", k.Name)
		if k.Doc != "" {
			item.set("description", k.Doc)
		}
		item.set("type", "object").
			set("properties", newObject().set("name", subgraphNameSchema()).set(k.Name, section)).
			set("required", []string{"name", k.Name}).
			set("additionalProperties", false)
		alternatives = append(alternatives, item)
	}
	items := newObject().set("oneOf", alternatives)
	if len(alternatives) == 0 {
		items = newObject().
			set("description", "No subgraph kinds were registered when this schema was generated.").
			set("type", "object").
			set("properties", newObject().set("name", subgraphNameSchema())).
			set("required", []string{"name"})
	}
	return newObject().set("type", "array").set("items", items), nil
}

// kindSchema returns the schema of kind k's config section.
func kindSchema(k tributary.Kind) (*object, error) {
	t, err := kindConfigType(k)
	if err != nil {
		return nil, err
	}
	s, err := typeSchema(t, &field{doc: k.Doc, goName: k.Name})
	if err != nil {
		return nil, fmt.Errorf("config: subgraph kind %q: %w", k.Name, err)
	}
	return s, nil
}

// kindConfigType returns the struct type k's NewConfig points to.
func kindConfigType(k tributary.Kind) (reflect.Type, error) {
	t := reflect.TypeOf(k.NewConfig())
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("config: subgraph kind %q: NewConfig returns %v, not a pointer to a struct", k.Name, t)
	}
	return t.Elem(), nil
}

// defaultValue turns a default tag into a JSON value of the field's type.
// Lists are written comma-separated: default:"Content-Type,Authorization".
func defaultValue(t reflect.Type, text string) (any, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if isTextType(t) {
		return text, nil
	}
	switch t.Kind() {
	case reflect.Bool:
		return strconv.ParseBool(text)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.ParseInt(text, 10, t.Bits())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.ParseUint(text, 10, t.Bits())
	case reflect.Float32, reflect.Float64:
		return strconv.ParseFloat(text, t.Bits())
	case reflect.Slice:
		var out []any
		for part := range strings.SplitSeq(text, ",") {
			v, err := defaultValue(t.Elem(), strings.TrimSpace(part))
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	return text, nil
}

// marshalJSON encodes v without escaping <, > and & (descriptions hold them).
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
