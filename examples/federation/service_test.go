package federation

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func TestCallsAndRequests(t *testing.T) {
	s := Accounts()
	if s.Calls() != 0 || len(s.Requests()) != 0 {
		t.Fatalf("new service has %d calls, %d requests", s.Calls(), len(s.Requests()))
	}
	req := httptest.NewRequest(http.MethodPost, Path,
		strings.NewReader(`{"query": "query Me($x: ID!) { user(id: $x) { id } }", "operationName": "Me", "variables": {"x": "2"}}`))
	req.Header.Set("Authorization", "Bearer token-1")
	s.Handler.ServeHTTP(httptest.NewRecorder(), req)
	execute(t, s, `{ me { id } }`, "")
	post(t, s, `not json`)

	if got := s.Calls(); got != 3 {
		t.Errorf("Calls() = %d after 3 requests, want 3", got)
	}
	got := s.Requests()
	if len(got) != 3 {
		t.Fatalf("Requests() has %d entries, want 3", len(got))
	}
	first := got[0]
	if first.Query != `query Me($x: ID!) { user(id: $x) { id } }` || first.OperationName != "Me" {
		t.Errorf("first request recorded as %q / %q", first.Query, first.OperationName)
	}
	assertJSONEqual(t, first.Variables, `{"x": "2"}`)
	if first.Header.Get("Authorization") != "Bearer token-1" {
		t.Errorf("recorded header %v lacks Authorization", first.Header)
	}
	if got[1].Query != `{ me { id } }` || len(got[1].Variables) != 0 {
		t.Errorf("second request recorded as %+v", got[1])
	}
	if got[2].Query != "" {
		t.Errorf("undecodable request recorded with query %q", got[2].Query)
	}

	s.Reset()
	if s.Calls() != 0 || len(s.Requests()) != 0 {
		t.Errorf("after Reset: %d calls, %d requests", s.Calls(), len(s.Requests()))
	}
	execute(t, s, `{ me { id } }`, "")
	if s.Calls() != 1 {
		t.Errorf("Calls() = %d after Reset and one request, want 1", s.Calls())
	}
}

func TestRequestsKeepsTheLatest(t *testing.T) {
	s := Products()
	const sent = recordedRequestsLimit + 5
	for i := range sent {
		status, body := post(t, s, fmt.Sprintf(`{"query": "{ product(upc: \"%d\") { upc } }"}`, i))
		if status != http.StatusOK {
			t.Fatalf("request %d: HTTP %d %s", i, status, body)
		}
	}
	got := s.Requests()
	if len(got) != recordedRequestsLimit || s.Calls() != sent {
		t.Fatalf("kept %d requests and counted %d calls, want %d and %d", len(got), s.Calls(), recordedRequestsLimit, sent)
	}
	for i, r := range got {
		want := fmt.Sprintf(`{ product(upc: "%d") { upc } }`, i+5)
		if r.Query != want {
			t.Fatalf("Requests()[%d] = %q, want %q", i, r.Query, want)
		}
	}
}

func TestFailNext(t *testing.T) {
	s := Inventory()
	s.FailNext(2, http.StatusServiceUnavailable)
	const query = `{"query": "{ __typename }"}`
	for i := range 2 {
		status, body := post(t, s, query)
		if status != http.StatusServiceUnavailable || !strings.Contains(string(body), "injected failure (HTTP 503") {
			t.Fatalf("request %d: HTTP %d %s, want an injected 503", i, status, body)
		}
		var resp response
		if err := json.Unmarshal(body, &resp); err != nil || len(resp.Errors) != 1 {
			t.Errorf("failure body is not a GraphQL error response: %s", body)
		}
	}
	if status, body := post(t, s, query); status != http.StatusOK {
		t.Fatalf("third request: HTTP %d %s, want 200", status, body)
	}
	if s.Calls() != 3 {
		t.Errorf("Calls() = %d, want failed requests counted too (3)", s.Calls())
	}

	s.FailNext(1, 42)
	if status, _ := post(t, s, query); status != http.StatusInternalServerError {
		t.Errorf("invalid status became HTTP %d, want 500", status)
	}
	s.FailNext(5, http.StatusBadGateway)
	s.Reset()
	if status, _ := post(t, s, query); status != http.StatusOK {
		t.Errorf("Reset left failures pending: HTTP %d", status)
	}
	s.FailNext(5, http.StatusBadGateway)
	s.FailNext(0, http.StatusBadGateway)
	if status, _ := post(t, s, query); status != http.StatusOK {
		t.Errorf("FailNext(0) left failures pending: HTTP %d", status)
	}
}

func TestConcurrentRequests(t *testing.T) {
	s := Reviews()
	s.FailNext(10, http.StatusBadGateway)
	const workers, each = 8, 25
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for range workers {
		wg.Go(func() {
			for range each {
				status, _ := post(t, s, `{"query": "{ latestReviews { id author { username } } }"}`)
				mu.Lock()
				statuses[status]++
				mu.Unlock()
				_ = s.Calls()
				_ = s.Requests()
			}
		})
	}
	wg.Wait()
	if s.Calls() != workers*each || len(s.Requests()) != workers*each {
		t.Errorf("counted %d calls, recorded %d, want %d", s.Calls(), len(s.Requests()), workers*each)
	}
	if statuses[http.StatusBadGateway] != 10 || statuses[http.StatusOK] != workers*each-10 {
		t.Errorf("statuses %v, want exactly 10 injected failures", statuses)
	}
}

