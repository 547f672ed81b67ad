package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/datasource/httpclient"

	"github.com/tributary-gw/tributary"
)

// upload is a file of the request at its place in the normalized
// operation's variables ("f", "a.file", "files.2").
type upload struct {
	path string
	file *tributary.File
}

// uploads places the request's files in the normalized operation's
// variables. A file whose variable the operation does not use goes
// nowhere.
func (op *preparedOperation) uploads(files []*tributary.File) []upload {
	var out []upload
	for _, f := range files {
		if f == nil {
			continue
		}
		variable, rest, _ := strings.Cut(f.VariablePath, ".")
		for _, place := range op.uploadPaths[variable] {
			if rest != "" {
				place += "." + rest
			}
			out = append(out, upload{path: place, file: f})
		}
	}
	return out
}

// uploadsKey is the context key of a request's uploads, read by the
// in-process source loader.
type uploadsKey struct{}

func withUploads(ctx context.Context, ups []upload) context.Context {
	if len(ups) == 0 {
		return ctx
	}
	return context.WithValue(ctx, uploadsKey{}, ups)
}

func uploadsFrom(ctx context.Context) []upload {
	ups, _ := ctx.Value(uploadsKey{}).([]upload)
	return ups
}

// filesFor returns the uploads that feed a root field's arguments, keyed
// by argument path, or nil.
func filesFor(r rootCall, ups []upload) map[string]*tributary.File {
	var files map[string]*tributary.File
	for _, av := range r.argVars {
		for _, u := range ups {
			var argPath string
			switch {
			case u.path == av.variable:
				argPath = av.path
			case strings.HasPrefix(u.path, av.variable+"."):
				argPath = av.path + u.path[len(av.variable):]
			default:
				continue
			}
			if files == nil {
				files = map[string]*tributary.File{}
			}
			files[argPath] = u.file
		}
	}
	return files
}

// remoteUploads prepares the uploads for remote GraphQL subgraphs, which
// get them as a multipart request. The library's HTTP client deletes each
// file it sends, so it gets a hard link to the transport's file rather
// than the file itself; cleanup removes the links it did not send. Files
// that cannot be linked are left out.
func remoteUploads(ups []upload) (files []*httpclient.FileUpload, cleanup func()) {
	var links []string
	for _, u := range ups {
		link, err := linkFile(u.file.Path)
		if err != nil {
			continue
		}
		links = append(links, link)
		files = append(files, httpclient.NewFileUpload(link, u.file.Name, "variables."+u.path))
	}
	return files, func() {
		for _, l := range links {
			_ = os.Remove(l)
		}
	}
}

// linkFile makes a new hard link to path in the same directory.
func linkFile(path string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".link-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	_ = f.Close()
	_ = os.Remove(name)
	if err := os.Link(path, name); err != nil {
		return "", err
	}
	return name, nil
}
