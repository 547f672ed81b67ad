package sql_test

import (
	"bytes"
	"context"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/config"
)

var update = flag.Bool("update", false, "rewrite testdata/*.graphql from the generated SDL")

// buildConfig parses gateway.yaml text and returns its first subgraph's
// section.
func buildConfig(t testing.TB, yaml string) tributary.SubgraphConfig {
	t.Helper()
	cfg, err := config.Parse("gateway.yaml", []byte(yaml), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Subgraphs[0].Config
}

// buildSubgraph builds the subgraph of gateway.yaml text outside a
// gateway, named name, closed when the test ends.
func buildSubgraph(t testing.TB, yaml, name string) *tributary.Subgraph {
	t.Helper()
	sg, err := buildConfig(t, yaml).Build(context.Background(), name, tributary.BuildContext{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sg.Close(context.Background()) })
	return sg
}

// buildSDL builds the subgraph of a section and returns its SDL.
func buildSDL(t testing.TB, yaml string) string {
	t.Helper()
	return buildSubgraph(t, yaml, "library").SDL
}

// The SDL reflected from the seeds is the contract; a change to
// it shows here as a diff of testdata/seeds.graphql. The three databases
// give the same schema.
func TestSeedsSDLGolden(t *testing.T) {
	golden := filepath.Join("testdata", "seeds.graphql")
	forEachDriver(t, func(t *testing.T, driver string) {
		sdl := buildSDL(t, seedsYAML(seeded(t, driver), ""))
		if *update && driver == "sqlite" {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, []byte(sdl), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./subgraphs/sql -run SDLGolden -update)", err)
		}
		if sdl != string(want) {
			t.Errorf("generated SDL differs from %s (rerun with -update if intended):\n%s", golden, sdl)
		}
	})
}

// Names follow the contract: singular PascalCase types, lower-camel
// lookups, plural lists, relation fields after the key column, and
// "ByColumn" for a second key to the same table.
func TestGeneratedNames(t *testing.T) {
	db := newTestDB(t, "sqlite")
	db.exec(t, `CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "first name" TEXT);
CREATE TABLE book_loans (id INTEGER PRIMARY KEY, book_id INTEGER REFERENCES books (id));
CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT NOT NULL, author_id INTEGER REFERENCES authors (id), co_author_id INTEGER REFERENCES authors (id), published DATE);
CREATE TABLE categories (code TEXT NOT NULL, lang TEXT NOT NULL, PRIMARY KEY (code, lang));
CREATE VIEW book_titles AS SELECT id, title FROM books;
CREATE TABLE queries (id INTEGER PRIMARY KEY);
CREATE TABLE author_wheres (id INTEGER PRIMARY KEY)`)
	var log bytes.Buffer
	sg, err := buildConfig(t, "subgraphs:\n  - name: library\n"+db.section("")).Build(context.Background(), "library",
		tributary.BuildContext{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer sg.Close(context.Background())
	sdl := sg.SDL
	for _, want := range []string{
		`column \"first name\" is not a GraphQL name; it is served as first_name`,
		`table \"queries\": type Query is declared by the generated schema`,
		`table \"author_wheres\": type AuthorWhere is generated for table \"authors\"'s type Author`,
	} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("no warning %s: %s", want, log.String())
		}
	}
	for _, want := range []string{
		"  author(id: Int!): Author\n",
		"  authors(where: AuthorWhere, orderBy: [AuthorOrderBy!], limit: Int, offset: Int): [Author!]!\n",
		"  bookLoan(id: Int!): BookLoan\n",
		"  bookLoans(where: BookLoanWhere, orderBy: [BookLoanOrderBy!], limit: Int, offset: Int): [BookLoan!]!\n",
		"  category(code: String!, lang: String!): Category\n",
		"  categories(where: CategoryWhere",
		"  bookTitles(where: BookTitleWhere",
		"type Author @key(fields: \"id\") {\n",
		"type Category @key(fields: \"code lang\") {\n",
		"type BookTitle {\n",
		"  first_name: String\n",
		"  author: Author\n",
		"  co_author: Author\n",
		"  books(where: BookWhere, orderBy: [BookOrderBy!], limit: Int, offset: Int): [Book!]!\n",
		"  booksByCoAuthorId(where: BookWhere, orderBy: [BookOrderBy!], limit: Int, offset: Int): [Book!]!\n",
		"  bookLoans(where: BookLoanWhere",
		"  authorsConnection(where: AuthorWhere, orderBy: [AuthorOrderBy!], first: Int, after: String, last: Int, before: String): AuthorConnection!\n",
		"  booksConnection(where: BookWhere, orderBy: [BookOrderBy!], first: Int, after: String, last: Int, before: String): BookConnection!\n",
		"  booksByCoAuthorIdConnection(where: BookWhere",
		"type AuthorConnection {\n  edges: [AuthorEdge!]!\n  pageInfo: PageInfo!\n  totalCount: Int!\n}\n",
		"type AuthorEdge {\n  cursor: String!\n  node: Author!\n}\n",
		"type PageInfo @shareable {\n  hasNextPage: Boolean!\n  hasPreviousPage: Boolean!\n  startCursor: String\n  endCursor: String\n}\n",
		"  book: Book\n",
		"  createAuthor(input: AuthorInput!): Author!\n",
		"  updateAuthor(id: Int!, patch: AuthorPatch!): Author\n",
		"  deleteAuthor(id: Int!): Author\n",
		"  published: DateFilter\n",
		"input StringFilter {\n  eq: String\n  ne: String\n  in: [String!]\n  nin: [String!]\n  lt: String\n  lte: String\n  gt: String\n  gte: String\n  like: String\n  ilike: String\n  isNull: Boolean\n}\n",
	} {
		if !strings.Contains(sdl, want) {
			t.Errorf("SDL lacks %q:\n%s", want, sdl)
		}
	}
	if strings.Contains(sdl, "createBookTitle") || strings.Contains(sdl, "bookTitlesConnection") {
		t.Errorf("a view without a key got mutations or a connection:\n%s", sdl)
	}
}
