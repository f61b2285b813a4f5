package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/datamap-uk/datamap/scanner"
)

// Values are cut server-side so one enormous document cannot blow the sample's memory: a few kilobytes of a
// notes field are plenty for the detectors, and JSON gets more room because a cut document cannot be parsed.
const (
	maxTextChars = 8 << 10
	maxJSONChars = 64 << 10
)

// tinyFactor: a table under tinyFactor×SampleRows rows is read whole (bounded by a LIMIT) and the sample
// chosen from it; above that, TABLESAMPLE reads only the pages it needs.
const tinyFactor = 5

// Sample implements scanner.Source: one relation becomes one Container, or an Unreadable entry with a reason.
// Only a cancelled scan is returned as an error.
func (s *Source) Sample(ctx context.Context, u scanner.Unit, out scanner.Sink) error {
	s.mu.Lock()
	rel := s.rels[u.Name]
	s.mu.Unlock()
	if rel == nil {
		return fmt.Errorf("table %s was not in the listing", u.Name)
	}
	unreadable := func(reason, detail string) error {
		out.Unreadable(scanner.Unreadable{Path: rel.name, Reason: reason, Detail: detail, Size: rel.size})
		return nil
	}
	cols := s.selected(rel)
	if !rel.usable {
		return unreadable(scanner.ReasonPermissionDenied, "no USAGE privilege on the schema")
	}
	if len(cols) == 0 && !rel.readable && len(rel.cols) > 0 {
		return unreadable(scanner.ReasonPermissionDenied, "no SELECT privilege on the table")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	conn, err := s.pool.acquire(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		reason, detail := s.classify(err)
		if reason == scanner.ReasonConnectionLost {
			s.pool.markLost()
		}
		return unreadable(reason, detail)
	}
	c, err := s.sample(ctx, conn, rel, cols)
	s.pool.release(conn)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		reason, detail := s.classify(err)
		if conn.IsClosed() {
			reason = scanner.ReasonConnectionLost
		}
		if reason == scanner.ReasonConnectionLost {
			s.pool.markLost()
		}
		return unreadable(reason, detail)
	}
	out.Container(c)
	if denied := len(rel.cols) - len(cols) - countBinary(rel); denied > 0 && !rel.readable {
		// Column grants let us read some columns: the rest are honestly reported, not silently skipped.
		unreadable(scanner.ReasonPermissionDenied, fmt.Sprintf("%d of %d columns have no SELECT privilege and were not sampled", denied, len(rel.cols)))
	}
	return nil
}

// selected is the columns the sample query reads: readable and not binary.
func (s *Source) selected(rel *relation) []column {
	var cols []column
	for _, c := range rel.cols {
		if c.readable && !c.binary() {
			cols = append(cols, c)
		}
	}
	return cols
}

func countBinary(rel *relation) int {
	n := 0
	for _, c := range rel.cols {
		if c.binary() && c.readable {
			n++
		}
	}
	return n
}

// selectList casts every column to text on the server, so every type (numeric, uuid, arrays, JSON, ranges,
// enums) arrives as the string a person would read; arrays become one element per line for the free-text
// detectors.
func selectList(cols []column) string {
	if len(cols) == 0 {
		return "NULL" // a table whose only columns are binary: still count its rows
	}
	parts := make([]string, len(cols))
	for i, c := range cols {
		id := pgx.Identifier{c.name}.Sanitize()
		switch {
		case c.array:
			parts[i] = fmt.Sprintf("pg_catalog.left(pg_catalog.array_to_string(%s::pg_catalog.text[], E'\\n'), %d)", id, maxTextChars)
		case c.json():
			parts[i] = fmt.Sprintf("pg_catalog.left(%s::pg_catalog.text, %d)", id, maxJSONChars)
		case c.short():
			parts[i] = id + "::pg_catalog.text"
		default:
			parts[i] = fmt.Sprintf("pg_catalog.left(%s::pg_catalog.text, %d)", id, maxTextChars)
		}
	}
	return strings.Join(parts, ", ")
}

