package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/datamap-uk/datamap/scanner"
)

// CountStale implements scanner.StaleCounter: one pushed-down aggregate over the table, in the same read-only
// transaction and under the same statement timeout as sampling, returns the total, the stale rows, the oldest
// stale date, the rows whose date could not be read and the stale rows under legal hold. No row leaves the
// server. When the count hits the statement timeout, the planner's estimates are returned instead, labelled.
//
// A record's date is its UTC calendar date: a date column as it is, a timestamp without time zone by its own
// date, a timestamptz converted to UTC first (2019-06-01 00:30+01:00 is 2019-05-31). The comparisons are
// written so the planner can use an index and its statistics (ts < the cutoff's UTC midnight is the same
// test as "UTC date before the cutoff day"). Text columns are read as dd/mm/yyyy (UK order, one- or two-digit
// day and month) or yyyy-mm-dd (anything after the date, a time or an offset, is ignored); a value that is
// neither, or not a real calendar date, is not stale and is counted in the Note.
//
// A failure is returned as an error whose text begins with the inventory reason ("timeout: ...",
// "permission_denied: ...") and which has a Reason method; it never holds a value of the data.
func (s *Source) CountStale(ctx context.Context, q scanner.StaleQuery) (scanner.StaleCount, error) {
	rel, err := s.relationFor(ctx, q.Container)
	if err != nil {
		return scanner.StaleCount{}, err
	}
	p, err := planStale(rel, q)
	if err != nil {
		return scanner.StaleCount{}, scanner.NewCountError(scanner.ReasonReadError, err.Error(), nil)
	}
	conn, err := s.pool.acquire(ctx)
	if err != nil {
		return scanner.StaleCount{}, s.countFailed(ctx, nil, err)
	}
	n, err := s.countExact(ctx, conn, p)
	if err != nil && ctx.Err() == nil && !conn.IsClosed() {
		if reason, _ := classify(err); reason == scanner.ReasonTimeout {
			// Without an estimate, the timeout is the answer.
			if est, eerr := s.countEstimate(ctx, conn, p); eerr == nil || ctx.Err() != nil || conn.IsClosed() {
				n, err = est, eerr
			}
		}
	}
	if err != nil {
		err = s.countFailed(ctx, conn, err)
	}
	s.pool.release(conn)
	if err != nil {
		return scanner.StaleCount{}, err
	}
	return n, nil
}

// countFailed turns a driver error into a classified error, as Sample would record it.
func (s *Source) countFailed(ctx context.Context, conn *pgx.Conn, err error) error {
	if ctx.Err() != nil {
		return scanner.NewCountError(scanner.ReasonCancelled, "the scan was cancelled", ctx.Err())
	}
	reason, detail := s.classify(err)
	if conn != nil && conn.IsClosed() {
		reason = scanner.ReasonConnectionLost
	}
	if reason == scanner.ReasonConnectionLost {
		s.pool.markLost()
	}
	return scanner.NewCountError(reason, detail, nil)
}

// relationFor finds the listed relation; a count asked before any listing lists first.
func (s *Source) relationFor(ctx context.Context, name string) (*relation, error) {
	s.mu.Lock()
	rel, listed := s.rels[name], s.rels != nil
	s.mu.Unlock()
	if rel == nil && !listed {
		if err := s.Units(ctx, func(scanner.Unit) error { return nil }); err != nil {
			return nil, scanner.NewCountError(scanner.ReasonReadError, err.Error(), ctx.Err())
		}
		s.mu.Lock()
		rel = s.rels[name]
		s.mu.Unlock()
	}
	if rel == nil {
		return nil, scanner.NewCountError(scanner.ReasonReadError, fmt.Sprintf("table %s was not in the listing", name), nil)
	}
	if !rel.usable {
		return nil, scanner.NewCountError(scanner.ReasonPermissionDenied, "no USAGE privilege on the schema", nil)
	}
	return rel, nil
}

// stalePlan is the SQL of one count, built from the catalogue's column types.
type stalePlan struct {
	from   string
	stale  string // all conditions, ANDed
	held   string // true for a row under legal hold; "" without a hold
	oldest string // the first condition's date, for the oldest stale record
	unread string // true for a row with a date present but unreadable; "" when none can be
	absent string // true for a row whose first condition's date is missing (NULL or blank text)
	args   []any
	text   []string // fields whose dates are stored as text
}

