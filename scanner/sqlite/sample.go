package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/datamap-uk/datamap/scanner"
)

const (
	// exactCountMax: SQLite keeps no row count, and count(*) reads every page of the table's smallest
	// b-tree. Up to about a million rows that costs tens of milliseconds, so the count is exact; beyond, the
	// rowid span (max - min + 1) stands in as an estimate that needs two b-tree descents. For the usual
	// append-only table with automatic rowids it is the exact count less deleted rows.
	exactCountMax = 1_000_000
	// maxChunk rows are read from each random starting rowid: one index seek, then a short sequential read.
	maxChunk = 100
	// minChunks keeps small samples spread too: 1,000 rows come from 100 places, not 10.
	minChunks = 100
)

type column struct {
	name    string
	typ     string
	blob    bool
	selCol  int // index in the select list, -1 for a BLOB column
	isRowid bool
	key     bool // part of the primary key
}

// quote quotes an SQLite identifier.
func quote(id string) string { return `"` + strings.ReplaceAll(id, `"`, `""`) + `"` }

// sampleTable reads one table's metadata, counts or estimates its rows and samples them.
func sampleTable(ctx context.Context, db *sql.DB, opt Options, table string) (*scanner.Container, error) {
	q := querier{db: db, timeout: opt.StatementTimeout}
	var kind string
	var noRowid bool
	found := false
	err := q.each(ctx, `SELECT type, wr FROM pragma_table_list WHERE schema = 'main' AND name = ?`, []any{table},
		func(r *sql.Rows) error { found = true; return r.Scan(&kind, &noRowid) })
	if err != nil {
		return nil, fmt.Errorf("look up table: %w", err)
	}
	if !found {
		return nil, errors.New("table no longer exists")
	}

	var cols []column
	names := map[string]bool{}
	err = q.each(ctx, `SELECT name, type, pk > 0 FROM pragma_table_info(?, 'main') ORDER BY cid`, []any{table},
		func(r *sql.Rows) error {
			var c column
			if err := r.Scan(&c.name, &c.typ, &c.key); err != nil {
				return err
			}
			c.blob = strings.Contains(strings.ToUpper(c.typ), "BLOB")
			names[strings.ToLower(c.name)] = true
			cols = append(cols, c)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read columns: %w", err)
	}

	// The unary + strips the declared type from the result, so the driver hands DATE and DATETIME columns
	// back as the text stored, not as a time.Time reformatted.
	var sel []string
	for i := range cols {
		cols[i].selCol = -1
		if !cols[i].blob {
			cols[i].selCol = len(sel)
			sel = append(sel, "+"+quote(cols[i].name))
		}
	}
	if len(sel) == 0 {
		sel = []string{"NULL"} // every column is binary: count, sample nothing
	}

	// A column may be named rowid; SQLite's other names for the rowid then still reach it.
	key := ""
	if kind == "table" && !noRowid {
		for _, k := range []string{"rowid", "_rowid_", "oid"} {
			if !names[k] {
				key = k
				break
			}
		}
	}
	from := quote(table)
	s := &sampler{q: q, opt: opt, from: from, sel: strings.Join(sel, ", "), nsel: len(sel)}
	if key != "" {
		err = s.byRowid(ctx, key, seedFor(opt.Seed, table))
	} else {
		err = s.byLimit(ctx)
	}
	if err != nil {
		return nil, err
	}

	c := &scanner.Container{Kind: "table", Format: "sqlite", RowsTotal: s.total, RowsEstimate: s.estimate,
		RowsSampled: len(s.rows)}
	if key == "" && s.total > len(s.rows) {
		c.SampleNote = fmt.Sprintf("the first %d rows: a view or a table without rowid cannot be sampled at random here", len(s.rows))
	}
	for _, col := range cols {
		sc := scanner.Column{Name: col.name, Type: col.typ, Key: col.key}
		if col.selCol < 0 {
			c.Columns = append(c.Columns, sc)
			continue
		}
		vals := make([]string, len(s.rows))
		for i, row := range s.rows {
			vals[i] = row[col.selCol]
		}
		sc.Values = wrap(vals)
		if strings.Contains(strings.ToUpper(col.typ), "JSON") { // declared JSON: taken apart as in the other databases
			c.Columns = append(c.Columns, scanner.JSONColumn(sc, "json")...)
			continue
		}
		c.Columns = append(c.Columns, sc)
		// SQLite keeps any type in any column: every column may hold JSON objects as text.
		c.Columns = append(c.Columns, scanner.TextJSONColumns(col.name, "", sc.Values)...)
	}
	return c, nil
}

func seedFor(seed uint64, table string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(table))
	return seed ^ h.Sum64()
}

func wrap(vals []string) []scanner.Value {
	out := make([]scanner.Value, len(vals))
	for i, v := range vals {
		out[i] = scanner.NewValue(v)
	}
	return out
}

type sampler struct {
	q        querier
	opt      Options
	from     string
	sel      string
	nsel     int
	total    int
	estimate bool
	rows     [][]string
	rowids   []int64 // sampled rowids, for tests
}

