package sheet

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
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

// minSerial is the smallest number read as an Excel serial date (1908-03-18 in the 1900 system). Smaller plain
// numbers in a date column are years, counts or codes, and reading 2019 as 1905-07-11 would call it stale.
const (
	minSerial = 3000
	maxSerial = 2958465 // 9999-12-31
)

// counter judges rows once the header is known. Rows arrive as the sampler sees them (non-blank, cut to the
// column limit), so the header and the column names agree with the sampled Table exactly.
type counter struct {
	opt      CountOptions
	pivot    int // two-digit years up to this are 20xx
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
		c.cutoffs = append(c.cutoffs, utcDate(cond.Cutoff))
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
	if d, ok := ParseDate(v, c.pivot); ok {
		return d, true
	}
	if c.serials {
		return serialDate(v, c.date1904)
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
// The workbook itself is held in memory as ReadXLSX holds it (zip needs random access; large sheets are
// unpacked to temporary files); the rows are not.
func CountXLSX(ctx context.Context, r io.Reader, sheetName string, opt CountOptions) (res CountResult, err error) {
	c, err := newCounter(opt)
	if err != nil {
		return CountResult{}, err
	}
	c.serials = true
	data, err := io.ReadAll(io.LimitReader(r, maxWorkbookBytes+1))
	if err != nil {
		return CountResult{}, fmt.Errorf("count workbook: %w", err)
	}
	if len(data) > maxWorkbookBytes {
		return CountResult{}, fmt.Errorf("count workbook: larger than %d MiB", maxWorkbookBytes>>20)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err == nil {
		err = checkSizes(zr)
	}
	if err != nil {
		return CountResult{}, fmt.Errorf("count workbook: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			err = errors.Join(err, fmt.Errorf("count workbook: %w", panicError(p)))
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    unzipLimit,
		UnzipXMLSizeLimit: unzipXMLLimit,
	})
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

// serialDate reads a plain non-negative number as an Excel serial date, ignoring the time of day (a serial
// carries no time zone). Serials below minSerial are refused, which also keeps clear of the 1900 system's
// phantom 29 February 1900 (serial 60).
func serialDate(v string, date1904 bool) (time.Time, bool) {
	for i := 0; i < len(v); i++ {
		if (v[i] < '0' || v[i] > '9') && v[i] != '.' {
			return time.Time{}, false
		}
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < minSerial || f >= maxSerial+1 {
		return time.Time{}, false
	}
	days := int(f)
	if date1904 {
		return time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days), true
	}
	return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days), true
}

func utcDate(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDate reads a date as UK records write it and returns its UTC calendar date (midnight UTC). pivot
// decides two-digit years: 00 to pivot are 20xx, pivot+1 to 99 are 19xx (callers pass the as-of year mod 100).
//
// Accepted: ISO yyyy-mm-dd or yyyy/mm/dd, optionally with a time (T or space) and a zone (Z, UTC, GMT, +hh,
// +hhmm, +hh:mm), a zoned time being converted to UTC first, so 2019-06-01T00:30+01:00 is 31 May 2019; a time
// without a zone is taken as UTC. Day first numeric dates dd/mm/yyyy and d/m/yy with /, - or . (never month
// first: these are UK records), optionally followed by a time. Month names, full or three-letter (and "Sept"),
// day first or month first: "5 July 2019", "5th Jul 2019", "05-Jul-19", "Friday 5 July 2019", "July 5, 2019".
// Impossible dates (31/04/2019, 29/02/2019) are refused.
func ParseDate(s string, pivot int) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 6 || len(s) > 64 {
		return time.Time{}, false
	}
	if n := leadingDigits(s); n == 4 && (s[4] == '-' || s[4] == '/') {
		return parseISO(s)
	} else if n >= 1 && n <= 2 && (s[n] == '/' || s[n] == '-' || s[n] == '.') {
		if d, ok := parseDMY(s, n, pivot); ok {
			return d, true
		}
	}
	return parseWords(s, pivot)
}

func leadingDigits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == len(s) {
		return -1
	}
	return n
}

// digits reads exactly n digits at s[i:].
func digits(s string, i, n int) (int, bool) {
	if i+n > len(s) {
		return 0, false
	}
	v := 0
	for _, c := range []byte(s[i : i+n]) {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func mkDate(y, m, d int) (time.Time, bool) {
	if y < 1 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // time.Date normalises 31 April to 1 May; a record that says so is not a date
		return time.Time{}, false
	}
	return t, true
}

func parseISO(s string) (time.Time, bool) {
	sep := s[4]
	y, ok1 := digits(s, 0, 4)
	m, ok2 := digits(s, 5, 2)
	d, ok3 := digits(s, 8, 2)
	if !ok1 || !ok2 || !ok3 || len(s) < 10 || s[7] != sep {
		return time.Time{}, false
	}
	date, ok := mkDate(y, m, d)
	if !ok {
		return time.Time{}, false
	}
	rest := s[10:]
	if rest == "" {
		return date, true
	}
	if rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ' {
		return time.Time{}, false
	}
	clock, rest, ok := parseClock(strings.TrimLeft(rest[1:], " "))
	if !ok {
		return time.Time{}, false
	}
	offset, ok := parseZone(strings.TrimSpace(rest))
	if !ok {
		return time.Time{}, false
	}
	return utcDate(date.Add(clock - offset)), true
}

// parseClock reads hh:mm[:ss[.fff]] and returns it with what follows.
func parseClock(s string) (time.Duration, string, bool) {
	h, ok1 := digits(s, 0, 2)
	mi, ok2 := digits(s, 3, 2)
	if !ok1 || !ok2 || s[2] != ':' || h > 23 || mi > 59 {
		return 0, s, false
	}
	d := time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute
	s = s[5:]
	if len(s) >= 3 && s[0] == ':' {
		sec, ok := digits(s, 1, 2)
		if !ok || sec > 60 {
			return 0, s, false
		}
		d += time.Duration(sec) * time.Second
		s = s[3:]
		if len(s) > 1 && (s[0] == '.' || s[0] == ',') {
			i := 1
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				i++
			}
			if i == 1 {
				return 0, s, false
			}
			s = s[i:] // fractions of a second cannot move the date
		}
	}
	return d, s, true
}

// parseZone reads "", Z, UTC, GMT, +hh, +hhmm or +hh:mm and returns the offset east of UTC.
func parseZone(s string) (time.Duration, bool) {
	switch strings.ToUpper(s) {
	case "", "Z", "UTC", "GMT":
		return 0, true
	}
	if s[0] != '+' && s[0] != '-' && !strings.HasPrefix(s, "−") {
		return 0, false
	}
	sign := time.Duration(1)
	if s[0] != '+' {
		sign = -1
	}
	if strings.HasPrefix(s, "−") { // U+2212, which word processors put in offsets
		s = "-" + s[len("−"):]
	}
	s = s[1:]
	h, ok := digits(s, 0, 2)
	if !ok || h > 14 {
		return 0, false
	}
	m := 0
	switch rest := s[2:]; {
	case rest == "":
	case len(rest) == 2:
		m, ok = digits(rest, 0, 2)
	case len(rest) == 3 && rest[0] == ':':
		m, ok = digits(rest, 1, 2)
	default:
		ok = false
	}
	if !ok || m > 59 {
		return 0, false
	}
	return sign * (time.Duration(h)*time.Hour + time.Duration(m)*time.Minute), true
}

// parseDMY reads d/m/y with one separator used twice (n is the length of the day), then an optional time.
func parseDMY(s string, n, pivot int) (time.Time, bool) {
	sep := s[n]
	day, _ := digits(s, 0, n)
	rest := s[n+1:]
	mn := leadingDigits(rest)
	if mn < 1 || mn > 2 || rest[mn] != sep {
		return time.Time{}, false
	}
	month, _ := digits(rest, 0, mn)
	rest = rest[mn+1:]
	yn := 0
	for yn < len(rest) && rest[yn] >= '0' && rest[yn] <= '9' {
		yn++
	}
	if yn != 2 && yn != 4 {
		return time.Time{}, false
	}
	year, _ := digits(rest, 0, yn)
	if yn == 2 {
		year = fullYear(year, pivot)
	}
	date, ok := mkDate(year, month, day)
	if !ok {
		return time.Time{}, false
	}
	rest = strings.TrimSpace(rest[yn:])
	if rest == "" {
		return date, true
	}
	// A time after a day-first date: its zone, if any, is honoured like ISO's.
	clock, rest, ok := parseClock(rest)
	if !ok {
		return time.Time{}, false
	}
	offset, ok := parseZone(strings.TrimSpace(rest))
	if !ok {
		return time.Time{}, false
	}
	return utcDate(date.Add(clock - offset)), true
}

func fullYear(yy, pivot int) int {
	if yy <= pivot {
		return 2000 + yy
	}
	return 1900 + yy
}

var months = map[string]int{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
	"may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
	"sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
	"dec": 12, "december": 12,
}

var weekdays = map[string]bool{
	"mon": true, "monday": true, "tue": true, "tues": true, "tuesday": true, "wed": true, "wednesday": true,
	"thu": true, "thur": true, "thurs": true, "thursday": true, "fri": true, "friday": true,
	"sat": true, "saturday": true, "sun": true, "sunday": true,
}

// parseWords reads dates with a month name: day month year or month day year, after an optional weekday,
// with an optional trailing time (no zone: a zoned time is written in ISO by the systems that write one).
func parseWords(s string, pivot int) (time.Time, bool) {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ' ' || r == ',' || r == '-' || r == '.' || r == '/'
	})
	if len(f) > 0 && weekdays[f[0]] {
		f = f[1:]
	}
	if len(f) == 4 {
		if _, rest, ok := parseClock(f[3]); !ok || rest != "" {
			return time.Time{}, false
		}
		f = f[:3]
	}
	if len(f) != 3 {
		return time.Time{}, false
	}
	dayTok, monTok := f[0], f[1]
	if _, ok := months[f[0]]; ok {
		dayTok, monTok = f[1], f[0]
	}
	month, ok := months[monTok]
	if !ok {
		return time.Time{}, false
	}
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if t, cut := strings.CutSuffix(dayTok, suf); cut {
			dayTok = t
			break
		}
	}
	if len(dayTok) < 1 || len(dayTok) > 2 {
		return time.Time{}, false
	}
	day, ok := digits(dayTok, 0, len(dayTok))
	if !ok {
		return time.Time{}, false
	}
	if len(f[2]) != 2 && len(f[2]) != 4 {
		return time.Time{}, false
	}
	year, ok := digits(f[2], 0, len(f[2]))
	if !ok {
		return time.Time{}, false
	}
	if len(f[2]) == 2 {
		year = fullYear(year, pivot)
	}
	return mkDate(year, month, day)
}
