package config

import "testing"

func TestSuggest(t *testing.T) {
	keys := []string{"listen", "supergraph", "introspection", "graphiql", "server", "limits", "requestTimeout", "url"}
	tests := []struct{ got, want string }{
		{"listn", "listen"},
		{"lisen", "listen"},
		{"LISTEN", "listen"},
		{"graphQL", "graphiql"},
		{"supergrpah", "supergraph"},
		{"timeout", "requestTimeout"},
		{"uri", "url"},
		{"xyz", ""},
		{"ab", ""},
		{"colour", ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.got, keys); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.got, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"kitten", "sitting", 3}, {"listen", "listn", 1}, {"abc", "abc", 0},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
