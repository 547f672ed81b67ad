package config

import (
	"os"
	"path/filepath"
	"testing"
)

// lineOfYAML has a block section, a flow section, an anchor in the first
// whose alias the second uses, and a blank line inside a list item.
const lineOfYAML = `subgraphs:
  - name: accounts
    testkind:
      url: http://a
      auth: &auth
        token: t
        scheme: bearer
      headers:
        X-Team: core
      items:
        - name: light
          weight: 1
        - name: heavy

          weight: 2
  - name: reviews
    testkind: {url: http://r, auth: *auth, items: [{name: a}]}
`

// LineOf maps a kind's FieldError path to its key's line after loading, as
// the loader does for Validate's, so that build errors point at keys too.
func TestSubgraphEntryLineOf(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gateway.yaml")
	if err := os.WriteFile(path, []byte(lineOfYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	accounts, reviews := cfg.Subgraphs[0], cfg.Subgraphs[1]
	tests := []struct {
		name  string
		entry SubgraphEntry
		path  string
		want  int
	}{
		{"the section itself", accounts, "", 3},
		{"a key", accounts, "url", 4},
		{"a nested mapping", accounts, "auth", 5},
		{"a nested key", accounts, "auth.scheme", 7},
		{"a map entry", accounts, "headers.X-Team", 9},
		{"a list item", accounts, "items[1]", 13},
		{"a key of a list item, past a blank line", accounts, "items[1].weight", 15},
		{"an item past the end: the list", accounts, "items[5].name", 10},
		{"an absent key: the section", accounts, "port", 3},
		{"an absent nested key: its mapping", accounts, "auth.nope", 5},
		{"a flow section", reviews, "url", 17},
		{"a key of a flow list item", reviews, "items[0].name", 17},
		// An alias's keys are where the anchor wrote them.
		{"through an alias", reviews, "auth.token", 6},
		{"an entry not from a file: its line", SubgraphEntry{Line: 7}, "url", 7},
	}
	for _, tt := range tests {
		if got := tt.entry.LineOf(tt.path); got != tt.want {
			t.Errorf("%s: LineOf(%q) = %d, want %d", tt.name, tt.path, got, tt.want)
		}
	}
	if accounts.Line != 2 || reviews.Line != 16 {
		t.Errorf("entry lines %d and %d, want 2 and 16", accounts.Line, reviews.Line)
	}
}
