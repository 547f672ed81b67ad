package openapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tributary-gw/tributary"
)

// BenchmarkResolveField measures one root field answered by one REST call
// over loopback, with the real converter and wire mapping:
//
//	go test ./subgraphs/openapi -run '^$' -bench ResolveField -benchmem
func BenchmarkResolveField(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"1","name":"Rex","pet_type":"cat"}`)
	}))
	defer srv.Close()
	cfg := &Config{Spec: "petstore.yaml", BaseURL: srv.URL + "/v1"}
	sg, err := cfg.Build(context.Background(), "pets", tributary.BuildContext{Dir: "testdata"})
	if err != nil {
		b.Fatal(err)
	}
	call := tributary.FieldCall{TypeName: "Query", FieldName: "getPet", Arguments: json.RawMessage(`{"petId":"1"}`)}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := sg.Source.ResolveField(context.Background(), call); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
