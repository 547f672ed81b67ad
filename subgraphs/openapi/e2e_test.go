package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary"
)

// petService is the REST service testdata/petstore.yaml describes. It
// checks every request it receives against what the test expects.
func petService(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/pets", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("limit") != "10" || q.Get("tags") != "a b,c" {
			t.Errorf("listPets query %q", r.URL.RawQuery)
		}
		writeJSON(w, 200, `[{"id":"1","name":"Rex","pet_type":"hamster-like"}]`)
	})
	mux.HandleFunc("GET /v1/pets/{id}", func(w http.ResponseWriter, r *http.Request) {
		switch id := r.PathValue("id"); id {
		case "p/1":
			writeJSON(w, 200, `{"id":"p/1","name":"Rex","pet_type":"cat"}`)
		default:
			writeJSON(w, 404, `{"error_code":"NOT_FOUND","detail":"no pet `+id+`"}`)
		}
	})
	mux.HandleFunc("POST /v1/pets", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var got map[string]any
		if err := json.Unmarshal(body, &got); err != nil || got["name"] != "Rex" || got["pet_type"] != "hamster-like" || len(got) != 2 {
			t.Errorf("createPet body %s", body)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("createPet Content-Type %q", ct)
		}
		writeJSON(w, 201, `{"id":"9","name":"Rex","pet_type":"hamster-like"}`)
	})
	mux.HandleFunc("DELETE /v1/pets/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /v1/pets/{id}/notes", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "likes walks")
	})
	mux.HandleFunc("GET /v1/pets/batch", func(w http.ResponseWriter, r *http.Request) {
		ids := strings.Split(r.URL.Query().Get("ids"), ",")
		var out []string
		for i := len(ids) - 1; i >= 0; i-- { // reversed, and "x" is unknown
			if ids[i] != "x" {
				out = append(out, `{"id":"`+ids[i]+`","name":"pet `+ids[i]+`","pet_type":"dog"}`)
			}
		}
		writeJSON(w, 200, "["+strings.Join(out, ",")+"]")
	})
	mux.HandleFunc("GET /specs/petstore.yaml", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, "testdata/petstore.yaml")
	})
	return httptest.NewServer(mux)
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func TestEndToEnd(t *testing.T) {
	srv := petService(t)
	defer srv.Close()
	// The spec is fetched from the service; its relative server "/v1"
	// resolves against the spec's URL.
	cfg := &Config{
		Spec:     srv.URL + "/specs/petstore.yaml",
		Entities: []EntityConfig{{Type: "Pet", Key: "id", Operation: "getPetsByIds", Argument: "ids"}},
	}
	sg, err := cfg.Build(context.Background(), "pets", tributary.BuildContext{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sg.SDL, `type Pet @key(fields: "id")`) {
		t.Errorf("SDL has no Pet entity:\n%s", sg.SDL)
	}
	tests := []struct {
		field, args, want string
	}{
		{"Query.listPets", `{"limit":10,"tags":["a b","c"]}`, `[{"id":"1","name":"Rex","pet_type":"HAMSTER_LIKE"}]`},
		{"Query.getPet", `{"petId":"p/1"}`, `{"id":"p/1","name":"Rex","pet_type":"CAT"}`},
		{"Mutation.createPet", `{"input":{"name":"Rex","pet_type":"HAMSTER_LIKE"}}`, `{"id":"9","name":"Rex","pet_type":"HAMSTER_LIKE"}`},
		{"Mutation.deletePet", `{"petId":"1"}`, `true`},
		{"Query.petNotes", `{"petId":"1"}`, `"likes walks"`},
	}
	for _, tt := range tests {
		typ, name, _ := strings.Cut(tt.field, ".")
		got, err := sg.Source.ResolveField(context.Background(), tributary.FieldCall{TypeName: typ, FieldName: name, Arguments: json.RawMessage(tt.args)})
		if err != nil {
			t.Errorf("%s: %v", tt.field, err)
			continue
		}
		if !jsonEqual(got, tt.want) {
			t.Errorf("%s = %s, want %s", tt.field, got, tt.want)
		}
	}

	_, err = sg.Source.ResolveField(context.Background(), tributary.FieldCall{TypeName: "Query", FieldName: "getPet", Arguments: json.RawMessage(`{"petId":"2"}`)})
	e := gqlError(t, err)
	body, _ := json.Marshal(e.Extensions["body"])
	if e.Message != "pets: GET /pets/{petId}: HTTP 404" || e.Extensions["statusCode"] != 404 || !jsonEqual(body, `{"error_code":"NOT_FOUND","detail":"no pet 2"}`) {
		t.Errorf("404: %q %v", e.Message, e.Extensions)
	}

	results, err := sg.Source.ResolveEntities(context.Background(), tributary.EntityBatch{Representations: []json.RawMessage{
		json.RawMessage(`{"__typename":"Pet","id":"a"}`), json.RawMessage(`{"__typename":"Pet","id":"x"}`), json.RawMessage(`{"__typename":"Pet","id":"b"}`),
	}})
	if err != nil {
		t.Fatal(err)
	}
	wants := []string{`{"__typename":"Pet","id":"a","name":"pet a","pet_type":"DOG"}`, ``, `{"__typename":"Pet","id":"b","name":"pet b","pet_type":"DOG"}`}
	for i, want := range wants {
		if results[i].Err != nil || (want == "" && results[i].Data != nil) || (want != "" && !jsonEqual(results[i].Data, want)) {
			t.Errorf("entity %d: %s, %v; want %s", i, results[i].Data, results[i].Err, want)
		}
	}
}

func jsonEqual(got []byte, want string) bool {
	var a, b any
	if json.Unmarshal(got, &a) != nil || json.Unmarshal([]byte(want), &b) != nil {
		return false
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func TestBuildFromFile(t *testing.T) {
	var logs bytes.Buffer
	bc := tributary.BuildContext{Dir: "testdata", Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	// A file spec whose server is relative needs baseURL.
	_, err := (&Config{Spec: "petstore.yaml"}).Build(context.Background(), "pets", bc)
	if err == nil || !strings.Contains(err.Error(), "baseURL") {
		t.Errorf("relative server with a file spec: %v", err)
	}
	sg, err := (&Config{Spec: "petstore.yaml", BaseURL: "http://127.0.0.1:9/v1", Include: []string{"getPet", "GET /pets/batch"}}).Build(context.Background(), "pets", bc)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sg.SDL, "listPets") || !strings.Contains(sg.SDL, "getPet(") {
		t.Errorf("include not applied:\n%s", sg.SDL)
	}
}
