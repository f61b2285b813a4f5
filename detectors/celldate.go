package detectors

import (
	"slices"
	"strings"
	"time"

	"github.com/datamap-uk/datamap/detectors/checksum"
)

// ParseCellDate reads a cell that holds one date, as stores and UK records write it, and returns its UTC
// calendar date at midnight. It is the one whole-cell date reader of the project: the retention planner
// chooses a date column with it and the stale counter reads that column's every cell with it, so a column
// chosen from its samples is never counted unreadable for a format only one of them knew.
//
// Accepted, with surrounding spaces:
//   - ISO year first: 2019-07-05, 2019/07/05, 2019-7-5;
//   - UK day first (never month first): 05/07/2019, 5/7/19, 05-07-2019, 05.07.2019;
//   - a month name, day or month first, after an optional weekday: "5 July 2019", "5th Jul 19", "05-JUL-2019",
//     "5 Sept 2019", "Fri, 5 Jul 2019", "July 5, 2019";
//   - any of these followed by a time (T or a space; after a space, also "2:30 pm"), hh:mm[:ss[.fff]], then
//     an optional zone (Z, UTC, GMT, +hh, +hhmm, +hh:mm, with "-" or U+2212 "−" for west of UTC) and an
//     optional abbreviation after the zone (Go's "+0100 BST").
//
// A record's date is its UTC calendar date: a zoned time is converted to UTC first, so
// "2019-06-01 00:30+01:00" is 2019-05-31; a time without a zone is taken as written.
//
// pivot decides two-digit years: 00 up to pivot are 20xx, the rest 19xx. Callers pass the as-of date's year
// mod 100 (26 in 2026), so a record's date is never read as later than the run's year: "1/6/27" read in 2026
// is 1927. Records hold past dates (a tenancy end, a date of birth), which Excel's fixed 00-29 split would put
// up to three years in the future.
//
// Impossible dates (31/04/2019, 29/02/2019) and years outside 1800-2200 are not dates, so a typo such as
// 0219 is counted unreadable rather than stale. Excel serial numbers are not read here: whether a plain
// number is a date depends on the container and its date system, which only the caller knows.
func ParseCellDate(s string, pivot int) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return time.Time{}, false
	}
	if t, ok := numericCellDate(s, pivot); ok {
		return t, true
	}
	return wordCellDate(s, pivot)
}

const minCellYear, maxCellYear = 1800, 2200

// cellDigits reads min to max digits at s[i:] and returns their value and the index after them, or -1 when
// there are fewer than min or more than max.
func cellDigits(s string, i, min, max int) (int, int) {
	j, n := i, 0
	for j < len(s) && isDigit(s[j]) {
		if j-i == max {
			return 0, -1
		}
		n = n*10 + int(s[j]-'0')
		j++
	}
	if j-i < min {
		return 0, -1
	}
	return n, j
}

func cellDay(y, m, d int) (time.Time, bool) {
	// A record that says 31 April holds no date (time.Date would make it 1 May).
	if y < minCellYear || y > maxCellYear || m < 1 || m > 12 || d < 1 || d > checksum.DaysIn(y, m) {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), true
}

func fullYear(yy, pivot int) int {
	if yy <= pivot {
		return 2000 + yy
	}
	return 1900 + yy
}

// numericCellDate reads ISO year-first and UK day-first dates, each with an optional time.
func numericCellDate(s string, pivot int) (time.Time, bool) {
	var y, m, d, i int
	if a, j := cellDigits(s, 0, 4, 4); j == 4 && j < len(s) && (s[j] == '-' || s[j] == '/') {
		sep := s[j]
		y = a
		if m, i = cellDigits(s, j+1, 1, 2); i < 0 || i >= len(s) || s[i] != sep {
			return time.Time{}, false
		}
		if d, i = cellDigits(s, i+1, 1, 2); i < 0 {
			return time.Time{}, false
		}
	} else {
		a, j := cellDigits(s, 0, 1, 2)
		if j < 0 || j >= len(s) || (s[j] != '/' && s[j] != '-' && s[j] != '.') {
			return time.Time{}, false
		}
		sep := s[j]
		d = a
		if m, i = cellDigits(s, j+1, 1, 2); i < 0 || i >= len(s) || s[i] != sep {
			return time.Time{}, false
		}
		start := i + 1
		if y, i = cellDigits(s, start, 2, 4); i < 0 || i-start == 3 {
			return time.Time{}, false
		}
		if i-start == 2 {
			y = fullYear(y, pivot)
		}
	}
	return withCellTime(y, m, d, s[i:])
}

