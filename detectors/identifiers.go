package detectors

import (
	"strings"

	"github.com/datamap-uk/datamap/detectors/checksum"
)

type span struct{ s, e int }

// numeric tries the digit-led identifiers at start: phone numbers, NHS/CHI/H&C numbers, UTRs, card numbers,
// sort codes, account and passport numbers, dates and IPv4 addresses. It collects up to eight digit groups
// joined by single spaces or hyphens and tries the longest run of groups first, so "943 476 5919" is one NHS
// number while two phone numbers in a row stay two. It returns the end of what it reported, or start.
func (s *Scanner) numeric(text string, start int, m mode, fn func(Hit)) int {
	n := len(text)
	p := start
	if secondFraction(text, start) {
		for p < n && isDigit(text[p]) {
			p++
		}
		return p // "10:30:00.362109": a fraction of a second, not a sort code
	}
	intl := false
	if text[p] == '+' {
		if !strings.HasPrefix(text[p+1:], "44") {
			return start
		}
		intl = true
		p++
	} else if strings.HasPrefix(text[p:], "0044") {
		intl = true
	}
	if e := s.dottedOrSlashed(text, start, fn); e > start {
		return e
	}
	if !intl {
		if e := s.textDate(text, start, fn); e > start {
			return e
		}
	}

	var groups [8]span
	ng := 0
	for ng < len(groups) {
		q := p
		for q < n && isDigit(text[q]) {
			q++
		}
		if q == p || q-p > 19 {
			break
		}
		groups[ng] = span{p, q}
		ng++
		if q+1 < n && (text[q] == ' ' || text[q] == '-') && isDigit(text[q+1]) {
			p = q + 1
			continue
		}
		// "+44 (0)7700 900123"
		if intl && ng == 1 && strings.HasPrefix(text[q:], " (0)") {
			p = q + 4
			if p < n && text[p] == ' ' {
				p++
			}
			if p < n && isDigit(text[p]) {
				continue
			}
		}
		break
	}
	if ng == 0 {
		return start
	}

	if e := s.isoDate(text, groups[:ng], fn); e > 0 {
		return e
	}

	var digits [32]byte
	for k := ng; k >= 1; k-- {
		end := groups[k-1].e
		if end < n && class[text[end]] == clsLetter && !(end+1 <= n && text[end] == 'K' && (end+1 == n || !isAlnum(text[end+1]))) {
			continue // part of a longer alphanumeric token
		}
		nd := 0
		sizes := make([]int, 0, 8)
		for _, g := range groups[:k] {
			if nd+g.e-g.s > len(digits) {
				nd = len(digits) + 1
				break
			}
			nd += copy(digits[nd:], text[g.s:g.e])
			sizes = append(sizes, g.e-g.s)
		}
		if nd > len(digits) {
			continue
		}
		d := string(digits[:nd])
		found := false
		emit := func(det string, weak bool, e int) {
			found = true
			fn(Hit{Detector: det, Phrase: -1, Start: start, End: e, Weak: weak})
		}
		if intl {
			// +44 7700 900123 / 0044 ...: digits start 44 (or 0044).
			rest := strings.TrimPrefix(strings.TrimPrefix(d, "00"), "44")
			if (len(rest) == 10 || len(rest) == 9) && rest[0] != '0' && ukPhone("0"+rest) {
				emit(UKPhone, false, end)
			}
			if found {
				return end
			}
			continue
		}
		if end < n && text[end] == 'K' && nd == 10 && checksum.UTR(d) && shapeAny(sizes, []int{10}, []int{5, 5}) {
			emit(UTR, false, end+1)
			return end + 1
		}
		switch {
		case (nd == 11 || nd == 10) && d[0] == '0' && phoneShape(sizes):
			if ukPhone(d) {
				emit(UKPhone, false, end)
			}
		case nd >= 12 && nd <= 19:
			if cardShape(sizes) && checksum.Luhn(d) && checksum.CardBrand(d) != "" && !checksum.Placeholder(d) {
				emit(PaymentCard, false, end)
			}
		case nd == 6 && shapeAny(sizes, []int{2, 2, 2}, []int{6}):
			if checksum.SortCode(d) {
				emit(SortCode, len(sizes) == 1, end)
			}
		case nd == 8 && len(sizes) == 1:
			if !checksum.Placeholder(d) {
				emit(BankAccount, false, end)
			}
		case nd == 9 && len(sizes) == 1:
			if !checksum.Placeholder(d) {
				emit(Passport, false, end)
			}
		}
		if nd == 10 {
			placeholder := checksum.Placeholder(d)
			if shapeAny(sizes, []int{10}, []int{3, 3, 4}) && !placeholder {
				if checksum.NHS(d) {
					switch {
					case checksum.HC(d):
						emit(HCNumber, false, end)
					default:
						emit(NHSNumber, strings.HasPrefix(d, "999"), end)
					}
				}
				if checksum.CHI(d) {
					emit(CHINumber, false, end)
				}
			}
			if shapeAny(sizes, []int{10}, []int{5, 5}) && !placeholder && checksum.UTR(d) {
				emit(UTR, false, end)
			}
		}
		if found {
			return end
		}
	}
	return start
}

