package openapi

import "testing"

func TestNames(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{"camel separators", camelCase, "get-user_by.id", "getUserById"},
		{"camel keeps inner case", camelCase, "listAPIKeys", "listAPIKeys"},
		{"camel lowers leading acronym", camelCase, "APIKeys", "apiKeys"},
		{"camel all caps word", camelCase, "ID", "id"},
		{"camel leading capital", camelCase, "GetUser", "getUser"},
		{"camel leading digit", camelCase, "2fa-enable", "_2faEnable"},
		{"camel reserved prefix dropped", camelCase, "__typename", "typename"},
		{"camel comparison suffix", camelCase, "StartTime<", "startTimeLt"},
		{"camel symbols only", camelCase, "--", ""},
		{"camel plus reaction", camelCase, "+1", "plus1"},
		{"camel minus reaction", camelCase, "-1", "minus1"},
		{"camel non-ascii dropped", camelCase, "café-au-lait", "cafAuLait"},
		{"pascal dotted", pascalCase, "v1.User", "V1User"},
		{"pascal snake", pascalCase, "pet_store", "PetStore"},
		{"pascal leading digit", pascalCase, "1password", "_1password"},
		{"snake camel", screamingSnake, "inProgress", "IN_PROGRESS"},
		{"snake dashes", screamingSnake, "sold-out", "SOLD_OUT"},
		{"snake acronym", screamingSnake, "HTTPServer", "HTTP_SERVER"},
		{"snake leading digit", screamingSnake, "2legs", "_2LEGS"},
		{"member valid kept", func(s string) string { return memberName(s, "f") }, "created_at", "created_at"},
		{"member invalid sanitized", func(s string) string { return memberName(s, "f") }, "zip-code", "zipCode"},
		{"member at sign", func(s string) string { return memberName(s, "f") }, "@type", "type"},
		{"member double underscore", func(s string) string { return memberName(s, "f") }, "__v", "_v"},
		{"member fallback", func(s string) string { return memberName(s, "f") }, "$", "f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.fn(tt.in); got != tt.want {
				t.Errorf("%q → %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestEnumValueName(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{"available", "AVAILABLE"},
		{"", "EMPTY"},
		{"true", "TRUE"},
		{true, "TRUE"},
		{false, "FALSE"},
		{float64(7), "_7"},
		{float64(-1.5), "MINUS_1_5"},
		{"!!", "VALUE"},
	}
	for _, tt := range tests {
		if got := enumValueName(tt.in); got != tt.want || !isName(got) {
			t.Errorf("enumValueName(%#v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMethodPathName(t *testing.T) {
	tests := []struct{ method, path, want string }{
		{"GET", "/users/{id}/orders", "getUsersByIdOrders"},
		{"POST", "/users", "postUsers"},
		{"GET", "/", "getRoot"},
		{"DELETE", "/a-b/{x_y}", "deleteABByXY"},
	}
	for _, tt := range tests {
		if got := methodPathName(tt.method, tt.path); got != tt.want {
			t.Errorf("%s %s → %q, want %q", tt.method, tt.path, got, tt.want)
		}
	}
}

func TestNamerSuffixes(t *testing.T) {
	n := newNamer("Query")
	got := []string{n.unique("Query"), n.unique("User"), n.unique("User"), n.unique("User2"), n.unique("User")}
	want := []string{"Query2", "User", "User2", "User22", "User3"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("names = %v, want %v", got, want)
		}
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"get*", "getUser", true},
		{"get*", "listUsers", false},
		{"/users/*", "/users/{id}/orders", true},
		{"*User*", "getUserById", true},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXbY", false},
		{"", "", true},
		{"exact", "exactly", false},
	}
	for _, tt := range tests {
		if got := glob(tt.pattern, tt.s); got != tt.want {
			t.Errorf("glob(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}
