package federation

import (
	"fmt"

	"github.com/graphql-go/graphql"
)

// inventorySDL is the inventory subgraph: stock and shipping for products. It
// has no root fields; the gateway reaches it through _entities only.
const inventorySDL = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

type Product @key(fields: "upc") {
  upc: String!
  price: Int! @external
  weight: Int! @external
  inStock: Boolean!
  shippingEstimate: Int! @requires(fields: "price weight")
}
`

// freeShippingAbove is the price above which shipping is free.
const freeShippingAbove = 1000

// stockedProduct is a Product as the inventory subgraph serves it. Price and
// weight belong to the products subgraph; they are read from the
// representation, where the gateway put them because of @requires.
type stockedProduct struct {
	UPC     string
	InStock bool
	rep     representation
}

func (*stockedProduct) graphQLTypeName() string { return "Product" }

// Inventory returns the inventory subgraph: the Product entity with inStock
// and shippingEstimate.
func Inventory() *Service {
	return mustNewService(subgraphDefinition{
		name: "inventory",
		sdl:  inventorySDL,
		fields: map[string]graphql.FieldResolveFn{
			"Product.price":            requiredIntField("price"),
			"Product.weight":           requiredIntField("weight"),
			"Product.shippingEstimate": resolveShippingEstimate,
		},
		entities: map[string]entityResolver{
			"Product": func(rep representation) (typeNamer, error) {
				upc, err := rep.key("upc")
				if err != nil {
					return nil, err
				}
				p, ok := findProduct(upc)
				if !ok {
					return nil, nil
				}
				return &stockedProduct{UPC: p.UPC, InStock: p.InStock, rep: rep}, nil
			},
		},
	})
}

// resolveShippingEstimate answers Product.shippingEstimate: free above
// freeShippingAbove, else half the weight. It fails when the gateway did not
// send the @requires fields, which is how a test sees a broken @requires.
func resolveShippingEstimate(p graphql.ResolveParams) (any, error) {
	product, err := stockedSource(p)
	if err != nil {
		return nil, err
	}
	price, err := product.rep.int("price")
	if err != nil {
		return nil, fmt.Errorf("Product.shippingEstimate of %s needs @requires(fields: \"price weight\"): %w", product.UPC, err)
	}
	weight, err := product.rep.int("weight")
	if err != nil {
		return nil, fmt.Errorf("Product.shippingEstimate of %s needs @requires(fields: \"price weight\"): %w", product.UPC, err)
	}
	if price > freeShippingAbove {
		return 0, nil
	}
	return weight / 2, nil
}

// requiredIntField resolves an @external Int field from the representation.
func requiredIntField(field string) graphql.FieldResolveFn {
	return func(p graphql.ResolveParams) (any, error) {
		product, err := stockedSource(p)
		if err != nil {
			return nil, err
		}
		v, err := product.rep.int(field)
		if err != nil {
			return nil, fmt.Errorf("Product.%s of %s (@external): %w", field, product.UPC, err)
		}
		return v, nil
	}
}

// stockedSource returns the product a Product field is resolved on.
func stockedSource(p graphql.ResolveParams) (*stockedProduct, error) {
	product, _ := p.Source.(*stockedProduct)
	if product == nil {
		return nil, fmt.Errorf("Product.%s: source is %T, want an inventory product", p.Info.FieldName, p.Source)
	}
	return product, nil
}
