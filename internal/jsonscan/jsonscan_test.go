package jsonscan

import (
	"strings"
	"testing"
)

func TestSkipSpace(t *testing.T) {
	tests := []struct {
		in   string
		from int
		want int
	}{
		{"", 0, 0},
		{"x", 0, 0},
		{" \t\r\nx", 0, 4},
		{"   ", 0, 3},
		{"a  b", 1, 3},
		{"a\fb", 1, 1}, // form feed is not JSON white space
		{"ab", 5, 5},
	}
	for _, tt := range tests {
		if got := SkipSpace([]byte(tt.in), tt.from); got != tt.want {
			t.Errorf("SkipSpace(%q, %d) = %d, want %d", tt.in, tt.from, got, tt.want)
		}
	}
}

func TestStringEndAndKeyEnd(t *testing.T) {
	long := strings.Repeat("x", 40)
	tests := []struct {
		lit     string
		escaped bool
	}{
		{`""`, false},
		{`"short"`, false},
		{`"a\"b"`, true},
		{`"a\\"`, true},
		{`"é ünïcode"`, false},
		{`"` + long + `"`, false},
		{`"` + long + `\"` + long + `"`, true},
		{`"` + long + `\\"`, true},
		{`"` + long + `\\\"` + long + `\\\\"`, true},
		{`"` + strings.Repeat(`\"`, 30) + `"`, true},
		{`"` + strings.Repeat(`\\`, 30) + `"`, true},
	}
	for _, tt := range tests {
		in := []byte(`[` + tt.lit + `, "next"]`)
		want := 1 + len(tt.lit)
		if got := StringEnd(in, 1); got != want {
			t.Errorf("StringEnd(%s) = %d, want %d", tt.lit, got, want)
		}
		got, escaped := KeyEnd(in, 1)
		if got != want || escaped != tt.escaped {
			t.Errorf("KeyEnd(%s) = %d, %v; want %d, %v", tt.lit, got, escaped, want, tt.escaped)
		}
	}
	for _, open := range []string{`"open`, `"` + long, `"` + long + `\"`, `"\`} {
		if got := StringEnd([]byte(open), 0); got != len(open) {
			t.Errorf("StringEnd(%s) = %d, want the end of the input %d", open, got, len(open))
		}
		if got, _ := KeyEnd([]byte(open), 0); got != len(open) {
			t.Errorf("KeyEnd(%s) = %d, want the end of the input %d", open, got, len(open))
		}
	}
}

func TestValueEnd(t *testing.T) {
	tests := []struct {
		in   string // the value, then what follows it
		want string // the value alone
	}{
		{`"s",1`, `"s"`},
		{`"a]}\"",1`, `"a]}\""`},
		{`123 ,`, `123`},
		{`-1.5e+3}`, `-1.5e+3`},
		{`true]`, `true`},
		{"null\n", `null`},
		{`false`, `false`},
		{`{}`, `{}`},
		{`[] ,`, `[]`},
		{`{"a":[1,{"b":"}]"}],"c":{}} , 2`, `{"a":[1,{"b":"}]"}],"c":{}}`},
		{`[[["x"]],"]"]]`, `[[["x"]],"]"]`},
		{`{"a":`, `{"a":`}, // unterminated: to the end
	}
	for _, tt := range tests {
		if got := ValueEnd([]byte(tt.in), 0); got != len(tt.want) {
			t.Errorf("ValueEnd(%s) = %d, want %d", tt.in, got, len(tt.want))
		}
	}
	if got := ValueEnd([]byte("ab"), 2); got != 2 {
		t.Errorf("ValueEnd at the end = %d, want 2", got)
	}
}

func TestIsNull(t *testing.T) {
	tests := []struct {
		raw  string
		want bool
	}{
		{"", true},
		{"null", true},
		{"nul", false},
		{"nulls", false},
		{`"null"`, false},
		{"0", false},
		{"false", false},
		{"{}", false},
	}
	for _, tt := range tests {
		if got := IsNull([]byte(tt.raw)); got != tt.want {
			t.Errorf("IsNull(%q) = %v, want %v", tt.raw, got, tt.want)
		}
	}
}

func TestUnquoteAndStringEquals(t *testing.T) {
	tests := []struct {
		lit  string
		want string
	}{
		{`""`, ""},
		{`"plain"`, "plain"},
		{`"a\"b"`, `a"b`},
		{`"a\\b"`, `a\b`},
		{`"\u0061\u00e9\ud83d\ude00"`, "aé😀"},
		{`"\n\t\r\b\f\/"`, "\n\t\r\b\f/"},
		{`"\ud800"`, "\ufffd"}, // lone surrogate
		{"\"\xff\"", "\ufffd"}, // invalid UTF-8, no escapes
		{"\"a\xc3\"", "a\ufffd"},
		{`"é"`, "é"},
		{`42`, ""},
		{`null`, ""},
		{``, ""},
	}
	for _, tt := range tests {
		lit := []byte(tt.lit)
		if got := Unquote(lit); got != tt.want {
			t.Errorf("Unquote(%s) = %q, want %q", tt.lit, got, tt.want)
		}
		if got := string(UnquoteBytes(lit)); got != tt.want {
			t.Errorf("UnquoteBytes(%s) = %q, want %q", tt.lit, got, tt.want)
		}
		isString := len(tt.lit) > 0 && tt.lit[0] == '"'
		if got := StringEquals(lit, tt.want); got != isString {
			t.Errorf("StringEquals(%s, %q) = %v, want %v", tt.lit, tt.want, got, isString)
		}
		if StringEquals(lit, tt.want+"x") {
			t.Errorf("StringEquals(%s, %q) = true", tt.lit, tt.want+"x")
		}
	}
}

func TestStringEqualsEdges(t *testing.T) {
	tests := []struct {
		lit  string
		s    string
		want bool
	}{
		{`"abc"`, "abc", true},
		{`"abc"`, "abd", false},
		{`"ab"`, "abc", false},
		{`"abc"`, "ab", false},
		{`"abc"`, "abc", true},
		{`"abc"`, "ab", false},
		{`"ab
"`, "ab", false},
		{`"é"`, "é", true},
		{`"é"`, "éx", false},
		{`"éx"`, "é", false},
		{`"é"`, "è", false},
		{"\"\xff\"", "\xff", false},
		{"\"\xff\"", "\ufffd", true},
		{"\"a\xffb\"", "a\ufffdb", true},
		{"\"\xc3\"", "\xc3\xa9", false},
		{`""`, "", true},
		{`""`, "a", false},
		{`"a"`, "", false},
	}
	for _, tt := range tests {
		if got := StringEquals([]byte(tt.lit), tt.s); got != tt.want {
			t.Errorf("StringEquals(%s, %q) = %v, want %v", tt.lit, tt.s, got, tt.want)
		}
	}
}

func TestUnquoteBytesSharesPlainContent(t *testing.T) {
	lit := []byte(`"name"`)
	got := UnquoteBytes(lit)
	if &got[0] != &lit[1] {
		t.Error("UnquoteBytes copied a literal without escapes")
	}
}

func TestStringEqualsDoesNotAllocate(t *testing.T) {
	ascii, accented := []byte(`"__typename"`), []byte(`"prénom"`)
	allocs := testing.AllocsPerRun(100, func() {
		if !StringEquals(ascii, "__typename") || StringEquals(ascii, "__typenamE") || !StringEquals(accented, "prénom") {
			t.Fatal("wrong answer")
		}
	})
	if allocs != 0 {
		t.Errorf("StringEquals allocated %v times, want 0", allocs)
	}
}
