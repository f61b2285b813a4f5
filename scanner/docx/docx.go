// Package docx extracts the text of a Word .docx document by streaming its XML parts, so a large or hostile
// document costs bounded memory: output stops at a byte limit, and so does the decompressed XML read to make it.
package docx

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"unicode/utf8"
)

// inputFactor bounds the decompressed XML read per byte of output allowed: Word markup runs to a few dozen
// bytes per byte of text, so legitimate documents stay well inside it while a zip bomb does not.
const inputFactor = 64

// minInput keeps a small output limit from cutting off the document before its first paragraph: the XML
// declaration and namespace list alone run to a couple of KiB.
const minInput = 1 << 20

// Text returns the text of the document body, then of comments, footnotes, endnotes, headers and footers,
// each part separated by a blank line. Paragraphs end in "\n"; table cells end in "\t" and rows in "\n".
// Deleted text from tracked changes is included: it is still in the file.
//
// The text stops at maxBytes (on a UTF-8 boundary) with truncated true, and so it does when the XML read
// reaches 64×maxBytes decompressed. Errors are for input that is not a zip, lacks word/document.xml, is
// encrypted, or holds malformed XML; they never quote the document. A maxBytes of zero or less gives no text,
// reported as truncated.
func Text(ra io.ReaderAt, size int64, maxBytes int64) (string, bool, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return "", false, fmt.Errorf("docx: open zip: %w", err)
	}
	var body *zip.File
	var extra []*zip.File
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		switch {
		case name == "word/document.xml":
			body = f
		case path.Dir(name) != "word":
		case name == "word/comments.xml", name == "word/footnotes.xml", name == "word/endnotes.xml",
			strings.HasPrefix(path.Base(name), "header") && strings.HasSuffix(name, ".xml"),
			strings.HasPrefix(path.Base(name), "footer") && strings.HasSuffix(name, ".xml"):
			extra = append(extra, f)
		}
	}
	if body == nil {
		return "", false, errors.New("docx: no word/document.xml")
	}
	sort.SliceStable(extra, func(i, j int) bool { return partRank(extra[i].Name) < partRank(extra[j].Name) })

	if maxBytes <= 0 {
		return "", true, nil
	}
	x := &extractor{max: maxBytes, inputLeft: inputBudget(maxBytes)}
	for i, f := range append([]*zip.File{body}, extra...) {
		if i > 0 {
			if f.Flags&1 != 0 {
				continue // an encrypted extra part: the body has been read, so carry on without it
			}
			x.partBreak()
		}
		if err := x.part(f); err != nil {
			return "", false, err
		}
		if x.truncated {
			break
		}
	}
	return string(x.out), x.truncated, nil
}

func inputBudget(maxBytes int64) int64 {
	if maxBytes > (1<<62)/inputFactor {
		return 1 << 62
	}
	return max(maxBytes*inputFactor, minInput)
}

// partRank orders the extra parts so the ones most likely to hold personal data come first.
func partRank(name string) string {
	base := strings.ToLower(path.Base(name))
	for i, p := range []string{"comments", "footnotes", "endnotes", "header", "footer"} {
		if strings.HasPrefix(base, p) {
			return fmt.Sprintf("%d%s", i, base)
		}
	}
	return "9" + base
}

type extractor struct {
	out       []byte
	max       int64
	inputLeft int64
	truncated bool
}

var errInputLimit = errors.New("input limit")

func (x *extractor) part(f *zip.File) error {
	part := path.Base(f.Name)
	if f.Flags&1 != 0 {
		return errors.New("docx: document is encrypted")
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("docx: open %s: %w", part, err)
	}
	defer rc.Close()
	d := xml.NewDecoder(&budgetReader{r: rc, left: &x.inputLeft})
	err = x.decode(d)
	switch {
	case errors.Is(err, errInputLimit):
		x.truncated = true
		return nil
	case err != nil:
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			// The decoder's message can quote markup; the line number is enough to find the damage.
			return fmt.Errorf("docx: malformed XML in %s at line %d", part, se.Line)
		}
		return fmt.Errorf("docx: read %s: %w", part, err)
	}
	return nil
}

// decode walks the WordprocessingML elements by local name. RawToken is used because the prefixes do not
// matter here and it avoids namespace bookkeeping; the decoder still checks that the XML is well formed.
func (x *extractor) decode(d *xml.Decoder) error {
	inText := false
	skip := 0      // depth inside an element whose text is a duplicate or not document text
	cellDepth := 0 // nesting of table cells
	for !x.truncated {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			switch t.Name.Local {
			case "Fallback", "instrText", "delInstrText":
				// mc:Fallback repeats the mc:Choice content (text boxes); field codes are not text.
				skip = 1
			case "t", "delText":
				inText = true
			case "tab":
				x.write("\t")
			case "br", "cr":
				x.write("\n")
			case "noBreakHyphen":
				x.write("-")
			case "tc":
				cellDepth++
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			switch t.Name.Local {
			case "t", "delText":
				inText = false
			case "p":
				if cellDepth > 0 {
					// Paragraphs inside a cell stay on the row's line.
					x.write(" ")
				} else {
					x.write("\n")
				}
			case "tc":
				x.trimSpace()
				x.write("\t")
				cellDepth--
			case "tr":
				x.trimTab()
				x.write("\n")
			}
		case xml.CharData:
			if inText && skip == 0 {
				x.write(string(t))
			}
		}
	}
	return nil
}

// partBreak separates parts with a blank line.
func (x *extractor) partBreak() {
	if len(x.out) > 0 {
		x.write("\n")
	}
}

// write appends s, cutting it at maxBytes on a rune boundary.
func (x *extractor) write(s string) {
	if x.truncated {
		return
	}
	room := x.max - int64(len(x.out))
	if int64(len(s)) > room {
		cut := int(room)
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
		x.truncated = true
	}
	x.out = append(x.out, s...)
}

// trimSpace and trimTab drop the separator a cell's last paragraph or a row's last cell wrote.
func (x *extractor) trimSpace() { x.trimByte(' ') }
func (x *extractor) trimTab()   { x.trimByte('\t') }

func (x *extractor) trimByte(c byte) {
	if !x.truncated && len(x.out) > 0 && x.out[len(x.out)-1] == c {
		x.out = x.out[:len(x.out)-1]
	}
}

// budgetReader stops the XML decoder once the shared decompressed-input budget is spent.
type budgetReader struct {
	r    io.Reader
	left *int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if *b.left <= 0 {
		return 0, errInputLimit
	}
	if int64(len(p)) > *b.left {
		p = p[:*b.left]
	}
	n, err := b.r.Read(p)
	*b.left -= int64(n)
	return n, err
}
