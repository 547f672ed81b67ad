package lambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// event is one decoded HTTP event: it makes the request the HTTP handler
// serves, and shapes the recorded response as its trigger expects.
type event interface {
	kind() string
	request(ctx context.Context) (*http.Request, error)
	response(w *responseRecorder) any
}

// eventShape holds the fields that tell the event shapes apart.
type eventShape struct {
	Version        string `json:"version"`
	HTTPMethod     string `json:"httpMethod"`
	RequestContext struct {
		ELB  json.RawMessage `json:"elb"`
		HTTP json.RawMessage `json:"http"`
	} `json:"requestContext"`
}

// decodeEvent recognises the event's shape and decodes it: ALB events
// carry requestContext.elb; HTTP API (v2) and Function URL events are
// version "2.0" with requestContext.http; REST API events, and HTTP API
// events in payload format 1.0, carry httpMethod at the top. The payload is
// decoded twice (shape, then event); a body is at most Lambda's 6 MB.
func decodeEvent(payload []byte) (event, error) {
	var shape eventShape
	if err := json.Unmarshal(payload, &shape); err != nil {
		return nil, fmt.Errorf("lambda: %w: the event is not a JSON object (%v); invoke the function through API Gateway, a Function URL or an ALB", ErrUnsupportedEvent, err)
	}
	switch {
	case shape.RequestContext.ELB != nil:
		ev := &albEvent{}
		return ev, decodeAs(payload, &ev.ALBTargetGroupRequest, ev.kind())
	case shape.Version == "2.0" && shape.RequestContext.HTTP != nil:
		ev := &httpAPIEvent{}
		return ev, decodeAs(payload, &ev.APIGatewayV2HTTPRequest, "HTTP API")
	case shape.HTTPMethod != "":
		ev := &restEvent{}
		return ev, decodeAs(payload, &ev.APIGatewayProxyRequest, ev.kind())
	}
	var keys map[string]json.RawMessage
	_ = json.Unmarshal(payload, &keys)
	return nil, fmt.Errorf("lambda: %w: the event (keys %v) is not an API Gateway REST API or HTTP API event, a Function URL event or an ALB target-group event; "+
		"this function serves GraphQL over HTTP only, so point one of those triggers at it", ErrUnsupportedEvent, slices.Sorted(maps.Keys(keys)))
}

func decodeAs(payload []byte, v any, kind string) error {
	if err := json.Unmarshal(payload, v); err != nil {
		return fmt.Errorf("lambda: the %s event does not decode: %w", kind, err)
	}
	return nil
}

// newRequest makes the HTTP request of an event.
func newRequest(ctx context.Context, method, path, rawQuery string, header http.Header, body string, isBase64 bool, host, sourceIP string) (*http.Request, error) {
	b := []byte(body)
	if isBase64 {
		var err error
		if b, err = base64.StdEncoding.DecodeString(body); err != nil {
			return nil, fmt.Errorf("the body is marked isBase64Encoded but does not decode: %w", err)
		}
	}
	if path == "" {
		path = "/"
	}
	r, err := http.NewRequestWithContext(ctx, method, "/", bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("method %q: %w", method, err)
	}
	r.URL = &url.URL{Path: path, RawQuery: rawQuery}
	r.RequestURI = r.URL.RequestURI()
	r.Header = header
	r.Host = header.Get("Host")
	if r.Host == "" {
		r.Host = host
	}
	if sourceIP != "" {
		r.RemoteAddr = sourceIP + ":0"
	}
	return r, nil
}

// headerOf merges an event's single- and multi-value headers; the
// multi-value ones win, as API Gateway and ALB send both with the same
// content when both are present.
func headerOf(single map[string]string, multi map[string][]string) http.Header {
	h := make(http.Header, max(len(single), len(multi)))
	for name, values := range multi {
		for _, v := range values {
			h.Add(name, v)
		}
	}
	for name, v := range single {
		if _, ok := multi[name]; !ok {
			h.Add(name, v)
		}
	}
	return h
}

// hopByHop are headers about the connection between a client and the
// server it talks to, which in Lambda is API Gateway or the ALB: they are
// not passed on.
var hopByHop = []string{"Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade"}

// responseHeader is the recorded header without hop-by-hop fields.
func responseHeader(w *responseRecorder) http.Header {
	h := w.header
	for _, name := range hopByHop {
		h.Del(name)
	}
	return h
}

// joinedHeaders flattens h into one value per name, comma-joined as HTTP
// allows, leaving out names in skip.
func joinedHeaders(h http.Header, skip string) map[string]string {
	out := make(map[string]string, len(h))
	for name, values := range h {
		if name != skip && len(values) > 0 {
			out[name] = strings.Join(values, ", ")
		}
	}
	return out
}

