package openapi

import "strings"

// Options tailor a conversion.
type Options struct {
	// Include keeps only the operations matching one of its patterns; empty
	// keeps all. A pattern is an operationId ("getUser", "get*") or a method
	// and path ("GET /users/*", "* /admin/*"); '*' matches any run of
	// characters, '/' included.
	Include []string
	// Exclude drops the operations matching one of its patterns (same forms
	// as Include); it wins over Include.
	Exclude []string
	// Rename maps an operationId to the GraphQL field name to use.
	Rename map[string]string
	// RootType maps an operationId to "Query" or "Mutation", overriding the
	// method rule (safe methods are queries, the others mutations).
	RootType map[string]string
	// Entities make generated object types federation entities.
	Entities []EntityKey
	// TypePrefix is put in front of every generated type name, so that two
	// subgraphs generated from different specs do not clash.
	TypePrefix string
	// BaseDir is the directory relative external $refs ("common.yaml#/X")
	// are read from. Empty means external refs are not followed: each is
	// replaced by a JSON scalar, with a warning.
	BaseDir string
}

// EntityKey makes the generated object type Type an entity with
// @key(fields: Key).
type EntityKey struct {
	// Type is the GraphQL type name, with or without TypePrefix.
	Type string
	// Key is the key's field set, e.g. "id" or "owner repo".
	Key string
}

// selects reports whether the operation passes Include and Exclude.
func (o *Options) selects(id, method, path string) bool {
	if matchesAny(o.Exclude, id, method, path) {
		return false
	}
	return len(o.Include) == 0 || matchesAny(o.Include, id, method, path)
}

func matchesAny(patterns []string, id, method, path string) bool {
	for _, p := range patterns {
		if m, pathPattern, ok := strings.Cut(strings.TrimSpace(p), " "); ok {
			if (m == "*" || strings.EqualFold(m, method)) && glob(strings.TrimSpace(pathPattern), path) {
				return true
			}
			continue
		}
		if glob(p, id) {
			return true
		}
	}
	return false
}

// glob matches s against pattern, where '*' matches any run of bytes. It
// backtracks only to the last star, so it runs in O(len(pattern)·len(s)) at
// worst.
func glob(pattern, s string) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(pattern) && pattern[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(pattern) && pattern[pi] == s[si]:
			pi++
			si++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(pattern) && pattern[pi] == '*' {
		pi++
	}
	return pi == len(pattern)
}
