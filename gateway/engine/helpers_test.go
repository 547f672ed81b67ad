package engine

import (
	"github.com/wundergraph/astjson"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/plan"
)

type astjsonValue = astjson.Value

func parseJSON(s string) (*astjson.Value, error) { return astjson.Parse(s) }

type planTypeField = plan.TypeField
