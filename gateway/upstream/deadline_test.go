package upstream

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// seenDeadline records the deadline of the request it gets.
type seenDeadline struct{ deadline *time.Time }

func (s seenDeadline) RoundTrip(req *http.Request) (*http.Response, error) {
	*s.deadline, _ = req.Context().Deadline()
	return JSONResponse(req, http.StatusOK, []byte(`{}`)), nil
}

// A call gets the subgraph's timeout as its deadline, unless the request's
// own deadline comes sooner; no timeout adds none.
func TestDeadline(t *testing.T) {
	var got time.Time
	rt := Deadline(time.Minute, seenDeadline{&got})
	req, _ := http.NewRequest(http.MethodPost, "http://x", nil)
	before := time.Now()
	if _, err := rt.RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if got.Before(before.Add(time.Minute)) || got.After(time.Now().Add(time.Minute)) {
		t.Errorf("deadline %v, want a minute from the call", got)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	want, _ := ctx.Deadline()
	if _, err := rt.RoundTrip(req.WithContext(ctx)); err != nil {
		t.Fatal(err)
	}
	if !got.Equal(want) {
		t.Errorf("deadline %v, want the request's sooner %v", got, want)
	}

	got = time.Time{}
	if _, err := Deadline(0, seenDeadline{&got}).RoundTrip(req); err != nil || !got.IsZero() {
		t.Errorf("timeout 0 set deadline %v (%v)", got, err)
	}
}
