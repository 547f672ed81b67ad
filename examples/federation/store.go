package federation

// The store below is the one data set behind all four subgraphs: each
// subgraph exposes only its own slice of it, as separate services would.
// It is fixed and never written to, so resolvers may share it freely.

// storeUser is a customer account.
type storeUser struct {
	ID        string
	Name      string
	Username  string
	BirthYear int
}

// storeAdmin is a staff account.
type storeAdmin struct {
	ID          string
	Username    string
	Permissions []string
}

// storeCategory groups products.
type storeCategory struct {
	ID   string
	Name string
}

// storeProduct is a catalog entry; Price is in whole dollars, Weight in
// ounces.
type storeProduct struct {
	UPC        string
	Name       string
	Price      int
	Weight     int
	CategoryID string
	InStock    bool
}

// storeReview is a user's review of a product. Reviews are listed oldest
// first.
type storeReview struct {
	ID         string
	Body       string
	Rating     int
	AuthorID   string
	ProductUPC string
}

var storeUsers = []storeUser{
	{ID: "1", Name: "Ada Lovelace", Username: "ada", BirthYear: 1815},
	{ID: "2", Name: "Alan Turing", Username: "alan", BirthYear: 1912},
	{ID: "3", Name: "Grace Hopper", Username: "grace", BirthYear: 1906},
	{ID: "4", Name: "Edsger Dijkstra", Username: "edsger", BirthYear: 1930},
	{ID: "5", Name: "Barbara Liskov", Username: "barbara", BirthYear: 1939},
}

var storeAdmins = []storeAdmin{
	{ID: "a1", Username: "ops", Permissions: []string{"orders:refund", "products:write"}},
	{ID: "a2", Username: "support", Permissions: []string{"orders:read"}},
}

var storeCategories = []storeCategory{
	{ID: "c1", Name: "Furniture"},
	{ID: "c2", Name: "Kitchen"},
	{ID: "c3", Name: "Outdoor"},
}

var storeProducts = []storeProduct{
	{UPC: "1", Name: "Table", Price: 899, Weight: 100, CategoryID: "c1", InStock: true},
	{UPC: "2", Name: "Couch", Price: 1299, Weight: 1000, CategoryID: "c1", InStock: false},
	{UPC: "3", Name: "Chair", Price: 54, Weight: 50, CategoryID: "c1", InStock: true},
	{UPC: "4", Name: "Kettle", Price: 39, Weight: 12, CategoryID: "c2", InStock: true},
	{UPC: "5", Name: "Chef's Knife", Price: 120, Weight: 7, CategoryID: "c2", InStock: false},
	{UPC: "6", Name: "Camping Tent", Price: 249, Weight: 80, CategoryID: "c3", InStock: true},
}

var storeReviews = []storeReview{
	{ID: "1", Body: "Sturdy and seats six.", Rating: 5, AuthorID: "1", ProductUPC: "1"},
	{ID: "2", Body: "Too expensive for what it is.", Rating: 2, AuthorID: "2", ProductUPC: "2"},
	{ID: "3", Body: "Could be taller.", Rating: 3, AuthorID: "3", ProductUPC: "3"},
	{ID: "4", Body: "Boils a litre in two minutes.", Rating: 5, AuthorID: "4", ProductUPC: "4"},
	{ID: "5", Body: "Very comfortable, but huge.", Rating: 4, AuthorID: "1", ProductUPC: "2"},
	{ID: "6", Body: "Holds an edge well.", Rating: 5, AuthorID: "2", ProductUPC: "5"},
	{ID: "7", Body: "Wobbles on tile floors.", Rating: 2, AuthorID: "3", ProductUPC: "1"},
	{ID: "8", Body: "Lid is stiff at first.", Rating: 4, AuthorID: "1", ProductUPC: "4"},
	{ID: "9", Body: "Bought four for the patio.", Rating: 4, AuthorID: "4", ProductUPC: "3"},
	{ID: "10", Body: "Our favourite purchase this year.", Rating: 5, AuthorID: "2", ProductUPC: "1"},
}

// findUser returns the user with the given id.
func findUser(id string) (storeUser, bool) {
	for _, u := range storeUsers {
		if u.ID == id {
			return u, true
		}
	}
	return storeUser{}, false
}

// findAdmin returns the admin with the given id.
func findAdmin(id string) (storeAdmin, bool) {
	for _, a := range storeAdmins {
		if a.ID == id {
			return a, true
		}
	}
	return storeAdmin{}, false
}

// findCategory returns the category with the given id.
func findCategory(id string) (storeCategory, bool) {
	for _, c := range storeCategories {
		if c.ID == id {
			return c, true
		}
	}
	return storeCategory{}, false
}

// findProduct returns the product with the given UPC.
func findProduct(upc string) (storeProduct, bool) {
	for _, p := range storeProducts {
		if p.UPC == upc {
			return p, true
		}
	}
	return storeProduct{}, false
}

// findReview returns the review with the given id.
func findReview(id string) (storeReview, bool) {
	for _, r := range storeReviews {
		if r.ID == id {
			return r, true
		}
	}
	return storeReview{}, false
}
