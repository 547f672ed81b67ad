// Package composition composes federation subgraph schemas into one
// supergraph schema in the Apollo join spec (join/v0.3), the form
// `rover supergraph compose` produces for Federation 2. The supergraph is
// the query planner's only input, so it records, for every type, field,
// argument, enum value, union member and interface implementation, which
// subgraphs have it.
//
// Subgraph SDLs may be Federation 2 (with @link to the federation spec,
// imports possibly renamed) or Federation 1 (no @link: every field is
// shareable). Problems are reported all at once as Errors, each naming the
// subgraphs and schema coordinate involved and how to fix it.
package composition

import (
	"fmt"
	"sort"
	"strings"
)

// Subgraph is one subgraph to compose.
type Subgraph struct {
	// Name identifies the subgraph in messages and in the join__Graph enum.
	Name string
	// URL is the subgraph's GraphQL endpoint, recorded in the supergraph.
	URL string
	// SDL is the subgraph's schema (its _service { sdl }).
	SDL string
}

// Result is a successful composition.
type Result struct {
	// SDL is the supergraph schema.
	SDL string
	// Warnings lists what composition dropped or ignored (an optional
	// argument missing in one subgraph, an @override that can be removed…).
	Warnings []string
}

// Compose composes subgraphs into a supergraph. The output depends only on
// the subgraphs, not their order: subgraphs are processed sorted by name.
// When composition fails the error is Errors, holding every problem found.
func Compose(subgraphs []Subgraph) (*Result, error) {
	r := &report{}
	sorted := append([]Subgraph(nil), subgraphs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	if !checkNames(sorted, r) {
		return nil, r.errors
	}
	graphs := graphEnumValues(sorted)
	parsed := make([]*subgraph, 0, len(sorted))
	for i, s := range sorted {
		if sg := parseSubgraph(s, graphs[i], r); sg != nil {
			parsed = append(parsed, sg)
		}
	}
	if len(r.errors) > 0 {
		return nil, r.errors
	}
	m := newMerger(parsed, r)
	m.merge()
	if len(r.errors) > 0 {
		return nil, r.errors
	}
	return &Result{SDL: printSupergraph(m), Warnings: r.warnings}, nil
}

// checkNames reports empty and duplicate subgraph names.
func checkNames(sorted []Subgraph, r *report) bool {
	for i, s := range sorted {
		switch {
		case strings.TrimSpace(s.Name) == "":
			r.errorf(CodeInvalidSubgraphName, "", nil, "a subgraph has an empty name; give every subgraph a name")
		case i > 0 && sorted[i-1].Name == s.Name:
			r.errorf(CodeInvalidSubgraphName, "", []string{s.Name}, "two subgraphs are named %q; subgraph names must be unique", s.Name)
		}
	}
	return len(r.errors) == 0
}

// graphEnumValues derives each subgraph's join__Graph value: the name upper-
// cased with other characters than letters, digits and _ replaced by _,
// prefixed with _ if it starts with a digit. Names that collide get _1, _2…
// in subgraph order.
func graphEnumValues(sorted []Subgraph) []string {
	base := make([]string, len(sorted))
	count := map[string]int{}
	for i, s := range sorted {
		base[i] = sanitizeGraphName(s.Name)
		count[base[i]]++
	}
	taken := map[string]bool{}
	for _, b := range base {
		if count[b] == 1 {
			taken[b] = true
		}
	}
	out := make([]string, len(sorted))
	next := map[string]int{}
	for i, b := range base {
		if count[b] == 1 {
			out[i] = b
			continue
		}
		for {
			next[b]++
			candidate := fmt.Sprintf("%s_%d", b, next[b])
			if !taken[candidate] {
				out[i] = candidate
				taken[candidate] = true
				break
			}
		}
	}
	return out
}

func sanitizeGraphName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(name) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	s := b.String()
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		s = "_" + s
	}
	return s
}
