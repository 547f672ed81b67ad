package wire

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime"
	"mime/multipart"
	"net/textproto"
	"strings"

	"github.com/tributary-gw/tributary/openapi"
)

// uploadType is the scalar of file arguments. Its value is, for now, an
// object {"filename": …, "contentType": …, "content": base64}.
//
// TODO(openapi): accept files sent with the GraphQL multipart request spec
// once the HTTP transport hands them to kinds; decodeUpload is the hook.
const uploadType = "Upload"

// Media types the body encoders tell apart.
const (
	mediaJSON      = "application/json"
	mediaForm      = "application/x-www-form-urlencoded"
	mediaMultipart = "multipart/"
)

// isJSONMedia reports whether the media type is JSON or a +json type.
func isJSONMedia(mediaType string) bool {
	base, _, _ := strings.Cut(mediaType, ";")
	base = strings.TrimSpace(strings.ToLower(base))
	return base == mediaJSON || strings.HasSuffix(base, "+json") || base == "text/json"
}

// encodedBody is a serialized request body and its Content-Type.
type encodedBody struct {
	data        []byte
	contentType string
}

// encodeBody serializes the wire JSON value of the body argument for the
// body's media type.
func encodeBody(body *openapi.Body, types map[string]*openapi.Type, wire []byte) (encodedBody, error) {
	mediaType := body.ContentType
	switch {
	case mediaType == "" || isJSONMedia(mediaType):
		if mediaType == "" {
			mediaType = mediaJSON
		}
		return encodedBody{data: wire, contentType: mediaType}, nil
	case strings.HasPrefix(mediaType, mediaForm):
		data, err := encodeForm(body, wire)
		return encodedBody{data: data, contentType: mediaType}, err
	case strings.HasPrefix(mediaType, mediaMultipart):
		return encodeMultipart(body, types, wire)
	default:
		return encodeRaw(body, wire)
	}
}

// encodeRaw sends a String argument as the raw body, or the content of an
// Upload.
func encodeRaw(body *openapi.Body, wire []byte) (encodedBody, error) {
	switch wire[0] {
	case '[':
	case '{':
		if body.Type != nil && namedType(body.Type) == uploadType {
			up, err := decodeUpload(wire)
			if err != nil {
				return encodedBody{}, err
			}
			contentType := body.ContentType
			if strings.Contains(contentType, "*") && up.contentType != "" {
				contentType = up.contentType
			}
			return encodedBody{data: up.content, contentType: contentType}, nil
		}
	default:
		return encodedBody{data: []byte(scalarText(wire)), contentType: body.ContentType}, nil
	}
	return encodedBody{}, mismatch("a request body of media type %s is sent as the argument's raw text, so the argument must be a String or an Upload, got %s",
		body.ContentType, shortJSON(wire))
}

// encodeForm serializes an object as application/x-www-form-urlencoded,
// each property per its Encoding (style form, explode true by default).
// Object properties become JSON text unless their style is deepObject.
func encodeForm(body *openapi.Body, wire []byte) ([]byte, error) {
	if wire[0] != '{' {
		return nil, mismatch("a %s request body needs an object (an input type), got %s", mediaForm, shortJSON(wire))
	}
	var out []byte
	it := objectMembers(wire)
	for {
		key, value, ok := it.next()
		if !ok {
			break
		}
		if isNull(value) {
			continue
		}
		name := unquote(key)
		enc, declared := body.Encoding[name]
		if !declared || enc.Style == "" {
			enc.Style, enc.Explode = styleForm, true
		}
		vp := splitValue(value)
		switch {
		case isJSONMedia(enc.ContentType), vp.isObject && enc.Style != styleDeepObject, hasNested(value):
			vp = valueParts{isPrimitive: true, text: scalarText(value)}
		}
		p := openapi.Param{Name: name, In: "query", Style: enc.Style, Explode: enc.Explode}
		out = appendQueryValue(out, &p, &vp, escapeForm)
	}
	return out, nil
}

// hasNested reports whether the array raw holds arrays or objects.
func hasNested(raw []byte) bool {
	if raw[0] != '[' {
		return false
	}
	it := arrayElements(raw)
	for {
		elem, ok := it.next()
		if !ok {
			return false
		}
		if elem[0] == '[' || elem[0] == '{' {
			return true
		}
	}
}

// escapeForm escapes a form field name or value as HTML forms do.
func escapeForm(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isUnreserved(c):
			dst = append(dst, c)
		case c == ' ':
			dst = append(dst, '+')
		default:
			dst = appendPercent(dst, c)
		}
	}
	return dst
}

