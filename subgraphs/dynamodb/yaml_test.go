package dynamodb_test

import (
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/subgraphs/dynamodb"
)

// fullYAML sets every key of the section.
const fullYAML = `
subgraphs:
  - name: social
    dynamodb:
      region: ${AWS_REGION:-eu-west-1}
      endpoint: ${DYNAMODB_ENDPOINT:-}
      tokenSecret: ${TOKEN_SECRET}
      timeout: 2s
      concurrency: 8
      retry: {attempts: 4, minWait: 10ms, maxWait: 500ms}
      tables:
        - table: Users
          type: User
          key: {partition: handle}
          attributes: {handle: ID!, name: String, "user-id": Int}
          rename: {"user-id": userId}
          indexes:
            - {name: by-user-id, partition: user-id, field: usersById}
          scan: true
          fields: {get: getUserInfo, scan: allUsers, put: addUser, update: editUser, delete: removeUser}
        - table: Tweets
          type: Tweet
          key: {partition: handle, sort: created_at}
          attributes: {handle: String!, created_at: String!, tweet: String}
          fields: {query: timeline}
      relations:
        - field: User.tweets
          table: Tweets
          match: {handle: handle}
          order: desc
        - field: Account.tweets
          table: Tweets
          match: {handle: login}
          parentFields: {login: ID!}
`

func env(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) { v, ok := vars[name]; return v, ok }
}

func TestGatewayYAMLSection(t *testing.T) {
	cfg, err := config.Parse("gateway.yaml", []byte(fullYAML), env(map[string]string{"TOKEN_SECRET": "0123456789abcdef-secret"}))
	if err != nil {
		t.Fatal(err)
	}
	c, ok := cfg.Subgraphs[0].Config.(*dynamodb.Config)
	if !ok {
		t.Fatalf("section decoded as %T", cfg.Subgraphs[0].Config)
	}
	if c.Region != "eu-west-1" || c.Endpoint != "" || c.Retry.Attempts != 4 || c.Concurrency != 8 || c.Tables[0].Fields.Scan != "allUsers" ||
		c.Tables[1].Key.Sort != "created_at" || c.Relations[0].Order != "desc" || c.Relations[1].ParentFields["login"] != "ID!" {
		t.Errorf("decoded %+v", c)
	}
	sg, err := c.Build(t.Context(), "social", buildContext())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"getUserInfo(handle: ID!): User", "usersById(userId: Int!, limit: Int, nextToken: String, order: SortOrder = ASC): UserPage!",
		"allUsers(limit: Int, nextToken: String): UserPage!", "addUser(input: UserInput!", "editUser(handle: ID!", "removeUser(handle: ID!",
		"timeline(handle: String!, created_at: StringKeyCondition, limit: Int", "tweet(handle: String!, created_at: String!): Tweet",
		`type Tweet @key(fields: "handle created_at")`, `type Account @key(fields: "login") {`, "  login: ID!",
		"  tweets(limit: Int, nextToken: String, created_at: StringKeyCondition, order: SortOrder = DESC): TweetPage!",
		"  userId: Int",
	} {
		if !strings.Contains(sg.SDL, want) {
			t.Errorf("SDL lacks %q:\n%s", want, sg.SDL)
		}
	}
}

// Problems point at the key's line, name the subgraph, and never quote
// the token secret.
func TestGatewayYAMLErrorsPointAtKeys(t *testing.T) {
	vars := env(map[string]string{"TOKEN_SECRET": "0123456789abcdef-secret"})
	tests := []struct{ from, to, want string }{
		{"partition: handle}\n          attributes: {handle: ID!, name", "partition: nick}\n          attributes: {handle: ID!, name",
			`gateway.yaml:14: subgraphs[0] "social": dynamodb.tables[0].key.partition: "nick" is not in attributes`},
		{`"user-id": Int}`, `"user-id": Integer}`, `dynamodb.tables[0].attributes.user-id: "Integer" is not an attribute type`},
		{`rename: {"user-id": userId}`, `rename: {}`, `dynamodb.tables[0].attributes.user-id: "user-id" is not a GraphQL field name; give it one with rename`},
		{"order: desc", "order: newest", `gateway.yaml:30: subgraphs[0] "social": dynamodb.relations[0].order must be one of asc, desc`},
		{"match: {handle: handle}", "match: {tweet: handle}", `dynamodb.relations[0].match must map the partition attribute handle`},
		{"table: Tweets\n          match", "table: Nope\n          match", `dynamodb.relations[0].table: "Nope" is not one of tables`},
		{"fields: {query: timeline}", "fields: {query: getUserInfo}", `root field Query.getUserInfo of table Tweets is also generated for table Users`},
		{"endpoint: ${DYNAMODB_ENDPOINT:-}", "endpoint: localhost:8000", "dynamodb.endpoint must be an http(s) URL"},
		{"attempts: 4", "attempts: 40", "dynamodb.retry.attempts must be between 1 and 20"},
		{"parentFields: {login: ID!}", "parentFields: {login: Int!}", `dynamodb.relations[1].parentFields.login: Int! cannot match handle, declared String!`},
		{"type: User\n", "type: Query\n", `dynamodb.tables[0].type: "Query" is a name the generated schema uses`},
	}
	for _, tt := range tests {
		yaml := strings.Replace(fullYAML, tt.from, tt.to, 1)
		if yaml == fullYAML {
			t.Fatalf("%q not found", tt.from)
		}
		_, err := config.Parse("gateway.yaml", []byte(yaml), vars)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v\nwant %s", tt.to, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), "0123456789abcdef") {
			t.Errorf("error leaks the secret:\n%v", err)
		}
	}
	_, err := config.Parse("gateway.yaml", []byte(fullYAML), env(map[string]string{"TOKEN_SECRET": "short"}))
	if err == nil || !strings.Contains(err.Error(), "dynamodb.tokenSecret must be at least 16 bytes") {
		t.Errorf("short secret: %v", err)
	}
}
