package openapi

import (
	"time"

	"github.com/tributary-gw/tributary"
)

// Defaults applied when a key is absent or zero.
const (
	defaultTimeout          = 10 * time.Second
	defaultMaxResponseBytes = 16 << 20
	// defaultMaxURLBytes is what common servers and proxies accept in a
	// request line (nginx's default buffer is 8 KiB).
	defaultMaxURLBytes  = 8 << 10
	defaultAttempts     = 3
	defaultMinWait      = 100 * time.Millisecond
	defaultMaxWait      = 2 * time.Second
	defaultMaxBatchSize = 50
	defaultConcurrency  = 8
	// maxAttempts bounds retry.attempts: more tries only delay the error.
	maxAttempts = 10
)

// defaultRetryMethods are the idempotent methods RFC 9110 lets a client
// repeat without asking.
var defaultRetryMethods = []string{"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}

// Config is the `openapi:` section of a subgraph in gateway.yaml.
type Config struct {
	// Spec is the OpenAPI document: a file path or an http(s) URL.
	Spec string `yaml:"spec,omitempty" doc:"The OpenAPI 2.0, 3.0 or 3.1 document (YAML or JSON): a file path, relative to gateway.yaml's directory, or an http(s) URL." required:"true"`
	// BaseURL overrides the spec's servers.
	BaseURL string `yaml:"baseURL,omitempty" doc:"The service's base URL, e.g. http://localhost:8080/v1; overrides the spec's servers and is required when the spec has none."`
	// Include limits the operations to those matching one of its patterns.
	Include []string `yaml:"include,omitempty" doc:"Operations to expose, by operationId or \"METHOD /path\" pattern (* matches any run of characters, / included); unset means all."`
	// Exclude removes matching operations.
	Exclude []string `yaml:"exclude,omitempty" doc:"Operations to leave out, by operationId or \"METHOD /path\" pattern; applied after include."`
	// Rename maps operationIds to GraphQL field names.
	Rename map[string]string `yaml:"rename,omitempty" doc:"GraphQL field names by operationId, replacing the generated ones."`
	// RootType maps operationIds to "Query" or "Mutation".
	RootType map[string]string `yaml:"rootType,omitempty" doc:"Root type (Query or Mutation) by operationId, overriding the choice by HTTP method."`
	// TypePrefix is prepended to every generated type name.
	TypePrefix string `yaml:"typePrefix,omitempty" doc:"A prefix for every generated GraphQL type name, to keep two specs' types apart."`
	// Timeout bounds one HTTP request (one attempt).
	Timeout tributary.Duration `yaml:"timeout,omitempty" doc:"Bound on one HTTP request to the service, each retry counted separately; 0 or unset means the default." default:"10s"`
	// MaxResponseBytes bounds a response body.
	MaxResponseBytes int64 `yaml:"maxResponseBytes,omitempty" doc:"Largest response body accepted, in bytes (after gzip decoding); a larger one is an error." default:"16777216"`
	// MaxURLBytes bounds the URL of a request, query included.
	MaxURLBytes int `yaml:"maxURLBytes,omitempty" doc:"Longest request URL sent, in bytes, query string included; a request that would be longer is an error at its field and is not sent." default:"8192"`
	// FollowRedirects says which HTTP redirects of the service are followed.
	FollowRedirects tributary.RedirectPolicy `yaml:"followRedirects,omitempty" doc:"Which HTTP redirects to follow: never (a 3xx is an error), sameHost (same scheme, host and port only) or always. Credentials, headers, forwarded headers and claims are never sent to another host." default:"never" enum:"never,sameHost,always"`
	// Retry configures retries of failed requests.
	Retry *RetryConfig `yaml:"retry,omitempty" doc:"Retries of requests that failed to connect or got 429 or 5xx."`
	// CircuitBreaker stops calling a service that keeps failing.
	CircuitBreaker *tributary.CircuitBreakerConfig `yaml:"circuitBreaker,omitempty" doc:"Stops calling the service for a while when most requests fail; on by default."`
	// Headers are sent with every request.
	Headers map[string]string `yaml:"headers,omitempty" doc:"Static headers sent with every request to the service."`
	// ForwardHeaders names client request headers copied upstream.
	ForwardHeaders []string `yaml:"forwardHeaders,omitempty" doc:"Client request headers copied to the service, e.g. X-Request-Id; write \"X-Client-Token: X-Api-Token\" to send one under another name."`
	// ClaimsToHeaders sends the caller's claims to the service.
	ClaimsToHeaders map[string]string `yaml:"claimsToHeaders,omitempty" doc:"Claims of the request's caller sent to the service as headers: header name to claim name, e.g. {X-User-Id: sub}; a.b names a nested claim; a caller without the claim sends no header."`
	// Auth authenticates requests; at most one scheme is set.
	Auth *AuthConfig `yaml:"auth,omitempty" doc:"How requests authenticate; set at most one scheme."`
	// Entities makes generated types entities resolved by an operation.
	Entities []EntityConfig `yaml:"entities,omitempty" doc:"Declarative joins: generated types made entities, each with its key and the operation that fetches it."`
}

// RetryConfig is the `retry:` section.
type RetryConfig struct {
	// Attempts is the total number of tries, first included.
	Attempts int `yaml:"attempts,omitempty" doc:"Total requests sent per call, the first included, connection resets counted; 1 means no retry. A retry, and the wait before it, is only started when it can end before the request's deadline." default:"3"`
	// MinWait is the first backoff.
	MinWait tributary.Duration `yaml:"minWait,omitempty" doc:"Wait before the first retry; it doubles with each retry, with jitter." default:"100ms"`
	// MaxWait caps a backoff, including one asked for by Retry-After.
	MaxWait tributary.Duration `yaml:"maxWait,omitempty" doc:"Longest wait between tries, also capping the service's Retry-After." default:"2s"`
	// Budget is the share of calls that may be retried.
	Budget float64 `yaml:"budget,omitempty" doc:"Share of the service's calls that may be retried (0.2: one retry for every five calls, plus five a second), so that a failing service is not sent ever more requests." default:"0.2"`
	// Methods lists the HTTP methods that may be retried.
	Methods []string `yaml:"methods,omitempty" doc:"HTTP methods that are retried; POST and PATCH only when listed." default:"GET,HEAD,OPTIONS,PUT,DELETE"`
}

// AuthConfig is the `auth:` section: one scheme.
type AuthConfig struct {
	// Bearer sends "Authorization: Bearer <token>".
	Bearer *BearerAuth `yaml:"bearer,omitempty" doc:"Send Authorization: Bearer <token>."`
	// Basic sends HTTP basic credentials.
	Basic *BasicAuth `yaml:"basic,omitempty" doc:"Send HTTP basic credentials."`
	// APIKey sends a key in a header, query parameter or cookie.
	APIKey *APIKeyAuth `yaml:"apiKey,omitempty" doc:"Send an API key in a header, query parameter or cookie."`
	// OAuth1 signs requests with OAuth 1.0a HMAC-SHA1.
	OAuth1 *OAuth1Auth `yaml:"oauth1,omitempty" doc:"Sign every request with OAuth 1.0a HMAC-SHA1 (RFC 5849)."`
	// OAuth2 gets tokens with the client-credentials grant.
	OAuth2 *OAuth2Auth `yaml:"oauth2,omitempty" doc:"Get bearer tokens with the OAuth 2.0 client-credentials grant; cached and refreshed before expiry."`
}

// BearerAuth is `auth.bearer`.
type BearerAuth struct {
	Token string `yaml:"token,omitempty" doc:"The token; use ${ENV} to keep it out of the file." required:"true"`
}

// BasicAuth is `auth.basic`.
type BasicAuth struct {
	Username string `yaml:"username,omitempty" doc:"The user name." required:"true"`
	Password string `yaml:"password,omitempty" doc:"The password; use ${ENV} to keep it out of the file."`
}

// APIKeyAuth is `auth.apiKey`.
type APIKeyAuth struct {
	Name  string `yaml:"name,omitempty" doc:"The header, query parameter or cookie name, e.g. X-API-Key." required:"true"`
	In    string `yaml:"in,omitempty" doc:"Where the key goes." default:"header" enum:"header,query,cookie"`
	Value string `yaml:"value,omitempty" doc:"The key; use ${ENV} to keep it out of the file." required:"true"`
}

// OAuth1Auth is `auth.oauth1`.
type OAuth1Auth struct {
	ConsumerKey    string `yaml:"consumerKey,omitempty" doc:"The consumer (API) key." required:"true"`
	ConsumerSecret string `yaml:"consumerSecret,omitempty" doc:"The consumer (API) secret." required:"true"`
	Token          string `yaml:"token,omitempty" doc:"The access token."`
	TokenSecret    string `yaml:"tokenSecret,omitempty" doc:"The access token secret."`
}

// OAuth2Auth is `auth.oauth2`.
type OAuth2Auth struct {
	TokenURL     string   `yaml:"tokenURL,omitempty" doc:"The token endpoint, an http(s) URL." required:"true"`
	ClientID     string   `yaml:"clientID,omitempty" doc:"The client ID." required:"true"`
	ClientSecret string   `yaml:"clientSecret,omitempty" doc:"The client secret." required:"true"`
	Scopes       []string `yaml:"scopes,omitempty" doc:"Scopes to ask for."`
	Audience     string   `yaml:"audience,omitempty" doc:"The audience parameter some providers (Auth0) require."`
}

// EntityConfig is one item of `entities`.
type EntityConfig struct {
	// Type is the generated GraphQL type made an entity.
	Type string `yaml:"type,omitempty" doc:"The GraphQL type, as generated from the spec, to make an entity." required:"true"`
	// Key is the @key field set: one or more space-separated field names.
	Key string `yaml:"key,omitempty" doc:"Its @key: one field name, or several separated by spaces." required:"true"`
	// Operation is the operationId that fetches the entity.
	Operation string `yaml:"operation,omitempty" doc:"The operationId that fetches the entity by key." required:"true"`
	// Argument is the operation's argument that receives the key.
	Argument string `yaml:"argument,omitempty" doc:"The operation's GraphQL argument that takes the key value (a list argument takes many); unset means each key field feeds the argument of the same name."`
	// MaxBatchSize bounds the keys per call when Argument is a list.
	MaxBatchSize int `yaml:"maxBatchSize,omitempty" doc:"Most keys per call when the argument is a list." default:"50"`
	// Concurrency bounds the calls in flight for one batch.
	Concurrency int `yaml:"concurrency,omitempty" doc:"Most calls in flight at once for one batch of representations." default:"8"`
}

func (c *Config) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout.Std()
	}
	return defaultTimeout
}