// restEvent is an API Gateway REST API proxy event (payload format 1.0,
// which HTTP APIs can send too).
type restEvent struct{ events.APIGatewayProxyRequest }

func (*restEvent) kind() string { return "API Gateway REST API" }

func (e *restEvent) request(ctx context.Context) (*http.Request, error) {
	// API Gateway decodes the query parameters; encode them again.
	query := url.Values{}
	for k, vs := range e.MultiValueQueryStringParameters {
		query[k] = vs
	}
	for k, v := range e.QueryStringParameters {
		if _, ok := query[k]; !ok {
			query[k] = []string{v}
		}
	}
	ctx = withCaller(ctx, restCaller(e.RequestContext.Authorizer))
	return newRequest(ctx, e.HTTPMethod, e.Path, query.Encode(), headerOf(e.Headers, e.MultiValueHeaders),
		e.Body, e.IsBase64Encoded, e.RequestContext.DomainName, e.RequestContext.Identity.SourceIP)
}

func (e *restEvent) response(w *responseRecorder) any {
	body, isBase64 := w.eventBody()
	return events.APIGatewayProxyResponse{
		StatusCode:        w.statusCode(),
		MultiValueHeaders: responseHeader(w),
		Body:              body,
		IsBase64Encoded:   isBase64,
	}
}

// httpAPIEvent is an API Gateway HTTP API event in payload format 2.0, or a
// Lambda Function URL event, which has the same shape.
type httpAPIEvent struct{ events.APIGatewayV2HTTPRequest }

func (e *httpAPIEvent) kind() string {
	if strings.Contains(e.RequestContext.DomainName, ".lambda-url.") {
		return "Function URL"
	}
	return "HTTP API"
}

func (e *httpAPIEvent) request(ctx context.Context) (*http.Request, error) {
	header := headerOf(e.Headers, nil)
	if len(e.Cookies) > 0 {
		header.Set("Cookie", strings.Join(e.Cookies, "; "))
	}
	// On a named stage the raw path starts with the stage; the gateway's
	// paths do not.
	path := e.RawPath
	if stage := e.RequestContext.Stage; stage != "" && stage != "$default" {
		if rest, ok := strings.CutPrefix(path, "/"+stage); ok && (rest == "" || rest[0] == '/') {
			path = rest
		}
	}
	ctx = withCaller(ctx, httpAPICaller(e.RequestContext.Authorizer))
	return newRequest(ctx, e.RequestContext.HTTP.Method, path, e.RawQueryString, header,
		e.Body, e.IsBase64Encoded, e.RequestContext.DomainName, e.RequestContext.HTTP.SourceIP)
}

// response uses the Function URL response shape, which payload format 2.0
// shares: one value per header, cookies apart.
func (e *httpAPIEvent) response(w *responseRecorder) any {
	body, isBase64 := w.eventBody()
	h := responseHeader(w)
	return events.LambdaFunctionURLResponse{
		StatusCode:      w.statusCode(),
		Headers:         joinedHeaders(h, "Set-Cookie"),
		Body:            body,
		IsBase64Encoded: isBase64,
		Cookies:         h.Values("Set-Cookie"),
	}
}

// albEvent is an Application Load Balancer target-group event.
type albEvent struct{ events.ALBTargetGroupRequest }

func (*albEvent) kind() string { return "ALB" }

func (e *albEvent) request(ctx context.Context) (*http.Request, error) {
	// Unlike API Gateway, the ALB passes query parameters as the client
	// encoded them.
	var query []string
	if e.MultiValueQueryStringParameters != nil {
		for _, k := range slices.Sorted(maps.Keys(e.MultiValueQueryStringParameters)) {
			for _, v := range e.MultiValueQueryStringParameters[k] {
				query = append(query, k+"="+v)
			}
		}
	} else {
		for _, k := range slices.Sorted(maps.Keys(e.QueryStringParameters)) {
			query = append(query, k+"="+e.QueryStringParameters[k])
		}
	}
	return newRequest(ctx, e.HTTPMethod, e.Path, strings.Join(query, "&"), headerOf(e.Headers, e.MultiValueHeaders),
		e.Body, e.IsBase64Encoded, "", "")
}

// response answers in the header shape the request came in: a target group
// with multi-value headers enabled requires multiValueHeaders back.
func (e *albEvent) response(w *responseRecorder) any {
	body, isBase64 := w.eventBody()
	status := w.statusCode()
	resp := events.ALBTargetGroupResponse{
		StatusCode:        status,
		StatusDescription: fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Body:              body,
		IsBase64Encoded:   isBase64,
	}
	if e.MultiValueHeaders != nil {
		resp.MultiValueHeaders = responseHeader(w)
	} else {
		resp.Headers = joinedHeaders(responseHeader(w), "")
	}
	return resp
}
