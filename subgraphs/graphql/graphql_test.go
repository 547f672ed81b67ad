package graphql

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tributary-gw/tributary"
)

func TestKindIsRegistered(t *testing.T) {
	k, ok := tributary.LookupKind(KindName)
	if !ok {
		t.Fatalf("kind %q is not registered", KindName)
	}
	if _, ok := k.NewConfig().(*Config); !ok || k.Doc == "" {
		t.Errorf("kind %q: NewConfig gives %T, Doc %q", KindName, k.NewConfig(), k.Doc)
	}
}

func TestValidate(t *testing.T) {
	valid := func() Config {
		return Config{URL: "http://localhost:4001/graphql"}
	}
	tests := []struct {
		name   string
		modify func(c *Config)
		want   map[string]string // path → part of the message; empty means valid
	}{
		{"minimal", func(c *Config) {}, nil},
		{"https with everything", func(c *Config) {
			c.URL = "https://accounts.internal:8443/graphql"
			c.SDLFile = "accounts.graphql"
			c.Headers = map[string]string{"X-Gateway": "tributary", "Authorization": "Bearer\tabc"}
			c.ForwardHeaders = []string{"Authorization", "X-Request-Id"}
			c.Timeout = tributary.Duration(3 * time.Second)
			c.IntrospectionTimeout = tributary.Duration(time.Second)
		}, nil},
		{"url missing", func(c *Config) { c.URL = "" },
			map[string]string{"url": `is required (e.g. "http://localhost:4001/graphql")`}},
		{"url without scheme", func(c *Config) { c.URL = "localhost:4001/graphql" },
			map[string]string{"url": "must be an absolute http or https URL"}},
		{"url relative", func(c *Config) { c.URL = "/graphql" },
			map[string]string{"url": "must be an absolute http or https URL"}},
		{"url ftp", func(c *Config) { c.URL = "ftp://example.com/graphql" },
			map[string]string{"url": "must be an absolute http or https URL"}},
		{"url without host", func(c *Config) { c.URL = "http:///graphql" },
			map[string]string{"url": "has no host"}},
		{"url unparsable", func(c *Config) { c.URL = "http://[::1" },
			map[string]string{"url": "is not a URL"}},
		{"header name with space", func(c *Config) { c.Headers = map[string]string{"X Gateway": "x"} },
			map[string]string{"headers.X Gateway": `" " is not allowed`}},
		{"header name empty", func(c *Config) { c.Headers = map[string]string{"": "x"} },
			map[string]string{"headers.": "header name is empty"}},
		{"header value with newline", func(c *Config) { c.Headers = map[string]string{"X-A": "a\r\nX-Evil: 1"} },
			map[string]string{"headers.X-A": "control character"}},
		{"header twice in different case", func(c *Config) { c.Headers = map[string]string{"X-A": "1", "x-a": "2"} },
			map[string]string{"headers.x-a": `"x-a" is the same header as "X-A"`}},
		{"transport header", func(c *Config) { c.Headers = map[string]string{"content-length": "3"} },
			map[string]string{"headers.content-length": "managed by the HTTP client"}},
		{"forward header invalid", func(c *Config) { c.ForwardHeaders = []string{"Authorization", "X:Id"} },
			map[string]string{"forwardHeaders[1]": `":" is not allowed`}},
		{"forward header duplicate", func(c *Config) { c.ForwardHeaders = []string{"Authorization", "x-request-id", "authorization"} },
			map[string]string{"forwardHeaders[2]": "listed twice (also at forwardHeaders[0])"}},
		{"forward hop-by-hop", func(c *Config) { c.ForwardHeaders = []string{"Connection"} },
			map[string]string{"forwardHeaders[0]": "cannot be set or forwarded"}},
		{"claim headers", func(c *Config) { c.ClaimsToHeaders = map[string]string{"X:Id": "sub", "X-Tenant": " "} },
			map[string]string{"claimsToHeaders.X:Id": `":" is not allowed`, "claimsToHeaders.X-Tenant": "names no claim"}},
		{"retry and breaker", func(c *Config) {
			on := false
			c.Retry = &RetryConfig{Attempts: 5, MinWait: tributary.Duration(time.Millisecond), MaxWait: tributary.Duration(time.Second), Budget: 0.5}
			c.CircuitBreaker = &tributary.CircuitBreakerConfig{Enabled: &on, FailureRatio: 1, MinRequests: 5, Window: tributary.Duration(time.Second)}
		}, nil},
		{"retry out of range", func(c *Config) {
			c.Retry = &RetryConfig{Attempts: 11, MinWait: tributary.Duration(time.Second), MaxWait: tributary.Duration(time.Millisecond), Budget: 2}
		}, map[string]string{"retry.attempts": "want 1 (no retries) to 10", "retry.maxWait": "shorter than minWait (1s)", "retry.budget": "out of range"}},
		{"breaker out of range", func(c *Config) {
			c.CircuitBreaker = &tributary.CircuitBreakerConfig{FailureRatio: 1.5, MinRequests: -1, Window: tributary.Duration(-1), OpenFor: tributary.Duration(-1)}
		}, map[string]string{"circuitBreaker.failureRatio": "out of range", "circuitBreaker.minRequests": "at least 1",
			"circuitBreaker.window": "greater than 0", "circuitBreaker.openFor": "greater than 0"}},
		{"negative durations", func(c *Config) {
			c.Timeout = tributary.Duration(-time.Second)
			c.IntrospectionTimeout = tributary.Duration(-time.Second)
		}, map[string]string{"timeout": "greater than 0", "introspectionTimeout": "greater than 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.modify(&c)
			err := c.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var fes tributary.FieldErrors
			if !errors.As(err, &fes) {
				t.Fatalf("Validate = %v (%T), want FieldErrors", err, err)
			}
			got := map[string]string{}
			for _, fe := range fes {
				got[fe.Path] = fe.Message
			}
			if len(got) != len(tt.want) {
				t.Errorf("errors %v, want paths %v", got, tt.want)
			}
			for path, part := range tt.want {
				if !strings.Contains(got[path], part) {
					t.Errorf("%s: message %q does not contain %q", path, got[path], part)
				}
			}
		})
	}
}

