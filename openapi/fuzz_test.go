package openapi

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzConvert feeds arbitrary bytes to Convert: it may fail, but must not
// panic or hang.
func FuzzConvert(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/spec.yaml")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	for _, seed := range mutationSeeds() {
		f.Add(seed)
	}
	f.Add([]byte(`{"openapi":"3.1.0","paths":{"/a":{"get":{"responses":{"200":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/A"}}}}}}}},"components":{"schemas":{"A":{"allOf":[{"$ref":"#/components/schemas/A"}],"type":["object","null"]}}}}`))
	f.Add([]byte(`{"swagger":"2.0","paths":{"/a":{"post":{"parameters":[{"in":"body","name":"b","schema":{"type":"array","items":{"$ref":"#/definitions/X"}}}],"responses":{"default":{"description":"x"}}}}},"definitions":{"X":{"type":"array","items":{"$ref":"#/definitions/X"}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		// The fuzzer has no per-input timeout: a hang would stall it
		// silently. A generous watchdog turns one into a crash that
		// records the input.
		watchdog := time.AfterFunc(20*time.Second, func() { panic(fmt.Sprintf("Convert hung on %q", data)) })
		defer watchdog.Stop()
		doc, err := Convert(data, Options{})
		if err == nil && doc.SDL == "" {
			t.Fatal("a successful conversion must produce SDL")
		}
	})
}

// mutationSeeds are JSON and YAML specs in every version, with the
// features the parser pre-processes (examples, extensions, external refs,
// cycles).
func mutationSeeds() [][]byte {
	seeds := [][]byte{[]byte(opsSpec), syntheticSpec(2),
		[]byte(`{"openapi":"3.1.0","paths":{"/a":{"get":{"responses":{"200":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/A"}}}}}}}},"components":{"schemas":{"A":{"allOf":[{"$ref":"#/components/schemas/A"}],"type":["object","null"],"x-a":{"example":1},"example":[1]}}}}`),
		[]byte(`{"swagger":"2.0","paths":{"/a":{"post":{"parameters":[{"in":"body","name":"b","schema":{"type":"array","items":{"$ref":"#/definitions/X"}}}],"responses":{"default":{"description":"x"}}}}},"definitions":{"X":{"type":"array","items":{"$ref":"http://x/y#/definitions/X"}}}}`),
	}
	files, _ := filepath.Glob("testdata/*/spec.yaml")
	for _, f := range files {
		if data, err := os.ReadFile(f); err == nil {
			seeds = append(seeds, data)
		}
	}
	return seeds
}

// TestMutatedSpecs is a deterministic, always-on complement to FuzzConvert:
// it converts thousands of randomly damaged specs (bytes replaced, cut,
// duplicated) and fails on any panic. (It found nil media types in
// parameter content and request bodies.)
func TestMutatedSpecs(t *testing.T) {
	seeds := mutationSeeds()
	r := rand.New(rand.NewPCG(1, 2))
	n := 3000
	if testing.Short() {
		n = 300
	}
	for range n {
		s := append([]byte(nil), seeds[r.IntN(len(seeds))]...)
		for range 1 + r.IntN(4) {
			i := r.IntN(len(s))
			switch r.IntN(3) {
			case 0:
				s[i] = byte(r.IntN(256))
			case 1:
				s = append(s[:i], s[min(len(s), i+r.IntN(20)):]...)
			case 2:
				j := r.IntN(len(s))
				s = append(s[:i], append(append([]byte(nil), s[j:min(len(s), j+r.IntN(50))]...), s[i:]...)...)
			}
			if len(s) == 0 {
				s = []byte("x")
			}
		}
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("Convert panicked on %q: %v", s, p)
				}
			}()
			Convert(s, Options{})
		}()
	}
}
