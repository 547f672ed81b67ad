package upstream

import (
	"fmt"
	"net/http"

	"github.com/tributary-gw/tributary"
)

// maxRedirects bounds the hops of one request under followRedirects:
// always or sameHost, as net/http's default does.
const maxRedirects = 10

// alwaysProtected are sent to the original origin only, whatever the kind
// configured.
var alwaysProtected = []string{"Authorization", "Proxy-Authorization", "Cookie", "Cookie2"}

// redirectGuard sits below the kinds' credential transports, so that it
// sees every hop as it goes on the wire. It refuses the redirects the
// policy does not allow, turning the 3xx into a *tributary.RedirectError
// before http.Client can follow it (or a caller take its body for data),
// and strips credentials and protected headers from any hop to another
// origin, including those a credential transport added again.
type redirectGuard struct {
	subgraph  string
	policy    tributary.RedirectPolicy
	protected []string // canonical names
	next      http.RoundTripper
}

func newRedirectGuard(subgraph string, o tributary.HTTPClientOptions, next http.RoundTripper) *redirectGuard {
	policy := o.FollowRedirects
	if policy == "" {
		policy = tributary.RedirectNever
	}
	protected := make([]string, 0, len(alwaysProtected)+len(o.ProtectedHeaders))
	for _, h := range append(append([]string(nil), alwaysProtected...), o.ProtectedHeaders...) {
		protected = append(protected, http.CanonicalHeaderKey(h))
	}
	return &redirectGuard{subgraph: subgraph, policy: policy, protected: protected, next: next}
}

// RoundTrip implements http.RoundTripper.
func (g *redirectGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	if tributary.RedirectedAway(req) {
		req = req.Clone(req.Context())
		g.strip(req.Header)
	}
	resp, err := g.next.RoundTrip(req)
	if err != nil || !IsRedirect(resp) {
		return resp, err
	}
	target, err := req.URL.Parse(resp.Header.Get("Location"))
	if err != nil {
		return resp, nil // http.Client reports the bad Location
	}
	if g.policy == tributary.RedirectAlways ||
		g.policy == tributary.RedirectSameHost && tributary.SameOrigin(originOf(req).URL, target) {
		return resp, nil
	}
	resp.Body.Close()
	shown := *target
	shown.RawQuery, shown.Fragment, shown.User = "", "", nil
	return nil, &tributary.RedirectError{Subgraph: g.subgraph, Status: resp.StatusCode, Location: shown.String(), Policy: g.policy}
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the pool.
func (g *redirectGuard) CloseIdleConnections() {
	if c, ok := g.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

func (g *redirectGuard) strip(h http.Header) {
	for _, name := range g.protected {
		h.Del(name)
	}
}

// checkRedirect is http.Client.CheckRedirect: it bounds the hops and strips
// the protected headers from a hop to another origin (net/http copies the
// first request's headers to every hop, and strips only Authorization and
// cookies, and only for another domain).
func (g *redirectGuard) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	if !tributary.SameOrigin(via[0].URL, req.URL) {
		g.strip(req.Header)
	}
	return nil
}

// IsRedirect reports a response http.Client would follow. Below a client's
// CheckRedirect, a transport that sees one must pass it on as it is: the
// redirect guard has let it through.
func IsRedirect(resp *http.Response) bool {
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return resp.Header.Get("Location") != ""
	}
	return false
}

// originOf returns the request that started req's redirect chain.
func originOf(req *http.Request) *http.Request {
	for req.Response != nil && req.Response.Request != nil {
		req = req.Response.Request
	}
	return req
}
