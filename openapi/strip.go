package openapi

import (
	"strings"

	"github.com/tributary-gw/tributary/internal/jsonscan"
)

// stripUnused removes from a compact, valid JSON spec the keys the
// converter never reads: "example", "examples" and "x-…" extensions. On
// GitHub's spec that is a quarter of the bytes, and kin-openapi's decoding
// time grows with them. Keys are removed only where they are keywords: in a
// map whose keys are names (properties, schemas, responses…), a key called
// "example" is a name and stays. Values of enum, default and const are
// data and are copied untouched. Array elements are never removed, so JSON
// pointers into the spec stay valid.
func stripUnused(in []byte) []byte {
	out := make([]byte, 0, len(in))
	s := stripper{in: in, out: out}
	if len(in) == 0 || in[0] != '{' {
		return in
	}
	s.value(0, "")
	return s.out
}

// namedMaps are the keys whose object values are maps from names to
// values, rather than objects of keywords.
var namedMaps = map[string]bool{
	"properties": true, "patternProperties": true, "dependentSchemas": true, "$defs": true,
	"definitions": true, "schemas": true, "responses": true, "parameters": true,
	"requestBodies": true, "headers": true, "securitySchemes": true, "securityDefinitions": true,
	"links": true, "callbacks": true, "pathItems": true, "webhooks": true, "paths": true,
	"content": true, "encoding": true, "variables": true, "mapping": true, "scopes": true,
}

// opaque are the keys whose values are data, not spec objects.
var opaque = map[string]bool{"enum": true, "default": true, "const": true}

type stripper struct {
	in  []byte
	out []byte
}

// value copies the value at i, met under key, and returns the index after
// it.
func (s *stripper) value(i int, key string) int {
	switch s.in[i] {
	case '{':
		return s.object(i, namedMaps[key])
	case '[':
		s.out = append(s.out, '[')
		i++
		for s.in[i] != ']' {
			if s.in[i] == ',' {
				s.out = append(s.out, ',')
				i++
			}
			i = s.value(i, "")
		}
		s.out = append(s.out, ']')
		return i + 1
	default:
		end := jsonscan.ValueEnd(s.in, i)
		s.out = append(s.out, s.in[i:end]...)
		return end
	}
}

func (s *stripper) object(i int, names bool) int {
	s.out = append(s.out, '{')
	i++
	first := true
	for s.in[i] != '}' {
		if s.in[i] == ',' {
			i++
		}
		keyEnd := jsonscan.ValueEnd(s.in, i)
		key := string(s.in[i+1 : keyEnd-1])
		valStart := keyEnd + 1 // past ':'
		if !names && (key == "example" || key == "examples" || strings.HasPrefix(key, "x-")) {
			i = jsonscan.ValueEnd(s.in, valStart)
			continue
		}
		if !first {
			s.out = append(s.out, ',')
		}
		first = false
		s.out = append(s.out, s.in[i:valStart]...)
		if opaque[key] && !names {
			end := jsonscan.ValueEnd(s.in, valStart)
			s.out = append(s.out, s.in[valStart:end]...)
			i = end
			continue
		}
		i = s.value(valStart, key)
	}
	s.out = append(s.out, '}')
	return i + 1
}
