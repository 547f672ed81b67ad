package engine

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"

	"github.com/wundergraph/astjson"

	"github.com/tributary-gw/tributary"
)

// ErrorOptions says what clients see of errors from subgraphs and from the
// gateway's internals.
type ErrorOptions struct {
	// Mask replaces the message of every upstream or internal error with a
	// generic one carrying extensions.errorId, and logs the original with
	// that id. Errors about the request itself are never masked.
	Mask bool
	// AllowExtensions lists error extensions passed to clients although
	// they look like debugging output (stack, exception, trace).
	AllowExtensions []string
	// ExposeSubgraphDetails puts the details of a failed subgraph call
	// (the URL, the connection error, the status and the start of the
	// body) in the messages clients see; they are always logged. Meant
	// for development. Masked errors never show them.
	ExposeSubgraphDetails bool
}

// Messages of masked errors.
const (
	upstreamErrorMessage = "an upstream error occurred"
	internalErrorMessage = "internal error"
)

// errorsPrefix starts every body with errors that the resolver or
// errorBody renders; a body without it has no errors and is not parsed.
var errorsPrefix = []byte(`{"errors":`)

// finishErrors is the one place where errors leave the engine for an
// executed or failed request: it places entity errors, reports failed
// subgraph calls (subgraph_failures.go), drops debugging extensions
// (stack, exception, trace) that are not allowed and, when masking,
// replaces the message of upstream and internal errors. Bodies of
// rejected requests (validation, limits) never come here. A body without
// errors is returned as is, after one prefix comparison.
func (e *Engine) finishErrors(ctx context.Context, resp *tributary.Response) {
	if resp.Outcome == tributary.RequestInvalid || resp.Outcome == tributary.MethodNotAllowed || !bytes.HasPrefix(resp.Body, errorsPrefix) {
		return
	}
	body, err := astjson.ParseBytes(resp.Body)
	if err != nil {
		return
	}
	placeEntityErrors(body)
	errs := body.GetArray("errors")
	failures := e.takeFailures(errs)
	var failed map[*astjson.Value]bool
	if len(failures) > 0 {
		failed = map[*astjson.Value]bool{}
	}
	for _, r := range failures {
		for _, er := range r.errors {
			failed[er] = true
		}
	}
	for _, er := range errs {
		e.finishError(ctx, er, !failed[er])
	}
	e.logFailures(ctx, failures)
	resp.Body = body.MarshalTo(nil)
}

// finishError drops an error's debugging extensions and masks it. A masked
// error is logged unless logMasked is false: a failed subgraph call's
// errors are logged with their failure, errorIds included.
func (e *Engine) finishError(ctx context.Context, er *astjson.Value, logMasked bool) {
	if ext := er.GetObject("extensions"); ext != nil {
		var drop []string
		ext.Visit(func(key []byte, _ *astjson.Value) {
			if looksLikeDebugOutput(string(key)) && !e.allowedExtension(string(key)) {
				drop = append(drop, string(key))
			}
		})
		for _, k := range drop {
			ext.Del(k)
		}
	}
	if !e.opts.Errors.Mask {
		return
	}
	message := string(er.GetStringBytes("message"))
	code := string(er.GetStringBytes("extensions", "code"))
	service := string(er.GetStringBytes("extensions", "serviceName"))
	var generic string
	switch {
	case service != "" || strings.HasPrefix(message, "Failed to fetch from Subgraph"):
		generic = upstreamErrorMessage
		if code == "" {
			code = "DOWNSTREAM_SERVICE_ERROR"
		}
	case isGatewayMessage(message, code):
		return
	default:
		generic = internalErrorMessage
		if code == "" {
			code = "INTERNAL_SERVER_ERROR"
		}
	}
	id := newErrorID()
	if logMasked {
		attrs := []any{"errorId", id, "message", message, "code", code}
		if service != "" {
			attrs = append(attrs, "subgraph", service)
		}
		if p := er.Get("path"); p != nil {
			attrs = append(attrs, "path", string(p.MarshalTo(nil)))
		}
		if x := er.Get("extensions"); x != nil {
			attrs = append(attrs, "extensions", string(x.MarshalTo(nil)))
		}
		e.opts.Logger.WarnContext(ctx, "masked error", attrs...)
	}

	er.Set(nil, "message", astjson.StringValue(nil, generic))
	ext := astjson.ObjectValue(nil)
	ext.Set(nil, "code", astjson.StringValue(nil, code))
	ext.Set(nil, "errorId", astjson.StringValue(nil, id))
	for _, k := range e.opts.Errors.AllowExtensions {
		if v := er.Get("extensions", k); v != nil && k != "code" && k != "errorId" {
			ext.Set(nil, k, v)
		}
	}
	er.Set(nil, "extensions", ext)
}

// isGatewayMessage reports whether an error in an executed response is
// one the gateway wrote about the shape of the data, whose message holds
// no upstream text, or is about the request (its deadline).
func isGatewayMessage(message, code string) bool {
	return code == "REQUEST_TIMEOUT" || code == codePlanFailed ||
		strings.HasPrefix(message, "Cannot return null for non-nullable field") ||
		message == errNotInt.Error() || message == errNotFloat.Error() ||
		message == errNotUTF8 || message == errNotBoolean
}

// looksLikeDebugOutput reports whether an error extension is a stack
// trace, an exception or a trace of the upstream's internals.
func looksLikeDebugOutput(key string) bool {
	k := strings.ToLower(key)
	return strings.Contains(k, "stack") || strings.Contains(k, "exception") || strings.Contains(k, "trace")
}

func (e *Engine) allowedExtension(key string) bool {
	for _, k := range e.opts.Errors.AllowExtensions {
		if k == key {
			return true
		}
	}
	return false
}

// newErrorID returns a random id that joins a masked error to its log
// record.
func newErrorID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
