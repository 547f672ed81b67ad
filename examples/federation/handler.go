package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/graphql-go/graphql"
)

// maxRequestBytes bounds a request body; large _entities batches fit.
const maxRequestBytes = 4 << 20

// graphQLRequest is the JSON body of a GraphQL-over-HTTP POST.
type graphQLRequest struct {
	Query         string          `json:"query"`
	OperationName string          `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
}

// requestError is a request rejected before execution.
type requestError struct {
	status  int
	message string
}

// serveHTTP answers one GraphQL request. Requests are counted and recorded
// before anything else, so that tests see every attempt a gateway made.
func (s *Service) serveHTTP(w http.ResponseWriter, r *http.Request) {
	req, variables, rejected := readRequest(w, r)
	status, fail := s.admit(RecordedRequest{
		Query:         req.Query,
		OperationName: req.OperationName,
		Variables:     req.Variables,
		Header:        r.Header.Clone(),
	})
	if fail {
		writeErrors(w, status, fmt.Sprintf("%s: injected failure (HTTP %d, set by FailNext)", s.Name, status))
		return
	}
	if rejected != nil {
		if rejected.status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", http.MethodPost)
		}
		writeErrors(w, rejected.status, s.Name+": "+rejected.message)
		return
	}
	body, err := json.Marshal(s.execute(r.Context(), req, variables))
	if err != nil {
		writeErrors(w, http.StatusInternalServerError, fmt.Sprintf("%s: encode response: %v", s.Name, err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

// execute runs a decoded request, as graphql.Do would, but with the
// document from the cache.
func (s *Service) execute(ctx context.Context, req graphQLRequest, variables map[string]any) *graphql.Result {
	doc, errs := s.documents.prepare(&s.schema, req.Query)
	if errs != nil {
		return &graphql.Result{Errors: errs}
	}
	return graphql.Execute(graphql.ExecuteParams{
		Schema:        s.schema,
		AST:           doc,
		OperationName: req.OperationName,
		Args:          variables,
		Context:       ctx,
	})
}

// readRequest decodes and checks a GraphQL POST. It returns what it could
// decode even when it rejects the request, for the request log.
func readRequest(w http.ResponseWriter, r *http.Request) (graphQLRequest, map[string]any, *requestError) {
	var req graphQLRequest
	if r.Method != http.MethodPost {
		return req, nil, &requestError{http.StatusMethodNotAllowed,
			fmt.Sprintf("method %s is not allowed; POST a JSON GraphQL request", r.Method)}
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mediaType, _, err := mime.ParseMediaType(ct)
		if err != nil || mediaType != "application/json" {
			return req, nil, &requestError{http.StatusUnsupportedMediaType,
				fmt.Sprintf("content type %q is not supported; send application/json", ct)}
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		if maxErr := (*http.MaxBytesError)(nil); errors.As(err, &maxErr) {
			return req, nil, &requestError{http.StatusRequestEntityTooLarge,
				fmt.Sprintf("request body is larger than %d bytes", maxRequestBytes)}
		}
		return req, nil, &requestError{http.StatusBadRequest, fmt.Sprintf("read request body: %v", err)}
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return graphQLRequest{}, nil, &requestError{http.StatusBadRequest,
			fmt.Sprintf("request body is not a JSON object with \"query\": %v", err)}
	}
	if strings.TrimSpace(req.Query) == "" {
		return req, nil, &requestError{http.StatusBadRequest, "request has no query; set \"query\" to a GraphQL document"}
	}
	if depth := nestingDepth(req.Query); depth > maxQueryNesting {
		return req, nil, &requestError{http.StatusBadRequest,
			fmt.Sprintf("query nests %d levels deep; the limit is %d", depth, maxQueryNesting)}
	}
	var variables map[string]any
	if len(req.Variables) > 0 {
		if err := json.Unmarshal(req.Variables, &variables); err != nil {
			return req, nil, &requestError{http.StatusBadRequest,
				fmt.Sprintf("\"variables\" must be a JSON object or null: %v", err)}
		}
	}
	return req, variables, nil
}

// writeErrors answers with a GraphQL error body and no data.
func writeErrors(w http.ResponseWriter, status int, message string) {
	body, _ := json.Marshal(map[string]any{"errors": []map[string]string{{"message": message}}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
