package detectors

import "strings"

// Unquote replaces the inside of every quoted span ('...', "...", `...`) of a message with an ellipsis: the
// messages of database servers and parsers quote the offending value (a duplicate key, a field they could not
// convert, the text they could not parse), and a message must never carry a value out of the tool.
func Unquote(msg string) string {
	var b strings.Builder
	var open rune
	for _, r := range msg {
		switch {
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
