package httpserver

import (
	"strconv"
	"strings"
)

// responseType is the media type a GraphQL response is written in. The two
// types carry the same JSON; they differ in the status codes the
// GraphQL-over-HTTP spec allows for them.
type responseType int

const (
	// notAcceptable means the client accepts neither GraphQL media type.
	notAcceptable responseType = iota
	// graphQLResponseJSON is application/graphql-response+json: status codes
	// say whether the request executed (200), was invalid (400), and so on.
	graphQLResponseJSON
	// legacyJSON is application/json: every well-formed GraphQL-over-HTTP
	// request gets 200, because a non-200 application/json reply may come from
	// a proxy rather than from a GraphQL server.
	legacyJSON
)

const (
	mediaGraphQLResponseJSON = "application/graphql-response+json"
	mediaJSON                = "application/json"
)

// Content-Type header values, shared by all responses to save an allocation
// per request. Header.Set and Add replace or copy them, never write into them.
var (
	contentTypeGraphQLResponseJSON = []string{"application/graphql-response+json; charset=utf-8"}
	contentTypeJSON                = []string{"application/json; charset=utf-8"}
)

// contentType is the Content-Type header value for t.
func (t responseType) contentType() []string {
	if t == legacyJSON {
		return contentTypeJSON
	}
	return contentTypeGraphQLResponseJSON
}

// negotiateResponseType picks the response media type from the request's
// Accept header lines, honouring q-values. A missing or empty Accept header
// and wildcards (*/* and application/*) choose application/graphql-response+json:
// the spec says servers SHOULD do so from 2025-01-01 on, and it is the type
// whose status codes mean something. On equal quality the same type wins.
func negotiateResponseType(accept []string) responseType {
	if len(accept) == 0 {
		return graphQLResponseJSON
	}
	var gql, json rangeMatch
	seen := false
	forEachMediaRange(accept, func(r mediaRange) {
		seen = true
		gql.consider(r, mediaGraphQLResponseJSON)
		json.consider(r, mediaJSON)
	})
	if !seen {
		return graphQLResponseJSON
	}
	switch {
	case gql.quality > 0 && gql.quality >= json.quality:
		return graphQLResponseJSON
	case json.quality > 0:
		return legacyJSON
	default:
		return notAcceptable
	}
}

// acceptsHTML reports whether the Accept header names text/html explicitly,
// as browsers do when they navigate to a page. Wildcards do not count: a
// script sending */* wants data, not GraphiQL.
func acceptsHTML(accept []string) bool {
	found := false
	forEachMediaRange(accept, func(r mediaRange) {
		if strings.EqualFold(r.typ, "text/html") && r.quality > 0 {
			found = true
		}
	})
	return found
}

// mediaRange is one element of an Accept header: "type/subtype;q=0.5".
type mediaRange struct {
	typ       string
	quality   float64
	charsetOK bool // no charset parameter, or a UTF-8 one
}

// rangeMatch tracks the most specific media range matching one media type;
// RFC 9110 says the most specific range decides the type's quality.
type rangeMatch struct {
	specificity int // 0 none, 1 */*, 2 type/*, 3 exact
	quality     float64
}

func (m *rangeMatch) consider(r mediaRange, media string) {
	specificity := 0
	switch {
	case strings.EqualFold(r.typ, media):
		specificity = 3
	case strings.EqualFold(r.typ, "application/*"):
		specificity = 2
	case r.typ == "*/*":
		specificity = 1
	}
	if specificity <= m.specificity {
		return
	}
	m.specificity = specificity
	m.quality = r.quality
	if !r.charsetOK {
		// We only write UTF-8; a range asking for another charset does not
		// accept our responses.
		m.quality = 0
	}
}

// forEachMediaRange calls fn for every media range in the Accept header
// lines, without allocating. Malformed q-values count as q=0 (unacceptable),
// as the range cannot be trusted.
func forEachMediaRange(lines []string, fn func(mediaRange)) {
	for _, line := range lines {
		for rest := line; rest != ""; {
			var element string
			element, rest, _ = strings.Cut(rest, ",")
			typ, params, _ := strings.Cut(element, ";")
			typ = strings.TrimSpace(typ)
			if typ == "" {
				continue
			}
			r := mediaRange{typ: typ, quality: 1, charsetOK: true}
			for params != "" {
				var param string
				param, params, _ = strings.Cut(params, ";")
				name, value, _ := strings.Cut(param, "=")
				name = strings.TrimSpace(name)
				value = strings.Trim(strings.TrimSpace(value), `"`)
				switch {
				case strings.EqualFold(name, "q"):
					q, err := strconv.ParseFloat(value, 64)
					if err != nil || q < 0 || q > 1 {
						q = 0
					}
					r.quality = q
				case strings.EqualFold(name, "charset"):
					r.charsetOK = isUTF8(value)
				}
			}
			fn(r)
		}
	}
}

// jsonContentType checks a POST's Content-Type: application/json, with an
// optional UTF-8 charset. It returns a message for the 415 reply when the
// type is not accepted.
func jsonContentType(header string) (ok bool, problem string) {
	if strings.TrimSpace(header) == "" {
		return false, `the POST has no Content-Type header; send the body as JSON with "Content-Type: application/json"`
	}
	typ, params, _ := strings.Cut(header, ";")
	if !strings.EqualFold(strings.TrimSpace(typ), mediaJSON) {
		return false, "Content-Type " + strconv.Quote(header) + ` is not supported; send the body as JSON with "Content-Type: application/json"`
	}
	for params != "" {
		var param string
		param, params, _ = strings.Cut(params, ";")
		name, value, _ := strings.Cut(param, "=")
		if strings.EqualFold(strings.TrimSpace(name), "charset") && !isUTF8(strings.Trim(strings.TrimSpace(value), `"`)) {
			return false, "Content-Type " + strconv.Quote(header) + " names a charset other than UTF-8; send the body as UTF-8"
		}
	}
	return true, ""
}

func isUTF8(charset string) bool {
	return strings.EqualFold(charset, "utf-8") || strings.EqualFold(charset, "utf8")
}