func planStale(rel *relation, q scanner.StaleQuery) (*stalePlan, error) {
	if len(q.Conditions) == 0 {
		return nil, errors.New("a table has no modification time: a date field is needed to count stale rows")
	}
	p := &stalePlan{from: pgx.Identifier{rel.schema, rel.table}.Sanitize()}
	var stale, unread []string
	for i, c := range q.Conditions {
		col, ok := findColumn(rel, c.Field)
		if !ok {
			return nil, fmt.Errorf("table %s has no column %q", rel.name, c.Field)
		}
		if c.Cutoff.IsZero() {
			return nil, fmt.Errorf("condition on %q has no cutoff", c.Field)
		}
		p.args = append(p.args, c.Cutoff.UTC().Format(time.DateOnly))
		cut := fmt.Sprintf("$%d::pg_catalog.date", len(p.args))
		id := pgx.Identifier{col.name}.Sanitize()
		var date string
		typ := col.builtin()
		if col.base == "citext" {
			typ = col.base // an extension's type, in whichever schema it was installed
		}
		switch typ {
		case "date":
			date = id
			stale = append(stale, fmt.Sprintf("(%s < %s AND %s > '-infinity')", id, cut, id))
			unread = append(unread, id+" = '-infinity'")
		case "timestamp":
			date = id + "::pg_catalog.date"
			stale = append(stale, fmt.Sprintf("(%s < %s::pg_catalog.timestamp AND %s > '-infinity')", id, cut, id))
			unread = append(unread, id+" = '-infinity'")
		case "timestamptz":
			// The cutoff is midnight UTC of its day, whatever the session's TimeZone says.
			date = fmt.Sprintf("(%s AT TIME ZONE 'UTC')::pg_catalog.date", id)
			stale = append(stale, fmt.Sprintf("(%s < (%s::pg_catalog.timestamp AT TIME ZONE 'UTC') AND %s > '-infinity')", id, cut, id))
			unread = append(unread, id+" = '-infinity'")
		case "text", "varchar", "bpchar", "citext", "name":
			date = textDate(id)
			stale = append(stale, fmt.Sprintf("%s < %s", date, cut))
			unread = append(unread, fmt.Sprintf("(%s IS NOT NULL AND pg_catalog.btrim(%s::pg_catalog.text) <> '' AND %s IS NULL)", id, id, date))
			p.text = append(p.text, col.name)
		default:
			return nil, fmt.Errorf("column %q of %s has type %s, which holds no date the count can compare", c.Field, rel.name, col.typ)
		}
		if i == 0 {
			p.oldest = date
			p.absent = id + " IS NULL"
			if len(p.text) > 0 && p.text[0] == col.name {
				p.absent = fmt.Sprintf("(%s IS NULL OR pg_catalog.btrim(%s::pg_catalog.text) = '')", id, id)
			}
		}
	}
	p.stale = strings.Join(stale, " AND ")
	if len(unread) > 0 {
		p.unread = strings.Join(unread, " OR ")
	}
	if h := q.Hold; h != nil && h.Field != "" && len(h.Values) > 0 {
		col, ok := findColumn(rel, h.Field)
		if !ok {
			return nil, fmt.Errorf("table %s has no hold column %q", rel.name, h.Field)
		}
		p.args = append(p.args, scanner.HoldValues(h.Values, col.builtin() == "bool"))
		// NULL is not held: IN over a NULL is NULL, and coalesce makes it false.
		p.held = fmt.Sprintf("coalesce(pg_catalog.lower(%s::pg_catalog.text) = ANY ($%d::pg_catalog.text[]), false)",
			pgx.Identifier{col.name}.Sanitize(), len(p.args))
	}
	return p, nil
}

func findColumn(rel *relation, name string) (column, bool) {
	for _, c := range rel.cols {
		if c.name == name {
			return c, true
		}
	}
	return column{}, false
}

// textDate is the SQL date of a text value in dd/mm/yyyy or yyyy-mm-dd, or NULL. Each step is guarded by the
// one before (CASE evaluates lazily per row), so no value can make make_date or a cast raise an error and
// stop the count.
func textDate(id string) string {
	t := "pg_catalog.btrim(" + id + "::pg_catalog.text)"
	uk := func(i int) string { return fmt.Sprintf("pg_catalog.split_part(%s, '/', %d)::int", t, i) }
	iso := func(from, n int) string { return fmt.Sprintf("pg_catalog.substr(%s, %d, %d)::int", t, from, n) }
	return fmt.Sprintf(`(CASE WHEN %[1]s ~ '^\d{1,2}/\d{1,2}/\d{4}$' THEN %[2]s WHEN %[1]s ~ '^\d{4}-\d{2}-\d{2}([ T].*)?$' THEN %[3]s END)`,
		t, validDate(uk(3), uk(2), uk(1)), validDate(iso(1, 4), iso(6, 2), iso(9, 2)))
}

