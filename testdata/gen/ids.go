package gen

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Kinds of planted identifier. The checksum test validates every planted value of each kind.
const (
	kindNHS     = "nhs_number"
	kindNINO    = "nino"
	kindIBAN    = "iban"
	kindCard    = "payment_card"
	kindUTR     = "utr"
	kindDL      = "driving_licence"
	kindPost    = "postcode"
	kindPhone   = "phone"
	kindSort    = "sort_code"
	kindAccount = "bank_account"
	kindEmail   = "email"
	kindDOB     = "date_of_birth"
)

// planted is one synthetic identifier written somewhere in the estate.
type planted struct {
	kind  string
	value string
}

// ids draws synthetic identifiers from one random stream and records each one, so the tests can check that
// every value planted in the estate passes the validator it is meant to exercise.
type ids struct {
	r       *rand.Rand
	planted *[]planted
}

func (g ids) note(kind, v string) string {
	*g.planted = append(*g.planted, planted{kind: kind, value: v})
	return v
}

func (g ids) digits(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + g.r.IntN(10)))
	}
	return b.String()
}

// placeholder reports the repdigits and straight runs that real validators treat as dummies: the estate
// should exercise checksums, not placeholder rules.
func placeholder(d string) bool {
	rep, up, down := true, true, true
	for i := 1; i < len(d); i++ {
		if d[i] != d[0] {
			rep = false
		}
		if d[i] != d[i-1]+1 {
			up = false
		}
		if d[i] != d[i-1]-1 {
			down = false
		}
	}
	return rep || up || down
}

// NHS numbers are drawn from the issued England/Wales ranges (400-499, 600-799), not the 999 test range: the
// estate must look like real data to the detectors.
func (g ids) nhs() string {
	for {
		var first string
		if g.r.IntN(2) == 0 {
			first = strconv.Itoa(400 + g.r.IntN(100))
		} else {
			first = strconv.Itoa(600 + g.r.IntN(200))
		}
		body := first + g.digits(6)
		c, ok := nhsCheck(body)
		if !ok || placeholder(body+string(c)) {
			continue
		}
		return g.note(kindNHS, body+string(c))
	}
}

// nhsSpaced formats a 10-digit NHS number as 3-3-4.
func nhsSpaced(n string) string { return n[:3] + " " + n[3:6] + " " + n[6:] }

func nhsCheck(nine string) (byte, bool) {
	sum := 0
	for i := range 9 {
		sum += int(nine[i]-'0') * (10 - i)
	}
	c := 11 - sum%11
	switch c {
	case 11:
		return '0', true
	case 10:
		return 0, false
	}
	return byte('0' + c), true
}

// nhsValid reports whether s (spaces and hyphens allowed) is a 10-digit number with a correct mod 11 check.
func nhsValid(s string) bool {
	d := stripSep(s)
	if len(d) != 10 || !allDigits(d) {
		return false
	}
	c, ok := nhsCheck(d[:9])
	return ok && c == d[9]
}

const (
	ninoFirst  = "ABCEGHJKLMNOPRSTWXYZ"
	ninoSecond = "ABCEGHJKLMNPRSTWXYZ"
)

