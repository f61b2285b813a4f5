package sheet

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/datamap-uk/datamap/scanner/sniff"
)

// Encoding names reported in Table.Encoding and by Decode.
const (
	encUTF8    = "utf-8"
	encUTF8BOM = "utf-8-bom"
	encUTF16LE = "utf-16le"
	encUTF16BE = "utf-16be"
	enc1252    = "windows-1252"
)

// sniffBytes is how much of the head Decode looks at. Enough for a few hundred lines of a typical export,
// small enough to sit in one bufio buffer.
const sniffBytes = 64 << 10

// Decode sniffs the text encoding (BOM: UTF-8/UTF-16LE/BE; UTF-16 without BOM from NUL-byte pattern; valid UTF-8;
// otherwise Windows-1252) from a peek of the head and returns a reader yielding UTF-8 without BOM, plus the name.
//
// A file whose head is valid UTF-8 may still hold a stray Windows-1252 byte further down (a "£" pasted into an
// otherwise ASCII export is the usual case). Such bytes are read as Windows-1252 rather than replaced, so the
// reader never yields invalid UTF-8 and never loses the character.
func Decode(r io.Reader) (io.Reader, string, error) {
	br := bufio.NewReaderSize(r, sniffBytes)
	head, err := br.Peek(sniffBytes)
	atEOF := false
	switch {
	case err == nil:
	case errors.Is(err, io.EOF), errors.Is(err, bufio.ErrBufferFull):
		atEOF = errors.Is(err, io.EOF)
	default:
		return nil, "", fmt.Errorf("sniff text encoding: %w", err)
	}
	switch {
	case len(head) >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF:
		_, _ = br.Discard(3)
		return transform.NewReader(br, lenientUTF8{}), encUTF8BOM, nil
	case len(head) >= 2 && head[0] == 0xFF && head[1] == 0xFE:
		_, _ = br.Discard(2)
		return utf16Reader(br, unicode.LittleEndian), encUTF16LE, nil
	case len(head) >= 2 && head[0] == 0xFE && head[1] == 0xFF:
		_, _ = br.Discard(2)
		return utf16Reader(br, unicode.BigEndian), encUTF16BE, nil
	}
	if order, ok := utf16ByNULs(head); ok {
		if order == unicode.LittleEndian {
			return utf16Reader(br, order), encUTF16LE, nil
		}
		return utf16Reader(br, order), encUTF16BE, nil
	}
	if validUTF8Head(head, atEOF) {
		return transform.NewReader(br, lenientUTF8{}), encUTF8, nil
	}
	return transform.NewReader(br, charmap.Windows1252.NewDecoder()), enc1252, nil
}

func utf16Reader(r io.Reader, order unicode.Endianness) io.Reader {
	return transform.NewReader(r, unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder())
}

// utf16ByNULs is sniff.UTF16ByNULs in the form the decoder wants.
func utf16ByNULs(head []byte) (unicode.Endianness, bool) {
	le, ok := sniff.UTF16ByNULs(head)
	if !ok || le {
		return unicode.LittleEndian, ok
	}
	return unicode.BigEndian, true
}

// validUTF8Head reports whether head is valid UTF-8, forgiving a rune cut off by the end of the peek.
func validUTF8Head(head []byte, atEOF bool) bool {
	if !atEOF {
		for i := 1; i <= 3 && i <= len(head); i++ {
			if utf8.RuneStart(head[len(head)-i]) {
				if !utf8.FullRune(head[len(head)-i:]) {
					head = head[:len(head)-i]
				}
				break
			}
		}
	}
	return utf8.Valid(head)
}

// lenientUTF8 passes valid UTF-8 through and reads each byte that is not part of a valid sequence as
// Windows-1252, the encoding such strays nearly always come from in UK office files.
type lenientUTF8 struct{ transform.NopResetter }

func (lenientUTF8) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		c := src[nSrc]
		if c < utf8.RuneSelf {
			// Copy the whole ASCII run at once; this loop is the hot path for most files.
			end := nSrc + 1
			for end < len(src) && src[end] < utf8.RuneSelf {
				end++
			}
			n := copy(dst[nDst:], src[nSrc:end])
			nDst += n
			nSrc += n
			if nSrc < end {
				return nDst, nSrc, transform.ErrShortDst
			}
			continue
		}
		if !atEOF && !utf8.FullRune(src[nSrc:]) {
			return nDst, nSrc, transform.ErrShortSrc
		}
		r, size := utf8.DecodeRune(src[nSrc:])
		if r == utf8.RuneError && size <= 1 {
			r, size = charmap.Windows1252.DecodeByte(c), 1
		}
		if utf8.RuneLen(r) > len(dst)-nDst {
			return nDst, nSrc, transform.ErrShortDst
		}
		if size > 1 {
			nDst += copy(dst[nDst:], src[nSrc:nSrc+size])
		} else {
			nDst += utf8.EncodeRune(dst[nDst:], r)
		}
		nSrc += size
	}
	return nDst, nSrc, nil
}
