package wire

import (
	"fmt"
	"mime"
	"mime/multipart"
	"net/textproto"
	"strings"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/internal/jsonscan"
	"github.com/tributary-gw/tributary/openapi"
)

// uploadType is the scalar of file arguments. Its value in the arguments
// is null; the file itself comes with the GraphQL multipart request spec,
// keyed by its argument path (see WithFiles).
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

// encodedBody is a serialized request body and its Content-Type. A body
// with uploaded files is streamed from disk; the rest are in data.
type encodedBody struct {
	data        []byte
	stream      *streamedBody
	contentType string
}

// encodeBody serializes the wire JSON value of the body argument for the
// body's media type; files are the call's uploads by argument path.
func encodeBody(body *openapi.Body, types map[string]*openapi.Type, wire []byte, files map[string]*tributary.File) (encodedBody, error) {
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
		return encodeMultipart(body, types, wire, files)
	default:
		return encodeRaw(body, wire)
	}
}

// encodeFileBody sends an uploaded file as the whole body. A media type
// with a wildcard ("image/*") takes the file's own type.
func encodeFileBody(body *openapi.Body, file *tributary.File) (encodedBody, error) {
	contentType := body.ContentType
	if (contentType == "" || strings.Contains(contentType, "*")) && file.ContentType != "" {
		contentType = file.ContentType
	}
	stream := &streamedBody{}
	if err := stream.addFile(file.Path); err != nil {
		return encodedBody{}, err
	}
	return encodedBody{stream: stream, contentType: firstNonEmpty(contentType, "application/octet-stream")}, nil
}

// encodeRaw sends a String argument as the raw body.
func encodeRaw(body *openapi.Body, wire []byte) (encodedBody, error) {
	if body.Type != nil && namedType(body.Type) == uploadType {
		_, err := uploadFor(nil, body.Arg, wire) // not null: an error
		return encodedBody{}, err
	}
	switch wire[0] {
	case '[', '{':
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
	it := jsonscan.ObjectMembers(wire)
	for {
		key, value, ok := it.Next()
		if !ok {
			break
		}
		if jsonscan.IsNull(value) {
			continue
		}
		name := jsonscan.Unquote(key)
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
	it := jsonscan.ArrayElements(raw)
	for {
		elem, ok := it.Next()
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
// parts, streamed from disk.
func encodeMultipart(body *openapi.Body, types map[string]*openapi.Type, wire []byte, files map[string]*tributary.File) (encodedBody, error) {
	if wire[0] != '{' {
		return encodedBody{}, mismatch("a %s request body needs an object (an input type), got %s", body.ContentType, shortJSON(wire))
	}
	stream := &streamedBody{}
	mw := multipart.NewWriter(stream)
	var bodyType *openapi.Type
	if body.Type != nil {
		bodyType = types[namedType(body.Type)]
	}
	it := jsonscan.ObjectMembers(wire)
	for {
		key, value, ok := it.Next()
		if !ok {
			break
		}
		name := jsonscan.Unquote(key)
		upload, path := false, ""
		if bodyType != nil {
			if f, _ := fieldByJSON(bodyType, key, 0); f != nil {
				upload = namedType(f.Type) == uploadType
				path = body.Arg + "." + f.Name
			}
		}
		if jsonscan.IsNull(value) && !upload {
			continue
		}
		pw := partWriter{mw: mw, stream: stream, files: files, contentType: body.Encoding[name].ContentType, upload: upload}
		if err := pw.write(name, path, value); err != nil {
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
	if !stream.hasFiles() {
		return encodedBody{data: stream.bytes(), contentType: contentType}, nil
	}
	stream.flush()
	return encodedBody{stream: stream, contentType: contentType}, nil
}

// partWriter writes the part or parts of one multipart property.
type partWriter struct {
	mw          *multipart.Writer
	stream      *streamedBody
	files       map[string]*tributary.File
	contentType string // from the property's Encoding
	upload      bool   // the property is an Upload or a list of them
}

// write writes value, the property called name on the wire; path is its
// GraphQL argument path, where its uploads are found.
func (pw *partWriter) write(name, path string, value []byte) error {
	if value[0] == '[' && (pw.upload || !hasNested(value)) {
		it := jsonscan.ArrayElements(value)
		for i := 0; ; i++ {
			elem, ok := it.Next()
			if !ok {
				return nil
			}
			if jsonscan.IsNull(elem) && !pw.upload {
				continue
			}
			if err := pw.write(name, fmt.Sprintf("%s.%d", path, i), elem); err != nil {
				return atIndex(err, i)
			}
		}
	}
	header := textproto.MIMEHeader{}
	disposition := `form-data; name="` + quoteEscaper.Replace(name) + `"`
	contentType := pw.contentType
	var content []byte
	var file *tributary.File
	switch {
	case pw.upload:
		var err error
		if file, err = uploadFor(pw.files, path, value); err != nil || file == nil {
			return err
		}
		disposition += `; filename="` + quoteEscaper.Replace(file.Name) + `"`
		contentType = firstNonEmpty(file.ContentType, contentType, "application/octet-stream")
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
	w, err := pw.mw.CreatePart(header)
	if err != nil {
		return err
	}
	if file != nil {
		return pw.stream.addFile(file.Path)
	}
	_, err = w.Write(content)
	return err
}

// quoteEscaper escapes a Content-Disposition parameter value; line breaks
// are dropped so that a name cannot start a header of its own.
var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", "", "\n", "")

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
