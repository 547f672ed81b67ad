package federation

import (
	"fmt"
	"strings"

	"github.com/graphql-go/graphql"
)

// productsSDL is the products subgraph: the catalog and its categories.
const productsSDL = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

type Query {
  topProducts(first: Int = 5): [Product!]!
  product(upc: String!): Product
  search(text: String!): [SearchResult!]!
}

type Product @key(fields: "upc") {
  upc: String!
  name: String!
  price: Int!
  weight: Int!
  category: Category!
}

type Category {
  id: ID!
  name: String!
}

union SearchResult = Product | Category
`

// catalogProduct is a Product as the products subgraph serves it.
type catalogProduct storeProduct

func (*catalogProduct) graphQLTypeName() string { return "Product" }

// catalogCategory is a Category as the products subgraph serves it.
type catalogCategory storeCategory

func (*catalogCategory) graphQLTypeName() string { return "Category" }

// Products returns the products subgraph: Query.topProducts, product and
// search, and the Product entity.
func Products() *Service {
	return mustNewService(subgraphDefinition{
		name: "products",
		sdl:  productsSDL,
		fields: map[string]graphql.FieldResolveFn{
			"Query.topProducts": resolveTopProducts,
			"Query.product": func(p graphql.ResolveParams) (any, error) {
				upc, _ := p.Args["upc"].(string)
				return catalogProductByUPC(upc), nil
			},
			"Query.search": resolveSearch,
			"Product.category": func(p graphql.ResolveParams) (any, error) {
				product, _ := p.Source.(*catalogProduct)
				if product == nil {
					return nil, fmt.Errorf("Product.category: source is %T, want a catalog product", p.Source)
				}
				c, ok := findCategory(product.CategoryID)
				if !ok {
					return nil, fmt.Errorf("product %s names category %q, which does not exist", product.UPC, product.CategoryID)
				}
				return (*catalogCategory)(&c), nil
			},
		},
		entities: map[string]entityResolver{
			"Product": func(rep representation) (typeNamer, error) {
				upc, err := rep.key("upc")
				if err != nil {
					return nil, err
				}
				if p := catalogProductByUPC(upc); p != nil {
					return p, nil
				}
				return nil, nil
			},
		},
	})
}

// resolveTopProducts answers Query.topProducts: the first n catalog products.
func resolveTopProducts(p graphql.ResolveParams) (any, error) {
	n, err := firstArgument(p, len(storeProducts))
	if err != nil {
		return nil, err
	}
	out := make([]*catalogProduct, n)
	for i := range out {
		out[i] = (*catalogProduct)(&storeProducts[i])
	}
	return out, nil
}

// resolveSearch answers Query.search: the products, then the categories, whose
// name contains the text, ignoring case.
func resolveSearch(p graphql.ResolveParams) (any, error) {
	text, _ := p.Args["text"].(string)
	text = strings.ToLower(strings.TrimSpace(text))
	if text == "" {
		return nil, fmt.Errorf("search text is empty; pass a word such as \"chair\"")
	}
	var out []any
	for i := range storeProducts {
		if strings.Contains(strings.ToLower(storeProducts[i].Name), text) {
			out = append(out, (*catalogProduct)(&storeProducts[i]))
		}
	}
	for i := range storeCategories {
		if strings.Contains(strings.ToLower(storeCategories[i].Name), text) {
			out = append(out, (*catalogCategory)(&storeCategories[i]))
		}
	}
	if out == nil {
		out = []any{}
	}
	return out, nil
}

// catalogProductByUPC returns the product, or nil when there is none.
func catalogProductByUPC(upc string) *catalogProduct {
	if p, ok := findProduct(upc); ok {
		return (*catalogProduct)(&p)
	}
	return nil
}

// firstArgument reads a "first" list-size argument, capped at limit.
func firstArgument(p graphql.ResolveParams, limit int) (int, error) {
	n, ok := p.Args["first"].(int)
	if !ok {
		return limit, nil
	}
	if n < 0 {
		return 0, fmt.Errorf("first is %d; pass a count of 0 or more", n)
	}
	return min(n, limit), nil
}