// short: the column's text is never longer than maxTextChars (a number, a date or time, a uuid, a
// varchar(255)), so the server need not cut it. A domain's typmod is not looked up: it is cut.
func (c column) short() bool {
	if c.array {
		return false
	}
	switch c.builtin() {
	case "int2", "int4", "int8", "oid", "bool", "float4", "float8", "money", "date", "time", "timetz",
		"timestamp", "timestamptz", "interval", "uuid", "inet", "cidr", "macaddr", "macaddr8":
		return true
	case "varchar", "bpchar":
		n, ok := strings.CutPrefix(c.typ, "character varying(")
		if !ok {
			n, ok = strings.CutPrefix(c.typ, "character(")
		}
		if !ok {
			return false // a domain, named by itself: its length is not looked up
		}
		if n, ok = strings.CutSuffix(n, ")"); !ok {
			return false
		}
		chars, err := strconv.Atoi(n)
		return err == nil && chars <= maxTextChars
	}
	return false
}

// result is what one sampling plan read.
type result struct {
	values   [][]string // per selected column, one entry per sampled row
	rows     int
	total    int
	estimate bool
	note     string // how the sample was drawn, when it is not spread over the whole relation
}

// sample runs the sampling plan for rel. Each query runs in its own read-only transaction, so a timeout in one
// step cannot poison the next.
func (s *Source) sample(ctx context.Context, conn *pgx.Conn, rel *relation, cols []column) (*scanner.Container, error) {
	n := s.opt.SampleRows
	from := pgx.Identifier{rel.schema, rel.table}.Sanitize()
	list := selectList(cols)
	seed := s.seedFor(rel.name)
	res := &result{}

	switch rel.kind {
	case "v", "f":
		// Views and foreign tables cannot use TABLESAMPLE, and shuffling them would run the whole view: the
		// planner's estimate gives the size, and the sample is the first rows the view returns under the
		// statement timeout.
		err := s.readOnly(ctx, conn, func(tx pgx.Tx) error {
			est, err := explainRows(ctx, tx, from)
			if err != nil {
				return err
			}
			res.total, res.estimate = est, true
			return s.collect(ctx, tx, fmt.Sprintf("SELECT %s FROM %s LIMIT %d", list, from, n), len(cols), res)
		})
		if err != nil {
			return nil, err
		}
		if res.rows >= n {
			what, how := "view", "running"
			if rel.kind == "f" {
				what, how = "foreign table", "reading"
			}
			res.note = fmt.Sprintf("the first %d rows the %s returns: a %s cannot be sampled without %s it whole", n, what, what, how)
		}
	default:
		est := rel.rows
		res.estimate = true
		if est < 0 {
			// Never analysed: count, but never past a bound, so the cost stays flat however big the table is.
			limit := int64(2*tinyFactor*n) + 1
			var count int64
			err := s.readOnly(ctx, conn, func(tx pgx.Tx) error {
				if err := tx.QueryRow(ctx, fmt.Sprintf("SELECT count(*) FROM (SELECT 1 FROM %s LIMIT %d) s", from, limit)).Scan(&count); err != nil {
					return err
				}
				if count < limit {
					return nil
				}
				planned, err := explainRows(ctx, tx, from)
				est = math.Max(float64(planned), float64(count))
				return err
			})
			if err != nil {
				return nil, err
			}
			if count < limit {
				est, res.estimate = float64(count), false
			}
		}
		res.total = int(math.Min(est, math.MaxInt32*1024))
		var err error
		if est > float64(tinyFactor*n) {
			pct := math.Min(100, 1.5*float64(n)/est*100)
			err = s.tableSample(ctx, conn, "SYSTEM", pct, seed, from, list, len(cols), res)
			if err == nil && res.rows < n/2 {
				// Too few: the estimate is stale or the rows sit unevenly in pages. Row-level sampling reads
				// every page but returns an even sample.
				err = s.tableSample(ctx, conn, "BERNOULLI", math.Min(100, 3*pct), seed, from, list, len(cols), res)
			}
		}
		if err == nil && (est <= float64(tinyFactor*n) || res.rows < n/2) {
			// A small table: read at most tinyFactor×n rows and keep a random n of them.
			if est > float64(tinyFactor*n) {
				res.note = fmt.Sprintf("sampled from the first %d rows: TABLESAMPLE returned too few", tinyFactor*n)
			}
			err = s.readOnly(ctx, conn, func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, "SELECT pg_catalog.setseed($1)", seed); err != nil {
					return err
				}
				q := fmt.Sprintf("SELECT * FROM (SELECT %s FROM %s LIMIT %d) s ORDER BY pg_catalog.random() LIMIT %d", list, from, tinyFactor*n, n)
				return s.collect(ctx, tx, q, len(cols), res)
			})
		}
		if err != nil {
			return nil, err
		}
	}
	return s.container(rel, cols, res), nil
}

