package sniff

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf16"
)

// Fixtures are built at run time and hold only synthetic data.

func zipOf(t testing.TB, files map[string]string, encrypted ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedKeys(files) {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		for _, e := range encrypted {
			if e == name {
				h.Flags |= 1
			}
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, files[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func storedZip(t testing.TB, name string, body []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(body); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sortedKeys(m map[string]string) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}

func tarOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, name := range sortedKeys(files) {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(files[name])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(tw, files[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// v7Tar turns a ustar archive into an old v7 one: magic and version cleared, checksum recomputed.
func v7Tar(b []byte) []byte {
	b = bytes.Clone(b)
	h := b[:512]
	copy(h[257:265], make([]byte, 8))
	copy(h[148:156], "        ")
	var sum int
	for _, c := range h {
		sum += int(c)
	}
	copy(h[148:156], fmt.Sprintf("%06o\x00 ", sum))
	return b
}

func gzipOf(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// cfbOf builds a version 3 compound file (512-byte sectors) whose directory holds a root entry and one stream
// entry per name: sector 0 is the FAT, sectors 1.. the directory chain.
func cfbOf(names ...string) []byte {
	le := binary.LittleEndian
	entries := append([]string{"Root Entry"}, names...)
	dirSectors := (len(entries) + 3) / 4
	b := make([]byte, 512*(2+dirSectors))
	copy(b, cfbSignature)
	le.PutUint16(b[24:], 0x3E)
	le.PutUint16(b[26:], 3)
	le.PutUint16(b[28:], 0xFFFE)
	le.PutUint16(b[30:], 9)
	le.PutUint16(b[32:], 6)
	le.PutUint32(b[44:], 1)
	le.PutUint32(b[48:], 1)
	le.PutUint32(b[56:], 4096)
	le.PutUint32(b[60:], cfbEndOfChain)
	le.PutUint32(b[68:], cfbEndOfChain)
	for i := range 109 {
		le.PutUint32(b[76+4*i:], 0xFFFFFFFF)
	}
	le.PutUint32(b[76:], 0)
	fat := b[512:1024]
	for i := range 128 {
		le.PutUint32(fat[4*i:], 0xFFFFFFFF)
	}
	le.PutUint32(fat, 0xFFFFFFFD)
	for s := 1; s <= dirSectors; s++ {
		next := uint32(s + 1)
		if s == dirSectors {
			next = cfbEndOfChain
		}
		le.PutUint32(fat[4*s:], next)
	}
	for i, name := range entries {
		e := b[1024+128*i : 1024+128*(i+1)]
		u := utf16.Encode([]rune(name))
		for j, c := range u {
			le.PutUint16(e[2*j:], c)
		}
		le.PutUint16(e[64:], uint16(2*len(u)+2))
		e[66] = 2
		if i == 0 {
			e[66] = 5
		}
	}
	return b
}

// brokenCFB has the signature and the UTF-16LE names but a header the directory walk rejects.
func brokenCFB(names ...string) []byte {
	b := cfbOf(names...)
	binary.LittleEndian.PutUint16(b[30:], 7)
	return b
}

func deflate(s string) string {
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	_, _ = io.WriteString(zw, s)
	_ = zw.Close()
	return buf.String()
}

// pdfOf assembles a PDF from object bodies; obj 1 is the catalog. Offsets in the xref table are not needed
// by the sniffers, so none is written.
func pdfOf(trailer string, objs ...string) []byte {
	var b strings.Builder
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	for i, o := range objs {
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Root 1 0 R %s>>\nstartxref\n0\n%%%%EOF\n", trailer)
	return []byte(b.String())
}

func streamObj(dict, data string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

const (
	catalog   = "<< /Type /Catalog /Pages 2 0 R >>"
	pages     = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
	textPage  = "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
	imagePage = "<< /Type /Page /Parent 2 0 R /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>"
	font      = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
	content   = "BT /F1 12 Tf 72 720 Td (Tenancy agreement) Tj ET"
)

var (
	textPDF      = pdfOf("", catalog, pages, textPage, font, streamObj("", content))
	flateTextPDF = pdfOf("", catalog, pages, textPage, font, streamObj("/Filter /FlateDecode", deflate(content)))
	// The font dictionary lives only inside a compressed object stream, as PDF 1.5 writers do.
	objStmPDF = pdfOf("", catalog, pages, "<< /Type /Page /Parent 2 0 R /Resources 6 0 R /Contents 5 0 R >>",
		streamObj("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", deflate("6 0 << /F"+"ont << /F1 7 0 R >> >>")),
		streamObj("/Filter /FlateDecode", deflate("BT [(Rent) -250 (arrears)] TJ ET")))
	imagePDF = pdfOf("", catalog, pages, imagePage,
		streamObj("/Type /XObject /Subtype /Image /Width 1 /Height 1 /Filter /DCTDecode", "\xff\xd8 Tj TJ \xff\xd9"),
		streamObj("/Filter /FlateDecode", deflate("q 612 0 0 792 0 0 cm /Im0 Do Q")))
	encryptedPDF = pdfOf("/Encrypt 9 0 R /ID [<01> <01>] ", catalog, pages, textPage, font, streamObj("", content))
)

var (
	pngHead  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	jpegHead = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
	gifHead  = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04")
	elfHead  = append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 56)...)
	sqlite   = append([]byte("SQLite format 3\x00\x10\x00\x01\x01\x00@  "), make([]byte, 80)...)
	nulHeavy = bytes.Repeat([]byte{0, 0, 0, 1, 0, 0, 0, 2, 0x13, 0x37}, 100)
)

func utf16LEWithBOM(s string) []byte {
	return append([]byte{0xFF, 0xFE}, utf16LE(s)...)
}

type detectCase struct {
	name     string
	data     []byte
	file     string
	want     Kind
	detail   string // substring expected in Detail
	wantMIME string
}

func detectCases(t testing.TB) []detectCase {
	csv := "name,email,postcode\nAda Example,ada@example.org,SW1A 1AA\nBen Example,ben@example.org,M1 1AE\n"
	return []detectCase{
		{name: "reports a zero-length file as empty", data: nil, want: Empty},
		{name: "reads a .csv file as delimited", data: []byte(csv), file: "tenants.csv", want: Delimited},
		{name: "reads CSV content named .txt as delimited by its consistent commas", data: []byte(csv), file: "export.txt", want: Delimited},
		{name: "reads tab-separated content without an extension as delimited", data: []byte("a\tb\tc\n1\t2\t3\n4\t5\t6\n"), file: "export", want: Delimited, wantMIME: "text/tab-separated-values"},
		{name: "reads semicolon CSV with quoted delimiters as delimited", data: []byte("name;note\n\"Example; Ada\";ok\nBen;\"x;y\"\n"), file: "x", want: Delimited},
		{name: "reads prose with uneven commas as text", data: []byte("Dear tenant,\nYour rent is due.\nThanks, regards, the office\n"), file: "letter.txt", want: Text},
		{name: "reads prose with one comma on two lines and a line without as text", data: []byte("Hello, world.\nThis is fine\nAnother, line.\n"), file: "notes", want: Text},
		{name: "reads JSON lines with equal comma counts as text", data: []byte("{\"a\":1,\"b\":2}\n{\"a\":3,\"b\":4}\n{\"a\":5,\"b\":6}\n"), file: "x.json", want: Text},
		{name: "reads HTML as text", data: []byte("<!DOCTYPE html><html><body><p>Contact ada@example.org</p></body></html>"), want: Text},
		{name: "reads an email message as text", data: []byte("From: ada@example.org\r\nTo: ben@example.org\r\nSubject: Repairs\r\n\r\nHello.\r\n"), file: "m.eml", want: Text},
		{name: "reads UTF-8 with a BOM as text", data: append([]byte{0xEF, 0xBB, 0xBF}, "Résumé of case notes\n"...), want: Text},
		{name: "reads UTF-16LE with a BOM as text", data: utf16LEWithBOM("Case notes for the tenancy\r\nSecond line\r\n"), want: Text},
		{name: "reads UTF-16LE CSV with a BOM as delimited", data: utf16LEWithBOM(csv), file: "export", want: Delimited},
		{name: "reads UTF-16LE without a BOM as text", data: utf16LE("Case notes for the tenancy, written in Notepad\r\n"), want: Text},
		{name: "reads Windows-1252 text with a pound sign as text", data: []byte("Rent arrears \xa3120.50 \x96 see notes\n"), want: Text},
		{name: "reads text with a stray DOS end-of-file mark as text", data: append(bytes.Repeat([]byte("line of text\n"), 20), 0x1A), want: Text},
		{name: "reads SVG as text", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>`), want: Text},
		{name: "reports NUL-heavy data as binary", data: nulHeavy, want: Binary, detail: "unrecognised binary"},
		{name: "reports binary content named .csv as binary", data: nulHeavy, file: "tenants.csv", want: Binary},
		{name: "reads a zip with xl/workbook.xml as xlsx", data: zipOf(t, map[string]string{"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}), file: "x.zip", want: XLSX},
		{name: "reads a zip with word/document.xml as docx", data: zipOf(t, map[string]string{"word/document.xml": "<w:document/>"}), want: DOCX},
		{name: "reports a presentation as unsupported", data: zipOf(t, map[string]string{"ppt/presentation.xml": "<p/>"}), want: Unsupported, detail: "PowerPoint presentation: not scanned"},
		{name: "reads any other zip as zip", data: zipOf(t, map[string]string{"a.txt": "hello"}), file: "book.xlsx", want: ZIP},
		{name: "reads a zip with an encrypted member as zip", data: zipOf(t, map[string]string{"a.txt": "hello"}, "a.txt"), want: ZIP},
		{name: "reads a zip with a damaged directory as zip", data: zipOf(t, map[string]string{"a.txt": "hello"})[:40], want: ZIP},
		{name: "reports a password-protected Office file as encrypted", data: cfbOf("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"), file: "payroll.xlsx", want: Encrypted, detail: "password-protected Office document"},
		{name: "reports a compound file with a Workbook stream as legacy Excel", data: cfbOf("Workbook", "\x05SummaryInformation"), want: Legacy, detail: "legacy Excel .xls"},
		{name: "reports a compound file with a Book stream as legacy Excel", data: cfbOf("Book"), want: Legacy, detail: "legacy Excel .xls"},
		{name: "reports a compound file with a WordDocument stream as legacy Word", data: cfbOf("WordDocument", "1Table", "Data", "\x05DocumentSummaryInformation"), want: Legacy, detail: "legacy Word .doc"},
		{name: "reports a compound file with __substg1.0_ entries as Outlook", data: cfbOf("__substg1.0_0037001F", "__substg1.0_1000001F", "__properties_version1.0"), want: Legacy, detail: "Outlook .msg"},
		{name: "reports any other compound file as legacy Office", data: cfbOf("Contents"), want: Legacy, detail: "legacy Office (OLE2) file"},
		{name: "finds encryption names by scanning when the directory cannot be walked", data: brokenCFB("EncryptedPackage"), want: Encrypted},
		{name: "finds Word by scanning when the directory cannot be walked", data: brokenCFB("WordDocument"), want: Legacy, detail: "legacy Word .doc"},
		{name: "reads a PDF as pdf", data: textPDF, file: "x.txt", want: PDF},
		{name: "reports a PDF with an Encrypt entry as encrypted", data: encryptedPDF, want: Encrypted, detail: "encrypted PDF"},
		{name: "does not take EncryptMetadata alone as encryption", data: pdfOf("/EncryptMetadata false ", catalog), want: PDF},
		{name: "reads a PDF with junk before its header as pdf", data: append([]byte("junk\r\n"), textPDF...), want: PDF},
		{name: "reads a tar whose first member is a PDF as tar", data: tarOf(t, map[string]string{"a.pdf": string(textPDF)}), want: Tar},
		{name: "reads a stored zip whose first member is a PDF as zip", data: storedZip(t, "a.pdf", textPDF), want: ZIP},
		{name: "reads gzip by its magic", data: gzipOf(t, []byte("hello")), want: Gzip},
		{name: "reads ustar by its magic", data: tarOf(t, map[string]string{"a.txt": "hello"}), want: Tar},
		{name: "reads an old v7 tar by its header checksum", data: v7Tar(tarOf(t, map[string]string{"a.txt": "hello"})), want: Tar},
		{name: "reports PNG as an image needing OCR", data: pngHead, want: Image, detail: "image: needs OCR (image/png)"},
		{name: "reports JPEG as an image needing OCR", data: jpegHead, want: Image, detail: "(image/jpeg)"},
		{name: "reports GIF as an image needing OCR", data: gifHead, want: Image, detail: "(image/gif)"},
		{name: "reports an executable as unsupported naming its MIME", data: elfHead, want: Unsupported, detail: "executable: not scanned (application/x-elf)"},
		{name: "recognises an SQLite database by its header", data: sqlite, want: SQLite},
	}
}

func TestDetect(t *testing.T) {
	for _, tc := range detectCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Detect(bytes.NewReader(tc.data), int64(len(tc.data)), tc.file)
			if err != nil {
				t.Fatalf("Detect: %v", err)
			}
			if got.Kind != tc.want {
				t.Fatalf("Kind = %q (%+v), want %q", got.Kind, got, tc.want)
			}
			if tc.detail != "" && !strings.Contains(got.Detail, tc.detail) {
				t.Errorf("Detail = %q, want it to contain %q", got.Detail, tc.detail)
			}
			if tc.wantMIME != "" && got.MIME != tc.wantMIME {
				t.Errorf("MIME = %q, want %q", got.MIME, tc.wantMIME)
			}
		})
	}
}

func TestDetectPaysNoHeedToADirectoryInTheName(t *testing.T) {
	csv := []byte("a,b\n1,2\n")
	got, err := Detect(bytes.NewReader(csv), int64(len(csv)), `reports.csv\notes`)
	if err != nil {
		t.Fatal(err)
	}
	// The base name "notes" has no extension; the content still decides.
	if got.Kind != Delimited {
		t.Fatalf("Kind = %q, want delimited", got.Kind)
	}
	prose := []byte("one, two\nthree\n")
	got, err = Detect(bytes.NewReader(prose), int64(len(prose)), "data.csv/readme")
	if err != nil {
		t.Fatal(err)
	}
	if got.Kind != Text {
		t.Fatalf("Kind = %q, want text: the .csv is a folder", got.Kind)
	}
}

type failingReaderAt struct{}

func (failingReaderAt) ReadAt([]byte, int64) (int, error) { return 0, errors.New("device error") }

func TestDetectReportsUnreadableInput(t *testing.T) {
	if _, err := Detect(failingReaderAt{}, 100, "x"); err == nil {
		t.Fatal("Detect on a failing reader: want an error")
	}
}

func TestPDFHasText(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		max  int64
		want bool
	}{
		{"finds text in an uncompressed content stream", textPDF, 1 << 20, true},
		{"finds text in a FlateDecode content stream", flateTextPDF, 1 << 20, true},
		{"finds a font declared only inside a compressed object stream", objStmPDF, 1 << 20, true},
		{"reports an image-only scan as having no text", imagePDF, 1 << 20, false},
		{"reports a font without any text operator as having no text", pdfOf("", catalog, pages, textPage, font, streamObj("", "q Q")), 1 << 20, false},
		{"reports text operators without a font as having no text", pdfOf("", catalog, pages, imagePage, streamObj("", content)), 1 << 20, false},
		{"ignores Tj inside a longer word", pdfOf("", catalog, pages, textPage, font, streamObj("", "/Tjx 1 0 0 rg")), 1 << 20, false},
		{"answers from fonts alone when the decode budget runs out", flateTextPDF, 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := PDFHasText(bytes.NewReader(tc.data), int64(len(tc.data)), tc.max)
			if err != nil {
				t.Fatalf("PDFHasText: %v", err)
			}
			if got != tc.want {
				t.Fatalf("PDFHasText = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPDFHasTextFindsTextBeyondTheFirstWindow(t *testing.T) {
	pad := streamObj("/Type /XObject /Subtype /Image /Filter /DCTDecode", strings.Repeat("\xff", 3<<20))
	data := pdfOf("", catalog, pages, textPage, pad, streamObj("/Filter /FlateDecode", deflate(content)), font)
	got, err := PDFHasText(bytes.NewReader(data), int64(len(data)), 1<<20)
	if err != nil || !got {
		t.Fatalf("PDFHasText = %v, %v; want true, nil", got, err)
	}
}

func TestPDFHasTextErrors(t *testing.T) {
	tests := []struct {
		name string
		ra   io.ReaderAt
		size int64
	}{
		{"rejects input that is not a PDF", strings.NewReader("hello, world"), 12},
		{"reports a reader that fails", failingReaderAt{}, 1000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := PDFHasText(tc.ra, tc.size, 1<<20); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}

var allKinds = map[Kind]bool{Text: true, Delimited: true, XLSX: true, DOCX: true, ZIP: true, Tar: true, Gzip: true, SQLite: true,
	PDF: true, Empty: true, Encrypted: true, Legacy: true, Image: true, Binary: true, Unsupported: true}

func FuzzDetect(f *testing.F) {
	for _, tc := range detectCases(f) {
		f.Add(tc.data, tc.file)
	}
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		got, err := Detect(bytes.NewReader(data), int64(len(data)), name)
		if err != nil {
			t.Fatalf("Detect on in-memory data: %v", err)
		}
		if (got.Kind == Empty) != (len(data) == 0) {
			t.Fatalf("Kind = %q for %d bytes", got.Kind, len(data))
		}
		if !allKinds[got.Kind] {
			t.Fatalf("unknown Kind %q", got.Kind)
		}
		switch got.Kind {
		case Encrypted, Legacy, Image, Unsupported, Binary:
			if got.Detail == "" {
				t.Fatalf("Kind %q without a Detail", got.Kind)
			}
		}
	})
}

func FuzzPDFHasText(f *testing.F) {
	for _, b := range [][]byte{textPDF, flateTextPDF, objStmPDF, imagePDF, encryptedPDF} {
		f.Add(b, int64(1<<20))
	}
	f.Fuzz(func(t *testing.T, data []byte, max int64) {
		_, err := PDFHasText(bytes.NewReader(data), int64(len(data)), max%(1<<22))
		if err != nil && isPDF(data[:min(len(data), 1024)]) {
			t.Fatalf("PDFHasText on a readable PDF: %v", err)
		}
	})
}

func BenchmarkDetect(b *testing.B) {
	csv := []byte(strings.Repeat("Ada Example,ada@example.org,SW1A 1AA,020 7946 0018\n", 2000))
	xlsx := zipOf(b, map[string]string{"xl/workbook.xml": "<workbook/>", "xl/worksheets/sheet1.xml": "<sheet/>"})
	for _, bc := range []struct {
		name string
		data []byte
	}{{"csv", csv}, {"xlsx", xlsx}, {"cfb", cfbOf("WordDocument", "1Table")}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Detect(bytes.NewReader(bc.data), int64(len(bc.data)), "x"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPDFHasText(b *testing.B) {
	pad := streamObj("/Type /XObject /Subtype /Image /Filter /DCTDecode", strings.Repeat("\xff", 8<<20))
	data := pdfOf("", catalog, pages, imagePage, pad, streamObj("/Filter /FlateDecode", deflate("q /Im0 Do Q")))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := PDFHasText(bytes.NewReader(data), int64(len(data)), 16<<20); err != nil {
			b.Fatal(err)
		}
	}
}
