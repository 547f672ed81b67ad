package graphql

import (
	"fmt"
	"net/http"
	"strings"
)

// transportHeaders are set by the HTTP client for each connection or body;
// a value from config or from a client would be ignored or would corrupt the
// upstream request.
var transportHeaders = map[string]bool{
	"Connection":          true,
	"Content-Length":      true,
	"Host":                true,
	"Keep-Alive":          true,
	"Proxy-Authenticate":  true,
	"Proxy-Authorization": true,
	"Proxy-Connection":    true,
	"Te":                  true,
	"Trailer":             true,
	"Transfer-Encoding":   true,
	"Upgrade":             true,
}

// checkHeaderName returns what is wrong with name as a configured header
// name, or "".
func checkHeaderName(name string) string {
	if name == "" {
		return "header name is empty"
	}
	for i := 0; i < len(name); i++ {
		if !isTokenChar(name[i]) {
			return fmt.Sprintf("%q is not a valid header name: %q is not allowed (use letters, digits and !#$%%&'*+-.^_`|~, e.g. \"X-Request-Id\")", name, name[i:i+1])
		}
	}
	if transportHeaders[http.CanonicalHeaderKey(name)] {
		return fmt.Sprintf("%q is managed by the HTTP client per connection and cannot be set or forwarded; remove it", name)
	}
	return ""
}

// isTokenChar reports whether c may appear in an HTTP token (RFC 9110 §5.6.2).
func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// validHeaderValue reports whether v can be sent as a header value: no
// control characters other than horizontal tab.
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
