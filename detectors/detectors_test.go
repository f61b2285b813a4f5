package detectors

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

func testScanner(phrases ...string) *Scanner {
	set := func(ws ...string) map[string]struct{} {
		m := map[string]struct{}{}
		for _, w := range ws {
			m[w] = struct{}{}
		}
		return m
	}
	return New(Options{
		Phrases:   phrases,
		Forenames: set("jane", "oliver", "christian", "grace", "amara"),
		Surnames:  set("smith", "patel", "okafor", "court", "white"),
		Stopnames: set("christian", "grace", "court", "white"),
		Now:       time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC),
	})
}

// found renders hits as "detector:text" (or "phrase:N:text") for readable comparisons.
func found(s *Scanner, text string, cell bool) []string {
	var out []string
	fn := func(h Hit) {
		if h.Start < 0 || h.End > len(text) || h.Start >= h.End {
			out = append(out, fmt.Sprintf("BAD SPAN %d-%d", h.Start, h.End))
			return
		}
		label := h.Detector
		if label == "" {
			label = fmt.Sprintf("phrase%d", h.Phrase)
		}
		if h.Weak {
			label += "(weak)"
		}
		out = append(out, label+":"+text[h.Start:h.End])
	}
	if cell {
		s.Cell(text, fn)
	} else {
		s.Text(text, fn)
	}
	return out
}

