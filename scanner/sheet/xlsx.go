package sheet

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"runtime"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Bounds for opening a workbook. excelize holds the whole file in memory while it unpacks the parts (it has no
// io.ReaderAt entry point but a file name), worksheets above unzipXMLLimit go to temporary files rather than
// memory, and this package reads the parts it parses itself through the caller's io.ReaderAt.
const (
	maxWorkbookBytes = 512 << 20 // compressed file
	unzipLimit       = 1 << 30   // all parts together, uncompressed; excelize refuses larger workbooks
	unzipXMLLimit    = 16 << 20  // one worksheet or shared-string table held in memory
	maxPartBytes     = 32 << 20  // workbook.xml and relationship parts this package parses itself
	maxMerges        = 10000     // merged ranges honoured per sheet; more is a generated file, not a layout
	maxInMemory      = 256 << 20 // parts excelize holds in memory: everything but large sheets and strings
	maxDeflateRatio  = 1100      // deflate cannot expand more than ~1032:1; a part claiming more is lying
)

// openWorkbook checks the size limits and opens the workbook with excelize. The zip reader it also returns reads
// through ra, which must stay readable until the caller is done with the parts. The size is checked before
// anything is read, and the zip directory before excelize copies the file into memory, so an oversized or
// lying workbook costs nothing. The caller closes the workbook and recovers excelize's panics (its deferred
// recover catches those raised in here too).
func openWorkbook(ra io.ReaderAt, size int64) (*excelize.File, *zip.Reader, error) {
	if size > maxWorkbookBytes {
		return nil, nil, fmt.Errorf("read workbook: larger than %d MiB", maxWorkbookBytes>>20)
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, nil, fmt.Errorf("open workbook: %w", err)
	}
	if err := checkSizes(zr); err != nil {
		return nil, nil, fmt.Errorf("open workbook: %w", err)
	}
	f, err := excelize.OpenReader(io.NewSectionReader(ra, 0, size), excelize.Options{
		UnzipSizeLimit:    unzipLimit,
		UnzipXMLSizeLimit: unzipXMLLimit,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("open workbook: %w", err)
	}
	return f, zr, nil
}

// ReadXLSX reads every worksheet (chart sheets are skipped) in workbook order with excelize's row stream.
// Values come as the sheet shows them, except that dates are ISO 8601 and numbers keep all their digits
// (see rewriteStyles and streamSheet).
//
// The workbook is the size bytes of ra. A sheet that fails part way is returned with the rows read so far; the
// errors of all sheets are joined. An input that is not a zip, or a broken one, returns no tables and an error
// wrapping the cause.
func ReadXLSX(ra io.ReaderAt, size int64, opt Options) (tables []*Table, err error) {
	opt = opt.withDefaults()
	// excelize parses untrusted XML with plenty of indexing; a panic there must cost this file, not the scan.
	defer func() {
		if p := recover(); p != nil {
			err = errors.Join(err, fmt.Errorf("read workbook: %w", panicError(p)))
		}
	}()
	f, zr, err := openWorkbook(ra, size)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close workbook: %w", cerr))
		}
	}()
	parts := zipIndex(zr)
	sheets, lerr := listSheets(parts)
	if lerr != nil {
		// excelize opened the workbook, so fall back on its sheet list; merges and chart sheets cannot be
		// told apart without the parts, which only costs merged-cell spreading.
		sheets = sheets[:0]
		for _, name := range f.GetSheetList() {
			sheets = append(sheets, sheetRef{name: name, worksheet: true})
		}
	}
	rewriteStyles(f)
	var errs []error
	for i, s := range sheets {
		if !s.worksheet {
			continue
		}
		t, serr := readSheetSafe(f, parts[strings.ToLower(s.path)], s.name, opt)
		if t != nil {
			tables = append(tables, t)
		}
		if serr != nil {
			// The position, not the name: sheet names can be personal ("J Smith tenancy").
			errs = append(errs, fmt.Errorf("sheet %d: %w", i+1, serr))
		}
	}
	return tables, errors.Join(errs...)
}

