package gateway

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/gateway/engine"
)

// CheckSatisfiable plans a query for every field of the client schema,
// with the planner serve uses, and returns how many were checked. When
// some field does not plan — a query asking for it would fail at run
// time — the error is a *SatisfiabilityError listing each such field with
// the subgraphs involved and what to add to gateway.yaml or to a
// subgraph's schema (see engine.Engine.CheckSatisfiable for the method).
func (g *Gateway) CheckSatisfiable(ctx context.Context) (*engine.Satisfiability, error) {
	res, err := g.engine.CheckSatisfiable(ctx)
	if err != nil {
		return nil, err
	}
	if len(res.Unsatisfiable) > 0 {
		return res, &SatisfiabilityError{Config: g.Config, Result: res}
	}
	return res, nil
}

// SatisfiabilityError lists the fields of the client schema that no query
// plans, grouped by cause, each group with its fix. It reads
//
//	gateway.yaml: 1 field of the supergraph cannot be resolved by any query …
//
//	Product.books (subgraph "library")
//	  path:      topProducts.books
//	  …
type SatisfiabilityError struct {
	// Config locates subgraphs in gateway.yaml; nil gives generic fixes.
	Config *config.Config
	// Result is the check's result.
	Result *engine.Satisfiability
}

// Error implements error: the whole report.
func (e *SatisfiabilityError) Error() string {
	var b strings.Builder
	file := "the supergraph"
	if e.Config != nil && e.Config.Path != "" {
		file = e.Config.Path
	}
	n := len(distinctCoordinates(e.Result.Unsatisfiable))
	fmt.Fprintf(&b, "%s: %d %s cannot be resolved where a query reaches %s: serve would fail such a query (checked %d fields with %d query plans)\n",
		file, n, plural(n, "field", "fields"), plural(n, "it", "them"), e.Result.Fields, e.Result.Plans)
	for _, g := range groupUnsatisfiable(e.Result.Unsatisfiable) {
		b.WriteString("\n")
		e.writeGroup(&b, g)
	}
	if len(e.Result.Unchecked) > 0 {
		fmt.Fprintf(&b, "\nNot checked, because every path to them goes through a field above: %s\n", summarize(e.Result.Unchecked, 8))
	}
	return strings.TrimRight(b.String(), "\n")
}

// unsatisfiableGroup is the fields of one type that fail for one reason:
// same subgraphs, same cause.
type unsatisfiableGroup struct {
	first   engine.Unsatisfiable
	fields  []string
	paths   []string
	parents []string
}

// groupUnsatisfiable groups entries by type, field subgraphs and cause
// (and, when the keys do not explain the failure, by parent subgraphs),
// in the order of the entries.
func groupUnsatisfiable(list []engine.Unsatisfiable) []*unsatisfiableGroup {
	var out []*unsatisfiableGroup
	index := map[string]*unsatisfiableGroup{}
	for _, u := range list {
		key := fmt.Sprintf("%s|%v|%d", u.Type, u.FieldSubgraphs, u.Cause)
		if u.Cause == engine.CauseOther {
			key += fmt.Sprintf("|%v", u.ParentSubgraphs)
		}
		g := index[key]
		if g == nil {
			g = &unsatisfiableGroup{first: u}
			index[key] = g
			out = append(out, g)
		}
		if !slices.Contains(g.fields, u.Coordinate()) {
			g.fields = append(g.fields, u.Coordinate())
		}
		if !slices.Contains(g.paths, u.Path) {
			g.paths = append(g.paths, u.Path)
		}
		for _, p := range u.ParentSubgraphs {
			if !slices.Contains(g.parents, p) {
				g.parents = append(g.parents, p)
			}
		}
	}
	return out
}