// tableSample runs one TABLESAMPLE query. The sample asks for 1.5× the rows wanted, and a random n of them are
// kept, so the LIMIT never favours the pages that come first.
func (s *Source) tableSample(ctx context.Context, conn *pgx.Conn, method string, pct, seed float64, from, list string, ncols int, res *result) error {
	return s.readOnly(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_catalog.setseed($1)", seed); err != nil {
			return err
		}
		q := fmt.Sprintf("SELECT %s FROM %s TABLESAMPLE %s (%s) REPEATABLE (%d) ORDER BY pg_catalog.random() LIMIT %d",
			list, from, method, strconv.FormatFloat(pct, 'f', 6, 64), int64(seed*(1<<30)), s.opt.SampleRows)
		return s.collect(ctx, tx, q, ncols, res)
	})
}

// collect reads a sample query's rows as text, replacing whatever an earlier attempt read.
func (s *Source) collect(ctx context.Context, tx pgx.Tx, q string, ncols int, res *result) error {
	if s.onQuery != nil {
		s.onQuery(q)
	}
	values := make([][]string, ncols)
	rows, err := tx.Query(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		raw := rows.RawValues()
		for i := 0; i < ncols && i < len(raw); i++ {
			v := ""
			if raw[i] != nil && utf8.Valid(raw[i]) { // NULL and non-UTF-8 bytes are not text to match
				v = string(raw[i])
			}
			values[i] = append(values[i], v)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	res.values, res.rows = values, n
	return nil
}

// explainRows is the planner's row estimate for a relation, without running anything.
func explainRows(ctx context.Context, tx pgx.Tx, from string) (int, error) {
	var plan string
	if err := tx.QueryRow(ctx, "EXPLAIN (FORMAT JSON) SELECT 1 FROM "+from).Scan(&plan); err != nil {
		return 0, err
	}
	rows, err := planRows(plan)
	return int(rows), err
}

// planRows reads the top node's row estimate from EXPLAIN (FORMAT JSON).
func planRows(plan string) (float64, error) {
	var doc []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		} `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(plan), &doc); err != nil || len(doc) == 0 {
		return 0, errors.New("unreadable EXPLAIN output")
	}
	return doc[0].Plan.Rows, nil
}

// seedFor gives each table its own reproducible seed in [0, 1) from the scan's seed and the table's name.
func (s *Source) seedFor(name string) float64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	x := h.Sum64() ^ s.opt.Seed
	x ^= x >> 33 // mix so that nearby seeds do not give nearby values
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	return float64(x>>11) / (1 << 53)
}

// container turns the sampled text into columns: every listed column appears (binary and unreadable ones with
// no values, as name cues), and JSON columns add one sub-field per key.
func (s *Source) container(rel *relation, cols []column, res *result) *scanner.Container {
	c := &scanner.Container{Name: rel.name, Unit: rel.name, Kind: "table", Format: "postgres",
		RowsTotal: res.total, RowsEstimate: res.estimate, RowsSampled: res.rows, SampleNote: res.note}
	sampled := make(map[string][]string, len(cols))
	for i, col := range cols {
		if i < len(res.values) {
			sampled[col.name] = res.values[i]
		}
	}
	for _, col := range rel.cols {
		vals, ok := sampled[col.name]
		if !ok {
			c.Columns = append(c.Columns, scanner.Column{Name: col.name, Type: col.typ, Comment: col.comment, Key: col.key})
			continue
		}
		sc := scanner.Column{Name: col.name, Type: col.typ, Comment: col.comment, Key: col.key, Values: wrap(vals)}
		switch {
		case col.json():
			c.Columns = append(c.Columns, scanner.JSONColumn(sc, col.base)...)
		case col.text():
			c.Columns = append(c.Columns, sc)
			c.Columns = append(c.Columns, scanner.TextJSONColumns(col.name, col.comment, sc.Values)...)
		default:
			c.Columns = append(c.Columns, sc)
		}
	}
	return c
}

func wrap(vals []string) []scanner.Value {
	out := make([]scanner.Value, len(vals))
	for i, v := range vals {
		out[i] = scanner.NewValue(v)
	}
	return out
}
