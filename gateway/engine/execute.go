package engine

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/cespare/xxhash/v2"
	"github.com/wundergraph/astjson"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/ast"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/datasource/httpclient"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/plan"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/resolve"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/operationreport"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/variablesvalidation"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/gateway/limits"
)

var validators = sync.Pool{New: func() any {
	return variablesvalidation.NewVariablesValidator(variablesvalidation.VariablesValidatorOptions{})
}}

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Execute implements tributary.Executor.
func (e *Engine) Execute(ctx context.Context, req *tributary.Request) *tributary.Response {
	ctx, span := e.tracer.Start(ctx, "graphql.operation")
	defer span.End()
	resp := e.execute(ctx, req)
	e.finishErrors(ctx, resp)
	if resp.Outcome != tributary.Executed {
		span.SetStatus(codes.Error, "request rejected")
	}
	return resp
}

func (e *Engine) execute(ctx context.Context, req *tributary.Request) *tributary.Response {
	if strings.TrimSpace(req.Query) == "" {
		return badRequest("the request has no query").response()
	}
	var clientVars *astjson.Value
	if len(req.Variables) > 0 && !bytes.Equal(bytes.TrimSpace(req.Variables), []byte("null")) {
		v, err := astjson.ParseBytes(req.Variables)
		if err != nil || v.Type() != astjson.TypeObject {
			return badRequest("variables must be a JSON object").response()
		}
		clientVars = v
	}
	key := cacheKey(req.Query, req.OperationName, clientVars, req.Variables)
	op, ok := e.cache.get(key)
	if !ok {
		pctx, span := e.tracer.Start(ctx, "graphql.prepare")
		if v := e.opts.Limits.CheckTokens(req.Query); v != nil {
			span.End()
			return (&requestError{errors: []gqlError{{Message: v.Message, Extensions: map[string]any{"code": v.Code}}}}).response()
		}
		var rerr *requestError
		op, rerr = e.prepare(pctx, req.Query, req.OperationName, req.Variables)
		span.End()
		if rerr != nil {
			return rerr.response()
		}
		e.cache.put(key, op, preparedSize(req.Query, op))
	}
	if req.QueryOnly && op.opType != ast.OperationTypeQuery {
		return &tributary.Response{Outcome: tributary.MethodNotAllowed, Body: errorBody([]gqlError{{
			Message:    "only queries may be sent with GET; send mutations and subscriptions with POST",
			Extensions: map[string]any{"code": "METHOD_NOT_ALLOWED"},
		}})}
	}
	variables := op.variables(clientVars)
	var err error
	if setsNone(clientVars) {
		once := &op.withoutClientVars
		once.once.Do(func() { once.err = e.validateVariables(op, variables) })
		err = once.err
	} else {
		err = e.validateVariables(op, variables)
	}
	if err != nil {
		return variablesError(err).response()
	}
	sync, ok := op.plan.(*plan.SynchronousResponsePlan)
	if !ok {
		return badRequest("subscriptions are served over WebSocket, not over this transport").response()
	}

	ctx, span := e.tracer.Start(ctx, "graphql.execute")
	defer span.End()
	var remoteFiles []*httpclient.FileUpload
	if len(req.Files) > 0 {
		ups := op.uploads(req.Files)
		ctx = withUploads(ctx, ups)
		if len(e.opts.Subgraphs) > len(e.sources) && len(ups) > 0 {
			var cleanup func()
			remoteFiles, cleanup = remoteUploads(ups)
			defer cleanup()
		}
	}
	ctx, callerHash := withCaller(ctx, req.Caller)
	rctx := resolve.NewContext(ctx)
	// Non-nil Files make the resolver send every fetch to a remote
	// GraphQL subgraph as a multipart request with these files.
	rctx.Files = remoteFiles
	rctx.Variables, err = astjson.ParseBytes(variables)
	if err != nil {
		return internalError(err).response()
	}
	if rerr := checkVariableValues(op.doc, e.schema, rctx.Variables); rerr != nil {
		return rerr.response()
	}
	if max := e.opts.Limits.MaxCost; max > 0 {
		if cost := estimateCost(op.plan, rctx.Variables); cost > max {
			return (&requestError{errors: []gqlError{{
				Message:    fmt.Sprintf("the operation's estimated cost is %d, over the limit of %d (limits.maxCost); ask for fewer items or fields", cost, max),
				Extensions: map[string]any{"code": limits.CodeCost, "cost": cost, "maxCost": max},
			}}}).response()
		}
	}
	rctx.Request.Header = req.Header
	// Identical concurrent queries share one execution: the resolver keys
	// it by the operation, the variables and HashAll of the headers.
	rctx.Request.ID = op.hash
	rctx.VariablesHash = xxhash.Sum64(variables)
	rctx.ExecutionOptions.DisableInboundRequestDeduplication = !e.opts.ShareRequests || len(req.Files) > 0
	if !rctx.ExecutionOptions.DisableInboundRequestDeduplication {
		rctx.GetDeduplicationData, rctx.SetDeduplicationData = leaderShares, e.followerShared
	}
	rctx.SubgraphHeadersBuilder = &subgraphHeaders{engine: e, client: req.Header, identity: req.Caller, caller: callerHash}
	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer releaseBuffer(buf)
	out := &limitedBuffer{buf: buf, max: e.opts.MaxResponseBytes}
	if _, err := e.resolver.ArenaResolveGraphQLResponse(rctx, sync.Response, out); err != nil {
		span.RecordError(err)
		if out.exceeded {
			return responseTooLarge(e.opts.MaxResponseBytes).response()
		}
		if ctx.Err() != nil {
			return cancelledError().response()
		}
		return internalError(err).response()
	}
	span.SetAttributes(attribute.Int("graphql.response.bytes", buf.Len()))
	return &tributary.Response{Outcome: tributary.Executed, Body: finishValues(buf.Bytes(), sync.Response.Data)}
}

