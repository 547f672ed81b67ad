package composition

import (
	"fmt"
	"sort"
	"strings"
)

// Error codes. They follow the names Apollo's composition uses, so that a
// code can be looked up in the Federation documentation.
const (
	// CodeInvalidGraphQL means a subgraph's SDL does not parse or is not a valid schema.
	CodeInvalidGraphQL = "INVALID_GRAPHQL"

	// CodeInvalidSubgraphName means a subgraph name is empty or used twice.
	CodeInvalidSubgraphName = "INVALID_SUBGRAPH_NAME"

	// CodeRootTypeUsed means a renamed root type clashes with a type of the canonical name.
	CodeRootTypeUsed = "ROOT_TYPE_USED"

	// CodeTypeKindMismatch means one type name is an object in one subgraph and, say, an interface in another.
	CodeTypeKindMismatch = "TYPE_KIND_MISMATCH"

	// CodeInvalidFieldSharing means several subgraphs resolve a field not marked @shareable.
	CodeInvalidFieldSharing = "INVALID_FIELD_SHARING"

	// CodeFieldTypeMismatch means a field's types in two subgraphs are incompatible.
	CodeFieldTypeMismatch = "FIELD_TYPE_MISMATCH"

	// CodeArgumentTypeMismatch means an argument's types in two subgraphs are incompatible.
	CodeArgumentTypeMismatch = "FIELD_ARGUMENT_TYPE_MISMATCH"

	// CodeExternalTypeMismatch means an @external declaration's type differs from the field's.
	CodeExternalTypeMismatch = "EXTERNAL_TYPE_MISMATCH"

	// CodeExternalMissingOnBase means a field is @external in every subgraph: none resolves it.
	CodeExternalMissingOnBase = "EXTERNAL_MISSING_ON_BASE"

	// CodeArgumentDefaultMismatch means an argument has different defaults in two subgraphs.
	CodeArgumentDefaultMismatch = "FIELD_ARGUMENT_DEFAULT_MISMATCH"

	// CodeInputFieldDefaultMismatch means an input field has different defaults in two subgraphs.
	CodeInputFieldDefaultMismatch = "INPUT_FIELD_DEFAULT_MISMATCH"

	// CodeRequiredArgumentMissing means a required argument is missing in a subgraph defining the field.
	CodeRequiredArgumentMissing = "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH"

	// CodeRequiredInputFieldMissing means a required input field is missing in a subgraph defining the input type.
	CodeRequiredInputFieldMissing = "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH"

	// CodeEmptyMergedInputType means an input type's subgraphs share no field.
	CodeEmptyMergedInputType = "EMPTY_MERGED_INPUT_TYPE"

	// CodeEmptyMergedEnumType means an input enum's subgraphs share no value.
	CodeEmptyMergedEnumType = "EMPTY_MERGED_ENUM_TYPE"

	// CodeEnumValueMismatch means an enum used as input and output has different values in two subgraphs.
	CodeEnumValueMismatch = "ENUM_VALUE_MISMATCH"

	// CodeKeyInvalidFields means a @key field set does not parse or names unknown fields.
	CodeKeyInvalidFields = "KEY_INVALID_FIELDS"

	// CodeKeyFieldsHasArgs means a @key selects a field with arguments.
	CodeKeyFieldsHasArgs = "KEY_FIELDS_HAS_ARGS"

	// CodeRequiresInvalidFields means a @requires field set does not parse or names unknown fields.
	CodeRequiresInvalidFields = "REQUIRES_INVALID_FIELDS"

	// CodeRequiresMissingExternal means a @requires selects a field not marked @external.
	CodeRequiresMissingExternal = "REQUIRES_FIELDS_MISSING_EXTERNAL"

	// CodeProvidesInvalidFields means a @provides field set does not parse or names unknown fields.
	CodeProvidesInvalidFields = "PROVIDES_INVALID_FIELDS"

	// CodeProvidesMissingExternal means a @provides selects a field not marked @external.
	CodeProvidesMissingExternal = "PROVIDES_FIELDS_MISSING_EXTERNAL"

	// CodeProvidesOnNonObjectField means @provides is on a field returning a leaf type.
	CodeProvidesOnNonObjectField = "PROVIDES_ON_NON_OBJECT_FIELD"

	// CodeInvalidDirectiveArgument means a federation directive lacks a required argument or has one of the wrong kind.
	CodeInvalidDirectiveArgument = "INVALID_DIRECTIVE_ARGUMENT"

	// CodeOverrideFromSelf means @override names its own subgraph.
	CodeOverrideFromSelf = "OVERRIDE_FROM_SELF_ERROR"

	// CodeOverrideSourceHasOverride means two subgraphs override the same field.
	CodeOverrideSourceHasOverride = "OVERRIDE_SOURCE_HAS_OVERRIDE"

	// CodeOverrideCollision means @override is combined with @external, @requires or @provides.
	CodeOverrideCollision = "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE"

	// CodeOverrideOnInterface means @override is on an interface field.
	CodeOverrideOnInterface = "OVERRIDE_ON_INTERFACE"

	// CodeInterfaceObjectUsage means @interfaceObject is used without an interface, or beside implementations.
	CodeInterfaceObjectUsage = "INTERFACE_OBJECT_USAGE_ERROR"

	// CodeInterfaceKeyMissingImpl means a subgraph with a resolvable interface @key lacks an implementation.
	CodeInterfaceKeyMissingImpl = "INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE"

	// CodeInterfaceFieldNoImpl means an implementation lacks a field of its interface.
	CodeInterfaceFieldNoImpl = "INTERFACE_FIELD_NO_IMPLEM"

	// CodeNoQueries means no subgraph has a Query field.
	CodeNoQueries = "NO_QUERIES"
)

