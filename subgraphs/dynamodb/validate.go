package dynamodb

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/tributary-gw/tributary"
)

// fieldErrors collects a section's problems.
type fieldErrors = tributary.FieldErrors

// Validate checks the section. Paths in the returned FieldErrors are
// relative to the section. Messages never quote tokenSecret.
func (c *Config) Validate() error {
	_, err := c.model()
	return err
}

// model checks the section and resolves it into the subgraph's model.
func (c *Config) model() (*model, error) {
	var errs fieldErrors
	if c.Endpoint != "" {
		if u, err := url.Parse(c.Endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs.Addf("endpoint", "must be an http(s) URL (e.g. http://localhost:8000), or empty for AWS")
		}
	}
	if c.TokenSecret != "" && len(c.TokenSecret) < 16 {
		errs.Addf("tokenSecret", "must be at least 16 bytes long; use a random value from ${ENV}")
	}
	if c.Concurrency < 0 {
		errs.Addf("concurrency", "must be greater than 0 (e.g. 16)")
	}
	if r := c.Retry; r != nil {
		if r.Attempts < 0 || r.Attempts > maxAttempts {
			errs.Addf("retry.attempts", "must be between 1 and %d (1 means no retry), not %d", maxAttempts, r.Attempts)
		}
		if r.MinWait > 0 && r.MaxWait > 0 && r.MaxWait < r.MinWait {
			errs.Addf("retry.maxWait", "(%s) is shorter than retry.minWait (%s); make it at least as long", r.MaxWait.Std(), r.MinWait.Std())
		}
	}
	if len(c.Tables) == 0 {
		errs.Addf("tables", "is required: list at least one table (e.g. [{table: Users, type: User, key: {partition: handle}, attributes: {handle: ID!}}])")
	}
	m := &model{byType: map[string]*table{}, byName: map[string]*table{}, relationsOf: map[string]map[string]*relation{}, roots: map[string]rootField{}}
	for i := range c.Tables {
		path := fmt.Sprintf("tables[%d]", i)
		t := c.Tables[i].table(&errs, path)
		if t == nil {
			continue
		}
		if first, dup := m.byName[t.name]; dup && first != nil {
			errs.Addf(path+".table", "table %q is already listed; list each table once", t.name)
			continue
		}
		if _, dup := m.byType[t.typeName]; dup {
			errs.Addf(path+".type", "type %q already serves another table; give each table its own type", t.typeName)
			continue
		}
		m.tables = append(m.tables, t)
		m.byName[t.name], m.byType[t.typeName] = t, t
	}
	for i := range c.Relations {
		c.Relations[i].resolve(m, &errs, fmt.Sprintf("relations[%d]", i))
	}
	m.addRoots(&errs)
	checkTypeNames(m, &errs)
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	return m, nil
}