var ninoBanned = []string{"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}

func (g ids) nino(spaced bool) string {
	for {
		p := string(ninoFirst[g.r.IntN(len(ninoFirst))]) + string(ninoSecond[g.r.IntN(len(ninoSecond))])
		if slices.Contains(ninoBanned, p) {
			continue
		}
		d := g.digits(6)
		s := string("ABCD"[g.r.IntN(4)])
		if spaced {
			return g.note(kindNINO, p+" "+d[:2]+" "+d[2:4]+" "+d[4:]+" "+s)
		}
		return g.note(kindNINO, p+d+s)
	}
}

func ninoValid(s string) bool {
	n := strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if len(n) != 9 || !allDigits(n[2:8]) {
		return false
	}
	return strings.IndexByte(ninoFirst, n[0]) >= 0 && strings.IndexByte(ninoSecond, n[1]) >= 0 &&
		!slices.Contains(ninoBanned, n[:2]) && strings.IndexByte("ABCD", n[8]) >= 0
}

// Real outward codes of northern cities; the inward codes are random, so a postcode may or may not exist.
var outwardCodes = []string{"LS6", "LS7", "LS8", "LS9", "LS11", "LS12", "M8", "M11", "M12", "M14", "M40", "BD3", "BD5",
	"BD7", "S2", "S5", "NE4", "NE6", "M6", "WF1", "HD1", "OL8"}

const inwardLetters = "ABDEFGHJLNPQRSTUWXYZ"

func (g ids) postcode() string {
	out := outwardCodes[g.r.IntN(len(outwardCodes))]
	return g.postcodeIn(out)
}

func (g ids) postcodeIn(outward string) string {
	in := strconv.Itoa(g.r.IntN(10)) + string(inwardLetters[g.r.IntN(len(inwardLetters))]) +
		string(inwardLetters[g.r.IntN(len(inwardLetters))])
	return g.note(kindPost, outward+" "+in)
}

// postcodeRE is the reference's BS 7666 shape (uk-reference.md §1.5).
var postcodeRE = regexp.MustCompile(`^(?:[A-PR-UWYZ][0-9][ABCDEFGHJKPSTUW]? ?[0-9][ABD-HJLNP-UW-Z]{2}|[A-PR-UWYZ][0-9]{2} ?[0-9][ABD-HJLNP-UW-Z]{2}|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]? ?[0-9][ABD-HJLNP-UW-Z]{2}|[A-PR-UWYZ][A-HK-Y][0-9]{2} ?[0-9][ABD-HJLNP-UW-Z]{2})$`)

func postcodeValid(s string) bool { return postcodeRE.MatchString(s) }

// Phones come only from Ofcom's drama ranges, which are never allocated to a subscriber.
func (g ids) mobile() string {
	return g.note(kindPhone, fmt.Sprintf("07700 900%03d", g.r.IntN(1000)))
}

func (g ids) landline() string {
	n := g.r.IntN(1000)
	switch g.r.IntN(3) {
	case 0:
		return g.note(kindPhone, fmt.Sprintf("0161 496 0%03d", n))
	case 1:
		return g.note(kindPhone, fmt.Sprintf("020 7946 0%03d", n))
	default:
		return g.note(kindPhone, fmt.Sprintf("0113 496 0%03d", n))
	}
}

var dramaRE = regexp.MustCompile(`^(?:07700 900\d{3}|0161 496 0\d{3}|020 7946 0\d{3}|0113 496 0\d{3})$`)

func phoneDrama(s string) bool { return dramaRE.MatchString(s) }

// sortAccount returns a sort code (NN-NN-NN) and an 8-digit account number. Without Vocalink's tables only
// the shape can be synthetic-valid.
func (g ids) sortAccount() (sortCode, account string) {
	s := g.digits(6)
	for s[0] == '0' {
		s = g.digits(6)
	}
	a := g.digits(8)
	for placeholder(a) {
		a = g.digits(8)
	}
	return g.note(kindSort, s[:2]+"-"+s[2:4]+"-"+s[4:]), g.note(kindAccount, a)
}

var sortRE = regexp.MustCompile(`^\d{2}-\d{2}-\d{2}$`)

func sortValid(s string) bool    { return sortRE.MatchString(s) }
func accountValid(s string) bool { return len(s) == 8 && allDigits(s) && !placeholder(s) }

var bankCodes = []string{"NWBK", "BARC", "LOYD", "HBUK", "MIDL", "NAIA"}

// iban builds a GB IBAN from a sort code and account with the ISO 7064 mod 97-10 check digits.
func (g ids) iban(sortCode, account string) string {
	bban := bankCodes[g.r.IntN(len(bankCodes))] + strings.ReplaceAll(sortCode, "-", "") + account
	check := 98 - mod97(bban+"GB00")
	v := fmt.Sprintf("GB%02d%s", check, bban)
	return g.note(kindIBAN, v)
}

// ibanGroups prints an IBAN in groups of four, as on a statement.
func ibanGroups(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}

func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			r = (r*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			r = (r*100 + int(c-'A'+10)) % 97
		}
	}
	return r
}

func ibanValid(s string) bool {
	n := strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if len(n) != 22 || !strings.HasPrefix(n, "GB") {
		return false
	}
	return mod97(n[4:]+n[:4]) == 1
}

