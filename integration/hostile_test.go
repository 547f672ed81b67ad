package integration

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/gateway"
)

// The hostile-input suite: what an attacker, a broken upstream or a
// mistaken config can send the gateway must end in a clear error, never a
// hang, a panic or memory without bound. Other hostile cases live next to
// the code they exercise; this file holds the ones that need a whole
// gateway.

// Files the config names are read only when they are regular files of a
// bounded size: /dev/zero, /dev/urandom or a FIFO as data, SDL or
// supergraph is an error naming the key, at once.
func TestHostileConfigFiles(t *testing.T) {
	dir := t.TempDir()
	sdl := filepath.Join(dir, "prices.graphql")
	if err := os.WriteFile(sdl, []byte(`type Query { price: Int }`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, yaml, want string
	}{
		{"static data from /dev/zero", "subgraphs:\n  - name: prices\n    static:\n      sdl: " + sdl + "\n      data: /dev/zero\n",
			`gateway.yaml:5: subgraph "prices" (static): data: cannot read /dev/zero`},
		{"static SDL from /dev/urandom", "subgraphs:\n  - name: prices\n    static:\n      sdl: /dev/urandom\n      data: " + sdl + "\n",
			`gateway.yaml:4: subgraph "prices" (static): sdl: cannot read /dev/urandom`},
		{"graphql sdlFile from /dev/zero", "subgraphs:\n  - name: accounts\n    graphql:\n      url: http://127.0.0.1:1/graphql\n      sdlFile: /dev/zero\n",
			`gateway.yaml:5: subgraph "accounts" (graphql): sdlFile: cannot read /dev/zero`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "gateway.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = gateway.Build(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "not a regular file") {
				t.Fatalf("error %v\nwant %q … not a regular file", err, tt.want)
			}
		})
	}
	t.Run("supergraph from /dev/zero", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "gateway.yaml")
		if err := os.WriteFile(path, []byte("supergraph: /dev/zero\nsubgraphs: []\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := config.Load(path)
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("error %v", err)
		}
	})
}
