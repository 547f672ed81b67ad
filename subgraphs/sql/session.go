package sql

import (
	"context"
	dbsql "database/sql"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/tributary-gw/tributary"
)

// template is a session value written with {header.NAME} and
// {claims.NAME} parts between literal text.
type template struct {
	parts []templatePart
}

// templatePart is literal text, or a reference to a header or claim.
type templatePart struct {
	literal string
	// source is "header" or "claims" for a reference.
	source, name string
}

// parseTemplate reads a template; an unknown {…} reference is an error.
func parseTemplate(s string) (template, error) {
	var t template
	for s != "" {
		open := strings.IndexByte(s, '{')
		if open < 0 {
			t.parts = append(t.parts, templatePart{literal: s})
			break
		}
		if open > 0 {
			t.parts = append(t.parts, templatePart{literal: s[:open]})
		}
		end := strings.IndexByte(s[open:], '}')
		if end < 0 {
			return t, fmt.Errorf("%q has a { without its }", s)
		}
		ref := s[open+1 : open+end]
		source, name, ok := strings.Cut(ref, ".")
		if !ok || name == "" || (source != "header" && source != "claims") {
			return t, fmt.Errorf("{%s} is neither {header.NAME} nor {claims.NAME}", ref)
		}
		t.parts = append(t.parts, templatePart{source: source, name: name})
		s = s[open+end+1:]
	}
	return t, nil
}

// render fills the template from the request's headers and caller; a
// missing header or claim is empty.
func (t template) render(h http.Header, caller *tributary.Identity) string {
	var b strings.Builder
	for _, p := range t.parts {
		switch p.source {
		case "header":
			b.WriteString(h.Get(p.name))
		case "claims":
			v, _ := caller.Claim(p.name)
			b.WriteString(v)
		default:
			b.WriteString(p.literal)
		}
	}
	return b.String()
}

// session is the per-request settings and role, parsed.
type session struct {
	names    []string
	settings []template
	role     *template
	roles    []string
}

// newSession parses the section's session; paths in errs are relative to
// the section.
func newSession(c *SessionConfig, errs *tributary.FieldErrors) *session {
	if c == nil {
		return nil
	}
	s := &session{roles: c.Roles}
	names := make([]string, 0, len(c.Settings))
	for name := range c.Settings {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t, err := parseTemplate(c.Settings[name])
		if err != nil {
			errs.Addf("session.settings."+name, "%v", err)
			continue
		}
		if !strings.Contains(name, ".") {
			errs.Addf("session.settings."+name, "a custom setting's name has a prefix and a dot (e.g. app.user_id)")
			continue
		}
		s.names, s.settings = append(s.names, name), append(s.settings, t)
	}
	if c.Role != "" {
		t, err := parseTemplate(c.Role)
		if err != nil {
			errs.Addf("session.role", "%v", err)
		}
		s.role = &t
		if len(c.Roles) == 0 {
			errs.Addf("session.roles", "is required with role: list the roles a caller may take (e.g. [reader, editor])")
		}
	}
	return s
}

// apply sets the session's settings and role at the start of tx, in one
// statement whose values are all bound: set_config(name, value, true)
// lasts until the transaction ends, and set_config('role', …) is SET
// LOCAL ROLE.
func (s *source) applySession(ctx context.Context, tx *dbsql.Tx, h http.Header, caller *tributary.Identity) error {
	ss := s.session
	st := &stmt{d: s.d}
	st.sql("SELECT ")
	n := 0
	set := func(name, value string) {
		if n > 0 {
			st.sql(", ")
		}
		n++
		st.sql("set_config(")
		st.bind(name)
		st.sql(", ")
		st.bind(value)
		st.sql(", true)")
	}
	for i, name := range ss.names {
		set(name, ss.settings[i].render(h, caller))
	}
	if ss.role != nil {
		role := ss.role.render(h, caller)
		if !slices.Contains(ss.roles, role) {
			return s.errorf(codePermission, "the caller's role %q is not one of session.roles", role)
		}
		set("role", role)
	}
	if n == 0 {
		return nil
	}
	_, err := s.exec(ctx, tx, st)
	return err
}

// run calls fn with the pool, or inside a transaction when fn writes or
// the section has a session (whose settings last for the transaction).
func (s *source) run(ctx context.Context, h http.Header, caller *tributary.Identity, write bool, fn func(ctx context.Context, q queryer) error) error {
	if s.session == nil && !write {
		return fn(ctx, s.db)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.dbError(ctx, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if s.session != nil {
		if err := s.applySession(ctx, tx, h, caller); err != nil {
			return err
		}
	}
	if err := fn(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return s.dbError(ctx, err)
	}
	return nil
}
