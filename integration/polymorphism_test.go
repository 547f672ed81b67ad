package integration

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// A REST API whose responses are polymorphic through allOf + discriminator
// serves an interface: each pet gets its concrete type, fragments select
// per type, and an unknown discriminator value is an error, not a guess.
func TestOpenAPIPolymorphismThroughTheGateway(t *testing.T) {
	spec, err := os.ReadFile("../openapi/testdata/polymorphism/spec.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pets := `[{"name":"Tom","petType":"Cat","huntingSkill":"lazy"},
	          {"name":"Rex","petType":"Dog","packSize":3},
	          {"name":"Blob","petType":"Pet"}]`
	rest := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/pets":
			_, _ = w.Write([]byte(pets))
		case "/pets/9":
			_, _ = w.Write([]byte(`{"name":"Tweety","petType":"Bird"}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer rest.Close()
	_, endpoint := startGateway(t, `subgraphs:
  - name: pets
    openapi:
      spec: pets.yaml
      baseURL: `+rest.URL+"\n", map[string]string{"pets.yaml": string(spec)})

	r := post(t, endpoint, `{ listPets { __typename name ... on Cat { huntingSkill } ... on Dog { packSize } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors %s", r.raw)
	}
	gatewaytest.AssertJSON(t, r.Data, `{"listPets":[
	  {"__typename":"Cat","name":"Tom","huntingSkill":"LAZY"},
	  {"__typename":"Dog","name":"Rex","packSize":3},
	  {"__typename":"PetBase","name":"Blob"}]}`)

	r = post(t, endpoint, `{ getPet(id: "9") { name } }`, nil)
	var data map[string]any
	_ = json.Unmarshal(r.Data, &data)
	if data["getPet"] != nil || !strings.Contains(string(r.raw), `Bird`) {
		t.Fatalf("unknown discriminator: %s", r.raw)
	}
}
