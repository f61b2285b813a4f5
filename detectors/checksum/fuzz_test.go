package checksum

import (
	"math/big"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The fuzz targets check each validator against an independent statement of its rule (a regexp from
// the domain reference, math/big, net/netip, time) as well as for panics.

func seed(f *testing.F, cases []boolCase) {
	for _, c := range cases {
		f.Add(c.in)
	}
}

func FuzzNormalise(f *testing.F) {
	for _, s := range []string{"943 476 5919", "sw1a 1aa", "GB29 NWBK", " -./\t", "é 1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalise(s)
		if strings.ContainsAny(n, " \t-./abcdefghijklmnopqrstuvwxyz") {
			t.Fatalf("Normalise(%q) = %q still holds a separator or lower-case letter", s, n)
		}
		if Normalise(n) != n {
			t.Fatalf("Normalise is not idempotent on %q", s)
		}
		if len(n) > len(s) {
			t.Fatalf("Normalise(%q) grew to %q", s, n)
		}
	})
}

// nhsOracle is python-stdnum's form of the rule: digits weighted 10 down to 1 sum to 0 mod 11.
func nhsOracle(d string) bool {
	if len(d) != 10 || !IsDigits(d) || Placeholder(d) {
		return false
	}
	sum := 0
	for i := 0; i < 10; i++ {
		sum += int(d[i]-'0') * (10 - i)
	}
	return sum%11 == 0
}

func realDDMMYY(d string) bool {
	day, _ := parseInt(d[0:2])
	month, _ := parseInt(d[2:4])
	yy, _ := parseInt(d[4:6])
	for _, y := range []int{1900 + yy, 2000 + yy} {
		tm := time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
		if month >= 1 && month <= 12 && tm.Day() == day && int(tm.Month()) == month {
			return true
		}
	}
	return false
}

func parseInt(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func FuzzNHS(f *testing.F) {
	seed(f, nhsCases)
	seed(f, chiCases)
	seed(f, hcCases)
	f.Fuzz(func(t *testing.T, d string) {
		nhs := NHS(d)
		if nhs != nhsOracle(d) {
			t.Fatalf("NHS(%q) = %v, disagrees with the weights-10-to-1 form", d, nhs)
		}
		if nhs && (len(d) != 10 || !IsDigits(d)) {
			t.Fatalf("NHS(%q) accepted something that is not ten digits", d)
		}
		if chi := CHI(d); chi != (nhs && realDDMMYY(d)) {
			t.Fatalf("CHI(%q) = %v, want NHS && real DDMMYY date", d, chi)
		}
		if hc := HC(d); hc != (nhs && d[:9] >= "320000001" && d[:9] <= "399999999") {
			t.Fatalf("HC(%q) = %v, want NHS && 320000001..399999999", d, hc)
		}
	})
}

func FuzzUTR(f *testing.F) {
	seed(f, utrCases)
	f.Fuzz(func(t *testing.T, d string) {
		got := UTR(d)
		want := false
		if len(d) == 10 && IsDigits(d) && !Placeholder(d) {
			w := []int{6, 7, 8, 9, 10, 5, 4, 3, 2}
			sum := 0
			for i, wi := range w {
				sum += int(d[i+1]-'0') * wi
			}
			// The reference's prose form: 11 - r, with 11 -> 2 and 10 -> 1.
			check := 11 - sum%11
			switch check {
			case 11:
				check = 2
			case 10:
				check = 1
			}
			want = int(d[0]-'0') == check
		}
		if got != want {
			t.Fatalf("UTR(%q) = %v, want %v", d, got, want)
		}
	})
}

// luhnCheckDigit computes the digit that makes payload+digit pass Luhn, the other way round from luhnSum.
func luhnCheckDigit(payload string) byte {
	sum := 0
	for i := 0; i < len(payload); i++ {
		d := int(payload[len(payload)-1-i] - '0')
		if i%2 == 0 { // these digits get doubled once the check digit is appended
			d = d * 2
			d = d/10 + d%10
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

func FuzzLuhn(f *testing.F) {
	seed(f, luhnCases)
	for _, c := range cardBrandCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, d string) {
		ok := Luhn(d)
		if ok && (len(d) < 2 || !IsDigits(d)) {
			t.Fatalf("Luhn(%q) accepted a non-digit or too-short string", d)
		}
		if b := CardBrand(d); b != "" && (!IsDigits(d) || len(d) < 12 || len(d) > 19) {
			t.Fatalf("CardBrand(%q) = %q for something that is not a 12-19 digit PAN", d, b)
		}
		if !IsDigits(d) {
			return
		}
		full := d + string(luhnCheckDigit(d))
		if !Luhn(full) {
			t.Fatalf("Luhn(%q) = false with its computed check digit appended", full)
		}
		// Changing only the check digit must break it.
		wrong := d + string('0'+(luhnCheckDigit(d)-'0'+1)%10)
		if Luhn(wrong) {
			t.Fatalf("Luhn(%q) = true with a wrong check digit", wrong)
		}
		if ok && len(d) >= 2 && d[len(d)-1] != luhnCheckDigit(d[:len(d)-1]) {
			t.Fatalf("Luhn(%q) = true but the last digit is not the computed check digit", d)
		}
	})
}

func FuzzPlaceholder(f *testing.F) {
	seed(f, placeholderCases)
	seed(f, sortCodeCases)
	seed(f, isDigitsCases)
	f.Fuzz(func(t *testing.T, d string) {
		p := Placeholder(d)
		if p && (!IsDigits(d) || len(d) < 2) {
			t.Fatalf("Placeholder(%q) = true for a non-digit or one-digit string", d)
		}
		if p {
			// Every placeholder is a window onto a repdigit or onto ...0123456789012... read either way.
			const up = "01234567890123456789012345678901234567890"
			const down = "98765432109876543210987654321098765432109"
			if len(d) <= 30 && strings.Trim(d, d[:1]) != "" && !strings.Contains(up, d) && !strings.Contains(down, d) {
				t.Fatalf("Placeholder(%q) = true but it is neither a repdigit nor a run", d)
			}
		}
		if SortCode(d) && (len(d) != 6 || !IsDigits(d) || p) {
			t.Fatalf("SortCode(%q) = true for something that is not six non-placeholder digits", d)
		}
		if IsDigits(d) != (d != "" && strings.Trim(d, "0123456789") == "") {
			t.Fatalf("IsDigits(%q) disagrees with strings.Trim", d)
		}
	})
}

func FuzzIBAN(f *testing.F) {
	seed(f, ibanCases)
	gb := regexp.MustCompile(`^GB[0-9]{2}[A-Z]{4}[0-9]{14}$`)
	f.Fuzz(func(t *testing.T, s string) {
		if !IBAN(s) {
			if gb.MatchString(s) && s[2:4] >= "02" && s[2:4] <= "98" && bigMod97(s) == 1 {
				t.Fatalf("IBAN(%q) = false for a GB-format string whose mod 97 is 1", s)
			}
			return
		}
		if len(s) != 4+bbanLen(ibanBBAN(s[:2])) {
			t.Fatalf("IBAN(%q) = true with the wrong length for %s", s, s[:2])
		}
		if s[:2] == "GB" && !gb.MatchString(s) {
			t.Fatalf("IBAN(%q) = true but it is not GB format", s)
		}
		if bigMod97(s) != 1 {
			t.Fatalf("IBAN(%q) = true but big-integer mod 97 is not 1", s)
		}
	})
}

// bigMod97 is ISO 13616 as the standard states it: move the first four characters to the end, spell
// letters as 10-35 and take the whole number mod 97. It returns -1 for characters outside 0-9 A-Z.
func bigMod97(s string) int64 {
	var b strings.Builder
	for _, c := range s[4:] + s[:4] {
		switch {
		case c >= 'A' && c <= 'Z':
			b.WriteString(big.NewInt(int64(c-'A') + 10).String())
		case c >= '0' && c <= '9':
			b.WriteRune(c)
		default:
			return -1
		}
	}
	n, ok := new(big.Int).SetString(b.String(), 10)
	if !ok {
		return -1
	}
	return new(big.Int).Mod(n, big.NewInt(97)).Int64()
}

func bbanLen(format string) int {
	total, n := 0, 0
	for i := 0; i < len(format); i++ {
		if c := format[i]; c >= '0' && c <= '9' {
			n = n*10 + int(c-'0')
		} else {
			total += n
			n = 0
		}
	}
	return total
}

// ninoShape is the reference's Go pattern, anchored and without spaces.
var ninoShape = regexp.MustCompile(`^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]$`)

func FuzzNINO(f *testing.F) {
	for _, c := range ninoCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := NINO(s)
		if k == NINOInvalid {
			if ninoShape.MatchString(s) && !strings.Contains(" BG GB KN NK NT TN ZZ ", " "+s[:2]+" ") {
				t.Fatalf("NINO(%q) = invalid but the reference pattern and prefix list accept it", s)
			}
			return
		}
		if (len(s) != 8 && len(s) != 9) || !IsDigits(s[2:8]) {
			t.Fatalf("NINO(%q) = %v for the wrong shape", s, k)
		}
		switch k {
		case NINOValid:
			if !ninoShape.MatchString(s) || strings.Contains(" BG GB KN NK NT TN ZZ ", " "+s[:2]+" ") {
				t.Fatalf("NINO(%q) = valid but the reference pattern or prefix list rejects it", s)
			}
		case NINONoSuffix:
			if !ninoShape.MatchString(s[:8] + "A") {
				t.Fatalf("NINO(%q) = no-suffix but its prefix breaks the reference pattern", s)
			}
		case NINOTemporary:
			if s[:2] != "TN" || !realDDMMYY(s[2:8]) {
				t.Fatalf("NINO(%q) = temporary without TN and a real date", s)
			}
		case NINOAdmin:
			if !strings.Contains(" OO CR FY MW NC PP PY PZ ", " "+s[:2]+" ") {
				t.Fatalf("NINO(%q) = admin with a non-administrative prefix", s)
			}
		}
	})
}

// postcodeShape is Presidio's pattern from the reference, anchored and with the optional space removed.
var postcodeShape = regexp.MustCompile(`^(?:GIR0AA|[A-PR-UWYZ][0-9][ABCDEFGHJKPSTUW]?[0-9][ABD-HJLNP-UW-Z]{2}|[A-PR-UWYZ][0-9]{2}[0-9][ABD-HJLNP-UW-Z]{2}|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]?[0-9][ABD-HJLNP-UW-Z]{2}|[A-PR-UWYZ][A-HK-Y][0-9]{2}[0-9][ABD-HJLNP-UW-Z]{2})$`)

func FuzzPostcode(f *testing.F) {
	seed(f, postcodeCases)
	seed(f, outcodeCases)
	f.Fuzz(func(t *testing.T, s string) {
		ok := Postcode(s)
		if ok != postcodeShape.MatchString(s) {
			t.Fatalf("Postcode(%q) = %v, disagrees with the reference pattern", s, ok)
		}
		if ok && (len(s) < 5 || len(s) > 7) {
			t.Fatalf("Postcode(%q) = true outside 5-7 characters", s)
		}
		if ok && s != "GIR0AA" && !Outcode(s[:len(s)-3]) {
			t.Fatalf("Postcode(%q) = true but Outcode(%q) = false", s, s[:len(s)-3])
		}
		if Outcode(s) && s != "GIR" && !postcodeShape.MatchString(s+"1AA") {
			t.Fatalf("Outcode(%q) = true but %q is no postcode", s, s+"1AA")
		}
	})
}

// licenceShape is the reference's DVLA pattern, anchored, with an optional issue number.
var licenceShape = regexp.MustCompile(`^[A-Z9]{5}[0-9](?:0[1-9]|1[0-2]|5[1-9]|6[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9][A-Z9]{2}[A-Z0-9]{3}(?:[0-9]{2})?$`)

func FuzzDrivingLicence(f *testing.F) {
	seed(f, drivingLicenceCases)
	f.Fuzz(func(t *testing.T, s string) {
		want := false
		if licenceShape.MatchString(s) {
			m, _ := parseInt(s[6:8])
			if m > 50 {
				m -= 50
			}
			surname := strings.TrimRight(s[:5], "9")
			want = realDDMMYY(s[8:10]+string([]byte{'0' + byte(m/10), '0' + byte(m%10)})+s[5:6]+s[10:11]) &&
				surname != "" && !strings.Contains(surname, "9") && // letters, then only 9s
				s[11] != '9' && s[13] >= '0' && s[13] <= '9' // first initial a letter; position 14 a digit
		}
		if got := DrivingLicence(s); got != want {
			t.Fatalf("DrivingLicence(%q) = %v, want %v", s, got, want)
		}
	})
}

var vrmShape = regexp.MustCompile(`^(?:[A-HJ-PR-Y]{2}(?:0[2-9]|[12][0-9]|5[1-9]|[67][0-9])[A-HJ-PR-Z]{3}|[A-HJ-NPR-TV-Y][1-9][0-9]{0,2}[A-HJ-PR-Y]{3}|[A-HJ-PR-Y]{3}[1-9][0-9]{0,2}[A-HJ-NPR-TV-Y])$`)

func FuzzVRM(f *testing.F) {
	seed(f, vrmCases)
	f.Fuzz(func(t *testing.T, s string) {
		ok := VRM(s)
		if ok != vrmShape.MatchString(s) {
			t.Fatalf("VRM(%q) = %v, disagrees with the documented pattern", s, ok)
		}
		if ok && (len(s) < 5 || len(s) > 7) {
			t.Fatalf("VRM(%q) = true outside 5-7 characters", s)
		}
	})
}

func FuzzVATGB(f *testing.F) {
	seed(f, vatgbCases)
	digits := regexp.MustCompile(`^(?:GB|XI)(?:[0-9]{9}|[0-9]{12})$`)
	special := regexp.MustCompile(`^(?:GB|XI)(?:GD[0-4][0-9]{2}|HA[5-9][0-9]{2})$`)
	f.Fuzz(func(t *testing.T, s string) {
		want := special.MatchString(s)
		if digits.MatchString(s) {
			d := s[2:]
			w := []int{8, 7, 6, 5, 4, 3, 2, 10, 1}
			sum := 0
			for i, wi := range w {
				sum += int(d[i]-'0') * wi
			}
			r := sum % 97
			want = r == 0 || (d[:3] >= "100" && (r == 42 || r == 55))
		}
		if got := VATGB(s); got != want {
			t.Fatalf("VATGB(%q) = %v, want %v", s, got, want)
		}
	})
}

func FuzzIPv4(f *testing.F) {
	seed(f, ipv4Cases)
	f.Fuzz(func(t *testing.T, s string) {
		a, err := netip.ParseAddr(s)
		want := err == nil && a.Is4()
		if got := IPv4(s); got != want {
			t.Fatalf("IPv4(%q) = %v, net/netip says %v", s, got, want)
		}
	})
}

func FuzzIPv6(f *testing.F) {
	seed(f, ipv6Cases)
	f.Fuzz(func(t *testing.T, s string) {
		a, err := netip.ParseAddr(s)
		want := err == nil && a.Is6()
		if got := IPv6(s); got != want {
			t.Fatalf("IPv6(%q) = %v, net/netip says %v", s, got, want)
		}
		if IPv6(s) && IPv4(s) {
			t.Fatalf("%q is both IPv4 and IPv6", s)
		}
	})
}

func FuzzDate(f *testing.F) {
	f.Add(2000, 2, 29)
	f.Add(1900, 2, 29)
	f.Add(1980, 4, 31)
	f.Add(0, 1, 1)
	f.Add(9999, 12, 31)
	f.Fuzz(func(t *testing.T, y, m, d int) {
		got := Date(y, m, d)
		want := false
		if y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31 {
			tm := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
			want = tm.Year() == y && int(tm.Month()) == m && tm.Day() == d
		}
		if got != want {
			t.Fatalf("Date(%d, %d, %d) = %v, time.Date says %v", y, m, d, got, want)
		}
	})
}
