package config

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"

	"github.com/tributary-gw/tributary"

	"github.com/tributary-gw/tributary/internal/files"
)

// Config is a loaded, validated gateway.yaml.
type Config struct {
	Listen        string          `yaml:"listen" doc:"Address the HTTP server listens on (gateway serve), as host:port or :port." default:":4000"`
	Supergraph    string          `yaml:"supergraph" doc:"Path of a supergraph SDL composed elsewhere (rover, wgc, Hive), relative to this file; with it, subgraphs may be omitted, and no subgraph SDL is fetched or read at start-up."`
	Introspection bool            `yaml:"introspection" doc:"Answer introspection queries (__schema, __type)." default:"true"`
	GraphiQL      bool            `yaml:"graphiql" doc:"Serve GraphiQL to browsers on GET /graphql." default:"true"`
	Server        Server          `yaml:"server" doc:"HTTP server settings."`
	Limits        Limits          `yaml:"limits" doc:"Limits on incoming operations; 0 turns one off."`
	CORS          CORS            `yaml:"cors" doc:"Cross-origin requests from browsers; off unless allowOrigins is set."`
	Telemetry     Telemetry       `yaml:"telemetry" doc:"Tracing with OpenTelemetry."`
	Errors        ErrorOutput     `yaml:"errors" doc:"What clients see of errors from subgraphs and from the gateway's internals."`
	Subgraphs     []SubgraphEntry `yaml:"subgraphs" doc:"The subgraphs to compose: each item has a name and exactly one kind key, whose section that kind decodes."`

	// Path is the file the config was loaded from, as given to Load.
	Path string `yaml:"-"`
	// Dir is Path's directory; kinds resolve relative paths against it.
	Dir string `yaml:"-"`
	// ReadResource, set by code and never by the file, reads the files and
	// URLs the subgraph kinds read at start-up (tributary.BuildContext's
	// ReadResource); nil reads the file system and the network. Package
	// gateway/artifact sets it to record them or to serve them back.
	ReadResource func(ctx context.Context, location string) ([]byte, error) `yaml:"-"`
}

// Server holds the HTTP server's settings.
type Server struct {
	RequestTimeout         tributary.Duration `yaml:"requestTimeout" doc:"Longest time one request may take, upstream calls included." default:"30s"`
	MaxBodyBytes           int64              `yaml:"maxBodyBytes" doc:"Largest request body accepted, in bytes." default:"1048576"`
	MaxResponseBytes       int64              `yaml:"maxResponseBytes" doc:"Largest response body sent, in bytes; a larger response is replaced by a RESPONSE_TOO_LARGE error (the operation has run: a mutation's effects stay)." default:"67108864"`
	PlanCacheBytes         int64              `yaml:"planCacheBytes" doc:"Memory budget, in estimated bytes, of the caches of prepared operations and query plans (half each); the least recently used are evicted, and an operation needing more than a sixteenth of the budget is prepared for each request instead of cached." default:"67108864"`
	ShutdownTimeout        tributary.Duration `yaml:"shutdownTimeout" doc:"How long shutdown waits for requests in flight, then for the subgraphs to release their connections." default:"10s"`
	DrainDelay             tributary.Duration `yaml:"drainDelay" doc:"How long, after SIGTERM, the server keeps accepting requests while /readyz answers 503, so that load balancers stop routing to it before it stops listening; 0 stops at once."`
	ShareIdenticalRequests bool               `yaml:"shareIdenticalRequests" doc:"Let concurrent identical queries share one execution and its response: same normalized operation, variables, headers any subgraph would receive and caller identity. Mutations, subscriptions and requests with uploads never share." default:"true"`
}

