package sniff

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// looksText accepts UTF-8 (with or without BOM), UTF-16 (with a BOM, or Latin text without one, recognised by
// its NUL high bytes) and Windows-1252. Anything else with NULs is binary, as is anything where more than one
// byte in a hundred is a control character: real exports carry the odd stray form feed or DOS end-of-file mark,
// binary formats carry many.
func looksText(head []byte, atEOF bool) bool {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return true
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return len(head)%2 == 0 || !atEOF
	}
	if _, ok := UTF16ByNULs(head); ok {
		return true
	}
	if len(head) > 4096 {
		head = head[:4096]
	}
	utf := validUTF8(head)
	bad := 0
	for _, c := range head {
		switch {
		case c == 0:
			return false
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1A && c != 0x1B:
			bad++
		case c == 0x7F:
			bad++
		case !utf && (c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D):
			// Unassigned in Windows-1252: text in that encoding never holds them.
			bad++
		}
	}
	return bad*100 <= len(head)
}

// validUTF8 forgives a rune cut off by the end of the head.
func validUTF8(b []byte) bool {
	for i := 1; i <= 3 && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				b = b[:len(b)-i]
			}
			break
		}
	}
	return utf8.Valid(b)
}

// UTF16ByNULs recognises UTF-16 without a BOM from the NUL high bytes of Latin characters: at every odd offset
// in little-endian, every even one in big-endian. Text in other scripts has no such pattern and, without a
// BOM, is not recognised; Excel and Notepad always write the BOM. sheet.Decode uses it too, so that what is
// sniffed as text decodes as text.
func UTF16ByNULs(head []byte) (littleEndian, ok bool) {
	if len(head) > 4096 {
		head = head[:4096]
	}
	pairs := len(head) / 2
	if pairs < 2 {
		return false, false
	}
	even, odd := 0, 0
	for i := 0; i+1 < len(head); i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	switch {
	case odd*4 >= pairs && even*8 <= odd:
		return true, true
	case even*4 >= pairs && odd*8 <= even:
		return false, true
	}
	return false, false
}

// decodeHead turns UTF-16 into UTF-8 for the delimiter count; other encodings agree with ASCII on delimiters
// and quotes, so they are used as they are.
func decodeHead(head []byte) []byte {
	le, is16 := false, false
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return head[3:]
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		head, le, is16 = head[2:], true, true
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		head, le, is16 = head[2:], false, true
	default:
		le, is16 = UTF16ByNULs(head)
	}
	if !is16 {
		return head
	}
	u := make([]uint16, len(head)/2)
	for i := range u {
		if le {
			u[i] = uint16(head[2*i]) | uint16(head[2*i+1])<<8
		} else {
			u[i] = uint16(head[2*i])<<8 | uint16(head[2*i+1])
		}
	}
	return []byte(string(utf16.Decode(u)))
}

// maxDelimLines is how many lines must agree on a delimiter count.
const maxDelimLines = 20

// consistentDelimiter reports the delimiter every complete line of the head has the same non-zero number of
// (outside double quotes), over at least two lines. A trailing line cut off by the end of the head is ignored.
func consistentDelimiter(text []byte, atEOF bool) (byte, bool) {
	delims := []byte{',', '\t', ';', '|'}
	var lines [][4]int
	var cur [4]int
	inQuote, blank := false, true
	for i := 0; i < len(text) && len(lines) < maxDelimLines; i++ {
		c := text[i]
		switch {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '\n':
			// Blank lines (a trailing one, a gap between records) take no part in the vote.
			if !blank {
				lines = append(lines, cur)
			}
			cur, blank = [4]int{}, true
			continue
		case c == '\r' || c == ' ':
			continue
		default:
			for j, d := range delims {
				if c == d {
					cur[j]++
				}
			}
		}
		blank = false
	}
	if atEOF && !blank && !inQuote && len(lines) < maxDelimLines {
		lines = append(lines, cur)
	}
	if len(lines) < 2 {
		return 0, false
	}
	for j, d := range delims {
		n := lines[0][j]
		if n == 0 {
			continue
		}
		same := true
		for _, l := range lines[1:] {
			if l[j] != n {
				same = false
				break
			}
		}
		if same {
			return d, true
		}
	}
	return 0, false
}
