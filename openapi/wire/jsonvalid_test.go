package wire

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestValidJSON(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{`{"a": [1, -0.5e+3, 0, 1E-2, true, false, null, "\u00e9\n\/"]}`, true},
		{` [] `, true},
		{`""`, true},
		{``, false},
		{`01`, false},
		{`-`, false},
		{`1.`, false},
		{`.5`, false},
		{`1e`, false},
		{`+1`, false},
		{`"\x"`, false},
		{`"\u12g4"`, false},
		{"\"a\tb\"", false},
		{`"open`, false},
		{`[1,]`, false},
		{`{"a":1,}`, false},
		{`{"a" 1}`, false},
		{`{1: 2}`, false},
		{`{} {}`, false},
		{`nul`, false},
		{`truex`, false},
		{strings.Repeat("[", 10001) + strings.Repeat("]", 10001), false},
		{strings.Repeat("[", 500) + strings.Repeat("]", 500), true},
	}
	for _, tt := range tests {
		if got := validJSON([]byte(tt.in)); got != tt.want {
			t.Errorf("validJSON(%.40q) = %v, want %v", tt.in, got, tt.want)
		}
		if tt.want != json.Valid([]byte(tt.in)) && len(tt.in) < 1000 {
			t.Errorf("%q: the test disagrees with json.Valid", tt.in)
		}
	}
}
