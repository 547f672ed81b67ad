package schematest_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/config"
	_ "github.com/tributary-gw/tributary/subgraphs/builtin"
)

var update = flag.Bool("update", false, "rewrite gateway.schema.json and docs/config.md from the registered kinds")

func TestBuiltinKindsAreRegistered(t *testing.T) {
	if len(tributary.Kinds()) == 0 {
		t.Fatal("subgraphs/builtin registered no subgraph kinds; the generated files would document none")
	}
}

func TestGeneratedFilesAreCurrent(t *testing.T) {
	schema, err := config.Schema()
	if err != nil {
		t.Fatalf("config.Schema: %v", err)
	}
	files := []struct {
		path string
		want []byte
	}{
		{filepath.Join("..", "..", "gateway.schema.json"), schema},
		{filepath.Join("..", "..", "docs", "config.md"), []byte(config.Reference())},
	}
	for _, f := range files {
		if *update {
			if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(f.path, f.want, 0o644); err != nil {
				t.Fatalf("write %s: %v", f.path, err)
			}
			continue
		}
		got, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatalf("read %s: %v (run go test ./config/schematest -update to create it)", f.path, err)
		}
		if !bytes.Equal(got, f.want) {
			t.Errorf("%s is out of date with the config types and registered kinds; run go test ./config/schematest -update", f.path)
		}
	}
}
