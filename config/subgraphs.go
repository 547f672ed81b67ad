package config

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/tributary-gw/tributary"
)

// SubgraphEntry is one item of the subgraphs list: a name and the decoded,
// validated config section of its kind.
type SubgraphEntry struct {
	// Name is the subgraph's unique name.
	Name string
	// Kind is the registered kind's name, which was the entry's other key.
	Kind string
	// Config is the kind's section, decoded into the kind's NewConfig value
	// and validated.
	Config tributary.SubgraphConfig
	// Line is the entry's line in the file, for messages about the subgraph
	// that arise after loading (for example while it builds).
	Line int

	// section is the kind's section as the file holds it, for LineOf; nil
	// for an entry that was not loaded from a file.
	section *sectionNode
}

// sectionNode is a kind's section in the file's syntax tree.
type sectionNode struct {
	value ast.Node
	// line is the kind key's line ("openapi:").
	line int
	// aliases resolves the file's aliases (see decoder.aliases).
	aliases map[*ast.AliasNode]ast.Node
}

// LineOf returns the line of the key at path, a path relative to the kind's
// section as a tributary.FieldError gives it ("entities[0].operation"), so
// that problems a kind finds while it builds point where Validate's do. A
// key absent from the file gives the line of the deepest part of path that
// is present, and "" the kind key's line. An entry that was not loaded from
// a file gives Line.
func (e SubgraphEntry) LineOf(path string) int {
	if e.section == nil {
		return e.Line
	}
	d := &decoder{aliases: e.section.aliases}
	return d.lineAt(e.section.value, path, e.section.line)
}

// subgraphNamePattern is what a subgraph name may look like: it becomes a
// join__Graph enum value in the supergraph, so it must be GraphQL-friendly.
var subgraphNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

const subgraphNamePatternText = `^[A-Za-z_][A-Za-z0-9_-]*$`

// kindNames lists the registered kinds for messages.
func kindNames() string {
	kinds := tributary.Kinds()
	if len(kinds) == 0 {
		return "none are registered (the program must import its subgraph kinds)"
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Name
	}
	return strings.Join(names, ", ")
}

func (d *decoder) decodeSubgraphs(node ast.Node, v reflect.Value, path string, line int) {
	seq, ok := node.(*ast.SequenceNode)
	if !ok {
		d.errorf(line, path, "expected a list of subgraphs (items like \"- name: accounts\" plus one kind key), got %s", nodeKind(node))
		return
	}
	out := make([]SubgraphEntry, 0, len(seq.Values))
	first := map[string]int{} // name → line of the entry that took it
	for i, item := range seq.Values {
		e, complete := d.decodeSubgraph(d.resolve(item), indexPath(path, i), lineOf(item))
		if e.Name != "" {
			if at, dup := first[e.Name]; dup {
				d.errorf(e.Line, fmt.Sprintf("%s %q", indexPath(path, i), e.Name), "has the same name as the subgraph at line %d; subgraph names must be unique", at)
			} else {
				first[e.Name] = e.Line
			}
		}
		if complete {
			out = append(out, e)
		}
	}
	v.Set(reflect.ValueOf(out))
}

