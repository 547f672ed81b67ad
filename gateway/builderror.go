package gateway

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/config"
)

// BuildError is a subgraph that failed to build, located in gateway.yaml.
// It reads
//
//	gateway.yaml:42: subgraph "books" (openapi): entities[0].type: the spec has no object type "Usr"; …
//
// with the line of the key the problem is about when the kind named it (a
// tributary.FieldError), else the line of the subgraph's entry.
type BuildError struct {
	// File is gateway.yaml's path as the config was loaded from it.
	File string
	// Line is the key's line, or the entry's.
	Line int
	// Subgraph and Kind name the entry.
	Subgraph, Kind string
	// Path is the key within the kind's section ("entities[0].type"), or ""
	// when the kind named none.
	Path string
	// Message says what is wrong.
	Message string
	// Err is what the kind returned: the one FieldError, or the whole error.
	Err error
}

// Error implements error.
func (e *BuildError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: subgraph %q (%s): ", e.File, e.Line, e.Subgraph, e.Kind)
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// Unwrap returns Err.
func (e *BuildError) Unwrap() error { return e.Err }

// locateBuildError turns what entry's Build returned into BuildErrors: one
// per FieldError, at its key's line, joined one per line; else one at the
// entry's line.
func locateBuildError(file string, entry config.SubgraphEntry, err error) error {
	at := func(line int, path, message string, cause error) *BuildError {
		return &BuildError{File: file, Line: line, Subgraph: entry.Name, Kind: entry.Kind, Path: path, Message: message, Err: cause}
	}
	fields := tributary.AsFieldErrors(err)
	if len(fields) == 0 {
		return at(entry.Line, "", err.Error(), err)
	}
	located := make([]error, len(fields))
	for i, fe := range fields {
		located[i] = at(entry.LineOf(fe.Path), fe.Path, fe.Message, fe)
	}
	return errors.Join(located...)
}
