package engine

import (
	"context"
	"errors"

	"github.com/wundergraph/astjson"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/plan"

	"github.com/tributary-gw/tributary"
)

type astjsonValue = astjson.Value

func parseJSON(s string) (*astjson.Value, error) { return astjson.Parse(s) }

type planTypeField = plan.TypeField

// noFieldBatches is embedded by test sources that have no fields below the
// root to resolve.
type noFieldBatches struct{}

func (noFieldBatches) ResolveFieldBatch(context.Context, tributary.FieldBatch) ([]tributary.Result, error) {
	return nil, errors.New("this test source resolves no fields below the root")
}
