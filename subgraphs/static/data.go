package static

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Top-level keys of a data file.
const (
	queryKey    = "Query"
	entitiesKey = "entities"
)

// maxReportedProblems bounds the problems one load reports, so that a
// badly wrong file gives a readable error.
const maxReportedProblems = 20

// store is a loaded data file, indexed for lookups by key.
type store struct {
	// name is the subgraph's name, for messages a client may see.
	name string
	// queryType is the SDL's query root type name.
	queryType string
	// query maps root field names to their compact JSON values.
	query map[string]json.RawMessage
	// entities holds every type with a resolvable @key, by name.
	entities map[string]*entityType
}

// entityType is one entity type's data, indexed once per resolvable @key.
type entityType struct {
	name    string
	indexes []keyIndex
}

// keyIndex finds a type's entities by the values of one key.
type keyIndex struct {
	key entityKey
	// byValue maps appendKeyValue's encoding to the entity's JSON object,
	// "__typename" included.
	byValue map[string]json.RawMessage
}

// problems collects a load's errors about one data file.
type problems struct {
	file string
	msgs []string
	more int
}

func (p *problems) add(format string, args ...any) {
	if len(p.msgs) == maxReportedProblems {
		p.more++
		return
	}
	p.msgs = append(p.msgs, fmt.Sprintf(format, args...))
}

// err returns nil or one error naming the file and listing every problem.
func (p *problems) err() error {
	switch {
	case len(p.msgs) == 0:
		return nil
	case len(p.msgs) == 1:
		return fmt.Errorf("%s: %s", p.file, p.msgs[0])
	}
	total := len(p.msgs) + p.more
	if p.more > 0 {
		p.msgs = append(p.msgs, fmt.Sprintf("… and %d more", p.more))
	}
	return fmt.Errorf("%s: %d problems:\n  %s", p.file, total, strings.Join(p.msgs, "\n  "))
}

// loadData decodes a data file, checks it against the subgraph's SDL and
// indexes its entities. file names the data file in errors.
func loadData(file string, data []byte, schema *schemaInfo) (*store, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("%s: %s", file, describeJSONError(data, err, `a JSON object with "Query" and "entities"`))
	}
	if top == nil {
		return nil, fmt.Errorf(`%s: the file holds null; it must be a JSON object with "Query" and "entities"`, file)
	}

	p := &problems{file: file}
	for _, name := range slices.Sorted(maps.Keys(top)) {
		if name != queryKey && name != entitiesKey {
			p.add(`unknown top-level key %q; a data file holds only "Query" and "entities"`, name)
		}
	}
	s := &store{queryType: schema.queryType, query: map[string]json.RawMessage{}, entities: map[string]*entityType{}}
	if raw, ok := top[queryKey]; ok {
		loadQuery(p, s, raw, schema)
	}
	if raw, ok := top[entitiesKey]; ok {
		loadEntities(p, s, raw, schema)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	// Keyed types without data are still entities: their lookups miss.
	for typeName, keys := range schema.keys {
		if _, ok := s.entities[typeName]; !ok {
			s.entities[typeName] = &entityType{name: typeName, indexes: indexEntities(p, entitiesKey+"."+typeName, typeName, keys, nil)}
		}
	}
	return s, nil
}

func loadQuery(p *problems, s *store, raw json.RawMessage, schema *schemaInfo) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil || fields == nil {
		p.add(`"Query" must be an object of root field names to values, e.g. {"topProducts": [...]}`)
		return
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if !schema.queryFields[name] {
			p.add("Query.%s: %s's %s type has no field %q; add it to the SDL or remove the entry",
				name, schema.file, schema.queryType, name)
			continue
		}
		s.query[name] = compact(fields[name])
	}
}

func loadEntities(p *problems, s *store, raw json.RawMessage, schema *schemaInfo) {
	var types map[string]json.RawMessage
	if json.Unmarshal(raw, &types) != nil || types == nil {
		p.add(`"entities" must be an object of type names to lists of objects, e.g. {"Product": [{"upc": "1"}]}`)
		return
	}
	for _, typeName := range slices.Sorted(maps.Keys(types)) {
		path := entitiesKey + "." + typeName
		if !schema.types[typeName] {
			p.add("%s: type %s is not defined in %s", path, typeName, schema.file)
			continue
		}
		keys := schema.keys[typeName]
		if len(keys) == 0 {
			p.add(`%s: type %s has no resolvable @key in %s, so the gateway never fetches it by key; add @key(fields: "…") to it or remove the entry`,
				path, typeName, schema.file)
			continue
		}
		var items []json.RawMessage
		if json.Unmarshal(types[typeName], &items) != nil {
			p.add("%s must be a list of objects", path)
			continue
		}
		s.entities[typeName] = &entityType{name: typeName, indexes: indexEntities(p, path, typeName, keys, items)}
	}
}

