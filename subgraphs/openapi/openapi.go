// Package openapi is the subgraph kind that puts a REST service described by
// an OpenAPI 2.0, 3.0 or 3.1 document into the graph.
//
// At start-up it loads and converts the document (package openapi), which
// gives the subgraph SDL and an operation model. At run time the gateway
// engine calls its tributary.Source: each root field becomes one HTTP
// request (built by package openapi/wire), sent with the section's headers
// and credentials through a pooled, retrying HTTP client; each 2xx response
// becomes the field's value, and any other status a GraphQL error with the
// status code and the (bounded) body in its extensions.
//
// Entities are declared in the section: a generated type, its key, and the
// operation that fetches it. An operation whose argument takes a list of
// keys is called once per chunk of keys; one that takes a single key is
// called once per distinct key, with bounded concurrency. Either way,
// results are matched to representations by key value.
package openapi

import (
	"github.com/tributary-gw/tributary"
)

// KindName is the key of this kind's section in gateway.yaml.
const KindName = "openapi"

func init() {
	tributary.RegisterKind(tributary.Kind{
		Name:      KindName,
		Doc:       "A REST service described by an OpenAPI 2.0, 3.0 or 3.1 document.",
		NewConfig: func() tributary.SubgraphConfig { return &Config{} },
	})
}
