package openapi

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/tributary-gw/tributary"
)

// fieldErrors collects a section's problems.
type fieldErrors tributary.FieldErrors

func (errs *fieldErrors) add(path, format string, args ...any) {
	*errs = append(*errs, &tributary.FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (errs fieldErrors) err() error {
	if len(errs) == 0 {
		return nil
	}
	return tributary.FieldErrors(errs)
}

// Validate checks the section. Paths in the returned FieldErrors are relative
// to the section. Messages never quote credentials.
func (c *Config) Validate() error {
	var errs fieldErrors
	if msg := checkSpecLocation(c.Spec); msg != "" {
		errs.add("spec", "%s", msg)
	}
	if c.BaseURL != "" {
		if msg := checkHTTPURL(c.BaseURL, "http://localhost:8080/v1"); msg != "" {
			errs.add("baseURL", "%s", msg)
		}
	}
	checkPatterns(&errs, "include", c.Include)
	checkPatterns(&errs, "exclude", c.Exclude)
	for _, id := range slices.Sorted(maps.Keys(c.Rename)) {
		if !isGraphQLName(c.Rename[id]) {
			errs.add("rename."+id, "%q is not a GraphQL name: use letters, digits and _, not starting with a digit or __ (e.g. \"pets\")", c.Rename[id])
		}
	}
	for _, id := range slices.Sorted(maps.Keys(c.RootType)) {
		if v := c.RootType[id]; v != "Query" && v != "Mutation" {
			errs.add("rootType."+id, "must be Query or Mutation, not %q", v)
		}
	}
	if c.TypePrefix != "" && !isGraphQLName(c.TypePrefix) {
		errs.add("typePrefix", "%q is not a GraphQL name prefix: use letters, digits and _, starting with a letter (e.g. \"Pet\")", c.TypePrefix)
	}
	if c.MaxURLBytes < 0 {
		errs.add("maxURLBytes", "must be greater than 0 (e.g. 8192)")
	}
	if !c.FollowRedirects.Valid() {
		errs.add("followRedirects", "%q is not a policy; write never, sameHost or always", c.FollowRedirects)
	}
	if c.MaxResponseBytes < 0 {
		errs.add("maxResponseBytes", "must be greater than 0 (e.g. 16777216 for 16 MiB)")
	}
	c.CircuitBreaker.Validate("circuitBreaker.", errs.add)
	if c.Retry != nil {
		c.Retry.validate(&errs)
	}
	checkHeaders(&errs, c.Headers, c.Auth)
	checkForwardHeaders(&errs, c.ForwardHeaders)
	checkClaimsToHeaders(&errs, c.ClaimsToHeaders)
	if c.Auth != nil {
		c.Auth.validate(&errs)
	}
	seen := map[string]int{}
	for i := range c.Entities {
		path := fmt.Sprintf("entities[%d]", i)
		e := &c.Entities[i]
		e.validate(&errs, path)
		if e.Type == "" {
			continue
		}
		if first, dup := seen[e.Type]; dup {
			errs.add(path+".type", "type %q is already an entity at entities[%d]; list each type once", e.Type, first)
		}
		seen[e.Type] = i
	}
	return errs.err()
}

func (r *RetryConfig) validate(errs *fieldErrors) {
	if r.Attempts < 0 || r.Attempts > maxAttempts {
		errs.add("retry.attempts", "must be between 1 and %d (1 means no retry), not %d", maxAttempts, r.Attempts)
	}
	if r.MinWait > 0 && r.MaxWait > 0 && r.MaxWait < r.MinWait {
		errs.add("retry.maxWait", "(%s) is shorter than retry.minWait (%s); make it at least as long", r.MaxWait.Std(), r.MinWait.Std())
	}
	if r.Budget < 0 || r.Budget > 1 {
		errs.add("retry.budget", "%v is out of range; want a share above 0 and at most 1, e.g. 0.2", r.Budget)
	}
	seen := map[string]bool{}
	for i, m := range r.Methods {
		path := fmt.Sprintf("retry.methods[%d]", i)
		if m == "" || !isToken(m) {
			errs.add(path, "%q is not an HTTP method (e.g. GET, PUT, POST)", m)
			continue
		}
		if up := upperASCII(m); seen[up] {
			errs.add(path, "%s is listed twice; remove one", up)
		} else {
			seen[up] = true
		}
	}
}

func (a *AuthConfig) validate(errs *fieldErrors) {
	var set []string
	if a.Bearer != nil {
		set = append(set, "bearer")
		if a.Bearer.Token == "" {
			errs.add("auth.bearer.token", `is required (e.g. "${API_TOKEN}")`)
		}
	}
	if a.Basic != nil {
		set = append(set, "basic")
		if a.Basic.Username == "" {
			errs.add("auth.basic.username", "is required")
		}
		if strings.Contains(a.Basic.Username, ":") {
			errs.add("auth.basic.username", "must not contain a colon (RFC 7617)")
		}
	}
	if k := a.APIKey; k != nil {
		set = append(set, "apiKey")
		if k.Name == "" {
			errs.add("auth.apiKey.name", `is required (e.g. "X-API-Key")`)
		} else if !isToken(k.Name) {
			errs.add("auth.apiKey.name", "%q is not a valid header, parameter or cookie name (use letters, digits and -_.)", k.Name)
		}
		if k.In != "" && k.In != "header" && k.In != "query" && k.In != "cookie" {
			errs.add("auth.apiKey.in", "must be header, query or cookie, not %q", k.In)
		}
		if k.Value == "" {
			errs.add("auth.apiKey.value", `is required (e.g. "${API_KEY}")`)
		} else if !validHeaderValue(k.Value) {
			errs.add("auth.apiKey.value", "contains a control character (line break, NUL…); the key must be a single line")
		}
	}
	if o := a.OAuth1; o != nil {
		set = append(set, "oauth1")
		if o.ConsumerKey == "" {
			errs.add("auth.oauth1.consumerKey", "is required")
		}
		if o.ConsumerSecret == "" {
			errs.add("auth.oauth1.consumerSecret", "is required")
		}
		if (o.Token == "") != (o.TokenSecret == "") {
			errs.add("auth.oauth1", "token and tokenSecret go together: set both (user context) or neither (application only)")
		}
	}
	if o := a.OAuth2; o != nil {
		set = append(set, "oauth2")
		if o.TokenURL == "" {
			errs.add("auth.oauth2.tokenURL", `is required (e.g. "https://auth.example.com/oauth/token")`)
		} else if msg := checkHTTPURL(o.TokenURL, "https://auth.example.com/oauth/token"); msg != "" {
			errs.add("auth.oauth2.tokenURL", "%s", msg)
		}
		if o.ClientID == "" {
			errs.add("auth.oauth2.clientID", "is required")
		}
		if o.ClientSecret == "" {
			errs.add("auth.oauth2.clientSecret", "is required")
		}
	}
	if len(set) > 1 {
		errs.add("auth", "sets %s; a subgraph authenticates one way, keep one", strings.Join(set, " and "))
	}
}

func (e *EntityConfig) validate(errs *fieldErrors, path string) {
	if e.Type == "" {
		errs.add(path+".type", `is required: the generated GraphQL type to make an entity (e.g. "User")`)
	}
	if strings.TrimSpace(e.Key) == "" {
		errs.add(path+".key", `is required: the type's key field(s) (e.g. "id")`)
	} else {
		for _, f := range strings.Fields(e.Key) {
			if !isGraphQLName(f) {
				errs.add(path+".key", "%q is not a field name; write field names separated by spaces (e.g. \"id\" or \"owner name\")", f)
			}
		}
	}
	if e.Operation == "" {
		errs.add(path+".operation", `is required: the operationId that fetches the entity (e.g. "getUsersByIds")`)
	}
	if e.Argument != "" && len(strings.Fields(e.Key)) > 1 {
		errs.add(path+".argument", "cannot take a compound key (%q); leave argument unset so that each key field feeds the operation's argument of the same name", e.Key)
	}
	if e.MaxBatchSize < 0 {
		errs.add(path+".maxBatchSize", "must be greater than 0 (e.g. 50)")
	}
	if e.Concurrency < 0 {
		errs.add(path+".concurrency", "must be greater than 0 (e.g. 8)")
	}
}

// checkSpecLocation returns what is wrong with spec, or "".
func checkSpecLocation(spec string) string {
	if strings.TrimSpace(spec) == "" {
		return `is required: a file path or http(s) URL of the OpenAPI document (e.g. "./petstore.yaml")`
	}
	if strings.Contains(spec, "://") {
		return checkHTTPURL(spec, "https://example.com/openapi.json")
	}
	return ""
}

// checkHTTPURL returns what is wrong with raw as an absolute http(s) URL, or "".
func checkHTTPURL(raw, example string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Sprintf("%q is not a URL; write an absolute http or https URL (e.g. %q)", raw, example)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Sprintf("%q must be an absolute http or https URL (e.g. %q)", raw, example)
	}
	if u.Host == "" {
		return fmt.Sprintf("%q has no host; write an absolute http or https URL (e.g. %q)", raw, example)
	}
	return ""
}

func checkPatterns(errs *fieldErrors, key string, patterns []string) {
	for i, p := range patterns {
		if strings.TrimSpace(p) == "" {
			errs.add(fmt.Sprintf("%s[%d]", key, i), `is empty; write an operationId or "METHOD /path" (e.g. "GET /pets/*")`)
		}
	}
}

// clientManagedHeaders are set by the HTTP client per connection or body;
// Accept-Encoding too, because setting it turns off transparent gzip.
var clientManagedHeaders = map[string]bool{
	"Accept-Encoding": true, "Connection": true, "Content-Length": true, "Host": true,
	"Keep-Alive": true, "Proxy-Authenticate": true, "Proxy-Authorization": true,
	"Proxy-Connection": true, "Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
}

// checkClaimsToHeaders checks the claim headers: valid header names, each
// with a claim.
func checkClaimsToHeaders(errs *fieldErrors, claims map[string]string) {
	for _, name := range slices.Sorted(maps.Keys(claims)) {
		path := "claimsToHeaders." + name
		if msg := checkHeaderName(name); msg != "" {
			errs.add(path, "%s", msg)
		} else if strings.TrimSpace(claims[name]) == "" {
			errs.add(path, "names no claim; write the claim to send, e.g. sub")
		}
	}
}

// checkHeaderName returns what is wrong with name as a header to send, or "".
func checkHeaderName(name string) string {
	if name == "" || !isToken(name) {
		return fmt.Sprintf("%q is not a valid header name (use letters, digits and !#$%%&'*+-.^_`|~, e.g. \"X-Request-Id\")", name)
	}
	if clientManagedHeaders[http.CanonicalHeaderKey(name)] {
		return fmt.Sprintf("%q is managed by the HTTP client and cannot be set or forwarded; remove it", name)
	}
	return ""
}

func checkHeaders(errs *fieldErrors, headers map[string]string, auth *AuthConfig) {
	seen := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(headers)) {
		path := "headers." + name
		if msg := checkHeaderName(name); msg != "" {
			errs.add(path, "%s", msg)
			continue
		}
		key := http.CanonicalHeaderKey(name)
		if first, dup := seen[key]; dup {
			errs.add(path, "%q is the same header as %q (names are case-insensitive); keep one", name, first)
			continue
		}
		seen[key] = name
		if !validHeaderValue(headers[name]) {
			errs.add(path, "value contains a control character (line break, NUL…); header values must be a single line")
		}
		if key == "Authorization" && auth != nil {
			errs.add(path, "conflicts with auth, which sets Authorization; remove one")
		}
	}
}

