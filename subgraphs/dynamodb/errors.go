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
	return &tributary.Error{
		Message:    s.name + ": " + fmt.Sprintf(format, args...),
		Extensions: map[string]any{"code": code},
	}
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
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		e := s.errorf(apiErr.ErrorCode(), "%s on table %s: %s: %s", op, tableName, apiErr.ErrorCode(), apiErr.ErrorMessage())
		var re interface{ HTTPStatusCode() int }
		if errors.As(err, &re) && re.HTTPStatusCode() > 0 {
			e.Extensions["statusCode"] = re.HTTPStatusCode()
		}
		return e
	}
	if ctx.Err() != nil {
		return s.errorf(codeUnreachable, "%s on table %s: the request ended before DynamoDB answered: %v", op, tableName, ctx.Err())
	}
	return s.errorf(codeUnreachable, "%s on table %s: cannot reach DynamoDB: %v", op, tableName, err)
}
