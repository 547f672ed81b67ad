package lambda

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
	tributary "github.com/tributary-gw/tributary"
)

// callerKey keys the authorizer's identity in a request's context.
type callerKey struct{}

// withCaller puts id into ctx; nil (no authorizer) leaves ctx as it is.
func withCaller(ctx context.Context, id *tributary.Identity) context.Context {
	if id == nil {
		return ctx
	}
	return context.WithValue(ctx, callerKey{}, id)
}

// CallerFrom returns the identity an API Gateway authorizer established for
// the request whose context is ctx, or nil.
func CallerFrom(ctx context.Context) *tributary.Identity {
	id, _ := ctx.Value(callerKey{}).(*tributary.Identity)
	return id
}

// CallerExecutor wraps next so that each request's Caller is the identity
// the event's authorizer established (CallerFrom), unless a layer in front
// already set one. The HTTP handler passes the request's context on to the
// executor, which is how the identity crosses it untouched.
func CallerExecutor(next tributary.Executor) tributary.Executor {
	return callerExecutor{next}
}

type callerExecutor struct{ next tributary.Executor }

// Execute implements tributary.Executor.
func (e callerExecutor) Execute(ctx context.Context, req *tributary.Request) *tributary.Response {
	if req.Caller == nil {
		req.Caller = CallerFrom(ctx)
	}
	return e.next.Execute(ctx, req)
}

// restCaller is the identity of a REST API authorizer: a Cognito user pool
// (or, in an HTTP API's payload format 1.0, JWT) authorizer's claims
// (subject "sub"), or a Lambda authorizer's context (subject its
// principalId, else "sub"). API Gateway's own integrationLatency is not a
// claim.
func restCaller(authorizer map[string]any) *tributary.Identity {
	// HTTP APIs sending payload format 1.0 nest their authorizers' output.
	if jwt, ok := authorizer["jwt"].(map[string]any); ok {
		authorizer = jwt
	} else if lambda, ok := authorizer["lambda"].(map[string]any); ok {
		authorizer = lambda
	}
	if claims, ok := authorizer["claims"].(map[string]any); ok {
		sub, _ := claims["sub"].(string)
		return &tributary.Identity{Subject: sub, Claims: claims}
	}
	claims := make(map[string]any, len(authorizer))
	for k, v := range authorizer {
		if k != "integrationLatency" {
			claims[k] = v
		}
	}
	if len(claims) == 0 {
		return nil
	}
	sub, _ := claims["principalId"].(string)
	if sub == "" {
		sub, _ = claims["sub"].(string)
	}
	return &tributary.Identity{Subject: sub, Claims: claims}
}

// httpAPICaller is the identity of an HTTP API or Function URL authorizer:
// a JWT authorizer's claims (which API Gateway passes as strings), a Lambda
// authorizer's context, or the IAM caller.
func httpAPICaller(a *events.APIGatewayV2HTTPRequestContextAuthorizerDescription) *tributary.Identity {
	switch {
	case a == nil:
		return nil
	case a.JWT != nil && len(a.JWT.Claims) > 0:
		claims := make(map[string]any, len(a.JWT.Claims))
		for k, v := range a.JWT.Claims {
			claims[k] = v
		}
		return &tributary.Identity{Subject: a.JWT.Claims["sub"], Claims: claims}
	case len(a.Lambda) > 0:
		sub, _ := a.Lambda["sub"].(string)
		if sub == "" {
			sub, _ = a.Lambda["principalId"].(string)
		}
		return &tributary.Identity{Subject: sub, Claims: a.Lambda}
	case a.IAM != nil && a.IAM.UserARN != "":
		return &tributary.Identity{Subject: a.IAM.UserARN, Claims: map[string]any{
			"accountId": a.IAM.AccountID, "userArn": a.IAM.UserARN, "userId": a.IAM.UserID, "callerId": a.IAM.CallerID,
		}}
	}
	return nil
}
