package lambda

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/gateway/artifact"
)

// The environment the function reads at init.
const (
	// EnvConfig names the gateway config; default gateway.yaml in the task
	// root (LAMBDA_TASK_ROOT, else the working directory).
	EnvConfig = "GATEWAY_CONFIG"
	// EnvArtifact names the start-up artifact's directory; default
	// "artifact" beside the config.
	EnvArtifact = "GATEWAY_ARTIFACT"
	// ArtifactDir is the artifact's default directory name.
	ArtifactDir = "artifact"
)

// LoadConfig returns the config the function serves, read from the
// start-up artifact (gateway/artifact) so that init fetches no SDL,
// composes nothing and touches no network. The config file named by
// GATEWAY_CONFIG must be the artifact's copy byte for byte: a function
// deployed with an edited gateway.yaml and an old artifact would otherwise
// serve a supergraph its config no longer describes. getenv is os.Getenv
// outside tests.
func LoadConfig(getenv func(string) string) (*config.Config, error) {
	root := getenv("LAMBDA_TASK_ROOT")
	if root == "" {
		root = "."
	}
	path := getenv(EnvConfig)
	if path == "" {
		path = filepath.Join(root, "gateway.yaml")
	}
	dir := getenv(EnvArtifact)
	if dir == "" {
		dir = filepath.Join(filepath.Dir(path), ArtifactDir)
	}
	written, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w (set %s to the gateway config, default gateway.yaml in the task root)", path, err, EnvConfig)
	}
	if _, err := os.Stat(filepath.Join(dir, artifact.ManifestFile)); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: no start-up artifact in %s: the function starts only from one, composing nothing at init; "+
			"package it with `make lambda`, or write it with `gateway compose -config %s -o %s` (or set %s)",
			path, dir, path, dir, EnvArtifact)
	}
	a, err := artifact.Open(dir)
	if err != nil {
		return nil, err
	}
	copied, err := os.ReadFile(filepath.Join(a.Dir, filepath.FromSlash(a.Manifest.Config)))
	if err != nil {
		return nil, fmt.Errorf("start-up artifact %s: %w", a.Dir, err)
	}
	if !bytes.Equal(written, copied) {
		return nil, fmt.Errorf("%s differs from the copy in the start-up artifact %s, which was composed from another version of it; "+
			"compose the artifact again (`make lambda`)", path, a.Dir)
	}
	return a.Config()
}

// initErrorTimeout bounds the report of a failed init.
const initErrorTimeout = 2 * time.Second

// ReportInitError tells the Lambda Runtime API at runtimeAPI (the
// AWS_LAMBDA_RUNTIME_API host:port) that the function could not start, so
// that the failure and err's message show up as the init error of the
// invocation that started it rather than as a bare exit. The process
// should exit afterwards.
func ReportInitError(runtimeAPI string, initErr error) error {
	body, err := json.Marshal(struct {
		Message string `json:"errorMessage"`
		Type    string `json:"errorType"`
	}{initErr.Error(), "Runtime.InitError"})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), initErrorTimeout)
	defer cancel()
	url := "http://" + runtimeAPI + "/2018-06-01/runtime/init/error"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Lambda-Runtime-Function-Error-Type", "Runtime.InitError")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("reporting the init error to %s: %w", url, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("reporting the init error to %s: status %d", url, resp.StatusCode)
	}
	return nil
}