// card returns a Luhn-valid 16-digit Visa or Mastercard number.
func (g ids) card() string {
	for {
		var p string
		if g.r.IntN(2) == 0 {
			p = "4" + g.digits(14)
		} else {
			p = strconv.Itoa(51+g.r.IntN(5)) + g.digits(13)
		}
		v := p + string(luhnDigit(p))
		if placeholder(v) {
			continue
		}
		return g.note(kindCard, v)
	}
}

// cardGroups prints a PAN 4-4-4-4.
func cardGroups(s string) string { return s[:4] + " " + s[4:8] + " " + s[8:12] + " " + s[12:] }

// luhnDigit is the check digit to append to p.
func luhnDigit(p string) byte {
	sum := 0
	for i := len(p) - 1; i >= 0; i-- {
		d := int(p[i] - '0')
		if (len(p)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

func luhnValid(s string) bool {
	d := strings.ReplaceAll(s, " ", "")
	if len(d) < 12 || !allDigits(d) {
		return false
	}
	return luhnDigit(d[:len(d)-1]) == d[len(d)-1]
}

func cardValid(s string) bool {
	d := strings.ReplaceAll(s, " ", "")
	if !luhnValid(d) || len(d) != 16 {
		return false
	}
	return d[0] == '4' || (d[0] == '5' && d[1] >= '1' && d[1] <= '5')
}

// utr returns a 10-digit Unique Taxpayer Reference whose first digit is the check character.
func (g ids) utr() string {
	for {
		body := g.digits(9)
		v := string(utrCheck(body)) + body
		if placeholder(v) {
			continue
		}
		return g.note(kindUTR, v)
	}
}

func utrCheck(nine string) byte {
	w := []int{6, 7, 8, 9, 10, 5, 4, 3, 2}
	sum := 0
	for i, x := range w {
		sum += int(nine[i]-'0') * x
	}
	return "21987654321"[sum%11]
}

func utrValid(s string) bool {
	d := strings.TrimSuffix(strings.ReplaceAll(s, " ", ""), "K")
	return len(d) == 10 && allDigits(d) && utrCheck(d[1:]) == d[0]
}

// drivingLicence builds a DVLA number per uk-reference.md §1.11 from the holder's surname, initials, sex and
// date of birth. The two check characters are not public, so they are random letters.
func (g ids) drivingLicence(p *person) string {
	var sur []byte
	for _, c := range strings.ToUpper(p.surname) {
		if c >= 'A' && c <= 'Z' && len(sur) < 5 {
			sur = append(sur, byte(c))
		}
	}
	for len(sur) < 5 {
		sur = append(sur, '9')
	}
	y := p.dob.Year()
	m := int(p.dob.Month())
	if p.female {
		m += 50
	}
	init2 := byte('9')
	if p.middle != "" {
		init2 = p.middle[0]
	}
	v := fmt.Sprintf("%s%d%02d%02d%d%c%c9%c%c", sur, (y/10)%10, m, p.dob.Day(), y%10, p.first[0], init2,
		'A'+g.r.IntN(26), 'A'+g.r.IntN(26))
	return g.note(kindDL, strings.ToUpper(v))
}

var dlRE = regexp.MustCompile(`^[A-Z9]{5}\d(?:0[1-9]|1[0-2]|5[1-9]|6[0-2])(?:0[1-9]|[12]\d|3[01])\d[A-Z9]{2}[A-Z0-9]{3}$`)

func drivingLicenceValid(s string) bool {
	if !dlRE.MatchString(s) {
		return false
	}
	// The surname block pads with 9s only at its end and is never all 9s.
	sur := s[:5]
	t := strings.TrimRight(sur, "9")
	return t != "" && !strings.Contains(t, "9")
}

// dob draws a date of birth between 1935 and 2005.
func (g ids) dob() time.Time {
	start := time.Date(1935, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(2005, 12, 31, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24)
	return start.AddDate(0, 0, g.r.IntN(days+1))
}

func dobValid(s string) bool {
	for _, layout := range []string{"02/01/2006", "2006-01-02", "2 January 2006", "02-Jan-2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Year() >= 1935 && t.Year() <= 2005
		}
	}
	return false
}

var emailRE = regexp.MustCompile(`^[a-z0-9.'+_-]+@(?:[a-z]+\.)?example\.(?:org|com|net)$`)

func emailValid(s string) bool { return emailRE.MatchString(s) }

func stripSep(s string) string {
	return strings.NewReplacer(" ", "", "-", "").Replace(s)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
