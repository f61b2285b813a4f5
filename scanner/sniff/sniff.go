// Package sniff decides what a file is from its content, so that a renamed spreadsheet, a .txt that is really a
// CSV export, or a password-protected workbook is read (or reported) for what it is. The file name is only a
// tie-breaker between kinds of text. Nothing here loads a whole file: it reads a bounded head, the zip central
// directory, a compound-file directory, or a PDF tail through an io.ReaderAt.
package sniff

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/gabriel-vasile/mimetype"
)

// Kind is what a file holds, as far as the scanner is concerned.
type Kind string

// Kinds returned by Detect.
const (
	Text        Kind = "text"
	Delimited   Kind = "delimited"
	XLSX        Kind = "xlsx"
	DOCX        Kind = "docx"
	ZIP         Kind = "zip"
	Tar         Kind = "tar"
	Gzip        Kind = "gzip"
	SQLite      Kind = "sqlite"
	PDF         Kind = "pdf"
	Empty       Kind = "empty"
	Encrypted   Kind = "encrypted"
	Legacy      Kind = "legacy"
	Image       Kind = "image"
	Binary      Kind = "binary"
	Unsupported Kind = "unsupported"
)

// Result is the outcome of Detect. Detail is a human reason for Encrypted, Legacy, Image, Unsupported and
// Binary; it is built from fixed phrases and MIME names, never from file content.
type Result struct {
	Kind   Kind
	MIME   string
	Detail string
}

// headBytes is how much of the start Detect reads. Enough for the text heuristics to see a few dozen lines and
// for mimetype, which looks at the first 3 KiB.
const headBytes = 64 << 10

// Detect reports what the size bytes of ra hold. name is used only as a tie-breaker (its base name is taken),
// so a CSV named .txt is still Delimited if its lines agree on a delimiter, and a .csv holding binary is not.
// An error means the head could not be read.
func Detect(ra io.ReaderAt, size int64, name string) (Result, error) {
	if size <= 0 {
		return Result{Kind: Empty}, nil
	}
	head, err := readAt(ra, 0, min(size, headBytes))
	if err != nil {
		return Result{}, fmt.Errorf("sniff: read head: %w", err)
	}
	base := strings.ToLower(path.Base(strings.ReplaceAll(name, "\\", "/")))

	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return detectPDF(ra, size, head)
	case bytes.HasPrefix(head, cfbSignature):
		return detectCFB(ra, size)
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return detectZip(ra, size), nil
	case len(head) >= 3 && head[0] == 0x1f && head[1] == 0x8b && head[2] == 8:
		return Result{Kind: Gzip, MIME: "application/gzip"}, nil
	case IsTar(head):
		return Result{Kind: Tar, MIME: "application/x-tar"}, nil
	case bytes.HasPrefix(head, []byte("SQLite format 3\x00")):
		return Result{Kind: SQLite, MIME: "application/vnd.sqlite3"}, nil
	case isPDF(head):
		// Only after the container magics: a tar or a stored zip of PDFs has "%PDF-" in its first KiB too.
		return detectPDF(ra, size, head)
	}

	m := mimetype.Detect(head)
	mime, _, _ := strings.Cut(m.String(), ";")
	atEOF := int64(len(head)) == size
	switch {
	case isText(m):
		// mimetype has already judged the bytes to be text; only the CSV-or-prose question remains.
		return textResult(head, atEOF, base, mime), nil
	case mime == "application/octet-stream":
		// Unknown to mimetype, which rejects UTF-16 without a BOM and any stray control byte. Our own
		// heuristic is more forgiving of both.
		if looksText(head, atEOF) {
			return textResult(head, atEOF, base, "text/plain"), nil
		}
		return Result{Kind: Binary, MIME: mime, Detail: "unrecognised binary content"}, nil
	case strings.HasPrefix(mime, "image/"):
		return Result{Kind: Image, MIME: mime, Detail: "image: needs OCR (" + mime + ")"}, nil
	}
	return Result{Kind: Unsupported, MIME: mime, Detail: unsupportedDetail(mime)}, nil
}

func isText(m *mimetype.MIME) bool {
	for ; m != nil; m = m.Parent() {
		if m.Is("text/plain") {
			return true
		}
	}
	return false
}

// textResult settles Delimited against Text. Structured text formats (json, xml, html, email) are always Text
// even when their lines happen to agree on a comma count; a .csv/.tsv name always means Delimited.
func textResult(head []byte, atEOF bool, base, mime string) Result {
	ext := path.Ext(base)
	switch ext {
	case ".csv", ".tsv", ".tab", ".psv":
		return Result{Kind: Delimited, MIME: delimitedMIME(ext)}
	case ".json", ".ndjson", ".xml", ".html", ".htm", ".xhtml", ".md", ".markdown", ".eml", ".mht", ".rtf",
		".yaml", ".yml", ".svg", ".ics", ".vcf", ".js", ".css", ".sql", ".ini", ".toml":
		return Result{Kind: Text, MIME: mime}
	}
	switch mime {
	case "text/plain", "text/csv", "text/tab-separated-values":
	default:
		return Result{Kind: Text, MIME: mime}
	}
	if delim, ok := consistentDelimiter(decodeHead(head), atEOF); ok {
		if delim == '\t' {
			return Result{Kind: Delimited, MIME: "text/tab-separated-values"}
		}
		return Result{Kind: Delimited, MIME: "text/csv"}
	}
	return Result{Kind: Text, MIME: "text/plain"}
}