func (e *SatisfiabilityError) writeGroup(b *strings.Builder, g *unsatisfiableGroup) {
	u := g.first
	fmt.Fprintf(b, "%s\n", summarize(g.fields, 8))
	fmt.Fprintf(b, "  path:      %s\n", summarize(g.paths, 4))
	fmt.Fprintf(b, "  query:     %s\n", u.Query)
	if len(g.parents) > 0 {
		fmt.Fprintf(b, "  subgraphs: %s here comes from %s; %s %s resolved only by %s\n",
			u.Type, e.subgraphList(g.parents), g.fields[0], plural(len(g.fields), "is", "and the rest are"), e.subgraphList(u.FieldSubgraphs))
	} else {
		fmt.Fprintf(b, "  subgraphs: %s is resolved by %s\n", g.fields[0], e.subgraphList(u.FieldSubgraphs))
	}
	fmt.Fprintf(b, "  planner:   %s\n", u.Reason)
	fmt.Fprintf(b, "  cause:     %s\n", e.cause(g))
	fix := e.fix(g)
	fmt.Fprintf(b, "  fix:       %s\n", strings.ReplaceAll(fix, "\n", "\n             "))
}

func (e *SatisfiabilityError) cause(g *unsatisfiableGroup) string {
	u := g.first
	parents := e.subgraphList(g.parents)
	switch u.Cause {
	case engine.CauseNoEntity:
		return fmt.Sprintf("%s %s not resolve %s by a key (@key), so the gateway cannot ask %s for the fields of a %s that %s returned",
			e.subgraphList(u.FieldSubgraphs), plural(len(u.FieldSubgraphs), "does", "do"), u.Type, plural(len(u.FieldSubgraphs), "it", "them"), u.Type, parents)
	case engine.CauseKeyUnavailable:
		var keys []string
		for _, s := range sortedKeys(u.EntityKeys) {
			keys = append(keys, fmt.Sprintf("%q resolves %s by %s", s, u.Type, quoteAll(u.EntityKeys[s])))
		}
		return fmt.Sprintf("%s, but the %s of %s lacks those fields, so the gateway cannot send it there",
			strings.Join(keys, "; "), u.Type, parents)
	default:
		return "the subgraphs' keys allow the jump, or none is needed; the planner's error above names what it could not find"
	}
}

// fix says what to add, in the terms of the subgraph's kind.
func (e *SatisfiabilityError) fix(g *unsatisfiableGroup) string {
	u := g.first
	key := "<a field both subgraphs have>"
	if len(u.SharedFields) > 0 {
		key = u.SharedFields[0]
	}
	switch u.Cause {
	case engine.CauseNoEntity:
		target := u.FieldSubgraphs[0]
		entry := e.entry(target)
		var b strings.Builder
		if len(u.SharedFields) == 0 {
			fmt.Fprintf(&b, "no leaf field of %s is resolved both by %s and by %q: give both a field that identifies a %s (an id), then\n",
				u.Type, e.subgraphList(g.parents), target, u.Type)
		}
		switch {
		case entry != nil && entry.Kind == "openapi":
			op, arg := pickLookup(u.Lookups, target, key)
			indent := "    "
			if entry.LineOf("entities") != entry.LineOf("") {
				fmt.Fprintf(&b, "join %s to %q by key: add to its entities: (%s)\n", u.Type, target, e.at(entry, "entities"))
				indent = "  "
			} else {
				fmt.Fprintf(&b, "join %s to %q by key: add to its openapi: section (%s)\n", u.Type, target, e.at(entry, ""))
				b.WriteString("  entities:\n")
			}
			fmt.Fprintf(&b, "%s- type: %s\n%s  key: %s\n", indent, u.Type, indent, key)
			if op != "" {
				fmt.Fprintf(&b, "%s  operation: %s   # the operationId behind Query.%s\n", indent, op, op)
			} else {
				fmt.Fprintf(&b, "%s  operation: <operationId>   # an operation of %q that returns %s by %s\n", indent, target, u.Type, key)
			}
			if arg != "" {
				fmt.Fprintf(&b, "%s  argument: %s\n", indent, arg)
			}
		case entry != nil && entry.Kind == "static":
			fmt.Fprintf(&b, "add @key(fields: %q) to type %s in the SDL of subgraph %q (%s), and its %s objects under \"entities\" in its data file",
				key, u.Type, target, e.at(entry, ""), u.Type)
		default:
			fmt.Fprintf(&b, "add @key(fields: %q) to type %s in subgraph %q%s, and resolve it there (a reference resolver: _entities)",
				key, u.Type, target, e.where(entry))
		}
		if len(u.Lookups) == 0 && entry != nil && entry.Kind == "openapi" {
			fmt.Fprintf(&b, "\n(%q has no query operation that returns %s: it needs one that takes the key)", target, u.Type)
		}
		return strings.TrimRight(b.String(), "\n")
	case engine.CauseKeyUnavailable:
		fix := fmt.Sprintf("add the key's fields to %s in %s", u.Type, e.subgraphList(g.parents))
		if len(u.SharedFields) > 0 {
			fix += fmt.Sprintf(", or key %s in %s by a field both already have: @key(fields: %q)", u.Type, e.subgraphList(u.FieldSubgraphs), key)
		}
		return fix
	default:
		return fmt.Sprintf("make the field resolvable where %s is: check the @requires, @provides and @external of %s in %s",
			u.Type, g.fields[0], e.subgraphList(u.FieldSubgraphs))
	}
}

