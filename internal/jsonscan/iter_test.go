package jsonscan

import (
	"reflect"
	"testing"
)

func TestObjectMembers(t *testing.T) {
	tests := []struct {
		obj  string
		want []string // key, value, key, value…
	}{
		{`{}`, nil},
		{` { } `, nil},
		{`{"a":1}`, []string{`"a"`, `1`}},
		{" {\n \"a\" : \"x\" ,\t\"b\":[1, {\"a\": 2}] , \"c\":{\"a\":\"}\"} } ", []string{`"a"`, `"x"`, `"b"`, `[1, {"a": 2}]`, `"c"`, `{"a":"}"}`}},
		{`{"a\u0062":"v","a":"\"q\" \\"}`, []string{`"a\u0062"`, `"v"`, `"a"`, `"\"q\" \\"`}},
		{`{"a":1,"a":2}`, []string{`"a"`, `1`, `"a"`, `2`}},
		{`{"t":true,"f":false,"n":null,"d":-1.5e3}`, []string{`"t"`, `true`, `"f"`, `false`, `"n"`, `null`, `"d"`, `-1.5e3`}},
		{`[1]`, nil},
		{`"{}"`, nil},
		{``, nil},
		{`{"a" 1}`, nil}, // malformed: stops
	}
	for _, tt := range tests {
		var got []string
		it := ObjectMembers([]byte(tt.obj))
		for k, v, ok := it.Next(); ok; k, v, ok = it.Next() {
			got = append(got, string(k), string(v))
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ObjectMembers(%s) = %q, want %q", tt.obj, got, tt.want)
		}
	}
}

func TestArrayElements(t *testing.T) {
	tests := []struct {
		arr  string
		want []string
	}{
		{`[]`, nil},
		{` [ ] `, nil},
		{`[1]`, []string{`1`}},
		{"[1, \"two\" ,\n{\"three\": [3]}, [4], null ,true]", []string{`1`, `"two"`, `{"three": [3]}`, `[4]`, `null`, `true`}},
		{`["]", "\"", ","]`, []string{`"]"`, `"\""`, `","`}},
		{`{"a":1}`, nil},
		{`1`, nil},
		{``, nil},
	}
	for _, tt := range tests {
		var got []string
		it := ArrayElements([]byte(tt.arr))
		for v, ok := it.Next(); ok; v, ok = it.Next() {
			got = append(got, string(v))
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ArrayElements(%s) = %q, want %q", tt.arr, got, tt.want)
		}
	}
}

func TestMemberValue(t *testing.T) {
	obj := []byte(` {"a": 1, "b" : {"a":2}, "c\u0064": "x", "a": [3] } `)
	tests := []struct {
		name  string
		want  string
		found bool
	}{
		{"a", `1`, true}, // the first duplicate wins, as with astjson
		{"b", `{"a":2}`, true},
		{"cd", `"x"`, true},
		{"c\\u0064", "", false},
		{"z", "", false},
	}
	for _, tt := range tests {
		got, found := MemberValue(obj, tt.name)
		if string(got) != tt.want || found != tt.found {
			t.Errorf("MemberValue(%q) = %s, %v; want %s, %v", tt.name, got, found, tt.want, tt.found)
		}
	}
	if _, found := MemberValue([]byte(`[{"a":1}]`), "a"); found {
		t.Error("MemberValue found a member in an array")
	}
}

func TestIteratorsDoNotAllocate(t *testing.T) {
	data := []byte(`{"a":[1,2,{"b":"c"}],"d":"e\"f","g":null}`)
	allocs := testing.AllocsPerRun(100, func() {
		n := 0
		it := ObjectMembers(data)
		for _, v, ok := it.Next(); ok; _, v, ok = it.Next() {
			el := ArrayElements(v)
			for _, ok := el.Next(); ok; _, ok = el.Next() {
				n++
			}
		}
		if n != 3 {
			t.Fatalf("counted %d elements, want 3", n)
		}
	})
	if allocs != 0 {
		t.Errorf("iterating allocated %v times, want 0", allocs)
	}
}
