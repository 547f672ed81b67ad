package composition

import (
	"errors"
	"fmt"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// parseFieldSet parses the "fields" argument of @key, @requires or
// @provides: a selection set without its outer braces.
func parseFieldSet(fields string) (ast.SelectionSet, error) {
	doc, err := parser.ParseQuery(&ast.Source{Input: "{" + fields + "\n}"})
	if err != nil {
		// The position would point into our braces; the message is enough.
		msg := err.Error()
		var gerr *gqlerror.Error
		if errors.As(err, &gerr) {
			msg = gerr.Message
		}
		return nil, fmt.Errorf("it is not a valid selection set (%s)", msg)
	}
	if len(doc.Operations) != 1 || len(doc.Fragments) != 0 {
		return nil, errors.New("it must be a single selection set such as \"id\" or \"id org { id }\"")
	}
	return doc.Operations[0].SelectionSet, nil
}

// fieldSetRule describes how one directive's field set is checked.
type fieldSetRule struct {
	directive    string // "@key", "@requires", "@provides"
	fields       string
	owner        string // the coordinate the directive is applied to
	invalidCode  string
	externalCode string // set when leaf fields must be @external
	allowArgs    bool
	// visit is called for every field the set selects; underExternal says
	// whether an @external field encloses it.
	visit func(f *sgField, underExternal bool)
}

func (sg *subgraph) fieldSetError(rule *fieldSetRule, code, format string, args ...any) {
	sg.errorf(code, rule.owner, "on %q, %s(fields: %q) is invalid: %s", rule.owner, rule.directive, rule.fields, fmt.Sprintf(format, args...))
}

// checkFieldSet parses and walks a field set against the type it applies to.
func (sg *subgraph) checkFieldSet(rule *fieldSetRule, parent *sgType) {
	set, err := parseFieldSet(rule.fields)
	if err != nil {
		sg.fieldSetError(rule, rule.invalidCode, "%v", err)
		return
	}
	sg.walkFieldSet(rule, set, parent, false)
}

func (sg *subgraph) walkFieldSet(rule *fieldSetRule, set ast.SelectionSet, parent *sgType, underExternal bool) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			sg.walkField(rule, s, parent, underExternal)
		case *ast.InlineFragment:
			target := parent
			if s.TypeCondition != "" {
				target = sg.types[sg.typeName(s.TypeCondition)]
				if target == nil || (target.kind != ast.Object && target.kind != ast.Interface && target.kind != ast.Union) {
					sg.fieldSetError(rule, rule.invalidCode, "the fragment type %q is not an object, interface or union of this subgraph", s.TypeCondition)
					continue
				}
			}
			if len(s.Directives) > 0 {
				sg.fieldSetError(rule, rule.invalidCode, "directives are not allowed in a field set")
			}
			sg.walkFieldSet(rule, s.SelectionSet, target, underExternal)
		default:
			sg.fieldSetError(rule, rule.invalidCode, "named fragments are not allowed in a field set; inline the fields")
		}
	}
}

