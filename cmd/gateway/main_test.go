package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCommand(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

func writeConfig(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gateway.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"help"}, {"serve", "-h"}} {
		out, errOut, code := runCommand(t, args...)
		if code != 0 || !strings.Contains(out+errOut, "Usage: gateway") {
			t.Fatalf("%v: exit %d, %q %q", args, code, out, errOut)
		}
	}
}

func TestUnknownCommandAndArguments(t *testing.T) {
	if _, errOut, code := runCommand(t, "deploy"); code != 2 || !strings.Contains(errOut, `unknown command "deploy"`) {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, errOut, code := runCommand(t, "validate", "extra"); code != 2 || !strings.Contains(errOut, `unexpected argument "extra"`) {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestValidateReportsTheLineOfABadKey(t *testing.T) {
	path := writeConfig(t, "listen: \":4000\"\nlimits:\n  maxDepth: deep\nsubgraphs: []\n")
	_, errOut, code := runCommand(t, "validate", "-config", path)
	if code != 1 || !strings.Contains(errOut, "gateway.yaml:3") || !strings.Contains(errOut, "maxDepth") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestConfigDefaultsToEnvironment(t *testing.T) {
	path := writeConfig(t, "listn: x\n")
	t.Setenv("GATEWAY_CONFIG", path)
	_, errOut, code := runCommand(t, "validate")
	if code != 1 || !strings.Contains(errOut, path) || !strings.Contains(errOut, `"listen"`) {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestMissingConfigFile(t *testing.T) {
	_, errOut, code := runCommand(t, "compose", "-config", filepath.Join(t.TempDir(), "absent.yaml"))
	if code != 1 || !strings.Contains(errOut, "absent.yaml") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}
