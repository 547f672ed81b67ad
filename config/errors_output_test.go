package config

import "testing"

// errors.mask defaults to masking when introspection is off: a gateway
// that hides its schema hides its errors too.
func TestErrorMaskDefaultFollowsIntrospection(t *testing.T) {
	cases := []struct {
		yaml string
		want bool
	}{
		{"", false},
		{"introspection: false\n", true},
		{"introspection: false\nerrors:\n  mask: false\n", false},
		{"errors:\n  mask: true\n  allowExtensions: [traceId]\n", true},
	}
	for _, c := range cases {
		cfg := mustParse(t, c.yaml+oneSubgraph, noEnv)
		if got := cfg.Errors.Masked(cfg.Introspection); got != c.want {
			t.Errorf("%q: masked = %v, want %v", c.yaml, got, c.want)
		}
	}
	cfg := mustParse(t, "errors:\n  allowExtensions: [traceId]\n"+oneSubgraph, noEnv)
	if len(cfg.Errors.AllowExtensions) != 1 || cfg.Errors.AllowExtensions[0] != "traceId" {
		t.Errorf("allowExtensions = %v", cfg.Errors.AllowExtensions)
	}
}

// errors.exposeSubgraphDetails is off unless set: it is for development.
func TestExposeSubgraphDetailsDefaultsToOff(t *testing.T) {
	if cfg := mustParse(t, "introspection: true\n"+oneSubgraph, noEnv); cfg.Errors.ExposeSubgraphDetails {
		t.Error("exposeSubgraphDetails is on by default")
	}
	if cfg := mustParse(t, "errors:\n  exposeSubgraphDetails: true\n"+oneSubgraph, noEnv); !cfg.Errors.ExposeSubgraphDetails {
		t.Error("exposeSubgraphDetails: true was not read")
	}
}