// byRowid samples a rowid table: random starting rowids spread over [min, max], one per equal stratum of
// the range, each followed by a short run of rows in rowid order. Every read is an index range scan, so the
// cost depends on the sample size, not on the table size.
func (s *sampler) byRowid(ctx context.Context, key string, seed uint64) error {
	var lo, hi sql.NullInt64
	err := s.q.each(ctx, fmt.Sprintf(`SELECT (SELECT min(%[1]s) FROM %[2]s), (SELECT max(%[1]s) FROM %[2]s)`, key, s.from), nil,
		func(r *sql.Rows) error { return r.Scan(&lo, &hi) })
	if err != nil {
		return fmt.Errorf("read rowid range: %w", err)
	}
	if !lo.Valid || !hi.Valid {
		return nil // empty table
	}
	span := uint64(hi.Int64) - uint64(lo.Int64) + 1 // wraps correctly for the full int64 range but one
	if span == 0 || span > math.MaxInt64 {
		span = math.MaxInt64
	}
	if span <= exactCountMax {
		var n int64
		err := s.q.each(ctx, "SELECT count(*) FROM "+s.from, nil, func(r *sql.Rows) error { return r.Scan(&n) })
		if err != nil {
			return fmt.Errorf("count rows: %w", err)
		}
		s.total = int(n)
		if s.total <= s.opt.SampleRows {
			return s.read(ctx, fmt.Sprintf("SELECT %s, %s FROM %s", key, s.sel, s.from), nil)
		}
	} else {
		s.total, s.estimate = int(min(span, uint64(math.MaxInt))), true
	}

	chunk := min(maxChunk, max(1, s.opt.SampleRows/minChunks))
	k := (s.opt.SampleRows + chunk - 1) / chunk
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	width := float64(span) / float64(k)
	starts := make([]int64, k)
	for i := range starts {
		off := uint64(float64(i)*width + rng.Float64()*width)
		starts[i] = int64(uint64(lo.Int64) + min(off, span-1))
	}
	query := fmt.Sprintf("SELECT %[1]s, %[2]s FROM %[3]s WHERE %[1]s >= ? ORDER BY %[1]s LIMIT ?", key, s.sel, s.from)
	seen := make(map[int64]struct{}, s.opt.SampleRows)
	for _, st := range starts {
		if len(s.rows) >= s.opt.SampleRows {
			break
		}
		// Where rowids are sparse a run can reach into the next stratum's; rows already taken are skipped.
		if err := s.readChunk(ctx, query, st, chunk, seen); err != nil {
			return err
		}
	}
	return nil
}

func (s *sampler) readChunk(ctx context.Context, query string, start int64, n int, seen map[int64]struct{}) error {
	dest, ptrs := s.scanDest(1)
	return s.q.each(ctx, query, []any{start, n}, func(r *sql.Rows) error {
		if err := r.Scan(ptrs...); err != nil {
			return err
		}
		id, _ := dest[0].(int64)
		if _, dup := seen[id]; dup || len(s.rows) >= s.opt.SampleRows {
			return nil
		}
		seen[id] = struct{}{}
		s.rowids = append(s.rowids, id)
		s.rows = append(s.rows, texts(dest[1:]))
		return nil
	})
}

// byLimit samples a WITHOUT ROWID table, a view or a virtual table: they have no cheap random access, so
// the count is bounded and the sample is the first rows the engine returns.
func (s *sampler) byLimit(ctx context.Context) error {
	var n int64
	err := s.q.each(ctx, fmt.Sprintf("SELECT count(*) FROM (SELECT 1 FROM %s LIMIT %d)", s.from, exactCountMax+1), nil,
		func(r *sql.Rows) error { return r.Scan(&n) })
	if err != nil {
		return fmt.Errorf("count rows: %w", err)
	}
	s.total = int(n)
	if n > exactCountMax {
		s.total, s.estimate = exactCountMax, true
	}
	if n == 0 {
		return nil
	}
	return s.read(ctx, fmt.Sprintf("SELECT NULL, %s FROM %s LIMIT ?", s.sel, s.from), []any{s.opt.SampleRows})
}

// read takes every row a query returns; the first column is the rowid (or NULL).
func (s *sampler) read(ctx context.Context, query string, args []any) error {
	dest, ptrs := s.scanDest(1)
	return s.q.each(ctx, query, args, func(r *sql.Rows) error {
		if err := r.Scan(ptrs...); err != nil {
			return err
		}
		if id, ok := dest[0].(int64); ok {
			s.rowids = append(s.rowids, id)
		}
		s.rows = append(s.rows, texts(dest[1:]))
		return nil
	})
}

func (s *sampler) scanDest(extra int) ([]any, []any) {
	dest := make([]any, extra+s.nsel)
	ptrs := make([]any, len(dest))
	for i := range dest {
		ptrs[i] = &dest[i]
	}
	return dest, ptrs
}

// querier runs each query under its own statement timeout.
type querier struct {
	db      *sql.DB
	timeout time.Duration
}

// each runs query and calls fn for every row. Rows are always closed and rows.Err checked. A query stopped
// by the statement timeout returns errTimeout; one stopped because the scan was cancelled returns ctx.Err().
func (q querier) each(ctx context.Context, query string, args []any, fn func(*sql.Rows) error) (err error) {
	qctx, cancel := context.WithTimeout(ctx, q.timeout)
	defer cancel()
	defer func() {
		if err == nil {
			return
		}
		if ctx.Err() != nil {
			err = ctx.Err()
		} else if qctx.Err() != nil {
			err = errTimeout
		}
	}()
	rows, err := q.db.QueryContext(qctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}

// texts turns scanned values into strings: NULL and binary (invalid UTF-8) become "".
func texts(vals []any) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = text(v)
	}
	return out
}