// leaderShares marks a shared execution's result, so that each follower
// is counted (the resolver tells followers only of non-nil shared data).
func leaderShares(context.Context) any { return sharedMark }

var sharedMark any = struct{}{}

// SharedResponses counts the requests answered from another identical
// request's execution (Options.ShareRequests).
func (e *Engine) SharedResponses() int64 { return e.shared.Load() }

// subgraphHeaders gives each subgraph the client headers it may see: for
// remote GraphQL the configured forward list and the caller's claims it is
// told to send, for in-process sources all of them (their kinds choose
// what to send on). The hash it returns keys the sharing of identical
// in-flight fetches, so it covers the caller's identity too.
type subgraphHeaders struct {
	engine   *Engine
	client   http.Header
	identity *tributary.Identity
	caller   uint64 // identityHash of the request's caller, 0 if anonymous
}

func (h *subgraphHeaders) HeadersForSubgraph(name string) (http.Header, uint64) {
	header, hash := h.headersForSubgraph(name)
	return header, h.withCaller(hash)
}

// withCaller mixes the caller's identity into a header hash.
func (h *subgraphHeaders) withCaller(hash uint64) uint64 {
	if h.caller == 0 {
		return hash
	}
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], hash)
	binary.LittleEndian.PutUint64(b[8:], h.caller)
	return xxhash.Sum64(b[:])
}

func (h *subgraphHeaders) headersForSubgraph(name string) (http.Header, uint64) {
	if h.engine.sources[name] {
		return h.client, headerHash(h.client, nil)
	}
	names, claims := h.engine.forward[name], h.engine.claims[name]
	if len(names) == 0 && (len(claims) == 0 || h.identity == nil) {
		return nil, 0
	}
	out := make(http.Header, len(names)+len(claims))
	for _, n := range names {
		if v := h.client.Values(n); len(v) > 0 {
			out[http.CanonicalHeaderKey(n)] = v
		}
	}
	for header, claim := range claims {
		if v, ok := h.identity.Claim(claim); ok {
			out[header] = []string{v}
		}
	}
	if len(claims) > 0 {
		names = nil // hash every header sent
	}
	return out, headerHash(out, names)
}

// HashAll hashes every header any subgraph may receive, for the resolver's
// de-duplication of identical inbound requests.
func (h *subgraphHeaders) HashAll() uint64 {
	if len(h.engine.sources) > 0 {
		return h.withCaller(headerHash(h.client, nil))
	}
	d := xxhash.New()
	for _, name := range slices.Sorted(maps.Keys(h.engine.forward)) {
		_, hash := h.HeadersForSubgraph(name)
		_, _ = fmt.Fprintf(d, "%s=%d;", name, hash)
	}
	return h.withCaller(d.Sum64())
}

