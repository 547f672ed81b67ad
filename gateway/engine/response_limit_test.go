package engine

import (
	"encoding/json"
	"testing"

	"github.com/tributary-gw/tributary"
)

// TestResponseLargerThanTheLimit: a response past MaxResponseBytes is
// replaced by a RESPONSE_TOO_LARGE error; one within it is untouched.
func TestResponseLargerThanTheLimit(t *testing.T) {
	const small = `{"data":{"product":{"name":"Chair"}}}`
	e, _ := newSourceEngineWith(t, func(o *Options) { o.MaxResponseBytes = len(small) })

	resp, _ := execute(t, e, &tributary.Request{Query: `{ product(upc: "3") { name } }`})
	if resp.Outcome != tributary.Executed || string(resp.Body) != small {
		t.Fatalf("a response at the limit: outcome %v, body %s", resp.Outcome, resp.Body)
	}

	resp, body := execute(t, e, &tributary.Request{Query: `{ topProducts { upc name price } }`})
	if resp.Outcome != tributary.Failed || errorCode(body) != "RESPONSE_TOO_LARGE" {
		t.Fatalf("a response over the limit: outcome %v, body %s", resp.Outcome, resp.Body)
	}
	if _, has := body["data"]; has {
		t.Fatalf("the refused response kept its data: %s", resp.Body)
	}
	var parsed struct {
		Errors []struct {
			Extensions struct {
				Limit int `json:"limit"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(resp.Body, &parsed); err != nil || parsed.Errors[0].Extensions.Limit != len(small) {
		t.Fatalf("the error does not carry the limit: %s", resp.Body)
	}
}

// TestResponseLimitDefault: an engine without MaxResponseBytes gets the
// default, not no limit.
func TestResponseLimitDefault(t *testing.T) {
	e, _ := newSourceEngineWith(t, func(*Options) {})
	if e.opts.MaxResponseBytes != DefaultMaxResponseBytes {
		t.Fatalf("MaxResponseBytes %d, want %d", e.opts.MaxResponseBytes, DefaultMaxResponseBytes)
	}
}