// indexEntities builds one index per key over a type's entities.
func indexEntities(p *problems, path, typeName string, keys []entityKey, items []json.RawMessage) []keyIndex {
	indexes := make([]keyIndex, len(keys))
	firstAt := make([]map[string]int, len(keys)) // key value → item index, for duplicate errors
	for k, key := range keys {
		indexes[k] = keyIndex{key: key, byValue: make(map[string]json.RawMessage, len(items))}
		firstAt[k] = map[string]int{}
	}
	for i, item := range items {
		itemPath := fmt.Sprintf("%s[%d]", path, i)
		object, err := withTypename(item, typeName)
		if err != nil {
			p.add("%s: %v", itemPath, err)
			continue
		}
		matched := false
		for k, key := range keys {
			value, ok := appendKeyValue(nil, item, key.selection)
			if !ok {
				continue
			}
			matched = true
			if first, dup := firstAt[k][string(value)]; dup {
				p.add("%s has the same key (%s) as %s[%d]; keys must be unique", itemPath, key.fields, path, first)
				continue
			}
			firstAt[k][string(value)] = i
			indexes[k].byValue[string(value)] = object
		}
		if !matched {
			p.add("%s has no complete key: %s's keys are %s; give it every field of one key (fields with { … } hold objects)",
				itemPath, typeName, keyList(keys))
		}
	}
	return indexes
}

// withTypename returns item compacted, with "__typename" first unless the
// item already names its type.
func withTypename(item json.RawMessage, typeName string) (json.RawMessage, error) {
	var probe struct {
		Typename *string `json:"__typename"`
	}
	if trimmed := bytes.TrimSpace(item); len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, fmt.Errorf("must be a JSON object, not %s", excerpt(trimmed))
	}
	if err := json.Unmarshal(item, &probe); err != nil {
		return nil, fmt.Errorf(`"__typename" must be the string %q`, typeName)
	}
	body := compact(item)
	if probe.Typename != nil {
		if *probe.Typename != typeName {
			return nil, fmt.Errorf(`"__typename" is %q but the entity is listed under %s`, *probe.Typename, typeName)
		}
		return body, nil
	}
	quoted, _ := json.Marshal(typeName) // a string always marshals
	out := make([]byte, 0, len(body)+len(quoted)+16)
	out = append(out, `{"__typename":`...)
	out = append(out, quoted...)
	if len(body) > 2 {
		out = append(out, ',')
	}
	out = append(out, body[1:]...)
	return out[:len(out):len(out)], nil
}

// compact returns raw without insignificant space, in a slice of its own
// whose capacity ends at its length, so that appending to it copies.
func compact(raw json.RawMessage) json.RawMessage {
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return slices.Clip(append(json.RawMessage(nil), raw...))
	}
	return slices.Clip(json.RawMessage(buf.Bytes()))
}

func keyList(keys []entityKey) string {
	quoted := make([]string, len(keys))
	for i, k := range keys {
		quoted[i] = fmt.Sprintf("%q", k.fields)
	}
	return strings.Join(quoted, " or ")
}

// describeJSONError turns a decoding error into line:column text.
func describeJSONError(data []byte, err error, want string) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("line %s: invalid JSON: %v", lineColumn(data, syntax.Offset), syntax)
	case errors.As(err, &typ):
		return fmt.Sprintf("line %s: the file holds a JSON %s; it must be %s", lineColumn(data, typ.Offset), typ.Value, want)
	}
	return fmt.Sprintf("invalid JSON: %v", err)
}

// lineColumn converts a byte offset into "line:column", both from 1.
func lineColumn(data []byte, offset int64) string {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("%d:%d", line, col)
}

// excerpt quotes the start of a JSON value for an error message.
func excerpt(raw []byte) string {
	const limit = 40
	if len(raw) > limit {
		return fmt.Sprintf("%q…", raw[:limit])
	}
	return fmt.Sprintf("%q", raw)
}
