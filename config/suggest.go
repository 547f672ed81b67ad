package config

import "strings"

// suggest returns the candidate the user most likely meant by got, or ""
// when none is close: a different case ("maxdepth"), a typo a couple of
// edits away ("listn"), or a longer key that contains it ("timeout" for
// "requestTimeout").
func suggest(got string, candidates []string) string {
	lower := strings.ToLower(got)
	limit := 1
	if len(got) > 4 {
		limit = max(2, len(got)/3)
	}
	best, bestDist := "", -1
	for _, c := range candidates {
		if strings.ToLower(c) == lower {
			return c
		}
		dist := editDistance(lower, strings.ToLower(c))
		if dist <= limit && (bestDist < 0 || dist < bestDist) {
			best, bestDist = c, dist
		}
	}
	if best != "" {
		return best
	}
	if len(got) >= 4 {
		for _, c := range candidates {
			if strings.Contains(strings.ToLower(c), lower) {
				return c
			}
		}
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
