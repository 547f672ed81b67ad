// Package config loads gateway.yaml into a typed, validated Config.
//
// Load reads the file; Parse is the same without touching the file system.
// Both interpolate ${VAR} references, decode strictly (an unknown key or a
// value of the wrong type is an error), apply defaults, hand each subgraph
// entry's section to its registered kind (see tributary.RegisterKind) and
// validate the result. Every problem found is reported, each with the file,
// line and key path, as Errors.
//
// # Struct tags
//
// Config structs, here and in every subgraph kind, describe their keys with
// struct tags. The loader, Schema and Reference all read them:
//
//	yaml:"key"             the key in the file (",inline" merges a struct's keys
//	                       into its parent's; embedded structs merge too; "-" skips)
//	doc:"One sentence."    the key's description, for the schema and reference
//	default:"value"        the documented default; kinds apply their own defaults
//	                       after decoding (list defaults are comma-separated)
//	required:"true"        the key must be present
//	enum:"a,b,c"           the string value must be one of these
//
// Field types may be string, bool, the int, uint and float types,
// tributary.Duration (or time.Duration), any encoding.TextUnmarshaler, any
// (decoded to map[string]any, []any, string, int64, float64, bool or nil),
// maps with string keys, slices, structs, and pointers to these. A pointer
// field stays nil when its key is absent.
//
// # Validation
//
// After decoding a section, the loader calls its Validate. Validate returns
// tributary.FieldErrors whose paths are relative to the section ("url",
// "auth.token", "items[2].name"); the loader points each at its key's line,
// or at the closest enclosing key when the key is absent. A message that
// continues a sentence about the key ("is required (e.g. …)", "must be …")
// follows the path after a space; any other message follows a colon.
// Required keys that are absent and that Validate did not mention are
// reported as "is required"; Validate is not called for a section that
// already failed to decode.
//
// # Secrets
//
// Values read from the environment are never printed: messages about them
// quote the ${VAR} text as written, and any environment value of four bytes
// or more is replaced by its ${VAR} reference in every message, including
// those a kind's Validate returns.
package config
