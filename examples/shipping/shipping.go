// Package shipping is a small REST service described by an OpenAPI
// document (openapi.yaml): the bundled example of a REST subgraph. It is a
// real net/http server that checks what it receives (parameters as the
// spec serializes them) and counts its calls, so tests can assert how the
// gateway called it.
package shipping

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
)

// Spec is the service's OpenAPI 3.0 document.
//
//go:embed openapi.yaml
var Spec []byte

type shipment struct {
	UPC          string `json:"upc"`
	Carrier      string `json:"carrier"`
	ETADays      int    `json:"etaDays"`
	ServiceLevel string `json:"service-level,omitempty"`
}

var shipments = map[string]shipment{
	"1": {UPC: "1", Carrier: "Parcelways", ETADays: 5, ServiceLevel: "standard"},
	"2": {UPC: "2", Carrier: "FreightCo", ETADays: 12, ServiceLevel: "standard"},
	"3": {UPC: "3", Carrier: "Parcelways", ETADays: 2, ServiceLevel: "express"},
	"4": {UPC: "4", Carrier: "Swiftpost", ETADays: 1, ServiceLevel: "same-day"},
	"5": {UPC: "5", Carrier: "Swiftpost", ETADays: 1, ServiceLevel: "express"},
	// 6 (the tent) ships from a partner: the service does not know it.
}

type carrier struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Region string `json:"region"`
}

var carriers = []carrier{
	{ID: "pw", Name: "Parcelways", Region: "eu-west"},
	{ID: "fc", Name: "FreightCo", Region: "us-east"},
	{ID: "sp", Name: "Swiftpost", Region: "eu-west"},
}

// Service serves the shipping API under /v1 and counts requests.
type Service struct {
	mu    sync.Mutex
	calls map[string]int // "GET /v1/shipments" → count
	log   []string       // request lines "GET /v1/shipments?upc=1,2"
}

// New returns a Service.
func New() *Service { return &Service{calls: map[string]int{}} }

// Calls returns how many requests the route got, e.g. "GET /v1/shipments".
func (s *Service) Calls(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[route]
}

// Requests returns the request lines received, in order.
func (s *Service) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

// Reset forgets the counts.
func (s *Service) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls, s.log = map[string]int{}, nil
}

func (s *Service) record(r *http.Request, route string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[r.Method+" "+route]++
	line := r.Method + " " + r.URL.Path
	if r.URL.RawQuery != "" {
		line += "?" + r.URL.RawQuery
	}
	s.log = append(s.log, line)
}

// ServeHTTP implements http.Handler.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		problem(w, http.StatusMethodNotAllowed, "only GET is served")
		return
	}
	switch {
	case r.URL.Path == "/v1/shipments":
		s.record(r, "/v1/shipments")
		s.listShipments(w, r)
	case strings.HasPrefix(r.URL.Path, "/v1/shipments/"):
		s.record(r, "/v1/shipments/{upc}")
		upc := strings.TrimPrefix(r.URL.Path, "/v1/shipments/")
		sh, ok := shipments[upc]
		if !ok {
			problem(w, http.StatusNotFound, "no shipment options for product "+upc)
			return
		}
		writeJSON(w, sh)
	case r.URL.Path == "/v1/carriers":
		s.record(r, "/v1/carriers")
		region := r.URL.Query().Get("region")
		out := []carrier{}
		for _, c := range carriers {
			if region == "" || c.Region == region {
				out = append(out, c)
			}
		}
		writeJSON(w, out)
	default:
		problem(w, http.StatusNotFound, "no route "+r.URL.Path)
	}
}

// listShipments accepts the spec's serialization only: upc=1,2,3
// (style form, explode false), one query parameter.
func (s *Service) listShipments(w http.ResponseWriter, r *http.Request) {
	values := r.URL.Query()["upc"]
	if len(values) != 1 || values[0] == "" {
		problem(w, http.StatusBadRequest, "send upc once, comma-separated (style form, explode false)")
		return
	}
	out := []shipment{}
	for _, upc := range strings.Split(values[0], ",") {
		if sh, ok := shipments[upc]; ok {
			out = append(out, sh)
		}
	}
	writeJSON(w, out)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func problem(w http.ResponseWriter, status int, title string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"title": title, "status": status})
}
