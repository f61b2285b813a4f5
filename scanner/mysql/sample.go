package mysql

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/datamap-uk/datamap/scanner"
)

const (
	chunkRows     = 100 // rows per key-range chunk
	minChunks     = 20  // key ranges per sample at least, however small the sample
	chunksPerStmt = 20  // chunks joined by UNION ALL into one statement: fewer round trips
	smallFactor   = 5   // a table up to this many times the sample is read whole (bounded) and sampled here
	keyRounds     = 3   // extra rounds of random starts when chunks overlapped or fell into gaps
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

// sampled holds the rows read, each a slice of the selected columns' values (NULL as "").
type sampled struct {
	rows  [][]string
	exact bool // the whole table was read: total is a count, not an estimate
	total int  // rows read, when exact
}

func (s *Source) sample(ctx context.Context, t *table, name string) (*scanner.Container, error) {
	var sel []int // indexes in t.cols of the columns read
	for i, c := range t.cols {
		if !c.binary {
			sel = append(sel, i)
		}
	}
	var res sampled
	if len(sel) > 0 {
		ss, err := s.begin(ctx)
		if err != nil {
			return nil, err
		}
		res, err = s.read(ctx, ss, t, sel, name)
		if err != nil {
			ss.end(false)
			return nil, err
		}
		if err := ss.end(true); err != nil {
			return nil, err
		}
	}
	c := &scanner.Container{Name: name, Unit: name, Kind: "table", Format: "mysql", RowsSampled: len(res.rows)}
	switch {
	case res.exact:
		c.RowsTotal = res.total
	case t.view:
		c.RowsTotal, c.RowsEstimate = len(res.rows), true // a lower bound: views have no estimate
	default:
		c.RowsTotal, c.RowsEstimate = int(max(t.rows, int64(len(res.rows)))), true
	}
	c.Columns = columns(t, sel, res.rows)
	return c, nil
}

func (s *Source) read(ctx context.Context, ss *session, t *table, sel []int, name string) (sampled, error) {
	n := s.opt.SampleRows
	list := make([]string, len(sel))
	for i, ci := range sel {
		list[i] = quote(t.cols[ci].name)
	}
	from := quote(t.schema) + "." + quote(t.name)
	base := "SELECT " + strings.Join(list, ", ") + " FROM " + from
	rng := rand.New(rand.NewPCG(s.seed(name)))
	if t.view {
		rows, err := collect(ctx, ss, base+" LIMIT "+strconv.Itoa(n))
		return sampled{rows: rows, exact: len(rows) < n, total: len(rows)}, err
	}
	if t.pk >= 0 {
		lo, hi, empty, err := keyRange(ctx, ss, t, from)
		if err != nil {
			return sampled{}, err
		}
		if empty {
			return sampled{exact: true}, nil
		}
		if span := hi - lo; span >= uint64(smallFactor*n) {
			pkPos := slices.Index(sel, t.pk)
			rows, err := keyChunks(ctx, ss, t, base, pkPos, lo, span, n, rng)
			return sampled{rows: rows}, err
		}
	}
	return reservoir(ctx, ss, base+" LIMIT "+strconv.Itoa(smallFactor*n), n, rng)
}

// keyRange reads MIN and MAX of the integer key (both answered from the index) as unsigned offsets, so
// signed and unsigned keys share one arithmetic: lo is the key's bits, span the distance to the maximum.
func keyRange(ctx context.Context, ss *session, t *table, from string) (lo, hi uint64, empty bool, err error) {
	pk := quote(t.cols[t.pk].name)
	unsigned := strings.Contains(strings.ToLower(t.cols[t.pk].colType), "unsigned")
	var got bool
	err = ss.query(ctx, "SELECT MIN("+pk+"), MAX("+pk+") FROM "+from, func(r []sql.RawBytes) error {
		if r[0] == nil || r[1] == nil {
			return nil
		}
		a, errA := parseKey(string(r[0]), unsigned)
		b, errB := parseKey(string(r[1]), unsigned)
		if err := errors.Join(errA, errB); err != nil {
			return err
		}
		lo, hi, got = a, b, true
		return nil
	})
	if err != nil {
		return 0, 0, false, err
	}
	if !got {
		return 0, 0, true, nil
	}
	if !unsigned {
		// Shift signed keys so the order of the uint64 values matches the keys' order.
		lo ^= 1 << 63
		hi ^= 1 << 63
	}
	return lo, hi, false, nil
}

func parseKey(v string, unsigned bool) (uint64, error) {
	if unsigned {
		return strconv.ParseUint(v, 10, 64)
	}
	i, err := strconv.ParseInt(v, 10, 64)
	return uint64(i), err
}

func formatKey(k uint64, unsigned bool) string {
	if unsigned {
		return strconv.FormatUint(k, 10)
	}
	return strconv.FormatInt(int64(k^(1<<63)), 10)
}

// keyChunks reads chunks of rows starting at random keys: each chunk is an index range scan of at most
// chunkRows rows, so the cost depends on the sample size, not the table size. Rows are deduplicated by key.
func keyChunks(ctx context.Context, ss *session, t *table, base string, pkPos int, lo, span uint64, n int, rng *rand.Rand) ([][]string, error) {
	pk := quote(t.cols[t.pk].name)
	unsigned := strings.Contains(strings.ToLower(t.cols[t.pk].colType), "unsigned")
	seen := map[string]bool{}
	var rows [][]string
	for round := 0; round <= keyRounds && len(rows) < n; round++ {
		k := chunks(n - len(rows))
		size := (n - len(rows) + k - 1) / k
		starts := make([]uint64, k)
		for i := range starts {
			if span == ^uint64(0) {
				starts[i] = rng.Uint64() // the whole 64-bit range: span+1 would wrap to 0
			} else {
				starts[i] = lo + rng.Uint64N(span+1)
			}
		}
		slices.Sort(starts)
		for len(starts) > 0 && len(rows) < n {
			batch := starts[:min(chunksPerStmt, len(starts))]
			starts = starts[len(batch):]
			parts := make([]string, len(batch))
			for i, st := range batch {
				parts[i] = "(" + base + " WHERE " + pk + " >= " + formatKey(st, unsigned) + " ORDER BY " + pk + " LIMIT " + strconv.Itoa(size) + ")"
			}
			q := strings.Join(parts, " UNION ALL ")
			err := ss.query(ctx, q, func(r []sql.RawBytes) error {
				key := string(r[pkPos])
				if seen[key] || len(rows) >= n {
					return nil
				}
				seen[key] = true
				rows = append(rows, copyRow(r))
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	return rows, nil
}

// chunks is how many key ranges a sample of n rows is read from: chunks of chunkRows rows, but at least
// minChunks of them so a small sample is still spread over the table.
func chunks(n int) int {
	return max(1, min(n, max(minChunks, (n+chunkRows-1)/chunkRows)))
}

// reservoir reads at most the statement's LIMIT rows and keeps a uniform sample of n of them.
func reservoir(ctx context.Context, ss *session, q string, n int, rng *rand.Rand) (sampled, error) {
	var rows [][]string
	seen := 0
	err := ss.query(ctx, q, func(r []sql.RawBytes) error {
		seen++
		if len(rows) < n {
			rows = append(rows, copyRow(r))
		} else if j := rng.IntN(seen); j < n {
			rows[j] = copyRow(r)
		}
		return nil
	})
	if err != nil {
		return sampled{}, err
	}
	return sampled{rows: rows, exact: seen < smallFactor*n, total: seen}, nil
}

func collect(ctx context.Context, ss *session, q string) ([][]string, error) {
	var rows [][]string
	err := ss.query(ctx, q, func(r []sql.RawBytes) error {
		rows = append(rows, copyRow(r))
		return nil
	})
	return rows, err
}

func copyRow(r []sql.RawBytes) []string {
	row := make([]string, len(r))
	for i, v := range r {
		row[i] = string(v) // NULL is nil: ""
	}
	return row
}

// columns turns sampled rows into the container's columns, in table order, each JSON column followed by its
// sub-fields. Binary columns are listed with no values.
func columns(t *table, sel []int, rows [][]string) []scanner.Column {
	pos := make(map[int]int, len(sel))
	for i, ci := range sel {
		pos[ci] = i
	}
	var out []scanner.Column
	for ci, c := range t.cols {
		col := scanner.Column{Name: c.name, Type: c.colType, Comment: c.comment}
		p, read := pos[ci]
		if !read {
			out = append(out, col)
			continue
		}
		tryJSON := c.json || textType(c.dataType)
		var jf *jsonFields
		if tryJSON {
			jf = newJSONFields(c.name)
		}
		col.Values = make([]scanner.Value, 0, len(rows))
		for _, r := range rows {
			v := r[p]
			if !utf8.ValidString(v) {
				continue // binary content in a text column
			}
			switch {
			case c.json:
				if jf.add([]byte(v)) {
					continue
				}
				if sv, ok := jsonScalar(v); ok {
					v = sv
				}
			case tryJSON && strings.HasPrefix(strings.TrimSpace(v), "{"):
				jf.add([]byte(v)) // keep the text too: free-text detectors see it whole
			}
			col.Values = append(col.Values, scanner.NewValue(v))
		}
		if jf != nil {
			for _, v := range jf.values[c.name] {
				col.Values = append(col.Values, scanner.NewValue(v))
			}
		}
		out = append(out, col)
		if jf == nil {
			continue
		}
		for _, sub := range jf.names() {
			if sub == c.name {
				continue
			}
			vals := jf.values[sub]
			sc := scanner.Column{Name: sub, Type: "json", Comment: c.comment, Values: make([]scanner.Value, len(vals))}
			for i, v := range vals {
				sc.Values[i] = scanner.NewValue(v)
			}
			out = append(out, sc)
		}
	}
	return out
}
