package dynamodb

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/tributary-gw/tributary"
)

// Build checks the section, generates the subgraph SDL and makes the
// DynamoDB client. It does not call DynamoDB: Ready does.
func (c *Config) Build(ctx context.Context, name string, bc tributary.BuildContext) (*tributary.Subgraph, error) {
	m, err := c.model()
	if err != nil {
		return nil, err
	}
	tokens, err := newTokenSigner(c.TokenSecret)
	if err != nil {
		return nil, err
	}
	httpClient := bc.NewHTTPClient(tributary.HTTPClientOptions{Timeout: c.timeout()})
	db, err := c.client(ctx, httpClient)
	if err != nil {
		return nil, err
	}
	s := &source{name: name, m: m, db: db, tokens: tokens, retry: c.retryPolicy(), concurrency: c.concurrency()}
	return &tributary.Subgraph{
		Name:   name,
		SDL:    m.sdl(),
		Source: s,
		Ready:  s.ready,
		Close: func(context.Context) error {
			httpClient.CloseIdleConnections()
			return nil
		},
	}, nil
}

// client makes the DynamoDB client: credentials from the SDK's default
// chain, the section's region and endpoint, and its retry policy.
func (c *Config) client(ctx context.Context, httpClient *http.Client) (*ddb.Client, error) {
	policy := c.retryPolicy()
	// The gateway's HTTP client is set on the service client, not on the
	// loaded configuration: the loader refuses a client it cannot give
	// AWS_CA_BUNDLE to, and the gateway's client trusts the system's roots
	// (SSL_CERT_FILE) already.
	opts := []func(*awsconfig.LoadOptions) error{
		awsconfig.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = policy.attempts
				o.MaxBackoff = policy.maxWait
				o.Backoff = policy
			})
		}),
	}
	if c.Region != "" {
		opts = append(opts, awsconfig.WithRegion(c.Region))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, &tributary.FieldError{Path: "region", Message: fmt.Sprintf("cannot load the AWS configuration: %v", err), Err: err}
	}
	if cfg.Region == "" {
		return nil, &tributary.FieldError{Path: "region", Message: "is required: no region is set here nor in AWS_REGION or the shared AWS config (e.g. us-east-1)"}
	}
	return ddb.NewFromConfig(cfg, func(o *ddb.Options) {
		o.HTTPClient = httpClient
		if c.Endpoint != "" {
			o.BaseEndpoint = aws.String(c.Endpoint)
		}
	}), nil
}

// ready checks that every table exists with the key schema and indexes
// the section declares (DescribeTable).
func (s *source) ready(ctx context.Context) error {
	var errs []error
	for _, t := range s.m.tables {
		out, err := s.db.DescribeTable(ctx, &ddb.DescribeTableInput{TableName: aws.String(t.name)})
		if err != nil {
			_, msg := callFailure(ctx, "DescribeTable", t.name, err)
			errs = append(errs, fmt.Errorf("%s (does the table exist in this region and account?)", msg))
			continue
		}
		for _, problem := range checkTable(t, out.Table) {
			errs = append(errs, fmt.Errorf("table %s: %s", t.name, problem))
		}
	}
	return errors.Join(errs...)
}
