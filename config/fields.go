package config

import (
	"encoding"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tributary-gw/tributary"
)

// field is one key of a config struct, read from its struct tags.
type field struct {
	key      string
	index    []int
	typ      reflect.Type
	doc      string
	def      string
	required bool
	enum     []string
	// goName is the Go field name, for messages about programming errors.
	goName string
}

var (
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	durationType        = reflect.TypeFor[tributary.Duration]()
	stdDurationType     = reflect.TypeFor[time.Duration]()
	subgraphEntriesType = reflect.TypeFor[[]SubgraphEntry]()
)

// fieldsOf lists the keys of struct type t in declaration order. Embedded
// structs (and fields tagged `yaml:",inline"`) contribute their keys to t.
// It fails on a struct that would make two fields answer to one key.
// Results are cached per type; callers must not modify them.
func fieldsOf(t reflect.Type) ([]field, error) {
	if c, ok := fieldCache.Load(t); ok {
		r := c.(fieldsResult)
		return r.fields, r.err
	}
	var out []field
	err := collectFields(t, nil, &out, map[string]string{})
	if err != nil {
		out = nil
	}
	fieldCache.Store(t, fieldsResult{fields: out, err: err})
	return out, err
}

// fieldCache maps a struct type to its fieldsResult: struct tags never
// change, and reading them dominated decoding before it was cached.
var fieldCache sync.Map

type fieldsResult struct {
	fields []field
	err    error
}

func collectFields(t reflect.Type, prefix []int, out *[]field, seen map[string]string) error {
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("yaml")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		index := append(append([]int(nil), prefix...), i)
		inline := strings.Contains(","+opts+",", ",inline,") || (sf.Anonymous && name == "")
		if inline {
			if sf.Type.Kind() != reflect.Struct {
				return fmt.Errorf("field %s.%s is inlined but is not a struct (inline a struct value, not a pointer)", t.Name(), sf.Name)
			}
			if err := collectFields(sf.Type, index, out, seen); err != nil {
				return err
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = lowerFirst(sf.Name)
		}
		if prev, dup := seen[name]; dup {
			return fmt.Errorf("fields %s and %s of %s both use the key %q", prev, sf.Name, t.Name(), name)
		}
		seen[name] = sf.Name
		f := field{
			key:      name,
			index:    index,
			typ:      sf.Type,
			doc:      sf.Tag.Get("doc"),
			def:      sf.Tag.Get("default"),
			required: sf.Tag.Get("required") == "true",
			goName:   sf.Name,
		}
		if enum := sf.Tag.Get("enum"); enum != "" {
			for _, v := range strings.Split(enum, ",") {
				f.enum = append(f.enum, strings.TrimSpace(v))
			}
		}
		*out = append(*out, f)
	}
	return nil
}

func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[size:]
}

// fieldKeys returns the keys of fields, for suggestions and messages.
func fieldKeys(fields []field) []string {
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.key
	}
	return keys
}

// isTextType reports whether values of t are written as one string that t
// parses itself (tributary.Duration, time.Duration, other TextUnmarshalers).
func isTextType(t reflect.Type) bool {
	return t == stdDurationType || reflect.PointerTo(t).Implements(textUnmarshalerType)
}

// isDurationType reports whether t holds Go duration text.
func isDurationType(t reflect.Type) bool {
	return t == durationType || t == stdDurationType
}

// typeNoun describes what a value of type t must look like, for messages:
// "expected an integer".
func typeNoun(t reflect.Type) string {
	if isDurationType(t) {
		return `a duration such as "10s"`
	}
	if isTextType(t) {
		return "a string"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a non-negative integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a mapping"
	case reflect.Pointer:
		return typeNoun(t.Elem())
	case reflect.Interface:
		return "a value"
	}
	return t.String()
}
