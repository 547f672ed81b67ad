package dynamodb

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// checkTable compares a table's description with what the section
// declares: its key, its indexes' keys and the key attributes' types.
func checkTable(t *table, d *types.TableDescription) []string {
	var problems []string
	attrTypes := map[string]types.ScalarAttributeType{}
	for _, ad := range d.AttributeDefinitions {
		attrTypes[aws.ToString(ad.AttributeName)] = ad.AttributeType
	}
	check := func(what string, want keyDef, got []types.KeySchemaElement) {
		var partition, sort string
		for _, k := range got {
			if k.KeyType == types.KeyTypeHash {
				partition = aws.ToString(k.AttributeName)
			} else {
				sort = aws.ToString(k.AttributeName)
			}
		}
		wantSort := ""
		if want.sort != nil {
			wantSort = want.sort.name
		}
		if partition != want.partition.name || sort != wantSort {
			problems = append(problems, fmt.Sprintf("%s is {partition: %s, sort: %s} in DynamoDB, but gateway.yaml declares {partition: %s, sort: %s}; fix the key in gateway.yaml",
				what, partition, orNone(sort), want.partition.name, orNone(wantSort)))
			return
		}
		for _, a := range want.attrs() {
			if got, want := attrTypes[a.name], keyAttributeType(a.typ); got != "" && got != want {
				problems = append(problems, fmt.Sprintf("key attribute %s is of type %s in DynamoDB, but gateway.yaml declares it %s (stored as %s); declare it %s",
					a.name, got, a.typ, want, graphQLForKeyType(got)))
			}
		}
	}
	check("the primary key", t.key, d.KeySchema)
	for _, ix := range t.indexes {
		var schema []types.KeySchemaElement
		found := false
		for _, g := range d.GlobalSecondaryIndexes {
			if aws.ToString(g.IndexName) == ix.name {
				schema, found = g.KeySchema, true
			}
		}
		for _, l := range d.LocalSecondaryIndexes {
			if aws.ToString(l.IndexName) == ix.name {
				schema, found = l.KeySchema, true
			}
		}
		if !found {
			problems = append(problems, fmt.Sprintf("has no index %q; create it, or remove it from indexes", ix.name))
			continue
		}
		check(fmt.Sprintf("the key of index %s", ix.name), ix.key, schema)
	}
	return problems
}

// keyAttributeType is how a key attribute of a GraphQL type is stored.
func keyAttributeType(t attrType) types.ScalarAttributeType {
	if t.scalar == "Int" || t.scalar == "Float" {
		return types.ScalarAttributeTypeN
	}
	return types.ScalarAttributeTypeS
}

func graphQLForKeyType(t types.ScalarAttributeType) string {
	if t == types.ScalarAttributeTypeN {
		return "Int or Float"
	}
	return "ID or String"
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