// Error is one composition problem. Message says what is wrong, where, and
// how to fix it; Subgraphs and Coordinate repeat the "where" for programs.
type Error struct {
	// Code classifies the problem (see the Code constants).
	Code string
	// Message is the human-readable explanation, naming every subgraph
	// involved and suggesting a fix.
	Message string
	// Subgraphs lists the subgraphs involved, sorted.
	Subgraphs []string
	// Coordinate is the schema coordinate the problem is about ("Type",
	// "Type.field" or "Type.field(arg:)"), or empty.
	Coordinate string
}

// Error implements error.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errors is every problem a failed composition found. It is itself an error.
type Errors []*Error

// Error implements error.
func (es Errors) Error() string {
	if len(es) == 1 {
		return "composition failed: " + es[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "composition failed with %d errors:", len(es))
	for _, e := range es {
		b.WriteString("\n  ")
		b.WriteString(e.Error())
	}
	return b.String()
}

// report collects errors and warnings while composing.
type report struct {
	errors   Errors
	warnings []string
}

// errorf records an error. Subgraph names are de-duplicated and sorted.
func (r *report) errorf(code, coordinate string, subgraphs []string, format string, args ...any) {
	r.errors = append(r.errors, &Error{
		Code:       code,
		Message:    fmt.Sprintf(format, args...),
		Subgraphs:  sortedUnique(subgraphs),
		Coordinate: coordinate,
	})
}

// warnf records a warning: composition succeeds, but something was dropped
// or ignored that the author may not expect.
func (r *report) warnf(format string, args ...any) {
	r.warnings = append(r.warnings, fmt.Sprintf(format, args...))
}

func sortedUnique(names []string) []string {
	if len(names) == 0 {
		return nil
	}
	out := append([]string(nil), names...)
	sort.Strings(out)
	n := 0
	for i, s := range out {
		if i == 0 || s != out[n-1] {
			out[n] = s
			n++
		}
	}
	return out[:n]
}

// quoteList prints subgraph names the way messages use them:
// `subgraph "a"`, `subgraphs "a" and "b"`, `subgraphs "a", "b" and "c"`.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = `"` + n + `"`
	}
	switch len(q) {
	case 0:
		return "no subgraph"
	case 1:
		return "subgraph " + q[0]
	default:
		return "subgraphs " + strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
	}
}
