package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/tributary-gw/tributary/openapi"
)

// openapiCommand prints the subgraph SDL generated from an OpenAPI spec:
//
//	gateway openapi [-type-prefix P] SPEC
//
// The SDL goes to stdout, one warning per skipped or degraded part to
// stderr (with its JSON pointer). It fails only when nothing usable could
// be generated.
func openapiCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gateway openapi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	prefix := fs.String("type-prefix", "", "prefix every generated type name")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: gateway openapi [-type-prefix P] SPEC\n\nPrints the federation subgraph SDL generated from the OpenAPI 2.0/3.0/3.1 spec at SPEC (a file or an http(s) URL); warnings go to stderr.\n")
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	wd, _ := os.Getwd()
	spec, err := openapi.Load(ctx, fs.Arg(0), wd)
	if err != nil {
		fmt.Fprintf(stderr, "gateway openapi: %v\n", err)
		return 1
	}
	doc, err := openapi.Convert(spec, openapi.Options{TypePrefix: *prefix})
	if err != nil {
		fmt.Fprintf(stderr, "gateway openapi: %s: %v\n", fs.Arg(0), err)
		return 1
	}
	for _, w := range doc.Warnings {
		fmt.Fprintf(stderr, "warning: %s: %s\n", w.Pointer, w.Message)
	}
	if _, err := io.WriteString(stdout, doc.SDL); err != nil {
		return 1
	}
	return 0
}
