package checksum

// Postcode reports whether compactUpper is a full UK unit postcode written without its space: an outward
// code (A9, A99, A9A, AA9, AA99 or AA9A) followed by an inward code of a digit and two letters, with the
// BS 7666 letter rules: Q, V and X never first; I, J and Z never second; only ABCDEFGHJKPSTUW in the third
// place of A9A; only ABEHMNPRVWXY in the fourth place of AA9A; never C, I, K, M, O or V in the inward
// letters. GIR0AA (Girobank) is accepted. Legacy BFPO numbers are not postcodes; BF1 codes pass as
// ordinary ones. The check is of format only: it cannot tell whether Royal Mail has issued the code.
func Postcode(compactUpper string) bool {
	s := compactUpper
	if len(s) < 5 || len(s) > 7 {
		return false
	}
	if s == "GIR0AA" {
		return true
	}
	in := s[len(s)-3:]
	if !isDigit(in[0]) || !inwardLetter(in[1]) || !inwardLetter(in[2]) {
		return false
	}
	return outcode(s[:len(s)-3])
}

// Outcode reports whether upper is a UK outward code on its own (SW1A, M1, DN55, EC1A), with the same
// letter rules as Postcode; GIR, the Girobank outward code, is accepted. The ICO treats an outward code
// alone as anonymised, so a caller would use this to explain a hit away rather than to report one; the
// scanner does not call it yet (it reports full postcodes only).
func Outcode(upper string) bool {
	if upper == "GIR" {
		return true
	}
	return outcode(upper)
}

func outcode(s string) bool {
	if len(s) < 2 || len(s) > 4 || !areaFirst(s[0]) {
		return false
	}
	if isDigit(s[1]) {
		// A9, A99, A9A
		switch len(s) {
		case 2:
			return true
		case 3:
			return isDigit(s[2]) || thirdA9A(s[2])
		}
		return false
	}
	// AA9, AA99, AA9A
	if !areaSecond(s[1]) || len(s) < 3 || !isDigit(s[2]) {
		return false
	}
	switch len(s) {
	case 3:
		return true
	case 4:
		return isDigit(s[3]) || fourthAA9A(s[3])
	}
	return false
}

func areaFirst(c byte) bool { return isUpper(c) && c != 'Q' && c != 'V' && c != 'X' }

func areaSecond(c byte) bool { return isUpper(c) && c != 'I' && c != 'J' && c != 'Z' }

// thirdA9A includes P, which older published rules omit, because districts such as N1P exist.
func thirdA9A(c byte) bool {
	switch c {
	case 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'P', 'S', 'T', 'U', 'W':
		return true
	}
	return false
}

func fourthAA9A(c byte) bool {
	switch c {
	case 'A', 'B', 'E', 'H', 'M', 'N', 'P', 'R', 'V', 'W', 'X', 'Y':
		return true
	}
	return false
}

func inwardLetter(c byte) bool {
	switch c {
	case 'C', 'I', 'K', 'M', 'O', 'V':
		return false
	}
	return isUpper(c)
}
