package checksum

// DrivingLicence reports whether compactUpper has the structure of a DVLA (Great Britain) driving licence
// number: 16 characters, or 18 when the card's two-digit issue number is appended.
//
//	1-5   surname, right-padded with 9 (LEE99); letters first, 9s only trailing
//	6     decade digit of the birth year
//	7-8   birth month 01-12, or 51-62 for women
//	9-10  day of birth, which with the month and year digits must be a real date
//	11    last digit of the birth year
//	12-13 initials: a letter, then a letter or 9
//	14    a digit, usually 9
//	15-16 two check characters (letters or digits; DVLA does not publish the algorithm)
//	17-18 issue number, digits
//
// Northern Ireland's 8-digit numbers are not covered.
func DrivingLicence(compactUpper string) bool {
	s := compactUpper
	if len(s) != 16 && len(s) != 18 {
		return false
	}
	// Surname block: at least one letter, then letters until the first 9, then only 9s.
	if !isUpper(s[0]) {
		return false
	}
	padded := false
	for i := 1; i < 5; i++ {
		switch c := s[i]; {
		case c == '9':
			padded = true
		case isUpper(c) && !padded:
		default:
			return false
		}
	}
	if !IsDigits(s[5:11]) {
		return false
	}
	month := num2(s[6:8])
	if month > 50 {
		month -= 50
	}
	if month > 12 || !dateYY(int(s[5]-'0')*10+int(s[10]-'0'), month, num2(s[8:10])) {
		return false
	}
	if !isUpper(s[11]) || !(isUpper(s[12]) || s[12] == '9') || !isDigit(s[13]) {
		return false
	}
	if !isUpperAlnum(s[14]) || !isUpperAlnum(s[15]) {
		return false
	}
	return len(s) == 16 || IsDigits(s[16:])
}

// VRM reports whether compactUpper is a Great Britain vehicle registration mark in one of the three
// dated series. Dateless, cherished and Northern Ireland marks are too easily confused with other codes
// and are not accepted.
//
//   - Current (from September 2001): two-letter memory tag without I, Q or Z; an age identifier 02-29
//     or 51-79 (March and September issues to 2029); three letters without I or Q (AB51ABC).
//   - Prefix (1983-2001): a year letter, 1-999 without leading zero, three letters (A123BCD).
//   - Suffix (1963-1983): three letters, 1-999 without leading zero, a year letter (ABC123D).
//
// Year letters exclude I, O, Q, U and Z, which were never used as year letters, and the three letters of
// the older series exclude I, Q and Z, which GB marks did not use; both narrow the shape to limit noise.
func VRM(compactUpper string) bool {
	s := compactUpper
	if len(s) == 7 && currentVRM(s) {
		return true
	}
	if len(s) < 5 || len(s) > 7 {
		return false
	}
	n := len(s) - 4 // digits in the older series
	if yearLetter(s[0]) && serial(s[1:1+n]) && vrmLetters(s[1+n:]) {
		return true
	}
	return vrmLetters(s[:3]) && serial(s[3:3+n]) && yearLetter(s[len(s)-1])
}

func currentVRM(s string) bool {
	if !memoryTag(s[0]) || !memoryTag(s[1]) || !isDigit(s[2]) || !isDigit(s[3]) {
		return false
	}
	if age := num2(s[2:4]); !(age >= 2 && age <= 29) && !(age >= 51 && age <= 79) {
		return false
	}
	for i := 4; i < 7; i++ {
		if c := s[i]; !isUpper(c) || c == 'I' || c == 'Q' {
			return false
		}
	}
	return true
}

func memoryTag(c byte) bool { return isUpper(c) && c != 'I' && c != 'Q' && c != 'Z' }

func yearLetter(c byte) bool {
	switch c {
	case 'I', 'O', 'Q', 'U', 'Z':
		return false
	}
	return isUpper(c)
}

// serial is the 1-999 number of the prefix and suffix series.
func serial(s string) bool {
	return len(s) >= 1 && len(s) <= 3 && s[0] != '0' && IsDigits(s)
}

func vrmLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isUpper(c) || c == 'I' || c == 'Q' || c == 'Z' {
			return false
		}
	}
	return len(s) == 3
}
