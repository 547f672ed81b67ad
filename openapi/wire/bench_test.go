package wire

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// petListBody returns a JSON list of n pets with enums, a discriminated
// union, a shape-matched union, nested objects and undeclared properties.
func petListBody(n int) []byte {
	var b strings.Builder
	b.WriteByte('[')
	statuses := []string{"available", "sold-out", "pending"}
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		id := strconv.Itoa(i)
		b.WriteString(`{"id":` + id + `,"name":"pet ` + id + `","status":"` + statuses[i%3] + `","priority":1,` +
			`"tags":["friendly","small"],"owner_info":{"first_name":"Ann","age":41,"internal":"x"},` +
			`"birth_date":"2020-01-02T03:04:05Z","weight_grams":12345678901234567890,`)
		if i%2 == 0 {
			b.WriteString(`"companion":{"kind":"cat","lives_left":9},"shape":{"r":1.5,"label":"round"},`)
		} else {
			b.WriteString(`"companion":{"kind":"doggo","good_boy":true},"shape":{"side":2},`)
		}
		b.WriteString(`"undeclared":{"a":[1,2,3]}}`)
	}
	b.WriteByte(']')
	return []byte(b.String())
}

func BenchmarkResult(b *testing.B) {
	body := petListBody(50)
	op, types := listPetsOp(), petTypes()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Result(op, types, "application/json", body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRequest(b *testing.B) {
	op, types := updatePetOp(), petTypes()
	args := json.RawMessage(`{"storeId":"s1","petId":"42","dryRun":true,"notify":["owner","vet"],` +
		`"input":{"name":"Rex","status":"SOLD_OUT","priorities":["HIGH"],"owner":{"firstName":"Ann"},"tags":["a","b"]}}`)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Request(ctx, "https://api.test/v2", op, types, args); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidJSON compares the validator Result runs first with
// encoding/json's.
func BenchmarkValidJSON(b *testing.B) {
	body := petListBody(50)
	b.Run("validJSON", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			validJSON(body)
		}
	})
	b.Run("json.Valid", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			json.Valid(body)
		}
	})
}