func TestBuildFetchesSDL(t *testing.T) {
	var gotHeader http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotHeader = r.Header.Clone()
		io.WriteString(w, sdlBody(accountsSDL))
	}))
	defer srv.Close()

	c := &Config{
		URL:            srv.URL,
		Headers:        map[string]string{"x-gateway": "tributary"},
		ForwardHeaders: []string{"authorization", "X-Request-Id"},
	}
	sg, err := c.Build(context.Background(), "accounts", tributary.BuildContext{Dir: t.TempDir()})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	want := &tributary.Subgraph{
		Name: "accounts",
		SDL:  accountsSDL,
		Remote: &tributary.RemoteGraphQL{
			URL:              srv.URL,
			Header:           http.Header{"X-Gateway": {"tributary"}},
			ForwardHeaders:   []string{"Authorization", "X-Request-Id"},
			Timeout:          10 * time.Second,
			MaxResponseBytes: 16 << 20,
		},
	}
	if !reflect.DeepEqual(sg, want) {
		t.Errorf("Build =\n%+v %+v\nwant\n%+v %+v", sg, sg.Remote, want, want.Remote)
	}
	if gotHeader.Get("X-Gateway") != "tributary" {
		t.Errorf("SDL fetch did not send the static headers: %v", gotHeader)
	}
}

func TestBuildReadsSDLFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "schemas"), 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "schemas", "accounts.graphql")
	if err := os.WriteFile(path, []byte(accountsSDL), 0o644); err != nil {
		t.Fatal(err)
	}
	// Nothing listens at url: the SDL can only come from the file.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := "http://" + ln.Addr().String() + "/graphql"
	ln.Close()

	for _, sdlFile := range []string{"./schemas/accounts.graphql", "schemas/accounts.graphql", path} {
		c := &Config{URL: endpoint, SDLFile: sdlFile, Timeout: tributary.Duration(time.Second)}
		sg, err := c.Build(context.Background(), "accounts", tributary.BuildContext{Dir: dir})
		if err != nil {
			t.Fatalf("sdlFile %q: Build: %v", sdlFile, err)
		}
		if sg.SDL != accountsSDL || sg.Remote.Timeout != time.Second {
			t.Errorf("sdlFile %q: SDL %q, timeout %v", sdlFile, sg.SDL, sg.Remote.Timeout)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("blank.graphql", " \n")
	write("broken.graphql", "type User {")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, sdlBody("type Query { me: }"))
	}))
	defer srv.Close()

	// Errors name no subgraph (the gateway does) and say which key is at
	// fault, so that the gateway can point at its line.
	tests := []struct {
		name string
		c    Config
		path string
		want []string
	}{
		{"invalid config", Config{}, "url", []string{`is required (e.g. "http://localhost:4001/graphql")`}},
		{"missing file", Config{URL: srv.URL, SDLFile: "nope.graphql"}, "sdlFile",
			[]string{`cannot read nope.graphql (resolved to ` + filepath.Join(dir, "nope.graphql"), "relative to gateway.yaml"}},
		{"blank file", Config{URL: srv.URL, SDLFile: "blank.graphql"}, "sdlFile", []string{"blank.graphql is empty"}},
		{"broken file", Config{URL: srv.URL, SDLFile: "broken.graphql"}, "sdlFile",
			[]string{"the SDL is not valid GraphQL: " + filepath.Join(dir, "broken.graphql") + ":1:"}},
		{"broken fetched SDL", Config{URL: srv.URL}, "url", []string{"the SDL is not valid GraphQL: " + srv.URL + ":1:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.c.Build(context.Background(), "accounts", tributary.BuildContext{Dir: dir})
			fes := tributary.AsFieldErrors(err)
			if len(fes) != 1 || fes[0].Path != tt.path {
				t.Fatalf("Build error %v, want one FieldError at %s", err, tt.path)
			}
			for _, w := range tt.want {
				if !strings.Contains(fes[0].Message, w) {
					t.Errorf("message %q\ndoes not contain %q", fes[0].Message, w)
				}
			}
			if strings.Contains(err.Error(), "accounts") {
				t.Errorf("error %q names the subgraph; the gateway does", err)
			}
		})
	}
}

