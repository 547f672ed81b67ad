package dynamotest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
)

// LeaveUnprocessed makes the next n BatchGetItem calls process only the
// first key of each table and return the others in UnprocessedKeys, as
// DynamoDB does when a call exceeds its throughput or response size.
func (p *Proxy) LeaveUnprocessed(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.unprocessed += n
}

// takeUnprocessed reports whether this BatchGetItem call leaves keys
// unprocessed, counting it.
func (p *Proxy) takeUnprocessed(op string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if op != "BatchGetItem" || p.unprocessed == 0 {
		return false
	}
	p.unprocessed--
	return true
}

// serveUnprocessed forwards body with one key per table and answers with
// dynalite's items plus the other keys as UnprocessedKeys.
func (p *Proxy) serveUnprocessed(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		RequestItems map[string]map[string]json.RawMessage
	}
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	unprocessed := map[string]map[string]json.RawMessage{}
	for table, ka := range req.RequestItems {
		var keys []json.RawMessage
		if err := json.Unmarshal(ka["Keys"], &keys); err != nil || len(keys) < 2 {
			continue
		}
		rest := map[string]json.RawMessage{}
		for k, v := range ka {
			rest[k] = v
		}
		ka["Keys"], _ = json.Marshal(keys[:1])
		rest["Keys"], _ = json.Marshal(keys[1:])
		unprocessed[table] = rest
	}
	forwarded, _ := json.Marshal(map[string]any{"RequestItems": req.RequestItems})
	r.Body = io.NopCloser(bytes.NewReader(forwarded))
	r.ContentLength = int64(len(forwarded))
	r.Header.Set("Content-Length", strconv.Itoa(len(forwarded)))
	rec := httptest.NewRecorder()
	p.forward.ServeHTTP(rec, r)
	var resp map[string]json.RawMessage
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &resp) != nil {
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
		return
	}
	resp["UnprocessedKeys"], _ = json.Marshal(unprocessed)
	out, _ := json.Marshal(resp)
	// No X-Amz-Crc32: the body is no longer the one dynalite summed.
	w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
	w.Header().Set("X-Amzn-Requestid", rec.Header().Get("X-Amzn-Requestid"))
	w.Write(out)
}
