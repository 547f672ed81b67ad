package tributary

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

func TestAsFieldErrors(t *testing.T) {
	one := &FieldError{Path: "spec", Message: "cannot read", Err: fs.ErrNotExist}
	two := &FieldError{Path: "entities[0].type", Message: "no such type"}
	tests := []struct {
		name string
		err  error
		want []*FieldError
	}{
		{"nil", nil, nil},
		{"a plain error", errors.New("no"), nil},
		{"one FieldError", one, []*FieldError{one}},
		{"a wrapped FieldError", fmt.Errorf("building: %w", one), []*FieldError{one}},
		{"a list without its nil entries", FieldErrors{one, nil, two}, []*FieldError{one, two}},
		{"a wrapped list", fmt.Errorf("building: %w", FieldErrors{two}), []*FieldError{two}},
	}
	for _, tt := range tests {
		got := AsFieldErrors(tt.err)
		if len(got) != len(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: entry %d is %v, want %v", tt.name, i, got[i], tt.want[i])
			}
		}
	}
	if !errors.Is(fmt.Errorf("building: %w", one), fs.ErrNotExist) {
		t.Error("a FieldError does not unwrap to its cause")
	}
}

func TestFieldErrorsAddfAndErr(t *testing.T) {
	var errs FieldErrors
	if errs.Err() != nil {
		t.Fatal("an empty FieldErrors is not nil as an error")
	}
	errs.Addf("tables[1].key", "%q is not in attributes", "nick")
	err := errs.Err()
	if got := AsFieldErrors(err); len(got) != 1 || got[0].Path != "tables[1].key" || got[0].Message != `"nick" is not in attributes` {
		t.Fatalf("got %v", got)
	}
}
