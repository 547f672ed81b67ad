package httpserver

import (
	"encoding/json"
	"net/http"
)

// probeBody is the JSON answer of the health endpoints.
type probeBody struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// serveLiveness answers /healthz: the process is up and serving HTTP.
func serveLiveness(w http.ResponseWriter, r *http.Request) {
	if probeMethodAllowed(w, r) {
		writeProbe(w, http.StatusOK, probeBody{Status: "ok"})
	}
}

// serveReadiness answers /readyz: 200 when ready (or when there is no
// check), 503 with the check's error otherwise, so that load balancers stop
// sending traffic.
func serveReadiness(w http.ResponseWriter, r *http.Request, ready func() error) {
	if !probeMethodAllowed(w, r) {
		return
	}
	if ready != nil {
		if err := ready(); err != nil {
			writeProbe(w, http.StatusServiceUnavailable, probeBody{Status: "unavailable", Reason: err.Error()})
			return
		}
	}
	writeProbe(w, http.StatusOK, probeBody{Status: "ready"})
}

// probeMethodAllowed answers 405 to anything but GET and HEAD.
func probeMethodAllowed(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "method "+r.Method+" is not allowed; probe with GET", http.StatusMethodNotAllowed)
	return false
}

func writeProbe(w http.ResponseWriter, status int, body probeBody) {
	data, _ := json.Marshal(body) // a struct of strings always marshals
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}
