package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/datamap-uk/datamap/scanner"
)

// CountStale implements scanner.StaleCounter: one pushed-down aggregate, in the same READ ONLY session and
// transaction and under the same statement timeout as sampling, returns the total, the stale rows, the
// oldest stale date, the rows whose date could not be read and the stale rows under legal hold. No row
// leaves the server. When the count hits the statement timeout, EXPLAIN's row estimates are returned
// instead, labelled.
//
// A record's date is its UTC calendar date. DATE is compared as it is; DATETIME by its own date (it has no
// zone); TIMESTAMP is stored in UTC and shown in the session's time_zone, so the count sets time_zone to
// +00:00 for its transaction and puts it back afterwards. Zero and out-of-range dates ('0000-00-00', before
// 1000-01-01) are not stale and are counted in the Note. Text columns are read as dd/mm/yyyy (UK order) or
// yyyy-mm-dd (anything after the date is ignored) with STR_TO_DATE behind a REGEXP guard; because
// STR_TO_DATE accepts days such as 31/02, the parsed date is kept only when it is a real calendar day.
//
// A failure is returned as an error whose text begins with the inventory reason ("timeout: ...",
// "permission_denied: ...") and which has a Reason method; it never holds a value of the data.
func (s *Source) CountStale(ctx context.Context, q scanner.StaleQuery) (scanner.StaleCount, error) {
	t, err := s.tableFor(ctx, q.Container)
	if err != nil {
		return scanner.StaleCount{}, err
	}
	p, err := planStale(t, q)
	if err != nil {
		return scanner.StaleCount{}, scanner.NewCountError(scanner.ReasonReadError, err.Error(), nil)
	}
	n, err := s.countExact(ctx, p)
	if err != nil && ctx.Err() == nil {
		if reason, _ := classify(err, s.scrub); reason == scanner.ReasonTimeout {
			// Without an estimate (EXPLAIN of a view needs SHOW VIEW), the timeout is the answer.
			if est, eerr := s.countEstimate(ctx, p); eerr == nil || ctx.Err() != nil {
				n, err = est, eerr
			}
		}
	}
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return scanner.StaleCount{}, scanner.NewCountError(scanner.ReasonCancelled, "the scan was cancelled", cerr)
		}
		reason, detail := classify(err, s.scrub)
		return scanner.StaleCount{}, scanner.NewCountError(reason, detail, nil)
	}
	return n, nil
}

// tableFor finds the listed table; a count asked before any listing lists first.
func (s *Source) tableFor(ctx context.Context, name string) (*table, error) {
	s.mu.Lock()
	t, listed := s.tables[name], s.tables != nil
	s.mu.Unlock()
	if t == nil && !listed {
		if err := s.Units(ctx, func(scanner.Unit) error { return nil }); err != nil {
			reason, detail := classify(err, s.scrub)
			return nil, scanner.NewCountError(reason, detail, ctx.Err())
		}
		s.mu.Lock()
		t = s.tables[name]
		s.mu.Unlock()
	}
	if t == nil {
		return nil, scanner.NewCountError(scanner.ReasonReadError, fmt.Sprintf("table %s was not in the listing", name), nil)
	}
	return t, nil
}

// stalePlan is the SQL of one count. Each expression is evaluated once per row in a derived table, so every
// placeholder appears once and the arguments follow in order.
type stalePlan struct {
	from   string
	stale  string // all conditions, ANDed
	held   string // 1 for a row under legal hold; "" without a hold
	oldest string // the first condition's date
	unread string // 1 for a row with a date present but unreadable; "" when none can be
	absent string // 1 for a row whose first condition's date is missing (NULL or blank text)
	stArgs []any  // arguments of stale
	hArgs  []any  // arguments of held
	text   []string
}

const minDate = "'1000-01-01'" // MySQL's DATE range starts here; anything lower is a zero or damaged date

