package integration

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkCheckSatisfiable measures the check `gateway validate` adds
// after building the gateway (the build is not timed), on the largest
// supergraphs the OpenAPI corpus composes into: GitHub's spec alone, and
// six of the largest specs side by side (each with its typePrefix; Jira
// and Box clash with Stripe on root fields, DigitalOcean needs files
// outside the corpus).
//
//	go test -run '^$' -bench CheckSatisfiable -benchtime 3x ./integration/
func BenchmarkCheckSatisfiable(b *testing.B) {
	for _, tc := range []struct {
		name  string
		specs []string
	}{
		{"github", []string{"github.json"}},
		{"six-specs", []string{"github.json", "stripe.json", "aws-ec2.json", "kubernetes-v1.13.json", "twilio.json", "blockfrost.yaml"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var yaml strings.Builder
			yaml.WriteString("subgraphs:\n")
			for _, spec := range tc.specs {
				path, err := filepath.Abs(filepath.Join("../openapi/testdata/corpus", spec))
				if err != nil {
					b.Fatal(err)
				}
				name := strings.NewReplacer("-", "", ".", "").Replace(strings.TrimSuffix(strings.TrimSuffix(spec, ".json"), ".yaml"))
				fmt.Fprintf(&yaml, "  - name: %s\n    openapi:\n      spec: %s\n      baseURL: http://127.0.0.1:1\n      typePrefix: %s\n",
					name, path, strings.ToUpper(name[:1])+name[1:])
			}
			gw, _ := startGateway(b, yaml.String(), nil)
			var fields, plans int
			for b.Loop() {
				res, err := gw.CheckSatisfiable(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				fields, plans = res.Fields, res.Plans
			}
			b.ReportMetric(float64(fields), "fields")
			b.ReportMetric(float64(plans), "plans")
		})
	}
}
