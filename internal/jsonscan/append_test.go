package jsonscan

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAppendStringRoundTrips(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " back \ slash`, "\x00\x1f\n\r\t", "ünï 🦫", "bad \xff utf8", "<>&\u2028"} {
		var got string
		if err := json.Unmarshal(AppendString(nil, s), &got); err != nil {
			t.Fatalf("%q: invalid JSON %s", s, AppendString(nil, s))
		}
		if want := strings.ToValidUTF8(s, "\ufffd"); got != want {
			t.Errorf("%q round-tripped to %q", s, got)
		}
	}
}