func headerHash(h http.Header, names []string) uint64 {
	if len(h) == 0 {
		return 0
	}
	if names == nil {
		for k := range h {
			names = append(names, k)
		}
		sort.Strings(names)
	}
	d := xxhash.New()
	for _, n := range names {
		_, _ = d.WriteString(n)
		for _, v := range h.Values(n) {
			_, _ = d.WriteString(":" + v)
		}
		_, _ = d.WriteString("\n")
	}
	return d.Sum64()
}

// gqlError is a request-level GraphQL error.
type gqlError struct {
	Message    string         `json:"message"`
	Locations  []location     `json:"locations,omitempty"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

type location struct {
	Line   uint32 `json:"line"`
	Column uint32 `json:"column"`
}

// requestError rejects a request before execution.
type requestError struct {
	errors   []gqlError
	internal bool
	// planFailed is set for a valid operation that did not plan: it is
	// answered with data null (see plan_failures.go).
	planFailed *plannedOperation
}

func (r *requestError) response() *tributary.Response {
	if r.planFailed != nil {
		return &tributary.Response{Outcome: tributary.Executed, Body: r.planFailed.body()}
	}
	outcome := tributary.RequestInvalid
	if r.internal {
		outcome = tributary.Failed
	}
	return &tributary.Response{Outcome: outcome, Body: errorBody(r.errors)}
}

func errorBody(errs []gqlError) []byte {
	b, err := json.Marshal(struct {
		Errors []gqlError `json:"errors"`
	}{errs})
	if err != nil {
		return []byte(`{"errors":[{"message":"internal error rendering errors"}]}`)
	}
	return b
}

// cancelledError answers a request whose context ended before it completed.
func cancelledError() *requestError {
	return &requestError{internal: true, errors: []gqlError{{
		Message: "the request was cancelled or timed out before it completed", Extensions: map[string]any{"code": "REQUEST_TIMEOUT"},
	}}}
}

func badRequest(msg string) *requestError {
	return &requestError{errors: []gqlError{{Message: msg, Extensions: map[string]any{"code": "BAD_REQUEST"}}}}
}

func internalError(err error) *requestError {
	return &requestError{internal: true, errors: []gqlError{{
		Message: fmt.Sprintf("internal gateway error: %v", err), Extensions: map[string]any{"code": "INTERNAL_SERVER_ERROR"},
	}}}
}

func variablesError(err error) *requestError {
	msg := err.Error()
	var report operationreport.Report
	if errors.As(err, &report) && len(report.ExternalErrors) > 0 {
		return reportError(report, "BAD_USER_INPUT")
	}
	return &requestError{errors: []gqlError{{Message: msg, Extensions: map[string]any{"code": "BAD_USER_INPUT"}}}}
}

// reportError converts the library's report into spec-shaped errors.
func reportError(report operationreport.Report, code string) *requestError {
	r := &requestError{}
	for _, ex := range report.ExternalErrors {
		g := gqlError{Message: ex.Message, Extensions: map[string]any{"code": code}}
		if ex.ExtensionCode != "" {
			g.Extensions["code"] = ex.ExtensionCode
		}
		for _, l := range ex.Locations {
			g.Locations = append(g.Locations, location{Line: l.Line, Column: l.Column})
		}
		r.errors = append(r.errors, g)
	}
	if len(r.errors) == 0 {
		r.internal = true
		for _, ie := range report.InternalErrors {
			r.errors = append(r.errors, gqlError{Message: "internal gateway error: " + ie.Error(),
				Extensions: map[string]any{"code": "INTERNAL_SERVER_ERROR"}})
		}
	}
	if len(r.errors) == 0 {
		r.errors = append(r.errors, gqlError{Message: "the operation could not be prepared", Extensions: map[string]any{"code": code}})
	}
	return r
}

// validateVariables checks variables, the request's after normalization,
// against op's variable definitions.
func (e *Engine) validateVariables(op *preparedOperation, variables []byte) error {
	validator := validators.Get().(*variablesvalidation.VariablesValidator)
	defer validators.Put(validator)
	return validator.Validate(op.doc, e.schema, variables)
}

// setsNone reports whether a request's variables (nil when it sent none)
// set no variable.
func setsNone(clientVars *astjson.Value) bool {
	if clientVars == nil {
		return true
	}
	o, err := clientVars.Object()
	return err == nil && o.Len() == 0
}
