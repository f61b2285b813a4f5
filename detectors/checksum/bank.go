package checksum

// Luhn reports whether digits (at least two ASCII digits) passes the Luhn mod 10 check used by payment
// cards and IMEIs.
func Luhn(digits string) bool {
	if len(digits) < 2 || !IsDigits(digits) {
		return false
	}
	return luhnSum(digits)%10 == 0
}

// luhnSum doubles every second digit counting from the rightmost, which is the check digit.
func luhnSum(digits string) int {
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum
}

// prefixIn reports whether the first len(lo) digits of d lie in [lo, hi]; lo and hi have equal length.
func prefixIn(d, lo, hi string) bool {
	if len(d) < len(lo) {
		return false
	}
	p := d[:len(lo)]
	return p >= lo && p <= hi
}

// CardBrand names the card scheme of a digit string from its issuer identification number and length,
// following braintree/credit-card-type as summarised in the domain reference: "visa", "mastercard",
// "amex", "maestro", "discover", "diners", "jcb" or "unionpay", and "" when no scheme matches. The most
// specific prefix decides the scheme (493698 is Maestro, not Visa; 6011 is Discover, not the Maestro
// catch-all 6), and the length must then be one that scheme issues; a 13-digit 6011 number is therefore
// "", not Maestro. Luhn is a separate check.
func CardBrand(digits string) string {
	if !IsDigits(digits) {
		return ""
	}
	brand := cardPrefix(digits)
	n := len(digits)
	ok := false
	switch brand {
	case "visa":
		ok = n == 13 || n == 16 || n == 18 || n == 19
	case "mastercard":
		ok = n == 16
	case "amex":
		ok = n == 15
	case "discover":
		ok = n == 16 || n == 19
	case "jcb":
		ok = n >= 16 && n <= 19
	case "diners":
		ok = n == 14 || n == 16 || n == 19
	case "maestro":
		ok = n >= 12 && n <= 19
	case "unionpay":
		ok = n >= 14 && n <= 19
	}
	if !ok {
		return ""
	}
	return brand
}

// cardPrefix picks the scheme by the longest matching IIN prefix, ignoring length. Within each leading
// digit the longer prefixes are tried first.
func cardPrefix(d string) string {
	if d == "" {
		return ""
	}
	switch d[0] {
	case '1':
		if prefixIn(d, "1800", "1800") {
			return "jcb"
		}
	case '2':
		switch {
		case prefixIn(d, "2221", "2720"):
			return "mastercard"
		case prefixIn(d, "2131", "2131"):
			return "jcb"
		}
	case '3':
		switch {
		case prefixIn(d, "3528", "3589"):
			return "jcb"
		case prefixIn(d, "300", "305"), prefixIn(d, "36", "36"), prefixIn(d, "38", "39"):
			return "diners"
		case prefixIn(d, "34", "34"), prefixIn(d, "37", "37"):
			return "amex"
		}
	case '4':
		if prefixIn(d, "493698", "493698") {
			return "maestro"
		}
		return "visa"
	case '5':
		switch {
		case prefixIn(d, "500000", "504174"), prefixIn(d, "504176", "506698"), prefixIn(d, "506779", "508999"):
			return "maestro"
		case prefixIn(d, "51", "55"):
			return "mastercard"
		case prefixIn(d, "56", "59"):
			return "maestro"
		}
	case '6':
		switch {
		case prefixIn(d, "6011", "6011"), prefixIn(d, "644", "649"), prefixIn(d, "65", "65"):
			return "discover"
		case prefixIn(d, "62", "62"):
			return "unionpay"
		}
		return "maestro" // 63, 67 and the rest of 6
	case '8':
		if prefixIn(d, "81", "81") {
			return "unionpay"
		}
	}
	return ""
}

// SortCode reports whether digits could be a UK bank sort code: six digits that are not a repdigit or a
// digit run (000000, 123456, 654321). Real validity needs Pay.UK's modulus tables, which are data the
// scanner does not ship, so this is a shape check only.
func SortCode(digits string) bool {
	return len(digits) == 6 && IsDigits(digits) && !Placeholder(digits)
}

// IBAN reports whether compactUpper is a well-formed IBAN: a country code from the SWIFT IBAN registry,
// the registry's length and BBAN character classes for that country (for GB: four-letter bank code then
// fourteen digits), check digits 02-98, and ISO 7064 mod 97-10 equal to 1 over the rearranged string.
func IBAN(compactUpper string) bool {
	s := compactUpper
	if len(s) < 5 || len(s) > 34 || !isUpper(s[0]) || !isUpper(s[1]) || !isDigit(s[2]) || !isDigit(s[3]) {
		return false
	}
	// 00, 01 and 99 are congruent to 97, 98 and 2 mod 97, so they could pass the sum but are never issued.
	if cd := num2(s[2:4]); cd < 2 || cd > 98 {
		return false
	}
	if !bbanMatches(ibanBBAN(s[:2]), s[4:]) {
		return false
	}
	r := mod97(0, s[4:])
	r = mod97(r, s[:4])
	return r == 1
}

