package checksum

// UTR reports whether digits is a well-formed HMRC Unique Taxpayer Reference: ten digits whose FIRST digit
// is the check character of the other nine (weights 6,7,8,9,10,5,4,3,2, remainder r mod 11 mapped through
// "21987654321"). The caller strips the trailing K of a payment reference. Repdigits and digit runs are
// refused because nine of the ten repdigits pass.
func UTR(digits string) bool {
	if len(digits) != 10 || !IsDigits(digits) || Placeholder(digits) {
		return false
	}
	weights := [9]int{6, 7, 8, 9, 10, 5, 4, 3, 2}
	sum := 0
	for i, w := range weights {
		sum += int(digits[i+1]-'0') * w
	}
	return "21987654321"[sum%11] == digits[0]
}

// VATGB reports whether compactUpper is a well-formed UK VAT registration number: GB (or XI, the Northern
// Ireland trade prefix) followed by nine digits, or twelve with a three-digit branch suffix that the check
// ignores. The nine digits, weighted 8,7,6,5,4,3,2,10,1, must total 0 mod 97, or for numbers whose first
// three digits are 100 or more also 42 or 55 (the 9755 series from November 2009). Government
// departments (GD000-GD499) and health authorities (HA500-HA999) have no check digits and are accepted by
// range.
func VATGB(compactUpper string) bool {
	s := compactUpper
	if len(s) < 2 || (s[:2] != "GB" && s[:2] != "XI") {
		return false
	}
	s = s[2:]
	if len(s) == 5 && IsDigits(s[2:]) {
		n := int(s[2]-'0')*100 + num2(s[3:])
		switch s[:2] {
		case "GD":
			return n < 500
		case "HA":
			return n >= 500
		}
		return false
	}
	if (len(s) != 9 && len(s) != 12) || !IsDigits(s) {
		return false
	}
	weights := [9]int{8, 7, 6, 5, 4, 3, 2, 10, 1}
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	r := sum % 97
	if s[0] == '0' { // first three digits below 100: original series only
		return r == 0
	}
	return r == 0 || r == 42 || r == 55
}

// NINOKind is the verdict on a National Insurance number candidate.
type NINOKind int

// The NINO verdicts. NINOAdmin and NINOTemporary are not valid NINOs but still identify a person (HMRC
// NIM39110), so the scanner reports them.
const (
	NINOInvalid   NINOKind = iota // fails the shape or prefix rules
	NINOValid                     // two prefix letters, six digits, suffix A-D
	NINONoSuffix                  // eight characters with a valid prefix; lower confidence
	NINOAdmin                     // an administrative reference shaped like a NINO (OO, CR, FY, MW, NC, PP, PY, PZ)
	NINOTemporary                 // a historical temporary number: TN, a DDMMYY birth date, M or F
)

// String names the verdict for test failures and logs.
func (k NINOKind) String() string {
	switch k {
	case NINOValid:
		return "valid"
	case NINONoSuffix:
		return "no-suffix"
	case NINOAdmin:
		return "admin"
	case NINOTemporary:
		return "temporary"
	}
	return "invalid"
}

// NINO classifies compactUpper as a National Insurance number: nine characters (two letters, six digits,
// suffix A-D) or eight without the suffix, which DWP allows when it is unknown (a space in its place is
// read the same way). Neither prefix letter may be D, F, I, Q, U or V, the second may not be O, and BG,
// GB, KN, NK, NT, TN and ZZ are never allocated; HMRC's form example QQ123456C therefore comes back
// NINOInvalid. Administrative prefixes (OO, CR, FY, MW, NC, PP, PY, PZ) give NINOAdmin, including the
// stakeholder-pension dummy NC + six digits + M/F and PP999999P; TN + a DDMMYY date + M/F gives
// NINOTemporary. Without a suffix only the ordinary prefix rules apply and the verdict is NINONoSuffix,
// since such a string cannot be told from a Companies House number such as SC123456.
func NINO(compactUpper string) NINOKind {
	s := compactUpper
	if (len(s) != 8 && len(s) != 9) || !isUpper(s[0]) || !isUpper(s[1]) || !IsDigits(s[2:8]) {
		return NINOInvalid
	}
	p0, p1 := s[0], s[1]
	prefixOK := ninoLetter(p0) && ninoLetter(p1) && p1 != 'O' && !neverAllocated(s[:2])
	// DWP's data standard allows a space for an unknown suffix.
	if len(s) == 8 || s[8] == ' ' {
		if prefixOK {
			return NINONoSuffix
		}
		return NINOInvalid
	}
	suffix := s[8]
	abcd := suffix >= 'A' && suffix <= 'D'
	switch {
	case p0 == 'T' && p1 == 'N':
		if (suffix == 'M' || suffix == 'F') && dateYY(num2(s[6:8]), num2(s[4:6]), num2(s[2:4])) {
			return NINOTemporary
		}
		return NINOInvalid
	case p0 == 'N' && p1 == 'C' && (suffix == 'M' || suffix == 'F'):
		return NINOAdmin
	case p0 == 'P' && p1 == 'P' && suffix == 'P':
		return NINOAdmin
	case !abcd:
		return NINOInvalid
	case adminPrefix(s[:2]):
		return NINOAdmin
	case prefixOK:
		return NINOValid
	}
	return NINOInvalid
}

// ninoLetter excludes D, F, I, Q, U and V from either prefix position.
func ninoLetter(c byte) bool {
	switch c {
	case 'D', 'F', 'I', 'Q', 'U', 'V':
		return false
	}
	return isUpper(c)
}

func neverAllocated(prefix string) bool {
	switch prefix {
	case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
		return true
	}
	return false
}

func adminPrefix(prefix string) bool {
	switch prefix {
	case "OO", "CR", "FY", "MW", "NC", "PP", "PY", "PZ":
		return true
	}
	return false
}