func planStale(t *table, q scanner.StaleQuery) (*stalePlan, error) {
	if len(q.Conditions) == 0 {
		return nil, errors.New("a table has no modification time: a date field is needed to count stale rows")
	}
	p := &stalePlan{from: quote(t.schema) + "." + quote(t.name)}
	var stale, unread []string
	for i, c := range q.Conditions {
		col, ok := findColumn(t, c.Field)
		if !ok {
			return nil, fmt.Errorf("table %s.%s has no column %q", t.schema, t.name, c.Field)
		}
		if c.Cutoff.IsZero() {
			return nil, fmt.Errorf("condition on %q has no cutoff", c.Field)
		}
		p.stArgs = append(p.stArgs, c.Cutoff.UTC().Format(time.DateOnly))
		id := quote(col.name)
		var date string
		switch col.dataType {
		case "date":
			date = id
			stale = append(stale, fmt.Sprintf("(%s < CAST(? AS DATE) AND %s >= %s)", id, id, minDate))
			unread = append(unread, fmt.Sprintf("%s < %s", id, minDate))
		case "datetime", "timestamp":
			date = "DATE(" + id + ")"
			stale = append(stale, fmt.Sprintf("(%s < CAST(? AS DATETIME) AND %s >= %s)", id, id, minDate))
			unread = append(unread, fmt.Sprintf("%s < %s", id, minDate))
		case "char", "varchar", "tinytext", "text", "mediumtext", "longtext":
			date = textDate(id)
			stale = append(stale, fmt.Sprintf("%s < CAST(? AS DATE)", date))
			unread = append(unread, fmt.Sprintf("(%s IS NOT NULL AND TRIM(%s) <> '' AND %s IS NULL)", id, id, date))
			p.text = append(p.text, col.name)
		default:
			return nil, fmt.Errorf("column %q of %s.%s has type %s, which holds no date the count can compare", c.Field, t.schema, t.name, col.colType)
		}
		if i == 0 {
			p.oldest = date
			p.absent = id + " IS NULL"
			if len(p.text) > 0 && p.text[0] == col.name {
				p.absent = fmt.Sprintf("(%s IS NULL OR TRIM(%s) = '')", id, id)
			}
		}
	}
	p.stale = strings.Join(stale, " AND ")
	p.unread = strings.Join(unread, " OR ")
	if h := q.Hold; h != nil && h.Field != "" && len(h.Values) > 0 {
		col, ok := findColumn(t, h.Field)
		if !ok {
			return nil, fmt.Errorf("table %s.%s has no hold column %q", t.schema, t.name, h.Field)
		}
		// BOOL is TINYINT(1): "true" must also match 1.
		for _, v := range scanner.HoldValues(h.Values, col.dataType == "tinyint" || col.dataType == "bit") {
			p.hArgs = append(p.hArgs, v)
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(p.hArgs)), ", ")
		// NULL is not held: IN over a NULL is NULL, and COALESCE makes it 0.
		p.held = fmt.Sprintf("COALESCE(LOWER(CAST(%s AS CHAR)) IN (%s), 0)", quote(col.name), marks)
		if col.dataType == "bit" {
			p.held = fmt.Sprintf("COALESCE(CAST(%s + 0 AS CHAR) IN (%s), 0)", quote(col.name), marks)
		}
	}
	return p, nil
}

func findColumn(t *table, name string) (column, bool) {
	for _, c := range t.cols {
		if c.name == name {
			return c, true
		}
	}
	return column{}, false
}

// textDate is the DATE of a text value in dd/mm/yyyy or yyyy-mm-dd, or NULL.
func textDate(id string) string {
	t := "TRIM(" + id + ")"
	return fmt.Sprintf(`(CASE WHEN %[1]s REGEXP '^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$' THEN %[2]s `+
		`WHEN %[1]s REGEXP '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T].*)?$' THEN %[3]s END)`,
		t, validDate("STR_TO_DATE("+t+", '%d/%m/%Y')"), validDate("STR_TO_DATE(LEFT("+t+", 10), '%Y-%m-%d')"))
}

// validDate keeps a parsed date only when it is a real calendar day: STR_TO_DATE returns 2012-02-31 and
// 2012-01-00 as they are.
func validDate(x string) string {
	return fmt.Sprintf("CASE WHEN YEAR(%[1]s) >= 1000 AND MONTH(%[1]s) BETWEEN 1 AND 12 AND DAY(%[1]s) BETWEEN 1 AND DAY(LAST_DAY(%[1]s)) THEN %[1]s END", x)
}

func (p *stalePlan) countSQL() (string, []any) {
	held := "0"
	if p.held != "" {
		held = p.held
	}
	inner := fmt.Sprintf("SELECT (%s) AS s, (%s) AS h, %s AS d, (%s) AS u, (%s) AS m FROM %s", p.stale, held, p.oldest, p.unread, p.absent, p.from)
	q := "SELECT COUNT(*), COALESCE(SUM(CASE WHEN s AND NOT h THEN 1 ELSE 0 END), 0), " +
		"MIN(CASE WHEN s AND NOT h THEN d END), COALESCE(SUM(CASE WHEN u THEN 1 ELSE 0 END), 0), " +
		"COALESCE(SUM(CASE WHEN s AND h THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN m THEN 1 ELSE 0 END), 0) " +
		"FROM (" + inner + ") AS x"
	return q, append(append([]any{}, p.stArgs...), p.hArgs...)
}

func (p *stalePlan) where() (string, []any) {
	args := append([]any{}, p.stArgs...)
	if p.held == "" {
		return p.stale, args
	}
	return p.stale + " AND NOT " + p.held, append(args, p.hArgs...)
}

