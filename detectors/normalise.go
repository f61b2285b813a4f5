// Package detectors finds evidence of personal data in plain strings: field-name tokens, identifier candidates
// validated by checksum or structure, and lexicon phrases. It knows nothing of rules, sources or reports.
package detectors

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// FieldTokens splits a field name into lower-case word tokens: camelCase and PascalCase are split, any
// non-alphanumeric rune separates, digits are split off and dropped (sex1 -> sex, ethnic2 -> ethnic: numbered
// household columns are the same field), runs of single letters are joined (d_o_b -> dob), and single tokens
// found in aliases are replaced by the alias's tokens (dob -> date of birth).
func FieldTokens(name string, aliases map[string][]string) []string {
	var raw []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			raw = append(raw, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case unicode.IsDigit(r):
			flush()
		case unicode.IsLetter(r):
			if len(cur) > 0 && unicode.IsUpper(r) {
				prev := cur[len(cur)-1]
				nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
				// fooBar -> foo|Bar; NHSNumber -> NHS|Number; but keep NHS together.
				if unicode.IsLower(prev) || (unicode.IsUpper(prev) && nextLower) {
					flush()
				}
			}
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()

	// Join runs of single letters: d_o_b -> dob, n_i -> ni.
	var joined []string
	for i := 0; i < len(raw); {
		if utf8.RuneCountInString(raw[i]) == 1 {
			j := i
			var b strings.Builder
			for j < len(raw) && utf8.RuneCountInString(raw[j]) == 1 {
				b.WriteString(raw[j])
				j++
			}
			joined = append(joined, b.String())
			i = j
			continue
		}
		joined = append(joined, raw[i])
		i++
	}

	if len(aliases) == 0 {
		return joined
	}
	out := make([]string, 0, len(joined))
	for i := 0; i < len(joined); i++ {
		// Two tokens that are one word split by camel case or a separator: PCode, Post_Code, E-Mail.
		if i+1 < len(joined) {
			if exp, ok := aliases[joined[i]+joined[i+1]]; ok {
				out = append(out, exp...)
				i++
				continue
			}
		}
		if exp, ok := aliases[joined[i]]; ok {
			out = append(out, exp...)
			continue
		}
		out = append(out, joined[i])
	}
	return out
}

// ContainsPhrase reports whether phrase occurs as a contiguous run of tokens.
func ContainsPhrase(tokens, phrase []string) bool {
	if len(phrase) == 0 || len(phrase) > len(tokens) {
		return false
	}
outer:
	for i := 0; i+len(phrase) <= len(tokens); i++ {
		for j, p := range phrase {
			if tokens[i+j] != p {
				continue outer
			}
		}
		return true
	}
	return false
}

// NormaliseValue lower-cases s, turns every rune that is not a letter or digit into a space and collapses
// spaces, so "White - British" and "white british" compare equal. Apostrophes are dropped so "Alzheimer's"
// becomes "alzheimers".
func NormaliseValue(s string) string {
	var buf [128]byte
	out, ok := appendASCII(buf[:0], s)
	if !ok {
		return string(appendRunes(buf[:0], s))
	}
	if string(out) == s {
		return s // already normal: no allocation
	}
	return string(out)
}

// AppendNormalised appends NormaliseValue(s) to dst. With a buffer on the caller's stack, a map lookup of
// string(AppendNormalised(buf[:0], s)) allocates nothing: this runs on every cell.
func AppendNormalised(dst []byte, s string) []byte {
	if out, ok := appendASCII(dst, s); ok {
		return out
	}
	return appendRunes(dst, s)
}

// appendRunes is the general path, for input with non-ASCII runes.
func appendRunes(dst []byte, s string) []byte {
	base, space := len(dst), false
	for _, r := range s {
		switch {
		case r == '\'' || r == '’':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && len(dst) > base {
				dst = append(dst, ' ')
			}
			space = false
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		default:
			space = true
		}
	}
	return dst
}

// appendASCII is the common case, ASCII input, in one pass; it reports false, with dst unchanged, at the
// first byte that is not ASCII.
func appendASCII(dst []byte, s string) ([]byte, bool) {
	base, space := len(dst), false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return dst[:base], false
		case c == '\'':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
			fallthrough
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			if space && len(dst) > base {
				dst = append(dst, ' ')
			}
			space = false
			dst = append(dst, c)
		default:
			space = true
		}
	}
	return dst, true
}
