package lambda

import (
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// Every authorizer API Gateway can put in front of the function yields
// the caller's subject and claims; no authorizer yields an anonymous
// caller.
func TestAuthorizerIdentities(t *testing.T) {
	tests := []struct {
		name    string
		rest    map[string]any
		httpAPI *events.APIGatewayV2HTTPRequestContextAuthorizerDescription
		subject string
		claim   [2]string
	}{
		{name: "REST, no authorizer"},
		{name: "REST, only API Gateway's latency", rest: map[string]any{"integrationLatency": 3}},
		{name: "REST, Cognito", rest: map[string]any{"claims": map[string]any{"sub": "u-1", "email": "a@example.com"}},
			subject: "u-1", claim: [2]string{"email", "a@example.com"}},
		{name: "REST, Lambda authorizer", rest: map[string]any{"principalId": "p-1", "tenant": "acme", "integrationLatency": 3},
			subject: "p-1", claim: [2]string{"tenant", "acme"}},
		{name: "HTTP API payload 1.0, JWT", rest: map[string]any{"jwt": map[string]any{"claims": map[string]any{"sub": "j-1", "scope": "read"}, "scopes": nil}},
			subject: "j-1", claim: [2]string{"scope", "read"}},
		{name: "HTTP API payload 1.0, Lambda authorizer", rest: map[string]any{"lambda": map[string]any{"sub": "l-1", "tier": "gold"}},
			subject: "l-1", claim: [2]string{"tier", "gold"}},
		{name: "HTTP API, no authorizer", httpAPI: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{}},
		{name: "HTTP API, JWT", httpAPI: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{"sub": "j-2", "org": "o-1"}}},
			subject: "j-2", claim: [2]string{"org", "o-1"}},
		{name: "HTTP API, Lambda authorizer", httpAPI: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			Lambda: map[string]any{"principalId": "l-2", "roles": []any{"admin"}}},
			subject: "l-2", claim: [2]string{"roles", `["admin"]`}},
		{name: "Function URL, IAM", httpAPI: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			IAM: &events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription{UserARN: "arn:aws:iam::1:user/a", AccountID: "1"}},
			subject: "arn:aws:iam::1:user/a", claim: [2]string{"accountId", "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := restCaller(tt.rest)
			if tt.httpAPI != nil {
				id = httpAPICaller(tt.httpAPI)
			}
			if tt.subject == "" {
				if id != nil {
					t.Fatalf("caller %+v, want anonymous", id)
				}
				return
			}
			if id == nil || id.Subject != tt.subject {
				t.Fatalf("caller %+v, want subject %q", id, tt.subject)
			}
			if got, _ := id.Claim(tt.claim[0]); got != tt.claim[1] {
				t.Errorf("claim %s = %q, want %q", tt.claim[0], got, tt.claim[1])
			}
		})
	}
}
