package sheet

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// fmtKind is how a number format shows a number, as far as this package needs to know.
type fmtKind int

const (
	plainNumber fmtKind = iota
	dateOnly            // 2024-03-01
	dateTime            // 2024-03-01T14:30:00
	timeOnly            // 14:30:00
	elapsed             // 36:00:00, for [h]-style duration formats
	lossy               // scientific ("0.00E+00") or hidden (";;;"): shows fewer digits than the cell holds
)

// isoFormats are the number formats date styles are rewritten to, so excelize renders ISO 8601 itself.
// Lossy formats are rewritten to General (id 0), which shows every digit up to Excel's 15.
var isoFormats = map[fmtKind]string{
	dateOnly: "yyyy-mm-dd",
	dateTime: `yyyy-mm-dd"T"hh:mm:ss`,
	timeOnly: "hh:mm:ss",
	elapsed:  "[h]:mm:ss",
}

// rewriteStyles rewrites, in the opened workbook's style table, the number format of every cell style that
// shows a date or time to the matching ISO 8601 format, and of every lossy style to General. excelize's row
// stream does not expose a cell's style, so this is the one place a cell's format can act: the formatted
// stream then yields ISO dates whatever locale pattern the author picked ("dd/mm/yyyy", built-in 14
// "mm-dd-yy", ...), and account numbers styled "0.00E+00" whole. The file on disk is never written.
func rewriteStyles(f *excelize.File) {
	s := f.Styles
	if s == nil || s.CellXfs == nil {
		return
	}
	n := len(s.CellXfs.Xf)
	kinds := make([]fmtKind, n)
	needed := map[fmtKind]bool{}
	for i := 0; i < n; i++ {
		id := s.CellXfs.Xf[i].NumFmtID
		if id == nil {
			continue
		}
		kinds[i] = formatKind(*id, customFormat(f, *id))
		if kinds[i] != plainNumber {
			needed[kinds[i]] = true
		}
	}
	ids := map[fmtKind]int{lossy: 0}
	for k := range needed {
		if k == lossy {
			continue
		}
		code := isoFormats[k]
		style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		if err != nil || style < 0 || style >= len(s.CellXfs.Xf) || s.CellXfs.Xf[style].NumFmtID == nil {
			continue // dates in this style stay as excelize formats them
		}
		ids[k] = *s.CellXfs.Xf[style].NumFmtID
	}
	for i := 0; i < n; i++ {
		if id, ok := ids[kinds[i]]; ok && kinds[i] != plainNumber {
			s.CellXfs.Xf[i].NumFmtID = &id
		}
	}
}

// customFormat returns the workbook's own format code for id, or "" when id is not defined in the workbook.
// A workbook may redefine a built-in id; its own code wins, as in excelize.
func customFormat(f *excelize.File, id int) string {
	if f.Styles.NumFmts == nil {
		return ""
	}
	for _, nf := range f.Styles.NumFmts.NumFmt {
		if nf != nil && nf.NumFmtID == id {
			if nf.FormatCode16 != "" {
				return nf.FormatCode16
			}
			if nf.FormatCode == "" {
				return "General"
			}
			return nf.FormatCode
		}
	}
	return ""
}

// formatKind classifies a number format: by its code when the workbook defines one, otherwise by the
// built-in id (14-17 dates, 22 date-time, 18-21 and 45-47 times, 11 and 48 scientific; 27-36 and 50-58 are the
// East Asian date and time ids).
func formatKind(id int, code string) fmtKind {
	if code != "" {
		return codeKind(code)
	}
	switch {
	case id >= 14 && id <= 17, id >= 27 && id <= 31, id == 36, id >= 50 && id <= 58:
		return dateOnly
	case id == 22:
		return dateTime
	case id >= 18 && id <= 21, id >= 32 && id <= 35, id == 45, id == 47:
		return timeOnly
	case id == 46:
		return elapsed
	case id == 11 || id == 48:
		return lossy
	}
	return plainNumber
}

// codeKind classifies a format code by its d, m, y, h, s and E+ tokens outside quoted text, escapes, fill and
// padding characters and [brackets] (colours, locales, conditions), looking at the first section only, which
// is the one positive numbers use. "m" is a month unless the section has hours or seconds, where it is
// minutes. An empty first section hides positive numbers altogether.
func codeKind(code string) fmtKind {
	var d, y, m, h, s, el, sci bool
	if first, _, ok := strings.Cut(code, ";"); ok && strings.TrimSpace(first) == "" {
		return lossy
	}
	for i := 0; i < len(code); {
		c := code[i]
		switch {
		case c == ';':
			i = len(code)
			continue
		case (c == 'E' || c == 'e') && i+1 < len(code) && (code[i+1] == '+' || code[i+1] == '-'):
			sci = true
			i += 2
			continue
		case c == '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 2
			} else {
				i = len(code)
			}
			continue
		case c == '\\' || c == '_' || c == '*':
			i++
			if i < len(code) {
				_, size := utf8.DecodeRuneInString(code[i:])
				i += size
			}
			continue
		case c == '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				i = len(code)
				continue
			}
			inner := strings.ToLower(code[i+1 : i+j])
			if inner != "" && strings.Trim(inner, "hms") == "" && strings.Count(inner, inner[:1]) == len(inner) {
				el = true
				switch inner[0] {
				case 'h':
					h = true
				case 's':
					s = true
				case 'm':
					m = true
				}
			}
			i += j + 1
			continue
		}
		lower := strings.ToLower(code[i:])
		if strings.HasPrefix(lower, "am/pm") {
			i += 5
			continue
		}
		if strings.HasPrefix(lower, "a/p") {
			i += 3
			continue
		}
		switch unicode.ToLower(rune(c)) {
		case 'd':
			d = true
		case 'y':
			y = true
		case 'm':
			m = true
		case 'h':
			h = true
		case 's':
			s = true
		}
		i++
	}
	date := d || y || (m && !h && !s && !el)
	clock := h || s || (m && !date)
	switch {
	case sci && !date && !clock:
		return lossy
	case el && !date:
		return elapsed
	case date && clock:
		return dateTime
	case date:
		return dateOnly
	case clock:
		return timeOnly
	}
	return plainNumber
}