// table checks one table entry and resolves it; nil when it is unusable.
func (tc *TableConfig) table(errs *fieldErrors, path string) *table {
	n := len(*errs)
	if tc.Table == "" {
		errs.Addf(path+".table", `is required: the DynamoDB table name (e.g. "Users")`)
	}
	if !isGraphQLName(tc.Type) {
		errs.Addf(path+".type", "%q is not a GraphQL type name: use letters, digits and _, not starting with a digit (e.g. \"User\")", tc.Type)
	} else if reservedTypeName(tc.Type) {
		errs.Addf(path+".type", "%q is a name the generated schema uses; choose another", tc.Type)
	}
	t := &table{name: tc.Table, typeName: tc.Type, byField: map[string]*attribute{}, byName: map[string]*attribute{}, scan: tc.Scan}
	for _, name := range slices.Sorted(maps.Keys(tc.Rename)) {
		if _, ok := tc.Attributes[name]; !ok {
			errs.Addf(path+".rename."+name, "names no attribute; rename lists attributes of attributes")
		}
	}
	for _, name := range slices.Sorted(maps.Keys(tc.Attributes)) {
		apath := path + ".attributes." + name
		typ, ok := parseAttrType(tc.Attributes[name])
		if !ok {
			errs.Addf(apath, "%q is not an attribute type: write ID, String, Int, Float or Boolean, a list of one ([String]), and ! for non-null", tc.Attributes[name])
			continue
		}
		field := name
		if r, ok := tc.Rename[name]; ok {
			field = r
		}
		if !isGraphQLName(field) {
			errs.Addf(apath, "%q is not a GraphQL field name; give it one with rename (e.g. rename: {%q: myField})", field, name)
			continue
		}
		if field == "true" || field == "false" || field == "null" {
			errs.Addf(apath, "%q cannot be a GraphQL enum value (of %sAttribute); rename it", field, tc.Type)
			continue
		}
		if other, dup := t.byField[field]; dup {
			errs.Addf(apath, "has the GraphQL name %q, as attribute %q does; rename one", field, other.name)
			continue
		}
		a := &attribute{name: name, field: field, typ: typ}
		t.byName[name], t.byField[field] = a, a
	}
	t.key = t.keyOf(errs, path+".key", tc.Key.Partition, tc.Key.Sort)
	for i, ic := range tc.Indexes {
		ipath := fmt.Sprintf("%s.indexes[%d]", path, i)
		if ic.Name == "" {
			errs.Addf(ipath+".name", `is required: the index name (e.g. "tweet-index")`)
		}
		if t.indexNamed(ic.Name) != nil && ic.Name != "" {
			errs.Addf(ipath+".name", "index %q is already listed", ic.Name)
		}
		ix := &index{name: ic.Name, key: t.keyOf(errs, ipath, ic.Partition, ic.Sort), field: ic.Field}
		if ix.key.partition != nil {
			if ix.field == "" {
				ix.field = plural(lowerFirst(tc.Type)) + "By" + pascal(ix.key.partition.field)
			}
			t.indexes = append(t.indexes, ix)
		}
	}
	if len(*errs) > n || t.key.partition == nil {
		return nil
	}
	t.attrs = sortedAttrs(t.byName, t.key)
	lower := lowerFirst(tc.Type)
	t.get = or(tc.Fields.Get, lower)
	t.primary = &index{key: t.key}
	if t.key.sort != nil {
		t.primary.field = or(tc.Fields.Query, plural(lower)+"By"+pascal(t.key.partition.field))
	}
	if t.scan {
		t.scanField = or(tc.Fields.Scan, plural(lower))
	}
	t.put, t.update, t.remove = or(tc.Fields.Put, "put"+tc.Type), or(tc.Fields.Update, "update"+tc.Type), or(tc.Fields.Delete, "delete"+tc.Type)
	return t
}

// keyOf resolves a key's attributes, which must be declared with a key
// type; path is where the key's partition and sort are written.
func (t *table) keyOf(errs *fieldErrors, path, partition, sort string) keyDef {
	var k keyDef
	one := func(key, name string) *attribute {
		switch a := t.byName[name]; {
		case name == "":
			errs.Addf(path+"."+key, "is required: the attribute name")
		case a == nil:
			errs.Addf(path+"."+key, "%q is not in attributes; declare it there with its type (e.g. %s: String!)", name, name)
		case !a.typ.isKeyType():
			errs.Addf(path+"."+key, "%q is declared %s; a key attribute is an ID, String, Int or Float", name, a.typ)
		default:
			return a
		}
		return nil
	}
	k.partition = one("partition", partition)
	if sort != "" {
		k.sort = one("sort", sort)
		if k.sort == nil {
			k.partition = nil
		}
	}
	return k
}

