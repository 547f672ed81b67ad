package dynamodb

import (
	"time"

	"github.com/tributary-gw/tributary"
)

// Defaults applied when a key is absent or zero.
const (
	defaultTimeout     = 5 * time.Second
	defaultAttempts    = 5
	defaultMinWait     = 25 * time.Millisecond
	defaultMaxWait     = time.Second
	defaultConcurrency = 16
	// maxAttempts bounds retry.attempts: more tries only delay the error.
	maxAttempts = 20
)

// Config is the `dynamodb:` section of a subgraph in gateway.yaml.
type Config struct {
	// Region is the AWS region of the tables.
	Region string `yaml:"region,omitempty" doc:"The AWS region of the tables, e.g. us-east-1; unset means the SDK's default chain (AWS_REGION, shared config)."`
	// Endpoint overrides the DynamoDB endpoint (local DynamoDB, dynalite).
	Endpoint string `yaml:"endpoint,omitempty" doc:"A DynamoDB endpoint URL to use instead of AWS's, e.g. http://localhost:8000 for a local DynamoDB; empty means AWS."`
	// TokenSecret signs nextToken values.
	TokenSecret string `yaml:"tokenSecret,omitempty" doc:"Secret that signs nextToken values (HMAC-SHA256), at least 16 bytes; use ${ENV}. Unset means a random key per process: tokens then do not survive a restart nor work across gateway instances."`
	// Timeout bounds one DynamoDB request (one attempt).
	Timeout tributary.Duration `yaml:"timeout,omitempty" doc:"Bound on one DynamoDB request, each retry counted separately." default:"5s"`
	// Retry configures retries of throttled and failed requests.
	Retry *RetryConfig `yaml:"retry,omitempty" doc:"Retries of throttled requests, 5xx answers and unprocessed BatchGetItem keys."`
	// Concurrency bounds the queries in flight for one relation batch.
	Concurrency int `yaml:"concurrency,omitempty" doc:"Most DynamoDB queries in flight at once for one relation field over a plan level's parents, and BatchGetItem calls for one entity batch." default:"16"`
	// Tables are the tables served.
	Tables []TableConfig `yaml:"tables,omitempty" doc:"The DynamoDB tables served, each as one GraphQL type." required:"true"`
	// Relations add fields that query a table by the parent's values.
	Relations []RelationConfig `yaml:"relations,omitempty" doc:"Fields added to a type (of this or another subgraph) that query a table or index with values of the parent object."`
}

// RetryConfig is the `retry:` section.
type RetryConfig struct {
	// Attempts is the total number of tries, first included.
	Attempts int `yaml:"attempts,omitempty" doc:"Total tries per DynamoDB call, the first included; 1 means no retry. Waits end early when the request's deadline would pass." default:"5"`
	// MinWait is the first backoff.
	MinWait tributary.Duration `yaml:"minWait,omitempty" doc:"Wait before the first retry; it doubles with each retry, with full jitter." default:"25ms"`
	// MaxWait caps a backoff.
	MaxWait tributary.Duration `yaml:"maxWait,omitempty" doc:"Longest wait between tries." default:"1s"`
}

// TableConfig is one item of `tables`.
type TableConfig struct {
	// Table is the DynamoDB table name.
	Table string `yaml:"table,omitempty" doc:"The DynamoDB table name." required:"true"`
	// Type is the GraphQL type of the table's items.
	Type string `yaml:"type,omitempty" doc:"The GraphQL type of the table's items, e.g. User; it is an entity keyed by the table's primary key." required:"true"`
	// Key is the table's primary key.
	Key KeyConfig `yaml:"key,omitempty" doc:"The table's primary key: its partition attribute, and sort attribute when it has one." required:"true"`
	// Attributes declares the attributes served and their GraphQL types.
	Attributes map[string]string `yaml:"attributes,omitempty" doc:"Attributes served, by DynamoDB name, with their GraphQL type: ID, String, Int, Float or Boolean, a list of one ([String]), ! for non-null. Other attributes of an item are ignored." required:"true"`
	// Rename gives GraphQL field names to attributes whose names are not
	// GraphQL names.
	Rename map[string]string `yaml:"rename,omitempty" doc:"GraphQL field names by attribute name, for attributes whose DynamoDB name is not a GraphQL name (e.g. {\"user-id\": userId})."`
	// Indexes are the table's global and local secondary indexes to query.
	Indexes []IndexConfig `yaml:"indexes,omitempty" doc:"Secondary indexes (global or local) to query, each with its key attributes."`
	// Scan adds a root field that scans the table.
	Scan bool `yaml:"scan,omitempty" doc:"Add a root field that scans the whole table, page by page; off by default, since a scan reads every item." default:"false"`
	// Fields renames generated root fields.
	Fields FieldNames `yaml:"fields,omitempty" doc:"Names for the generated root fields, replacing the defaults."`
}

