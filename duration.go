package tributary

import (
	"fmt"
	"time"
)

// Duration is a time.Duration written in config files as Go duration text:
// "250ms", "10s", "1m30s".
type Duration time.Duration

// UnmarshalText parses duration text.
func (d *Duration) UnmarshalText(text []byte) error {
	v, err := time.ParseDuration(string(text))
	if err != nil {
		return fmt.Errorf("%q is not a duration (write e.g. \"250ms\", \"10s\", \"1m\")", text)
	}
	if v < 0 {
		return fmt.Errorf("duration %q is negative", text)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the duration as text.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// Std returns the value as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }
