package integration

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/examples/federation"
	"github.com/tributary-gw/tributary/examples/shipping"
	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// startShipping serves the example REST service on loopback and returns it
// with its base URL.
func startShipping(t *testing.T) (*shipping.Service, string) {
	t.Helper()
	svc := shipping.New()
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	return svc, srv.URL + "/v1"
}

func shippingYAML(baseURL string) string {
	return `  - name: shipping
    openapi:
      spec: shipping.yaml
      baseURL: ` + baseURL + `
      entities:
        - type: Product
          key: upc
          operation: listShipments
          argument: upc
          maxBatchSize: 50
`
}

// A REST service described by OpenAPI joins the federation by a declared
// key: N products cost one REST call, with the keys serialized as the spec
// says (style form, explode false).
func TestOpenAPISubgraphJoinsByDeclaredKey(t *testing.T) {
	services, urls := startSubgraphs(t)
	rest, base := startShipping(t)
	_, endpoint := startGateway(t, subgraphsYAML(urls)+shippingYAML(base),
		map[string]string{"shipping.yaml": string(shipping.Spec)})
	for _, s := range services {
		s.Reset()
	}
	r := post(t, endpoint, `{ topProducts(first: 5) { upc name carrier etaDays serviceLevel inStock } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors %s", r.raw)
	}
	gatewaytest.AssertJSON(t, r.Data, `{"topProducts":[
	  {"upc":"1","name":"Table","carrier":"Parcelways","etaDays":5,"serviceLevel":"STANDARD","inStock":true},
	  {"upc":"2","name":"Couch","carrier":"FreightCo","etaDays":12,"serviceLevel":"STANDARD","inStock":false},
	  {"upc":"3","name":"Chair","carrier":"Parcelways","etaDays":2,"serviceLevel":"EXPRESS","inStock":true},
	  {"upc":"4","name":"Kettle","carrier":"Swiftpost","etaDays":1,"serviceLevel":"SAME_DAY","inStock":true},
	  {"upc":"5","name":"Chef's Knife","carrier":"Swiftpost","etaDays":1,"serviceLevel":"EXPRESS","inStock":false}]}`)
	if n := rest.Calls("GET /v1/shipments"); n != 1 {
		t.Fatalf("shipping called %d times for five products: %v", n, rest.Requests())
	}
	if got := rest.Requests()[0]; got != "GET /v1/shipments?upc=1%2C2%2C3%2C4%2C5" && got != "GET /v1/shipments?upc=1,2,3,4,5" {
		t.Fatalf("request %q", got)
	}
	assertCalls(t, s2calls(services), map[string]int64{"products": 1, "inventory": 1})
}

func s2calls(services map[string]*federation.Service) map[string]int64 {
	out := map[string]int64{}
	for n, s := range services {
		out[n] = s.Calls()
	}
	return out
}

// A product the REST service does not know is a miss: null where the
// schema allows it, with an error at that path, never a silent null.
func TestOpenAPIMissAndRootFieldsAndErrors(t *testing.T) {
	_, urls := startSubgraphs(t)
	rest, base := startShipping(t)
	_, endpoint := startGateway(t, subgraphsYAML(urls)+shippingYAML(base),
		map[string]string{"shipping.yaml": string(shipping.Spec)})

	r := post(t, endpoint, `{ product(upc: "6") { name carrier } }`, nil)
	if r.Status != http.StatusOK || !strings.Contains(string(r.raw), `"product":null`) || len(r.Errors) == 0 {
		t.Fatalf("miss: %s", r.raw)
	}

	// Root fields: an enum argument mapped to its wire value, a path
	// parameter, and a 404 that reaches the client with its status and body.
	r = post(t, endpoint, `{ listCarriers(region: US_EAST) { id name region } getShipment(upc: "6") { carrier } }`, nil)
	if !strings.Contains(string(r.raw), `"listCarriers":[{"id":"fc","name":"FreightCo","region":"US_EAST"}]`) {
		t.Fatalf("carriers: %s", r.raw)
	}
	body := string(r.raw)
	for _, want := range []string{`"getShipment":null`, `"statusCode":404`, `no shipment options for product 6`, `"path":["getShipment"]`} {
		if !strings.Contains(body, want) {
			t.Fatalf("404 lacks %s: %s", want, body)
		}
	}
	found := false
	for _, line := range rest.Requests() {
		found = found || line == "GET /v1/carriers?region=us-east"
	}
	if !found {
		t.Fatalf("requests %v", rest.Requests())
	}
}