// validDate makes a date from year, month and day expressions only when they name a real calendar day.
func validDate(y, m, d string) string {
	return fmt.Sprintf(`CASE WHEN %[2]s BETWEEN 1 AND 12 AND %[1]s >= 1 THEN CASE WHEN %[3]s BETWEEN 1 AND `+
		`pg_catalog.date_part('day', pg_catalog.make_date(%[1]s, %[2]s, 1) + interval '1 month' - interval '1 day')::int `+
		`THEN pg_catalog.make_date(%[1]s, %[2]s, %[3]s) END END`, y, m, d)
}

// countSQL is the one aggregate: total, stale, oldest stale date, unreadable dates, stale but held, and rows
// with no first date (for consent, the records with no consent recorded).
func (p *stalePlan) countSQL() string {
	stale := p.stale
	heldStale := "0::int8"
	if p.held != "" {
		heldStale = fmt.Sprintf("count(*) FILTER (WHERE %s AND %s)", stale, p.held)
		stale = fmt.Sprintf("%s AND NOT %s", stale, p.held)
	}
	unread := "0::int8"
	if p.unread != "" {
		unread = fmt.Sprintf("count(*) FILTER (WHERE %s)", p.unread)
	}
	return fmt.Sprintf("SELECT count(*), count(*) FILTER (WHERE %s), min(%s) FILTER (WHERE %s), %s, %s, count(*) FILTER (WHERE %s) FROM %s",
		stale, p.oldest, stale, unread, heldStale, p.absent, p.from)
}

func (p *stalePlan) where() string {
	if p.held != "" {
		return p.stale + " AND NOT " + p.held
	}
	return p.stale
}

func (s *Source) countExact(ctx context.Context, conn *pgx.Conn, p *stalePlan) (scanner.StaleCount, error) {
	n := scanner.StaleCount{Method: scanner.MethodExact}
	var oldest pgtype.Date
	var unread, held int64
	q := p.countSQL()
	if s.onQuery != nil {
		s.onQuery(q)
	}
	err := s.readOnly(ctx, conn, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, q, p.args...).Scan(&n.Total, &n.Stale, &oldest, &unread, &held, &n.Missing)
	})
	if err != nil {
		return scanner.StaleCount{}, err
	}
	if oldest.Valid && oldest.InfinityModifier == pgtype.Finite {
		t := time.Date(oldest.Time.Year(), oldest.Time.Month(), oldest.Time.Day(), 0, 0, 0, 0, time.UTC)
		n.Oldest = &t
	}
	n.Note = scanner.CountNote{TextDates: p.text, Unreadable: unread, Held: held}.String()
	return n, nil
}

// countEstimate asks the planner, which runs nothing: the stale estimate is the rows it expects the
// conditions to keep, the total the rows it expects in the table.
func (s *Source) countEstimate(ctx context.Context, conn *pgx.Conn, p *stalePlan) (scanner.StaleCount, error) {
	n := scanner.StaleCount{Method: scanner.MethodEstimate}
	q := "EXPLAIN (FORMAT JSON) SELECT 1 FROM " + p.from + " WHERE " + p.where()
	if s.onQuery != nil {
		s.onQuery(q)
	}
	err := s.readOnly(ctx, conn, func(tx pgx.Tx) error {
		var plan string
		if err := tx.QueryRow(ctx, q, p.args...).Scan(&plan); err != nil {
			return err
		}
		stale, err := planRows(plan)
		if err != nil {
			return err
		}
		total, err := explainRows(ctx, tx, p.from)
		if err != nil {
			return err
		}
		n.Stale, n.Total = int64(stale), int64(total)
		return nil
	})
	if err != nil {
		return scanner.StaleCount{}, err
	}
	n.Note = scanner.CountNote{TextDates: p.text, Estimate: "the exact count did not finish within the statement timeout of " +
		s.opt.StatementTimeout.String() + ", so both figures are the query planner's estimates, not counts"}.String()
	return n, nil
}
