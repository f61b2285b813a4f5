package reports

import (
	"bytes"
	"io"
)

// indentUnit is the one indent every JSON output uses.
const indentUnit = "  "

// spaces is copied from in slices so that a newline's indent costs one append, not one per level.
const spaces = "                                                                "

// structural reports whether c changes the layout outside a string literal. Everything else (digits, the
// letters of true, false and null, the encoder's trailing newline) is copied in runs.
func structural(c byte) bool {
	switch c {
	case '"', '{', '[', '}', ']', ',', ':':
		return true
	}
	return false
}

// appendIndent appends src, compact JSON as encoding/json writes it, indented exactly as json.Indent(dst,
// src, "", "  ") would: one value per line, ": " after a key, {} and [] for empty objects and arrays, and any
// bytes after the top-level value (the encoder's newline) copied as they are.
//
// It trusts src to be valid and compact: it tracks only string literals and punctuation, not the grammar.
// That is what makes it several times faster than json.Indent, which runs the validating scanner (a function
// call per byte) over output the encoder has just produced. Given invalid input it does not panic, but its
// output is unspecified.
func appendIndent(dst, src []byte) []byte {
	dst, _ = indent(dst, src, nil)
	return dst
}

// indentChunk is about how much laid-out JSON writeJSON holds before passing it on.
const indentChunk = 64 << 10

// indentWriter is the writer writeJSON gives the encoder. A json.Encoder marshals a value whole and then makes
// one Write of it, so each Write here is one complete compact document (were that ever not so, the oracle test
// would fail on its large inventory). It is laid out and passed to w about indentChunk bytes at a time, so the
// indented copy of a large inventory is never held whole.
type indentWriter struct {
	w io.Writer
}

func (x indentWriter) Write(p []byte) (int, error) {
	dst, err := indent(make([]byte, 0, min(len(p)*7/4, indentChunk+indentChunk/4)), p, x.w)
	if err == nil && len(dst) > 0 {
		_, err = x.w.Write(dst)
	}
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// indent is appendIndent, except that when w is not nil it writes dst to w and starts it again each time dst
// reaches indentChunk bytes at a comma. It returns what it has not written.
func indent(dst, src []byte, w io.Writer) ([]byte, error) {
	depth := 0
	// open is set after { or [: the newline that follows waits for the next byte, which may close the
	// object or array at once (written {} or []).
	open := false
	for i := 0; i < len(src); {
		c := src[i]
		if open {
			open = false
			if c == '}' || c == ']' {
				dst = append(dst, c)
				depth--
				i++
				continue
			}
			dst = appendNewline(dst, depth)
		}
		switch c {
		case '"':
			j := stringEnd(src, i+1)
			dst = append(dst, src[i:j]...)
			i = j
		case '{', '[':
			dst = append(dst, c)
			depth++
			open = true
			i++
		case '}', ']':
			depth--
			dst = appendNewline(dst, depth)
			dst = append(dst, c)
			i++
		case ',':
			dst = append(dst, ',')
			if w != nil && len(dst) >= indentChunk {
				if _, err := w.Write(dst); err != nil {
					return dst, err
				}
				dst = dst[:0]
			}
			dst = appendNewline(dst, depth)
			i++
		case ':':
			dst = append(dst, ':', ' ')
			i++
		default:
			j := i + 1
			for j < len(src) && !structural(src[j]) {
				j++
			}
			dst = append(dst, src[i:j]...)
			i = j
		}
	}
	return dst, nil
}

// stringEnd returns the index just past the quote that closes the string literal whose contents start at
// from, or len(src) if it is not closed.
func stringEnd(src []byte, from int) int {
	// Most strings are short keys and enum values, where a plain loop beats the call into IndexByte.
	i := from
	for end := min(from+16, len(src)); i < end; i++ {
		switch src[i] {
		case '"':
			return i + 1
		case '\\':
			i++ // the escaped byte, which may be a quote
		}
	}
	// Here i is not inside an escape. A quote is escaped when an odd run of backslashes precedes it; the run
	// cannot begin inside an earlier escape, as every escape ends in a byte other than a backslash.
	for from = i; i < len(src); {
		q := bytes.IndexByte(src[i:], '"')
		if q < 0 {
			break
		}
		q += i
		k := q
		for k > from && src[k-1] == '\\' {
			k--
		}
		if (q-k)%2 == 0 {
			return q + 1
		}
		i = q + 1
	}
	return len(src)
}

// appendNewline starts a new line indented to depth (none when depth is negative, as only broken input
// closes more than it opened).
func appendNewline(dst []byte, depth int) []byte {
	dst = append(dst, '\n')
	for n := depth * len(indentUnit); n > 0; {
		m := min(n, len(spaces))
		dst = append(dst, spaces[:m]...)
		n -= m
	}
	return dst
}
