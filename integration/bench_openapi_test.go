package integration

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/tributary-gw/tributary/examples/shipping"
)

// shipmentQuery is answered by one REST call: GET /v1/shipments/3.
const shipmentQuery = `{ getShipment(upc: "3") { carrier etaDays serviceLevel } }`

// shipmentAnswer is the gateway's answer to shipmentQuery.
const shipmentAnswer = `{"data":{"getShipment":{"carrier":"Parcelways","etaDays":2,"serviceLevel":"EXPRESS"}}}`

// shipmentRoute is the REST route shipmentQuery calls, as shipping.Service
// counts it.
const shipmentRoute = "GET /v1/shipments/{upc}"

// BenchmarkOpenAPIRootField sends shipmentQuery to a gateway whose only
// subgraph is the example shipping REST service (an openapi kind), both on
// loopback in the benchmark process; every request the gateway cannot share
// costs one GET /v1/shipments/3, which the service answers from memory.
//
//   - serial: one request at a time; exactly one REST call per request.
//   - parallel: RunParallel, identical requests; the resolver may share a
//     REST call between requests in flight (see rest-calls/op).
//   - parallel-distinct: a unique forwarded header per request, so every
//     request makes its own call (asserted).
//   - direct-rest-call: the same GET sent straight to the service, in
//     parallel: the floor the gateway adds to.
func BenchmarkOpenAPIRootField(b *testing.B) {
	rest := shipping.New()
	srv := httptest.NewServer(rest)
	b.Cleanup(srv.Close)
	base := srv.URL + "/v1"
	_, endpoint := startGateway(b, "subgraphs:\n"+`  - name: shipping
    openapi:
      spec: shipping.yaml
      baseURL: `+base+`
      forwardHeaders: [`+distinctHeader+`]
`, map[string]string{"shipping.yaml": string(shipping.Spec)})
	client := &http.Client{Transport: newBenchTransport()}
	body := graphQLBody(b, shipmentQuery, "", nil)
	if answer := postBody(b, client, endpoint, clientHeader(), body); string(bytes.TrimSpace(answer)) != shipmentAnswer {
		b.Fatalf("answer %s, want %s", answer, shipmentAnswer)
	}
	var seq atomic.Uint64
	query := func(tb testing.TB, distinct bool) {
		header := clientHeader()
		if distinct {
			header.Set(distinctHeader, strconv.FormatUint(seq.Add(1), 10))
		}
		postBody(tb, client, endpoint, header, body)
	}
	// restCalls checks and reports the REST calls per request: exactly one
	// when no call can be shared, at least one in all and at most one per
	// request otherwise.
	restCalls := func(b *testing.B, exact bool) {
		n := rest.Calls(shipmentRoute)
		if n == 0 || n > b.N || exact && n != b.N {
			b.Fatalf("%s called %d times for %d requests (exact: %v)", shipmentRoute, n, b.N, exact)
		}
		b.ReportMetric(float64(n)/float64(b.N), "rest-calls/op")
	}

	b.Run("serial", func(b *testing.B) {
		rest.Reset()
		b.ReportAllocs()
		for b.Loop() {
			query(b, false)
		}
		restCalls(b, true)
	})
	for _, distinct := range []bool{false, true} {
		name := "parallel"
		if distinct {
			name = "parallel-distinct"
		}
		b.Run(name, func(b *testing.B) {
			rest.Reset()
			b.ReportAllocs()
			b.SetParallelism(parallelism)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					query(b, distinct)
				}
			})
			restCalls(b, distinct)
		})
	}
	b.Run("direct-rest-call", func(b *testing.B) {
		rest.Reset()
		b.ReportAllocs()
		b.SetParallelism(parallelism)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				getShipmentDirect(b, client, base+"/shipments/3")
			}
		})
		restCalls(b, true)
	})
}

// getShipmentDirect sends the REST call the gateway makes for shipmentQuery
// and checks that it succeeded.
func getShipmentDirect(tb testing.TB, client *http.Client, url string) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	res, err := client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	answer, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK || !bytes.Contains(answer, []byte(`"carrier":"Parcelways"`)) {
		tb.Fatalf("GET %s: HTTP %d, %v: %s", url, res.StatusCode, err, answer)
	}
}
