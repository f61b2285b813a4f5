package detectors

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Names of the built-in value detectors. They are stable: rule packs refer to them.
const (
	Email          = "email"
	UKPhone        = "uk-phone"
	Postcode       = "uk-postcode"
	NHSNumber      = "nhs-number"
	CHINumber      = "chi-number"
	HCNumber       = "hc-number"
	NINO           = "nino"
	SortCode       = "sort-code"
	BankAccount    = "bank-account"
	IBAN           = "iban"
	PaymentCard    = "payment-card"
	Passport       = "uk-passport"
	DrivingLicence = "driving-licence"
	UTR            = "utr"
	DateOfBirth    = "date-of-birth"
	IPAddress      = "ip-address"
	VRM            = "vehicle-registration"
	PersonName     = "person-name"
	StreetAddress  = "street-address"
)

// Builtins lists every built-in detector name.
func Builtins() []string {
	return []string{Email, UKPhone, Postcode, NHSNumber, CHINumber, HCNumber, NINO, SortCode, BankAccount,
		IBAN, PaymentCard, Passport, DrivingLicence, UTR, DateOfBirth, IPAddress, VRM, PersonName, StreetAddress}
}

// Hit is one piece of evidence found in a string: an identifier candidate that passed its validator, or a
// lexicon phrase. Start and End are byte offsets into the scanned string.
type Hit struct {
	Detector string // built-in detector name; "" for a phrase hit
	Phrase   int    // index into Options.Phrases for a phrase hit; -1 otherwise
	Start    int
	End      int
	// Weak marks a lower-grade match that should not prove personal data on its own: a private or loopback IP
	// address, a NINO without its suffix letter, a truncated card number, a test-range NHS number.
	Weak bool
}

// Options configures a Scanner.
type Options struct {
	Phrases   []string            // lexicon phrases, matched as whole words after NormaliseValue
	Forenames map[string]struct{} // lower-case
	Surnames  map[string]struct{}
	Stopnames map[string]struct{} // names that are also ordinary words: never a name on their own
	Now       time.Time           // for date-of-birth plausibility; zero means time.Now()
}

// Scanner finds hits in free text and in structured cells in a single pass over the bytes. A Scanner is
// immutable after New and safe for concurrent use.
type Scanner struct {
	phrases   *phraseIndex
	firsts    bloom // first words of phrases: most words of prose are in no phrase
	starters  bloom // titles and forenames: the words a name can start with
	forenames map[string]struct{}
	surnames  map[string]struct{}
	stop      map[string]struct{}
	year      int
	today     int // yyyymmdd
	// quick enables the shortcut for short numbers and timestamps (quick.go); off when a phrase's first word
	// could be a word of one (digits, "t10", "z"), and in the test that proves the shortcut changes nothing.
	quick bool
}

// New compiles a Scanner.
func New(opt Options) *Scanner {
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	s := &Scanner{
		phrases:   newPhraseIndex(opt.Phrases),
		forenames: opt.Forenames,
		surnames:  opt.Surnames,
		stop:      opt.Stopnames,
		year:      now.Year(),
		today:     now.Year()*10000 + int(now.Month())*100 + now.Day(),
	}
	s.quick = true
	for w := range s.phrases.byFirst {
		s.firsts.add(w)
		if strings.Trim(w, "0123456789tz") == "" {
			s.quick = false // a phrase could start inside a number or a timestamp ("12", "t10", "z")
		}
	}
	for w := range titles {
		s.starters.add(w)
	}
	for w := range opt.Forenames {
		s.starters.add(w)
	}
	return s
}

// bloom is a one-hash Bloom filter over lower-case words: a cheap "certainly not" before a map lookup on the
// hot path. A false positive costs only the lookup it would have made anyway.
type bloom [1 << 16 / 64]uint64

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func wordHash(w string) uint32 {
	h := uint32(fnvOffset)
	for i := 0; i < len(w); i++ {
		h = (h ^ uint32(w[i])) * fnvPrime
	}
	return h
}

func (b *bloom) add(w string)      { h := wordHash(w) & 0xffff; b[h>>6] |= 1 << (h & 63) }
func (b *bloom) may(h uint32) bool { h &= 0xffff; return b[h>>6]&(1<<(h&63)) != 0 }

type mode int

const (
	modeText mode = iota
	modeCell
)

const (
	clsOther = iota
	clsLetter
	clsDigit
)