func TestTextFindsIdentifiers(t *testing.T) {
	s := testScanner()
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"NHS number spaced", "NHS number 943 476 5919 on file", []string{"nhs-number:943 476 5919"}},
		{"NHS number hyphenated", "ref 401-023-2137.", []string{"nhs-number:401-023-2137"}},
		{"rejects NHS number with bad check digit", "943 476 5918", nil},
		{"rejects repdigit placeholder", "1111111111", nil},
		{"test-range NHS number is weak", "9990000018", []string{"nhs-number(weak):9990000018"}},
		{"H&C number classified by range", "3200000015", []string{"hc-number:3200000015"}},
		{"mobile national", "call 07700 900123 now", []string{"uk-phone:07700 900123"}},
		{"mobile +44", "+44 7700 900123", []string{"uk-phone:+44 7700 900123"}},
		{"mobile +44 (0)", "+44 (0)7700 900123", []string{"uk-phone:+44 (0)7700 900123"}},
		{"landline 3-3-4", "0161 496 0123", []string{"uk-phone:0161 496 0123"}},
		{"London 3-4-4", "020 7946 0123", []string{"uk-phone:020 7946 0123"}},
		{"two phones in a row stay two", "07700 900123 0161 496 0123",
			[]string{"uk-phone:07700 900123", "uk-phone:0161 496 0123"}},
		{"too short phone", "07700 90012", nil},
		{"email", "write to jane.doe@example.org.", []string{"email:jane.doe@example.org"}},
		{"role mailbox is weak", "write to enquiries@example.org", []string{"email(weak):enquiries@example.org"}},
		{"email with apostrophe and tag", "j.o'brien+housing@example.org", []string{"email:j.o'brien+housing@example.org"}},
		{"asset name is not an email", "icon@2x.png", nil},
		{"NINO spaced", "NI AB 12 34 56 C.", []string{"nino:AB 12 34 56 C"}},
		{"NINO lower case", "tw987654a", []string{"nino:tw987654a"}},
		{"HMRC example NINO rejected", "QQ 12 34 56 A", nil},
		{"NINO without suffix is weak", "AB123456 was", []string{"nino(weak):AB123456"}},
		{"postcode in prose", "lives at SW1A 1AA now", []string{"uk-postcode:SW1A 1AA"}},
		{"lower-case postcode not in prose", "sw1a 1aa", nil},
		{"IBAN grouped", "GB29 NWBK 6016 1331 9268 19", []string{"iban:GB29 NWBK 6016 1331 9268 19"}},
		{"IBAN bad checksum", "GB29 NWBK 6016 1331 9268 10", nil},
		{"card grouped", "card 4111 1111 1111 1111 exp", []string{"payment-card:4111 1111 1111 1111"}},
		{"card failing Luhn", "4111 1111 1111 1112", nil},
		{"sort code", "sort code 08-99-99", []string{"sort-code:08-99-99"}},
		{"account number", "acc 66374958", []string{"bank-account:66374958"}},
		{"UTR with K", "1234567895K", []string{"utr:1234567895K"}},
		{"driving licence", "MORGA657054SM9IJ", []string{"driving-licence:MORGA657054SM9IJ"}},
		{"vehicle registration", "van AB51 ABC parked", []string{"vehicle-registration:AB51 ABC"}},
		{"passport two letters seven digits", "AB1234567", []string{"uk-passport:AB1234567"}},
		{"date slashed", "born 01/02/1980", []string{"date-of-birth:01/02/1980"}},
		{"date ISO", "1980-02-01", []string{"date-of-birth:1980-02-01"}},
		{"date Oracle style", "05-JUL-1965", []string{"date-of-birth:05-JUL-1965"}},
		{"date long form", "5th July 1965", []string{"date-of-birth:5th July 1965"}},
		{"impossible date", "31/02/1980", nil},
		{"future date is no birth date", "01/02/2030", nil},
		{"public IP", "from 203.0.113.7 at", []string{"ip-address:203.0.113.7"}},
		{"private IP is weak", "10.1.2.3", []string{"ip-address(weak):10.1.2.3"}},
		{"version string is no IP", "v1.2.3.4", nil},
		{"long version is no IP", "10.0.19045.2965", nil},
		{"IPv6 in prose", "login from 2001:db8:85a3::8a2e:370:7334 failed", []string{"ip-address:2001:db8:85a3::8a2e:370:7334"}},
		{"IPv6 link-local is weak", "fe80::1ff:fe23:4567:890a", []string{"ip-address(weak):fe80::1ff:fe23:4567:890a"}},
		{"IPv6 written in full", "from 2001:0db8:0000:0000:0000:ff00:0042:8329 at", []string{"ip-address:2001:0db8:0000:0000:0000:ff00:0042:8329"}},
		{"IPv6 with an IPv4 tail", "from 2001:db8:1:2:3:4:198.51.100.7 at", []string{"ip-address:2001:db8:1:2:3:4:198.51.100.7"}},
		{"time of day is no IPv6", "at 10:30:00 on", nil},
		{"timestamp is no IPv6", "2024-03-01 10:30:00.123", []string{"date-of-birth:2024-03-01"}},
		{"label colon is no IPv6", "Note: call back", nil},
		{"forename surname", "spoke to Jane Smith today", []string{"person-name:Jane Smith"}},
		{"title and surname", "Mrs Okafor called", []string{"person-name:Mrs Okafor"}},
		{"block name is no person", "Elm Court", nil},
		{"ambiguous forename alone is no person", "Christian Aid", nil},
		{"street address", "moved to 14a Station Road last week", []string{"street-address:14a Station Road"}},
		{"block address", "12 Elm Court", []string{"street-address:12 Elm Court"}},
		{"job number is not an identifier", "job 4821", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := found(s, tt.text, false)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Text(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestCellAcceptsWhatProseDoesNot(t *testing.T) {
	s := testScanner()
	tests := []struct {
		name, cell string
		want       []string
	}{
		{"lower-case postcode", "sw1a 1aa", []string{"uk-postcode:sw1a 1aa"}},
		{"upper-case surname alone", "SMITH", []string{"person-name:SMITH"}},
		{"lower-case full name", "jane smith", []string{"person-name:jane smith"}},
		{"two ordinary-word names", "Grace White", []string{"person-name:Grace White"}},
		{"one ordinary-word name", "White", nil},
		{"block name", "Elm Court", nil},
		{"church hall", "St Mary's Church hall", nil},
		{"event name of surname-like words", "Northmoor Summer Fun Day", nil},
		{"surname, forename", "Okafor, Grace", []string{"person-name:Okafor, Grace"}},
		{"title and surname", "Mrs Okafor", []string{"person-name:Mrs Okafor"}},
		{"lower-case title that is also a street abbreviation", "dr okafor", []string{"person-name:dr okafor"}},
		{"blank", "   ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := found(s, tt.cell, true)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Cell(%q) = %q, want %q", tt.cell, got, tt.want)
			}
		})
	}
}

