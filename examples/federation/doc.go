// Package federation holds four example Apollo Federation v2 subgraphs of a
// small store — accounts, products, inventory and reviews — each a real
// GraphQL executor (graphql-go) served over HTTP.
//
// They are what `make run` puts behind the gateway, and the upstreams of the
// gateway's end-to-end tests: every Service counts and records the requests
// it receives and can be told to fail the next few.
//
// Each subgraph's executable schema is built from its SDL, so _service.sdl
// always matches what the subgraph answers. Responses list object keys in
// alphabetical order rather than query order (graphql-go returns maps);
// GraphQL clients and the gateway match keys by name.
package federation