func TestBuildUnreachableKeepsTheCause(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := "http://" + ln.Addr().String() + "/graphql"
	ln.Close()
	c := &Config{URL: endpoint, IntrospectionTimeout: tributary.Duration(150 * time.Millisecond)}
	_, err = c.Build(context.Background(), "accounts", tributary.BuildContext{})
	fes := tributary.AsFieldErrors(err)
	if len(fes) != 1 || fes[0].Path != "url" || !strings.HasPrefix(fes[0].Message, "cannot fetch SDL from "+endpoint) {
		t.Fatalf("error %v, want a FieldError at url", err)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("error %#v does not wrap ECONNREFUSED", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Build(ctx, "accounts", tributary.BuildContext{})
	if !errors.Is(err, context.Canceled) || tributary.AsFieldErrors(err) != nil {
		t.Errorf("cancelled start-up: error %v, want context.Canceled and no key at fault", err)
	}
}

// roundTripFunc stands for the transport of the gateway's client.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// The start-up SDL fetch goes through the client the gateway hands the
// kind (its pool, proxy and tracing), not one of the kind's own.
func TestBuildFetchesSDLThroughGatewayClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, sdlBody(accountsSDL))
	}))
	defer srv.Close()
	var sent []string
	var asked []tributary.HTTPClientOptions
	bc := tributary.BuildContext{HTTPClient: func(o tributary.HTTPClientOptions) *http.Client {
		asked = append(asked, o)
		return &http.Client{Timeout: o.Timeout, Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			sent = append(sent, r.Method+" "+r.URL.String())
			return http.DefaultTransport.RoundTrip(r)
		})}
	}}
	c := &Config{URL: srv.URL + "/graphql", Timeout: tributary.Duration(time.Second)}
	if _, err := c.Build(context.Background(), "accounts", bc); err != nil {
		t.Fatalf("Build: %v", err)
	}
	if len(sent) != 1 || sent[0] != "POST "+srv.URL+"/graphql" {
		t.Errorf("the gateway's client sent %v, want the one SDL fetch", sent)
	}
	// The fetcher's contexts bound the attempt (timeout) and the whole fetch
	// (introspectionTimeout); the client's own timeout must not cut either.
	if len(asked) != 1 || asked[0].Timeout != defaultIntrospectionTimeout {
		t.Errorf("asked for clients %+v, want one bounded by the introspection budget", asked)
	}
}

// With a supergraph given, the SDL only composition needs is neither
// fetched nor read: start-up makes no connection and reads no file.
func TestBuildPrecomposedFetchesNothing(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan struct{}, 8)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- struct{}{}
			conn.Close()
		}
	}()
	endpoint := "http://" + ln.Addr().String() + "/graphql"
	readNothing := func(_ context.Context, location string) ([]byte, error) {
		return nil, errors.New("read " + location)
	}
	for _, c := range []*Config{{URL: endpoint}, {URL: endpoint, SDLFile: "./absent.graphql"}} {
		sg, err := c.Build(context.Background(), "accounts", tributary.BuildContext{Precomposed: true, ReadResource: readNothing})
		if err != nil {
			t.Fatalf("sdlFile %q: %v", c.SDLFile, err)
		}
		if sg.SDL != "" || sg.Remote == nil || sg.Remote.URL != endpoint {
			t.Errorf("sdlFile %q: built %+v", c.SDLFile, sg)
		}
	}
	select {
	case <-accepted:
		t.Fatal("a precomposed build connected to the subgraph")
	case <-time.After(50 * time.Millisecond):
	}
}

// sdlFile is read through the BuildContext, by its name as configured.
func TestBuildReadsSDLFileThroughTheBuildContext(t *testing.T) {
	var asked string
	bc := tributary.BuildContext{Dir: "/nowhere", ReadResource: func(_ context.Context, location string) ([]byte, error) {
		asked = location
		return []byte(accountsSDL), nil
	}}
	sg, err := (&Config{URL: "http://accounts.internal/graphql", SDLFile: "./schemas/accounts.graphql"}).Build(context.Background(), "accounts", bc)
	if err != nil {
		t.Fatal(err)
	}
	if asked != "./schemas/accounts.graphql" || sg.SDL != accountsSDL {
		t.Errorf("read %q, SDL %q", asked, sg.SDL)
	}
}
