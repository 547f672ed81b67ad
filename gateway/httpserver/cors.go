package httpserver

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// CORSOptions configures Cross-Origin Resource Sharing on the GraphQL route.
// With no AllowOrigins the handler sends no CORS headers at all, so browsers
// allow only same-origin pages to call the gateway.
type CORSOptions struct {
	// AllowOrigins lists the origins ("https://app.example.com") whose pages
	// may call the gateway; "*" allows every origin. Origins match exactly,
	// ignoring case and a trailing slash.
	AllowOrigins []string
	// AllowHeaders lists the request headers a cross-origin page may send;
	// "*" allows whatever the browser asks for. Empty means Content-Type and
	// Authorization (Accept needs no permission).
	AllowHeaders []string
	// AllowCredentials lets pages send cookies and HTTP authentication. The
	// allowed origin is then echoed back, never "*", as browsers require.
	AllowCredentials bool
	// MaxAge is how long browsers may cache a preflight answer; zero leaves it
	// to the browser.
	MaxAge time.Duration
}

// corsMethods are the methods the GraphQL route serves to other origins.
const corsMethods = "GET, POST"

var defaultCORSHeaders = []string{"Content-Type", "Authorization"}

// corsPolicy is CORSOptions prepared for the request path.
type corsPolicy struct {
	anyOrigin        bool
	origins          map[string]bool
	allowHeaders     string
	echoHeaders      bool
	allowCredentials bool
	maxAge           string
}

// newCORSPolicy prepares o, or returns nil when CORS is off.
func newCORSPolicy(o CORSOptions) *corsPolicy {
	if len(o.AllowOrigins) == 0 {
		return nil
	}
	p := &corsPolicy{origins: map[string]bool{}, allowCredentials: o.AllowCredentials}
	for _, origin := range o.AllowOrigins {
		origin = strings.TrimSpace(origin)
		if origin == "*" {
			p.anyOrigin = true
			continue
		}
		p.origins[normalizeOrigin(origin)] = true
	}
	headers := o.AllowHeaders
	if len(headers) == 0 {
		headers = defaultCORSHeaders
	}
	for _, h := range headers {
		if strings.TrimSpace(h) == "*" {
			p.echoHeaders = true
		}
	}
	p.allowHeaders = strings.Join(headers, ", ")
	if seconds := int64(o.MaxAge / time.Second); seconds > 0 {
		p.maxAge = strconv.FormatInt(seconds, 10)
	}
	return p
}

func normalizeOrigin(origin string) string {
	return strings.ToLower(strings.TrimSuffix(origin, "/"))
}

// allowOriginValue returns the Access-Control-Allow-Origin value for the
// request's Origin, or "" when the origin is not allowed.
func (p *corsPolicy) allowOriginValue(origin string) string {
	if origin == "" {
		return ""
	}
	if p.anyOrigin {
		if p.allowCredentials {
			return origin
		}
		return "*"
	}
	if p.origins[normalizeOrigin(origin)] {
		return origin
	}
	return ""
}

// wrap answers preflight requests itself and adds CORS headers to the
// responses of next. Disallowed origins get no CORS headers, so browsers
// block them; the request itself still runs, as it would without CORS.
func (p *corsPolicy) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		origin := r.Header.Get("Origin")
		allowOrigin := p.allowOriginValue(origin)
		requestedMethod := r.Header.Get("Access-Control-Request-Method")

		if r.Method == http.MethodOptions && origin != "" && requestedMethod != "" {
			h.Add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
			h.Set("Allow", allowedMethods)
			if allowOrigin != "" && (requestedMethod == http.MethodGet || requestedMethod == http.MethodPost) {
				p.setOriginHeaders(h, allowOrigin)
				h.Set("Access-Control-Allow-Methods", corsMethods)
				if p.echoHeaders {
					if requested := r.Header.Get("Access-Control-Request-Headers"); requested != "" {
						h.Set("Access-Control-Allow-Headers", requested)
					}
				} else {
					h.Set("Access-Control-Allow-Headers", p.allowHeaders)
				}
				if p.maxAge != "" {
					h.Set("Access-Control-Max-Age", p.maxAge)
				}
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}

		// The answer depends on Origin even when there is none, so caches
		// must keep one copy per origin.
		h.Add("Vary", "Origin")
		if allowOrigin != "" {
			p.setOriginHeaders(h, allowOrigin)
		}
		next.ServeHTTP(w, r)
	})
}

func (p *corsPolicy) setOriginHeaders(h http.Header, allowOrigin string) {
	h.Set("Access-Control-Allow-Origin", allowOrigin)
	if p.allowCredentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
}
