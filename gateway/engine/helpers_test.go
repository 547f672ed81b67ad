package engine

import "github.com/wundergraph/astjson"

type astjsonValue = astjson.Value

func parseJSON(s string) (*astjson.Value, error) { return astjson.Parse(s) }
