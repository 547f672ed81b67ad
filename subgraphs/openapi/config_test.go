package openapi

import (
	"strings"
	"testing"
	"time"

	"github.com/tributary-gw/tributary"
)

func TestValidate(t *testing.T) {
	valid := func() *Config { return &Config{Spec: "./petstore.yaml"} }
	tests := []struct {
		name   string
		mutate func(c *Config)
		want   []string // "path: message fragment"; empty means valid
	}{
		{"minimal", func(c *Config) {}, nil},
		{"everything", func(c *Config) {
			c.Spec = "https://example.com/openapi.json"
			c.BaseURL = "http://localhost:8080/v1"
			c.Include, c.Exclude = []string{"listPets", "GET /pets/*"}, []string{"deletePet"}
			c.Rename, c.RootType = map[string]string{"listPets": "pets"}, map[string]string{"searchPets": "Query"}
			c.TypePrefix = "Pet"
			c.Retry = &RetryConfig{Attempts: 3, MinWait: tributary.Duration(time.Millisecond), MaxWait: tributary.Duration(time.Second), Methods: []string{"GET", "post"}}
			c.Headers = map[string]string{"X-Client": "tributary"}
			c.ForwardHeaders = []string{"X-Request-Id"}
			c.Auth = &AuthConfig{OAuth2: &OAuth2Auth{TokenURL: "https://auth/token", ClientID: "id", ClientSecret: "s"}}
			c.Entities = []EntityConfig{{Type: "User", Key: "id", Operation: "getUsers", Argument: "ids", MaxBatchSize: 50, Concurrency: 8}}
		}, nil},
		{"spec missing", func(c *Config) { c.Spec = " " }, []string{"spec: is required"}},
		{"spec bad URL", func(c *Config) { c.Spec = "ftp://x/spec.yaml" }, []string{"spec: \"ftp://x/spec.yaml\" must be an absolute http"}},
		{"baseURL relative", func(c *Config) { c.BaseURL = "/v1" }, []string{"baseURL: \"/v1\" must be an absolute http"}},
		{"empty include", func(c *Config) { c.Include = []string{""} }, []string{"include[0]: is empty"}},
		{"rename to bad name", func(c *Config) { c.Rename = map[string]string{"listPets": "list-pets"} }, []string{"rename.listPets: \"list-pets\" is not a GraphQL name"}},
		{"rootType", func(c *Config) { c.RootType = map[string]string{"x": "Subscription"} }, []string{"rootType.x: must be Query or Mutation"}},
		{"typePrefix", func(c *Config) { c.TypePrefix = "1x" }, []string{"typePrefix:"}},
		{"maxResponseBytes", func(c *Config) { c.MaxResponseBytes = -1 }, []string{"maxResponseBytes: must be greater than 0"}},
		{"retry", func(c *Config) {
			c.Retry = &RetryConfig{Attempts: 11, MinWait: tributary.Duration(time.Second), MaxWait: tributary.Duration(time.Millisecond), Methods: []string{"GET", "get", "B A D"}}
		}, []string{"retry.attempts: must be between 1 and 10", "retry.maxWait: (1ms) is shorter", "retry.methods[1]: GET is listed twice", "retry.methods[2]: \"B A D\" is not an HTTP method"}},
		{"headers", func(c *Config) {
			c.Headers = map[string]string{"Bad Name": "x", "X-A": "a\nb", "x-a": "c", "Accept-Encoding": "br", "Authorization": "Bearer x"}
			c.Auth = &AuthConfig{Bearer: &BearerAuth{Token: "t"}}
		}, []string{"headers.Accept-Encoding: \"Accept-Encoding\" is managed", "headers.Authorization: conflicts with auth", "headers.Bad Name: \"Bad Name\" is not a valid header name", "headers.X-A: value contains a control character", "headers.x-a: \"x-a\" is the same header as \"X-A\""}},
		{"forwardHeaders", func(c *Config) { c.ForwardHeaders = []string{"X-Id", "x-id", "Host"} }, []string{"forwardHeaders[1]: \"x-id\" is listed twice", "forwardHeaders[2]: \"Host\" is managed"}},
		{"forwardHeaders rename", func(c *Config) { c.ForwardHeaders = []string{"X-Token: bad name"} }, []string{"forwardHeaders[0]: upstream name"}},
		{"claimsToHeaders", func(c *Config) { c.ClaimsToHeaders = map[string]string{"Bad Name": "sub", "X-Tenant": ""} }, []string{"claimsToHeaders.Bad Name:", "claimsToHeaders.X-Tenant: names no claim"}},
		{"two auth schemes", func(c *Config) {
			c.Auth = &AuthConfig{Bearer: &BearerAuth{Token: "t"}, Basic: &BasicAuth{Username: "u"}}
		}, []string{"auth: sets bearer and basic"}},
		{"auth fields", func(c *Config) {
			c.Auth = &AuthConfig{APIKey: &APIKeyAuth{Name: "X Key", In: "body"}}
		}, []string{"auth.apiKey.name:", "auth.apiKey.in: must be header, query or cookie", "auth.apiKey.value: is required"}},
		{"oauth1 pairs", func(c *Config) {
			c.Auth = &AuthConfig{OAuth1: &OAuth1Auth{ConsumerKey: "k", ConsumerSecret: "s", Token: "t"}}
		}, []string{"auth.oauth1: token and tokenSecret go together"}},
		{"oauth2", func(c *Config) {
			c.Auth = &AuthConfig{OAuth2: &OAuth2Auth{TokenURL: "auth/token"}}
		}, []string{"auth.oauth2.tokenURL:", "auth.oauth2.clientID: is required", "auth.oauth2.clientSecret: is required"}},
		{"entities", func(c *Config) {
			c.Entities = []EntityConfig{
				{Type: "User", Key: "id", Operation: "getUser", MaxBatchSize: -1, Concurrency: -2},
				{Type: "User", Key: "org id", Operation: "getUser", Argument: "ids"},
				{Key: "a-b"},
			}
		}, []string{"entities[0].maxBatchSize:", "entities[0].concurrency:", "entities[1].argument: cannot take a compound key", "entities[1].type: type \"User\" is already an entity", "entities[2].type: is required", "entities[2].key: \"a-b\" is not a field name", "entities[2].operation: is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.mutate(c)
			err := c.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			errs, ok := err.(tributary.FieldErrors)
			if !ok {
				t.Fatalf("Validate returned %v (%T), want FieldErrors", err, err)
			}
			if len(errs) != len(tt.want) {
				t.Errorf("%d errors, want %d:\n%v", len(errs), len(tt.want), err)
			}
			for _, want := range tt.want {
				found := false
				for _, e := range errs {
					found = found || strings.HasPrefix(e.Error(), want)
				}
				if !found {
					t.Errorf("no error starting %q in:\n%v", want, err)
				}
			}
		})
	}
}

