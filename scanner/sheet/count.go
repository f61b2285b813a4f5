package sheet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/datamap-uk/datamap/detectors"
)

// DateCondition is one column whose date must be present and before Cutoff for a row to be stale.
type DateCondition struct {
	Column string    // a header name as Table.Header gives it (matched exactly, then ignoring case)
	Cutoff time.Time // compared as a UTC calendar date: a date on the cutoff day itself is not stale
}

// CountOptions says how CountCSV and CountXLSX judge a row. A row is stale when every condition's cell holds a
// date before that condition's cutoff and the row is not held. An empty cell is an open record (no end date
// yet) and is never stale; a cell that cannot be read as a date is not stale either, and is counted.
type CountOptions struct {
	Conditions []DateCondition
	HoldColumn string   // optional: rows whose cell in this column equals one of HoldValues are never stale
	HoldValues []string // compared trimmed and ignoring case
	// AsOf decides two-digit years: 00 up to AsOf's two-digit year are 20xx, the rest 19xx. Pass the run's
	// as-of date so counts are reproducible; zero means today.
	AsOf time.Time
}

// CountResult is what a counting pass found. Counts and dates only: never a cell's value.
type CountResult struct {
	Stale      int64
	Total      int64     // data rows: every non-blank row below the header, as Table.TotalRows counts them
	Oldest     time.Time // earliest date of the first condition among the stale rows (UTC midnight); zero if none
	Unreadable int64     // rows with a condition cell that is not empty and could not be read as a date
	Held       int64     // rows past every cutoff but under the hold, so not counted as stale
	Skipped    int64     // CSV records that could not be parsed at all (counted in Total, never stale)
	Missing    int64     // rows whose first condition's cell is empty (for consent: no consent recorded)
	Encoding   string    // CSV only, as Table.Encoding
	Delimiter  rune      // CSV only
}

// ErrColumnNotFound reports a condition or hold column the table's header does not have.
var ErrColumnNotFound = errors.New("column not found")

// counter judges rows once the header is known. Rows arrive as the sampler sees them (non-blank, cut to the
// column limit), so the header and the column names agree with the sampled Table exactly.
type counter struct {
	opt      CountOptions
	pivot    int // two-digit years up to this are 20xx: see detectors.ParseCellDate
	date1904 bool
	serials  bool // plain numbers are Excel serial dates (xlsx only)
	cutoffs  []time.Time
	holds    map[string]bool

	window  [][]string
	decided bool
	width   int
	cols    []int // condition columns
	holdCol int   // -1 without a hold
	res     CountResult
}

func newCounter(opt CountOptions) (*counter, error) {
	if len(opt.Conditions) == 0 {
		return nil, errors.New("count: no date conditions")
	}
	asOf := opt.AsOf
	if asOf.IsZero() {
		asOf = time.Now()
	}
	c := &counter{opt: opt, pivot: asOf.UTC().Year() % 100, holdCol: -1}
	for _, cond := range opt.Conditions {
		c.cutoffs = append(c.cutoffs, detectors.UTCDay(cond.Cutoff))
	}
	if opt.HoldColumn != "" {
		c.holds = make(map[string]bool, len(opt.HoldValues))
		for _, v := range opt.HoldValues {
			c.holds[strings.ToLower(strings.TrimSpace(v))] = true
		}
	}
	return c, nil
}

// row offers one non-blank row. The first headerWindow rows are held until the header is decided, as the
// sampler does.
func (c *counter) row(cells []string) error {
	if c.decided {
		c.judge(cells)
		return nil
	}
	c.window = append(c.window, c.clone(cells))
	if len(c.window) >= headerWindow {
		return c.decide()
	}
	return nil
}

// clone keeps a window row as the sampler keeps it: each cell cut to the cell limit, so the header decision is
// the same and twenty runaway cells cannot hold the record limit twenty times over.
func (c *counter) clone(cells []string) []string {
	out := make([]string, len(cells))
	for i, v := range cells {
		out[i] = strings.Clone(cutCell(v, defaultMaxCellBytes))
	}
	return out
}

// decide mirrors builder.decide: same header row, same width, same deduplicated names.
func (c *counter) decide() error {
	c.decided = true
	rows := c.window
	c.window = nil
	h := detectHeader(rows)
	data := rows
	width := 0
	if h >= 0 {
		data = rows[h+1:]
		width = rowWidth(rows[h])
	}
	for _, r := range data {
		width = max(width, rowWidth(r))
	}
	c.width = width
	header := make([]string, width)
	for i := range header {
		if h >= 0 && i < len(rows[h]) {
			header[i] = headerName(rows[h][i], defaultMaxCellBytes)
		}
	}
	header = dedupe(header)
	for i, cond := range c.opt.Conditions {
		col := findColumn(header, cond.Column)
		if col < 0 {
			// The position, not the name: the caller knows its query, and the error may be logged.
			return fmt.Errorf("date condition %d: %w", i+1, ErrColumnNotFound)
		}
		c.cols = append(c.cols, col)
	}
	if c.opt.HoldColumn != "" {
		if c.holdCol = findColumn(header, c.opt.HoldColumn); c.holdCol < 0 {
			// Ignoring a hold the table cannot express would count held rows as stale.
			return fmt.Errorf("hold: %w", ErrColumnNotFound)
		}
	}
	for _, r := range data {
		c.judge(r)
	}
	return nil
}

func findColumn(header []string, name string) int {
	for i, h := range header {
		if h == name {
			return i
		}
	}
	for i, h := range header {
		if strings.EqualFold(h, name) {
			return i
		}
	}
	return -1
}

