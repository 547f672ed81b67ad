package tributary

import (
	"net/http"
	"testing"
)

func TestRedirectedAway(t *testing.T) {
	first, _ := http.NewRequest(http.MethodGet, "http://svc:8080/a", nil)
	hop := func(prev *http.Request, to string) *http.Request {
		r, _ := http.NewRequest(http.MethodGet, to, nil)
		r.Response = &http.Response{StatusCode: http.StatusFound, Request: prev}
		return r
	}
	same := hop(first, "http://svc:8080/b")
	away := hop(same, "http://other:8080/c")
	back := hop(away, "http://svc:8080/d")
	for _, tt := range []struct {
		name string
		req  *http.Request
		want bool
	}{
		{"the first request", first, false},
		{"a hop within the origin", same, false},
		{"a hop to another host", away, true},
		{"a hop back to the origin", back, false},
		{"another port", hop(first, "http://svc:8081/a"), true},
		{"another scheme", hop(first, "https://svc:8080/a"), true},
	} {
		if got := RedirectedAway(tt.req); got != tt.want {
			t.Errorf("%s: RedirectedAway = %v, want %v", tt.name, got, tt.want)
		}
	}
}
