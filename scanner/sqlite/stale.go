package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/datamap-uk/datamap/scanner"
)

// CountStale implements scanner.StaleCounter: one aggregate over the table, on the read-only (immutable,
// query_only) connection and under the statement timeout, returns the total, the stale rows, the oldest
// stale date, the rows whose date could not be read and the stale rows under legal hold. No row is read
// into Go.
//
// SQLite has no date type: whatever a column's declared type, each value is judged by what it holds.
//   - Text in ISO 8601 ("2019-06-01", "2019-06-01 10:00", "2019-06-01T00:30:00+01:00") is read with date(),
//     which converts a written offset to UTC, so the record's date is its UTC calendar date as elsewhere; a
//     value without an offset is taken as UTC.
//   - Text in dd/mm/yyyy (UK order, one- or two-digit day and month) is read as that calendar day.
//   - A text date that is not a real calendar day (31/02/2012; date() would roll it into March) is not read.
//   - Numbers are not read: a REAL or INTEGER may be a Julian day number or a Unix time in seconds or
//     milliseconds, and guessing would make counts that cannot be trusted. They are counted in the Note.
//
// Such unreadable values are never stale. SQLite keeps no statistics a planner could estimate from, so a
// count that hits the statement timeout is returned as an error (reason timeout), not as an estimate.
//
// A failure is returned as an error whose text begins with the inventory reason ("timeout: ...") and which
// has a Reason method; it never holds a value of the data.
func (s *Source) CountStale(ctx context.Context, q scanner.StaleQuery) (scanner.StaleCount, error) {
	if cerr := ctx.Err(); cerr != nil {
		return scanner.StaleCount{}, scanner.NewCountError(scanner.ReasonCancelled, "the scan was cancelled", cerr)
	}
	db, err := s.conn(ctx)
	if err != nil {
		return scanner.StaleCount{}, scanner.NewCountError(reason(err), err.Error(), nil)
	}
	table, ok := strings.CutPrefix(q.Container, "main.")
	if !ok {
		return scanner.StaleCount{}, scanner.NewCountError(scanner.ReasonReadError, "not a table of the main schema", nil)
	}
	qr := querier{db: db, timeout: s.opt.StatementTimeout}
	n, err := countStale(ctx, qr, table, q)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return scanner.StaleCount{}, scanner.NewCountError(scanner.ReasonCancelled, "the scan was cancelled", cerr)
		}
		var ce *scanner.CountError
		if errors.As(err, &ce) {
			return scanner.StaleCount{}, ce
		}
		detail := "the count failed: " + clean(err).Error()
		if reason(err) == scanner.ReasonTimeout {
			detail = "the count did not finish within the statement timeout of " + s.opt.StatementTimeout.String() +
				" (SQLite has no planner statistics to estimate from)"
		}
		return scanner.StaleCount{}, scanner.NewCountError(reason(err), detail, nil)
	}
	return n, nil
}

func refused(format string, args ...any) error {
	return scanner.NewCountError(scanner.ReasonReadError, fmt.Sprintf(format, args...), nil)
}

