package shipping

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, target string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, strings.TrimSpace(string(body))
}

func TestRoutes(t *testing.T) {
	s := New()
	cases := []struct {
		target string
		status int
		body   string
	}{
		{"/v1/shipments?upc=1,6,3", 200, `[{"upc":"1","carrier":"Parcelways","etaDays":5,"service-level":"standard"},{"upc":"3","carrier":"Parcelways","etaDays":2,"service-level":"express"}]`},
		{"/v1/shipments?upc=1&upc=3", 400, ""},
		{"/v1/shipments/4", 200, `{"upc":"4","carrier":"Swiftpost","etaDays":1,"service-level":"same-day"}`},
		{"/v1/shipments/6", 404, `{"status":404,"title":"no shipment options for product 6"}`},
		{"/v1/carriers?region=us-east", 200, `[{"id":"fc","name":"FreightCo","region":"us-east"}]`},
	}
	for _, c := range cases {
		status, body := get(t, s, c.target)
		if status != c.status || (c.body != "" && body != c.body) {
			t.Errorf("%s: %d %s", c.target, status, body)
		}
	}
	if s.Calls("GET /v1/shipments") != 2 || len(s.Requests()) != 5 {
		t.Fatalf("calls %v", s.Requests())
	}
}