// checkSizes refuses a zip whose parts claim sizes excelize would allocate up front: it sizes each part's
// buffer from the size the zip declares, so a few hundred corrupt bytes could otherwise cost a gigabyte.
func checkSizes(zr *zip.Reader) error {
	var total, inMemory uint64
	for _, zf := range zr.File {
		size := zf.UncompressedSize64
		if size > unzipLimit {
			return fmt.Errorf("a part unpacks to more than %d MiB", unzipLimit>>20)
		}
		if size > 64<<10 && (size-64<<10)/maxDeflateRatio > zf.CompressedSize64 {
			return errors.New("zip entry declares a size its data cannot hold")
		}
		total += size
		name := strings.ToLower(strings.ReplaceAll(zf.Name, `\`, "/"))
		spilled := size > unzipXMLLimit && (strings.HasPrefix(name, "xl/worksheets/sheet") || name == "xl/sharedstrings.xml")
		if !spilled {
			inMemory += size
		}
	}
	if total > unzipLimit {
		return fmt.Errorf("unpacks to more than %d MiB", unzipLimit>>20)
	}
	if inMemory > maxInMemory {
		return fmt.Errorf("parts held in memory exceed %d MiB", maxInMemory>>20)
	}
	return nil
}

// panicError describes a recovered panic. Only runtime errors are quoted: their text is about indexes and
// types, whereas an arbitrary panic value could carry a cell's contents.
func panicError(p any) error {
	if re, ok := p.(runtime.Error); ok {
		return fmt.Errorf("parser failure: %w", re)
	}
	return errors.New("parser failure")
}

// readSheetSafe confines a parser panic to its sheet, so the other sheets of the workbook are still read.
func readSheetSafe(f *excelize.File, part *zip.File, name string, opt Options) (t *Table, err error) {
	defer func() {
		if p := recover(); p != nil {
			t, err = nil, panicError(p)
		}
	}()
	return readSheet(f, part, name, opt)
}

// readSheet streams one worksheet. part is its zip entry, used only to find merged ranges; nil skips them.
func readSheet(f *excelize.File, part *zip.File, name string, opt Options) (*Table, error) {
	var spans []span
	var mergeErr error
	if part != nil {
		spans, mergeErr = scanMerges(part, opt.MaxColumns)
		if mergeErr != nil {
			mergeErr = fmt.Errorf("merged cells: %w", mergeErr)
		}
	}
	t, again, err := streamSheet(f, name, spans, opt, false)
	if again {
		t, _, err = streamSheet(f, name, spans, opt, true)
	}
	if t != nil {
		t.Name = name
	}
	return t, errors.Join(err, mergeErr)
}

// streamSheet reads a sheet once. excelize's formatted values are what the sheet shows, with dates and lossy
// formats already rewritten (see rewriteStyles), but excelize renders any number of more than 15 significant
// digits as 15 (4111111111111111 becomes 4.11111111111111E+15 or 4111111111111110). Excel itself never
// stores such numbers; other writers (pandas, reporting tools) do, card numbers and long IDs among them.
// So a first pass reads formatted values only and gives up (again=true) at the first cell that may be such a
// number; the second pass, withRaw, streams a raw iterator in step and takes the raw value for those cells.
func streamSheet(f *excelize.File, name string, spans []span, opt Options, withRaw bool) (t *Table, again bool, err error) {
	for i := range spans {
		spans[i].val = ""
	}
	formatted, err := openRows(f, name)
	if err != nil {
		return nil, false, err
	}
	defer formatted.Close()
	var raw *excelize.Rows
	if withRaw {
		if raw, err = openRows(f, name); err != nil {
			return nil, false, err
		}
		defer raw.Close()
	}

	b := newBuilder(opt)
	m := mergeState{spans: spans}
	rawOpt := excelize.Options{RawCellValue: true}
	var cells, filled, rc []string
	var readErr error
	for num := 1; formatted.Next(); num++ {
		fc, err := formatted.Columns()
		if err != nil {
			readErr = fmt.Errorf("row %d: %w", num, err)
			break
		}
		if withRaw {
			if !raw.Next() {
				break
			}
			if rc, err = raw.Columns(rawOpt); err != nil {
				readErr = fmt.Errorf("row %d: %w", num, err)
				break
			}
		}
		cells = cells[:0]
		for i := 0; i < max(len(fc), len(rc)) && i < opt.MaxColumns; i++ {
			v := ""
			if i < len(fc) {
				v = fc[i]
			}
			if !withRaw {
				if mayBeRounded(v) {
					return nil, true, nil
				}
			} else if i < len(rc) && beyondPrecision(rc[i]) {
				v = rc[i]
			}
			cells = append(cells, v)
		}
		m.advance(num, cells)
		if isBlank(cells) && m.filledSpans == 0 {
			continue
		}
		if b.take(num) {
			filled = m.fill(append(filled[:0], cells...))
			b.put(filled)
		}
	}
	if readErr == nil {
		readErr = formatted.Error()
	}
	if readErr == nil && withRaw {
		readErr = raw.Error()
	}
	return b.finish(), false, readErr
}

// openRows opens excelize's row stream, keeping the sheet name (which can be personal) out of the error.
func openRows(f *excelize.File, name string) (*excelize.Rows, error) {
	rows, err := f.Rows(name)
	var missing excelize.ErrSheetNotExist
	switch {
	case errors.As(err, &missing):
		return nil, errors.New("open rows: worksheet part missing")
	case err != nil:
		return nil, fmt.Errorf("open rows: %w", err)
	}
	return rows, nil
}

// mayBeRounded reports whether a formatted cell could be a number excelize cut to 15 significant digits: it
// looks like a number (digits with separators, currency or percent, no letters but an exponent) and has an
// exponent or at least 16 digits. False alarms only cost a second pass.
func mayBeRounded(v string) bool {
	if len(v) < 16 && !strings.ContainsAny(v, "Ee") {
		return false
	}
	digits, exp := 0, false
	for i, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case (r == 'E' || r == 'e') && i > 0 && i+1 < len(v) && (v[i+1] == '+' || v[i+1] == '-'):
			exp = true
		case strings.ContainsRune(" ,.-+()%/:£$€'", r):
		default:
			return false
		}
	}
	return exp || digits >= 16
}

// beyondPrecision reports whether raw is a plain number whose integer part has 16 or more digits, which
// excelize's formatted value no longer shows whole.
func beyondPrecision(raw string) bool {
	intPart, frac, _ := strings.Cut(strings.TrimLeft(raw, "+-"), ".")
	intPart = strings.TrimLeft(intPart, "0")
	if len(intPart) < 16 {
		return false
	}
	for _, s := range []string{intPart, frac} {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
	}
	return true
}

// span is one merged range, 1-based and inclusive, with the value of its top-left cell once that row is read.
type span struct {
	top, left, bottom, right int
	val                      string
}

// mergeState tracks the merged ranges covering the current row. Spans are sorted by top row; active ones are
// those the current row falls in.
type mergeState struct {
	spans       []span
	next        int
	active      []*span
	filledSpans int // active spans with a non-empty value
	minBottom   int
}

// advance moves to row num, whose own cells are cells: it starts the spans that begin here, recording their
// top-left values, and drops the spans that ended above.
func (m *mergeState) advance(num int, cells []string) {
	if len(m.active) > 0 && num > m.minBottom {
		kept := m.active[:0]
		m.filledSpans, m.minBottom = 0, 0
		for _, s := range m.active {
			if s.bottom >= num {
				kept = append(kept, s)
				m.count(s)
			}
		}
		clear(m.active[len(kept):])
		m.active = kept
	}
	for m.next < len(m.spans) && m.spans[m.next].top <= num {
		s := &m.spans[m.next]
		m.next++
		if s.top < num || s.bottom < num {
			continue // began on a row the stream never produced
		}
		if s.left-1 < len(cells) {
			s.val = cells[s.left-1]
		}
		m.active = append(m.active, s)
		m.count(s)
	}
}

func (m *mergeState) count(s *span) {
	if strings.TrimSpace(s.val) != "" {
		m.filledSpans++
	}
	if m.minBottom == 0 || s.bottom < m.minBottom {
		m.minBottom = s.bottom
	}
}

// fill gives every cell an active span covers the span's value, as Excel shows it.
func (m *mergeState) fill(cells []string) []string {
	for _, s := range m.active {
		if s.val == "" {
			continue
		}
		for len(cells) < s.right {
			cells = append(cells, "")
		}
		for c := s.left; c <= s.right; c++ {
			cells[c-1] = s.val
		}
	}
	return cells
}

// scanMerges finds the <mergeCells> block of a worksheet part without building the sheet in memory (excelize's
// GetMergeCells loads the whole sheet). The block follows <sheetData>, so the part is read to it with a plain
// byte search, then decoded.
func scanMerges(part *zip.File, maxCols int) ([]span, error) {
	rc, err := part.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	const chunk, keep = 64 << 10, 64
	buf := make([]byte, 0, chunk+keep)
	pat := []byte("mergeCells")
	for {
		tail := len(buf)
		n, rerr := io.ReadFull(rc, buf[tail:cap(buf)])
		buf = buf[:tail+n]
		if start := mergeTagStart(buf, pat); start >= 0 {
			d := xml.NewDecoder(io.MultiReader(bytes.NewReader(buf[start:]), rc))
			return decodeMerges(d, maxCols)
		}
		if rerr != nil {
			if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
				return nil, nil
			}
			return nil, rerr
		}
		// Keep a tail so a tag cut by the chunk boundary is still found with its "<prefix:" in view.
		k := min(keep, len(buf))
		copy(buf, buf[len(buf)-k:])
		buf = buf[:k]
	}
}

// mergeTagStart returns the offset of the "<" opening a mergeCells element (with or without a namespace
// prefix), or -1. Text content cannot hold a raw "<", so a match there is markup.
func mergeTagStart(buf, pat []byte) int {
	for off := 0; ; {
		i := bytes.Index(buf[off:], pat)
		if i < 0 {
			return -1
		}
		i += off
		off = i + len(pat)
		if off < len(buf) && !bytes.ContainsRune([]byte(" \t\r\n/>"), rune(buf[off])) {
			continue
		}
		j := i - 1
		if j >= 0 && buf[j] == ':' {
			j--
			for j >= 0 && isNameByte(buf[j]) {
				j--
			}
		}
		if j >= 0 && buf[j] == '<' {
			return j
		}
	}
}

func isNameByte(c byte) bool {
	return c == '_' || c == '-' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func decodeMerges(d *xml.Decoder, maxCols int) ([]span, error) {
	var spans []span
	for len(spans) < maxMerges {
		tok, err := d.RawToken()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return sortSpans(spans), err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "mergeCell" {
				continue
			}
			for _, a := range t.Attr {
				if a.Name.Local == "ref" {
					if s, ok := parseSpan(a.Value, maxCols); ok {
						spans = append(spans, s)
					}
				}
			}
		case xml.EndElement:
			if t.Name.Local == "mergeCells" {
				return sortSpans(spans), nil
			}
		}
	}
	return sortSpans(spans), nil
}

func sortSpans(spans []span) []span {
	slices.SortStableFunc(spans, func(a, b span) int { return a.top - b.top })
	return spans
}

func parseSpan(ref string, maxCols int) (span, bool) {
	from, to, ok := strings.Cut(ref, ":")
	if !ok {
		return span{}, false
	}
	c1, r1, err1 := excelize.CellNameToCoordinates(from)
	c2, r2, err2 := excelize.CellNameToCoordinates(to)
	if err1 != nil || err2 != nil {
		return span{}, false
	}
	s := span{top: min(r1, r2), bottom: max(r1, r2), left: min(c1, c2), right: min(max(c1, c2), maxCols)}
	if s.left > maxCols || (s.top == s.bottom && s.left == s.right) {
		return span{}, false
	}
	return s, true
}

// sheetRef is one entry of the workbook's sheet list.
type sheetRef struct {
	name      string
	path      string // zip path of the part
	worksheet bool   // false for chart, dialog and macro sheets
}

// zipIndex maps lower-cased, slash-separated part names to entries: producers disagree on case and a few
// write backslashes.
func zipIndex(zr *zip.Reader) map[string]*zip.File {
	m := make(map[string]*zip.File, len(zr.File))
	for _, zf := range zr.File {
		m[strings.ToLower(strings.ReplaceAll(zf.Name, `\`, "/"))] = zf
	}
	return m
}

type relationships struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type workbookXML struct {
	Sheets []struct {
		Name string `xml:"name,attr"`
		RID  string `xml:"id,attr"` // r:id; matched by local name so strict OOXML files work too
	} `xml:"sheets>sheet"`
}

// listSheets reads the workbook's sheet list and resolves each sheet's part and kind.
func listSheets(parts map[string]*zip.File) ([]sheetRef, error) {
	wbPath := "xl/workbook.xml"
	var root relationships
	if err := decodePart(parts, "_rels/.rels", &root); err == nil {
		for _, r := range root.Rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				wbPath = resolvePart("", r.Target)
			}
		}
	}
	var wb workbookXML
	if err := decodePart(parts, wbPath, &wb); err != nil {
		return nil, err
	}
	var rels relationships
	dir, file := path.Split(wbPath)
	if err := decodePart(parts, dir+"_rels/"+file+".rels", &rels); err != nil {
		return nil, err
	}
	sheets := make([]sheetRef, 0, len(wb.Sheets))
	for _, s := range wb.Sheets {
		ref := sheetRef{name: s.Name, worksheet: true}
		for _, r := range rels.Rels {
			if r.ID == s.RID {
				ref.path = resolvePart(dir, r.Target)
				ref.worksheet = strings.HasSuffix(r.Type, "/worksheet")
			}
		}
		sheets = append(sheets, ref)
	}
	return sheets, nil
}

func resolvePart(dir, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	if strings.HasPrefix(target, "/") {
		return path.Clean(target[1:])
	}
	return path.Clean(dir + target)
}

func decodePart(parts map[string]*zip.File, name string, v any) error {
	zf, ok := parts[strings.ToLower(name)]
	if !ok {
		return fmt.Errorf("part %s: missing", name)
	}
	rc, err := zf.Open()
	if err != nil {
		return fmt.Errorf("part %s: %w", name, err)
	}
	defer rc.Close()
	if err := xml.NewDecoder(bufio.NewReader(io.LimitReader(rc, maxPartBytes))).Decode(v); err != nil {
		return fmt.Errorf("part %s: %w", name, err)
	}
	return nil
}
