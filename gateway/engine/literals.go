package engine

import (
	"bytes"
	"strconv"

	"github.com/wundergraph/graphql-go-tools/v2/pkg/ast"
)

// Argument literals that contain variables, such as
// `attach(input: {note: $note, file: $file})`, need care: the normalizer
// extracts every argument literal into a variable of its own ($a) and
// bakes the values the variables had in the request that prepared the
// operation into it. Prepared operations are shared by requests with other
// values, so such a variable is rebuilt for every request from the literal
// (literalVar) instead, and uploads are followed through it.

// literalVar is a variable the normalizer extracted from an argument
// literal that refers to variables.
type literalVar struct {
	name  string
	value ast.Value // the literal, still in the prepared document
}

// literalArguments returns the arguments whose values are object or list
// literals referring to variables, by argument ref. It runs before the
// extraction pass, which replaces those values with variables.
func literalArguments(doc *ast.Document) map[int]ast.Value {
	var out map[int]ast.Value
	for ref, arg := range doc.Arguments {
		if (arg.Value.Kind == ast.ValueKindObject || arg.Value.Kind == ast.ValueKindList) && refersToVariables(doc, arg.Value) {
			if out == nil {
				out = map[int]ast.Value{}
			}
			out[ref] = arg.Value
		}
	}
	return out
}

func refersToVariables(doc *ast.Document, v ast.Value) bool {
	found := false
	walkVariables(doc, v, "", func(string, string) { found = true })
	return found
}

// walkVariables calls fn with the path (dot-separated, relative to v) and
// name of every variable inside the value v.
func walkVariables(doc *ast.Document, v ast.Value, path string, fn func(path, variable string)) {
	switch v.Kind {
	case ast.ValueKindVariable:
		fn(path, doc.VariableValueNameString(v.Ref))
	case ast.ValueKindObject:
		for _, f := range doc.ObjectValues[v.Ref].Refs {
			walkVariables(doc, doc.ObjectFieldValue(f), joinPath(path, doc.ObjectFieldNameString(f)), fn)
		}
	case ast.ValueKindList:
		for i, item := range doc.ListValues[v.Ref].Refs {
			walkVariables(doc, doc.Values[item], joinPath(path, strconv.Itoa(i)), fn)
		}
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// extractedLiterals pairs the literals found before extraction with the
// variables the normalizer put in their place. Variables the client
// declared are left alone: the normalizer reuses one when its value equals
// the literal's, and the client's value must win.
func extractedLiterals(doc *ast.Document, before map[int]ast.Value, declared map[string]bool) []literalVar {
	var out []literalVar
	seen := map[string]bool{}
	for ref, literal := range before {
		v := doc.Arguments[ref].Value
		if v.Kind != ast.ValueKindVariable {
			continue
		}
		name := doc.VariableValueNameString(v.Ref)
		if declared[name] || seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, literalVar{name: name, value: literal})
	}
	return out
}

// renderLiteral writes the JSON of a literal with its variables replaced
// by their values from lookup. As in the normalizer, an object field whose
// variable is absent is left out, and an absent variable elsewhere is null.
func renderLiteral(buf *bytes.Buffer, doc *ast.Document, v ast.Value, lookup func(string) ([]byte, bool)) {
	switch v.Kind {
	case ast.ValueKindVariable:
		if value, ok := lookup(doc.VariableValueNameString(v.Ref)); ok {
			buf.Write(value)
		} else {
			buf.WriteString("null")
		}
	case ast.ValueKindObject:
		buf.WriteByte('{')
		n := 0
		for _, f := range doc.ObjectValues[v.Ref].Refs {
			value := doc.ObjectFieldValue(f)
			if value.Kind == ast.ValueKindVariable {
				if _, ok := lookup(doc.VariableValueNameString(value.Ref)); !ok {
					continue
				}
			}
			if n > 0 {
				buf.WriteByte(',')
			}
			n++
			buf.WriteString(quoteJSON(doc.ObjectFieldNameString(f)))
			buf.WriteByte(':')
			renderLiteral(buf, doc, value, lookup)
		}
		buf.WriteByte('}')
	case ast.ValueKindList:
		buf.WriteByte('[')
		for i, item := range doc.ListValues[v.Ref].Refs {
			if i > 0 {
				buf.WriteByte(',')
			}
			renderLiteral(buf, doc, doc.Values[item], lookup)
		}
		buf.WriteByte(']')
	default:
		js, err := doc.ValueToJSON(v)
		if err != nil {
			js = []byte("null")
		}
		buf.Write(js)
	}
}

// variablePlaces maps each variable to the paths its value takes in the
// normalized operation's variables: its own name when an argument uses it
// directly, and "a.file" when it sits at "file" in the literal extracted
// as $a.
func variablePlaces(doc *ast.Document, literals []literalVar) map[string][]string {
	places := map[string][]string{}
	for _, arg := range doc.Arguments {
		if arg.Value.Kind == ast.ValueKindVariable {
			name := doc.VariableValueNameString(arg.Value.Ref)
			if len(places[name]) == 0 {
				places[name] = []string{name}
			}
		}
	}
	for _, lv := range literals {
		walkVariables(doc, lv.value, lv.name, func(path, variable string) {
			places[variable] = append(places[variable], path)
		})
	}
	return places
}