// class and lower are byte tables: the hot loop does no Unicode work. Bytes >= 0x80 count as letters so
// accented names stay whole words.
var class, lower = func() (c [256]uint8, l [256]byte) {
	for i := 0; i < 256; i++ {
		b := byte(i)
		l[i] = b
		switch {
		case b >= 'a' && b <= 'z':
			c[i] = clsLetter
		case b >= 'A' && b <= 'Z':
			c[i] = clsLetter
			l[i] = b + 32
		case b >= '0' && b <= '9':
			c[i] = clsDigit
		case b >= 0x80:
			c[i] = clsLetter
		}
	}
	return
}()

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
func isUpper(b byte) bool { return b >= 'A' && b <= 'Z' }
func isAlnum(b byte) bool { return class[b] == clsLetter && b < 0x80 || class[b] == clsDigit }

// Trim is strings.TrimSpace with a shortcut for the usual value, which has nothing to trim: a database sends
// millions of them, and a cell is trimmed by each layer that takes it.
func Trim(s string) string {
	if s == "" {
		return s
	}
	if f, l := s[0], s[len(s)-1]; f > ' ' && f < utf8.RuneSelf && l > ' ' && l < utf8.RuneSelf {
		return s // ASCII whitespace is at or below ' '; other whitespace is not ASCII
	}
	return strings.TrimSpace(s)
}

// Text scans free text (a letter, a log, a notes cell) and calls fn for each hit, in order of Start except
// that an e-mail address is reported when its '@' is reached.
func (s *Scanner) Text(text string, fn func(Hit)) { s.scan(text, modeText, fn) }

// Cell scans one structured value. Cells are short and stand alone, so besides the free-text detectors it
// accepts lower-case postcodes and a bare name ("SMITH", "jane smith") as evidence.
func (s *Scanner) Cell(cell string, fn func(Hit)) {
	c := Trim(cell)
	if c == "" {
		return
	}
	if s.quick && s.quickCell(c, fn) {
		return
	}
	named := false
	s.scan(c, modeCell, func(h Hit) {
		if h.Detector == PersonName {
			named = true
		}
		fn(h)
	})
	if !named && len(c) <= 64 && s.cellIsName(c) {
		fn(Hit{Detector: PersonName, Phrase: -1, Start: 0, End: len(c)})
	}
}

func (s *Scanner) scan(text string, m mode, fn func(Hit)) {
	var buf [48]byte
	n := len(text)
	skip := 0 // bytes before skip belong to an identifier already reported
	for i := 0; i < n; {
		c := text[i]
		if class[c] == clsOther || (c == 0xC2 && i+1 < n && text[i+1] == 0xA0) {
			if c == '@' && i >= skip {
				if end := s.email(text, i, fn); end > i {
					skip = end
				}
			}
			if c == '+' && i >= skip && i+1 < n && isDigit(text[i+1]) {
				if end := s.numeric(text, i, m, fn); end > i {
					skip = end
					i = end
					continue
				}
			}
			if c == ':' && i >= skip {
				if end := ipv6(text, i, skip, fn); end > i {
					skip = end
					i = end
					continue
				}
			}
			i++
			continue
		}
		start := i
		hasDigit, hasLetter := false, false
		bl := 0
		h := uint32(fnvOffset) // wordHash of the lower-cased word, built as it is read
		for i < n {
			c = text[i]
			k := class[c]
			if k == clsOther {
				// An apostrophe inside a word is dropped, as NormaliseValue does: "alzheimer's".
				if c == '\'' && bl > 0 && i+1 < n && class[text[i+1]] == clsLetter {
					i++
					continue
				}
				break
			}
			if c == 0xC2 && i+1 < n && text[i+1] == 0xA0 { // no-break space
				break
			}
			if c == 0xE2 && i+2 < n && text[i+1] == 0x80 && text[i+2] == 0x99 { // right single quote
				if bl > 0 && i+3 < n && class[text[i+3]] == clsLetter {
					i += 3
					continue
				}
				break
			}
			if k == clsDigit {
				hasDigit = true
			} else {
				hasLetter = true
			}
			if bl < len(buf) {
				buf[bl] = lower[c]
				h = (h ^ uint32(lower[c])) * fnvPrime
			}
			bl++
			i++
		}
		end := i
		if end == start {
			i++ // a quote or no-break space that cannot start a word
			continue
		}
		if start < skip {
			continue
		}
		first := text[start]
		if isDigit(first) { // a leading '+' never starts a word: the separator branch above takes "+44"
			if e := s.numeric(text, start, m, fn); e > start {
				skip = e
				i = max(i, e)
				continue
			}
			if e := s.address(text, start, end, m, fn); e > start {
				skip = e
				i = max(i, e)
				continue
			}
			continue
		}
		if hasDigit || (bl <= 3 && end+1 < n && (text[end] == ' ' || text[end] == '-') && isDigit(text[end+1])) {
			if e := s.alnum(text, start, m, fn); e > start {
				skip = e
				i = max(i, e)
				continue
			}
		}
		if !hasLetter || bl > len(buf) {
			continue
		}
		word := buf[:bl]
		if s.firsts.may(h) {
			if ps, ok := s.phrases.byFirst[string(word)]; ok {
				s.matchPhrase(text, start, end, ps, fn)
			}
		}
		if isUpper(first) && s.starters.may(h) {
			if e := s.name(text, start, end, word, fn); e > end {
				skip = e
				i = max(i, e)
			}
		}
	}
}

