package composition

import (
	"github.com/vektah/gqlparser/v2/ast"
	"strconv"
)

// addDefinition adds one type definition or extension to the subgraph.
func (sg *subgraph) addDefinition(def *ast.Definition, extension bool) {
	if isFederationTypeName(def.Name) || (def.Kind == ast.Scalar && builtinScalars[def.Name]) {
		return
	}
	name := sg.typeName(def.Name)
	t := sg.types[name]
	if t == nil {
		t = &sgType{name: name, kind: def.Kind, fieldIndex: map[string]*sgField{}}
		sg.types[name] = t
		sg.order = append(sg.order, name)
	} else if t.kind != def.Kind {
		sg.errorf(CodeInvalidGraphQL, name, "type %q is defined both as %s and as %s; use one kind", name, kindName(t.kind), kindName(def.Kind))
		return
	}
	if !extension {
		if t.hasDefinition {
			sg.errorf(CodeInvalidGraphQL, name, "type %q is defined twice; merge the definitions or use \"extend type\"", name)
			return
		}
		t.hasDefinition = true
		t.description = def.Description
	}
	blockExtension, blockShareable := extension, false
	for _, d := range def.Directives {
		switch sg.directives[d.Name] {
		case dirExtends:
			t.extends, blockExtension = true, true
		case dirShareable:
			blockShareable = true
		case dirInterfaceObject:
			t.interfaceObject = true
		case dirExternal:
			t.external = true
		}
	}
	for _, d := range def.Directives {
		if sg.directives[d.Name] == dirKey {
			sg.addKey(t, d, blockExtension)
		}
	}
	sg.readApplied(&t.applied, def.Directives, name)
	for _, itf := range def.Interfaces {
		t.interfaces = appendUnique(t.interfaces, sg.typeName(itf))
	}
	for _, m := range def.Types {
		t.members = appendUnique(t.members, sg.typeName(m))
	}
	for _, v := range def.EnumValues {
		sg.addEnumValue(t, v)
	}
	for _, f := range def.Fields {
		sg.addField(t, f, blockShareable)
	}
}

func (sg *subgraph) addKey(t *sgType, d *ast.Directive, extension bool) {
	fields, ok := stringArgument(d, "fields")
	if !ok {
		sg.errorf(CodeInvalidDirectiveArgument, t.name, "@key on type %q needs a string argument \"fields\" (e.g. @key(fields: \"id\"))", t.name)
		return
	}
	key := sgKey{fields: fields, resolvable: true, extension: extension}
	if a := d.Arguments.ForName("resolvable"); a != nil && a.Value != nil {
		if a.Value.Kind != ast.BooleanValue {
			sg.errorf(CodeInvalidDirectiveArgument, t.name, "@key(resolvable:) on type %q must be true or false", t.name)
			return
		}
		key.resolvable = a.Value.Raw == "true"
	}
	t.keys = append(t.keys, key)
}

func (sg *subgraph) addEnumValue(t *sgType, v *ast.EnumValueDefinition) {
	for _, existing := range t.values {
		if existing.name == v.Name {
			sg.errorf(CodeInvalidGraphQL, t.name+"."+v.Name, "enum value %s.%s is defined twice; remove one", t.name, v.Name)
			return
		}
	}
	ev := &sgEnumValue{name: v.Name, description: v.Description}
	sg.readApplied(&ev.applied, v.Directives, t.name+"."+v.Name)
	t.values = append(t.values, ev)
}

