package dynamodb

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/smithy-go"

	"github.com/tributary-gw/tributary"
)

// Error codes in the extensions of errors a client sees, besides the
// DynamoDB error codes (ConditionalCheckFailedException…) passed through.
const (
	codeBadInput    = "BAD_USER_INPUT"
	codeInvalidItem = "DYNAMODB_INVALID_ITEM"
	codeUnreachable = "UPSTREAM_UNREACHABLE"
	codeInternal    = "INTERNAL_SERVER_ERROR"
)

// errorf is an error about the subgraph, with a code.
func (s *source) errorf(code, format string, args ...any) *tributary.Error {
	return tributary.SubgraphError(s.name, code, format, args...)
}

// badInput is a BAD_USER_INPUT error about an argument.
func (s *source) badInput(format string, args ...any) *tributary.Error {
	return s.errorf(codeBadInput, format, args...)
}

// callError turns an error of a DynamoDB call on table into a GraphQL
// error: DynamoDB's own errors keep their code (ConditionalCheckFailed,
// ValidationException, ProvisionedThroughputExceededException once the
// retries ran out); a cancelled request or an unreachable endpoint is
// UPSTREAM_UNREACHABLE.
func (s *source) callError(ctx context.Context, op, tableName string, err error) *tributary.Error {
	code, msg := callFailure(ctx, op, tableName, err)
	e := s.errorf(code, "%s", msg)
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) && re.HTTPStatusCode() > 0 {
		e.Extensions["statusCode"] = re.HTTPStatusCode()
	}
	return e
}

// callFailure is the code and message of a failed call.
func callFailure(ctx context.Context, op, tableName string, err error) (code, msg string) {
	var apiErr smithy.APIError
	switch {
	case errors.As(err, &apiErr):
		return apiErr.ErrorCode(), fmt.Sprintf("%s on table %s: %s: %s", op, tableName, apiErr.ErrorCode(), apiErr.ErrorMessage())
	case ctx.Err() != nil:
		return codeUnreachable, fmt.Sprintf("%s on table %s: the request ended before DynamoDB answered: %v", op, tableName, ctx.Err())
	}
	return codeUnreachable, fmt.Sprintf("%s on table %s: cannot reach DynamoDB: %v", op, tableName, err)
}
