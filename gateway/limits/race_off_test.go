//go:build !race

package limits

// raceEnabled reports that the race detector is on; sync.Pool then drops
// items on purpose, so allocation counts are not meaningful.
const raceEnabled = false
