package config

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Error is one problem found in a config file. Its text reads
//
//	gateway.yaml:14: subgraphs[1] "reviews": graphql.url is required
type Error struct {
	// File is the config file's path as given to Load or Parse.
	File string
	// Line is the 1-based line of the problem, or 0 when no single line
	// holds it (for example, a key that is missing from the whole file).
	Line int
	// Path locates the key: "limits.maxDepth", or for a subgraph entry
	// `subgraphs[1] "reviews": graphql.url`. It is empty for problems with
	// the file as a whole or its top level.
	Path string
	// Message says what is wrong and how to fix it.
	Message string
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	b.WriteString(joinPathMessage(e.Path, e.Message))
	return b.String()
}

// sentenceStarts are the openings of messages that read as the rest of a
// sentence whose subject is the key path: "graphql.url is required".
var sentenceStarts = []string{
	"is ", "are ", "must ", "should ", "cannot ", "can't ", "needs ", "has ", "have ",
	"does ", "doesn't ", "uses ", "may ", "was ", "points ", "names ", "refers ",
}

// joinPathMessage puts a key path in front of a message: with a space when
// the message continues a sentence about the key ("url is required"), with
// a colon otherwise ("limits.maxDepth: expected an integer").
func joinPathMessage(path, msg string) string {
	if path == "" {
		return msg
	}
	for _, s := range sentenceStarts {
		if strings.HasPrefix(msg, s) {
			return path + " " + msg
		}
	}
	return path + ": " + msg
}

// Errors is every problem found in one config file, ordered by line. It is
// the error Load and Parse return when the file is not valid.
type Errors []*Error

// Error implements error: one problem per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// maxErrors bounds how many problems one file reports, so that a badly
// broken (or hostile) file yields a readable list rather than a flood.
const maxErrors = 50

// problems collects the Errors of one parse.
type problems struct {
	file    string
	list    Errors
	dropped int
	// secrets are values read from environment variables; they are replaced
	// by the variable's name in every message before the errors leave Parse.
	secrets map[string]string
}

func (p *problems) add(line int, path, format string, args ...any) {
	if len(p.list) >= maxErrors {
		p.dropped++
		return
	}
	p.list = append(p.list, &Error{File: p.file, Line: line, Path: path, Message: fmt.Sprintf(format, args...)})
}

func (p *problems) count() int { return len(p.list) + p.dropped }

// minSecretLen is the length from which a value read from the environment is
// hidden wherever it shows up in a message. Shorter values ("1", "on") are
// not worth hiding and would garble unrelated text if replaced.
const minSecretLen = 4

func (p *problems) addSecret(value, variable string) {
	if len(value) < minSecretLen {
		return
	}
	if p.secrets == nil {
		p.secrets = map[string]string{}
	}
	p.secrets[value] = "${" + variable + "}"
}

// result returns the problems found, ordered by line, with secrets hidden;
// or nil when there were none.
func (p *problems) result() error {
	if p.count() == 0 {
		return nil
	}
	out := slices.Clone(p.list)
	// Longer secrets first, so that a secret containing a shorter one is
	// replaced whole.
	secrets := make([]string, 0, len(p.secrets))
	for s := range p.secrets {
		secrets = append(secrets, s)
	}
	slices.SortFunc(secrets, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	for _, e := range out {
		for _, s := range secrets {
			e.Message = strings.ReplaceAll(e.Message, s, p.secrets[s])
			e.Path = strings.ReplaceAll(e.Path, s, p.secrets[s])
		}
	}
	// By line; problems with no line (a key missing from the file) last.
	slices.SortStableFunc(out, func(a, b *Error) int {
		if (a.Line == 0) != (b.Line == 0) {
			return cmp.Compare(b.Line, a.Line)
		}
		return cmp.Compare(a.Line, b.Line)
	})
	if p.dropped > 0 {
		out = append(out, &Error{File: p.file, Message: fmt.Sprintf("… and %d more problems; fix the ones above first", p.dropped)})
	}
	return out
}
