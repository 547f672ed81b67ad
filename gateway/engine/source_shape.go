package engine

import (
	"github.com/tributary-gw/tributary"
)

// sourceSelection converts the engine's selection (response keys, aliases)
// into what a Source sees: field names, each selected field once, children
// of aliased duplicates merged.
func sourceSelection(sel []*selection) []*tributary.Selection {
	if len(sel) == 0 {
		return nil
	}
	var out []*tributary.Selection
	index := map[string]*tributary.Selection{}
	var children = map[*tributary.Selection][]*selection{}
	for _, s := range sel {
		id := s.onType + "." + s.name
		ts, ok := index[id]
		if !ok {
			ts = &tributary.Selection{Name: s.name, OnType: s.onType}
			index[id] = ts
			out = append(out, ts)
		}
		children[ts] = append(children[ts], s.children...)
	}
	for _, ts := range out {
		ts.Children = sourceSelection(children[ts])
	}
	return out
}

// partialErrors places a Source's errors inside a resolved value: each
// relative path of field names and indexes becomes one path per response
// key the client used for those fields (a field selected under two aliases
// fails at both).
func partialErrors(p *tributary.PartialError, prefix []any, sel []*selection) []fetchError {
	var out []fetchError
	for _, e := range p.Errors {
		for _, path := range responsePaths(e.Path, sel) {
			full := append(append([]any(nil), prefix...), path...)
			out = append(out, fetchError{Message: e.Message, Path: full, Extensions: e.Extensions})
		}
	}
	return out
}

func responsePaths(rel []any, sel []*selection) [][]any {
	if len(rel) == 0 {
		return [][]any{nil}
	}
	switch step := rel[0].(type) {
	case int:
		var out [][]any
		for _, rest := range responsePaths(rel[1:], sel) {
			out = append(out, append([]any{step}, rest...))
		}
		return out
	case string:
		var out [][]any
		for _, s := range sel {
			if s.name != step {
				continue
			}
			for _, rest := range responsePaths(rel[1:], s.children) {
				out = append(out, append([]any{s.key}, rest...))
			}
		}
		if len(out) == 0 { // not selected under a known key: keep the name
			for _, rest := range responsePaths(rel[1:], nil) {
				out = append(out, append([]any{step}, rest...))
			}
		}
		return out
	}
	return [][]any{rel}
}

// plainSelection reports whether a value selected by sel needs no shaping:
// every field under its own name, no type conditions, no __typename to
// fill in, no field resolved by a call of its own.
func plainSelection(sel []*selection) bool {
	for _, s := range sel {
		if s.key != s.name || s.onType != "" || s.name == "__typename" || s.batch || !plainSelection(s.children) {
			return false
		}
	}
	return true
}