func TestPhrasesMatchWholeWords(t *testing.T) {
	s := testScanner("schizophrenia", "cardiac arrest", "arrest", "alzheimer's disease", "trade union")
	tests := []struct {
		name, text string
		want       []string
	}{
		{"single word", "History of Schizophrenia.", []string{"phrase0:Schizophrenia"}},
		{"longest phrase wins at a word", "had a cardiac arrest", []string{"phrase1:cardiac arrest", "phrase2:arrest"}},
		{"apostrophe dropped", "early Alzheimer's disease noted", []string{"phrase3:Alzheimer's disease"}},
		{"phrase over punctuation", "Trade-Union rep", []string{"phrase4:Trade-Union"}},
		{"not inside a longer word", "arrested", nil},
		{"partial phrase is nothing", "cardiac unit", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := found(s, tt.text, false)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Text(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestFieldTokens(t *testing.T) {
	aliases := map[string][]string{"dob": {"date", "of", "birth"}, "nok": {"next", "of", "kin"}}
	tests := []struct {
		in   string
		want string
	}{
		{"dob", "date of birth"},
		{"d_o_b", "date of birth"},
		{"D.O.B.", "date of birth"},
		{"DateOfBirth", "date of birth"},
		{"NHSNumber", "nhs number"},
		{"ni_no", "ni no"},
		{"N.I. Number", "ni number"},
		{"sex1", "sex"},
		{"ethnic2_code", "ethnic code"},
		{"NOK Name", "next of kin name"},
		{"  Email Address ", "email address"},
		{"", ""},
	}
	for _, tt := range tests {
		got := strings.Join(FieldTokens(tt.in, aliases), " ")
		if got != tt.want {
			t.Errorf("FieldTokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMaskHidesValues(t *testing.T) {
	tests := []struct{ in, want string }{
		{"jane.doe@example.org", "j•••@•••.org"},
		{"943 476 5919", "••• ••• ••19"},
		{"Jane Smith", "J••• S•••"},
		{"Zebedee Quonk-Okafor", "Z••• Q•••-O•••"},
		{"AB 12 34 56 C", "A••• •• •• •• •"},
		{"1234", "••••"},
		{"12/03/1987", "••/••/••••"},
		{"1987-03-12", "••••-••-••"},
		{"J.Q.O.", "•.•.•."},
		{"Ze\u0301bede\u0301e", "Z•••"},
		{"हिन्दी नाम", "ह••• न•••"},
		{"met @ office. Quonk", "m••• @ o•••. Q•••"},
		{"07700 900123", "••••• ••••23"},
		{"¹²³ ½", "••• •"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	long := strings.Repeat("x", 100)
	if got := Mask(long); strings.Count(got, "x") > 1 {
		t.Errorf("Mask of a long word shows %d letters", strings.Count(got, "x"))
	}
}

func TestNormaliseValue(t *testing.T) {
	tests := []struct{ in, want string }{
		{"White - British", "white british"},
		{"  Alzheimer's ", "alzheimers"},
		{"Gypsy/Irish Traveller", "gypsy irish traveller"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormaliseValue(tt.in); got != tt.want {
			t.Errorf("NormaliseValue(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzText(f *testing.F) {
	for _, seed := range []string{"NHS 943 476 5919", "+44 (0)7700 900123", "a@b.co", "AB 12 34 56 C",
		"GB29 NWBK 6016 1331 9268 19", "01/02/1980", "12 Elm Court", "Mrs Okafor", "1.2.3.4.5", "+", "@", "0044",
		"5th July", "\xe2\x80\x99s", "\xc2\xa0x"} {
		f.Add(seed)
	}
	s := testScanner("cardiac arrest", "arrest", "schizophrenia")
	f.Fuzz(func(t *testing.T, text string) {
		for _, cell := range []bool{false, true} {
			fn := func(h Hit) {
				if h.Start < 0 || h.End > len(text) || h.Start >= h.End {
					t.Fatalf("hit %+v out of bounds for %d bytes", h, len(text))
				}
				if (h.Detector == "") == (h.Phrase < 0) {
					t.Fatalf("hit %+v must be a detector or a phrase", h)
				}
			}
			if cell {
				s.Cell(text, fn)
			} else {
				s.Text(text, fn)
			}
		}
	})
}

func FuzzFieldTokens(f *testing.F) {
	for _, seed := range []string{"DateOfBirth", "d_o_b", "NHSNumber", "", "ÉthnicGroup", "a1b2"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		toks := FieldTokens(name, nil)
		for _, tok := range toks {
			if tok == "" || strings.ToLower(tok) != tok {
				t.Fatalf("FieldTokens(%q) gave token %q", name, tok)
			}
		}
		again := FieldTokens(strings.Join(toks, " "), nil)
		if strings.Join(again, " ") != strings.Join(toks, " ") {
			t.Fatalf("tokens of %q are not stable: %q then %q", name, toks, again)
		}
	})
}

func FuzzNormaliseValue(f *testing.F) {
	for _, s := range []string{"White - British", "  Alzheimer's ", "Gypsy/Irish Traveller", "", "a  b", "ÉTHNIC", "x'", "'", " a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormaliseValue(s)
		if again := NormaliseValue(n); again != n {
			t.Fatalf("NormaliseValue(%q) = %q, normalised again %q", s, n, again)
		}
		prefix := []byte("x ")
		if got := AppendNormalised(prefix, s); string(got) != "x "+n {
			t.Fatalf("AppendNormalised(%q, %q) = %q, want %q", prefix, s, got, "x "+n)
		}
		fast, ok := appendASCII(prefix, s)
		if !ok {
			if string(fast) != "x " {
				t.Fatalf("appendASCII(%q, %q) gave up but left %q", prefix, s, fast)
			}
			return
		}
		// The general path, forced, on the same input.
		if slow := appendRunes([]byte("x "), s); string(fast) != string(slow) {
			t.Fatalf("appendASCII(%q) = %q, appendRunes gives %q", s, fast, slow)
		}
	})
}

func FuzzMask(f *testing.F) {
	for _, s := range []string{"jane.doe@example.org", "943 476 5919", "Jane Smith", "AB 12 34 56 C", "12/03/1987",
		"Ze\u0301bede\u0301e", "हिन्दी नाम", "met @ office. Quonk", "07700 900123", "¹²³ ½", "", "@", "a@b.cd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := Mask(s)
		if n := utf8.RuneCountInString(m); n > maxMaskRunes+1 {
			t.Fatalf("Mask(%q) = %q: %d runes", s, m, n)
		}
		if strings.Contains(m, "•••@•••.") {
			return // an address: its first character and top-level domain show
		}
		shown, prevLetter := 0, false
		for _, r := range m {
			if unicode.IsNumber(r) {
				shown++
			}
			letter := unicode.IsLetter(r)
			if letter && prevLetter {
				t.Fatalf("Mask(%q) = %q shows two letters together", s, m)
			}
			prevLetter = letter
		}
		if shown > 2 {
			t.Fatalf("Mask(%q) = %q shows %d digits", s, m, shown)
		}
	})
}

func TestMonthReadsNamesAndAbbreviationsInAnyCase(t *testing.T) {
	tests := []struct {
		in   string
		want time.Month
		ok   bool
	}{
		{"July", time.July, true},
		{"JUL", time.July, true},
		{"sept", time.September, true},
		{"Sep", time.September, true},
		{"may", time.May, true},
		{"julyy", 0, false},
		{"ju", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		if got, ok := Month(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("Month(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestPlausibleBirthIsAPastDayWithinALifetime(t *testing.T) {
	s := New(Options{Now: time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)})
	cases := []struct {
		y, m, d int
		want    bool
	}{
		{2026, 11, 30, true},  // born today
		{2026, 12, 1, false},  // tomorrow
		{2027, 1, 1, false},   // next year
		{1906, 1, 1, true},    // 120 this year
		{1905, 12, 31, false}, // over 120
		{2024, 2, 29, true},   // a leap day
		{2023, 2, 29, false},  // not a leap year
		{1900, 2, 29, false},  // a century is not a leap year
		{2000, 2, 29, true},   // unless it divides by 400
		{2019, 4, 31, false},  // no 31 April
		{2019, 13, 1, false},
		{2019, 0, 1, false},
		{2019, 1, 0, false},
		{80, 5, 17, true},  // two-digit year: 1980
		{26, 11, 30, true}, // 2026, today
		{26, 12, 1, false}, // 2026, tomorrow (not 1926: the most recent century not in the future is 2026's)
	}
	for _, c := range cases {
		if got := s.plausibleBirth(c.y, c.m, c.d); got != c.want {
			t.Errorf("plausibleBirth(%d, %d, %d) = %v, want %v", c.y, c.m, c.d, got, c.want)
		}
	}
}

func TestTrimIsTrimSpace(t *testing.T) {
	cases := []string{"", " ", "a", " a", "a ", "\ta\n", "Open", "\u00a0Open", "Open\u00a0", "\u2003x\u2003", "\u0085x",
		"x\u0085", "é", " é ", "\x7f", "a\x00", "\x00a", "Jane Okafor", "07700 900123\r\n", "\xff", "x\xc2"}
	for b := 0; b < 256; b++ {
		cases = append(cases, string([]byte{byte(b)}), "a"+string([]byte{byte(b)}), string([]byte{byte(b)})+"a")
	}
	for _, c := range cases {
		if got, want := Trim(c), strings.TrimSpace(c); got != want {
			t.Errorf("Trim(%q) = %q, want %q", c, got, want)
		}
	}
}
