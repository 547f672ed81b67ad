package files

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.json")
	if err := os.WriteFile(small, []byte(`{"a":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		max  int64
		want string // error text, or "" for success
	}{
		{small, 1 << 20, ""},
		{small, 3, "over the limit"},
		{"/dev/zero", MaxBytes, "not a regular file (a character device)"},
		{"/dev/urandom", MaxBytes, "not a regular file"},
		{fifo, MaxBytes, "not a regular file (a named pipe)"},
		{dir, MaxBytes, "not a regular file (a directory)"},
		{filepath.Join(dir, "absent"), MaxBytes, "no such file"},
	}
	for _, tt := range tests {
		data, err := Read(tt.path, tt.max)
		switch {
		case tt.want == "" && (err != nil || string(data) != `{"a":1}`):
			t.Errorf("Read(%s) = %q, %v", tt.path, data, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("Read(%s) error %v, want %q", tt.path, err, tt.want)
		}
	}
}
