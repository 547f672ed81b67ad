package sql

import "testing"

func TestTypeNames(t *testing.T) {
	for _, tt := range []struct{ table, typeName, plural string }{
		{"book_loans", "BookLoan", "bookLoans"},
		{"authors", "Author", "authors"},
		{"categories", "Category", "categories"},
		{"boxes", "Box", "boxes"},
		{"addresses", "Address", "addresses"},
		{"Users", "User", "users"},
		{"tweetStats", "TweetStat", "tweetStats"},
		{"status", "Status", "statuses"},
		{"2fa_codes", "T2faCode", "t2faCodes"},
	} {
		got := typeNameOf(tt.table)
		if got != tt.typeName || lowerFirst(plural(got)) != tt.plural {
			t.Errorf("%s: got %s/%s, want %s/%s", tt.table, got, lowerFirst(plural(got)), tt.typeName, tt.plural)
		}
	}
}

func TestFieldNames(t *testing.T) {
	for col, want := range map[string]string{
		"name": "name", "first name": "first_name", "2fa": "c_2fa", "__secret": "secret", "émoji": "moji", "$": "c_",
	} {
		if got := fieldNameOf(col); got != want || !isGraphQLName(got) {
			t.Errorf("%q: got %q, want %q", col, got, want)
		}
	}
	for col, want := range map[string]string{"author_id": "author", "authorId": "author", "writer": "author", "_id": "author"} {
		if got := relationName(col, "Author"); got != want {
			t.Errorf("relation of %q: got %q, want %q", col, got, want)
		}
	}
}

// Identifiers are quoted whatever their text: a quote inside is doubled.
func TestQuoting(t *testing.T) {
	for _, tt := range []struct {
		d    dialect
		in   string
		want string
	}{
		{postgres{}, `a"b`, `"a""b"`},
		{sqlite{}, `x"; DROP TABLE t; --`, `"x""; DROP TABLE t; --"`},
		{mysql{}, "a`b", "`a``b`"},
	} {
		if got := tt.d.quote(tt.in); got != tt.want {
			t.Errorf("%s quote(%q) = %s, want %s", tt.d.name(), tt.in, got, tt.want)
		}
	}
}

func TestMySQLEnumLabels(t *testing.T) {
	got, ok := mysqlEnumLabels("enum('draft','it''s','x,y')")
	if !ok || len(got) != 3 || got[0] != "draft" || got[1] != "it's" || got[2] != "x,y" {
		t.Errorf("got %q", got)
	}
}
