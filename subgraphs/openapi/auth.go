package openapi

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/tributary-gw/tributary"
)

// authError is a failure to obtain credentials; it is not retried.
type authError struct{ msg string }

func (e *authError) Error() string { return e.msg }

// withAuth wraps base so that every attempt, retries included, carries the
// configured credentials. A nil auth returns base.
func withAuth(a *AuthConfig, base http.RoundTripper, now func() time.Time) http.RoundTripper {
	switch {
	case a == nil:
		return base
	case a.Bearer != nil:
		token := "Bearer " + a.Bearer.Token
		return setRequest(base, func(r *http.Request) { r.Header.Set("Authorization", token) })
	case a.Basic != nil:
		user, pass := a.Basic.Username, a.Basic.Password
		return setRequest(base, func(r *http.Request) { r.SetBasicAuth(user, pass) })
	case a.APIKey != nil:
		return apiKeyTransport(a.APIKey, base)
	case a.OAuth1 != nil:
		return oauth1Transport(a.OAuth1, base)
	case a.OAuth2 != nil:
		return &oauth2Transport{base: base, tokens: newClientCredentials(a.OAuth2, base, now)}
	}
	return base
}

// requestSetter adds credentials to a copy of each request.
type requestSetter struct {
	base http.RoundTripper
	set  func(*http.Request)
}

func setRequest(base http.RoundTripper, set func(*http.Request)) http.RoundTripper {
	return &requestSetter{base: base, set: set}
}

// RoundTrip implements http.RoundTripper.
func (t *requestSetter) RoundTrip(req *http.Request) (*http.Response, error) {
	if tributary.RedirectedAway(req) {
		return t.base.RoundTrip(req) // credentials stay with the service
	}
	// A RoundTripper must not change the caller's request.
	r := req.Clone(req.Context())
	t.set(r)
	return t.base.RoundTrip(r)
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the pool.
func (t *requestSetter) CloseIdleConnections() { closeIdleConnections(t.base) }

// closeIdleConnections closes rt's idle connections, if it pools any.
func closeIdleConnections(rt http.RoundTripper) {
	if c, ok := rt.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

func apiKeyTransport(k *APIKeyAuth, base http.RoundTripper) http.RoundTripper {
	name, value := k.Name, k.Value
	switch k.In {
	case "query":
		return setRequest(base, func(r *http.Request) {
			q := r.URL.Query()
			q.Set(name, value)
			r.URL.RawQuery = q.Encode()
		})
	case "cookie":
		return setRequest(base, func(r *http.Request) { r.AddCookie(&http.Cookie{Name: name, Value: value}) })
	}
	return setRequest(base, func(r *http.Request) { r.Header.Set(name, value) })
}

// oauth1Transport signs each request with HMAC-SHA1 (RFC 5849), query
// parameters and form bodies included, using dghubble/oauth1.
func oauth1Transport(a *OAuth1Auth, base http.RoundTripper) http.RoundTripper {
	config := oauth1.NewConfig(a.ConsumerKey, a.ConsumerSecret)
	ctx := context.WithValue(context.Background(), oauth1.HTTPClient, &http.Client{Transport: base})
	signer := oauth1.NewClient(ctx, config, oauth1.NewToken(a.Token, a.TokenSecret)).Transport
	return &oauth1Signer{RoundTripper: signer, base: base}
}

// oauth1Signer is oauth1's transport, which does not pass
// CloseIdleConnections on to the pool it sends through.
type oauth1Signer struct {
	http.RoundTripper
	base http.RoundTripper
}

// RoundTrip signs req, unless it is a redirect hop to another host, which
// gets no signature.
func (t *oauth1Signer) RoundTrip(req *http.Request) (*http.Response, error) {
	if tributary.RedirectedAway(req) {
		return t.base.RoundTrip(req)
	}
	return t.RoundTripper.RoundTrip(req)
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the pool.
func (t *oauth1Signer) CloseIdleConnections() { closeIdleConnections(t.base) }

// oauth2Transport sends a client-credentials bearer token, and once asks for
// a fresh token and resends when the service answers 401.
type oauth2Transport struct {
	base   http.RoundTripper
	tokens *clientCredentials
}

// RoundTrip implements http.RoundTripper.
func (t *oauth2Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if tributary.RedirectedAway(req) {
		return t.base.RoundTrip(req) // no token for another host
	}
	token, err := t.tokens.token(req.Context(), "")
	if err != nil {
		return nil, err
	}
	resp, err := t.send(req, token)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		return resp, nil // the body cannot be replayed
	}
	fresh, err := t.tokens.token(req.Context(), token)
	if err != nil {
		return resp, nil // report the 401 rather than the refresh failure
	}
	retry := req.Clone(req.Context())
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return resp, nil
		}
		retry.Body = body
	}
	resp.Body.Close()
	return t.send(retry, fresh)
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the pool,
// which the token requests share.
func (t *oauth2Transport) CloseIdleConnections() { closeIdleConnections(t.base) }

func (t *oauth2Transport) send(req *http.Request, token string) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+token)
	return t.base.RoundTrip(r)
}

// describeAuth names the configured scheme for logs, without secrets.
func describeAuth(a *AuthConfig) string {
	switch {
	case a == nil:
		return "none"
	case a.Bearer != nil:
		return "bearer"
	case a.Basic != nil:
		return "basic"
	case a.APIKey != nil:
		return fmt.Sprintf("apiKey in %s %q", defaultString(a.APIKey.In, "header"), a.APIKey.Name)
	case a.OAuth1 != nil:
		return "oauth1"
	case a.OAuth2 != nil:
		return "oauth2"
	}
	return "none"
}

func defaultString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
