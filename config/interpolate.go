package config

import (
	"fmt"
	"strings"
)

// envValue is one environment variable an interpolated scalar read.
type envValue struct {
	name  string
	value string
}

// interpolate replaces ${VAR} and ${VAR:-default} in s with the value of the
// environment variable VAR (the default when VAR is unset or empty) and $${
// with a literal ${. It returns the variables it read from the environment,
// so that their values can be kept out of error messages.
func interpolate(s string, env func(string) (string, bool)) (string, []envValue, error) {
	if !strings.Contains(s, "${") {
		return s, nil, nil
	}
	var (
		b    strings.Builder
		used []envValue
	)
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "$${"):
			b.WriteString("${")
			i += 3
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				return "", nil, fmt.Errorf(`has an unterminated "${"; close it with "}", or write "$${" for a literal "${"`)
			}
			expr := s[i+2 : i+2+end]
			name, def, hasDefault := strings.Cut(expr, ":-")
			if !isEnvName(name) {
				return "", nil, fmt.Errorf(`has "${%s}", which does not name an environment variable; write ${NAME} or ${NAME:-default} (letters, digits and _, not starting with a digit), or "$${" for a literal "${"`, expr)
			}
			value, set := env(name)
			switch {
			case hasDefault && value == "":
				b.WriteString(def)
			case !set:
				return "", nil, fmt.Errorf("uses environment variable %s, which is not set; set it, or give a default with ${%s:-value}", name, name)
			default:
				b.WriteString(value)
				used = append(used, envValue{name: name, value: value})
			}
			i += 2 + end + 1
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String(), used, nil
}

// isEnvName reports whether s is a portable environment variable name.
func isEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}
