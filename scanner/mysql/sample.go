package mysql

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/datamap-uk/datamap/scanner"
)

const (
	chunkRows     = 100 // rows per key range a full sample needs
	minChunks     = 20  // key ranges per sample at least, however small the sample
	chunksPerStmt = 20  // chunks joined by UNION ALL into one statement: fewer round trips
	smallFactor   = 5   // a table up to this many times the sample is read whole (bounded) and sampled here
	keyRounds     = 3   // extra rounds that cut again the key ranges that came back full
	leadRangesPer = 4   // leadRanges cuts a key into this many ranges per chunk a full sample needs
)

// Values are cut server-side, as PostgreSQL's are, so a sample of enormous documents cannot blow the memory:
// a few kilobytes of a notes field are plenty for the detectors, and JSON gets more room because a cut
// document cannot be parsed.
const (
	maxTextChars = 8 << 10
	maxJSONChars = 64 << 10
)

// Sample implements scanner.Source. Failures of the table are recorded through out and nil is returned;
// only a cancelled scan returns an error.
func (s *Source) Sample(ctx context.Context, u scanner.Unit, out scanner.Sink) error {
	s.mu.Lock()
	t := s.tables[u.Name]
	s.mu.Unlock()
	if t == nil {
		return errUnknownTable
	}
	c, err := s.sample(ctx, t, u.Name)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		reason, detail := classify(err, s.scrub)
		out.Unreadable(scanner.Unreadable{Path: u.Name, Reason: reason, Detail: detail, Size: u.Size})
		return nil
	}
	out.Container(c)
	return nil
}

// sampled describes the rows read; their values went to the builder.
type sampled struct {
	rows  int
	exact bool   // the whole table was read: total is a count, not an estimate
	total int    // rows read, when exact
	note  string // how the sample was drawn, when it is not spread over the whole table
}

func (s *Source) sample(ctx context.Context, t *table, name string) (*scanner.Container, error) {
	var sel []int // indexes in t.cols of the columns read
	for i, c := range t.cols {
		if !c.binary {
			sel = append(sel, i)
		}
	}
	b := newBuilder(t, sel, rowsHint(t, s.opt.SampleRows))
	var res sampled
	if len(sel) > 0 {
		var err error
		if res, err = s.sampleRows(ctx, t, sel, name, b); err != nil {
			return nil, err
		}
	}
	c := &scanner.Container{Name: name, Unit: name, Kind: "table", Format: "mysql", RowsSampled: res.rows, SampleNote: res.note}
	switch {
	case res.exact:
		c.RowsTotal = res.total
	case t.view:
		c.RowsTotal, c.RowsEstimate = res.rows, true // a lower bound: views have no estimate
	default:
		c.RowsTotal, c.RowsEstimate = int(max(t.rows, int64(res.rows))), true
	}
	c.Columns = b.columns()
	return c, nil
}

// sampleRows reads t's sample into b in one session. However read returns, a panic included, the converter
// stops and the session ends: a connection is never left holding its transaction (and a metadata lock on
// the table) for the rest of the scan.
func (s *Source) sampleRows(ctx context.Context, t *table, sel []int, name string, b *builder) (sampled, error) {
	ss, err := s.begin(ctx)
	if err != nil {
		return sampled{}, err
	}
	conv := startConverter(b)
	done := false
	defer func() {
		if !done {
			conv.wait()
			ss.end(false)
		}
	}()
	res, err := s.read(ctx, ss, t, sel, name, conv)
	if err != nil {
		return sampled{}, err
	}
	done = true
	if p := conv.wait(); p != nil {
		ss.end(false)
		panic(p) // sample's recover makes it this table's failure
	}
	return res, ss.end(true)
}

// rowsHint is how many of n rows a sample of t will probably have, to size buffers: the table's estimate
// (values grow past it if need be).
func rowsHint(t *table, n int) int {
	if !t.view && t.rows < int64(n) {
		return int(max(t.rows, 0))
	}
	return n
}

