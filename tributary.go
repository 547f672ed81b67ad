// Package tributary holds the gateway's domain types: the request and response
// that every transport speaks, the subgraph a kind builds from its config
// section, and the registry of subgraph kinds.
//
// It depends on nothing but the standard library (and internal/files, the
// bounded file reader), so that transports, kinds and the engine can all
// meet here without importing each other.
package tributary

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Request is one GraphQL request as a client sent it, before parsing.
type Request struct {
	// Query is the GraphQL document.
	Query string
	// OperationName selects the operation when Query holds several.
	OperationName string
	// Variables is the JSON object of variable values, or empty.
	Variables json.RawMessage
	// Extensions is the request's extensions object, or empty.
	Extensions json.RawMessage
	// Header holds the client's request headers, for forwarding upstream.
	Header http.Header
	// QueryOnly rejects mutations and subscriptions; transports set it for
	// requests that must not change state (GraphQL-over-HTTP GET).
	QueryOnly bool
	// Files are the uploads of a GraphQL multipart request; the variables
	// hold null where each goes.
	Files []*File
	// Caller is who is asking, set by the transport or an auth layer; nil
	// for an anonymous request.
	Caller *Identity
}

// Identity is who is asking: a subject and its claims, as a transport or an
// auth layer established them. Every Source sees it, kinds forward it where
// they are told to, and two requests share an upstream fetch only when
// their identities are equal.
type Identity struct {
	// Subject identifies the caller (a JWT's "sub").
	Subject string
	// Claims are the caller's claims as decoded JSON values (strings,
	// float64, bool, []any, map[string]any).
	Claims map[string]any
}

// Claim returns a claim as a header value: a string as is, anything else
// in compact JSON. "sub" is the Subject when the claims have no "sub";
// "a.b" reads claim b of the object claim a. It reports false for an
// absent or null claim and for a nil Identity.
func (id *Identity) Claim(name string) (string, bool) {
	if id == nil || name == "" {
		return "", false
	}
	v, ok := any(id.Claims), true
	for part := range strings.SplitSeq(name, ".") {
		m, isMap := v.(map[string]any)
		if !isMap {
			ok = false
			break
		}
		if v, ok = m[part]; !ok {
			break
		}
	}
	if (!ok || v == nil) && name == "sub" && id.Subject != "" {
		return id.Subject, true
	}
	if !ok || v == nil {
		return "", false
	}
	if s, isString := v.(string); isString {
		return s, true
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", false
	}
	return string(b), true
}

// File is an uploaded file of a GraphQL multipart request
// (github.com/jaydenseric/graphql-multipart-request-spec).
type File struct {
	// VariablePath is where the file goes in the variables, as the spec's
	// map gives it without the "variables." prefix: "file",
	// "input.attachments.0".
	VariablePath string
	// Name is the client's file name.
	Name string
	// ContentType is the part's media type.
	ContentType string
	// Size is the file's length in bytes.
	Size int64
	// Path is where the transport stored the file on disk for the request's
	// lifetime.
	Path string
}

// Outcome says how far a request got, so that transports can choose a status.
type Outcome int

const (
	// Executed means the operation ran; the body has a "data" entry and may
	// carry field errors.
	Executed Outcome = iota
	// RequestInvalid means the request was rejected before execution (it did
	// not parse, validate, or pass a limit); the body has only "errors".
	RequestInvalid
	// MethodNotAllowed means a QueryOnly request named a mutation or
	// subscription.
	MethodNotAllowed
	// Failed means the gateway could not execute a valid request (for
	// example, the request's context ended); the body has only "errors".
	Failed
)

// Response is a complete GraphQL response.
type Response struct {
	// Body is the JSON response object: {"data": …, "errors": […]}.
	Body []byte
	// Outcome classifies the response for status-code mapping.
	Outcome Outcome
}

// Executor runs GraphQL requests. It knows nothing of HTTP or Lambda; the
// transports adapt their events to it.
type Executor interface {
	Execute(ctx context.Context, req *Request) *Response
}

// Error is a GraphQL error as the spec shapes it. Kinds return it from a
// Source to control the message and extensions a client sees.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// Error implements error.
func (e *Error) Error() string { return e.Message }

// SubgraphError is an Error about the subgraph named subgraph, with
// extensions.code set to code: the message is the subgraph's name, ": " and
// the formatted text.
func SubgraphError(subgraph, code, format string, args ...any) *Error {
	return &Error{
		Message:    subgraph + ": " + fmt.Sprintf(format, args...),
		Extensions: map[string]any{"code": code},
	}
}

// PartialError reports failures inside a value a Source did resolve: the
// value is used, with null where each error's Path points, and the errors
// reach the client at those places. Paths are relative to the field's (or
// entity's) value and name fields as the Source saw them in its Selection
// (field names, list indexes); the engine maps them to the client's response
// keys.
type PartialError struct {
	Errors []*Error
}

// Error implements error.
func (e *PartialError) Error() string {
	if len(e.Errors) == 0 {
		return "partial result"
	}
	return e.Errors[0].Message
}
