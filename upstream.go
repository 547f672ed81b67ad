package tributary

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// RedirectPolicy says which HTTP redirects a subgraph's upstream client
// follows. Its zero value is RedirectNever.
type RedirectPolicy string

// The redirect policies, as written in gateway.yaml's followRedirects.
const (
	// RedirectNever follows no redirect: a 3xx answer is an error.
	RedirectNever RedirectPolicy = "never"
	// RedirectSameHost follows redirects to the same scheme, host and port
	// only.
	RedirectSameHost RedirectPolicy = "sameHost"
	// RedirectAlways follows redirects anywhere, but sends credentials and
	// configured or forwarded headers to the original origin only.
	RedirectAlways RedirectPolicy = "always"
)

// RedirectPolicies lists the valid values of followRedirects.
var RedirectPolicies = []RedirectPolicy{RedirectNever, RedirectSameHost, RedirectAlways}

// Valid reports whether p is a known policy or empty (meaning never).
func (p RedirectPolicy) Valid() bool {
	return p == "" || p == RedirectNever || p == RedirectSameHost || p == RedirectAlways
}

// RedirectedAway reports whether req is a redirect hop (built by
// http.Client while following a 3xx) to an origin (scheme, host, port)
// other than the one of the request that started the chain. Transports that
// add credentials must not add them to such a request.
func RedirectedAway(req *http.Request) bool {
	if req.Response == nil || req.Response.Request == nil {
		return false
	}
	first := req.Response.Request
	for first.Response != nil && first.Response.Request != nil {
		first = first.Response.Request
	}
	return !SameOrigin(first.URL, req.URL)
}

// SameOrigin reports whether a and b have the same scheme, host and port,
// a missing port standing for the scheme's default.
func SameOrigin(a, b *url.URL) bool {
	if a == nil || b == nil {
		return false
	}
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		portOf(a) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// RedirectError is a redirect the subgraph's followRedirects policy refused;
// the redirect's response is discarded, never taken for data.
type RedirectError struct {
	// Subgraph is the subgraph's name.
	Subgraph string
	// Status is the 3xx status code.
	Status int
	// Location is where the service redirected to, without its query.
	Location string
	// Policy is the policy in force.
	Policy RedirectPolicy
}

// Error implements error.
func (e *RedirectError) Error() string {
	if e.Policy == RedirectSameHost {
		return fmt.Sprintf("subgraph %q: the service redirected to %s (HTTP %d), another host; followRedirects is sameHost: fix the service's URL, or set followRedirects: always",
			e.Subgraph, e.Location, e.Status)
	}
	return fmt.Sprintf("subgraph %q: the service redirected to %s (HTTP %d); fix the service's URL, or set followRedirects (sameHost or always) to follow it",
		e.Subgraph, e.Location, e.Status)
}

// ResponseTooLargeError is an upstream response body larger than the
// subgraph's maxResponseBytes; reading it stops there.
type ResponseTooLargeError struct {
	// Subgraph is the subgraph's name.
	Subgraph string
	// Limit is maxResponseBytes.
	Limit int64
}

// Error implements error.
func (e *ResponseTooLargeError) Error() string {
	return fmt.Sprintf("subgraph %q: the response body is larger than maxResponseBytes (%d bytes); raise the limit or ask for less",
		e.Subgraph, e.Limit)
}
