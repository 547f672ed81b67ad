//go:build !tributary_nodynamodb

package builtin

import _ "github.com/tributary-gw/tributary/subgraphs/dynamodb" // the AWS SDK
