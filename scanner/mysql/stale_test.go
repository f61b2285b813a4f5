package mysql

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"

	"github.com/datamap-uk/datamap/scanner"
)

// staleName is planted in every row: it must never appear in a count's note or error.
const staleName = "Ottoline Example-Quartermain"

// staleFixture builds tables whose stale counts are known by construction (the same rows as the PostgreSQL
// connector's test):
//
//	id end_date    end_text     ended_at (TIMESTAMP, written at +01:00 for 5 and 9)  closed  turns25  legal_hold hold_note
//	1  2010-01-15  15/01/2010   2010-01-15 12:00 UTC        2010-01-15  2012-05-01  0
//	2  2015-06-30  30/06/2015   2015-06-30 23:59:59 UTC     2015-06-30  2030-01-01  0          Litigation
//	3  NULL        NULL         NULL                        NULL        2005-01-01  NULL       (open)
//	4  2020-02-29  29/02/2020   2020-02-29 12:00 UTC        2020-02-29  2011-01-01  1          (leap day, held)
//	5  2019-06-01  " 1/6/2019 " 2019-06-01 00:30+01 = 2019-05-31 23:30 UTC  2019-06-01 NULL 0
//	6  2021-03-15  not known    2021-03-15 09:00 UTC        NULL        2001-01-01  0          (garbage text)
//	7  2012-03-04  31/02/2012   2012-03-04 08:00 UTC        2012-03-04  2013-01-01  0          (no such day)
//	8  2008-11-11  ""           2008-11-11 00:00:01 UTC     2008-11-11  2009-01-01  NULL       (hold NULL)
//	9  2020-02-28  2020-02-28   2020-03-01 00:15+01 = 2020-02-29 23:15 UTC  2020-02-28 2015-01-01 0
//
// ended_local (DATETIME) is end_date at 23:59:59. zero_dates holds a zero date, a real one and a NULL. The
// reader may SELECT all but secret_dates (REFERENCES only, so MySQL lists it and refuses the SELECT).
func (srv *server) staleFixture(t *testing.T) {
	t.Helper()
	s := quote(srv.schema)
	srv.exec(t,
		"CREATE DATABASE "+s,
		"CREATE TABLE "+s+".tenancies (id INT PRIMARY KEY, tenant VARCHAR(60), end_date DATE, end_text VARCHAR(20), "+
			"ended_at TIMESTAMP NULL, ended_local DATETIME, closed DATE, turns25 DATE, legal_hold BOOLEAN, hold_note TEXT)",
		"CREATE TABLE "+s+".zero_dates (ended DATE)",
		"CREATE TABLE "+s+".secret_dates (ended DATE)",
		"CREATE TABLE "+s+".`odd``name` (`when ``ended` DATE)",
		// SLEEP in the WHERE runs per row when counting, never for EXPLAIN (a derived table would run at EXPLAIN).
		"CREATE VIEW "+s+".slow_tenancies AS SELECT t.* FROM "+s+".tenancies t WHERE SLEEP(0.5) = 0",
		"INSERT INTO "+s+".`odd``name` VALUES ('2001-01-01'), ('2030-01-01'), (NULL)",
		"INSERT INTO "+s+".secret_dates VALUES ('2001-01-01')",
	)
	ctx := context.Background()
	conn, err := srv.admin.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{
		"SET SESSION sql_mode = ''", // allows the zero date
		"INSERT INTO " + s + ".zero_dates VALUES ('0000-00-00'), ('2001-01-01'), (NULL)",
		"SET time_zone = '+00:00'",
		"INSERT INTO " + s + ".tenancies (id, end_date, end_text, ended_at, closed, turns25, legal_hold, hold_note) VALUES " +
			"(1, '2010-01-15', '15/01/2010', '2010-01-15 12:00:00', '2010-01-15', '2012-05-01', 0, NULL)," +
			"(2, '2015-06-30', '30/06/2015', '2015-06-30 23:59:59', '2015-06-30', '2030-01-01', 0, 'Litigation')," +
			"(3, NULL, NULL, NULL, NULL, '2005-01-01', NULL, NULL)," +
			"(4, '2020-02-29', '29/02/2020', '2020-02-29 12:00:00', '2020-02-29', '2011-01-01', 1, NULL)," +
			"(6, '2021-03-15', 'not known', '2021-03-15 09:00:00', NULL, '2001-01-01', 0, NULL)," +
			"(7, '2012-03-04', '31/02/2012', '2012-03-04 08:00:00', '2012-03-04', '2013-01-01', 0, NULL)," +
			"(8, '2008-11-11', '', '2008-11-11 00:00:01', '2008-11-11', '2009-01-01', NULL, NULL)",
		"SET time_zone = '+01:00'",
		"INSERT INTO " + s + ".tenancies (id, end_date, end_text, ended_at, closed, turns25, legal_hold, hold_note) VALUES " +
			"(5, '2019-06-01', ' 1/6/2019 ', '2019-06-01 00:30:00', '2019-06-01', NULL, 0, NULL)," +
			"(9, '2020-02-28', '2020-02-28', '2020-03-01 00:15:00', '2020-02-28', '2015-01-01', 0, NULL)",
		"UPDATE " + s + ".tenancies SET tenant = '" + staleName + "', ended_local = TIMESTAMP(end_date, '23:59:59')",
		"ANALYZE TABLE " + s + ".tenancies",
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatalf("setup %q: %v", q, err)
		}
	}
	r := "'" + srv.reader + "'@'%'"
	srv.exec(t, "CREATE USER "+r+" IDENTIFIED BY '"+srv.readerPass+"'")
	for _, o := range []string{"tenancies", "zero_dates", "`odd``name`", "slow_tenancies"} {
		if !strings.HasPrefix(o, "`") {
			o = quote(o)
		}
		srv.exec(t, "GRANT SELECT ON "+s+"."+o+" TO "+r)
	}
	srv.exec(t, "GRANT REFERENCES ON "+s+".secret_dates TO "+r,
		"GRANT SHOW VIEW ON "+s+".slow_tenancies TO "+r) // EXPLAIN of a view needs it
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func cond(field, cutoff string) scanner.Condition {
	return scanner.Condition{Field: field, Cutoff: day(cutoff)}
}

