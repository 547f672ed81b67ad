package sql_test

import (
	"net/http"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/gateway"
	"github.com/tributary-gw/tributary/internal/gatewaytest"
	_ "github.com/tributary-gw/tributary/subgraphs/builtin"
)

// response and gqlError are the shared test harness's.
type (
	response = gatewaytest.Response
	gqlError = gatewaytest.Error
)

func execute(t testing.TB, gw *gateway.Gateway, query string, vars map[string]any) response {
	t.Helper()
	return gatewaytest.Execute(t, gw, query, vars, nil)
}

func executeWith(t testing.TB, gw *gateway.Gateway, query string, vars map[string]any, header http.Header) response {
	t.Helper()
	return gatewaytest.Execute(t, gw, query, vars, header)
}

// executeAs runs a query with headers and a caller identity.
func executeAs(t testing.TB, gw *gateway.Gateway, query string, header http.Header, caller *tributary.Identity) response {
	t.Helper()
	return gatewaytest.ExecuteRequest(t, gw, &tributary.Request{Query: query, Header: header, Caller: caller})
}
