// Package checksum holds the pure validators behind datamap's identifier detectors: check digits (NHS and
// CHI modulus 11, UTR, VAT mod 97, Luhn, IBAN mod 97) and the structural rules of identifiers that have
// none (NINO, postcode, driving licence, vehicle registration).
//
// Every validator takes a plain string and reports a verdict; none keeps state. The scanner calls them on
// every candidate token, so apart from Normalise and IPv6 they do not allocate. Inputs are expected in
// the compact form the caller builds (separators removed, letters upper case where the name says
// compactUpper); lower-case letters are rejected rather than folded, so that folding stays one decision
// made by the caller.
//
// The rules and test vectors come from Part 1 of the project's UK domain reference.
package checksum

// Normalise upper-cases ASCII letters and drops the separators people type inside identifiers: spaces,
// tabs, hyphens, dots and slashes. It returns s itself when nothing changes, so it allocates only when it
// has to; the scanner's hot path builds compact forms itself instead.
func Normalise(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; isSeparator(c) || (c >= 'a' && c <= 'z') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isSeparator(c):
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}

func isSeparator(c byte) bool {
	return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '/'
}

// IsDigits reports whether s is non-empty and made only of ASCII digits.
func IsDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isUpperAlnum is the IBAN registry's "c" class once the caller has upper-cased.
func isUpperAlnum(c byte) bool { return isUpper(c) || isDigit(c) }

// num2 reads two ASCII digits; the caller has checked they are digits.
func num2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// Placeholder reports whether a digit string is an obvious dummy that people type into mandatory fields
// and test data: a repdigit (0000000000, 1111111111) or a run of consecutive digits going up or down,
// where 0 may follow 9 or precede 1 (0123456789, 123456789, 1234567890, 9876543210, 987654321, 123456).
// All ten repdigits and both full runs pass the NHS modulus 11 check, which is why they must be caught
// before a checksum is trusted. Strings shorter than two digits, or with any non-digit, are not
// placeholders. Test card numbers such as 4111111111111111 are deliberately not placeholders: they are
// the fixtures people paste into payment systems, and a scanner should still report where they sit.
func Placeholder(digits string) bool {
	if len(digits) < 2 || !IsDigits(digits) {
		return false
	}
	rep, up, down := true, true, true
	for i := 1; i < len(digits); i++ {
		p, c := digits[i-1]-'0', digits[i]-'0'
		if c != p {
			rep = false
		}
		if c != (p+1)%10 {
			up = false
		}
		if p != (c+1)%10 {
			down = false
		}
		if !rep && !up && !down {
			return false
		}
	}
	return true
}

// Date reports whether y-m-d is a real day of the proleptic Gregorian calendar, years 1 to 9999.
func Date(y, m, d int) bool {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= DaysIn(y, m)
}

// DaysIn is the number of days in month m (1-12) of year y.
func DaysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// dateYY accepts a day and month with a two-digit year whose century is unknown (CHI numbers, driving
// licences, temporary NINOs): 29 February counts when the year is a leap year in either century.
func dateYY(yy, m, d int) bool {
	return Date(1900+yy, m, d) || Date(2000+yy, m, d)
}