// withCellTime completes a date with what follows it: nothing, or a time with an optional zone.
func withCellTime(y, m, d int, rest string) (time.Time, bool) {
	t, ok := cellDay(y, m, d)
	if !ok || rest == "" {
		return t, ok
	}
	if rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ' {
		return time.Time{}, false
	}
	clock, ok := cellClock(rest[1:], rest[0] == ' ')
	if !ok {
		return time.Time{}, false
	}
	// Only a zoned time can move the date, when the time of day less the offset crosses midnight.
	return UTCDay(t.Add(clock)), true
}

// cellClock reads hh:mm[:ss[.f]] [am|pm] [zone [abbreviation]] and returns the time of day less the zone's
// offset (the time of day as written when there is no zone). am and pm are read only after a space (spaced),
// as "05/07/2019 2:30 pm"; an ISO T is never followed by them.
func cellClock(s string, spaced bool) (time.Duration, bool) {
	s = strings.TrimLeft(s, " ")
	hh, i := cellDigits(s, 0, 1, 2)
	if i < 0 || i >= len(s) || s[i] != ':' {
		return 0, false
	}
	mm, i := cellDigits(s, i+1, 2, 2)
	if i < 0 {
		return 0, false
	}
	ss := 0
	if i < len(s) && s[i] == ':' {
		if ss, i = cellDigits(s, i+1, 2, 2); i < 0 {
			return 0, false
		}
		if i < len(s) && (s[i] == '.' || s[i] == ',') {
			j := i + 1
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			if j == i+1 {
				return 0, false
			}
			i = j // fractions of a second cannot move the date
		}
	}
	rest := s[i:]
	if spaced {
		r := strings.TrimLeft(rest, " ")
		if len(r) >= 2 && (len(r) == 2 || r[2] == ' ') {
			switch strings.ToLower(r[:2]) {
			case "am", "pm":
				if hh < 1 || hh > 12 {
					return 0, false
				}
				hh %= 12
				if r[0]|0x20 == 'p' {
					hh += 12
				}
				rest = r[2:]
			}
		}
	}
	if hh > 23 || mm > 59 || ss > 60 {
		return 0, false
	}
	off, ok := cellZone(strings.TrimLeft(rest, " "))
	if !ok {
		return 0, false
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute + time.Duration(ss)*time.Second - off, true
}

// cellZone reads "", Z, UTC, GMT, +hh, +hhmm or +hh:mm (- or U+2212 for west), then an optional abbreviation
// after a space, and returns the offset east of UTC. The abbreviation adds nothing: the offset says it all.
func cellZone(s string) (time.Duration, bool) {
	var off time.Duration
	switch {
	case s == "":
		return 0, true
	case s[0] == 'Z' || s[0] == 'z':
		s = s[1:]
	case len(s) >= 3 && (strings.EqualFold(s[:3], "UTC") || strings.EqualFold(s[:3], "GMT")):
		s = s[3:]
	case s[0] == '+' || s[0] == '-' || strings.HasPrefix(s, "−"):
		sign := time.Duration(1)
		if s[0] != '+' {
			sign = -1
		}
		if strings.HasPrefix(s, "−") { // U+2212, which word processors put in offsets
			s = s[len("−"):]
		} else {
			s = s[1:]
		}
		h, j := cellDigits(s, 0, 2, 4)
		m := 0
		switch {
		case j == 4:
			h, m = h/100, h%100
		case j == 2 && len(s) > 2 && s[2] == ':':
			if m, j = cellDigits(s, 3, 2, 2); j < 0 {
				return 0, false
			}
		case j != 2:
			return 0, false
		}
		if h > 14 || m > 59 {
			return 0, false
		}
		off = sign * (time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
		s = s[j:]
	default:
		return 0, false
	}
	if s == "" {
		return off, true
	}
	abbr, ok := strings.CutPrefix(s, " ")
	if !ok || abbr == "" || len(abbr) > 6 {
		return 0, false
	}
	for i := 0; i < len(abbr); i++ {
		if c := abbr[i] | 0x20; c < 'a' || c > 'z' {
			return 0, false
		}
	}
	return off, true
}

var weekdayNames = []string{
	"mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs", "thursday",
	"fri", "friday", "sat", "saturday", "sun", "sunday",
}

// wordCellDate reads dates with a month name: day month year or month day year, after an optional weekday,
// with an optional time after the year (itself after an optional comma).
func wordCellDate(s string, pivot int) (time.Time, bool) {
	type token struct {
		text string
		end  int
	}
	var toks []token
	// Four tokens are enough: a weekday and the date. Anything after is left to the time reader.
	for i := 0; i < len(s) && len(toks) < 4; {
		c := s[i]
		if !isAlnum(c) {
			if c != ' ' && c != '-' && c != ',' && c != '/' && c != '.' {
				return time.Time{}, false
			}
			i++
			continue
		}
		j := i
		for j < len(s) && isAlnum(s[j]) {
			j++
		}
		toks = append(toks, token{strings.ToLower(s[i:j]), j})
		i = j
	}
	if len(toks) > 0 && slices.Contains(weekdayNames, toks[0].text) {
		toks = toks[1:]
	}
	if len(toks) < 3 {
		return time.Time{}, false
	}
	dayTok, monTok := toks[0].text, toks[1].text
	if _, ok := Month(dayTok); ok {
		dayTok, monTok = monTok, dayTok
	}
	m, ok := Month(monTok)
	if !ok {
		return time.Time{}, false
	}
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if t, cut := strings.CutSuffix(dayTok, suf); cut {
			dayTok = t
			break
		}
	}
	d, j := cellDigits(dayTok, 0, 1, 2)
	if j != len(dayTok) {
		return time.Time{}, false
	}
	yTok := toks[2].text
	y, j := cellDigits(yTok, 0, 2, 4)
	if j != len(yTok) || j == 3 {
		return time.Time{}, false
	}
	if j == 2 {
		y = fullYear(y, pivot)
	}
	rest := s[toks[2].end:]
	if len(rest) > 1 && rest[0] == ',' && rest[1] == ' ' {
		rest = rest[1:] // "Friday, 5 July 2019, 09:15"
	}
	return withCellTime(y, int(m), d, rest)
}

// Excel serial dates: days since the workbook's epoch, in its 1900 or 1904 date system. Numbers below
// minSerial (8 March 1908 in the 1900 system) are refused: a column of years, counts or small codes is not a
// column of dates, and it keeps clear of the 1900 system's phantom 29 February 1900.
const (
	minSerial = 3000
	maxSerial = 2958465 // 9999-12-31
)

// ExcelSerial reads a cell holding an Excel serial number ("43651", "43651.75": a fraction is a time of day,
// dropped) as a UTC date. date1904 selects the 1904 date system of old Mac workbooks.
func ExcelSerial(v string, date1904 bool) (time.Time, bool) {
	v = strings.TrimSpace(v)
	whole, frac, dotted := strings.Cut(v, ".")
	if whole == "" || !allDigits(whole) || (dotted && (frac == "" || !allDigits(frac))) || len(whole) > 7 {
		return time.Time{}, false
	}
	n := 0
	for i := 0; i < len(whole); i++ {
		n = n*10 + int(whole[i]-'0')
	}
	if n < minSerial || n > maxSerial {
		return time.Time{}, false
	}
	if date1904 {
		return time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n), true
	}
	return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// UTCDay is t's calendar date in UTC, at midnight: the one rule by which the project dates a record (a
// timestamp just after midnight in London is the day before's record in UTC, everywhere alike).
func UTCDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