// resolve checks one relation and adds it to m.
func (rc *RelationConfig) resolve(m *model, errs *fieldErrors, path string) {
	parentType, field, ok := strings.Cut(rc.Field, ".")
	if !ok || !isGraphQLName(parentType) || !isGraphQLName(field) {
		errs.Addf(path+".field", "%q is not TYPE.FIELD (e.g. User.tweets)", rc.Field)
		return
	}
	t := m.byName[rc.Table]
	if t == nil {
		errs.Addf(path+".table", "%q is not one of tables; name a table listed there", rc.Table)
		return
	}
	ix := t.indexNamed(rc.Index)
	if ix == nil {
		errs.Addf(path+".index", "%q is not an index of table %s; list it in its indexes", rc.Index, t.name)
		return
	}
	if len(rc.Match) != 1 || rc.Match[ix.key.partition.name] == "" {
		errs.Addf(path+".match", "must map the partition attribute %s to the parent field giving its value (e.g. {%s: %s})", ix.key.partition.name, ix.key.partition.name, ix.key.partition.field)
		return
	}
	r := &relation{parentType: parentType, field: field, table: t, index: ix, parentField: rc.Match[ix.key.partition.name], desc: rc.Order == "desc"}
	if parent := m.byType[parentType]; parent != nil {
		if parent.byField[r.parentField] == nil {
			errs.Addf(path+".match", "%s has no field %q; match a field of its attributes", parentType, r.parentField)
			return
		}
		if parent.byField[field] != nil {
			errs.Addf(path+".field", "%s already has a field %s (an attribute)", parentType, field)
			return
		}
		if len(rc.ParentFields) > 0 {
			errs.Addf(path+".parentFields", "is only for types of other subgraphs; %s is the type of table %s", parentType, parent.name)
		}
	} else {
		if !isGraphQLName(r.parentField) {
			errs.Addf(path+".match", "%q is not a GraphQL field name", r.parentField)
			return
		}
		typ := ix.key.partition.typ
		typ.nonNull = true
		if s, ok := rc.ParentFields[r.parentField]; ok {
			if typ, ok = parseAttrType(s); !ok || !typ.isKeyType() {
				errs.Addf(path+".parentFields."+r.parentField, "%q is not a key type: write ID, String, Int or Float, with ! for non-null", s)
				return
			}
			if keyAttributeType(typ) != keyAttributeType(ix.key.partition.typ) {
				errs.Addf(path+".parentFields."+r.parentField, "%s cannot match %s, declared %s; use a type of the same kind (a string or a number)", typ, ix.key.partition.name, ix.key.partition.typ)
				return
			}
		}
		for name := range rc.ParentFields {
			if name != r.parentField {
				errs.Addf(path+".parentFields."+name, "is not the match field %s", r.parentField)
			}
		}
		m.addStub(parentType, r.parentField, typ)
	}
	if m.relationsOf[parentType][field] != nil {
		errs.Addf(path+".field", "%s is already a relation", rc.Field)
		return
	}
	if m.relationsOf[parentType] == nil {
		m.relationsOf[parentType] = map[string]*relation{}
	}
	m.relationsOf[parentType][field] = r
	m.relations = append(m.relations, r)
}

// addStub records a key field of a type of another subgraph.
func (m *model) addStub(typeName, field string, typ attrType) {
	for _, s := range m.stubs {
		if s.typeName == typeName {
			if _, ok := s.types[field]; !ok {
				s.keys = append(s.keys, field)
				s.types[field] = typ
			}
			return
		}
	}
	m.stubs = append(m.stubs, &stub{typeName: typeName, keys: []string{field}, types: map[string]attrType{field: typ}})
}

// addRoots names every root field and reports two tables that generate
// the same one.
func (m *model) addRoots(errs *fieldErrors) {
	for i, t := range m.tables {
		add := func(root, name string, f rootField) {
			key := root + "." + name
			if prev, dup := m.roots[key]; dup {
				errs.Addf(fmt.Sprintf("tables[%d].fields", i), "root field %s of table %s is also generated for table %s; rename one with fields or an index's field", key, t.name, prev.table.name)
				return
			}
			m.roots[key] = f
		}
		add("Query", t.get, rootField{kind: rootGet, table: t})
		if t.primary.field != "" {
			add("Query", t.primary.field, rootField{kind: rootQuery, table: t, index: t.primary})
		}
		for _, ix := range t.indexes {
			add("Query", ix.field, rootField{kind: rootQuery, table: t, index: ix})
		}
		if t.scan {
			add("Query", t.scanField, rootField{kind: rootScan, table: t})
		}
		add("Mutation", t.put, rootField{kind: rootPut, table: t})
		add("Mutation", t.update, rootField{kind: rootUpdate, table: t})
		add("Mutation", t.remove, rootField{kind: rootDelete, table: t})
	}
	for key := range m.roots {
		if _, name, _ := strings.Cut(key, "."); !isGraphQLName(name) {
			errs.Addf("tables", "generated root field %q is not a GraphQL name; fix its entry in fields", name)
		}
	}
}

// checkTypeNames reports generated type names that collide with a table's
// or a parent's type.
func checkTypeNames(m *model, errs *fieldErrors) {
	for _, t := range m.tables {
		for _, suffix := range []string{"Page", "Input", "Patch", "Condition", "Values", "Attribute"} {
			if other := m.byType[t.typeName+suffix]; other != nil {
				errs.Addf("tables", "type %s of table %s collides with the generated type %s%s of table %s; rename one", other.typeName, other.name, t.typeName, suffix, t.name)
			}
		}
	}
}

// reservedTypeName reports names the generated schema defines itself.
func reservedTypeName(name string) bool {
	switch name {
	case "Query", "Mutation", "Subscription", "SortOrder", "ID", "String", "Int", "Float", "Boolean":
		return true
	}
	return strings.HasSuffix(name, "KeyCondition")
}

func or(s, def string) string {
	if s != "" {
		return s
	}
	return def
}