func countStale(ctx context.Context, qr querier, table string, q scanner.StaleQuery) (scanner.StaleCount, error) {
	if len(q.Conditions) == 0 {
		return scanner.StaleCount{}, refused("a table has no modification time: a date field is needed to count stale rows")
	}
	types := map[string]string{}
	err := qr.each(ctx, `SELECT name, type FROM pragma_table_info(?, 'main')`, []any{table}, func(r *sql.Rows) error {
		var name, typ string
		if err := r.Scan(&name, &typ); err != nil {
			return err
		}
		types[name] = strings.ToUpper(typ)
		return nil
	})
	if err != nil {
		return scanner.StaleCount{}, err
	}
	if len(types) == 0 {
		return scanner.StaleCount{}, refused("table main.%s was not found", table)
	}
	var stale, unread, numeric []string
	var args []any
	var oldest, absent string
	for i, c := range q.Conditions {
		if _, ok := types[c.Field]; !ok {
			return scanner.StaleCount{}, refused("table main.%s has no column %q", table, c.Field)
		}
		if c.Cutoff.IsZero() {
			return scanner.StaleCount{}, refused("condition on %q has no cutoff", c.Field)
		}
		id := quote(c.Field)
		date := valueDate(id)
		if i == 0 {
			oldest = date
			absent = fmt.Sprintf("(%s IS NULL OR (typeof(%s) = 'text' AND trim(%s) = ''))", id, id, id)
		}
		stale = append(stale, date+" < ?")
		args = append(args, c.Cutoff.UTC().Format(time.DateOnly))
		unread = append(unread, fmt.Sprintf("(%s IS NOT NULL AND NOT (typeof(%s) = 'text' AND trim(%s) = '') AND %s IS NULL)", id, id, id, date))
		numeric = append(numeric, fmt.Sprintf("typeof(%s) IN ('integer', 'real')", id))
	}
	held := "0"
	if h := q.Hold; h != nil && h.Field != "" && len(h.Values) > 0 {
		typ, ok := types[h.Field]
		if !ok {
			return scanner.StaleCount{}, refused("table main.%s has no hold column %q", table, h.Field)
		}
		// SQLite stores booleans as 0 and 1 whatever the declared type says.
		values := scanner.HoldValues(h.Values, strings.Contains(typ, "BOOL") || strings.Contains(typ, "INT") || typ == "")
		for _, v := range values {
			args = append(args, v)
		}
		// NULL is not held: IN over a NULL is NULL, and coalesce makes it 0.
		held = fmt.Sprintf("coalesce(lower(CAST(%s AS TEXT)) IN (%s), 0)", quote(h.Field), strings.TrimSuffix(strings.Repeat("?, ", len(values)), ", "))
	}
	query := fmt.Sprintf(`SELECT count(*), coalesce(sum(s AND NOT h), 0), min(CASE WHEN s AND NOT h THEN d END),
		coalesce(sum(u), 0), coalesce(sum(s AND h), 0), coalesce(sum(u AND n), 0), coalesce(sum(m), 0)
		FROM (SELECT (%s) AS s, (%s) AS h, %s AS d, (%s) AS u, (%s) AS n, (%s) AS m FROM %s)`,
		strings.Join(stale, " AND "), held, oldest, strings.Join(unread, " OR "), strings.Join(numeric, " OR "), absent, quote(table))
	n := scanner.StaleCount{Method: scanner.MethodExact}
	var first sql.NullString
	var unreadN, heldN, numericN int64
	rows := 0
	err = qr.each(ctx, query, args, func(r *sql.Rows) error {
		rows++
		return r.Scan(&n.Total, &n.Stale, &first, &unreadN, &heldN, &numericN, &n.Missing)
	})
	if err != nil {
		return scanner.StaleCount{}, err
	}
	if rows != 1 {
		return scanner.StaleCount{}, errors.New("the count returned no row")
	}
	if first.Valid {
		if d, err := time.Parse(time.DateOnly, first.String); err == nil {
			n.Oldest = &d
		}
	}
	n.Note = scanner.CountNote{Unreadable: unreadN, Numeric: numericN, Held: heldN}.String()
	return n, nil
}

// valueDate is the 'YYYY-MM-DD' of a text value in ISO 8601 (offset converted to UTC) or dd/mm/yyyy, or
// NULL. date() rolls impossible days into the next month, so a date is kept only when date() gives it back
// unchanged.
func valueDate(id string) string {
	t := "trim(" + id + ")"
	iso := fmt.Sprintf(`CASE WHEN date(substr(%[1]s, 1, 10)) = substr(%[1]s, 1, 10) THEN date(%[1]s) END`, t)
	const y4 = "[0-9][0-9][0-9][0-9]"
	uk := fmt.Sprintf(`CASE
		WHEN %[1]s GLOB '[0-9][0-9]/[0-9][0-9]/%[2]s' THEN substr(%[1]s, 7, 4) || '-' || substr(%[1]s, 4, 2) || '-' || substr(%[1]s, 1, 2)
		WHEN %[1]s GLOB '[0-9]/[0-9][0-9]/%[2]s' THEN substr(%[1]s, 6, 4) || '-' || substr(%[1]s, 3, 2) || '-0' || substr(%[1]s, 1, 1)
		WHEN %[1]s GLOB '[0-9][0-9]/[0-9]/%[2]s' THEN substr(%[1]s, 6, 4) || '-0' || substr(%[1]s, 4, 1) || '-' || substr(%[1]s, 1, 2)
		WHEN %[1]s GLOB '[0-9]/[0-9]/%[2]s' THEN substr(%[1]s, 5, 4) || '-0' || substr(%[1]s, 3, 1) || '-0' || substr(%[1]s, 1, 1)
		END`, t, y4)
	return fmt.Sprintf(`(CASE WHEN typeof(%[1]s) = 'text' THEN
		CASE WHEN %[2]s GLOB '%[3]s-[0-9][0-9]-[0-9][0-9]*' THEN %[4]s
		ELSE (SELECT CASE WHEN date(x) = x THEN x END FROM (SELECT %[5]s AS x)) END END)`, id, t, y4, iso, uk)
}
