package artifact

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Recorder reads resources through another reader and keeps a copy of
// each, for Write. Its Read implements tributary.BuildContext.ReadResource;
// kinds may call it concurrently.
type Recorder struct {
	read func(ctx context.Context, location string) ([]byte, error)

	mu     sync.Mutex
	copies map[string][]byte
}

// NewRecorder returns a Recorder reading through read (usually
// tributary.BuildContext{Dir: cfg.Dir}.Read: the file system and the
// network).
func NewRecorder(read func(ctx context.Context, location string) ([]byte, error)) *Recorder {
	return &Recorder{read: read, copies: map[string][]byte{}}
}

// Read reads location and records what it read.
func (r *Recorder) Read(ctx context.Context, location string) ([]byte, error) {
	data, err := r.read(ctx, location)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.copies[location] = data
	return data, nil
}

// Locations returns the recorded locations, sorted.
func (r *Recorder) Locations() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Sorted(maps.Keys(r.copies))
}

// Write writes an artifact into dir: gatewayYAML as it is (not
// interpolated), the supergraph SDL, every resource rec recorded, and the
// manifest. It builds the artifact in a new directory beside dir and then
// moves it into place, so a failed Write leaves dir as it was. dir must not
// exist, be empty, or hold an artifact (which is replaced).
func Write(dir string, gatewayYAML []byte, supergraph string, rec *Recorder) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("start-up artifact %s: %w", dir, err)
	}
	if err := checkReplaceable(abs); err != nil {
		return err
	}
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("start-up artifact %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(abs)+".tmp-")
	if err != nil {
		return fmt.Errorf("start-up artifact %s: %w", dir, err)
	}
	defer os.RemoveAll(tmp) // a no-op once renamed into place
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("start-up artifact %s: %w", dir, err)
	}
	if err := writeFiles(tmp, gatewayYAML, supergraph, rec); err != nil {
		return fmt.Errorf("start-up artifact %s: %w", dir, err)
	}
	if err := os.RemoveAll(abs); err != nil {
		return fmt.Errorf("start-up artifact %s: replacing the previous one: %w", dir, err)
	}
	if err := os.Rename(tmp, abs); err != nil {
		return fmt.Errorf("start-up artifact %s: %w", dir, err)
	}
	return nil
}

// checkReplaceable refuses to replace a directory that holds anything but
// an artifact: Write must never delete a user's files.
func checkReplaceable(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) || err == nil && len(entries) == 0 {
		return nil
	}
	if err != nil {
		return fmt.Errorf("start-up artifact %s: %w", dir, err)
	}
	if _, err := os.Stat(filepath.Join(dir, ManifestFile)); err != nil {
		return fmt.Errorf("%s exists and is not a start-up artifact (no %s); choose a new or empty directory", dir, ManifestFile)
	}
	return nil
}

func writeFiles(dir string, gatewayYAML []byte, supergraph string, rec *Recorder) error {
	m := Manifest{Format: Format, Config: ConfigFile, Supergraph: SupergraphFile, Resources: map[string]string{}}
	if err := os.WriteFile(filepath.Join(dir, ConfigFile), gatewayYAML, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, SupergraphFile), []byte(supergraph), 0o644); err != nil {
		return err
	}
	locations := rec.Locations()
	if len(locations) > 0 {
		if err := os.Mkdir(filepath.Join(dir, ResourcesDir), 0o755); err != nil {
			return err
		}
	}
	for i, location := range locations {
		file := fmt.Sprintf("%s/%02d-%s", ResourcesDir, i+1, fileName(location))
		rec.mu.Lock()
		data := rec.copies[location]
		rec.mu.Unlock()
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(file)), data, 0o644); err != nil {
			return err
		}
		m.Resources[location] = file
	}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, ManifestFile), append(manifest, '\n'), 0o644)
}

// fileName is a readable, safe file name for a copy of location: the last
// element of its path, so that the artifact shows what each file is.
func fileName(location string) string {
	base := ""
	if u, err := url.Parse(location); err == nil && u.Scheme != "" && u.Host != "" {
		base = path.Base(u.Path)
	} else {
		base = filepath.Base(location)
	}
	if base == "/" || base == "." {
		base = ""
	}
	var b strings.Builder
	for _, r := range base {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	name := strings.Trim(b.String(), ".")
	if name == "" {
		return "resource"
	}
	return name[:min(len(name), 64)]
}