// KeyConfig is a primary or index key.
type KeyConfig struct {
	// Partition is the partition (hash) key attribute.
	Partition string `yaml:"partition,omitempty" doc:"The partition (hash) key attribute." required:"true"`
	// Sort is the sort (range) key attribute, if any.
	Sort string `yaml:"sort,omitempty" doc:"The sort (range) key attribute, when the key has one."`
}

// IndexConfig is one item of `indexes`.
type IndexConfig struct {
	// Name is the index name in DynamoDB.
	Name string `yaml:"name,omitempty" doc:"The index name, as DynamoDB knows it." required:"true"`
	// Partition is the index's partition key attribute.
	Partition string `yaml:"partition,omitempty" doc:"The index's partition (hash) key attribute." required:"true"`
	// Sort is the index's sort key attribute, if any.
	Sort string `yaml:"sort,omitempty" doc:"The index's sort (range) key attribute, when it has one."`
	// Field renames the index's root query field.
	Field string `yaml:"field,omitempty" doc:"Name of the index's root query field, replacing the generated one: the type's plural, By, and the partition field in PascalCase (tweetsByHandle)."`
}

// FieldNames renames a table's generated root fields.
type FieldNames struct {
	// Get, Query, Scan, Put, Update and Delete name the generated root
	// fields; empty keeps the generated name.
	Get    string `yaml:"get,omitempty" doc:"Get by primary key; default the type in lower camel case (user)."`
	Query  string `yaml:"query,omitempty" doc:"Query by partition key, for tables with a sort key; default named as for an index (tweetsByHandle)."`
	Scan   string `yaml:"scan,omitempty" doc:"Scan, when scan is true; default the type's plural in lower camel case (users)."`
	Put    string `yaml:"put,omitempty" doc:"Put mutation; default put and the type (putUser)."`
	Update string `yaml:"update,omitempty" doc:"Update mutation; default update and the type (updateUser)."`
	Delete string `yaml:"delete,omitempty" doc:"Delete mutation; default delete and the type (deleteUser)."`
}

// RelationConfig is one item of `relations`.
type RelationConfig struct {
	// Field is the field added, written TYPE.FIELD.
	Field string `yaml:"field,omitempty" doc:"The field added, as TYPE.FIELD (User.tweets); TYPE may be a table's type or a type of another subgraph." required:"true"`
	// Table is the table queried.
	Table string `yaml:"table,omitempty" doc:"The table queried, by its DynamoDB name; one of tables." required:"true"`
	// Index is the index queried; unset means the table's own key.
	Index string `yaml:"index,omitempty" doc:"The index queried, one of the table's indexes; unset means the table's own primary key."`
	// Match maps the queried partition key attribute to a parent field.
	Match map[string]string `yaml:"match,omitempty" doc:"The queried key's partition attribute, mapped to the parent field that gives its value: {handle: handle}." required:"true"`
	// Order is the default sort key order.
	Order string `yaml:"order,omitempty" doc:"Default order of the sort key: asc, or desc for newest first; the field's order argument overrides it." default:"asc" enum:"asc,desc"`
	// ParentFields types the parent's key fields when TYPE belongs to
	// another subgraph.
	ParentFields map[string]string `yaml:"parentFields,omitempty" doc:"GraphQL types of the match fields when TYPE belongs to another subgraph, as that subgraph declares them (e.g. {handle: ID!}); default: the matched attribute's type."`
}

func (c *Config) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout.Std()
	}
	return defaultTimeout
}

func (c *Config) concurrency() int {
	if c.Concurrency > 0 {
		return c.Concurrency
	}
	return defaultConcurrency
}

// retryPolicy is the effective retry settings, defaults applied.
type retryPolicy struct {
	attempts         int
	minWait, maxWait time.Duration
}

func (c *Config) retryPolicy() retryPolicy {
	p := retryPolicy{attempts: defaultAttempts, minWait: defaultMinWait, maxWait: defaultMaxWait}
	if r := c.Retry; r != nil {
		if r.Attempts > 0 {
			p.attempts = r.Attempts
		}
		if r.MinWait > 0 {
			p.minWait = r.MinWait.Std()
		}
		if r.MaxWait > 0 {
			p.maxWait = r.MaxWait.Std()
		}
	}
	p.maxWait = max(p.maxWait, p.minWait)
	return p
}
