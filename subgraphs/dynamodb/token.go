package dynamodb

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// maxTokenBytes bounds a nextToken a client may send.
const maxTokenBytes = 4 << 10

// tokenSigner turns a DynamoDB LastEvaluatedKey into an opaque nextToken
// and back. A token is signed and bound to the query it continues (table,
// index and partition value): one that was altered, or that continues
// another query, is refused.
type tokenSigner struct {
	secret []byte
}

// newTokenSigner signs with secret, or with a random per-process key when
// secret is empty.
func newTokenSigner(secret string) (tokenSigner, error) {
	if secret != "" {
		return tokenSigner{secret: []byte(secret)}, nil
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return tokenSigner{}, fmt.Errorf("cannot make a nextToken key: %w", err)
	}
	return tokenSigner{secret: key}, nil
}

// cursor is what a token says: which query it continues and where.
type cursor struct {
	Table     string `json:"t"`
	Index     string `json:"i,omitempty"`
	Partition string `json:"p,omitempty"`
	// Key is LastEvaluatedKey: attribute name → {"S"|"N"|"B": value}.
	Key map[string]map[string]string `json:"k"`
}

// encode returns the token for the page after key, or "" when key is
// empty (the last page).
func (ts tokenSigner) encode(c cursor, key item) (string, error) {
	if len(key) == 0 {
		return "", nil
	}
	c.Key = make(map[string]map[string]string, len(key))
	for name, av := range key {
		switch v := av.(type) {
		case *types.AttributeValueMemberS:
			c.Key[name] = map[string]string{"S": v.Value}
		case *types.AttributeValueMemberN:
			c.Key[name] = map[string]string{"N": v.Value}
		case *types.AttributeValueMemberB:
			c.Key[name] = map[string]string{"B": base64.StdEncoding.EncodeToString(v.Value)}
		default:
			return "", fmt.Errorf("LastEvaluatedKey attribute %q has a type a key cannot have", name)
		}
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(ts.mac(payload)), nil
}

func (ts tokenSigner) mac(payload []byte) []byte {
	h := hmac.New(sha256.New, ts.secret)
	h.Write(payload)
	return h.Sum(nil)
}

// errForeignToken reports a well-signed token of another query.
var errForeignToken = errors.New("it continues another query; pass the nextToken of this field's previous page, with the same arguments")

// decode checks token against want (the query it must continue) and
// returns its ExclusiveStartKey. keyAttrs are the attribute names the key
// must hold: the table's key and the index's.
func (ts tokenSigner) decode(token string, want cursor, keyAttrs []string) (item, error) {
	if len(token) > maxTokenBytes {
		return nil, fmt.Errorf("it is longer than %d bytes", maxTokenBytes)
	}
	enc, sig, ok := strings.Cut(token, ".")
	if !ok {
		return nil, errors.New("it is not a token this gateway issued")
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(enc)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, ts.mac(payload)) {
		return nil, errors.New("it is not a token this gateway issued, or it was altered")
	}
	var c cursor
	if err := json.Unmarshal(payload, &c); err != nil {
		return nil, errors.New("it is not a token this gateway issued")
	}
	if c.Table != want.Table || c.Index != want.Index || c.Partition != want.Partition {
		return nil, errForeignToken
	}
	if len(c.Key) != len(keyAttrs) {
		return nil, errForeignToken
	}
	key := make(item, len(c.Key))
	for _, name := range keyAttrs {
		v, ok := c.Key[name]
		if !ok || len(v) != 1 {
			return nil, errForeignToken
		}
		switch {
		case v["S"] != "":
			key[name] = &types.AttributeValueMemberS{Value: v["S"]}
		case v["N"] != "":
			key[name] = &types.AttributeValueMemberN{Value: v["N"]}
		case v["B"] != "":
			b, err := base64.StdEncoding.DecodeString(v["B"])
			if err != nil {
				return nil, errForeignToken
			}
			key[name] = &types.AttributeValueMemberB{Value: b}
		default:
			return nil, errForeignToken
		}
	}
	return key, nil
}
