package engine

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// Strings from an upstream that are not valid UTF-8 are repaired with
// U+FFFD, so the response is always valid JSON.
func TestInvalidUTF8FromAnUpstreamIsReplaced(t *testing.T) {
	cases := []struct{ name, raw, want string }{
		{"invalid byte", "\"ab\xffc\"", "ab\uFFFDc"},
		{"truncated sequence", "\"\xe2\x82\"", "\uFFFD"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := run(t, valuesEngine(t, `{"s":`+c.raw+`}`), `{ thing { s } }`, "")
			if !utf8.ValidString(body) || !json.Valid([]byte(body)) {
				t.Fatalf("the response is not valid UTF-8 JSON: %q", body)
			}
			var got struct {
				Data struct{ Thing struct{ S string } }
			}
			_ = json.Unmarshal([]byte(body), &got)
			if got.Data.Thing.S != c.want {
				t.Errorf("s = %q, want %q (body %q)", got.Data.Thing.S, c.want, body)
			}
			if strings.Contains(body, `"errors"`) {
				t.Errorf("unexpected errors: %s", body)
			}
		})
	}
}