func TestRejectsBadRequests(t *testing.T) {
	cases := []struct {
		name        string
		method      string
		contentType string
		body        string
		wantStatus  int
		wantMessage string
	}{
		{"GET", http.MethodGet, "", "", http.StatusMethodNotAllowed, "method GET is not allowed"},
		{"form body", http.MethodPost, "application/x-www-form-urlencoded", "query=1", http.StatusUnsupportedMediaType, "send application/json"},
		{"not JSON", http.MethodPost, "application/json", "{", http.StatusBadRequest, "not a JSON object"},
		{"JSON array", http.MethodPost, "application/json", "[]", http.StatusBadRequest, "not a JSON object"},
		{"no query", http.MethodPost, "application/json", `{"variables": {}}`, http.StatusBadRequest, "request has no query"},
		{"variables not an object", http.MethodPost, "", `{"query": "{ me { id } }", "variables": [1]}`, http.StatusBadRequest, `"variables" must be a JSON object`},
		{"too deep", http.MethodPost, "", `{"query": "` + strings.Repeat("{", 65) + `"}`, http.StatusBadRequest, "nests 65 levels deep; the limit is 64"},
		{"too large", http.MethodPost, "", `{"query": "` + strings.Repeat(" ", maxRequestBytes) + `"}`, http.StatusRequestEntityTooLarge, "larger than"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := Accounts()
			req := httptest.NewRequest(tc.method, Path, strings.NewReader(tc.body))
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			rec := httptest.NewRecorder()
			s.Handler.ServeHTTP(rec, req)
			var resp response
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || len(resp.Errors) != 1 || resp.Data != nil {
				t.Fatalf("body %s is not a GraphQL error response (%v)", rec.Body, err)
			}
			message := resp.Errors[0].Message
			if rec.Code != tc.wantStatus || !strings.Contains(message, tc.wantMessage) {
				t.Errorf("got HTTP %d %q, want %d with %q", rec.Code, message, tc.wantStatus, tc.wantMessage)
			}
			if tc.wantStatus == http.StatusMethodNotAllowed && rec.Header().Get("Allow") != http.MethodPost {
				t.Errorf("405 without Allow: POST (got %q)", rec.Header().Get("Allow"))
			}
			if !strings.HasPrefix(message, "accounts: ") {
				t.Errorf("message %q does not name the subgraph", message)
			}
			if s.Calls() != 1 {
				t.Errorf("rejected request counted %d times, want 1", s.Calls())
			}
		})
	}
}

func TestGraphQLErrorsCarryPaths(t *testing.T) {
	resp := execute(t, Accounts(), `{ me { nope } }`, "")
	if len(resp.Errors) != 1 || !strings.Contains(resp.Errors[0].Message, `Cannot query field "nope"`) {
		t.Errorf("validation error: %+v", resp.Errors)
	}
	resp = execute(t, Accounts(), `query A { me { id } } query B { users { id } }`, "")
	if len(resp.Errors) != 1 {
		t.Errorf("two operations without operationName gave %+v", resp.Errors)
	}
}

func TestStart(t *testing.T) {
	s := Products()
	url, stop, err := Start(s)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	defer stop()
	if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, Path) {
		t.Errorf("URL %q is not a loopback /graphql endpoint", url)
	}
	res, err := http.Post(url, "application/json", strings.NewReader(`{"query": "{ product(upc: \"1\") { name } }"}`))
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json" {
		t.Errorf("HTTP %d, Content-Type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	assertJSONEqual(t, body, `{"data": {"product": {"name": "Table"}}}`)
	if s.Calls() != 1 {
		t.Errorf("Calls() = %d, want 1", s.Calls())
	}

	res, err = http.Post(strings.TrimSuffix(url, Path)+"/other", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatalf("POST /other: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound || s.Calls() != 1 {
		t.Errorf("POST /other: HTTP %d, calls %d; want 404 and no call", res.StatusCode, s.Calls())
	}

	stop()
	stop() // a second stop is harmless
	if res, err := http.Post(url, "application/json", strings.NewReader(`{}`)); err == nil {
		res.Body.Close()
		t.Errorf("server still answers after stop: HTTP %d", res.StatusCode)
	}
}

func TestStartAtBusyAddress(t *testing.T) {
	url, stop, err := Start(Accounts())
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	defer stop()
	addr := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), Path)
	if _, _, err := StartAt(Reviews(), addr); err == nil || !strings.Contains(err.Error(), "start reviews subgraph: listen on "+addr) {
		t.Errorf("StartAt on a busy address: %v", err)
	}
}

func TestDocumentCache(t *testing.T) {
	s := Accounts()
	const twoOps = `query Me { me { id } } query Users { users { id } }`
	for range 2 {
		var sent []string
		for _, op := range []string{"Me", "Users"} {
			body, _ := json.Marshal(map[string]string{"query": twoOps, "operationName": op})
			status, answer := post(t, s, string(body))
			if status != http.StatusOK {
				t.Fatalf("operation %s: HTTP %d %s", op, status, answer)
			}
			sent = append(sent, string(answer))
		}
		if !strings.Contains(sent[0], `"me":{"id":"1"}`) || !strings.Contains(sent[1], `"users":[`) {
			t.Errorf("cached document ran the wrong operations: %v", sent)
		}
	}
	for range 2 {
		if resp := execute(t, s, `{ me { nope } }`, ""); len(resp.Errors) != 1 {
			t.Errorf("invalid query gave %+v", resp.Errors)
		}
	}
	if got := len(s.documents.docs); got != 1 {
		t.Errorf("cache holds %d documents, want only the valid one", got)
	}
	for i := range documentCacheLimit + 1 {
		execute(t, s, fmt.Sprintf(`{ user(id: "%d") { id } }`, i), "")
	}
	if got := len(s.documents.docs); got < 1 || got > documentCacheLimit {
		t.Errorf("cache holds %d documents, want at most %d", got, documentCacheLimit)
	}
}