// utc runs fn in a read-only session whose time_zone is UTC, so TIMESTAMP values read as UTC, and restores
// the server's default before the connection goes back to the pool.
func (s *Source) utc(ctx context.Context, fn func(ss *session) error) error {
	ss, err := s.begin(ctx)
	if err != nil {
		return err
	}
	if _, err := ss.tx.ExecContext(ctx, "SET time_zone = '+00:00'"); err != nil {
		ss.end(false)
		return err
	}
	restore := func() error {
		_, err := ss.tx.ExecContext(context.WithoutCancel(ctx), "SET time_zone = @@GLOBAL.time_zone")
		return err
	}
	defer func() {
		// A panic in fn (the caller's recover makes it the count's failure) must not keep the connection and
		// its transaction for the rest of the scan, nor hand the pool a session in UTC.
		if r := recover(); r != nil {
			restore()
			ss.end(false)
			panic(r)
		}
	}()
	err = fn(ss)
	if rerr := restore(); rerr != nil && err == nil {
		err = rerr
	}
	if err != nil {
		ss.end(false)
		return err
	}
	return ss.end(true)
}

func (s *Source) countExact(ctx context.Context, p *stalePlan) (scanner.StaleCount, error) {
	n := scanner.StaleCount{Method: scanner.MethodExact}
	var unread, held int64
	var oldest string
	q, args := p.countSQL()
	err := s.utc(ctx, func(ss *session) error {
		rows := 0
		err := ss.query(ctx, q, func(r []sql.RawBytes) error {
			rows++
			var err error
			if n.Total, err = strconv.ParseInt(string(r[0]), 10, 64); err != nil {
				return err
			}
			if n.Stale, err = strconv.ParseInt(string(r[1]), 10, 64); err != nil {
				return err
			}
			oldest = string(r[2])
			if unread, err = strconv.ParseInt(string(r[3]), 10, 64); err != nil {
				return err
			}
			if held, err = strconv.ParseInt(string(r[4]), 10, 64); err != nil {
				return err
			}
			n.Missing, err = strconv.ParseInt(string(r[5]), 10, 64)
			return err
		}, args...)
		if err == nil && rows != 1 {
			err = errors.New("the count returned no row")
		}
		return err
	})
	if err != nil {
		return scanner.StaleCount{}, err
	}
	if oldest != "" {
		if d, err := time.Parse(time.DateOnly, oldest[:min(len(oldest), 10)]); err == nil {
			n.Oldest = &d
		}
	}
	n.Note = scanner.CountNote{TextDates: p.text, Unreadable: unread, Held: held}.String()
	return n, nil
}

// countEstimate asks the optimiser, which runs nothing: the stale estimate is the rows EXPLAIN expects to
// read for the conditions (scaled by "filtered" where the server reports it), the total the rows it expects
// for the whole table. Without an index on the date field MariaDB reports the rows it would examine, so the
// stale estimate is then an upper bound.
func (s *Source) countEstimate(ctx context.Context, p *stalePlan) (scanner.StaleCount, error) {
	n := scanner.StaleCount{Method: scanner.MethodEstimate}
	where, args := p.where()
	err := s.utc(ctx, func(ss *session) error {
		stale, err := explainRows(ctx, ss, "EXPLAIN SELECT 1 FROM "+p.from+" WHERE "+where, args)
		if err != nil {
			return err
		}
		total, err := explainRows(ctx, ss, "EXPLAIN SELECT 1 FROM "+p.from, nil)
		if err != nil {
			return err
		}
		n.Stale, n.Total = int64(min(stale, total)), int64(total)
		return nil
	})
	if err != nil {
		return scanner.StaleCount{}, err
	}
	n.Note = scanner.CountNote{TextDates: p.text, Estimate: "the exact count did not finish within the statement timeout of " +
		s.opt.StatementTimeout.String() + ", so both figures are the optimiser's estimates, not counts"}.String()
	return n, nil
}

// explainRows multiplies the rows (times filtered/100, when shown) of every step of the plan: the rows a
// nested-loop plan expects to return.
func explainRows(ctx context.Context, ss *session, q string, args []any) (float64, error) {
	if ss.trace != nil {
		ss.trace(q)
	}
	qctx, cancel := context.WithTimeout(ctx, ss.opt.StatementTimeout+5*time.Second)
	defer cancel()
	rows, err := ss.tx.QueryContext(qctx, q, args...)
	if err != nil {
		return 0, clientTimeout(ctx, qctx, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	rowsAt, filteredAt := -1, -1
	for i, c := range cols {
		switch strings.ToLower(c) {
		case "rows":
			rowsAt = i
		case "filtered":
			filteredAt = i
		}
	}
	if rowsAt < 0 {
		return 0, errors.New("unreadable EXPLAIN output")
	}
	raw := make([]sql.NullString, len(cols))
	dest := make([]any, len(cols))
	for i := range raw {
		dest[i] = &raw[i]
	}
	est, seen := 1.0, false
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return 0, err
		}
		r, err := strconv.ParseFloat(raw[rowsAt].String, 64)
		if !raw[rowsAt].Valid || err != nil {
			continue // a derived table's own line, with no rows of its own
		}
		if filteredAt >= 0 && raw[filteredAt].Valid {
			if f, err := strconv.ParseFloat(raw[filteredAt].String, 64); err == nil {
				r *= f / 100
			}
		}
		est, seen = est*r, true
	}
	if err := rows.Err(); err != nil {
		return 0, clientTimeout(ctx, qctx, err)
	}
	if !seen {
		return 0, nil
	}
	return est, nil
}
