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
	if shortNumber(c) {
		return true
	}
	y, m, d, ok := isoTimestamp(c)
	if !ok {
		return false
	}
	if s.plausibleBirth(y, m, d) {
		fn(Hit{Detector: DateOfBirth, Phrase: -1, Start: 0, End: 10})
	}
	return true
}

// Cheap reports whether a trimmed cell is one of the shapes quickCell answers: scanning it costs less than
// remembering what it gave.
func (s *Scanner) Cheap(c string) bool {
	if !s.quick {
		return false
	}
	_, _, _, iso := isoTimestamp(c)
	return iso || shortNumber(c)
}

// shortNumber: -?d{1,5}(.d{1,5})?
func shortNumber(c string) bool {
	i := 0
	if i < len(c) && c[i] == '-' {
		i++
	}
	if _, i = cellDigits(c, i, 1, 5); i < 0 {
		return false
	}
	if i == len(c) {
		return true
	}
	if c[i] != '.' {
		return false
	}
	_, i = cellDigits(c, i+1, 1, 5)
	return i == len(c)
}

// isoTimestamp reads dddd-mm-dd([T ]dd:dd(:dd(.d{1,9})?)?(Z|[+-]dd(:dd)?)?)? with a month 1-12 and a day 1-31,
// and returns its date. (An offset of +hhmm is left to the scan.)
func isoTimestamp(c string) (y, m, d int, ok bool) {
	if len(c) < 10 || c[4] != '-' || c[7] != '-' {
		return 0, 0, 0, false
	}
	y, i := cellDigits(c, 0, 4, 4)
	m, j := cellDigits(c, 5, 2, 2)
	d, k := cellDigits(c, 8, 2, 2)
	if i < 0 || j < 0 || k < 0 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, 0, 0, false // not a date: the scan tries other readings ("13-45 99" a sort code)
	}
	if len(c) == 10 {
		return y, m, d, true
	}
	if len(c) < 16 || (c[10] != ' ' && c[10] != 'T') || c[13] != ':' {
		return 0, 0, 0, false
	}
	if _, i = cellDigits(c, 11, 2, 2); i < 0 {
		return 0, 0, 0, false
	}
	if _, i = cellDigits(c, 14, 2, 2); i < 0 {
		return 0, 0, 0, false
	}
	if i < len(c) && c[i] == ':' {
		if _, j := cellDigits(c, i+1, 2, 2); j > 0 {
			i = j
			if i < len(c) && c[i] == '.' {
				if _, i = cellDigits(c, i+1, 1, 9); i < 0 {
					return 0, 0, 0, false
				}
			}
		}
	}
	switch {
	case i == len(c) || c[i:] == "Z":
		return y, m, d, true
	case c[i] != '+' && c[i] != '-':
		return 0, 0, 0, false
	}
	if _, i = cellDigits(c, i+1, 2, 2); i < 0 {
		return 0, 0, 0, false
	}
	if i < len(c) && c[i] == ':' {
		_, i = cellDigits(c, i+1, 2, 2)
	}
	return y, m, d, i == len(c)
}