// Limits bounds the operations clients may send. Zero turns a limit off.
type Limits struct {
	MaxDepth      int `yaml:"maxDepth" doc:"Deepest selection-set nesting allowed." default:"16"`
	MaxAliases    int `yaml:"maxAliases" doc:"Most field aliases allowed in one operation." default:"30"`
	MaxRootFields int `yaml:"maxRootFields" doc:"Most root fields allowed in one operation." default:"20"`
	MaxTokens     int `yaml:"maxTokens" doc:"Most lexical tokens allowed in one operation document." default:"15000"`
	MaxFields     int `yaml:"maxFields" doc:"Most fields in one operation as executed: every field at every level, a fragment's fields counted once per use; it stops fragments that spread each other into millions of fields." default:"10000"`
	MaxCost       int `yaml:"maxCost" doc:"Highest estimated cost allowed (IBM cost spec: @cost weights, objects 1 and leaves 0 by default, lists multiplied by their @listSize slicing argument or assumedSize, else defaultListSize); 0 turns cost analysis off." default:"0"`
	// DefaultListSize is the list size assumed without @listSize.
	DefaultListSize int `yaml:"defaultListSize" doc:"Size assumed for a list field that has no @listSize, in cost estimates." default:"10"`
}

// CORS configures cross-origin resource sharing. It is off while
// AllowOrigins is empty.
type CORS struct {
	AllowOrigins     []string           `yaml:"allowOrigins" doc:"Origins allowed to call the gateway from a browser, such as https://app.example.com, or \"*\" for any."`
	AllowHeaders     []string           `yaml:"allowHeaders" doc:"Request headers browsers may send." default:"Content-Type,Authorization"`
	AllowCredentials bool               `yaml:"allowCredentials" doc:"Let browsers send cookies and HTTP authentication." default:"false"`
	MaxAge           tributary.Duration `yaml:"maxAge" doc:"How long browsers may cache a preflight response; 0 leaves it to the browser."`
}

// Enabled reports whether CORS is on.
func (c CORS) Enabled() bool { return len(c.AllowOrigins) > 0 }

// Telemetry configures tracing.
type Telemetry struct {
	ServiceName string  `yaml:"serviceName" doc:"service.name of the gateway's spans." default:"tributary"`
	OTLP        OTLP    `yaml:"otlp" doc:"Where spans are exported, over OTLP/HTTP; nothing is exported without an endpoint."`
	SampleRatio float64 `yaml:"sampleRatio" doc:"Share of requests traced, from 0 to 1." default:"1"`
}

// OTLP says where to export spans.
type OTLP struct {
	Endpoint string            `yaml:"endpoint" doc:"OTLP/HTTP collector URL, such as http://localhost:4318."`
	Headers  map[string]string `yaml:"headers" doc:"Headers sent with every export, such as an API key."`
	Insecure bool              `yaml:"insecure" doc:"Export over plain HTTP without TLS." default:"false"`
}

// ErrorOutput configures what clients see of upstream and internal errors.
type ErrorOutput struct {
	Mask            *bool    `yaml:"mask" doc:"Replace the message of every error from a subgraph or from the gateway's internals with a generic one (\"an upstream error occurred\", \"internal error\") carrying extensions.errorId, and log the original with that id; errors about the request itself (validation, limits) are never masked. Default: true when introspection is false, false when it is true."`
	AllowExtensions []string `yaml:"allowExtensions" doc:"Error extensions passed to clients although they look like debugging output: stack, exception and trace-like extensions (any key containing \"stack\", \"exception\" or \"trace\") are dropped unless listed here."`
	// ExposeSubgraphDetails is meant for development.
	ExposeSubgraphDetails bool `yaml:"exposeSubgraphDetails" doc:"Put the details of a failed subgraph call (a subgraph that is down, times out, or answers with an HTTP error or something that is not GraphQL) in the error clients see: the URL, the connection error, the status and the start of the body. They are always logged. Meant for development: upstream internals reach clients. Masked errors never show them." default:"false"`
}

// Masked reports whether errors are masked, given whether introspection is
// on: an explicit mask wins; otherwise a gateway that hides its schema
// hides its errors too.
func (e ErrorOutput) Masked(introspection bool) bool {
	if e.Mask != nil {
		return *e.Mask
	}
	return !introspection
}

