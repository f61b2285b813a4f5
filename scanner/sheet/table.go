package sheet

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// headerWindow is how many non-blank rows at the top are examined for the header. Title blocks in registers
// rarely run past five rows; twenty leaves room for a notes block without holding much.
const headerWindow = 20

// pcgStream is the fixed second PCG word: Options.Seed picks the sequence, this only has to be constant.
const pcgStream = 0x9E3779B97F4A7C15

type windowRow struct {
	num   int
	cells []string
}

type keptRow struct {
	seq   int
	cells []string
}

// builder turns a stream of non-blank rows into a Table: it holds the first rows until the header is decided,
// then keeps a uniform reservoir sample (Algorithm R) of the data rows, so memory is bounded by SampleRows and
// the window, never by the length of the sheet.
//
// Callers offer each non-blank row with take and, only when take says the row is wanted, hand over its cells
// with put. That lets the xlsx reader skip expanding merged cells for the rows the sample will never see.
type builder struct {
	opt    Options
	rng    *rand.Rand
	window []windowRow

	decided   bool
	header    []string
	headerRow int
	width     int

	pendingNum int // row number of the window row take accepted
	slot       int // reservoir slot put fills, or -1 to append
	kept       []keptRow
	total      int
}

func newBuilder(opt Options) *builder {
	return &builder{opt: opt, rng: rand.New(rand.NewPCG(opt.Seed, pcgStream))}
}

// take counts one non-blank row (num is its 1-based row number) and reports whether put must follow with its
// cells.
func (b *builder) take(num int) bool {
	if !b.decided {
		b.pendingNum = num
		return true
	}
	return b.admit()
}

// admit counts one data row and decides whether the reservoir keeps it.
func (b *builder) admit() bool {
	n := b.total
	b.total++
	if n < b.opt.SampleRows {
		b.slot = -1
		return true
	}
	if j := b.rng.Uint64N(uint64(n) + 1); j < uint64(b.opt.SampleRows) {
		b.slot = int(j)
		return true
	}
	return false
}

// put stores the cells of the row take accepted. cells is copied; the caller may reuse it.
func (b *builder) put(cells []string) {
	if !b.decided {
		b.window = append(b.window, windowRow{num: b.pendingNum, cells: b.copyCells(nil, cells, len(cells))})
		if len(b.window) >= headerWindow {
			b.decide()
		}
		return
	}
	b.keep(cells)
}

func (b *builder) keep(cells []string) {
	seq := b.total - 1
	if b.slot < 0 {
		b.kept = append(b.kept, keptRow{seq: seq, cells: b.copyCells(nil, cells, b.width)})
		return
	}
	k := &b.kept[b.slot]
	k.seq = seq
	k.cells = b.copyCells(k.cells[:0], cells, b.width)
}

// copyCells copies cells into dst padded or cut to width, each cell cut to MaxCellBytes and cloned so a kept
// row does not pin the reader's buffers.
func (b *builder) copyCells(dst, cells []string, width int) []string {
	for i := 0; i < width; i++ {
		v := ""
		if i < len(cells) {
			v = strings.Clone(cutCell(cells[i], b.opt.MaxCellBytes))
		}
		dst = append(dst, v)
	}
	return dst
}

// decide picks the header from the window and feeds the rows below it to the reservoir.
func (b *builder) decide() {
	b.decided = true
	rows := make([][]string, len(b.window))
	for i, w := range b.window {
		rows[i] = w.cells
	}
	h := detectHeader(rows)
	data := rows
	if h >= 0 {
		b.headerRow = b.window[h].num
		data = rows[h+1:]
	}
	width := 0
	if h >= 0 {
		width = rowWidth(rows[h])
	}
	for _, r := range data {
		width = max(width, rowWidth(r))
	}
	b.width = width
	b.header = make([]string, width)
	for i := range b.header {
		if h >= 0 && i < len(rows[h]) {
			b.header[i] = headerName(rows[h][i], b.opt.MaxCellBytes)
		}
	}
	b.header = dedupe(b.header)
	b.window = nil
	for _, r := range data {
		if b.admit() {
			b.keep(r)
		}
	}
}

func (b *builder) finish() *Table {
	if !b.decided {
		b.decide()
	}
	slices.SortFunc(b.kept, func(x, y keptRow) int { return x.seq - y.seq })
	rows := make([][]string, len(b.kept))
	for i, k := range b.kept {
		rows[i] = k.cells
	}
	return &Table{Header: b.header, HeaderRow: b.headerRow, Rows: rows, TotalRows: b.total}
}

