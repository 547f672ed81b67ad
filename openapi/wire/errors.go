package wire

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/tributary-gw/tributary/openapi"
)

// mappingError is a value that does not fit its type, with the path to it.
// The path is collected on the way out of the recursion, so that the
// successful path pays nothing for it.
type mappingError struct {
	// segments are field names and "[i]" indexes, innermost first.
	segments []string
	msg      string
}

// Error implements error.
func (e *mappingError) Error() string {
	if len(e.segments) == 0 {
		return e.msg
	}
	var b strings.Builder
	for i := len(e.segments) - 1; i >= 0; i-- {
		s := e.segments[i]
		if i < len(e.segments)-1 && s[0] != '[' {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	b.WriteString(": ")
	b.WriteString(e.msg)
	return b.String()
}

// mismatch returns a mappingError with a formatted message.
func mismatch(format string, args ...any) error {
	return &mappingError{msg: fmt.Sprintf(format, args...)}
}

// atField adds the field name to the path of a mappingError.
func atField(err error, name string) error {
	var me *mappingError
	if errors.As(err, &me) {
		me.segments = append(me.segments, name)
	}
	return err
}

// atIndex adds a list index to the path of a mappingError.
func atIndex(err error, i int) error {
	var me *mappingError
	if errors.As(err, &me) {
		me.segments = append(me.segments, "["+strconv.Itoa(i)+"]")
	}
	return err
}

// describe names an operation in error messages: its field and its route.
func describe(op *openapi.Operation) string {
	return fmt.Sprintf("operation %s (%s %s)", op.FieldName, op.Method, op.Path)
}

// shortJSON returns raw for an error message, cut to a readable length.
func shortJSON(raw []byte) string {
	const limit = 60
	if len(raw) <= limit {
		return string(raw)
	}
	return string(raw[:limit]) + "…"
}
