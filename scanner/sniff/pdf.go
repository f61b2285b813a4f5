package sniff

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
)

// PDF scanning windows. dictBack bounds how far before a "stream" keyword its dictionary is looked for.
const (
	pdfChunk    = 1 << 20
	pdfDictBack = 2048
	pdfReadPart = 64 << 10
)

// PDFHasText reports whether a PDF has extractable text: a font resource and a text-showing operator (Tj or TJ)
// in a content stream. Scanned documents whose pages are only image XObjects report false and need OCR.
//
// Content and object streams are read raw or through FlateDecode; streams behind other filters (images, JPEG,
// CCITT, JBIG2) are not decoded. max bounds the bytes decoded from streams in total, and the file itself is
// read no further than 16×max. When either bound stops the search after a font has been seen, the answer is
// true: a PDF with fonts nearly always shows text with them. The error is for input that cannot be read or is
// not a PDF at all.
func PDFHasText(ra io.ReaderAt, size int64, max int64) (bool, error) {
	head, err := readAt(ra, 0, min(size, 1024))
	if err != nil {
		return false, fmt.Errorf("sniff: read PDF header: %w", err)
	}
	if !isPDF(head) {
		return false, errors.New("sniff: not a PDF")
	}
	p := &pdfScan{ra: ra, size: size, budget: max}
	end := size
	if max > 0 && max < size/16 {
		end = 16 * max
	}
	for off := int64(0); off < end; off += pdfChunk {
		start := off - min(off, pdfDictBack)
		stop := min(off+pdfChunk+16, size)
		w, err := readAt(ra, start, stop-start)
		if err != nil {
			return false, fmt.Errorf("sniff: read PDF: %w", err)
		}
		if bytes.Contains(w, []byte("/Font")) {
			p.font = true
		}
		if err := p.streams(w, start, off); err != nil {
			return false, err
		}
		if p.font && p.textOp {
			return true, nil
		}
		if p.budget <= 0 {
			return p.font, nil
		}
	}
	if end < size {
		return p.font, nil
	}
	return p.font && p.textOp, nil
}

type pdfScan struct {
	ra     io.ReaderAt
	size   int64
	budget int64
	font   bool
	textOp bool
}

// streams handles each "stream" keyword in w (read from start) that begins at or after off, so windows that
// overlap do not handle a stream twice.
func (p *pdfScan) streams(w []byte, start, off int64) error {
	kw := []byte("stream")
	for i := int(off - start); i < len(w); {
		j := bytes.Index(w[i:], kw)
		if j < 0 {
			return nil
		}
		k := i + j
		i = k + len(kw)
		if start+int64(k) >= off+pdfChunk {
			return nil
		}
		if k >= 3 && string(w[k-3:k]) == "end" {
			continue
		}
		// The keyword is followed by an end of line before the data.
		d := k + len(kw)
		if d < len(w) && w[d] == '\r' {
			d++
		}
		if d < len(w) && w[d] == '\n' {
			d++
		}
		if d == k+len(kw) {
			continue
		}
		dict := w[max(0, k-pdfDictBack):k]
		if o := bytes.LastIndex(dict, []byte("obj")); o >= 0 {
			dict = dict[o:]
		}
		if err := p.stream(compact(dict), start+int64(d)); err != nil {
			return err
		}
		if (p.font && p.textOp) || p.budget <= 0 {
			return nil
		}
	}
	return nil
}

// compact drops PDF white space so that "/Subtype /Image" and "/Subtype/Image" compare alike.
func compact(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n', '\f', 0:
		default:
			out = append(out, c)
		}
	}
	return out
}

func (p *pdfScan) stream(dict []byte, at int64) error {
	has := func(s string) bool { return bytes.Contains(dict, []byte(s)) }
	switch {
	case has("/Subtype/Image"), has("/Type/XRef"), has("/Type/Metadata"):
		return nil
	case has("/Length1"), has("/Length2"), has("/Subtype/Type1C"), has("/Subtype/CIDFontType0C"), has("/Subtype/OpenType"):
		p.font = true // an embedded font program
		return nil
	}
	for _, f := range []string{"/DCTDecode", "/JPXDecode", "/CCITTFaxDecode", "/JBIG2Decode", "/LZWDecode",
		"/RunLengthDecode", "/ASCII85Decode", "/ASCIIHexDecode", "/Crypt"} {
		if has(f) {
			return nil
		}
	}
	data := func() io.Reader { return markReader{io.NewSectionReader(p.ra, at, p.size-at)} }
	switch {
	case has("/FlateDecode"):
		zr, err := zlib.NewReader(bufio.NewReader(data()))
		var re readErr
		switch {
		case errors.As(err, &re):
			return fmt.Errorf("sniff: read PDF stream: %w", re.err)
		case err != nil:
			// Some producers write raw deflate without the zlib header.
			return p.scan(flate.NewReader(data()), false)
		}
		return p.scan(zr, false)
	case !has("/Filter"):
		return p.scan(data(), true)
	}
	return nil
}

// markReader marks failures of the underlying ReaderAt so they can be told from bad compressed data.
type markReader struct{ r io.Reader }

func (m markReader) Read(b []byte) (int, error) {
	n, err := m.r.Read(b)
	if err != nil && !errors.Is(err, io.EOF) {
		err = readErr{err}
	}
	return n, err
}

// scan reads decoded stream data looking for text operators and, in object streams, font dictionaries. Raw
// data ends at "endstream". Decoding errors end the stream quietly: a damaged stream is not unreadable input.
func (p *pdfScan) scan(r io.Reader, raw bool) error {
	buf := make([]byte, pdfReadPart+8)
	carry := 0
	for p.budget > 0 {
		n, err := r.Read(buf[carry:min(len(buf), carry+int(min(p.budget, pdfReadPart)))])
		p.budget -= int64(n)
		b := buf[:carry+n]
		if raw {
			if i := bytes.Index(b, []byte("endstream")); i >= 0 {
				b, err = b[:i], io.EOF
			}
		}
		if hasTextOp(b, err != nil) {
			p.textOp = true
		}
		if bytes.Contains(b, []byte("/Font")) {
			p.font = true
		}
		if p.textOp && p.font {
			return nil
		}
		if err != nil {
			var re readErr
			if errors.As(err, &re) {
				return fmt.Errorf("sniff: read PDF stream: %w", re.err)
			}
			return nil
		}
		// Keep a few bytes so a token split across reads is still seen.
		carry = min(len(b), 8)
		copy(buf, b[len(b)-carry:])
	}
	return nil
}

// readErr marks a failure of the underlying ReaderAt, as opposed to bad compressed data.
type readErr struct{ err error }

func (e readErr) Error() string { return e.err.Error() }

// hasTextOp finds Tj or TJ as a whole token. A token at the very end of b counts only when b is final, since
// the next read might extend it.
func hasTextOp(b []byte, final bool) bool {
	for i := 0; i+1 < len(b); i++ {
		if b[i] != 'T' || (b[i+1] != 'j' && b[i+1] != 'J') {
			continue
		}
		before := i == 0 || isOpDelim(b[i-1])
		after := (i+2 == len(b) && final) || (i+2 < len(b) && isOpDelim(b[i+2]))
		if before && after {
			return true
		}
	}
	return false
}

func isOpDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\f', 0, ')', ']', '>', '(', '[', '<', '/', '%':
		return true
	}
	return false
}