// mod97 folds the characters of s into the running remainder r, letters counting as 10..35.
func mod97(r int, s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isDigit(c) {
			r = (r*10 + int(c-'0')) % 97
		} else {
			r = (r*100 + int(c-'A') + 10) % 97
		}
	}
	return r
}

// bbanMatches checks bban against a compact registry format such as "4a14n": runs of a count and a class,
// n digits, a upper-case letters, c either. An empty format (unknown country) never matches.
func bbanMatches(format, bban string) bool {
	if format == "" {
		return false
	}
	pos := 0
	for i := 0; i < len(format); {
		n := 0
		for i < len(format) && isDigit(format[i]) {
			n = n*10 + int(format[i]-'0')
			i++
		}
		class := format[i]
		i++
		if pos+n > len(bban) {
			return false
		}
		for j := pos; j < pos+n; j++ {
			c := bban[j]
			switch class {
			case 'n':
				if !isDigit(c) {
					return false
				}
			case 'a':
				if !isUpper(c) {
					return false
				}
			default:
				if !isUpperAlnum(c) {
					return false
				}
			}
		}
		pos += n
	}
	return pos == len(bban)
}

// ibanBBAN returns the BBAN format of a country from the SWIFT IBAN registry (as shipped in python-stdnum's
// iban.dat), with adjacent runs of one class merged; the IBAN length is 4 plus the counts.
func ibanBBAN(country string) string {
	switch country {
	case "AD":
		return "8n12c"
	case "AE":
		return "19n"
	case "AL":
		return "8n16c"
	case "AT":
		return "16n"
	case "AZ":
		return "4a20c"
	case "BA":
		return "16n"
	case "BE":
		return "12n"
	case "BG":
		return "4a6n8c"
	case "BH":
		return "4a14c"
	case "BI":
		return "23n"
	case "BR":
		return "23n1a1c"
	case "BY":
		return "4c4n16c"
	case "CH":
		return "5n12c"
	case "CR":
		return "18n"
	case "CY":
		return "8n16c"
	case "CZ":
		return "20n"
	case "DE":
		return "18n"
	case "DJ":
		return "23n"
	case "DK":
		return "14n"
	case "DO":
		return "4c20n"
	case "EE":
		return "16n"
	case "EG":
		return "25n"
	case "ES":
		return "20n"
	case "FI":
		return "14n"
	case "FK":
		return "2a12n"
	case "FO":
		return "14n"
	case "FR":
		return "10n11c2n"
	case "GB":
		return "4a14n"
	case "GE":
		return "2a16n"
	case "GI":
		return "4a15c"
	case "GL":
		return "14n"
	case "GR":
		return "7n16c"
	case "GT":
		return "24c"
	case "HN":
		return "4a20n"
	case "HR":
		return "17n"
	case "HU":
		return "24n"
	case "IE":
		return "4a14n"
	case "IL":
		return "19n"
	case "IQ":
		return "4a15n"
	case "IS":
		return "22n"
	case "IT":
		return "1a10n12c"
	case "JO":
		return "4a4n18c"
	case "KW":
		return "4a22c"
	case "KZ":
		return "3n13c"
	case "LB":
		return "4n20c"
	case "LC":
		return "4a24c"
	case "LI":
		return "5n12c"
	case "LT":
		return "16n"
	case "LU":
		return "3n13c"
	case "LV":
		return "4a13c"
	case "LY":
		return "21n"
	case "MC":
		return "10n11c2n"
	case "MD":
		return "20c"
	case "ME":
		return "18n"
	case "MK":
		return "3n10c2n"
	case "MN":
		return "16n"
	case "MR":
		return "23n"
	case "MT":
		return "4a5n18c"
	case "MU":
		return "4a19n3a"
	case "NI":
		return "4a20n"
	case "NL":
		return "4a10n"
	case "NO":
		return "11n"
	case "OM":
		return "3n16c"
	case "PK":
		return "4a16c"
	case "PL":
		return "24n"
	case "PS":
		return "4a21c"
	case "PT":
		return "21n"
	case "QA":
		return "4a21c"
	case "RO":
		return "4a16c"
	case "RS":
		return "18n"
	case "RU":
		return "14n15c"
	case "SA":
		return "2n18c"
	case "SC":
		return "4a20n3a"
	case "SD":
		return "14n"
	case "SE":
		return "20n"
	case "SI":
		return "15n"
	case "SK":
		return "20n"
	case "SM":
		return "1a10n12c"
	case "SO":
		return "19n"
	case "ST":
		return "21n"
	case "SV":
		return "4a20n"
	case "TL":
		return "19n"
	case "TN":
		return "20n"
	case "TR":
		return "6n16c"
	case "UA":
		return "6n19c"
	case "VA":
		return "18n"
	case "VG":
		return "4a16n"
	case "XK":
		return "16n"
	case "YE":
		return "4a4n18c"
	}
	return ""
}
