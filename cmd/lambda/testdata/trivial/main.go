// Command trivial is the smallest Go Lambda function, the baseline
// TestMeasureColdStart compares the gateway's init with.
package main

import "github.com/aws/aws-lambda-go/lambda"

func main() {
	lambda.Start(func() (string, error) { return "ok", nil })
}
