package lambda

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The function starts only from an artifact composed from the very
// gateway.yaml it is deployed with; every other case is an init error
// saying what to do.
func TestLoadConfigRefusesToCompose(t *testing.T) {
	const yaml = "subgraphs: []\n"
	tests := []struct {
		name   string
		config string // gateway.yaml's content; empty: no file
		copied string // the artifact's copy; empty: no artifact
		want   string
	}{
		{name: "no gateway.yaml", want: "set GATEWAY_CONFIG"},
		{name: "no artifact", config: yaml, want: "no start-up artifact"},
		{name: "stale artifact", config: yaml, copied: "subgraphs: [{name: old}]\n", want: "compose the artifact again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			if tt.config != "" {
				write(t, filepath.Join(root, "gateway.yaml"), tt.config)
			}
			if tt.copied != "" {
				write(t, filepath.Join(root, ArtifactDir, "gateway.yaml"), tt.copied)
				write(t, filepath.Join(root, ArtifactDir, "supergraph.graphql"), "type Query { a: Int }\n")
				write(t, filepath.Join(root, ArtifactDir, "manifest.json"),
					`{"format":1,"config":"gateway.yaml","supergraph":"supergraph.graphql","resources":{}}`)
			}
			_, err := LoadConfig(func(name string) string {
				if name == "LAMBDA_TASK_ROOT" {
					return root
				}
				return ""
			})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("LoadConfig: %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReportInitError(t *testing.T) {
	var got, errorType string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/2018-06-01/runtime/init/error" {
			http.NotFound(w, r)
			return
		}
		b, _ := io.ReadAll(r.Body)
		got, errorType = string(b), r.Header.Get("Lambda-Runtime-Function-Error-Type")
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	if err := ReportInitError(strings.TrimPrefix(srv.URL, "http://"), errors.New("gateway.yaml:3: boom")); err != nil {
		t.Fatal(err)
	}
	if errorType != "Runtime.InitError" || got != `{"errorMessage":"gateway.yaml:3: boom","errorType":"Runtime.InitError"}` {
		t.Fatalf("posted %s %s", errorType, got)
	}
}