func delimitedMIME(ext string) string {
	if ext == ".tsv" || ext == ".tab" {
		return "text/tab-separated-values"
	}
	return "text/csv"
}

func unsupportedDetail(mime string) string {
	switch {
	case strings.HasPrefix(mime, "audio/"):
		return "audio file: not scanned (" + mime + ")"
	case strings.HasPrefix(mime, "video/"):
		return "video file: not scanned (" + mime + ")"
	case strings.HasPrefix(mime, "font/"):
		return "font file: not scanned (" + mime + ")"
	case mime == "application/vnd.sqlite3" || mime == "application/x-sqlite3":
		return "SQLite database: not scanned (" + mime + ")"
	case mime == "application/vnd.microsoft.portable-executable" || mime == "application/x-msdownload" ||
		mime == "application/x-executable" || mime == "application/x-mach-binary" || mime == "application/x-elf":
		return "executable: not scanned (" + mime + ")"
	case strings.Contains(mime, "7z") || strings.Contains(mime, "rar") || strings.Contains(mime, "bzip2") ||
		strings.Contains(mime, "xz") || strings.Contains(mime, "zstd") || strings.Contains(mime, "lzip"):
		return "archive format not supported (" + mime + ")"
	}
	return "unsupported file type (" + mime + ")"
}

// isPDF accepts the header anywhere in the first KiB, as readers do: some producers put junk before it.
func isPDF(head []byte) bool {
	return bytes.Contains(head[:min(len(head), 1024)], []byte("%PDF-"))
}

// pdfTailBytes is how much of each end of a PDF is searched for an encryption dictionary: the trailer (or the
// cross-reference stream that replaces it) is at the end, or near the start in a linearised file.
const pdfTailBytes = 64 << 10

func detectPDF(ra io.ReaderAt, size int64, head []byte) (Result, error) {
	r := Result{Kind: PDF, MIME: "application/pdf"}
	if hasEncrypt(head) {
		return Result{Kind: Encrypted, MIME: r.MIME, Detail: "encrypted PDF"}, nil
	}
	if size > int64(len(head)) {
		off := max(int64(len(head)), size-pdfTailBytes)
		tail, err := readAt(ra, off, size-off)
		if err != nil {
			return Result{}, fmt.Errorf("sniff: read PDF trailer: %w", err)
		}
		if hasEncrypt(tail) {
			return Result{Kind: Encrypted, MIME: r.MIME, Detail: "encrypted PDF"}, nil
		}
	}
	return r, nil
}

// hasEncrypt finds the /Encrypt key as a whole name: "/EncryptMetadata" alone does not count.
func hasEncrypt(b []byte) bool {
	key := []byte("/Encrypt")
	for {
		i := bytes.Index(b, key)
		if i < 0 {
			return false
		}
		b = b[i+len(key):]
		if len(b) == 0 || isPDFDelim(b[0]) {
			return true
		}
	}
}

func isPDFDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\f', 0, '/', '<', '>', '[', ']', '(', ')', '%':
		return true
	}
	return c >= '0' && c <= '9'
}

// detectZip tells OOXML apart from plain zips by the central directory. An unreadable directory is still ZIP:
// the archive walker then reports it as corrupt, which is the honest reason.
func detectZip(ra io.ReaderAt, size int64) Result {
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return Result{Kind: ZIP, MIME: "application/zip"}
	}
	var xlsx, docx, pptx, xlsb bool
	for _, f := range zr.File {
		switch strings.ToLower(f.Name) {
		case "xl/workbook.xml":
			xlsx = true
		case "xl/workbook.bin":
			xlsb = true
		case "word/document.xml":
			docx = true
		case "ppt/presentation.xml":
			pptx = true
		}
	}
	switch {
	case xlsx:
		return Result{Kind: XLSX, MIME: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
	case docx:
		return Result{Kind: DOCX, MIME: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
	case pptx:
		return Result{Kind: Unsupported, MIME: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
			Detail: "PowerPoint presentation: not scanned"}
	case xlsb:
		return Result{Kind: Unsupported, MIME: "application/vnd.ms-excel.sheet.binary.macroenabled.12",
			Detail: "Excel binary workbook (.xlsb): not scanned"}
	}
	return Result{Kind: ZIP, MIME: "application/zip"}
}

// IsTar accepts POSIX and GNU headers by their magic and old v7 headers by their checksum, which random data
// matches by chance too rarely to matter.
func IsTar(head []byte) bool {
	if len(head) < 512 {
		return false
	}
	if bytes.Equal(head[257:262], []byte("ustar")) {
		return true
	}
	return tarChecksumOK(head[:512])
}

func tarChecksumOK(h []byte) bool {
	if h[0] == 0 {
		return false
	}
	field := bytes.TrimRight(bytes.TrimLeft(h[148:156], " "), " \x00")
	if len(field) == 0 {
		return false
	}
	var want int64
	for _, c := range field {
		if c < '0' || c > '7' {
			return false
		}
		want = want*8 + int64(c-'0')
	}
	var sum int64
	for i, c := range h {
		if i >= 148 && i < 156 {
			c = ' '
		}
		sum += int64(c)
	}
	return sum == want
}

// readAt reads n bytes at off, treating a short read at the end of the data as success.
func readAt(ra io.ReaderAt, off, n int64) ([]byte, error) {
	if n <= 0 {
		return nil, nil
	}
	buf := make([]byte, n)
	got, err := ra.ReadAt(buf, off)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:got], nil
}
