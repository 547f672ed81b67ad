package config

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tributary-gw/tributary"
)

// The kinds registered here exist only in this package's test binary; real
// kinds live under subgraphs/ and are not imported.
func init() {
	tributary.RegisterKind(tributary.Kind{
		Name:      "testkind",
		Doc:       "A kind for the config tests.",
		NewConfig: func() tributary.SubgraphConfig { return &testConfig{} },
	})
	tributary.RegisterKind(tributary.Kind{
		Name:      "plainkind",
		Doc:       "A kind whose Validate finds nothing wrong.",
		NewConfig: func() tributary.SubgraphConfig { return &plainConfig{} },
	})
}

type testConfig struct {
	URL     string             `yaml:"url" doc:"Endpoint of the test subgraph." required:"true"`
	Mode    string             `yaml:"mode" doc:"How to run." default:"fast" enum:"fast,slow"`
	Timeout tributary.Duration `yaml:"timeout" doc:"Upstream timeout." default:"5s"`
	Wait    time.Duration      `yaml:"wait" doc:"A standard-library duration."`
	Port    int                `yaml:"port" doc:"A port."`
	Retries uint8              `yaml:"retries" doc:"Retry count."`
	Ratio   float64            `yaml:"ratio" doc:"A ratio."`
	Verbose bool               `yaml:"verbose" doc:"Log more." default:"false"`
	Headers map[string]string  `yaml:"headers" doc:"Headers to send."`
	Tags    []string           `yaml:"tags" doc:"Free-form tags."`
	Auth    *testAuth          `yaml:"auth" doc:"Credentials."`
	Items   []testItem         `yaml:"items" doc:"Things."`
	Data    any                `yaml:"data" doc:"Arbitrary data."`
	testEmbedded
}

type testEmbedded struct {
	Region string `yaml:"region" doc:"A key that comes from an embedded struct."`
}

type testAuth struct {
	Token  string `yaml:"token" doc:"Bearer token." required:"true"`
	Scheme string `yaml:"scheme" doc:"Auth scheme."`
}

type testItem struct {
	Name   string `yaml:"name" doc:"Item name." required:"true"`
	Weight int    `yaml:"weight" doc:"Item weight."`
}

func (c *testConfig) Validate() error {
	var errs tributary.FieldErrors
	switch {
	case c.URL == "":
		errs = append(errs, &tributary.FieldError{Path: "url", Message: `is required (e.g. "http://localhost:4002/graphql")`})
	case !strings.HasPrefix(c.URL, "http"):
		// Quotes the value on purpose: the loader must hide it when it came
		// from the environment.
		errs = append(errs, &tributary.FieldError{Path: "url", Message: fmt.Sprintf("must start with http; got %q", c.URL)})
	}
	for i, it := range c.Items {
		if it.Weight > 100 {
			errs = append(errs, &tributary.FieldError{Path: fmt.Sprintf("items[%d].weight", i), Message: "must be at most 100"})
		}
	}
	if c.Auth != nil && c.Auth.Scheme == "basic" {
		errs = append(errs, &tributary.FieldError{Path: "auth.scheme", Message: "basic is not supported; use bearer"})
	}
	if c.Mode == "slow" && c.Port == 0 {
		// A path that is absent from the file: reported at the section.
		errs = append(errs, &tributary.FieldError{Path: "port", Message: "is required in slow mode"})
	}
	if c.Ratio > 1 {
		// Repeats its key, as some kinds' messages do.
		errs = append(errs, &tributary.FieldError{Path: "ratio", Message: "ratio must be at most 1"})
	}
	if c.Port == 13 {
		return errors.New("port 13 is unlucky")
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func (c *testConfig) Build(context.Context, string, tributary.BuildContext) (*tributary.Subgraph, error) {
	return nil, errors.New("testkind does not build")
}

type plainConfig struct {
	Path string `yaml:"path" doc:"A required path that only the loader checks." required:"true"`
}

func (*plainConfig) Validate() error { return nil }

func (*plainConfig) Build(context.Context, string, tributary.BuildContext) (*tributary.Subgraph, error) {
	return nil, errors.New("plainkind does not build")
}
