package openapi_test

import (
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/subgraphs/openapi"
)

const gatewayYAML = `
subgraphs:
  - name: petstore
    openapi:
      spec: ./petstore.yaml
      baseURL: http://localhost:8080/v1
      include: [listPets, "GET /pets/*"]
      exclude: [deletePet]
      rename: {listPets: pets}
      rootType: {searchPets: Query}
      typePrefix: Pet
      timeout: 5s
      maxResponseBytes: 1048576
      retry: {attempts: 4, minWait: 50ms, maxWait: 1s, methods: [GET, POST]}
      headers: {X-Client: tributary}
      forwardHeaders: [X-Request-Id]
      auth:
        apiKey: {name: X-API-Key, in: query, value: "${PET_KEY}"}
      entities:
        - {type: User, key: id, operation: getUsersByIds, argument: ids, maxBatchSize: 25, concurrency: 4}
      maxURLBytes: 4096
      followRedirects: sameHost
`

func TestGatewayYAMLSection(t *testing.T) {
	env := func(name string) (string, bool) {
		return map[string]string{"PET_KEY": "k-123456"}[name], name == "PET_KEY"
	}
	cfg, err := config.Parse("gateway.yaml", []byte(gatewayYAML), env)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := cfg.Subgraphs[0].Config.(*openapi.Config)
	if !ok {
		t.Fatalf("section decoded as %T", cfg.Subgraphs[0].Config)
	}
	if c.Retry.Attempts != 4 || c.Retry.MaxWait.Std().String() != "1s" || c.Auth.APIKey.Value != "k-123456" ||
		c.Auth.APIKey.In != "query" || c.Entities[0].MaxBatchSize != 25 || c.Rename["listPets"] != "pets" || c.Timeout.Std().String() != "5s" ||
		c.MaxURLBytes != 4096 || c.FollowRedirects != "sameHost" {
		t.Errorf("decoded %+v", c)
	}
}

func TestGatewayYAMLErrorsPointAtKeys(t *testing.T) {
	env := func(name string) (string, bool) { return "k-123456", true }
	tests := []struct{ from, to, want string }{
		{"in: query", "in: body", "gateway.yaml:18: subgraphs[0] \"petstore\": openapi.auth.apiKey.in"},
		{"attempts: 4", "attempts: 40", "gateway.yaml:14: subgraphs[0] \"petstore\": openapi.retry.attempts"},
		{"argument: ids", "argument: [ids]", "openapi.entities[0].argument"},
	}
	for _, tt := range tests {
		_, err := config.Parse("gateway.yaml", []byte(strings.Replace(gatewayYAML, tt.from, tt.to, 1)), env)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %s", tt.to, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), "k-123456") {
			t.Errorf("error leaks the key:\n%v", err)
		}
	}
}