func (c *Config) maxResponseBytes() int64 {
	if c.MaxResponseBytes > 0 {
		return c.MaxResponseBytes
	}
	return defaultMaxResponseBytes
}

func (c *Config) maxURLBytes() int {
	if c.MaxURLBytes > 0 {
		return c.MaxURLBytes
	}
	return defaultMaxURLBytes
}

// retryPolicy returns the effective retry settings, defaults applied.
func (c *Config) retryPolicy() retryPolicy {
	p := retryPolicy{attempts: defaultAttempts, minWait: defaultMinWait, maxWait: defaultMaxWait, methods: map[string]bool{}}
	methods := defaultRetryMethods
	if r := c.Retry; r != nil {
		p.budget = r.Budget
		if r.Attempts > 0 {
			p.attempts = r.Attempts
		}
		if r.MinWait > 0 {
			p.minWait = r.MinWait.Std()
		}
		if r.MaxWait > 0 {
			p.maxWait = r.MaxWait.Std()
		}
		if len(r.Methods) > 0 {
			methods = r.Methods
		}
	}
	if p.maxWait < p.minWait {
		p.maxWait = p.minWait
	}
	for _, m := range methods {
		p.methods[upperASCII(m)] = true
	}
	return p
}

func (e *EntityConfig) maxBatchSize() int {
	if e.MaxBatchSize > 0 {
		return e.MaxBatchSize
	}
	return defaultMaxBatchSize
}

func (e *EntityConfig) concurrency() int {
	if e.Concurrency > 0 {
		return e.Concurrency
	}
	return defaultConcurrency
}
