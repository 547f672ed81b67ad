package sql_test

import (
	"encoding/json"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/internal/gatewaytest"
	sqlkind "github.com/tributary-gw/tributary/subgraphs/sql"
)

// compoundDDL has a two-column primary key and a two-column foreign key
// to it.
const compoundDDL = `CREATE TABLE categories (
  code VARCHAR(10) NOT NULL,
  lang VARCHAR(5) NOT NULL,
  label VARCHAR(50) NOT NULL,
  PRIMARY KEY (code, lang)
);
CREATE TABLE products (
  id INT NOT NULL PRIMARY KEY,
  cat_code VARCHAR(10) NOT NULL,
  cat_lang VARCHAR(5) NOT NULL,
  CONSTRAINT products_category_fk FOREIGN KEY (cat_code, cat_lang) REFERENCES categories (code, lang)
);
INSERT INTO categories VALUES ('book', 'en', 'Books'), ('book', 'fr', 'Livres'), ('toy', 'en', 'Toys');
INSERT INTO products VALUES (1, 'book', 'en'), (2, 'book', 'fr'), (3, 'book', 'en'), (4, 'toy', 'en')`

// Compound keys work as lookups, relations both ways (one statement per
// level, rows matched by both columns) and entities.
func TestCompoundKeys(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		db := newTestDB(t, driver)
		db.exec(t, compoundDDL)
		yaml := "subgraphs:\n  - name: shop\n" + db.section("")
		gw := gatewaytest.Start(t, yaml, nil)
		statements := sqlkind.CountStatements(t, "shop")
		r := execute(t, gw, `{
		  category(code: "book", lang: "fr") { label }
		  categories(orderBy: [{label: ASC}]) { label products(orderBy: [{id: DESC}], limit: 1) { id category { label } } }
		}`, nil)
		r.AssertData(t, `{"category": {"label": "Livres"}, "categories": [
		  {"label": "Books", "products": [{"id": 3, "category": {"label": "Books"}}]},
		  {"label": "Livres", "products": [{"id": 2, "category": {"label": "Livres"}}]},
		  {"label": "Toys", "products": [{"id": 4, "category": {"label": "Toys"}}]}]}`)
		if n := statements.Load(); n != 4 {
			t.Errorf("%d statements, want 4 (lookup, list, products, category)", n)
		}
		sg := buildSubgraph(t, yaml, "shop-entities")
		res, err := sg.Source.ResolveEntities(t.Context(), tributary.EntityBatch{
			Representations: []json.RawMessage{
				json.RawMessage(`{"__typename":"Category","code":"toy","lang":"en"}`),
				json.RawMessage(`{"__typename":"Category","code":"toy","lang":"fr"}`),
				json.RawMessage(`{"__typename":"Category","code":"book","lang":"fr"}`),
			},
			Selection: []*tributary.Selection{{Name: "label"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []string{`{"__typename":"Category","code":"toy","lang":"en","label":"Toys"}`, ``, `{"__typename":"Category","code":"book","lang":"fr","label":"Livres"}`} {
			if string(res[i].Data) != want {
				t.Errorf("representation %d: got %s, want %s", i, res[i].Data, want)
			}
		}
	})
}