func (sg *subgraph) addField(t *sgType, f *ast.FieldDefinition, blockShareable bool) {
	if t.name == "Query" && (f.Name == "_entities" || f.Name == "_service") {
		return
	}
	coordinate := t.name + "." + f.Name
	if t.fieldIndex[f.Name] != nil {
		sg.errorf(CodeInvalidGraphQL, coordinate, "field %q is defined twice; remove one", coordinate)
		return
	}
	field := &sgField{
		parent: t.name, name: f.Name, description: f.Description,
		typ: sg.typeRef(f.Type), defaultValue: f.DefaultValue,
		shareable: blockShareable || !sg.fed2,
	}
	for _, d := range f.Directives {
		switch sg.directives[d.Name] {
		case dirExternal:
			field.external = true
		case dirShareable:
			field.shareable = true
		case dirRequires:
			field.requires = sg.fieldSetArgument(d, "@requires", coordinate)
		case dirProvides:
			field.provides = sg.fieldSetArgument(d, "@provides", coordinate)
		case dirOverride:
			from, ok := stringArgument(d, "from")
			if !ok {
				sg.errorf(CodeInvalidDirectiveArgument, coordinate, "@override on %q needs a string argument \"from\" naming the subgraph that resolved the field before", coordinate)
				continue
			}
			field.override = &from
			if label, ok := stringArgument(d, "label"); ok {
				sg.report.warnf("[%s] @override(label: %q) on %q is ignored: progressive override is not supported, the field is overridden entirely", sg.name, label, coordinate)
			}
		}
	}
	sg.readApplied(&field.applied, f.Directives, coordinate)
	for _, a := range f.Arguments {
		arg := &sgArg{name: a.Name, description: a.Description, typ: sg.typeRef(a.Type), defaultValue: a.DefaultValue}
		sg.readApplied(&arg.applied, a.Directives, coordinate+"("+a.Name+":)")
		field.args = append(field.args, arg)
	}
	t.fields = append(t.fields, field)
	t.fieldIndex[f.Name] = field
}

func (sg *subgraph) fieldSetArgument(d *ast.Directive, directive, coordinate string) *string {
	fields, ok := stringArgument(d, "fields")
	if !ok {
		sg.errorf(CodeInvalidDirectiveArgument, coordinate, "%s on %q needs a string argument \"fields\" (e.g. %s(fields: \"id\"))", directive, coordinate, directive)
		return nil
	}
	return &fields
}

// readApplied reads the directives the supergraph keeps: @inaccessible,
// @tag, @deprecated, @specifiedBy, @cost and @listSize.
func (sg *subgraph) readApplied(a *applied, directives ast.DirectiveList, coordinate string) {
	for _, d := range directives {
		switch {
		case sg.directives[d.Name] == dirInaccessible:
			a.inaccessible = true
		case sg.directives[d.Name] == dirTag:
			name, ok := stringArgument(d, "name")
			if !ok {
				sg.errorf(CodeInvalidDirectiveArgument, coordinate, "@tag on %q needs a string argument \"name\"", coordinate)
				continue
			}
			a.tags = appendUnique(a.tags, name)
		case d.Name == "deprecated":
			a.deprecated = true
			if reason, ok := stringArgument(d, "reason"); ok {
				a.deprecationReason = &reason
			}
		case d.Name == "specifiedBy":
			if url, ok := stringArgument(d, "url"); ok {
				a.specifiedBy = &url
			}
		case sg.directives[d.Name] == "cost":
			weight, ok := intArgument(d, "weight")
			if !ok {
				sg.errorf(CodeInvalidDirectiveArgument, coordinate, "@cost on %q needs an integer argument \"weight\" (e.g. @cost(weight: 5))", coordinate)
				continue
			}
			a.cost = &weight
		case sg.directives[d.Name] == "listSize":
			a.listSize = sg.readListSize(d, coordinate)
		}
	}
}

// checkReferences reports references to types the subgraph does not define
// and types used in the wrong position, so that the supergraph never names
// a missing type.
func (sg *subgraph) checkReferences() {
	for _, name := range sg.order {
		t := sg.types[name]
		if empty := emptyTypeMessage(t); empty != "" {
			sg.errorf(CodeInvalidGraphQL, name, "%s %q %s; add at least one or remove the type", kindName(t.kind), name, empty)
		}
		for _, itf := range t.interfaces {
			if it := sg.types[itf]; it == nil || it.kind != ast.Interface {
				sg.errorf(CodeInvalidGraphQL, name, "type %q implements %q, which is not an interface of this subgraph; define the interface", name, itf)
			}
		}
		for _, m := range t.members {
			if mt := sg.types[m]; mt == nil || mt.kind != ast.Object {
				sg.errorf(CodeInvalidGraphQL, name, "union %q has member %q, which is not an object type of this subgraph; define it", name, m)
			}
		}
		for _, f := range t.fields {
			input := t.kind == ast.InputObject
			sg.checkTypeRef(f.typ, f.coordinate(), input)
			for _, a := range f.args {
				sg.checkTypeRef(a.typ, f.coordinate()+"("+a.name+":)", true)
			}
		}
	}
}

