package detectors

import (
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/datamap-uk/datamap/detectors/checksum"
)

func netipParse(s string) (netip.Addr, error) { return netip.ParseAddr(s) }

// Month reads an English month name or its usual abbreviation ("Jul", "july", "Sept") in any case. It is the
// one month table of the project: ParseCellDate reads month names with it too.
func Month(name string) (time.Month, bool) {
	m, ok := months[strings.ToLower(name)]
	return m, ok
}

var months = map[string]time.Month{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
	"jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
	"oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

// plausibleBirth reports a real calendar date on which someone alive today could have been born (age 0-120).
func (s *Scanner) plausibleBirth(y, m, d int) bool {
	if y < 100 {
		// Two-digit years: the most recent century that does not put the date in the future.
		y += 2000
		if y > s.year {
			y -= 100
		}
	}
	if y < s.year-120 || y > s.year || m < 1 || m > 12 || d < 1 || d > checksum.DaysIn(y, m) {
		return false
	}
	return y*10000+m*100+d <= s.today
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// isoDate handles dates whose parts are joined by hyphens: 1980-02-01 (and 1980-02-01T10:00) and 01-02-1980.
// It returns the end of the date when it is a plausible date of birth, 0 when the groups are not a date, and
// the end as well when they are a date that cannot be a birth date (so they are not mistaken for a number).
func (s *Scanner) isoDate(text string, g []span, fn func(Hit)) int {
	if len(g) < 3 || text[g[0].e] != '-' || text[g[1].e] != '-' {
		return 0
	}
	a, b, c := text[g[0].s:g[0].e], text[g[1].s:g[1].e], text[g[2].s:g[2].e]
	var y, m, d int
	switch {
	case len(a) == 4 && len(b) <= 2 && len(c) <= 2:
		y, m, d = atoi(a), atoi(b), atoi(c)
	case len(a) <= 2 && len(b) <= 2 && (len(c) == 4 || len(c) == 2):
		d, m, y = atoi(a), atoi(b), atoi(c)
	default:
		return 0
	}
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return 0 // not a date at all: let the other readings (a sort code) have it
	}
	end := g[2].e
	if s.plausibleBirth(y, m, d) {
		fn(Hit{Detector: DateOfBirth, Phrase: -1, Start: g[0].s, End: end})
	}
	return end
}

// dmy handles 01/02/1980, 1/2/80 and 01.02.1980.
func (s *Scanner) dmy(text string, start int, fn func(Hit)) int {
	n := len(text)
	parts := [3]string{}
	p := start
	var sep byte
	for i := 0; i < 3; i++ {
		q := p
		for q < n && isDigit(text[q]) {
			q++
		}
		if q == p || q-p > 4 {
			return start
		}
		parts[i] = text[p:q]
		p = q
		if i < 2 {
			if p >= n || (text[p] != '/' && text[p] != '.') || (sep != 0 && text[p] != sep) {
				return start
			}
			sep = text[p]
			p++
		}
	}
	if p < n && (isAlnum(text[p]) || text[p] == sep) {
		return start
	}
	if len(parts[0]) > 2 || len(parts[1]) > 2 || (len(parts[2]) != 4 && len(parts[2]) != 2) {
		return start
	}
	if s.plausibleBirth(atoi(parts[2]), atoi(parts[1]), atoi(parts[0])) {
		fn(Hit{Detector: DateOfBirth, Phrase: -1, Start: start, End: p})
	}
	return p
}

// textDate handles "5 July 1965", "5th July 1965", "05-JUL-1965" and "5 Jul 65" starting at the day digits.
func (s *Scanner) textDate(text string, start int, fn func(Hit)) int {
	n := len(text)
	p := start
	for p < n && isDigit(text[p]) {
		p++
	}
	if p-start == 0 || p-start > 2 {
		return start
	}
	d := atoi(text[start:p])
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if strings.HasPrefix(text[p:], suf) {
			p += 2
			break
		}
	}
	if p >= n || (text[p] != ' ' && text[p] != '-') {
		return start
	}
	p++
	ms := p
	for p < n && class[text[p]] == clsLetter && text[p] < 0x80 {
		p++
	}
	m, ok := Month(text[ms:p])
	if !ok || p >= n || (text[p] != ' ' && text[p] != '-' && text[p] != ',') {
		return start
	}
	p++
	if p < n && text[p] == ' ' {
		p++
	}
	ys := p
	for p < n && isDigit(text[p]) {
		p++
	}
	if (p-ys != 4 && p-ys != 2) || (p < n && isAlnum(text[p])) {
		return start
	}
	if s.plausibleBirth(atoi(text[ys:p]), int(m), d) {
		fn(Hit{Detector: DateOfBirth, Phrase: -1, Start: start, End: p})
	}
	return p
}
