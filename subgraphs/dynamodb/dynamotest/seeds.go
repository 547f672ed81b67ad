package dynamotest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Sizes of the seeds' data set.
const (
	SeedUsers  = 500
	SeedTweets = 5000
)

// Client returns a DynamoDB client that reaches dynalite directly, not
// through the proxy, so that seeding is not counted.
func (s *Server) Client(ctx context.Context) (*ddb.Client, error) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion("us-east-1"),
		awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("dynalite", "dynalite", "")))
	if err != nil {
		return nil, err
	}
	return ddb.NewFromConfig(cfg, func(o *ddb.Options) { o.BaseEndpoint = aws.String(s.DirectURL) }), nil
}

// Handle is the handle of seed user i: user000…user499.
func Handle(i int) string { return fmt.Sprintf("user%03d", i) }

// CreateSeedTables creates the seeds' tables: Users keyed by handle, and
// Tweets keyed by tweet_id with the index tweet-index on handle and
// created_at.
func CreateSeedTables(ctx context.Context, db *ddb.Client) error {
	throughput := &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1000), WriteCapacityUnits: aws.Int64(1000)}
	str := func(name string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(name), AttributeType: types.ScalarAttributeTypeS}
	}
	key := func(name string, kt types.KeyType) types.KeySchemaElement {
		return types.KeySchemaElement{AttributeName: aws.String(name), KeyType: kt}
	}
	tables := []*ddb.CreateTableInput{{
		TableName:             aws.String("Users"),
		AttributeDefinitions:  []types.AttributeDefinition{str("handle")},
		KeySchema:             []types.KeySchemaElement{key("handle", types.KeyTypeHash)},
		ProvisionedThroughput: throughput,
	}, {
		TableName:            aws.String("Tweets"),
		AttributeDefinitions: []types.AttributeDefinition{str("tweet_id"), str("handle"), str("created_at")},
		KeySchema:            []types.KeySchemaElement{key("tweet_id", types.KeyTypeHash)},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName:             aws.String("tweet-index"),
			KeySchema:             []types.KeySchemaElement{key("handle", types.KeyTypeHash), key("created_at", types.KeyTypeRange)},
			Projection:            &types.Projection{ProjectionType: types.ProjectionTypeAll},
			ProvisionedThroughput: throughput,
		}},
		ProvisionedThroughput: throughput,
	}}
	for _, in := range tables {
		if err := CreateTable(ctx, db, in); err != nil {
			return err
		}
	}
	return nil
}

// LoadSeeds writes the seed users and tweets: user i has the name "User
// i" and i followers; tweet j (t00000…t04999) belongs to user j mod 500
// and was created j minutes after 2026-01-01T00:00:00Z.
func LoadSeeds(ctx context.Context, db *ddb.Client) error {
	var users, tweets []map[string]types.AttributeValue
	for i := range SeedUsers {
		users = append(users, map[string]types.AttributeValue{
			"handle":          &types.AttributeValueMemberS{Value: Handle(i)},
			"name":            &types.AttributeValueMemberS{Value: "User " + strconv.Itoa(i)},
			"description":     &types.AttributeValueMemberS{Value: "seed user"},
			"followers_count": &types.AttributeValueMemberN{Value: strconv.Itoa(i)},
			"location":        &types.AttributeValueMemberS{Value: "not declared, so never served"},
		})
	}
	epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for j := range SeedTweets {
		tweets = append(tweets, map[string]types.AttributeValue{
			"tweet_id":   &types.AttributeValueMemberS{Value: fmt.Sprintf("t%05d", j)},
			"handle":     &types.AttributeValueMemberS{Value: Handle(j % SeedUsers)},
			"tweet":      &types.AttributeValueMemberS{Value: fmt.Sprintf("tweet %d", j)},
			"created_at": &types.AttributeValueMemberS{Value: epoch.Add(time.Duration(j) * time.Minute).Format(time.RFC3339)},
		})
	}
	if err := WriteItems(ctx, db, "Users", users); err != nil {
		return err
	}
	return WriteItems(ctx, db, "Tweets", tweets)
}

// WriteItems writes items with BatchWriteItem, 25 a call, four calls at a
// time, retrying unprocessed items.
func WriteItems(ctx context.Context, db *ddb.Client, table string, items []map[string]types.AttributeValue) error {
	var wg sync.WaitGroup
	errs := make(chan error, (len(items)+24)/25)
	sem := make(chan struct{}, 4)
	for start := 0; start < len(items); start += 25 {
		chunk := items[start:min(start+25, len(items))]
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			var reqs []types.WriteRequest
			for _, it := range chunk {
				reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: it}})
			}
			pending := map[string][]types.WriteRequest{table: reqs}
			for len(pending) > 0 {
				out, err := db.BatchWriteItem(ctx, &ddb.BatchWriteItemInput{RequestItems: pending})
				if err != nil {
					errs <- fmt.Errorf("writing to %s: %w", table, err)
					return
				}
				pending = out.UnprocessedItems
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// CreateTable creates a table and waits until it is ACTIVE; a table that
// exists already is left as it is.
func CreateTable(ctx context.Context, db *ddb.Client, in *ddb.CreateTableInput) error {
	if _, err := db.CreateTable(ctx, in); err != nil {
		var inUse *types.ResourceInUseException
		if !errors.As(err, &inUse) {
			return fmt.Errorf("creating table %s: %w", *in.TableName, err)
		}
	}
	for {
		out, err := db.DescribeTable(ctx, &ddb.DescribeTableInput{TableName: in.TableName})
		if err != nil {
			return fmt.Errorf("describing table %s: %w", *in.TableName, err)
		}
		if out.Table.TableStatus == types.TableStatusActive {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}