func (s *Source) read(ctx context.Context, ss *session, t *table, sel []int, name string, conv *converter) (sampled, error) {
	n := s.opt.SampleRows
	list := make([]string, len(sel))
	for i, ci := range sel {
		c := t.cols[ci]
		switch {
		case c.json:
			list[i] = "LEFT(" + quote(c.name) + ", " + strconv.Itoa(maxJSONChars) + ")"
		case textType(c.dataType) && !shortText(c), c.dataType == "set": // a SET of long members can pass 8 KiB
			list[i] = "LEFT(" + quote(c.name) + ", " + strconv.Itoa(maxTextChars) + ")"
		default:
			list[i] = quote(c.name)
		}
	}
	from := quote(t.schema) + "." + quote(t.name)
	base := "SELECT " + strings.Join(list, ", ") + " FROM " + from
	rng := rand.New(rand.NewPCG(s.seed(name)))
	if t.view {
		got, err := collect(ctx, ss, base+" LIMIT "+strconv.Itoa(n), conv)
		res := sampled{rows: got, exact: got < n, total: got}
		if !res.exact {
			res.note = "the view's first " + strconv.Itoa(n) + " rows: a view cannot be sampled without running it whole"
		}
		return res, err
	}
	cols := strings.Join(list, ", ")
	// A keyed table read whole is read with one row to spare, so a table of exactly five samples is known to
	// have been read to its end.
	whole, bounded := smallFactor*n+1, smallFactor*n
	if t.pk >= 0 {
		// A table the catalogue says is small is read whole, as it almost always is: one statement. Should it
		// hold five samples' worth of rows after all (a stale estimate), those are dropped and it is sampled
		// by its key, as a table said to be large is straight away.
		if t.rows < int64(smallFactor*n) {
			res, cells, err := reservoir(ctx, ss, base, whole, n, len(sel), rowsHint(t, n), rng)
			if err != nil || res.exact {
				conv.send(&batch{cells: cells})
				return res, err
			}
		}
		// The integer key's own range decides: a key range narrower than five samples is a small table, read
		// whole, whatever the catalogue's estimate says. Its ranges' rows stream to the converter as they come.
		key := t.cols[t.pk]
		lo, hi, empty, err := bounds(ctx, ss, key, from)
		if err != nil {
			return sampled{}, err
		}
		if empty {
			return sampled{exact: true}, nil
		}
		a, errA := parseKey(lo, key.unsigned())
		b, errB := parseKey(hi, key.unsigned())
		if err := errors.Join(errA, errB); err != nil {
			return sampled{}, err
		}
		if b-a >= uint64(smallFactor*n) {
			known := [2]string{lo, hi}
			got, failed, err := leadRanges(ctx, ss, key, from, cols, n, rng, conv, &known)
			if failed != "" && err == nil {
				err = errors.New(failed) // not reached: an integer key that is not one value can be cut
			}
			return sampled{rows: got}, err
		}
	}
	why := "no index to sample it by"
	if t.lead >= 0 {
		got, failed, err := leadRanges(ctx, ss, t.cols[t.lead], from, cols, n, rng, conv, nil)
		if failed == "" || ctx.Err() != nil {
			return sampled{rows: got}, err
		}
		why = failed // the bounded read below, saying why
	}
	limit := bounded
	if t.pk >= 0 {
		limit = whole // its key range holds fewer than five samples' rows
	}
	res, cells, err := reservoir(ctx, ss, base, limit, n, len(sel), rowsHint(t, n), rng)
	conv.send(&batch{cells: cells})
	if err == nil && !res.exact {
		res.note = "sampled from the first " + strconv.Itoa(limit) + " rows in storage order: " + why
	}
	return res, err
}

