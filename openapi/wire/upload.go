package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/internal/jsonscan"
)

// filesKey is the context key of a field call's uploads.
type filesKey struct{}

// WithFiles returns ctx carrying the uploads of one field call
// (tributary.FieldCall.Files: argument path → file). Request sends each
// file where the arguments hold null for an Upload at that path. The
// files travel in the context so that callers holding a Request func keep
// their signature.
func WithFiles(ctx context.Context, files map[string]*tributary.File) context.Context {
	if len(files) == 0 {
		return ctx
	}
	return context.WithValue(ctx, filesKey{}, files)
}

// filesFrom returns the uploads WithFiles put in ctx, or nil.
func filesFrom(ctx context.Context) map[string]*tributary.File {
	files, _ := ctx.Value(filesKey{}).(map[string]*tributary.File)
	return files
}

// uploadFor returns the file for the Upload at argument path, whose value
// in the arguments is raw. Files come only from the multipart request: a
// non-null value is an error, as is a null one without a file (nil, nil
// means "no value": the caller leaves the part out).
func uploadFor(files map[string]*tributary.File, path string, raw []byte) (*tributary.File, error) {
	if !jsonscan.IsNull(raw) {
		return nil, mismatch("an Upload is sent as a file with the GraphQL multipart request spec (the variable holds null), not as %s", shortJSON(raw))
	}
	return files[path], nil
}

// segment is a piece of a streamed body: bytes in memory, or a file on
// disk sent as it is.
type segment struct {
	data []byte
	file string
	size int64
}

// streamedBody is a request body made of segments, so that uploaded files
// go from disk to the socket without being held in memory. It can be read
// again (for retries) by calling open once more.
type streamedBody struct {
	segments []segment
	pending  []byte
}

// Write implements io.Writer for the multipart writer: the bytes go to the
// current in-memory segment.
func (b *streamedBody) Write(p []byte) (int, error) {
	b.pending = append(b.pending, p...)
	return len(p), nil
}

// addFile ends the current in-memory segment and adds the file at path,
// whose size is taken from disk now, so that Content-Length is exact.
func (b *streamedBody) addFile(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("the uploaded file is gone (%w); the request that carried it may have ended", err)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("the uploaded file %q is not a regular file", path)
	}
	b.flush()
	b.segments = append(b.segments, segment{file: path, size: info.Size()})
	return nil
}

func (b *streamedBody) flush() {
	if len(b.pending) > 0 {
		b.segments = append(b.segments, segment{data: b.pending, size: int64(len(b.pending))})
		b.pending = nil
	}
}

// hasFiles reports whether any segment is a file.
func (b *streamedBody) hasFiles() bool {
	for _, s := range b.segments {
		if s.file != "" {
			return true
		}
	}
	return false
}

// bytes returns the whole body, for bodies without files.
func (b *streamedBody) bytes() []byte {
	b.flush()
	var out []byte
	for _, s := range b.segments {
		out = append(out, s.data...)
	}
	return out
}

// length is the body's size in bytes.
func (b *streamedBody) length() int64 {
	var n int64
	for _, s := range b.segments {
		n += s.size
	}
	return n
}

// open returns a reader over the body; files are opened one at a time as
// the reader reaches them.
func (b *streamedBody) open() (io.ReadCloser, error) {
	return &segmentReader{segments: b.segments}, nil
}

// segmentReader reads segments in order.
type segmentReader struct {
	segments []segment
	offset   int      // into segments[0].data
	file     *os.File // open file of segments[0], if it is one
	fileRead int64
}

func (r *segmentReader) Read(p []byte) (int, error) {
	for len(r.segments) > 0 {
		s := &r.segments[0]
		if s.file == "" {
			if r.offset < len(s.data) {
				n := copy(p, s.data[r.offset:])
				r.offset += n
				return n, nil
			}
			r.segments, r.offset = r.segments[1:], 0
			continue
		}
		if r.file == nil {
			f, err := os.Open(s.file)
			if err != nil {
				return 0, fmt.Errorf("openapi/wire: opening the uploaded file: %w", err)
			}
			r.file, r.fileRead = f, 0
		}
		// Never send more than the size Content-Length promised.
		if remaining := s.size - r.fileRead; int64(len(p)) > remaining {
			p = p[:remaining]
		}
		n := 0
		var err error
		if len(p) > 0 {
			n, err = r.file.Read(p)
		} else {
			err = io.EOF
		}
		r.fileRead += int64(n)
		if errors.Is(err, io.EOF) {
			if r.fileRead != s.size {
				return n, fmt.Errorf("openapi/wire: the uploaded file changed size while it was sent (%d of %d bytes)", r.fileRead, s.size)
			}
			_ = r.file.Close()
			r.file = nil
			r.segments = r.segments[1:]
			err = nil
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
	return 0, io.EOF
}

// Close closes the file being read, if any.
func (r *segmentReader) Close() error {
	if r.file != nil {
		err := r.file.Close()
		r.file = nil
		return err
	}
	return nil
}