// pickLookup chooses, among target's root fields returning the type, the
// one that takes the key: an argument named like it (upc, upcs), a list
// one preferred, else the one with a single argument.
func pickLookup(lookups []engine.Lookup, target, key string) (operation, argument string) {
	best := -1
	for _, l := range lookups {
		if l.Subgraph != target {
			continue
		}
		for _, a := range l.Arguments {
			name := strings.ToLower(a.Name)
			if name != strings.ToLower(key) && name != strings.ToLower(key)+"s" {
				continue
			}
			score := 1
			if l.List && strings.HasPrefix(a.Type, "[") {
				score = 2
			}
			if score > best {
				best, operation, argument = score, l.Field, a.Name
			}
		}
		if best < 0 && len(l.Arguments) == 1 {
			best, operation, argument = 0, l.Field, l.Arguments[0].Name
		}
	}
	return operation, argument
}

func (e *SatisfiabilityError) entry(subgraph string) *config.SubgraphEntry {
	if e.Config == nil {
		return nil
	}
	for i := range e.Config.Subgraphs {
		if e.Config.Subgraphs[i].Name == subgraph {
			return &e.Config.Subgraphs[i]
		}
	}
	return nil
}

// at is "gateway.yaml:12", the line of path in entry's kind section.
func (e *SatisfiabilityError) at(entry *config.SubgraphEntry, path string) string {
	return fmt.Sprintf("%s:%d", e.Config.Path, entry.LineOf(path))
}

func (e *SatisfiabilityError) where(entry *config.SubgraphEntry) string {
	if entry == nil {
		return ""
	}
	return fmt.Sprintf(" (%s, %s)", entry.Kind, e.at(entry, ""))
}

// subgraphList is `"shop" (openapi)`, `"a" (graphql) and "b" (graphql)`.
func (e *SatisfiabilityError) subgraphList(names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%q", n)
		if entry := e.entry(n); entry != nil {
			parts[i] += " (" + entry.Kind + ")"
		}
	}
	switch len(parts) {
	case 0:
		return "no subgraph"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func distinctCoordinates(list []engine.Unsatisfiable) []string {
	var out []string
	for _, u := range list {
		if !slices.Contains(out, u.Coordinate()) {
			out = append(out, u.Coordinate())
		}
	}
	return out
}

// summarize lists at most max items and counts the rest.
func summarize(items []string, max int) string {
	if len(items) <= max {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:max], ", "), len(items)-max)
}

func quoteAll(items []string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(out, " or ")
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
