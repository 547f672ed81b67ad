package dynamodb_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/config"
)

var update = flag.Bool("update", false, "rewrite testdata/*.graphql from the generated SDL")

// The SDL generated for the seeds' section is the contract; a
// change to it shows here as a diff of testdata/seeds.graphql.
func TestSeedsSDLGolden(t *testing.T) {
	cfg, err := config.Parse("gateway.yaml", []byte(seedsYAML("http://127.0.0.1:1")), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	sg, err := cfg.Subgraphs[0].Config.Build(context.Background(), "social", tributary.BuildContext{})
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "seeds.graphql")
	if *update {
		if err := os.WriteFile(golden, []byte(sg.SDL), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./subgraphs/dynamodb -run SDLGolden -update)", err)
	}
	if sg.SDL != string(want) {
		t.Errorf("generated SDL differs from %s (rerun with -update if intended):\n%s", golden, sg.SDL)
	}
}