func staleSource(t *testing.T, srv *server, opt Options) *Source {
	t.Helper()
	s, err := New("ret", srv.readerURL(""), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestCountStaleKnownByConstruction(t *testing.T) {
	srv := startServer(t)
	srv.staleFixture(t)
	s := staleSource(t, srv, Options{})
	// A session time zone far from UTC, as on a server configured for another zone: the count must not
	// depend on it.
	s.afterBegin = func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "SET time_zone = '+13:00'")
		return err
	}
	tbl := srv.schema + ".tenancies"
	hold := func(field string, values ...string) *scanner.Hold { return &scanner.Hold{Field: field, Values: values} }
	cases := []struct {
		name       string
		container  string
		conds      []scanner.Condition
		hold       *scanner.Hold
		stale      int64
		total      int64
		oldest     string
		noteHas    []string
		noteAbsent bool
	}{
		{name: "date before the leap-day cutoff: the leap day itself is not stale and NULL end dates never are",
			conds: []scanner.Condition{cond("end_date", "2020-02-29")}, stale: 6, oldest: "2008-11-11", noteAbsent: true},
		{name: "date before 2020-02-28 leaves out the record ended on the cutoff day",
			conds: []scanner.Condition{cond("end_date", "2020-02-28")}, stale: 5, oldest: "2008-11-11"},
		{name: "date before 2020-03-01 counts the leap day",
			conds: []scanner.Condition{cond("end_date", "2020-03-01")}, stale: 7, oldest: "2008-11-11"},
		{name: "legal hold on a BOOLEAN excludes the held row and treats a NULL flag as not held",
			conds: []scanner.Condition{cond("end_date", "2020-03-01")}, hold: hold("legal_hold", "true"), stale: 6,
			oldest: "2008-11-11", noteHas: []string{"1 row past the cutoff under legal hold"}},
		{name: "legal hold on text matches case-insensitively",
			conds: []scanner.Condition{cond("end_date", "2020-03-01")}, hold: hold("hold_note", "LITIGATION"), stale: 6, oldest: "2008-11-11"},
		{name: "uk text dates are read and garbage and impossible days are reported not counted",
			conds: []scanner.Condition{cond("end_text", "2020-03-01")}, stale: 5, oldest: "2010-01-15",
			noteHas: []string{"2 rows have a date the count could not read", "stored as text"}},
		{name: "uk text leap day on the cutoff is not stale",
			conds: []scanner.Condition{cond("end_text", "2020-02-29")}, stale: 4, oldest: "2010-01-15"},
		{name: "TIMESTAMP 00:30+01:00 on 1 June is 31 May in UTC so stale before 1 June",
			conds: []scanner.Condition{cond("ended_at", "2019-06-01")}, stale: 5, oldest: "2008-11-11"},
		{name: "TIMESTAMP 00:30+01:00 on 1 June is on the 31 May cutoff day so not stale",
			conds: []scanner.Condition{cond("ended_at", "2019-05-31")}, stale: 4, oldest: "2008-11-11"},
		{name: "TIMESTAMP 00:15+01:00 on 1 March 2020 is the leap day in UTC so stale before 1 March",
			conds: []scanner.Condition{cond("ended_at", "2020-03-01")}, stale: 7, oldest: "2008-11-11"},
		{name: "TIMESTAMP on the leap day in UTC is not stale before the leap day",
			conds: []scanner.Condition{cond("ended_at", "2020-02-29")}, stale: 5, oldest: "2008-11-11"},
		{name: "DATETIME is judged by its own date whatever its time",
			conds: []scanner.Condition{cond("ended_local", "2019-06-01")}, stale: 4, oldest: "2008-11-11"},
		{name: "later of two conditions is stale only when both have passed",
			conds: []scanner.Condition{cond("closed", "2016-01-01"), cond("turns25", "2016-01-01")}, stale: 3, oldest: "2008-11-11"},
		{name: "later of two conditions compares each with its own cutoff and respects a hold",
			conds: []scanner.Condition{cond("closed", "2013-01-01"), cond("turns25", "2012-06-01")}, hold: hold("legal_hold", "yes"),
			stale: 2, oldest: "2008-11-11"},
		{name: "a zero date is not stale and is reported", container: srv.schema + ".zero_dates",
			conds: []scanner.Condition{cond("ended", "2020-01-01")}, stale: 1, total: 3, oldest: "2001-01-01",
			noteHas: []string{"1 row has a date the count could not read"}},
		{name: "backticks in table and column names are quoted", container: srv.schema + ".odd`name",
			conds: []scanner.Condition{cond("when `ended", "2020-01-01")}, stale: 1, total: 3, oldest: "2001-01-01"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			container, total := c.container, c.total
			if container == "" {
				container, total = tbl, 9
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			got, err := s.CountStale(ctx, scanner.StaleQuery{Container: container, Unit: container, Conditions: c.conds, Hold: c.hold})
			if err != nil {
				t.Fatal(err)
			}
			if got.Stale != c.stale || got.Total != total || got.Method != scanner.MethodExact {
				t.Errorf("got stale %d of %d (%s), want %d of %d (exact)", got.Stale, got.Total, got.Method, c.stale, total)
			}
			if got.Oldest == nil || got.Oldest.Format(time.DateOnly) != c.oldest || got.Oldest.Location() != time.UTC {
				t.Errorf("oldest %v, want %s UTC", got.Oldest, c.oldest)
			}
			for _, h := range c.noteHas {
				if !strings.Contains(got.Note, h) {
					t.Errorf("note %q lacks %q", got.Note, h)
				}
			}
			if c.noteAbsent && got.Note != "" {
				t.Errorf("note %q, want none", got.Note)
			}
			if strings.Contains(got.Note, staleName) {
				t.Error("the note holds a data value")
			}
		})
	}
}