// matchPhrase reports the longest phrase starting with the word at [start,end).
func (s *Scanner) matchPhrase(text string, start, end int, ps []phrase, fn func(Hit)) {
	for _, p := range ps {
		pos := end
		ok := true
		for _, want := range p.rest {
			e, m := matchWord(text, pos, want)
			if !m {
				ok = false
				break
			}
			pos = e
		}
		if ok {
			fn(Hit{Phrase: p.id, Start: start, End: pos})
			return
		}
	}
}

// matchWord skips separators from pos and reports whether the next word equals want (lower case, apostrophes
// dropped) and where it ends.
func matchWord(text string, pos int, want string) (int, bool) {
	n := len(text)
	for pos < n && class[text[pos]] == clsOther {
		pos++
	}
	j := 0
	for pos < n {
		c := text[pos]
		if class[c] == clsOther {
			if c == '\'' && j > 0 && pos+1 < n && class[text[pos+1]] == clsLetter {
				pos++
				continue
			}
			break
		}
		if j >= len(want) || lower[c] != want[j] {
			return pos, false
		}
		j++
		pos++
	}
	return pos, j == len(want)
}

// nextWord returns the bounds of the word after pos, skipping only spaces (and one optional '.' or ',').
func nextWord(text string, pos int) (int, int) {
	n := len(text)
	if pos < n && (text[pos] == '.' || text[pos] == ',') {
		pos++
	}
	sp := pos
	for pos < n && (text[pos] == ' ' || text[pos] == '\t') {
		pos++
	}
	if pos == sp || pos >= n {
		return -1, -1
	}
	s := pos
	for pos < n && (class[text[pos]] == clsLetter || text[pos] == '\'' || text[pos] == '-') {
		pos++
	}
	if pos == s {
		return -1, -1
	}
	return s, pos
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if isUpper(s[i]) {
			return strings.ToLower(s)
		}
	}
	return s
}

func (s *Scanner) has(set map[string]struct{}, w string) bool {
	_, ok := set[w]
	return ok
}

var titles = map[string]bool{"mr": true, "mrs": true, "ms": true, "miss": true, "mx": true, "dr": true}

// name reports "Forename Surname" (both in the lexicons, the forename not an ordinary word) and "Mrs Surname".
func (s *Scanner) name(text string, start, end int, word []byte, fn func(Hit)) int {
	w := string(word)
	if titles[w] {
		ns, ne := nextWord(text, end)
		if ns < 0 || !isUpper(text[ns]) {
			return end
		}
		fn(Hit{Detector: PersonName, Phrase: -1, Start: start, End: ne})
		return ne
	}
	if s.forenames == nil || !s.has(s.forenames, w) || s.has(s.stop, w) {
		return end
	}
	ns, ne := nextWord(text, end)
	if ns < 0 || !isUpper(text[ns]) {
		return end
	}
	if !s.has(s.surnames, lowerASCII(text[ns:ne])) {
		return end
	}
	fn(Hit{Detector: PersonName, Phrase: -1, Start: start, End: ne})
	return ne
}