// shortText: c's declared length already keeps its values within maxTextChars (a varchar(255), a
// tinytext), so the server need not cut them.
func shortText(c column) bool {
	switch c.dataType {
	case "tinytext":
		return true
	case "char", "varchar":
		n, ok := strings.CutPrefix(strings.ToLower(c.colType), c.dataType+"(")
		if n, ok = strings.CutSuffix(n, ")"); !ok {
			return false
		}
		chars, err := strconv.Atoi(n)
		return err == nil && chars <= maxTextChars
	}
	return false
}

// leadRanges samples a table by the leading column c of its primary key or of another index. Random starts
// between MIN and MAX of that column (known, for an integer primary key whose range the caller read) cut it
// into disjoint ranges (.., s1), [s1, s2), ... [sk, ..), read in a random order, each giving its first rows
// in index order (an index range scan of at most n/k rows), until n rows are in: the cost depends on the
// sample size, not the table size. The ranges are disjoint, so no row is read twice, even on an index whose
// values repeat, and the server compares the starts in the column's own collation. There are leadRangesPer
// times as many ranges as a full sample needs, for keys that leave many of them empty.
//
// When values bunch (every date in one month and a 9999-12-31 placeholder; codes with a few outliers; a key
// with a gap of millions), the few ranges holding them come back full and the sample short: the rest of each
// full range, past the greatest value it gave (asked of the server, whose collation alone orders strings), is
// cut again between its own MIN and MAX, for up to keyRounds more rounds. The ranges spread the sample over
// the column's values, not its rows: where rows are dense within a range, they are read more thinly.
//
// failed is "" on success; otherwise it says why the index was not used (it could not be cut, or a
// statement failed: a plan that scans, a timeout), and nothing was sent to the converter, so the caller can
// read the table the bounded way instead.
func leadRanges(ctx context.Context, ss *session, c column, from, cols string, n int, rng *rand.Rand, conv *converter, known *[2]string) (got int, failed string, err error) {
	name := quote(c.name)
	fail := func(err error) (int, string, error) {
		reason, _ := classify(err, scrubber{})
		return 0, "sampling by the index on " + c.name + " failed (" + reason + ")", err
	}
	var lo, hi string
	if known != nil {
		lo, hi = known[0], known[1]
	} else if lo, hi, _, err = bounds(ctx, ss, c, from); err != nil {
		return fail(err)
	}
	k := chunks(n)
	starts, ok := leadStarts(c, lo, hi, leadRangesPer*k, rng)
	if lo == hi || !ok {
		return 0, "the index on " + c.name + " could not be cut into ranges", nil
	}
	spans := cut(starts, "", true, "")
	// Rows are held back until the sample is complete, so a failure sends nothing and the caller can fall back
	// to the bounded read; the primary key's ranges (known bounds) have no fallback and stream as they come,
	// so conversion overlaps the reading.
	var batches []*batch
	keep := func(full *batch) { batches = append(batches, full) }
	if known != nil {
		keep = conv.send
	}
	bt := &batch{}
	size := (n + k - 1) / k
	for round := 0; ; round++ {
		order := rng.Perm(len(spans))
		for i := 0; i < len(order) && got < n; i += chunksPerStmt {
			var parts []string
			for _, id := range order[i:min(i+chunksPerStmt, len(order))] {
				parts = append(parts, "(SELECT "+strconv.Itoa(id)+", "+cols+" FROM "+from+spans[id].where(name)+" ORDER BY "+name+" LIMIT "+strconv.Itoa(size)+")")
			}
			err := ss.query(ctx, strings.Join(parts, " UNION ALL "), func(r []sql.RawBytes) error {
				id, _ := strconv.Atoi(string(r[0]))
				if got >= n || id < 0 || id >= len(spans) {
					return nil
				}
				spans[id].rows++
				bt = bt.addRow(r[1:], keep)
				got++
				return nil
			})
			if err != nil {
				return fail(err)
			}
		}
		if got >= n || round == keyRounds {
			break
		}
		var full []span
		for _, sp := range spans {
			if sp.rows == size {
				full = append(full, sp)
			}
		}
		if len(full) == 0 {
			break
		}
		need := n - got
		k = chunks(need)
		next, err := refine(ctx, ss, c, from, full, size, (leadRangesPer*k+len(full)-1)/len(full), rng)
		if err != nil {
			return fail(err)
		}
		spans, size = next, (need+k-1)/k
	}
	for _, b := range append(batches, bt) {
		conv.send(b)
	}
	return got, "", nil
}

