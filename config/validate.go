package config

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/tributary-gw/tributary"
)

// validate checks the top-level settings after decoding; subgraph sections
// were validated by their kinds. listed says whether the file's subgraphs
// key holds any items (they may all have failed to decode).
func (c *Config) validate(listed bool) tributary.FieldErrors {
	var errs tributary.FieldErrors
	add := func(path, format string, args ...any) {
		errs = append(errs, &tributary.FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	if _, port, err := net.SplitHostPort(c.Listen); err != nil {
		add("listen", `must be host:port or :port, such as ":4000"; got %s`, quoteValue(c.Listen))
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		add("listen", `must have a port from 0 to 65535 (0 picks a free one), such as ":4000"; got %s`, quoteValue(c.Listen))
	}
	if c.Server.RequestTimeout <= 0 {
		add("server.requestTimeout", `must be more than 0, such as "30s"`)
	}
	if c.Server.MaxBodyBytes <= 0 {
		add("server.maxBodyBytes", "must be more than 0, such as 1048576 (1 MiB)")
	}
	if c.Server.MaxResponseBytes <= 0 {
		add("server.maxResponseBytes", "must be more than 0, such as 67108864 (64 MiB)")
	}
	if c.Server.PlanCacheBytes <= 0 {
		add("server.planCacheBytes", "must be more than 0, such as 67108864 (64 MiB)")
	}
	for _, l := range []struct {
		key   string
		value int
	}{
		{"maxDepth", c.Limits.MaxDepth},
		{"maxAliases", c.Limits.MaxAliases},
		{"maxRootFields", c.Limits.MaxRootFields},
		{"maxTokens", c.Limits.MaxTokens},
		{"maxFields", c.Limits.MaxFields},
		{"maxCost", c.Limits.MaxCost},
	} {
		if l.value < 0 {
			add("limits."+l.key, "must be 0 (no limit) or more; got %d", l.value)
		}
	}
	if c.Limits.DefaultListSize < 1 {
		add("limits.defaultListSize", "must be 1 or more; got %d", c.Limits.DefaultListSize)
	}
	c.CORS.validate(add)
	if c.Telemetry.ServiceName == "" {
		add("telemetry.serviceName", `must not be empty; remove the key to use "tributary"`)
	}
	if e := c.Telemetry.OTLP.Endpoint; e != "" && !isHTTPURL(e) {
		add("telemetry.otlp.endpoint", `must be an http:// or https:// URL such as "http://localhost:4318"; got %s`, quoteValue(e))
	}
	if r := c.Telemetry.SampleRatio; r < 0 || r > 1 {
		add("telemetry.sampleRatio", "must be between 0 and 1 (0 traces nothing, 1 every request); got %g", r)
	}
	if c.Supergraph == "" && len(c.Subgraphs) == 0 && !listed {
		add("subgraphs", "is required: list at least one subgraph, or set supergraph: to the path of a supergraph SDL composed elsewhere")
	}
	return errs
}

func (c CORS) validate(add func(path, format string, args ...any)) {
	wildcard := false
	for i, o := range c.AllowOrigins {
		if o == "*" {
			wildcard = true
			continue
		}
		if !isOrigin(o) {
			add(fmt.Sprintf("cors.allowOrigins[%d]", i), `must be "*" or an origin such as "https://app.example.com" (scheme and host, no path or trailing slash); got %s`, quoteValue(o))
		}
	}
	if wildcard && c.AllowCredentials {
		add("cors.allowCredentials", `cannot be true while allowOrigins holds "*": browsers refuse credentials for a wildcard origin, so list the origins instead`)
	}
	for i, h := range c.AllowHeaders {
		if !isHeaderName(h) {
			add(fmt.Sprintf("cors.allowHeaders[%d]", i), "must be a header name such as Authorization; got %s", quoteValue(h))
		}
	}
}

// isOrigin reports whether s is a browser origin: scheme://host[:port].
func isOrigin(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		u.Path == "" && u.RawQuery == "" && u.Fragment == "" && u.User == nil && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "#")
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// isHeaderName reports whether s is an HTTP header name (an RFC 9110 token).
func isHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}
