// Package files reads the files gateway.yaml names (specs, SDL, data, the
// supergraph, artifact resources) with a bound: only regular files, and no
// more than a limit, so that `data: /dev/zero` or a FIFO is a clear error
// instead of a process that grows until it dies.
package files

import (
	"fmt"
	"io"
	"os"
	"syscall"
)

// MaxBytes is the default bound on a file the configuration names. The
// largest public OpenAPI specs are a few tens of MB.
const MaxBytes = 256 << 20

// Read reads the regular file at path, failing for anything else (a
// device, a FIFO, a directory) and for files over max bytes.
func Read(path string, max int64) ([]byte, error) {
	// Stat before opening: opening a FIFO blocks until a writer comes.
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s)", path, describeMode(info.Mode()))
	}
	// Non-blocking, in case a FIFO took the file's place since the Stat.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() { // replaced since the first look
		return nil, fmt.Errorf("%s is not a regular file (%s)", path, describeMode(info.Mode()))
	}
	if info.Size() > max {
		return nil, fmt.Errorf("%s is %d bytes, over the limit of %d MiB", path, info.Size(), max>>20)
	}
	// The file may grow between Stat and the read: bound the read too.
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s is over the limit of %d MiB", path, max>>20)
	}
	return data, nil
}

func describeMode(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeCharDevice != 0:
		return "a character device"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return "mode " + m.String()
}
