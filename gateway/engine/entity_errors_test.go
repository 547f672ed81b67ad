package engine

import (
	"encoding/json"
	"strings"
	"testing"
)

// An error a subgraph reports for one entity names the subgraph and the
// entity's place in the client's list.
func TestEntityErrorsKeepTheirIndexAndSubgraph(t *testing.T) {
	e := entitiesEngine(t, Options{}, func([]map[string]any) string {
		return `{"data":{"_entities":[` + entity("1") + `,null,` + entity("3") + `]},"errors":[{"message":"no profile","path":["_entities",1,"nick"]}]}`
	})
	body := run(t, e, `{ users { id nick } }`, "")
	r := decode(t, body)
	if len(r.Errors) != 1 {
		t.Fatalf("want one error: %s", body)
	}
	path, _ := json.Marshal(r.Errors[0].Path)
	if string(path) != `["users",1,"nick"]` || r.Errors[0].Extensions["serviceName"] != "profiles" {
		t.Errorf("got path %s, service %v; want [\"users\",1,\"nick\"] from profiles (body %s)", path, r.Errors[0].Extensions["serviceName"], body)
	}
}

// An entity with a __typename that is not the representation's is blamed
// on the subgraph that answered it.
func TestBadEntityTypenameBlamesTheEntitySubgraph(t *testing.T) {
	e := entitiesEngine(t, Options{}, func([]map[string]any) string {
		return `{"data":{"_entities":[` + entity("1") + `,{"__typename":"Admin","id":"2","nick":"x"},` + entity("3") + `]}}`
	})
	body := run(t, e, `{ users { id nick } }`, "")
	r := decode(t, body)
	if len(r.Errors) != 1 {
		t.Fatalf("want one error: %s", body)
	}
	path, _ := json.Marshal(r.Errors[0].Path)
	if r.Errors[0].Extensions["serviceName"] != "profiles" || string(path) != `["users",1]` {
		t.Errorf("the error must blame profiles at [\"users\",1]: %s", body)
	}
}

// Entity errors of duplicated representations are reported for each
// object; without key fields in the selection the list's path remains,
// and no marker reaches the client.
func TestEntityErrorPlacesWithDuplicatesAndWithoutKeys(t *testing.T) {
	e := newCannedEngine(t, Options{},
		cannedSubgraph{name: "users", sdl: usersSDL, answer: func(upstreamRequest) string {
			return `{"data":{"users":[{"__typename":"User","id":"1"},{"__typename":"User","id":"2"},{"__typename":"User","id":"1"}]}}`
		}},
		cannedSubgraph{name: "profiles", sdl: profilesSDL, answer: func(upstreamRequest) string {
			return `{"data":{"_entities":[` + entity("1") + `,null]},"errors":[{"message":"no profile","path":["_entities",1,"nick"]},{"message":"slow","path":["_entities",0]}]}`
		}},
	)
	body := run(t, e, `{ users { id nick } }`, "")
	var paths []string
	for _, er := range decode(t, body).Errors {
		p, _ := json.Marshal(er.Path)
		paths = append(paths, string(p))
	}
	if got := strings.Join(paths, " "); got != `["users",1,"nick"] ["users",0] ["users",2]` {
		t.Errorf("paths %s (body %s)", got, body)
	}
	body = run(t, e, `{ users { nick } }`, "")
	if strings.Contains(body, "entity:") || strings.Contains(body, `\u0000`) || !strings.Contains(body, `"path":["users","nick"]`) {
		t.Errorf("without keys: %s", body)
	}
}