func TestCountStaleFailuresAreClassifiedWithoutData(t *testing.T) {
	srv := startServer(t)
	srv.staleFixture(t)
	s := staleSource(t, srv, Options{})
	tbl := srv.schema + ".tenancies"
	cases := []struct {
		name, container string
		conds           []scanner.Condition
		hold            *scanner.Hold
		reason          string
	}{
		{"no SELECT on the table is permission denied", srv.schema + ".secret_dates", []scanner.Condition{cond("ended", "2020-01-01")}, nil, scanner.ReasonPermissionDenied},
		{"an unknown date field is refused", tbl, []scanner.Condition{cond("no_such", "2020-01-01")}, nil, scanner.ReasonReadError},
		{"a non-date column is refused", tbl, []scanner.Condition{cond("id", "2020-01-01")}, nil, scanner.ReasonReadError},
		{"an unknown hold field is refused", tbl, []scanner.Condition{cond("end_date", "2020-01-01")}, &scanner.Hold{Field: "nope", Values: []string{"x"}}, scanner.ReasonReadError},
		{"an unknown table is refused", srv.schema + ".missing", []scanner.Condition{cond("end_date", "2020-01-01")}, nil, scanner.ReasonReadError},
		{"no conditions is refused for a table", tbl, nil, nil, scanner.ReasonReadError},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.CountStale(context.Background(), scanner.StaleQuery{Container: c.container, Conditions: c.conds, Hold: c.hold})
			var r interface{ Reason() string }
			if !errors.As(err, &r) || r.Reason() != c.reason {
				t.Fatalf("error %v, want reason %s", err, c.reason)
			}
			if !strings.HasPrefix(err.Error(), c.reason+": ") {
				t.Errorf("error %q does not begin with its reason", err)
			}
			if strings.Contains(err.Error(), staleName) || strings.Contains(err.Error(), srv.readerPass) {
				t.Errorf("error %q holds data or the password", err)
			}
		})
	}
}