// decodeSubgraph decodes one entry. It returns the entry as far as it got
// (its Name is set when the name was valid) and whether it is complete.
func (d *decoder) decodeSubgraph(item ast.Node, path string, line int) (SubgraphEntry, bool) {
	e := SubgraphEntry{Line: line}
	m, ok := item.(*ast.MappingNode)
	if !ok {
		d.errorf(line, path, "expected a mapping with name: and one kind key (%s), got %s", kindNames(), nodeKind(item))
		return e, false
	}
	var (
		nameEntry          *entry
		kindKeys, unknowns []entry
	)
	for _, en := range d.entries(m, path) {
		switch _, registered := tributary.LookupKind(en.key); {
		case en.key == "name":
			nameEntry = &en
		case registered:
			kindKeys = append(kindKeys, en)
		default:
			unknowns = append(unknowns, en)
		}
	}
	scope := path
	if nameEntry == nil {
		d.errorf(line, path, `has no name; add name: with a unique name such as "accounts"`)
	} else if s, ok := d.scalarText(d.resolve(nameEntry.value), joinPath(path, "name"), nameEntry.line); ok {
		if subgraphNamePattern.MatchString(s.text) {
			e.Name = s.text
			scope = fmt.Sprintf("%s %q", path, e.Name)
		} else {
			d.errorf(nameEntry.line, joinPath(path, "name"), "%s is not a valid subgraph name; use letters, digits, _ and -, starting with a letter or _", s.shown())
		}
	}
	var kindList []string
	for _, k := range tributary.Kinds() {
		kindList = append(kindList, k.Name)
	}
	for _, u := range unknowns {
		msg := fmt.Sprintf("unknown subgraph kind %q", u.key)
		if s := suggest(u.key, append(kindList, "name")); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		d.errorf(u.line, scope, "%s; the kinds are: %s", msg, kindNames())
	}
	switch {
	case len(kindKeys) > 1:
		keys := make([]string, len(kindKeys))
		for i, k := range kindKeys {
			keys[i] = k.key
		}
		d.errorf(kindKeys[1].line, scope, "has %d kind keys (%s); an entry takes exactly one, so split it into one entry per kind", len(kindKeys), strings.Join(keys, ", "))
		return e, false
	case len(kindKeys) == 0:
		if len(unknowns) == 0 {
			d.errorf(line, scope, "has no kind key; add one of: %s", kindNames())
		}
		return e, false
	}
	section := kindKeys[0]
	kind, _ := tributary.LookupKind(section.key)
	e.Kind = kind.Name
	cfg := kind.NewConfig()
	rv := reflect.ValueOf(cfg)
	if cfg == nil || rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		d.errorf(section.line, scope, "cannot be decoded: kind %q's NewConfig returned %T, not a pointer to a struct; this is a bug in the kind", kind.Name, cfg)
		return e, false
	}
	outer := d.scope
	d.scope = scope
	defer func() { d.scope = outer }()
	before, missingBefore := d.probs.count(), len(d.missing)
	d.decode(section.value, rv.Elem(), section.key, section.line)
	missing := d.missing[missingBefore:]
	d.missing = d.missing[:missingBefore]
	if d.probs.count() != before {
		return e, false
	}
	if !d.reportValidation(cfg.Validate(), section, missing) {
		return e, false
	}
	e.Config = cfg
	e.section = &sectionNode{value: section.value, line: section.line, aliases: d.aliases}
	return e, e.Name != ""
}

// reportValidation reports what a kind's Validate returned, pointing each
// FieldError at its key's line, and then the required keys that were absent
// and that Validate did not mention. It reports whether all was well.
func (d *decoder) reportValidation(err error, section entry, missing []missingKey) bool {
	reported := map[string]bool{}
	fieldErrors := tributary.AsFieldErrors(err)
	for _, fe := range fieldErrors {
		path := section.key
		switch {
		case strings.HasPrefix(fe.Path, "["):
			path += fe.Path
		case fe.Path != "":
			path += "." + fe.Path
		}
		msg := trimKeyPrefix(fe.Message, fe.Path)
		if msg == "" {
			msg = "is not valid"
		}
		d.errorf(d.lineAt(section.value, fe.Path, section.line), path, "%s", msg)
		reported[d.display(path)] = true
	}
	if err != nil && fieldErrors == nil {
		d.errorf(section.line, section.key, "%v", err)
		return false
	}
	for _, m := range missing {
		if !reported[m.path] {
			d.probs.add(m.line, m.path, "is required")
			reported[m.path] = true
		}
	}
	return len(reported) == 0
}

// trimKeyPrefix drops a message's leading repetition of the key it is
// about ("url is required" for path "url"), since the path is printed
// before it anyway.
func trimKeyPrefix(msg, path string) string {
	steps := splitPath(path)
	if len(steps) == 0 || steps[len(steps)-1].key == "" {
		return msg
	}
	key := steps[len(steps)-1].key
	for _, sep := range []string{" ", ": "} {
		if rest, ok := strings.CutPrefix(msg, key+sep); ok && rest != "" {
			return rest
		}
	}
	return msg
}

// lineAt returns the line of the key at path (relative to node), or of the
// deepest part of the path that exists, or fallback.
func (d *decoder) lineAt(node ast.Node, path string, fallback int) int {
	_, line := d.locate(node, path, fallback)
	return line
}

// locate finds the value at path (relative to node) and its key's line. When
// the path does not exist it returns nil and the line of its deepest part
// that does (or fallback).
func (d *decoder) locate(node ast.Node, path string, fallback int) (ast.Node, int) {
	line := fallback
	for _, step := range splitPath(path) {
		switch n := d.resolve(node).(type) {
		case *ast.MappingNode:
			// Only the mapping's own keys: keys merged in with "<<" are
			// reported at the mapping.
			found := false
			for _, mv := range n.Values {
				if key, ok := keyText(d.resolve(mv.Key)); ok && key == step.key {
					node, line, found = mv.Value, lineOf(mv), true
					break
				}
			}
			if !found {
				return nil, line
			}
		case *ast.SequenceNode:
			if step.key != "" || step.index < 0 || step.index >= len(n.Values) {
				return nil, line
			}
			node = n.Values[step.index]
			line = lineOf(d.resolve(node))
		default:
			return nil, line
		}
	}
	return d.resolve(node), line
}