// cellIsName reports a cell that is nothing but a person's name: one to four words, no digits, at least one
// word a known name that is not also an ordinary word (or two known names).
func (s *Scanner) cellIsName(c string) bool {
	if s.forenames == nil {
		return false
	}
	// A name is letters, apostrophes and hyphens, in words split by spaces, commas and dots: anything else (an
	// e-mail address, a reference) is turned away before any lookup.
	for i := 0; i < len(c); i++ {
		if b := c[i]; class[b] != clsLetter && b != '\'' && b != '-' && b != ' ' && b != ',' && b != '.' {
			return false
		}
	}
	// Split on spaces, commas and dots into at most four words, without allocating: this runs on every cell.
	var spans [5][2]int
	nw := 0
	for i := 0; i < len(c); {
		for i < len(c) && (c[i] == ' ' || c[i] == ',' || c[i] == '.') {
			i++
		}
		if i == len(c) {
			break
		}
		if nw == len(spans) {
			return false
		}
		j := i
		for j < len(c) && c[j] != ' ' && c[j] != ',' && c[j] != '.' {
			j++
		}
		spans[nw] = [2]int{i, j}
		nw++
		i = j
	}
	if nw == 0 || nw > 4 {
		return false
	}
	mixed := false // the cell has upper case: then every word must be capitalised
	for i := 0; i < len(c); i++ {
		if isUpper(c[i]) {
			mixed = true
			break
		}
	}
	var buf [64]byte
	lowerWord := func(k int) string {
		w := c[spans[k][0]:spans[k][1]]
		b := buf[:0]
		for i := 0; i < len(w) && len(b) < len(buf); i++ {
			b = append(b, lower[w[i]])
		}
		return string(b) // the compiler does not allocate for a map index of string(b)
	}
	strong, known, title := 0, 0, 0
	for k := 0; k < nw; k++ {
		w := c[spans[k][0]:spans[k][1]]
		// "St Mary's Church hall": a name's words are capitalised, and no name has a building in it.
		if mixed && !isUpper(w[0]) && w[0] < 0x80 {
			return false
		}
		lw := lowerWord(k)
		if titles[lw] { // before streetWords, which hold "dr" for Drive
			title++
			continue
		}
		if streetWords[lw] || placeWords[lw] {
			return false
		}
		if s.has(s.forenames, lw) || s.has(s.surnames, lw) {
			known++
			if !s.has(s.stop, lw) {
				strong++
			}
		}
	}
	if nw > 1 && title == 0 {
		// "Jane Smith", "Smith, Jane": a forename at one end. "Northmoor Summer Fun Day" has none.
		if !s.has(s.forenames, lowerWord(0)) && !s.has(s.forenames, lowerWord(nw-1)) {
			return false
		}
	}
	return strong >= 1 || known >= 2
}

// placeWords name buildings and organisations: a cell holding one is not a person's name.
var placeWords = map[string]bool{
	"church": true, "chapel": true, "hall": true, "centre": true, "center": true, "room": true, "school": true,
	"college": true, "mosque": true, "temple": true, "gurdwara": true, "synagogue": true, "club": true,
	"ltd": true, "limited": true, "plc": true, "council": true, "trust": true, "association": true,
	"services": true, "surgery": true, "practice": true, "hospital": true, "homes": true, "block": true,
	"estate": true, "tower": true, "flats": true, "library": true, "annex": true, "annexe": true,
}

var streetWords = map[string]bool{
	"road": true, "rd": true, "street": true, "st": true, "lane": true, "ln": true, "avenue": true, "ave": true,
	"close": true, "cl": true, "drive": true, "dr": true, "court": true, "ct": true, "crescent": true,
	"cres": true, "way": true, "gardens": true, "gdns": true, "place": true, "pl": true, "terrace": true,
	"tce": true, "grove": true, "walk": true, "square": true, "sq": true, "mews": true, "row": true,
	"rise": true, "hill": true, "park": true, "green": true, "view": true, "parade": true, "approach": true,
	"gate": true, "wharf": true, "yard": true, "house": true, "heights": true, "croft": true, "fold": true,
	"meadow": true, "meadows": true, "vale": true, "wynd": true, "brae": true, "bank": true, "lodge": true,
}

// address reports "12 Elm Court", "14a Station Road", "3 The Grove": a house number then one to four
// capitalised words, the last a street word.
func (s *Scanner) address(text string, start, end int, m mode, fn func(Hit)) int {
	tok := text[start:end]
	digits := 0
	for digits < len(tok) && isDigit(tok[digits]) {
		digits++
	}
	if digits == 0 || digits > 4 || len(tok)-digits > 1 {
		return start
	}
	pos := end
	if pos < len(text) && text[pos] == ',' {
		pos++
	}
	for k := 0; k < 4; k++ {
		ws, we := nextWord(text, pos)
		if ws < 0 || !isUpper(text[ws]) {
			return start
		}
		if k > 0 && streetWords[strings.ToLower(text[ws:we])] {
			fn(Hit{Detector: StreetAddress, Phrase: -1, Start: start, End: we})
			return we
		}
		pos = we
	}
	return start
}