// encodeMultipart serializes an object as multipart/form-data: one part per
// property. Primitives are text parts, arrays of primitives repeat their
// part, objects and other arrays are JSON parts, and Upload values are file
// parts.
func encodeMultipart(body *openapi.Body, types map[string]*openapi.Type, wire []byte) (encodedBody, error) {
	if wire[0] != '{' {
		return encodedBody{}, mismatch("a %s request body needs an object (an input type), got %s", body.ContentType, shortJSON(wire))
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	var bodyType *openapi.Type
	if body.Type != nil {
		bodyType = types[namedType(body.Type)]
	}
	it := objectMembers(wire)
	for {
		key, value, ok := it.next()
		if !ok {
			break
		}
		if isNull(value) {
			continue
		}
		name := unquote(key)
		upload := false
		if bodyType != nil {
			if f, _ := fieldByJSON(bodyType, key, 0); f != nil {
				upload = namedType(f.Type) == uploadType
			}
		}
		if err := writeParts(mw, name, value, body.Encoding[name].ContentType, upload); err != nil {
			return encodedBody{}, atField(err, name)
		}
	}
	if err := mw.Close(); err != nil {
		return encodedBody{}, err
	}
	subtype := strings.TrimPrefix(body.ContentType, mediaMultipart)
	subtype, _, _ = strings.Cut(subtype, ";")
	contentType := mime.FormatMediaType("multipart/"+strings.TrimSpace(subtype), map[string]string{"boundary": mw.Boundary()})
	if contentType == "" {
		contentType = mw.FormDataContentType()
	}
	return encodedBody{data: buf.Bytes(), contentType: contentType}, nil
}

// writeParts writes the part or parts of one multipart property.
func writeParts(mw *multipart.Writer, name string, value []byte, contentType string, upload bool) error {
	if value[0] == '[' && (upload || !hasNested(value)) {
		it := arrayElements(value)
		for i := 0; ; i++ {
			elem, ok := it.next()
			if !ok {
				return nil
			}
			if isNull(elem) {
				continue
			}
			if err := writeParts(mw, name, elem, contentType, upload); err != nil {
				return atIndex(err, i)
			}
		}
	}
	header := textproto.MIMEHeader{}
	disposition := `form-data; name="` + quoteEscaper.Replace(name) + `"`
	var content []byte
	switch {
	case upload:
		up, err := decodeUpload(value)
		if err != nil {
			return err
		}
		disposition += `; filename="` + quoteEscaper.Replace(up.filename) + `"`
		contentType = firstNonEmpty(up.contentType, contentType, "application/octet-stream")
		content = up.content
	case value[0] == '{' || value[0] == '[':
		contentType = firstNonEmpty(contentType, mediaJSON)
		content = value
	default:
		content = []byte(scalarText(value))
	}
	header.Set("Content-Disposition", disposition)
	if contentType != "" {
		header.Set("Content-Type", contentType)
	}
	w, err := mw.CreatePart(header)
	if err != nil {
		return err
	}
	_, err = w.Write(content)
	return err
}

// quoteEscaper escapes a Content-Disposition parameter value; line breaks
// are dropped so that a name cannot start a header of its own.
var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", "", "\n", "")

// upload is a decoded Upload value.
type upload struct {
	filename    string
	contentType string
	content     []byte
}

// decodeUpload reads an Upload value: {"filename", "contentType",
// "content"} with the content in standard base64.
func decodeUpload(raw []byte) (upload, error) {
	var up upload
	if raw[0] != '{' {
		return up, mismatch(`an Upload must be an object {"filename", "contentType", "content" (base64)}, got %s`, shortJSON(raw))
	}
	var content []byte
	it := objectMembers(raw)
	for {
		key, value, ok := it.next()
		if !ok {
			break
		}
		switch {
		case keyEquals(key, "filename"):
			up.filename = unquote(value)
		case keyEquals(key, "contentType"):
			up.contentType = unquote(value)
		case keyEquals(key, "content"):
			content = value
		}
	}
	if len(content) == 0 || content[0] != '"' {
		return up, mismatch(`an Upload needs "content", its bytes in base64`)
	}
	data, err := base64.StdEncoding.DecodeString(unquote(content))
	if err != nil {
		return up, mismatch("an Upload's content is not valid base64: %v", err)
	}
	up.content = data
	return up, nil
}

// namedType returns the named type at the bottom of t's list wrappers.
func namedType(t *openapi.TypeRef) string {
	for t != nil && t.Elem != nil {
		t = t.Elem
	}
	if t == nil {
		return ""
	}
	return t.Named
}

// firstNonEmpty returns the first of its arguments that is not empty.
func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// errBodyRequired is returned when a required body argument is missing.
func errBodyRequired(body *openapi.Body) error {
	return fmt.Errorf("argument %q (the request body, %s) is required", body.Arg, body.ContentType)
}