func (sg *subgraph) walkField(rule *fieldSetRule, s *ast.Field, parent *sgType, underExternal bool) {
	if s.Alias != "" && s.Alias != s.Name {
		sg.fieldSetError(rule, rule.invalidCode, "aliases are not allowed (found %q)", s.Alias)
		return
	}
	if len(s.Directives) > 0 {
		sg.fieldSetError(rule, rule.invalidCode, "directives are not allowed in a field set")
		return
	}
	if s.Name == "__typename" {
		if len(s.SelectionSet) > 0 {
			sg.fieldSetError(rule, rule.invalidCode, "__typename cannot have a selection set")
		}
		return
	}
	f := parent.field(s.Name)
	if f == nil || parent.kind == ast.InputObject {
		sg.fieldSetError(rule, rule.invalidCode, "type %q has no field %q in this subgraph (if another subgraph resolves it, declare it here with @external)", parent.name, s.Name)
		return
	}
	if len(s.Arguments) > 0 && !rule.allowArgs {
		sg.fieldSetError(rule, CodeKeyFieldsHasArgs, "field %q has arguments, which a key cannot select", f.coordinate())
		return
	}
	target := sg.types[baseName(f.typ)]
	composite := target != nil && (target.kind == ast.Object || target.kind == ast.Interface || target.kind == ast.Union)
	switch {
	case composite && len(s.SelectionSet) == 0:
		sg.fieldSetError(rule, rule.invalidCode, "field %q returns %q, so it needs a selection of its fields (e.g. %s { id })", f.coordinate(), baseName(f.typ), s.Name)
		return
	case !composite && len(s.SelectionSet) > 0:
		sg.fieldSetError(rule, rule.invalidCode, "field %q returns the leaf type %q and cannot have a selection", f.coordinate(), baseName(f.typ))
		return
	}
	if rule.externalCode != "" && len(s.SelectionSet) == 0 && !underExternal && !f.external {
		if f.fakeExternal {
			sg.fieldSetError(rule, rule.externalCode, "field %q is a key field of a type extension, which this subgraph resolves although it is marked @external (as in federation 1); remove it from the field set", f.coordinate())
		} else {
			sg.fieldSetError(rule, rule.externalCode, "field %q is not marked @external in this subgraph; mark it @external (it is resolved by another subgraph)", f.coordinate())
		}
	}
	if rule.visit != nil {
		rule.visit(f, underExternal)
		// A field set through an interface field reaches that field's
		// implementations too (Apollo's collectTargetFields): they are key,
		// required or provided fields as well.
		if parent.kind == ast.Interface {
			for _, impl := range sg.implementations[parent.name] {
				if implField := impl.field(f.name); implField != nil {
					rule.visit(implField, underExternal)
				}
			}
		}
	}
	if composite {
		under := underExternal || f.external || sg.implementationIsExternal(parent, f.name)
		sg.walkFieldSet(rule, s.SelectionSet, target, under)
	}
}

// validateFieldSets checks every @key, @requires and @provides of the
// subgraph and records key, provided and used fields.
func (sg *subgraph) validateFieldSets() {
	markUsed := func(f *sgField, _ bool) { sg.usedFields[f.coordinate()] = true }
	for _, name := range sg.order {
		t := sg.types[name]
		for _, key := range t.keys {
			if t.kind != ast.Object && t.kind != ast.Interface {
				sg.errorf(CodeKeyInvalidFields, name, "@key is only allowed on object types and interfaces, but %q is %s", name, kindName(t.kind))
				break
			}
			sg.checkFieldSet(&fieldSetRule{
				directive: "@key", fields: key.fields, owner: name, invalidCode: CodeKeyInvalidFields,
				visit: func(f *sgField, u bool) {
					sg.keyFields[f.coordinate()] = true
					markUsed(f, u)
				},
			}, t)
		}
	}
	for _, name := range sg.order {
		t := sg.types[name]
		if t.kind != ast.Object && t.kind != ast.Interface {
			continue
		}
		for _, f := range t.fields {
			sg.validateRequiresProvides(t, f, markUsed)
		}
		for _, itfName := range t.interfaces {
			for _, itfField := range sg.types[itfName].fieldsOrNil() {
				if f := t.field(itfField.name); f != nil {
					sg.usedFields[f.coordinate()] = true
				}
			}
		}
	}
}

func (t *sgType) fieldsOrNil() []*sgField {
	if t == nil {
		return nil
	}
	return t.fields
}

func (sg *subgraph) validateRequiresProvides(t *sgType, f *sgField, markUsed func(*sgField, bool)) {
	if f.requires != nil {
		sg.checkFieldSet(&fieldSetRule{
			directive: "@requires", fields: *f.requires, owner: f.coordinate(),
			invalidCode: CodeRequiresInvalidFields, externalCode: CodeRequiresMissingExternal,
			allowArgs: true, visit: markUsed,
		}, t)
	}
	if f.provides == nil {
		return
	}
	target := sg.types[baseName(f.typ)]
	if target == nil || (target.kind != ast.Object && target.kind != ast.Interface && target.kind != ast.Union) {
		sg.errorf(CodeProvidesOnNonObjectField, f.coordinate(), "@provides on %q is invalid: the field returns %q, which is not an object, interface or union; remove the @provides", f.coordinate(), baseName(f.typ))
		return
	}
	rule := &fieldSetRule{
		directive: "@provides", fields: *f.provides, owner: f.coordinate(),
		invalidCode: CodeProvidesInvalidFields, allowArgs: true,
		visit: func(pf *sgField, u bool) {
			markUsed(pf, u)
			if pf.external {
				sg.providedFields[pf.coordinate()] = true
			}
		},
	}
	if sg.fed2 {
		rule.externalCode = CodeProvidesMissingExternal
	}
	sg.checkFieldSet(rule, target)
}
