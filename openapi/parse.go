package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/yaml"

	"github.com/tributary-gw/tributary/internal/files"
)

// parseSpec reads a spec in any supported version and form into an OpenAPI
// 3 document. kin-openapi reads 3.0 and 3.1 (type arrays, const, examples,
// $ref siblings) natively; 2.0 is converted with openapi2conv. External
// $refs are followed only for files under opts.BaseDir in 3.x documents;
// every other external $ref is replaced by an empty schema (a JSON scalar)
// with a warning, so that one unreachable file does not sink the spec.
func parseSpec(spec []byte, opts *Options) (doc *openapi3.T, warnings []Warning, err error) {
	data, err := toJSON(spec)
	if err != nil {
		return nil, nil, err
	}
	version, err := specVersion(data)
	if err != nil {
		return nil, nil, err
	}
	data = stripUnused(data)
	followFiles := opts.BaseDir != "" && version != "2"
	external := func(ref string) bool { return isDropped(ref, followFiles) }
	if hasExternalRef(data, followFiles) {
		data, warnings, err = dropRefs(data, external)
		if err != nil {
			return nil, nil, err
		}
	}
	doc, err = load(data, version, opts.BaseDir, followFiles)
	if err == nil {
		return doc, warnings, nil
	}
	// kin-openapi fails on refs it cannot follow (a discriminator mapping to
	// another file, a pointer through an allOf inside a path). Rather than
	// giving up, try once more with every ref that is neither local to a
	// component nor a followed file replaced by an empty schema.
	retry, more, rerr := dropRefs(data, func(ref string) bool { return external(ref) || !isComponentRef(ref) })
	if rerr != nil || len(more) == 0 {
		return nil, nil, err
	}
	doc, rerr = load(retry, version, opts.BaseDir, followFiles)
	if rerr != nil {
		return nil, nil, err
	}
	return doc, append(warnings, more...), nil
}

// load parses the JSON spec with kin-openapi.
func load(data []byte, version, baseDir string, followFiles bool) (doc *openapi3.T, err error) {
	// kin-openapi is a large third-party parser fed untrusted input: a panic
	// in it must become an error, not take the gateway down.
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("openapi: the spec could not be read (the OpenAPI parser failed: %v)", r)
		}
	}()
	loader := openapi3.NewLoader()
	if version == "2" {
		var doc2 openapi2.T
		if err := json.Unmarshal(data, &doc2); err != nil {
			return nil, fmt.Errorf("openapi: the Swagger 2.0 document is malformed: %w", err)
		}
		doc, err = openapi2conv.ToV3WithLoader(&doc2, loader, nil)
		if err != nil {
			return nil, fmt.Errorf("openapi: converting the Swagger 2.0 document to OpenAPI 3: %w", err)
		}
		return doc, nil
	}
	if !followFiles {
		// The fast decoder gives kin-openapi's result or declines; on
		// any failure kin-openapi decodes the document and reports.
		if fast, ferr := decodeDocument(data); ferr == nil {
			if err := loader.ResolveRefsIn(fast, nil); err != nil {
				return nil, fmt.Errorf("openapi: the OpenAPI document is malformed: %w", err)
			}
			return fast, nil
		}
	}
	if followFiles {
		loader.IsExternalRefsAllowed = true
		loader.ReadFromURIFunc = readUnder(baseDir)
		doc, err = loader.LoadFromDataWithPath(data, &url.URL{Path: filepath.ToSlash(filepath.Join(baseDir, "openapi.json"))})
	} else {
		doc, err = loader.LoadFromData(data)
	}
	if err != nil {
		return nil, fmt.Errorf("openapi: the OpenAPI document is malformed: %w", err)
	}
	return doc, nil
}

// isComponentRef reports whether a ref points into the components of this
// document (or, in 2.0, its definitions, parameters or responses), or
// into another file.
func isComponentRef(ref string) bool {
	if !strings.HasPrefix(ref, "#") {
		return true
	}
	for _, p := range []string{"#/components/", "#/definitions/", "#/parameters/", "#/responses/"} {
		if strings.HasPrefix(ref, p) {
			return true
		}
	}
	return false
}

