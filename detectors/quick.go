package detectors

// Most cells of a database sample are keys, amounts and timestamps. quickCell answers for those shapes
// without the general scan, with exactly the hits the scan would give (TestQuickCellAgreesWithScan checks
// it over every short number and every day of 1900-2030 in many timestamp layouts):
//
//   - a number of at most five digits, signed, with at most five decimals ("-1234.50"): no hits. (Six digits
//     may be a sort code, longer ones other identifiers.)
//   - an ISO date or timestamp ("2024-03-01 10:30:00.123456+01"): a date of birth if the date could be one
//     (as the scan's isoDate says); the time of day holds nothing, and no part of it is a name.
//
// It reports whether it answered.
func (s *Scanner) quickCell(c string, fn func(Hit)) bool {
	switch {
	case shortNumber(c):
		return true
	case isoTimestamp(c):
		if s.plausibleBirth(num(c[:4]), num(c[5:7]), num(c[8:10])) {
			fn(Hit{Detector: DateOfBirth, Phrase: -1, Start: 0, End: 10})
		}
		return true
	}
	return false
}

// Cheap reports whether a trimmed cell is one of the shapes quickCell answers: scanning it costs less than
// remembering what it gave.
func (s *Scanner) Cheap(c string) bool { return s.quick && (shortNumber(c) || isoTimestamp(c)) }

// shortNumber: -?d{1,5}(.d{1,5})?
func shortNumber(c string) bool {
	i := 0
	if i < len(c) && c[i] == '-' {
		i++
	}
	n := digits(c[i:], 5)
	if n == 0 || n > 5 {
		return false
	}
	i += n
	if i == len(c) {
		return true
	}
	if c[i] != '.' {
		return false
	}
	i++
	n = digits(c[i:], 5)
	return n > 0 && n <= 5 && i+n == len(c)
}

// isoTimestamp: dddd-mm-dd([T ]dd:dd(:dd(.d{1,9})?)?(Z|[+-]dd(:?dd)?)?)? with a month 1-12 and a day 1-31.
func isoTimestamp(c string) bool {
	if len(c) < 10 || digits(c, 4) != 4 || c[4] != '-' || digits(c[5:], 2) != 2 || c[7] != '-' || digits(c[8:], 2) != 2 {
		return false
	}
	if m, d := num(c[5:7]), num(c[8:10]); m < 1 || m > 12 || d < 1 || d > 31 {
		return false // not a date: the scan tries other readings ("13-45 99" a sort code)
	}
	if len(c) == 10 {
		return true
	}
	if len(c) < 16 || (c[10] != ' ' && c[10] != 'T') || digits(c[11:], 2) != 2 || c[13] != ':' || digits(c[14:], 2) != 2 {
		return false
	}
	rest := c[16:]
	if len(rest) >= 3 && rest[0] == ':' && digits(rest[1:], 2) == 2 {
		rest = rest[3:]
		if len(rest) >= 2 && rest[0] == '.' {
			n := digits(rest[1:], 9)
			if n == 0 || n > 9 {
				return false
			}
			rest = rest[1+n:]
		}
	}
	switch {
	case rest == "" || rest == "Z":
		return true
	case rest[0] != '+' && rest[0] != '-':
		return false
	}
	rest = rest[1:]
	if digits(rest, 2) != 2 {
		return false
	}
	rest = rest[2:]
	if rest != "" && rest[0] == ':' {
		rest = rest[1:]
	}
	return rest == "" || (len(rest) == 2 && digits(rest, 2) == 2)
}

// num reads ASCII digits the caller has checked.
func num(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// digits counts the ASCII digits s starts with, up to max+1 (so a caller can tell "more than max").
func digits(s string, max int) int {
	n := 0
	for n < len(s) && n <= max && isDigit(s[n]) {
		n++
	}
	if n > max {
		return max + 1
	}
	return n
}