// detectHeader returns the index of the header row in the window, or -1 when the table has none.
//
// The header is the first row that fills more than half the width of the widest row, reads as labels rather
// than values, is not one value repeated, and is followed by rows of similar width. Rows above it must look
// like titles (one value, possibly merged across, or at most half as wide as the table); a wide row of values
// above any candidate means the table starts with data and has no header.
func detectHeader(rows [][]string) int {
	if len(rows) == 0 {
		return -1
	}
	filled := make([]int, len(rows))
	widest := 0
	for i, r := range rows {
		filled[i] = nonEmpty(r)
		widest = max(widest, filled[i])
	}
	for i, r := range rows {
		if filled[i]*2 > widest && looksLikeHeader(r, filled[i]) && followedByData(rows, filled, i) {
			return i
		}
		if !looksLikeTitle(r, filled[i], widest) {
			return -1
		}
	}
	return -1
}

func looksLikeHeader(r []string, filled int) bool {
	labels := 0
	seen := make(map[string]bool, filled)
	for _, c := range r {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if isLabel(c) {
			labels++
		}
		seen[strings.ToLower(c)] = true
	}
	if labels*2 <= filled {
		return false
	}
	// Repeated names are allowed (exports repeat "Email"), but a row of one value, such as a title merged
	// across the table, is not a header.
	return filled == 1 || (len(seen) >= 2 && len(seen)*3 > filled)
}

// followedByData checks the rows under a candidate header: at least one of the next three must be about as
// wide, and the candidate's values must not keep turning up in the columns below (a data row of repeated
// categories such as "Active" or "London" would otherwise pass for a header).
func followedByData(rows [][]string, filled []int, i int) bool {
	next := rows[i+1:]
	if len(next) == 0 {
		return true
	}
	wide := false
	for j := 1; j <= 3 && i+j < len(rows); j++ {
		if filled[i+j]*2 >= filled[i] {
			wide = true
		}
	}
	if !wide {
		return false
	}
	repeats := 0
	for col, c := range rows[i] {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		for _, r := range next {
			if col < len(r) && strings.EqualFold(strings.TrimSpace(r[col]), c) {
				repeats++
				break
			}
		}
	}
	return repeats*2 <= filled[i]
}

// looksLikeTitle reports whether a row above the header can be skipped as a title: a single value (perhaps
// merged across the table) or a row at most half as wide as the widest one.
func looksLikeTitle(r []string, filled, widest int) bool {
	if filled*2 <= widest {
		return true
	}
	first := ""
	for _, c := range r {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if first == "" {
			first = c
		} else if !strings.EqualFold(c, first) {
			return false
		}
	}
	return true
}

// isLabel reports whether a cell reads like a column name rather than a value: it has letters, no more digits
// than letters, and is not an email, URL, number or date. Postcodes and other short codes can pass; the other
// header tests catch most such rows.
func isLabel(s string) bool {
	if len(s) > 256 || strings.ContainsRune(s, '@') || strings.Contains(s, "://") {
		return false
	}
	letters, digits := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		}
	}
	return letters > 0 && digits <= 4 && digits <= letters
}

func nonEmpty(r []string) int {
	n := 0
	for _, c := range r {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

func isBlank(r []string) bool {
	for _, c := range r {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// rowWidth is the index after the last non-empty cell, so trailing empty columns do not widen the table.
func rowWidth(r []string) int {
	for i := len(r) - 1; i >= 0; i-- {
		if strings.TrimSpace(r[i]) != "" {
			return i + 1
		}
	}
	return 0
}

// headerName trims a header cell and folds the line breaks that wrapped headers ("Date of\nbirth") carry into
// single spaces.
func headerName(s string, maxBytes int) string {
	return cutCell(strings.Join(strings.Fields(s), " "), maxBytes)
}

// dedupe names blank columns column_N and suffixes repeats _2, _3, ... Repeats are found case-insensitively,
// since downstream field-name matching ignores case.
func dedupe(names []string) []string {
	seen := make(map[string]bool, len(names))
	for i, n := range names {
		if n == "" {
			n = "column_" + strconv.Itoa(i+1)
		}
		base := n
		for k := 2; seen[strings.ToLower(n)]; k++ {
			n = base + "_" + strconv.Itoa(k)
		}
		seen[strings.ToLower(n)] = true
		names[i] = n
	}
	return names
}

// cutCell cuts s to at most max bytes without splitting a rune.
func cutCell(s string, max int) string {
	if len(s) <= max {
		return s
	}
	n := max
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