// toJSON returns the spec as JSON, converting YAML. Timestamps stay
// strings: "2024-01-01" in an enum or example is not a date to us.
func toJSON(spec []byte) ([]byte, error) {
	spec = bytes.TrimPrefix(spec, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(spec)
	if len(trimmed) == 0 {
		return nil, errors.New("openapi: the spec is empty")
	}
	if trimmed[0] == '{' {
		// kin-openapi's nested decoders each re-scan their part of the
		// input, so indentation is paid for many times over: compacting
		// first nearly halves the load time of pretty-printed specs.
		var compact bytes.Buffer
		compact.Grow(len(trimmed))
		if err := json.Compact(&compact, trimmed); err != nil {
			return nil, fmt.Errorf("openapi: the spec is not valid JSON: %w", err)
		}
		return compact.Bytes(), nil
	}
	var out json.RawMessage
	if _, err := yaml.Unmarshal(spec, &out, yaml.DecodeOpts{DisableTimestamps: true}); err != nil {
		return nil, fmt.Errorf("openapi: the spec is neither JSON nor YAML: %w", err)
	}
	return out, nil
}

// specVersion returns "2" or "3" from the swagger or openapi field.
func specVersion(data []byte) (string, error) {
	head, err := versionFields(data)
	if err != nil {
		return "", fmt.Errorf("openapi: the spec is not a JSON or YAML object: %w", err)
	}
	switch {
	case head.OpenAPI != nil && strings.HasPrefix(fmt.Sprint(head.OpenAPI), "3"):
		return "3", nil
	case head.Swagger != nil && strings.HasPrefix(fmt.Sprint(head.Swagger), "2"):
		return "2", nil
	case head.OpenAPI != nil:
		return "", fmt.Errorf("openapi: OpenAPI version %v is not supported; use 2.0, 3.0 or 3.1", head.OpenAPI)
	default:
		return "", errors.New(`openapi: the document has no "openapi" or "swagger" field; is it an OpenAPI description?`)
	}
}

// versionHead holds the fields that say which OpenAPI version a document is.
type versionHead struct {
	Swagger any `json:"swagger"`
	OpenAPI any `json:"openapi"`
}

// versionFields reads the swagger and openapi fields of the compact JSON
// document: walking its top-level members is much cheaper than having
// encoding/json scan all of it, which gives the same result (and the
// error) for anything unusual.
func versionFields(data []byte) (versionHead, error) {
	var head versionHead
	it := newObjectIter(data)
	for it.next() {
		var dst *any
		switch {
		case bytes.IndexByte(it.key, '\\') >= 0:
			it.err = errNotFast
		case bytes.EqualFold(it.key, []byte("swagger")):
			dst = &head.Swagger
		case bytes.EqualFold(it.key, []byte("openapi")):
			dst = &head.OpenAPI
		}
		if dst != nil {
			*dst = nil
			if err := json.Unmarshal(it.val, dst); err != nil {
				it.err = err
			}
		}
		if it.err != nil {
			break
		}
	}
	if it.err != nil {
		head = versionHead{}
		err := json.Unmarshal(data, &head)
		return head, err
	}
	return head, nil
}

// hasExternalRef scans for a "$ref" whose value does not start with '#'
// (and, when files are followed, is a URL), without decoding the document:
// most specs have none, and decoding a multi-MB spec twice is not free.
func hasExternalRef(data []byte, followFiles bool) bool {
	key := []byte(`"$ref"`)
	for i := bytes.Index(data, key); i >= 0; {
		rest := bytes.TrimLeft(data[i+len(key):], " \t\r\n")
		if len(rest) > 0 && rest[0] == ':' {
			rest = bytes.TrimLeft(rest[1:], " \t\r\n")
			if len(rest) > 1 && rest[0] == '"' && rest[1] != '#' {
				end := bytes.IndexByte(rest[1:], '"')
				if end < 0 || isDropped(string(rest[1:1+end]), followFiles) {
					return true
				}
			}
		}
		next := bytes.Index(data[i+len(key):], key)
		if next < 0 {
			break
		}
		i += len(key) + next
	}
	return false
}

// isDropped reports whether an external ref is replaced rather than
// followed.
func isDropped(ref string, followFiles bool) bool {
	if strings.HasPrefix(ref, "#") {
		return false
	}
	if !followFiles {
		return true
	}
	u, err := url.Parse(ref)
	return err != nil || u.Scheme != "" || u.Host != ""
}

// dropRefs replaces every object holding a $ref that drop selects with an
// empty object (an empty schema: JSON), and removes discriminator mapping
// entries that drop selects.
func dropRefs(data []byte, drop func(ref string) bool) ([]byte, []Warning, error) {
	var root any
	if err := json.Unmarshal(data, &root); err != nil {
		return nil, nil, fmt.Errorf("openapi: the spec is not valid JSON: %w", err)
	}
	var warnings []Warning
	var walk func(v any, key, pointer string) any
	walk = func(v any, key, pointer string) any {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok && drop(ref) {
				warnings = append(warnings, Warning{Pointer: pointer, Message: fmt.Sprintf(
					"$ref %q cannot be followed (only refs inside the spec and files under its directory are); the value is typed JSON", ref)})
				return map[string]any{}
			}
			if key == "discriminator" {
				if mapping, ok := v["mapping"].(map[string]any); ok {
					for _, k := range slices.Sorted(maps.Keys(mapping)) {
						if ref, ok := mapping[k].(string); ok && strings.ContainsAny(ref, "/#") && drop(ref) {
							warnings = append(warnings, Warning{Pointer: pointer + "/mapping/" + escapePointer(k), Message: fmt.Sprintf(
								"discriminator mapping to %q cannot be followed; the entry is ignored", ref)})
							delete(mapping, k)
						}
					}
				}
			}
			for _, k := range slices.Sorted(maps.Keys(v)) {
				v[k] = walk(v[k], k, pointer+"/"+escapePointer(k))
			}
		case []any:
			for i := range v {
				v[i] = walk(v[i], "", fmt.Sprintf("%s/%d", pointer, i))
			}
		}
		return v
	}
	root = walk(root, "", "#")
	out, err := json.Marshal(root)
	if err != nil {
		return nil, nil, fmt.Errorf("openapi: re-encoding the spec: %w", err)
	}
	return out, warnings, nil
}

// readUnder returns a kin-openapi reader that reads files under dir only,
// each bounded by MaxSpecSize: a spec must not read /etc/passwd or reach
// the network through a $ref.
func readUnder(dir string) openapi3.ReadFromURIFunc {
	root, _ := filepath.Abs(dir)
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	return func(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
		if u.Scheme != "" || u.Host != "" {
			return nil, fmt.Errorf("external $ref %s: only files under %s are read", u, dir)
		}
		p, err := filepath.Abs(filepath.FromSlash(u.Path))
		if err != nil {
			return nil, err
		}
		// Symbolic links are resolved first: a link under dir must not
		// lead outside it.
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if rel, err := filepath.Rel(root, p); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("external $ref %s: only files under %s are read", u.Path, dir)
		}
		return files.Read(p, MaxSpecSize)
	}
}

// escapePointer escapes one JSON pointer token (RFC 6901).
func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