func TestCountStaleTimeoutFallsBackToTheOptimiserEstimate(t *testing.T) {
	srv := startServer(t)
	srv.staleFixture(t)
	s := staleSource(t, srv, Options{StatementTimeout: 300 * time.Millisecond})
	var queries []string
	s.trace = func(q string) { queries = append(queries, q) }
	got, err := s.CountStale(context.Background(), scanner.StaleQuery{Container: srv.schema + ".slow_tenancies",
		Conditions: []scanner.Condition{cond("end_date", "2020-03-01")}, Hold: &scanner.Hold{Field: "legal_hold", Values: []string{"true"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Method != scanner.MethodEstimate || got.Oldest != nil {
		t.Errorf("method %s oldest %v, want an estimate without an oldest date", got.Method, got.Oldest)
	}
	if got.Total < 1 || got.Stale < 0 || got.Stale > got.Total {
		t.Errorf("estimate %d of %d, want 0 <= stale <= total and total >= 1 (the table has 9 rows)", got.Stale, got.Total)
	}
	if !strings.Contains(got.Note, "estimate") || !strings.Contains(got.Note, "statement timeout") {
		t.Errorf("note %q does not say the figures are estimates after a timeout", got.Note)
	}
	if len(queries) > 3 {
		queries = queries[len(queries)-3:] // after the catalogue's listing
	}
	if len(queries) != 3 || !strings.HasPrefix(queries[0], "SELECT COUNT(*)") || !strings.HasPrefix(queries[1], "EXPLAIN") {
		t.Errorf("queries %q, want the count then two EXPLAINs", queries)
	}
}

func TestCountStaleRunsReadOnlyInUTCAndRestoresTheSession(t *testing.T) {
	srv := startServer(t)
	srv.staleFixture(t)
	// The admin may write anything: only the read-only session can stop the write.
	cfg := srv.adminCfg.Clone()
	cfg.DBName = srv.schema
	cfg.Params = nil
	s, err := New("ret", cfg.FormatDSN(), Options{MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var writeErr error
	s.afterBegin = func(ctx context.Context, tx *sql.Tx) error {
		_, writeErr = tx.ExecContext(ctx, "INSERT INTO "+quote(srv.schema)+".zero_dates VALUES ('1999-01-01')")
		return nil
	}
	var query string
	s.trace = func(q string) { query = q }
	got, err := s.CountStale(context.Background(), scanner.StaleQuery{Container: srv.schema + ".tenancies",
		Conditions: []scanner.Condition{cond("end_text", "2020-02-29"), cond("ended_at", "2020-02-29")},
		Hold:       &scanner.Hold{Field: "hold_note", Values: []string{"Litigation"}}})
	if err != nil {
		t.Fatal(err)
	}
	// Text dates before the leap day: rows 1, 2, 5, 9; ended_at before it in UTC: 1, 2, 5, 7, 8; row 2 is held.
	if got.Stale != 2 || got.Total != 9 {
		t.Errorf("stale %d of %d, want 2 of 9 (rows 1 and 5)", got.Stale, got.Total)
	}
	var me *mysqldriver.MySQLError
	if !errors.As(writeErr, &me) || me.Number != 1792 {
		t.Errorf("INSERT in the counting transaction = %v, want error 1792 (read-only transaction)", writeErr)
	}
	for _, literal := range []string{"2020-02-29", "Litigation", "litigation"} {
		if strings.Contains(query, literal) {
			t.Errorf("the query holds %q: cutoffs and hold values must be bind parameters", literal)
		}
	}
	for _, ident := range []string{"`" + srv.schema + "`.`tenancies`", "`end_text`", "`ended_at`", "`hold_note`"} {
		if !strings.Contains(query, ident) {
			t.Errorf("the query lacks the quoted identifier %s", ident)
		}
	}
	// One connection in the pool: it must come back with the server's time zone, not UTC.
	s.mu.Lock()
	db := s.db
	s.mu.Unlock()
	var session, global string
	if err := db.QueryRow("SELECT @@session.time_zone, @@global.time_zone").Scan(&session, &global); err != nil {
		t.Fatal(err)
	}
	if session != global {
		t.Errorf("the pooled connection kept time_zone %q, want the server's %q", session, global)
	}
}

func TestCountStaleCountsRowsWithNoFirstDate(t *testing.T) {
	srv := startServer(t)
	srv.staleFixture(t)
	s := staleSource(t, srv, Options{})
	container := srv.schema + ".tenancies"
	cases := []struct {
		name    string
		conds   []scanner.Condition
		missing int64
	}{
		{name: "a NULL date is missing", conds: []scanner.Condition{cond("end_date", "2020-03-01")}, missing: 1},
		{name: "a NULL timestamp is missing", conds: []scanner.Condition{cond("ended_at", "2020-03-01")}, missing: 1},
		{name: "NULL and empty text are missing but garbage text is not", conds: []scanner.Condition{cond("end_text", "2020-03-01")}, missing: 2},
		{name: "only the first condition's field counts",
			conds: []scanner.Condition{cond("turns25", "2016-01-01"), cond("closed", "2016-01-01")}, missing: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			got, err := s.CountStale(ctx, scanner.StaleQuery{Container: container, Unit: container, Conditions: c.conds})
			if err != nil {
				t.Fatal(err)
			}
			if got.Missing != c.missing || got.Total != 9 {
				t.Errorf("missing %d of %d, want %d of 9", got.Missing, got.Total, c.missing)
			}
		})
	}
}
