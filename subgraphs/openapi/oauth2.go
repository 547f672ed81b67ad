package openapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// tokenRefreshMargin is how long before its expiry a token is replaced, so
// that it does not expire in flight.
const tokenRefreshMargin = 30 * time.Second

// tokenRequestTimeout bounds one call to the token endpoint.
const tokenRequestTimeout = 10 * time.Second

// clientCredentials holds an OAuth 2.0 client-credentials token (RFC 6749
// §4.4), fetched on first use, cached until shortly before it expires, and
// refreshed by one caller at a time while the others wait.
type clientCredentials struct {
	cfg    OAuth2Auth
	client *http.Client
	now    func() time.Time

	// lock is a one-slot semaphore rather than a mutex, so that a waiting
	// caller can give up when its context ends.
	lock    chan struct{}
	current string
	// expires is when current must be replaced; zero means only on a 401.
	expires time.Time
}

func newClientCredentials(cfg *OAuth2Auth, rt http.RoundTripper, now func() time.Time) *clientCredentials {
	return &clientCredentials{
		cfg:    *cfg,
		client: &http.Client{Transport: rt, Timeout: tokenRequestTimeout},
		now:    now,
		lock:   make(chan struct{}, 1),
	}
}

// token returns a valid token. stale, when not empty, is a token the
// service rejected: a cached token equal to it is replaced.
func (c *clientCredentials) token(ctx context.Context, stale string) (string, error) {
	select {
	case c.lock <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-c.lock }()

	fresh := c.current != "" && c.current != stale && (c.expires.IsZero() || c.now().Before(c.expires))
	if fresh {
		return c.current, nil
	}
	token, lifetime, err := c.fetch(ctx)
	if err != nil {
		return "", err
	}
	c.current = token
	c.expires = time.Time{}
	if lifetime > 0 {
		c.expires = c.now().Add(lifetime - tokenRefreshMargin)
	}
	return token, nil
}

// tokenResponse is the token endpoint's answer (RFC 6749 §5.1, §5.2).
type tokenResponse struct {
	AccessToken      string          `json:"access_token"`
	TokenType        string          `json:"token_type"`
	ExpiresIn        json.RawMessage `json:"expires_in"`
	Error            string          `json:"error"`
	ErrorDescription string          `json:"error_description"`
}

// fetch asks the token endpoint for a token and its lifetime.
func (c *clientCredentials) fetch(ctx context.Context) (string, time.Duration, error) {
	form := url.Values{"grant_type": {"client_credentials"}}
	if len(c.cfg.Scopes) > 0 {
		form.Set("scope", strings.Join(c.cfg.Scopes, " "))
	}
	if c.cfg.Audience != "" {
		form.Set("audience", c.cfg.Audience)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, &authError{msg: fmt.Sprintf("oauth2: bad tokenURL: %v", err)}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	// RFC 6749 §2.3.1: the credentials are form-encoded before basic auth.
	req.SetBasicAuth(url.QueryEscape(c.cfg.ClientID), url.QueryEscape(c.cfg.ClientSecret))

	resp, err := c.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return "", 0, ctx.Err()
		}
		return "", 0, &authError{msg: fmt.Sprintf("oauth2: cannot reach the token endpoint %s: %v", c.cfg.TokenURL, innermost(err))}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", 0, &authError{msg: fmt.Sprintf("oauth2: reading the token endpoint's answer: %v", err)}
	}
	var tr tokenResponse
	jsonErr := json.Unmarshal(body, &tr)
	if resp.StatusCode/100 != 2 {
		msg := fmt.Sprintf("oauth2: the token endpoint %s answered HTTP %d", c.cfg.TokenURL, resp.StatusCode)
		if jsonErr == nil && tr.Error != "" {
			msg += ": " + tr.Error
			if tr.ErrorDescription != "" {
				msg += " (" + tr.ErrorDescription + ")"
			}
		}
		return "", 0, &authError{msg: msg + "; check auth.oauth2's clientID, clientSecret and scopes"}
	}
	if jsonErr != nil || tr.AccessToken == "" {
		return "", 0, &authError{msg: fmt.Sprintf("oauth2: the token endpoint %s answered without an access_token in a JSON object", c.cfg.TokenURL)}
	}
	var lifetime time.Duration
	// Some providers send expires_in as a string.
	if secs, err := strconv.ParseFloat(strings.Trim(string(tr.ExpiresIn), `"`), 64); err == nil && secs > 0 {
		lifetime = time.Duration(secs * float64(time.Second))
	}
	return tr.AccessToken, lifetime, nil
}
