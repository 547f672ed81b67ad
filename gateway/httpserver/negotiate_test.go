package httpserver

import (
	"strings"
	"testing"
)

func TestNegotiateResponseType(t *testing.T) {
	tests := []struct {
		accept []string
		want   responseType
	}{
		{nil, graphQLResponseJSON},
		{[]string{""}, graphQLResponseJSON},
		{[]string{" , "}, graphQLResponseJSON},
		{[]string{"*/*"}, graphQLResponseJSON},
		{[]string{"application/*"}, graphQLResponseJSON},
		{[]string{"application/json"}, legacyJSON},
		{[]string{"Application/JSON; charset=UTF-8"}, legacyJSON},
		{[]string{"application/graphql-response+json"}, graphQLResponseJSON},
		{[]string{"application/json", "application/graphql-response+json"}, graphQLResponseJSON},
		{[]string{"application/json, application/graphql-response+json;q=0.9"}, legacyJSON},
		{[]string{"application/json;q=0.9, application/graphql-response+json;q=0.9"}, graphQLResponseJSON},
		// The exact type's q overrides a wildcard's.
		{[]string{"*/*, application/graphql-response+json;q=0"}, legacyJSON},
		{[]string{"application/*;q=0.2, application/json;q=0.1"}, graphQLResponseJSON},
		{[]string{"application/json;q=0"}, notAcceptable},
		{[]string{"text/html"}, notAcceptable},
		{[]string{"application/json;charset=latin1"}, notAcceptable},
		{[]string{"application/json;charset=latin1, */*;q=0.1"}, graphQLResponseJSON}, // json refused; the wildcard takes the other
		{[]string{"application/json;q=abc"}, notAcceptable},
		{[]string{"application/json;q=7"}, notAcceptable},
		{[]string{`application/json;charset="utf-8"`}, legacyJSON},
	}
	for _, tt := range tests {
		if got := negotiateResponseType(tt.accept); got != tt.want {
			t.Errorf("negotiateResponseType(%q) = %d, want %d", tt.accept, got, tt.want)
		}
	}
}

func TestAcceptsHTML(t *testing.T) {
	tests := map[string]bool{
		browserAccept:               true,
		"*/*":                       false,
		"text/*":                    false,
		"TEXT/HTML;q=0.1":           true,
		"text/html;q=0":             false,
		"application/json":          false,
		"":                          false,
		"application/xml,text/html": true,
	}
	for accept, want := range tests {
		if got := acceptsHTML([]string{accept}); got != want {
			t.Errorf("acceptsHTML(%q) = %v, want %v", accept, got, want)
		}
	}
}

func TestJSONContentType(t *testing.T) {
	tests := []struct {
		header string
		ok     bool
	}{
		{"application/json", true},
		{"application/json; charset=utf-8", true},
		{"APPLICATION/JSON;charset=UTF8", true},
		{`application/json; boundary=x; charset="utf-8"`, true},
		{"application/json; charset=utf-16", false},
		{"application/graphql-response+json", false},
		{"application/jsonx", false},
		{"text/plain", false},
		{"", false},
	}
	for _, tt := range tests {
		ok, problem := jsonContentType(tt.header)
		if ok != tt.ok {
			t.Errorf("jsonContentType(%q) = %v, want %v", tt.header, ok, tt.ok)
		}
		if !ok && !strings.Contains(problem, "application/json") && !strings.Contains(problem, "UTF-8") {
			t.Errorf("jsonContentType(%q) problem %q does not say how to fix it", tt.header, problem)
		}
	}
}
