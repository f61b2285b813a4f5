package detectors

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const maskRune = '•'

// maxMaskRunes caps a mask: an example shows a value's shape, not its length.
const maxMaskRunes = 32

// Mask returns a form of s that shows its shape and little else, for reports: "jane.doe@example.org" becomes
// "j•••@•••.org", "943 476 5919" becomes "••• ••• ••19", "Jane Smith" becomes "J••• S•••".
//
// What stays visible: separators and punctuation; the first letter of each word of two or more letters, the
// rest of the word always three bullets whatever its length (so a mask does not give a name's length away);
// the last two digits of a value with ten or more digits (an NHS number, a phone or card number: enough to
// tell two examples apart, not to find anyone); an e-mail address's top-level domain. Dates, shorter numbers,
// single letters (initials) and combining marks are masked entirely. Masks are cut at 32 runes.
func Mask(s string) string {
	s = strings.TrimSpace(s)
	if m, ok := maskEmail(s); ok {
		return m
	}
	digits := 0
	for _, r := range s {
		if unicode.IsNumber(r) {
			digits++
		}
	}
	showLast := 0
	if digits >= 10 {
		showLast = 2
	}
	var b strings.Builder
	n, seenDigits := 0, 0
	emit := func(r rune) bool {
		if n >= maxMaskRunes {
			return false
		}
		b.WriteRune(r)
		n++
		return true
	}
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsNumber(r): // not only 0-9: superscripts, fractions and other scripts' digits too
			seenDigits++
			if seenDigits > digits-showLast {
				if !emit(r) {
					return b.String() + "…"
				}
			} else if !emit(maskRune) {
				return b.String() + "…"
			}
			i++
		case isWordRune(r):
			j := i
			for j < len(rs) && isWordRune(rs[j]) {
				j++
			}
			word := []rune{maskRune}
			if letters(rs[i:j]) >= 2 {
				word = []rune{rs[i], maskRune, maskRune, maskRune}
			}
			for _, w := range word {
				if !emit(w) {
					return b.String() + "…"
				}
			}
			i = j
		default:
			if !emit(r) {
				return b.String() + "…"
			}
			i++
		}
	}
	return b.String()
}

// isWordRune: letters and the combining marks that belong to them (Indic vowel signs, decomposed accents).
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsMark(r) }

func letters(rs []rune) int {
	n := 0
	for _, r := range rs {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// maskEmail masks local@domain.tld as l•••@•••.tld, when s is shaped like an address.
func maskEmail(s string) (string, bool) {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || strings.ContainsAny(s, " \t\n") {
		return "", false
	}
	domain := s[at+1:]
	dot := strings.LastIndexByte(domain, '.')
	if dot <= 0 {
		return "", false
	}
	tld := domain[dot+1:]
	if len(tld) < 2 || len(tld) > 6 {
		return "", false
	}
	for i := 0; i < len(tld); i++ {
		if c := tld[i] | 0x20; c < 'a' || c > 'z' {
			return "", false
		}
	}
	first, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsLetter(first) && !unicode.IsDigit(first) {
		first = maskRune
	}
	return string(first) + "•••@•••." + tld, true
}