// Default returns the configuration that a file setting only its subgraphs
// gets: every other key at its default.
func Default() *Config {
	return &Config{
		Listen:        ":4000",
		Introspection: true,
		GraphiQL:      true,
		Server: Server{
			RequestTimeout:         tributary.Duration(30e9),
			MaxBodyBytes:           1 << 20,
			MaxResponseBytes:       64 << 20,
			PlanCacheBytes:         64 << 20,
			ShutdownTimeout:        tributary.Duration(10e9),
			ShareIdenticalRequests: true,
		},
		Limits:    Limits{MaxDepth: 16, MaxAliases: 30, MaxRootFields: 20, MaxTokens: 15000, MaxFields: 10000, DefaultListSize: 10},
		CORS:      CORS{AllowHeaders: []string{"Content-Type", "Authorization"}},
		Telemetry: Telemetry{ServiceName: "tributary", SampleRatio: 1},
	}
}

// SupergraphPath returns Supergraph resolved against Dir, or "" if unset.
func (c *Config) SupergraphPath() string {
	if c.Supergraph == "" || filepath.IsAbs(c.Supergraph) {
		return c.Supergraph
	}
	return filepath.Join(c.Dir, c.Supergraph)
}

// Load reads the config file at path, interpolates ${VAR} references from the
// process environment, decodes it, and validates it and every subgraph's
// section. It also checks that the supergraph file, if named, can be read.
// Problems in the file are returned together as Errors.
func Load(path string) (*Config, error) {
	data, err := files.Read(path, maxConfigBytes)
	if err != nil {
		return nil, fmt.Errorf("config: cannot read %s (pass the path of your gateway.yaml): %w", path, err)
	}
	cfg, err := parse(path, data, os.LookupEnv, checkReadable)
	if err != nil {
		return nil, err
	}
	if abs, err := filepath.Abs(cfg.Dir); err == nil {
		cfg.Dir = abs
	}
	return cfg, nil
}

// maxConfigBytes bounds gateway.yaml.
const maxConfigBytes = 16 << 20

// checkReadable checks that a file the config names is a regular file
// that can be opened (without blocking on a FIFO).
func checkReadable(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return f.Close()
}

// Parse decodes and validates config text. path names the file in messages
// and sets Dir; env looks up environment variables for ${VAR} (nil means an
// empty environment). Unlike Load it touches no files, so it suits tests.
func Parse(path string, data []byte, env func(string) (string, bool)) (*Config, error) {
	return parse(path, data, env, nil)
}

// parse is Parse with a check that named files exist (nil skips it).
func parse(path string, data []byte, env func(string) (string, bool), checkFile func(string) error) (*Config, error) {
	if env == nil {
		env = func(string) (string, bool) { return "", false }
	}
	probs := &problems{file: path}
	root := parseDocument(data, probs)
	if root == nil {
		return nil, probs.result()
	}
	d := &decoder{env: env, probs: probs, aliases: collectAliases(root, probs)}
	cfg := Default()
	cfg.Path, cfg.Dir = path, filepath.Dir(path)
	d.decode(root, reflect.ValueOf(cfg).Elem(), "", 0)
	for _, m := range d.missing {
		probs.add(m.line, m.path, "is required")
	}
	for _, fe := range cfg.validate(d.subgraphsWritten(root)) {
		probs.add(d.lineAt(root, fe.Path, 0), fe.Path, "%s", fe.Message)
	}
	if checkFile != nil && cfg.Supergraph != "" {
		if err := checkFile(cfg.SupergraphPath()); err != nil {
			probs.add(d.lineAt(root, "supergraph", 0), "supergraph", "cannot be read: %v; check the path, which is relative to this file", err)
		}
	}
	if err := probs.result(); err != nil {
		return nil, err
	}
	return cfg, nil
}
