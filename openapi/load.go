package openapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/tributary-gw/tributary/internal/files"
)

// MaxSpecSize bounds the size of a spec Load reads (64 MiB): the largest
// public specs are a few tens of MB.
const MaxSpecSize = 64 << 20

// Load reads a spec from location: an http or https URL, or a file path,
// resolved against baseDir when relative. It reads at most MaxSpecSize
// bytes and fails beyond that.
func Load(ctx context.Context, location, baseDir string) ([]byte, error) {
	if location == "" {
		return nil, errors.New("openapi: the spec location is empty; give a file path or an http(s) URL")
	}
	lower := strings.ToLower(location)
	if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
		return loadURL(ctx, location)
	}
	path := location
	if !filepath.IsAbs(path) && baseDir != "" {
		path = filepath.Join(baseDir, path)
	}
	data, err := files.Read(path, MaxSpecSize)
	if err != nil {
		return nil, fmt.Errorf("openapi: reading spec %s: %w", path, err)
	}
	return data, nil
}

func loadURL(ctx context.Context, location string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, location, nil)
	if err != nil {
		return nil, fmt.Errorf("openapi: spec URL %q is not valid: %w", location, err)
	}
	req.Header.Set("Accept", "application/json, application/yaml;q=0.9, */*;q=0.5")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("openapi: fetching spec %s: %w", location, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("openapi: fetching spec %s: the server answered %s; check the URL", location, resp.Status)
	}
	data, err := readBounded(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("openapi: fetching spec %s: %w", location, err)
	}
	return data, nil
}

// readBounded reads r to the end, failing when it holds more than
// MaxSpecSize bytes.
func readBounded(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSpecSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxSpecSize {
		return nil, fmt.Errorf("the spec is larger than %d MiB", MaxSpecSize>>20)
	}
	return data, nil
}
