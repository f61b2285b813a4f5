package detectors

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const maskRune = '•'

// Mask returns a form of s that shows its shape and little else, for reports: "jane.doe@example.org" becomes
// "j•••@•••.org", "943 476 5919" becomes "••• ••• ••19", "Jane Smith" becomes "J••• S••••". Separators are
// kept, the first letter of each word is kept, and the last two digits of a value with eight or more digits
// are kept; everything else is masked. Masks are cut at 32 runes.
func Mask(s string) string {
	s = strings.TrimSpace(s)
	if at := strings.LastIndexByte(s, '@'); at > 0 {
		local := s[:at]
		r, _ := utf8.DecodeRuneInString(local)
		out := string(r) + "•••@•••"
		if dot := strings.LastIndexByte(s[at:], '.'); dot >= 0 {
			tld := s[at+dot:]
			if utf8.RuneCountInString(tld) <= 8 {
				out += tld
			}
		}
		return out
	}
	digits := 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			digits++
		}
	}
	var b strings.Builder
	seenDigits, count := 0, 0
	wordStart := true
	for _, r := range s {
		if count >= 32 {
			b.WriteRune('…')
			break
		}
		count++
		switch {
		case unicode.IsDigit(r):
			seenDigits++
			if digits >= 8 && seenDigits > digits-2 {
				b.WriteRune(r)
			} else {
				b.WriteRune(maskRune)
			}
			wordStart = false
		case unicode.IsLetter(r):
			if wordStart {
				b.WriteRune(r)
			} else {
				b.WriteRune(maskRune)
			}
			wordStart = false
		default:
			b.WriteRune(r)
			wordStart = true
		}
	}
	return b.String()
}