func shapeAny(sizes []int, shapes ...[]int) bool {
	for _, sh := range shapes {
		if len(sh) != len(sizes) {
			continue
		}
		ok := true
		for i := range sh {
			if sh[i] != sizes[i] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// phoneShape accepts 01632 960123, 0161 496 0123, 020 7946 0123, 07700900123: every group at least three
// digits, so runs of short numbers are not glued into a phone number.
func phoneShape(sizes []int) bool {
	for _, s := range sizes {
		if s < 3 {
			return false
		}
	}
	return len(sizes) <= 3
}

// cardShape accepts an unbroken PAN, 4-4-4-4(-3), and Amex 4-6-5.
func cardShape(sizes []int) bool {
	if len(sizes) == 1 {
		return true
	}
	if shapeAny(sizes, []int{4, 6, 5}, []int{4, 6, 4}) {
		return true
	}
	for i, s := range sizes {
		if i < len(sizes)-1 && s != 4 {
			return false
		}
	}
	return sizes[len(sizes)-1] <= 4
}

// ukPhone checks a national-format number (leading 0) against the Ofcom numbering plan's broad ranges.
func ukPhone(d string) bool {
	if len(d) < 10 || len(d) > 11 || d[0] != '0' {
		return false
	}
	switch d[1] {
	case '1', '2':
		return len(d) == 11 || (len(d) == 10 && d[1] == '1')
	case '3', '5', '8', '9':
		return len(d) == 11 || (len(d) == 10 && d[1] == '8')
	case '7':
		// 070 personal numbers and 076 pagers are still numbers people answer.
		return len(d) == 11
	}
	return false
}

// dottedOrSlashed handles tokens whose digits are joined by '.' or '/': IPv4 addresses and dd/mm/yyyy dates.
func (s *Scanner) dottedOrSlashed(text string, start int, fn func(Hit)) int {
	n := len(text)
	q := start
	for q < n && isDigit(text[q]) {
		q++
	}
	if q >= n-1 || (text[q] != '.' && text[q] != '/') || !isDigit(text[q+1]) {
		return start
	}
	if text[q] == '.' {
		e := q
		for e < n && (isDigit(text[e]) || text[e] == '.') {
			e++
		}
		for e > start && text[e-1] == '.' {
			e--
		}
		if e < n && (class[text[e]] == clsLetter || text[e] == '.') {
			return start
		}
		tok := text[start:e]
		switch strings.Count(tok, ".") {
		case 3:
			if !checksum.IPv4(tok) || versionLike(tok) {
				return start
			}
			fn(Hit{Detector: IPAddress, Phrase: -1, Start: start, End: e, Weak: privateIP(tok)})
			return e
		case 2:
			return s.dmy(text, start, fn)
		}
		return start
	}
	return s.dmy(text, start, fn)
}

// roleMailboxes are shared addresses of an organisation, not of a person: weak evidence on their own.
var roleMailboxes = map[string]bool{
	"info": true, "enquiries": true, "enquiry": true, "support": true, "admin": true, "noreply": true,
	"no-reply": true, "donotreply": true, "hello": true, "contact": true, "office": true, "reception": true,
	"repairs": true, "customerservices": true, "customer.services": true, "help": true, "helpdesk": true,
	"sales": true, "accounts": true, "finance": true, "hr": true, "complaints": true, "feedback": true,
	"webmaster": true, "postmaster": true, "it": true, "servicedesk": true, "dpo": true, "privacy": true,
	"dataprotection": true, "data.protection": true, "careers": true, "jobs": true, "press": true, "media": true,
	"lettings": true, "housing": true, "rents": true, "income": true, "asb": true, "safeguarding": true,
}

func roleMailbox(local string) bool { return roleMailboxes[strings.ToLower(local)] }

func isHex(b byte) bool { return isDigit(b) || (b|0x20 >= 'a' && b|0x20 <= 'f') }

// ipv6 looks for an IPv6 address around the colon at text[colon]. Times ("10:30:00") and ratios fail the
// parse; the cheap test on the neighbouring bytes keeps prose colons ("Note: ...") off the slow path.
func ipv6(text string, colon, skip int, fn func(Hit)) int {
	n := len(text)
	if colon+1 >= n || !(isHex(text[colon+1]) || text[colon+1] == ':') {
		return colon
	}
	if colon > 0 && !(isHex(text[colon-1]) || text[colon-1] == ':') {
		return colon
	}
	start := colon
	for start > skip && (isHex(text[start-1]) || text[start-1] == ':') {
		start--
	}
	if start > 0 && (class[text[start-1]] == clsLetter || class[text[start-1]] == clsDigit) {
		return colon // part of a longer word
	}
	end := colon
	for end < n && (isHex(text[end]) || text[end] == ':' || text[end] == '.') && end-start < 46 {
		end++
	}
	for end > colon && text[end-1] == '.' {
		end--
	}
	if end < n && (class[text[end]] == clsLetter || class[text[end]] == clsDigit) {
		return colon
	}
	tok := text[start:end]
	if !ipv6Shaped(tok) || !checksum.IPv6(tok) {
		return colon
	}
	fn(Hit{Detector: IPAddress, Phrase: -1, Start: start, End: end, Weak: privateIP(tok)})
	return end
}

// secondFraction reports digits at start that follow a time of day's seconds and a point ("10:30:00.").
func secondFraction(text string, start int) bool {
	return start >= 7 && text[start-1] == '.' && isDigit(text[start-2]) && isDigit(text[start-3]) &&
		text[start-4] == ':' && isDigit(text[start-5]) && isDigit(text[start-6]) && text[start-7] == ':'
}

// ipv6Shaped is the cheap test before parsing: eight groups (seven colons), six and an IPv4 tail, or fewer
// with "::". A time of day ("12:34:56") fails it without the parser's allocations.
func ipv6Shaped(tok string) bool {
	colons := strings.Count(tok, ":")
	return colons == 7 || (colons == 6 && strings.Contains(tok, ".")) || (colons >= 2 && strings.Contains(tok, "::"))
}

// versionLike treats 1.2.3.4 or 2.0.0.1 as a software version: every octet a single digit.
func versionLike(ip string) bool {
	for _, part := range strings.Split(ip, ".") {
		if len(part) > 1 {
			return false
		}
	}
	return true
}

func privateIP(ip string) bool {
	a, err := netipParse(ip)
	if err != nil {
		return false
	}
	return a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsUnspecified()
}

// alnum tries the letter-led identifiers at start: IBAN, driving licence, NINO, passport, postcode and
// vehicle registration, over up to eight chunks joined by single spaces or hyphens.
func (s *Scanner) alnum(text string, start int, m mode, fn func(Hit)) int {
	n := len(text)
	var chunks [8]span
	nc, total := 0, 0
	for p := start; nc < len(chunks); {
		q := p
		for q < n && isAlnum(text[q]) {
			q++
		}
		if q == p || q-p > 34 { // an IBAN written without spaces is one chunk of up to 34
			break
		}
		chunks[nc] = span{p, q}
		nc++
		total += q - p
		if total > 34 {
			break
		}
		if q+1 < n && (text[q] == ' ' || text[q] == '-') && isAlnum(text[q+1]) {
			p = q + 1
			continue
		}
		break
	}
	if nc == 0 {
		return start
	}
	if e := chunks[nc-1].e; e < n && class[text[e]] == clsLetter {
		nc-- // the last chunk runs into a non-ASCII letter: not a whole token
		if nc == 0 {
			return start
		}
	}

	// The chunks upper-cased and run together, once: the form of the first k chunks is a prefix of it.
	var buf [40]byte
	var ends [len(chunks) + 1]int
	nb, fit := 0, 0
	for _, c := range chunks[:nc] {
		if nb+c.e-c.s > len(buf) {
			break
		}
		for i := c.s; i < c.e; i++ {
			b := text[i]
			if b >= 'a' && b <= 'z' {
				b -= 32
			}
			buf[nb] = b
			nb++
		}
		fit++
		ends[fit] = nb
	}
	joined := string(buf[:nb])
	compact := func(k int) (string, bool) {
		if k > fit {
			return "", false
		}
		return joined[:ends[k]], true
	}
	upperOnly := func(k int) bool {
		for _, c := range chunks[:k] {
			for i := c.s; i < c.e; i++ {
				if text[i] >= 'a' && text[i] <= 'z' {
					return false
				}
			}
		}
		return true
	}

	// IBAN: the longest run of chunks that validates.
	if isLetter2Digit2(text[chunks[0].s:chunks[0].e]) {
		for k := nc; k >= 1; k-- {
			if c, ok := compact(k); ok && len(c) >= 15 && checksum.IBAN(c) {
				fn(Hit{Detector: IBAN, Phrase: -1, Start: start, End: chunks[k-1].e})
				return chunks[k-1].e
			}
		}
	}
	if l := chunks[0].e - chunks[0].s; (l == 16 || l == 18) && upperOnly(1) {
		if c, _ := compact(1); checksum.DrivingLicence(c) {
			fn(Hit{Detector: DrivingLicence, Phrase: -1, Start: start, End: chunks[0].e})
			return chunks[0].e
		}
	}
	// NINO: chunks adding up to 9 (or 8 without the suffix letter).
	for k := 1; k <= nc; k++ {
		c, ok := compact(k)
		if !ok || len(c) > 9 {
			break
		}
		if len(c) != 9 && len(c) != 8 {
			continue
		}
		if len(c) == 8 && k < nc && chunks[k].e-chunks[k].s == 1 {
			continue // a one-letter chunk follows: the suffix
		}
		switch checksum.NINO(c) {
		case checksum.NINOValid, checksum.NINOAdmin, checksum.NINOTemporary:
			fn(Hit{Detector: NINO, Phrase: -1, Start: start, End: chunks[k-1].e})
			return chunks[k-1].e
		case checksum.NINONoSuffix:
			fn(Hit{Detector: NINO, Phrase: -1, Start: start, End: chunks[k-1].e, Weak: true})
			return chunks[k-1].e
		}
	}
	upper := upperOnly(min(nc, 2))
	if c, _ := compact(1); len(c) == 9 && upperOnly(1) && isLetters(c[:2]) && checksum.IsDigits(c[2:]) {
		fn(Hit{Detector: Passport, Phrase: -1, Start: start, End: chunks[0].e})
		return chunks[0].e
	}
	// Postcodes are upper case in prose; a cell may be any case.
	if upper || m == modeCell {
		for k := min(nc, 2); k >= 1; k-- {
			c, _ := compact(k)
			if len(c) < 5 || len(c) > 7 {
				continue
			}
			if k == 2 && chunks[1].e-chunks[1].s != 3 {
				continue
			}
			if checksum.Postcode(c) {
				fn(Hit{Detector: Postcode, Phrase: -1, Start: start, End: chunks[k-1].e})
				return chunks[k-1].e
			}
		}
	}
	if upper {
		for k := min(nc, 2); k >= 1; k-- {
			c, _ := compact(k)
			if len(c) >= 4 && len(c) <= 7 && checksum.VRM(c) {
				fn(Hit{Detector: VRM, Phrase: -1, Start: start, End: chunks[k-1].e})
				return chunks[k-1].e
			}
		}
	}
	return start
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if !(s[i] >= 'A' && s[i] <= 'Z') {
			return false
		}
	}
	return true
}

func isLowerLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if !(s[i] >= 'a' && s[i] <= 'z') {
			return false
		}
	}
	return true
}

