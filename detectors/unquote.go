package detectors

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Unquote replaces the inside of every quoted span ('...', "...", `...`) of a message with an ellipsis: the
// messages of database servers and parsers quote the offending value (a duplicate key, a field they could not
// convert, the text they could not parse), and a message must never carry a value out of the tool.
//
// An apostrophe between two letters ("Can't", "O'Brien") is neither the start nor the end of a span: taken for
// a quote mark, it would end the span inside a surname and print the rest of it, or start one at "Can't" and
// print the value the message goes on to quote.
func Unquote(msg string) string {
	var b strings.Builder
	var open, prev rune
	for i, r := range msg {
		apostrophe := false
		if r == '\'' && unicode.IsLetter(prev) {
			next, _ := utf8.DecodeRuneInString(msg[i+1:])
			apostrophe = unicode.IsLetter(next)
		}
		prev = r
		switch {
		case apostrophe:
			if open == 0 {
				b.WriteRune(r)
			}
		case open != 0:
			if r == open {
				b.WriteString("…")
				b.WriteRune(r)
				open = 0
			}
		case r == '\'' || r == '"' || r == '`':
			open = r
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	if open != 0 {
		b.WriteString("…")
	}
	return b.String()
}