// refine cuts the rest of each full span, past the greatest value it gave, into per new spans between the
// rest's own MIN and MAX. The server finds both, in the column's collation.
func refine(ctx context.Context, ss *session, c column, from string, full []span, size, per int, rng *rand.Rand) ([]span, error) {
	name := quote(c.name)
	rest := make([]span, len(full))
	for i := 0; i < len(full); i += chunksPerStmt {
		var parts []string
		for j, sp := range full[i:min(i+chunksPerStmt, len(full))] {
			parts = append(parts, "(SELECT "+strconv.Itoa(i+j)+", MAX(v) FROM (SELECT "+name+" AS v FROM "+from+sp.where(name)+
				" ORDER BY "+name+" LIMIT "+strconv.Itoa(size)+") AS q"+strconv.Itoa(i+j)+")")
		}
		err := ss.query(ctx, strings.Join(parts, " UNION ALL "), func(r []sql.RawBytes) error {
			if id, _ := strconv.Atoi(string(r[0])); id >= 0 && id < len(full) && r[1] != nil {
				rest[id] = span{from: literal(c, r[1]), to: full[id].to}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var out []span
	for i := 0; i < len(rest); i += chunksPerStmt {
		var parts []string
		for j, sp := range rest[i:min(i+chunksPerStmt, len(rest))] {
			if sp.from != "" {
				parts = append(parts, "(SELECT "+strconv.Itoa(i+j)+", MIN("+name+"), MAX("+name+") FROM "+from+sp.where(name)+")")
			}
		}
		if len(parts) == 0 {
			continue
		}
		err := ss.query(ctx, strings.Join(parts, " UNION ALL "), func(r []sql.RawBytes) error {
			id, _ := strconv.Atoi(string(r[0]))
			if id < 0 || id >= len(rest) || r[1] == nil {
				return nil // nothing left in that range
			}
			if starts, ok := leadStarts(c, string(r[1]), string(r[2]), per, rng); ok {
				out = append(out, cut(starts, rest[id].from, false, rest[id].to)...)
			} else {
				out = append(out, rest[id])
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// span is one range of the lead column's values: from (a literal; "" for none), inclusive or not, up to to
// (exclusive; "" for none). rows is how many reading it gave.
type span struct {
	from      string
	inclusive bool
	to        string
	rows      int
}

// cut turns sorted starts into the spans between them, the first from "from" and the last up to "to".
func cut(starts []string, from string, inclusive bool, to string) []span {
	spans := make([]span, 0, len(starts)+1)
	prev, incl := from, inclusive
	for _, s := range starts {
		spans = append(spans, span{from: prev, inclusive: incl, to: s})
		prev, incl = s, true
	}
	return append(spans, span{from: prev, inclusive: incl, to: to})
}

func (sp span) where(name string) string {
	var cond []string
	switch {
	case sp.from != "" && sp.inclusive:
		cond = append(cond, name+" >= "+sp.from)
	case sp.from != "":
		cond = append(cond, name+" > "+sp.from)
	}
	if sp.to != "" {
		cond = append(cond, name+" < "+sp.to)
	}
	if len(cond) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(cond, " AND ")
}

// leadStarts are k sorted, distinct literals between lo and hi, values of column c as the server wrote them.
func leadStarts(c column, lo, hi string, k int, rng *rand.Rand) ([]string, bool) {
	switch {
	case intType(c.dataType):
		return intStarts(lo, hi, c.unsigned(), k, rng)
	case dateType(c.dataType):
		return timeStarts(lo, hi, c.dataType == "date", k, rng)
	}
	return stringStarts(lo, hi, k, rng)
}

// literal writes a value of the lead column, as the server sent it, back as an SQL literal.
func literal(c column, v []byte) string {
	switch {
	case v == nil:
		return ""
	case intType(c.dataType):
		return string(v) // digits and a sign, checked by the server's own type
	case dateType(c.dataType):
		return "'" + string(v) + "'" // digits, '-', ':', '.' and a space
	}
	return "_utf8mb4 X'" + hex.EncodeToString(v) + "'"
}

// timeStarts are k sorted, distinct date or timestamp literals drawn between lo and hi as the server wrote
// them ("2024-03-01", "2024-03-01 10:30:00[.123456]"). A zero date ("0000-00-00") does not parse: no starts.
func timeStarts(lo, hi string, dateOnly bool, k int, rng *rand.Rand) ([]string, bool) {
	layout := "2006-01-02 15:04:05.999999"
	if dateOnly {
		layout = time.DateOnly
	}
	a, errA := time.Parse(layout, lo)
	b, errB := time.Parse(layout, hi)
	if errA != nil || errB != nil || !a.Before(b) {
		return nil, false
	}
	// In whole seconds: a span from 1000-01-01 to 9999-12-31 (placeholders for "no date") overflows a
	// time.Duration, not an int64 of seconds.
	lo64, span := a.Unix(), b.Unix()-a.Unix()
	out := make([]string, k)
	for i := range out {
		t := time.Unix(lo64+rng.Int64N(span+1), 0).UTC()
		if dateOnly {
			out[i] = "'" + t.Format(time.DateOnly) + "'"
		} else {
			out[i] = "'" + t.Format(time.DateTime) + "'"
		}
	}
	slices.Sort(out) // fixed-width, so text order is time order
	out = slices.Compact(out)
	return out, len(out) > 1
}

// drawKeys draws k keys uniformly from lo..lo+span, sorted.
func drawKeys(lo, span uint64, k int, rng *rand.Rand) []uint64 {
	keys := make([]uint64, k)
	for i := range keys {
		if span == ^uint64(0) {
			keys[i] = rng.Uint64() // the whole 64-bit range: span+1 would wrap to 0
		} else {
			keys[i] = lo + rng.Uint64N(span+1)
		}
	}
	slices.Sort(keys)
	return keys
}

// intStarts are k sorted, distinct integer literals drawn between lo and hi.
func intStarts(lo, hi string, unsigned bool, k int, rng *rand.Rand) ([]string, bool) {
	a, errA := parseKey(lo, unsigned)
	b, errB := parseKey(hi, unsigned)
	if errA != nil || errB != nil {
		return nil, false
	}
	keys := slices.Compact(drawKeys(a, b-a, k, rng))
	out := make([]string, len(keys))
	for i, key := range keys {
		out[i] = formatKey(key, unsigned)
	}
	return out, len(out) > 1
}

// startLen is how many characters after the common prefix a generated start has.
const startLen = 8

// stringStarts are k sorted, distinct string literals between lo and hi: their common prefix (whole
// characters) followed by startLen characters drawn uniformly between lo's and hi's next characters, read as
// numbers in the alphabet those characters suggest: decimal digits for codes ("T0012345"), hexadecimal for
// UUIDs and hashes, else digits and letters; in the case the keys use. Each alphabet sorts the same way in
// binary and in the usual case-insensitive collations, so the starts' order is the server's. The literals are
// hex with an introducer: no quoting or sql_mode can change them, and they take the column's collation.
func stringStarts(lo, hi string, k int, rng *rand.Rand) ([]string, bool) {
	p := 0
	for p < len(lo) && p < len(hi) {
		r, size := utf8.DecodeRuneInString(lo[p:])
		if r == utf8.RuneError || !strings.HasPrefix(hi[p:], lo[p:p+size]) {
			break
		}
		p += size
	}
	prefix := lo[:p]
	alphabet := startAlphabet(head(lo[p:]) + head(hi[p:]))
	a, b := alphabetValue(lo[p:], alphabet), alphabetValue(hi[p:], alphabet)
	if a >= b {
		return nil, false
	}
	keys := make([]uint64, k)
	for i := range keys {
		keys[i] = a + rng.Uint64N(b-a+1)
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	out := make([]string, len(keys))
	base := uint64(len(alphabet))
	var buf [startLen]byte
	for i, key := range keys {
		for j := startLen - 1; j >= 0; j-- {
			buf[j] = alphabet[key%base]
			key /= base
		}
		out[i] = "_utf8mb4 X'" + hex.EncodeToString([]byte(prefix+string(buf[:]))) + "'"
	}
	return out, len(out) > 1
}

// head is s's first startLen characters, up to the first that is not a letter or a digit (a UUID's hyphen).
func head(s string) string {
	i := 0
	for i < len(s) && i < startLen && isAlnumASCII(s[i]) {
		i++
	}
	return s[:i]
}

func isAlnumASCII(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// startAlphabet picks the digits starts are written in from the characters of the keys' ends.
func startAlphabet(chars string) string {
	digits, hexa, upper, lower := true, true, false, false
	for i := 0; i < len(chars); i++ {
		c := chars[i]
		switch {
		case c >= '0' && c <= '9':
		case c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
			digits = false
		default:
			digits, hexa = false, false
		}
		upper = upper || (c >= 'A' && c <= 'Z')
		lower = lower || (c >= 'a' && c <= 'z')
	}
	switch {
	case digits:
		return "0123456789"
	case hexa && upper && !lower:
		return "0123456789ABCDEF"
	case hexa:
		return "0123456789abcdef"
	case upper && !lower:
		return "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	}
	return "0123456789abcdefghijklmnopqrstuvwxyz"
}

// alphabetValue reads the first startLen characters of s as digits of alphabet, padded with its zero; a
// character not in it counts as the highest digit below it (letters in either case).
func alphabetValue(s, alphabet string) uint64 {
	upper := alphabet[len(alphabet)-1] <= 'Z'
	var v uint64
	for i := range startLen {
		d := 0
		if i < len(s) {
			c := s[i]
			if upper && c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			} else if !upper && c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			for j := 0; j < len(alphabet) && alphabet[j] <= c; j++ {
				d = j
			}
		}
		v = v*uint64(len(alphabet)) + uint64(d)
	}
	return v
}

// bounds reads MIN and MAX of column c (both answered from its index) as the server wrote them; empty when
// there are none. Zero dates ("0000-00-00", allowed without NO_ZERO_DATE) are no bound: they land in the
// first range.
func bounds(ctx context.Context, ss *session, c column, from string) (lo, hi string, empty bool, err error) {
	name := quote(c.name)
	var where span
	if dateType(c.dataType) {
		where = span{from: "'1000-01-01'", inclusive: true}
	}
	err = ss.query(ctx, "SELECT MIN("+name+"), MAX("+name+") FROM "+from+where.where(name), func(r []sql.RawBytes) error {
		lo, hi, empty = string(r[0]), string(r[1]), r[0] == nil || r[1] == nil
		return nil
	})
	return lo, hi, empty, err
}

// parseKey reads an integer key as an unsigned offset whose order is the keys' order (a signed key's sign bit
// flipped), so signed and unsigned keys share one arithmetic; formatKey writes it back.
func parseKey(v string, unsigned bool) (uint64, error) {
	if unsigned {
		return strconv.ParseUint(v, 10, 64)
	}
	i, err := strconv.ParseInt(v, 10, 64)
	return uint64(i) ^ (1 << 63), err
}

func formatKey(k uint64, unsigned bool) string {
	if unsigned {
		return strconv.FormatUint(k, 10)
	}
	return strconv.FormatInt(int64(k^(1<<63)), 10)
}

// chunks is how many key ranges a sample of n rows is read from: chunks of chunkRows rows, but at least
// minChunks of them so a small sample is still spread over the table.
func chunks(n int) int {
	return max(1, min(n, max(minChunks, (n+chunkRows-1)/chunkRows)))
}

// reservoir reads at most limit rows of the query q and keeps a uniform sample of n of them, width cells a
// row, for the caller to send to the converter; fewer than limit rows is the whole table, counted. Rows can be
// replaced until the last one is read, so they are converted only then. rowsHint is the expected number of
// rows, to size the sample up front.
func reservoir(ctx context.Context, ss *session, q string, limit, n, width, rowsHint int, rng *rand.Rand) (sampled, []string, error) {
	q += " LIMIT " + strconv.Itoa(limit)
	cells := make([]string, 0, min(n, rowsHint)*width)
	seen := 0
	err := ss.query(ctx, q, func(r []sql.RawBytes) error {
		seen++
		if seen <= n {
			cells = appendRow(cells, r)
		} else if j := rng.IntN(seen); j < n {
			row := appendRow(nil, r)
			copy(cells[j*width:(j+1)*width], row)
		}
		return nil
	})
	if err != nil {
		return sampled{}, nil, err
	}
	return sampled{rows: min(seen, n), exact: seen < limit, total: seen}, cells, nil
}

// collect reads every row of q, handing them to the converter in batches as they arrive.
func collect(ctx context.Context, ss *session, q string, conv *converter) (int, error) {
	bt := &batch{}
	got := 0
	err := ss.query(ctx, q, func(r []sql.RawBytes) error {
		bt = bt.addRow(r, conv.send)
		got++
		return nil
	})
	conv.send(bt)
	return got, err
}

// appendRow appends a row's values to cells, NULL as "". The row's bytes are copied into one string that
// the values are cut from: one allocation per row rather than one per value.
func appendRow(cells []string, r []sql.RawBytes) []string {
	size := 0
	for _, v := range r {
		size += len(v)
	}
	var sb strings.Builder
	sb.Grow(size)
	for _, v := range r {
		sb.Write(v)
	}
	row := sb.String()
	off := 0
	for _, v := range r {
		cells = append(cells, row[off:off+len(v)])
		off += len(v)
	}
	return cells
}

// batch carries rows to the converter: either their bytes in one string, built without a copy, and each
// value's length (so the reader allocates once per batch, not once per value, and the lengths hold no
// pointers for the garbage collector to follow), or ready cells, len(sel) values a row.
type batch struct {
	text  strings.Builder
	lens  []int
	rows  int
	cells []string
}

func (bt *batch) add(r []sql.RawBytes) {
	for _, v := range r {
		bt.text.Write(v) // NULL is nil: ""
		bt.lens = append(bt.lens, len(v))
	}
	bt.rows++
}

// converter turns rows into column values on its own goroutine, so the work overlaps the reading of the
// next rows and the next statement's round trip. The channel is small: a reader faster than the conversion
// waits rather than piling rows up.
type converter struct {
	b        *builder
	ch       chan *batch
	done     chan struct{}
	panicked any // a panic in the conversion, for wait to hand back
}

const convertBatch = 500 // rows handed over at a time, so conversion starts before a statement ends

func startConverter(b *builder) *converter {
	c := &converter{b: b, ch: make(chan *batch, 2), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		defer func() {
			// A bug in the conversion must fail this table, not the process: the panic goes back to the
			// worker through wait, and the rest of the rows are taken off the reader's hands.
			if r := recover(); r != nil {
				c.panicked = r
				for range c.ch {
				}
			}
		}()
		for bt := range c.ch {
			if bt.cells != nil {
				b.add(bt.cells)
			} else {
				b.addText(bt.text.String(), bt.lens)
			}
		}
	}()
	return c
}

// addRow adds r to bt; a batch that is full goes to send, and the rows after it to a new one, which is
// returned.
func (bt *batch) addRow(r []sql.RawBytes, send func(*batch)) *batch {
	bt.add(r)
	if bt.rows < convertBatch {
		return bt
	}
	send(bt)
	return bt.next()
}

// next returns an empty batch for the rows after bt, sized like it.
func (bt *batch) next() *batch {
	n := &batch{lens: make([]int, 0, len(bt.lens))}
	n.text.Grow(bt.text.Len())
	return n
}

// send hands bt over; the caller no longer touches it.
func (c *converter) send(bt *batch) {
	if bt.rows > 0 || len(bt.cells) > 0 {
		c.ch <- bt
	}
}

// wait lets the converter finish the rows it was given and stop. It returns a panic the conversion met, for
// the caller to raise again once its session has ended.
func (c *converter) wait() any {
	close(c.ch)
	<-c.done
	return c.panicked
}

// builder turns sampled rows into the container's columns, in table order, each JSON column followed by its
// sub-fields. Binary columns are listed with no values.
type builder struct {
	t    *table
	sel  []int
	cols []colValues // one per selected column
}

type colValues struct {
	values []scanner.Value
	ascii  bool // values are ASCII by their type: no UTF-8 check
}

// newBuilder prepares the columns of a sample, with room for capHint values per column.
func newBuilder(t *table, sel []int, capHint int) *builder {
	b := &builder{t: t, sel: sel, cols: make([]colValues, len(sel))}
	for p, ci := range sel {
		cv := &b.cols[p]
		cv.values = make([]scanner.Value, 0, capHint)
		cv.ascii = asciiType(t.cols[ci].dataType)
	}
	return b
}

// add converts rows held flat in cells, len(sel) values a row.
func (b *builder) add(cells []string) {
	p := 0
	for _, v := range cells {
		b.put(p, v)
		if p++; p == len(b.cols) {
			p = 0
		}
	}
}

// addText converts rows held as their bytes run together in text and each value's length, len(sel) values
// a row.
func (b *builder) addText(text string, lens []int) {
	p, off := 0, 0
	for _, n := range lens {
		b.put(p, text[off:off+n])
		off += n
		if p++; p == len(b.cols) {
			p = 0
		}
	}
}

// put appends v to the values of the p-th selected column.
func (b *builder) put(p int, v string) {
	cv := &b.cols[p]
	if !cv.ascii && !utf8.ValidString(v) {
		return // binary content in a text column
	}
	cv.values = append(cv.values, scanner.NewValue(v))
}

func (b *builder) columns() []scanner.Column {
	pos := make(map[int]int, len(b.sel))
	for i, ci := range b.sel {
		pos[ci] = i
	}
	var out []scanner.Column
	for ci, c := range b.t.cols {
		col := scanner.Column{Name: c.name, Type: c.colType, Comment: c.comment, Key: c.key == "PRI"}
		p, read := pos[ci]
		if !read {
			out = append(out, col)
			continue
		}
		col.Values = b.cols[p].values
		switch {
		case c.json:
			out = append(out, scanner.JSONColumn(col, "json")...)
		case textType(c.dataType):
			out = append(out, col)
			out = append(out, scanner.TextJSONColumns(c.name, c.comment, col.Values)...)
		default:
			out = append(out, col)
		}
	}
	return out
}

// columns converts rows held one slice per row; the tests build rows this way.
func columns(t *table, sel []int, rows [][]string) []scanner.Column {
	b := newBuilder(t, sel, len(rows))
	for _, r := range rows {
		b.add(r)
	}
	return b.columns()
}