func (c *counter) judge(cells []string) {
	c.res.Total++
	cell := func(i int) string {
		if i < len(cells) && i < c.width {
			return strings.TrimSpace(cells[i])
		}
		return ""
	}
	stale, open, bad := true, false, false
	var first time.Time
	for i, col := range c.cols {
		v := cell(col)
		if v == "" {
			if i == 0 {
				c.res.Missing++
			}
			open = true
			continue
		}
		d, ok := c.parse(v)
		if !ok {
			bad = true
			continue
		}
		if i == 0 {
			first = d
		}
		if !d.Before(c.cutoffs[i]) {
			stale = false
		}
	}
	switch {
	case bad:
		c.res.Unreadable++
	case open || !stale:
	case c.holdCol >= 0 && c.holds[strings.ToLower(cell(c.holdCol))]:
		c.res.Held++
	default:
		c.res.Stale++
		if c.res.Oldest.IsZero() || first.Before(c.res.Oldest) {
			c.res.Oldest = first
		}
	}
}

func (c *counter) parse(v string) (time.Time, bool) {
	if d, ok := detectors.ParseCellDate(v, c.pivot); ok {
		return d, true
	}
	if c.serials {
		return detectors.ExcelSerial(v, c.date1904)
	}
	return time.Time{}, false
}

func (c *counter) finish() (CountResult, error) {
	if !c.decided {
		if err := c.decide(); err != nil {
			return c.res, err
		}
	}
	return c.res, nil
}

// CountCSV streams r once, decoded and split exactly as ReadCSV does (encoding, delimiter, header under title
// rows), and counts the stale rows. Memory is bounded by the header window and one record, whatever the
// length of the file. Cancelling ctx stops the pass between records.
//
// A condition or hold column missing from the header is an error wrapping ErrColumnNotFound. If reading stops
// part way, the counts so far are returned with the error.
func CountCSV(ctx context.Context, r io.Reader, opt CountOptions) (CountResult, error) {
	c, err := newCounter(opt)
	if err != nil {
		return CountResult{}, err
	}
	sc, err := openCSV(r, Options{})
	if err != nil {
		return c.res, fmt.Errorf("count csv: %w", err)
	}
	c.res.Encoding, c.res.Delimiter = sc.enc, sc.delim
	err = sc.each(ctx, func(_ int, rec []string) error { return c.row(rec) })
	// A record that could not be parsed is a row whose dates nobody could read; ReadCSV counts it the same way.
	c.res.Total += sc.skipped
	c.res.Skipped = sc.skipped
	if err != nil {
		return c.res, fmt.Errorf("count csv: %w", err)
	}
	res, err := c.finish()
	if err != nil {
		return res, fmt.Errorf("count csv: %w", err)
	}
	return res, nil
}

// CountXLSX counts the stale rows of one worksheet, named as in the workbook, in one pass of excelize's row
// stream. Cells are read as ReadXLSX reads them: date-styled cells come out as ISO dates in either date
// system, merged cells are spread, and the header is found under title rows. Plain numbers from 3000 up in a
// condition column are read as serial dates in the workbook's date system (1900 or 1904).
//
// The workbook is the size bytes of ra. It is held in memory while excelize opens it, as ReadXLSX holds it
// (large sheets are unpacked to temporary files); the rows are not.
func CountXLSX(ctx context.Context, ra io.ReaderAt, size int64, sheetName string, opt CountOptions) (res CountResult, err error) {
	c, err := newCounter(opt)
	if err != nil {
		return CountResult{}, err
	}
	c.serials = true
	defer func() {
		if p := recover(); p != nil {
			err = errors.Join(err, fmt.Errorf("count workbook: %w", panicError(p)))
		}
	}()
	f, zr, err := openWorkbook(ra, size)
	if err != nil {
		return CountResult{}, fmt.Errorf("count workbook: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close workbook: %w", cerr))
		}
	}()
	if props, perr := f.GetWorkbookProps(); perr == nil && props.Date1904 != nil {
		c.date1904 = *props.Date1904
	}
	parts := zipIndex(zr)
	var part string
	found := false
	if sheets, lerr := listSheets(parts); lerr == nil {
		for _, s := range sheets {
			if s.name == sheetName && s.worksheet {
				part, found = s.path, true
			}
		}
	} else {
		for _, name := range f.GetSheetList() {
			found = found || name == sheetName
		}
	}
	if !found {
		return CountResult{}, errors.New("count workbook: no such worksheet")
	}
	var spans []span
	if zf := parts[strings.ToLower(part)]; zf != nil {
		// Merged ranges that cannot be read only cost spreading, as in ReadXLSX.
		spans, _ = scanMerges(zf, defaultMaxColumns)
	}
	rewriteStyles(f)
	rows, err := openRows(f, sheetName)
	if err != nil {
		return CountResult{}, fmt.Errorf("count workbook: %w", err)
	}
	defer rows.Close()
	m := mergeState{spans: spans}
	var cells, filled []string
	for num := 1; rows.Next(); num++ {
		if num%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return c.res, err
			}
		}
		fc, err := rows.Columns()
		if err != nil {
			return c.res, fmt.Errorf("count workbook: row %d: %w", num, err)
		}
		cells = append(cells[:0], fc[:min(len(fc), defaultMaxColumns)]...)
		m.advance(num, cells)
		if isBlank(cells) && m.filledSpans == 0 {
			continue
		}
		filled = m.fill(append(filled[:0], cells...))
		if err := c.row(filled); err != nil {
			return c.res, fmt.Errorf("count workbook: %w", err)
		}
	}
	if err := rows.Error(); err != nil {
		return c.res, fmt.Errorf("count workbook: %w", err)
	}
	if res, err = c.finish(); err != nil {
		return res, fmt.Errorf("count workbook: %w", err)
	}
	return res, nil
}
