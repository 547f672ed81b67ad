// Package limits rejects abusive GraphQL operations before the gateway spends
// work normalizing and planning them: too many tokens, too deep, too many
// aliases, too many root fields, too many fields once fragments are expanded.
//
// The gateway calls CheckTokens on the raw query text first (it is cheap and
// bounds the size of everything that follows), then parses the document and
// calls Check on the parsed, not yet normalized, document.
package limits

import (
	"fmt"

	tributary "github.com/tributary-gw/tributary"
)

// Violation codes, sent to clients in the error's extensions.code.
const (
	CodeTokens     = "TOKEN_LIMIT_EXCEEDED"
	CodeDepth      = "DEPTH_LIMIT_EXCEEDED"
	CodeAliases    = "ALIAS_LIMIT_EXCEEDED"
	CodeRootFields = "ROOT_FIELD_LIMIT_EXCEEDED"
	CodeCost       = "COST_LIMIT_EXCEEDED"
	CodeFields     = "FIELD_LIMIT_EXCEEDED"
)

// Limits bounds the size of the operations the gateway accepts. A zero (or
// negative) field disables that limit. It is the `limits:` section of
// gateway.yaml.
type Limits struct {
	// MaxDepth bounds field nesting: `{ a { b } }` has depth 2. Fragment
	// spreads and inline fragments add no depth of their own; the fields
	// inside them do.
	MaxDepth int `json:"maxDepth,omitempty" yaml:"maxDepth,omitempty"`
	// MaxAliases bounds the number of aliased fields in the operation,
	// counting fields inside a fragment once per use of the fragment.
	MaxAliases int `json:"maxAliases,omitempty" yaml:"maxAliases,omitempty"`
	// MaxRootFields bounds the selections at the operation's top level,
	// after fragments are expanded.
	MaxRootFields int `json:"maxRootFields,omitempty" yaml:"maxRootFields,omitempty"`
	// MaxTokens bounds the number of lexical tokens in the query text
	// (comments excluded).
	MaxTokens int `json:"maxTokens,omitempty" yaml:"maxTokens,omitempty"`
	// MaxFields bounds the number of fields in the operation as executed:
	// every field at every level, counting the fields of a fragment once
	// per use. It is what bounds fragments that spread each other
	// several times, which pass every other limit while expanding
	// exponentially.
	MaxFields int `json:"maxFields,omitempty" yaml:"maxFields,omitempty"`
	// MaxCost bounds the operation's estimated cost (the IBM cost spec,
	// from the supergraph's @cost and @listSize); the engine checks it once
	// the operation is planned, with the request's variables.
	MaxCost int `json:"maxCost,omitempty" yaml:"maxCost,omitempty"`
	// DefaultListSize is the size a cost estimate assumes for a list field
	// without @listSize.
	DefaultListSize int `json:"defaultListSize,omitempty" yaml:"defaultListSize,omitempty"`
}

// Defaults are the limits used when gateway.yaml sets none. MaxDepth 16 is
// enough for the full introspection query GraphiQL sends (depth 15 with a
// nine-level TypeRef fragment). MaxFields 10,000 is far above what clients
// ask (GraphiQL's introspection query expands to a few hundred fields) and
// far below what makes normalization and planning costly.
var Defaults = Limits{MaxDepth: 16, MaxAliases: 30, MaxRootFields: 20, MaxTokens: 15000, MaxFields: 10000}

// Validate reports negative limits; zero is allowed and disables a limit.
// Paths in the returned FieldErrors are relative to the `limits:` section.
func (l Limits) Validate() error {
	var errs tributary.FieldErrors
	check := func(path string, v int) {
		if v < 0 {
			errs = append(errs, &tributary.FieldError{
				Path:    path,
				Message: fmt.Sprintf("must be zero (no limit) or positive, not %d", v),
			})
		}
	}
	check("maxDepth", l.MaxDepth)
	check("maxAliases", l.MaxAliases)
	check("maxRootFields", l.MaxRootFields)
	check("maxTokens", l.MaxTokens)
	check("maxFields", l.MaxFields)
	check("maxCost", l.MaxCost)
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// Violation reports the first limit an operation exceeded.
type Violation struct {
	// Code is one of the Code* constants.
	Code string
	// Message says what was measured, the limit, and where to change it.
	Message string
	// Limit is the configured limit.
	Limit int
	// Actual is what the operation measured. For tokens, counting stops
	// at Limit+1, so Actual is a lower bound.
	Actual int
}

// Error implements error.
func (v *Violation) Error() string { return v.Message }

// GraphQLError returns the violation as a GraphQL error whose extensions
// carry the code, the limit and the measured value.
func (v *Violation) GraphQLError() *tributary.Error {
	return &tributary.Error{
		Message: v.Message,
		Extensions: map[string]any{
			"code":   v.Code,
			"limit":  v.Limit,
			"actual": v.Actual,
		},
	}
}

func newViolation(code, what, configKey string, limit, actual int) *Violation {
	return &Violation{
		Code: code,
		Message: fmt.Sprintf("operation %s %d exceeds the limit of %d (limits.%s in gateway.yaml)",
			what, actual, limit, configKey),
		Limit:  limit,
		Actual: actual,
	}
}