func isLetter2Digit2(s string) bool {
	return len(s) >= 4 && class[s[0]] == clsLetter && class[s[1]] == clsLetter && isDigit(s[2]) && isDigit(s[3])
}

// email reports local@domain around the '@' at at. It returns the end of the address, or at.
func (s *Scanner) email(text string, at int, fn func(Hit)) int {
	l := at
	for l > 0 && at-l < 64 && isLocal(text[l-1]) {
		l--
	}
	for l < at && text[l] == '.' {
		l++
	}
	r := at + 1
	for r < len(text) && r-at < 255 && (isAlnum(text[r]) || text[r] == '.' || text[r] == '-') {
		r++
	}
	for r > at+1 && (text[r-1] == '.' || text[r-1] == '-') {
		r--
	}
	local, domain := text[l:at], text[at+1:r]
	if local == "" || strings.Contains(local, "..") || strings.HasSuffix(local, ".") {
		return at
	}
	dot := strings.LastIndexByte(domain, '.')
	if dot <= 0 || strings.Contains(domain, "..") || domain[0] == '.' || domain[0] == '-' {
		return at
	}
	tld := strings.ToLower(domain[dot+1:])
	if len(tld) < 2 || !isLowerLetters(tld) || notTLD[tld] {
		return at
	}
	fn(Hit{Detector: Email, Phrase: -1, Start: l, End: r, Weak: roleMailbox(text[l:at])})
	return r
}

func isLocal(b byte) bool {
	return isAlnum(b) || b == '.' || b == '_' || b == '%' || b == '+' || b == '-' || b == '\''
}

// notTLD holds file extensions that follow an '@' in asset names ("icon@2x.png") and in package specs.
var notTLD = map[string]bool{"png": true, "jpg": true, "jpeg": true, "gif": true, "svg": true, "webp": true,
	"bmp": true, "ico": true, "js": true, "css": true, "ts": true, "map": true}