// collectImplementations records the object types implementing each
// interface, which field sets through interface fields reach.
func (sg *subgraph) collectImplementations() {
	sg.implementations = map[string][]*sgType{}
	for _, name := range sg.order {
		t := sg.types[name]
		if t.kind != ast.Object {
			continue
		}
		for _, itf := range t.interfaces {
			sg.implementations[itf] = append(sg.implementations[itf], t)
		}
	}
}

func (sg *subgraph) checkTypeRef(t *ast.Type, coordinate string, input bool) {
	name := baseName(t)
	if builtinScalars[name] {
		return
	}
	def := sg.types[name]
	if def == nil {
		sg.errorf(CodeInvalidGraphQL, coordinate, "%q has type %q, which this subgraph does not define; define it", coordinate, name)
		return
	}
	isInput := def.kind == ast.Scalar || def.kind == ast.Enum || def.kind == ast.InputObject
	isOutput := def.kind != ast.InputObject
	if input && !isInput {
		sg.errorf(CodeInvalidGraphQL, coordinate, "%q must have an input type, but %q is %s", coordinate, name, kindName(def.kind))
	} else if !input && !isOutput {
		sg.errorf(CodeInvalidGraphQL, coordinate, "%q must have an output type, but %q is an input object", coordinate, name)
	}
}

func baseName(t *ast.Type) string {
	for t != nil && t.Elem != nil {
		t = t.Elem
	}
	if t == nil {
		return ""
	}
	return t.NamedType
}

func kindName(k ast.DefinitionKind) string {
	switch k {
	case ast.Object:
		return "an object type"
	case ast.Interface:
		return "an interface"
	case ast.Union:
		return "a union"
	case ast.Enum:
		return "an enum"
	case ast.InputObject:
		return "an input object"
	case ast.Scalar:
		return "a scalar"
	}
	return string(k)
}

// emptyTypeMessage says what an empty type lacks, or "" if it is not empty.
func emptyTypeMessage(t *sgType) string {
	switch {
	case (t.kind == ast.Object || t.kind == ast.Interface || t.kind == ast.InputObject) && len(t.fields) == 0:
		return "defines no fields"
	case t.kind == ast.Union && len(t.members) == 0:
		return "has no member types"
	case t.kind == ast.Enum && len(t.values) == 0:
		return "has no values"
	}
	return ""
}

// readListSize reads @listSize(assumedSize:, slicingArguments:,
// sizedFields:, requireOneSlicingArgument:).
func (sg *subgraph) readListSize(d *ast.Directive, coordinate string) *listSize {
	ls := &listSize{}
	if arg := d.Arguments.ForName("assumedSize"); arg != nil {
		n, ok := intArgument(d, "assumedSize")
		if !ok || n < 0 {
			sg.errorf(CodeInvalidDirectiveArgument, coordinate, "@listSize on %q: assumedSize must be an integer of 0 or more", coordinate)
			return nil
		}
		ls.assumedSize = &n
	}
	ls.slicingArguments = stringListArgument(d, "slicingArguments")
	ls.sizedFields = stringListArgument(d, "sizedFields")
	if arg := d.Arguments.ForName("requireOneSlicingArgument"); arg != nil && arg.Value != nil {
		b := arg.Value.Raw == "true"
		ls.requireOneSlicingArgument = &b
	}
	return ls
}

func intArgument(d *ast.Directive, name string) (int, bool) {
	arg := d.Arguments.ForName(name)
	if arg == nil || arg.Value == nil || arg.Value.Kind != ast.IntValue {
		return 0, false
	}
	n, err := strconv.Atoi(arg.Value.Raw)
	return n, err == nil
}

func stringListArgument(d *ast.Directive, name string) []string {
	arg := d.Arguments.ForName(name)
	if arg == nil || arg.Value == nil {
		return nil
	}
	var out []string
	for _, c := range arg.Value.Children {
		if c.Value != nil && c.Value.Kind == ast.StringValue {
			out = append(out, c.Value.Raw)
		}
	}
	if arg.Value.Kind == ast.StringValue { // a single string for a list
		out = append(out, arg.Value.Raw)
	}
	return out
}
