package federation

import (
	"fmt"

	"github.com/graphql-go/graphql"
)

// reviewsSDL is the reviews subgraph: reviews, and the reviews of users and
// products. It keeps each review's author username, so it @provides it.
const reviewsSDL = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@provides"])

type Query {
  latestReviews(first: Int = 3): [Review!]!
}

type Review @key(fields: "id") {
  id: ID!
  body: String!
  rating: Int!
  author: User! @provides(fields: "username")
  product: Product!
}

type User @key(fields: "id") {
  id: ID!
  username: String! @external
  reviews: [Review!]!
}

type Product @key(fields: "upc") {
  upc: String!
  reviews: [Review!]!
}
`

// review is a Review as the reviews subgraph serves it.
type review storeReview

func (*review) graphQLTypeName() string { return "Review" }

// reviewer is a User as the reviews subgraph knows it: an id and the
// username, of which reviews keeps its own copy (here, the shared store).
type reviewer struct {
	ID       string
	Username string
}

func (*reviewer) graphQLTypeName() string { return "User" }

// reviewedProduct is a Product as the reviews subgraph knows it: a UPC.
type reviewedProduct struct {
	UPC string
}

func (*reviewedProduct) graphQLTypeName() string { return "Product" }

// Reviews returns the reviews subgraph: Query.latestReviews and the Review,
// User and Product entities.
func Reviews() *Service {
	return mustNewService(subgraphDefinition{
		name: "reviews",
		sdl:  reviewsSDL,
		fields: map[string]graphql.FieldResolveFn{
			"Query.latestReviews": resolveLatestReviews,
			"Review.author": func(p graphql.ResolveParams) (any, error) {
				r, err := reviewSource(p)
				if err != nil {
					return nil, err
				}
				u, ok := findUser(r.AuthorID)
				if !ok {
					return nil, fmt.Errorf("review %s names author %q, who does not exist", r.ID, r.AuthorID)
				}
				return &reviewer{ID: u.ID, Username: u.Username}, nil
			},
			"Review.product": func(p graphql.ResolveParams) (any, error) {
				r, err := reviewSource(p)
				if err != nil {
					return nil, err
				}
				return &reviewedProduct{UPC: r.ProductUPC}, nil
			},
			"User.reviews": func(p graphql.ResolveParams) (any, error) {
				u, _ := p.Source.(*reviewer)
				if u == nil {
					return nil, fmt.Errorf("User.reviews: source is %T, want a reviewer", p.Source)
				}
				return reviewsWhere(func(r *storeReview) bool { return r.AuthorID == u.ID }), nil
			},
			"Product.reviews": func(p graphql.ResolveParams) (any, error) {
				product, _ := p.Source.(*reviewedProduct)
				if product == nil {
					return nil, fmt.Errorf("Product.reviews: source is %T, want a reviewed product", p.Source)
				}
				return reviewsWhere(func(r *storeReview) bool { return r.ProductUPC == product.UPC }), nil
			},
		},
		entities: map[string]entityResolver{
			"Review": func(rep representation) (typeNamer, error) {
				id, err := rep.key("id")
				if err != nil {
					return nil, err
				}
				if r, ok := findReview(id); ok {
					return (*review)(&r), nil
				}
				return nil, nil
			},
			"User": func(rep representation) (typeNamer, error) {
				id, err := rep.key("id")
				if err != nil {
					return nil, err
				}
				if u, ok := findUser(id); ok {
					return &reviewer{ID: u.ID, Username: u.Username}, nil
				}
				return nil, nil
			},
			"Product": func(rep representation) (typeNamer, error) {
				upc, err := rep.key("upc")
				if err != nil {
					return nil, err
				}
				if _, ok := findProduct(upc); ok {
					return &reviewedProduct{UPC: upc}, nil
				}
				return nil, nil
			},
		},
	})
}

// resolveLatestReviews answers Query.latestReviews: the newest n reviews,
// newest first.
func resolveLatestReviews(p graphql.ResolveParams) (any, error) {
	n, err := firstArgument(p, len(storeReviews))
	if err != nil {
		return nil, err
	}
	out := make([]*review, n)
	for i := range out {
		out[i] = (*review)(&storeReviews[len(storeReviews)-1-i])
	}
	return out, nil
}

// reviewsWhere returns the reviews that match, oldest first.
func reviewsWhere(match func(*storeReview) bool) []*review {
	out := []*review{}
	for i := range storeReviews {
		if match(&storeReviews[i]) {
			out = append(out, (*review)(&storeReviews[i]))
		}
	}
	return out
}

// reviewSource returns the review a Review field is resolved on.
func reviewSource(p graphql.ResolveParams) (*review, error) {
	r, _ := p.Source.(*review)
	if r == nil {
		return nil, fmt.Errorf("Review.%s: source is %T, want a review", p.Info.FieldName, p.Source)
	}
	return r, nil
}
