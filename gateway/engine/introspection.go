package engine

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/jensneuse/abstractlogger"
	"github.com/wundergraph/astjson"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/ast"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/datasource/httpclient"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/datasource/introspection_datasource"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/plan"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/resolve"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/introspection"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/operationreport"
)

// graphql-go-tools answers introspection from one JSON document in which a
// type refers to other types by name only (kind, name, ofType). Selections
// that go through such a reference to a type's own lists — `interfaces {
// possibleTypes { name } }`, `possibleTypes { interfaces { name } }` —
// found nothing there and rendered null. introspectionDataSources is the
// library's introspection datasource with its answers completed: every
// reference in a type's interfaces and possibleTypes carries the referred
// type's interfaces and possibleTypes (as references). It touches
// introspection requests only.
func introspectionDataSources(schema *ast.Document) ([]plan.DataSource, []plan.FieldConfiguration, error) {
	lib, err := introspection_datasource.NewIntrospectionConfigFactory(schema)
	if err != nil {
		return nil, nil, err
	}
	var data introspection.Data
	var report operationreport.Report
	introspection.NewGenerator().Generate(schema, &report, &data)
	if report.HasErrors() {
		return nil, nil, report
	}
	queryType := "Query"
	if data.Schema.QueryType.Name != "" {
		queryType = data.Schema.QueryType.Name
	}
	factory := completedIntrospectionFactory{
		PlannerFactory: introspection_datasource.NewFactory[introspection_datasource.Configuration](&data),
		data:           &data,
	}
	// The library's metadata for its datasource (config_factory.go).
	ds, err := plan.NewDataSourceConfiguration[introspection_datasource.Configuration](
		resolve.IntrospectionSchemaTypeDataSourceID, factory,
		&plan.DataSourceMetadata{
			RootNodes: []plan.TypeField{{TypeName: queryType, FieldNames: []string{"__schema", "__type"}}},
			ChildNodes: []plan.TypeField{
				{TypeName: "__Schema", FieldNames: []string{"description", "queryType", "mutationType", "subscriptionType", "types", "directives", "__typename"}},
				{TypeName: "__Type", FieldNames: []string{"kind", "name", "description", "fields", "interfaces", "possibleTypes", "enumValues", "inputFields", "ofType", "specifiedByURL", "__typename"}},
				{TypeName: "__Field", FieldNames: []string{"name", "description", "args", "type", "isDeprecated", "deprecationReason", "__typename"}},
				{TypeName: "__InputValue", FieldNames: []string{"name", "description", "type", "defaultValue", "isDeprecated", "deprecationReason", "__typename"}},
				{TypeName: "__Directive", FieldNames: []string{"name", "description", "locations", "args", "isRepeatable", "__typename"}},
				{TypeName: "__EnumValue", FieldNames: []string{"name", "description", "isDeprecated", "deprecationReason", "__typename"}},
			},
		},
		introspection_datasource.Configuration{},
	)
	if err != nil {
		return nil, nil, err
	}
	return []plan.DataSource{ds}, lib.BuildFieldConfigurations(), nil
}

type completedIntrospectionFactory struct {
	plan.PlannerFactory[introspection_datasource.Configuration]
	data *introspection.Data
}

func (f completedIntrospectionFactory) Planner(l abstractlogger.Logger) plan.DataSourcePlanner[introspection_datasource.Configuration] {
	return completedIntrospectionPlanner{DataSourcePlanner: f.PlannerFactory.Planner(l), data: f.data}
}

type completedIntrospectionPlanner struct {
	plan.DataSourcePlanner[introspection_datasource.Configuration]
	data *introspection.Data
}

func (p completedIntrospectionPlanner) ConfigureFetch() resolve.FetchConfiguration {
	c := p.DataSourcePlanner.ConfigureFetch()
	c.DataSource = completedIntrospection{next: c.DataSource, data: p.data}
	return c
}

// completedIntrospection fills in the references of the library's answer.
type completedIntrospection struct {
	next resolve.DataSource
	data *introspection.Data
}

func (s completedIntrospection) Load(ctx context.Context, h http.Header, input []byte) ([]byte, error) {
	out, err := s.next.Load(ctx, h, input)
	if err != nil {
		return out, err
	}
	return s.complete(out), nil
}

func (s completedIntrospection) LoadWithFiles(ctx context.Context, h http.Header, input []byte, files []*httpclient.FileUpload) ([]byte, error) {
	return s.next.LoadWithFiles(ctx, h, input, files)
}

func (s completedIntrospection) complete(out []byte) []byte {
	v, err := astjson.ParseBytes(out)
	if err != nil || v.Type() != astjson.TypeObject {
		return out
	}
	types := []*astjson.Value{v}
	if list := v.GetArray("types"); list != nil {
		types = list
	}
	for _, t := range types {
		for _, key := range []string{"interfaces", "possibleTypes"} {
			for _, ref := range t.GetArray(key) {
				full := s.data.Schema.TypeByName(string(ref.GetStringBytes("name")))
				if full == nil {
					continue
				}
				ref.Set(nil, "interfaces", typeRefs(full.Interfaces))
				ref.Set(nil, "possibleTypes", typeRefs(full.PossibleTypes))
			}
		}
	}
	return v.MarshalTo(nil)
}

// typeRefs renders references as JSON (null for none, as the library
// renders a type's own lists).
func typeRefs(refs []introspection.TypeRef) *astjson.Value {
	b, _ := json.Marshal(refs) // nil marshals as null
	v, err := astjson.ParseBytes(b)
	if err != nil {
		return astjson.MustParse("null")
	}
	return v
}
