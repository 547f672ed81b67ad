package tributary

import "testing"

func TestIdentityClaim(t *testing.T) {
	id := &Identity{Subject: "u-1", Claims: map[string]any{
		"tenant": "acme", "admin": true, "level": float64(3), "roles": []any{"a", "b"},
		"org": map[string]any{"id": "o-9", "none": nil},
	}}
	tests := []struct {
		claim string
		want  string
		ok    bool
	}{
		{"tenant", "acme", true},
		{"sub", "u-1", true}, // the subject, as the claims have no "sub"
		{"admin", "true", true},
		{"level", "3", true},
		{"roles", `["a","b"]`, true},
		{"org.id", "o-9", true},
		{"org", `{"id":"o-9","none":null}`, true},
		{"org.none", "", false},
		{"org.id.deeper", "", false},
		{"missing", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := id.Claim(tt.claim)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Claim(%q) = %q, %v; want %q, %v", tt.claim, got, ok, tt.want, tt.ok)
		}
	}
	withSub := &Identity{Subject: "outer", Claims: map[string]any{"sub": "inner"}}
	if got, _ := withSub.Claim("sub"); got != "inner" {
		t.Errorf(`Claim("sub") = %q, want the claim "inner"`, got)
	}
	var anonymous *Identity
	if _, ok := anonymous.Claim("sub"); ok {
		t.Error("an anonymous caller has no claims")
	}
}
