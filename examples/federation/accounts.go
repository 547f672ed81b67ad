package federation

import (
	"fmt"

	"github.com/graphql-go/graphql"
)

// accountsSDL is the accounts subgraph: users and staff accounts. username is
// @shareable because the reviews subgraph @provides it.
const accountsSDL = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

type Query {
  me: User
  user(id: ID!): User
  users: [User!]!
  accounts: [Account!]!
}

interface Account {
  id: ID!
  username: String!
}

type User implements Account @key(fields: "id") {
  id: ID!
  name: String!
  username: String! @shareable
  birthYear: Int!
}

type Admin implements Account @key(fields: "id") {
  id: ID!
  username: String! @shareable
  permissions: [String!]!
}
`

// meUserID is the user that Query.me answers with, as if signed in.
const meUserID = "1"

// accountsUser is a User as the accounts subgraph serves it.
type accountsUser storeUser

func (*accountsUser) graphQLTypeName() string { return "User" }

// accountsAdmin is an Admin as the accounts subgraph serves it.
type accountsAdmin storeAdmin

func (*accountsAdmin) graphQLTypeName() string { return "Admin" }

// Accounts returns the accounts subgraph: Query.me, user, users, accounts and
// the User and Admin entities.
func Accounts() *Service {
	return mustNewService(subgraphDefinition{
		name: "accounts",
		sdl:  accountsSDL,
		fields: map[string]graphql.FieldResolveFn{
			"Query.me": func(graphql.ResolveParams) (any, error) { return accountsUserByID(meUserID), nil },
			"Query.user": func(p graphql.ResolveParams) (any, error) {
				id, _ := p.Args["id"].(string)
				return accountsUserByID(id), nil
			},
			"Query.users": func(graphql.ResolveParams) (any, error) {
				out := make([]*accountsUser, len(storeUsers))
				for i, u := range storeUsers {
					out[i] = (*accountsUser)(&u)
				}
				return out, nil
			},
			"Query.accounts": func(graphql.ResolveParams) (any, error) {
				out := make([]any, 0, len(storeUsers)+len(storeAdmins))
				for _, u := range storeUsers {
					out = append(out, (*accountsUser)(&u))
				}
				for _, a := range storeAdmins {
					out = append(out, (*accountsAdmin)(&a))
				}
				return out, nil
			},
		},
		entities: map[string]entityResolver{
			"User": func(rep representation) (typeNamer, error) {
				id, err := rep.key("id")
				if err != nil {
					return nil, err
				}
				if u := accountsUserByID(id); u != nil {
					return u, nil
				}
				return nil, nil
			},
			"Admin": func(rep representation) (typeNamer, error) {
				id, err := rep.key("id")
				if err != nil {
					return nil, err
				}
				if a, ok := findAdmin(id); ok {
					return (*accountsAdmin)(&a), nil
				}
				return nil, nil
			},
		},
	})
}

// accountsUserByID returns the user, or nil when there is none.
func accountsUserByID(id string) *accountsUser {
	if u, ok := findUser(id); ok {
		return (*accountsUser)(&u)
	}
	return nil
}

// mustNewService builds one of the package's subgraphs. Their SDL and
// resolvers are fixed and tested, so a failure is a programming error.
func mustNewService(def subgraphDefinition) *Service {
	s, err := newService(def)
	if err != nil {
		panic(fmt.Sprintf("federation: example subgraph does not build: %v", err))
	}
	return s
}