func checkForwardHeaders(errs *fieldErrors, names []string) {
	seen := map[string]int{}
	for i, entry := range names {
		path := fmt.Sprintf("forwardHeaders[%d]", i)
		name, upstream, renamed := strings.Cut(entry, ":")
		name, upstream = strings.TrimSpace(name), strings.TrimSpace(upstream)
		if msg := checkHeaderName(name); msg != "" {
			errs.add(path, "%s", msg)
			continue
		}
		if renamed {
			if msg := checkHeaderName(upstream); msg != "" {
				errs.add(path, "upstream name: %s (write \"Client-Name: Upstream-Name\")", msg)
				continue
			}
		}
		key := http.CanonicalHeaderKey(name)
		if first, dup := seen[key]; dup {
			errs.add(path, "%q is listed twice (also at forwardHeaders[%d]); header names are case-insensitive, remove one", name, first)
			continue
		}
		seen[key] = i
	}
}

// isToken reports whether s is an HTTP token (RFC 9110 §5.6.2).
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
		if !ok {
			return false
		}
	}
	return s != ""
}

// validHeaderValue reports whether v has no control character but tab.
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// isGraphQLName reports whether s is a GraphQL name not reserved by
// introspection.
func isGraphQLName(s string) bool {
	if s == "" || strings.HasPrefix(s, "__") || ('0' <= s[0] && s[0] <= '9') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

func upperASCII(s string) string { return strings.ToUpper(s) }
