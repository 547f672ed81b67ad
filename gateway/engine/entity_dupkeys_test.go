package engine

import (
	"strings"
	"testing"
)

// An answer that repeats data or _entities is checked as the resolver
// reads it (the first of duplicate members): a subgraph cannot pass the
// check with one copy and have the resolver use another.
func TestDuplicateMembersCannotSmuggleForeignEntities(t *testing.T) {
	good := `{"_entities":[` + entity("1") + `,` + entity("2") + `,` + entity("3") + `]}`
	bad := `{"_entities":[` + entity("7") + `,` + entity("8") + `,` + entity("9") + `]}`
	for name, answer := range map[string]string{
		"data twice":      `{"data":` + bad + `,"data":` + good + `}`,
		"_entities twice": `{"data":{"_entities":[` + entity("7") + `,` + entity("8") + `,` + entity("9") + `],"_entities":[` + entity("1") + `,` + entity("2") + `,` + entity("3") + `]}}`,
	} {
		t.Run(name, func(t *testing.T) {
			e := entitiesEngine(t, Options{}, func([]map[string]any) string { return answer })
			body := run(t, e, `{ users { id nick } }`, "")
			for _, foreign := range []string{"nick-7", "nick-8", "nick-9"} {
				if strings.Contains(body, foreign) {
					t.Fatalf("a foreign entity's data reached the client: %s", body)
				}
			}
		})
	}
}