func TestValidateNeverQuotesSecrets(t *testing.T) {
	c := &Config{Spec: "./a.yaml", Auth: &AuthConfig{
		Bearer: &BearerAuth{Token: "tok-SECRET"},
		APIKey: &APIKeyAuth{Name: "k", Value: "key-SECRET\n"},
		OAuth2: &OAuth2Auth{TokenURL: "https://a/t", ClientID: "id", ClientSecret: "cs-SECRET"},
	}}
	err := c.Validate()
	if err == nil || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("Validate: %v", err)
	}
}

func TestRetryPolicyDefaults(t *testing.T) {
	p := (&Config{}).retryPolicy()
	if p.attempts != 3 || p.minWait != 100*time.Millisecond || p.maxWait != 2*time.Second {
		t.Errorf("defaults %+v", p)
	}
	for _, m := range []string{"GET", "HEAD", "OPTIONS", "PUT", "DELETE"} {
		if !p.methods[m] {
			t.Errorf("%s is not retried by default", m)
		}
	}
	if p.methods["POST"] || p.methods["PATCH"] {
		t.Error("POST or PATCH retried by default")
	}
	p = (&Config{Retry: &RetryConfig{Attempts: 1, Methods: []string{"post"}}}).retryPolicy()
	if p.attempts != 1 || !p.methods["POST"] || p.methods["GET"] {
		t.Errorf("configured %+v", p)
	}
}
