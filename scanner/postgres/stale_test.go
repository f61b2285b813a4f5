package postgres

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/datamap-uk/datamap/scanner"
)

// staleName is planted in every row: it must never appear in a count's note or error.
const staleName = "Ottoline Example-Quartermain"

// newStaleFixture builds a database whose stale counts are known by construction. The rows:
//
//	id end_date    end_text     ended_at (timestamptz)      closed      turns25     legal_hold hold_note
//	1  2010-01-15  15/01/2010   2010-01-15 12:00+00         2010-01-15  2012-05-01  false
//	2  2015-06-30  30/06/2015   2015-06-30 23:59:59+00      2015-06-30  2030-01-01  false      Litigation
//	3  NULL        NULL         NULL                        NULL        2005-01-01  NULL                    (open)
//	4  2020-02-29  29/02/2020   2020-02-29 12:00+00         2020-02-29  2011-01-01  true                    (leap day, held)
//	5  2019-06-01  " 1/6/2019 " 2019-06-01 00:30+01 (UTC 05-31) 2019-06-01 NULL    false
//	6  2021-03-15  not known    2021-03-15 09:00+00         NULL        2001-01-01  false                   (garbage text)
//	7  2012-03-04  31/02/2012   2012-03-04 08:00+00         2012-03-04  2013-01-01  false                   (no such day)
//	8  2008-11-11  ""           2008-11-11 00:00+00         2008-11-11  2009-01-01  NULL                    (hold NULL)
//	9  2020-02-28  2020-02-28   2020-03-01 00:15+01 (UTC 02-29) 2020-02-28 2015-01-01 false
//
// ended_local (timestamp without time zone) is end_date at 23:59:59. The scanning role may read ret.* but not
// ret.secret_dates, and holds INSERT on ret.tripwire so only the read-only transaction stops a write.
func newStaleFixture(t *testing.T) (scanDSN string) {
	t.Helper()
	dsn := os.Getenv(dsnEnv)
	if dsn == "" {
		t.Skip(dsnEnv + " not set: run scripts/test, which starts a server (or eval \"$(scripts/postgres-up)\")")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	suffix := randomHex(t, 4)
	db, role, password := "dm_stale_"+suffix, "dm_stale_"+suffix, "Pw-"+randomHex(t, 8)+"-secret"
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connecting to the test server: %v", err)
	}
	defer admin.Close(ctx)
	for _, q := range []string{"CREATE DATABASE " + db, "CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'"} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("cleanup: %v", err)
			return
		}
		defer c.Close(ctx)
		for _, q := range []string{"DROP DATABASE IF EXISTS " + db + " WITH (FORCE)", "DROP ROLE IF EXISTS " + role} {
			if _, err := c.Exec(ctx, q); err != nil {
				t.Errorf("cleanup %s: %v", q, err)
			}
		}
	})
	conn, err := pgx.Connect(ctx, withDatabase(t, dsn, db, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	setup := []string{
		`CREATE SCHEMA ret`,
		`CREATE TABLE ret.tenancies (id int PRIMARY KEY, tenant text, end_date date, end_text text, ended_at timestamptz,
			ended_local timestamp, closed date, turns25 date, legal_hold boolean, hold_note varchar(40))`,
		`INSERT INTO ret.tenancies (id, end_date, end_text, ended_at, closed, turns25, legal_hold, hold_note) VALUES
			(1, '2010-01-15', '15/01/2010', '2010-01-15 12:00:00+00', '2010-01-15', '2012-05-01', false, NULL),
			(2, '2015-06-30', '30/06/2015', '2015-06-30 23:59:59+00', '2015-06-30', '2030-01-01', false, 'Litigation'),
			(3, NULL, NULL, NULL, NULL, '2005-01-01', NULL, NULL),
			(4, '2020-02-29', '29/02/2020', '2020-02-29 12:00:00+00', '2020-02-29', '2011-01-01', true, NULL),
			(5, '2019-06-01', ' 1/6/2019 ', '2019-06-01 00:30:00+01', '2019-06-01', NULL, false, NULL),
			(6, '2021-03-15', 'not known', '2021-03-15 09:00:00+00', NULL, '2001-01-01', false, NULL),
			(7, '2012-03-04', '31/02/2012', '2012-03-04 08:00:00+00', '2012-03-04', '2013-01-01', false, NULL),
			(8, '2008-11-11', '', '2008-11-11 00:00:00+00', '2008-11-11', '2009-01-01', NULL, NULL),
			(9, '2020-02-28', '2020-02-28', '2020-03-01 00:15:00+01', '2020-02-28', '2015-01-01', false, NULL)`,
		`UPDATE ret.tenancies SET tenant = '` + staleName + `', ended_local = end_date + time '23:59:59'`,
		// An extension's type in a schema off the search path (the "extensions" schema layout).
		`CREATE SCHEMA ext`,
		`CREATE EXTENSION citext SCHEMA ext`,
		`ALTER TABLE ret.tenancies ADD COLUMN end_ci ext.citext`,
		`UPDATE ret.tenancies SET end_ci = end_text`,
		`GRANT USAGE ON SCHEMA ext TO ` + role,
		`CREATE TABLE ret."odd ""name""" ("when ""ended""" date)`,
		`INSERT INTO ret."odd ""name""" VALUES ('2001-01-01'), ('2030-01-01'), (NULL)`,
		`CREATE TABLE ret.secret_dates (ended date)`,
		`INSERT INTO ret.secret_dates VALUES ('2001-01-01')`,
		`CREATE TABLE ret.tripwire (id int)`,
		`CREATE VIEW ret.slow_tenancies AS SELECT t.* FROM ret.tenancies t CROSS JOIN (SELECT pg_sleep(5)) s`,
		`ANALYZE ret.tenancies, ret."odd ""name""", ret.tripwire`,
		`GRANT USAGE ON SCHEMA ret TO ` + role,
		`GRANT SELECT ON ALL TABLES IN SCHEMA ret TO ` + role,
		`REVOKE SELECT ON ret.secret_dates FROM ` + role,
		`GRANT INSERT ON ret.tripwire TO ` + role,
		// A session time zone far from UTC: the count must not depend on it.
		`ALTER ROLE ` + role + ` SET timezone = 'Pacific/Kiritimati'`,
	}
	for _, q := range setup {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("fixture %s: %v", q, err)
		}
	}
	return withDatabase(t, dsn, db, role, password)
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

func TestCountStaleKnownByConstruction(t *testing.T) {
	scanDSN := newStaleFixture(t)
	s, err := New("ret", scanDSN, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hold := func(field string, values ...string) *scanner.Hold { return &scanner.Hold{Field: field, Values: values} }
	cases := []struct {
		name       string
		conds      []scanner.Condition
		hold       *scanner.Hold
		stale      int64
		oldest     string
		noteHas    []string
		container  string
		wantTotal  int64
		noteAbsent bool
	}{
		{name: "date before the leap-day cutoff: the leap day itself is not stale and NULL end dates never are",
			conds: []scanner.Condition{cond("end_date", "2020-02-29")}, stale: 6, oldest: "2008-11-11", noteAbsent: true},
		{name: "date before 2020-02-28 leaves out the record ended on the cutoff day",
			conds: []scanner.Condition{cond("end_date", "2020-02-28")}, stale: 5, oldest: "2008-11-11"},
		{name: "date before 2020-03-01 counts the leap day",
			conds: []scanner.Condition{cond("end_date", "2020-03-01")}, stale: 7, oldest: "2008-11-11"},
		{name: "legal hold on a boolean excludes the held row and treats a NULL flag as not held",
			conds: []scanner.Condition{cond("end_date", "2020-03-01")}, hold: hold("legal_hold", "true"), stale: 6,
			oldest: "2008-11-11", noteHas: []string{"1 row past the cutoff under legal hold"}},
		{name: "legal hold value yes matches a boolean true",
			conds: []scanner.Condition{cond("end_date", "2020-03-01")}, hold: hold("legal_hold", "YES"), stale: 6, oldest: "2008-11-11"},
		{name: "legal hold on text matches case-insensitively",
			conds: []scanner.Condition{cond("end_date", "2020-03-01")}, hold: hold("hold_note", "LITIGATION"), stale: 6, oldest: "2008-11-11"},
		{name: "uk text dates are read and garbage and impossible days are reported not counted",
			conds: []scanner.Condition{cond("end_text", "2020-03-01")}, stale: 5, oldest: "2010-01-15",
			noteHas: []string{"2 rows have a date the count could not read", "stored as text"}},
		{name: "citext dates in an extension's own schema are read as text dates",
			conds: []scanner.Condition{cond("end_ci", "2020-03-01")}, stale: 5, oldest: "2010-01-15",
			noteHas: []string{"2 rows have a date the count could not read"}},
		{name: "uk text leap day on the cutoff is not stale",
			conds: []scanner.Condition{cond("end_text", "2020-02-29")}, stale: 4, oldest: "2010-01-15"},
		{name: "timestamptz 00:30+01:00 on 1 June is 31 May in UTC so stale before 1 June",
			conds: []scanner.Condition{cond("ended_at", "2019-06-01")}, stale: 5, oldest: "2008-11-11"},
		{name: "timestamptz 00:30+01:00 on 1 June is on the 31 May cutoff day so not stale",
			conds: []scanner.Condition{cond("ended_at", "2019-05-31")}, stale: 4, oldest: "2008-11-11"},
		{name: "timestamptz 00:15+01:00 on 1 March 2020 is the leap day in UTC so stale before 1 March",
			conds: []scanner.Condition{cond("ended_at", "2020-03-01")}, stale: 7, oldest: "2008-11-11"},
		{name: "timestamptz on the leap day in UTC is not stale before the leap day",
			conds: []scanner.Condition{cond("ended_at", "2020-02-29")}, stale: 5, oldest: "2008-11-11"},
		{name: "timestamp without time zone is judged by its own date whatever its time",
			conds: []scanner.Condition{cond("ended_local", "2019-06-01")}, stale: 4, oldest: "2008-11-11"},
		{name: "later of two conditions is stale only when both have passed",
			conds: []scanner.Condition{cond("closed", "2016-01-01"), cond("turns25", "2016-01-01")}, stale: 3, oldest: "2008-11-11"},
		{name: "later of two conditions compares each with its own cutoff",
			conds: []scanner.Condition{cond("closed", "2013-01-01"), cond("turns25", "2012-06-01")}, stale: 2, oldest: "2008-11-11"},
		{name: "later of with a legal hold",
			conds: []scanner.Condition{cond("closed", "2013-01-01"), cond("turns25", "2012-06-01")}, hold: hold("legal_hold", "true"),
			stale: 2, oldest: "2008-11-11"},
		{name: "quoted table and column names are counted", container: `ret."odd ""name"""`,
			conds: []scanner.Condition{cond(`when "ended"`, "2020-01-01")}, stale: 1, oldest: "2001-01-01", wantTotal: 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			container := c.container
			if container == "" {
				container = "ret.tenancies"
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			got, err := s.CountStale(ctx, scanner.StaleQuery{Container: container, Unit: container, Conditions: c.conds, Hold: c.hold})
			if err != nil {
				t.Fatal(err)
			}
			wantTotal := c.wantTotal
			if wantTotal == 0 {
				wantTotal = 9
			}
			if got.Stale != c.stale || got.Total != wantTotal || got.Method != scanner.MethodExact {
				t.Errorf("got stale %d of %d (%s), want %d of %d (exact)", got.Stale, got.Total, got.Method, c.stale, wantTotal)
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
	scanDSN := newStaleFixture(t)
	s, err := New("ret", scanDSN, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cases := []struct {
		name, container string
		conds           []scanner.Condition
		hold            *scanner.Hold
		reason          string
	}{
		{"no SELECT on the table is permission denied", "ret.secret_dates", []scanner.Condition{cond("ended", "2020-01-01")}, nil, scanner.ReasonPermissionDenied},
		{"an unknown date field is refused", "ret.tenancies", []scanner.Condition{cond("no_such", "2020-01-01")}, nil, scanner.ReasonReadError},
		{"a non-date column is refused", "ret.tenancies", []scanner.Condition{cond("id", "2020-01-01")}, nil, scanner.ReasonReadError},
		{"an unknown hold field is refused", "ret.tenancies", []scanner.Condition{cond("end_date", "2020-01-01")}, &scanner.Hold{Field: "nope", Values: []string{"x"}}, scanner.ReasonReadError},
		{"an unknown table is refused", "ret.missing", []scanner.Condition{cond("end_date", "2020-01-01")}, nil, scanner.ReasonReadError},
		{"no conditions is refused for a table", "ret.tenancies", nil, nil, scanner.ReasonReadError},
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
			if strings.Contains(err.Error(), staleName) || strings.Contains(err.Error(), "-secret") {
				t.Errorf("error %q holds data or the password", err)
			}
		})
	}
}

func TestCountStaleTimeoutFallsBackToThePlannerEstimate(t *testing.T) {
	scanDSN := newStaleFixture(t)
	s, err := New("ret", scanDSN, Options{StatementTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var mu sync.Mutex
	var queries []string
	s.onQuery = func(q string) {
		mu.Lock()
		queries = append(queries, q)
		mu.Unlock()
	}
	got, err := s.CountStale(context.Background(), scanner.StaleQuery{Container: "ret.slow_tenancies",
		Conditions: []scanner.Condition{cond("end_date", "2020-03-01")}, Hold: &scanner.Hold{Field: "legal_hold", Values: []string{"true"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Method != scanner.MethodEstimate || got.Oldest != nil {
		t.Errorf("method %s oldest %v, want an estimate without an oldest date", got.Method, got.Oldest)
	}
	if got.Total < 1 || got.Stale < 0 || got.Stale > got.Total {
		t.Errorf("estimate %d of %d, want 0 <= stale <= total and total >= 1 (the planner knows the table has 9 rows)", got.Stale, got.Total)
	}
	if !strings.Contains(got.Note, "estimate") || !strings.Contains(got.Note, "statement timeout") {
		t.Errorf("note %q does not say the figures are estimates after a timeout", got.Note)
	}
	if len(queries) != 2 || !strings.HasPrefix(queries[0], "SELECT count(*)") || !strings.HasPrefix(queries[1], "EXPLAIN") {
		t.Errorf("queries %q, want the count then EXPLAIN", queries)
	}
}

func TestCountStaleRunsReadOnlyWithBoundParametersAndQuotedNames(t *testing.T) {
	scanDSN := newStaleFixture(t)
	s, err := New("ret", scanDSN, Options{StatementTimeout: 7 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var readOnly, timeout string
	var writeErr error
	s.inTx = func(ctx context.Context, tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, "SHOW transaction_read_only").Scan(&readOnly); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, "SHOW statement_timeout").Scan(&timeout); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "SAVEPOINT probe"); err != nil {
			return err
		}
		_, writeErr = tx.Exec(ctx, "INSERT INTO ret.tripwire VALUES (1)")
		_, err := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT probe")
		return err
	}
	var query string
	s.onQuery = func(q string) { query = q }
	got, err := s.CountStale(context.Background(), scanner.StaleQuery{Container: "ret.tenancies",
		Conditions: []scanner.Condition{cond("end_text", "2020-02-29"), cond("ended_at", "2020-02-29")},
		Hold:       &scanner.Hold{Field: "hold_note", Values: []string{"Litigation"}}})
	if err != nil {
		t.Fatal(err)
	}
	// Text dates before the leap day: rows 1, 2, 5, 9; ended_at before it in UTC: 1, 2, 5, 7, 8; row 2 is held.
	if got.Stale != 2 || got.Total != 9 {
		t.Errorf("stale %d of %d, want 2 of 9 (rows 1 and 5)", got.Stale, got.Total)
	}
	if readOnly != "on" || timeout != "7s" {
		t.Errorf("transaction_read_only %q statement_timeout %q, want on and 7s", readOnly, timeout)
	}
	if writeErr == nil || !strings.Contains(writeErr.Error(), "25006") {
		t.Errorf("insert inside the counting transaction: %v, want SQLSTATE 25006", writeErr)
	}
	for _, literal := range []string{"2020-02-29", "Litigation", "litigation"} {
		if strings.Contains(query, literal) {
			t.Errorf("the query holds %q: cutoffs and hold values must be bind parameters", literal)
		}
	}
	for _, ident := range []string{`"ret"."tenancies"`, `"end_text"`, `"ended_at"`, `"hold_note"`} {
		if !strings.Contains(query, ident) {
			t.Errorf("the query lacks the quoted identifier %s", ident)
		}
	}
}

func TestCountStaleCountsRowsWithNoFirstDate(t *testing.T) {
	scanDSN := newStaleFixture(t)
	s, err := New("ret", scanDSN, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cases := []struct {
		name    string
		conds   []scanner.Condition
		missing int64
	}{
		{name: "a NULL date is missing", conds: []scanner.Condition{cond("end_date", "2020-03-01")}, missing: 1},
		{name: "a NULL timestamptz is missing", conds: []scanner.Condition{cond("ended_at", "2020-03-01")}, missing: 1},
		{name: "NULL and empty text are missing but garbage text is not", conds: []scanner.Condition{cond("end_text", "2020-03-01")}, missing: 2},
		{name: "only the first condition's field counts",
			conds: []scanner.Condition{cond("turns25", "2016-01-01"), cond("closed", "2016-01-01")}, missing: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			got, err := s.CountStale(ctx, scanner.StaleQuery{Container: "ret.tenancies", Unit: "ret.tenancies", Conditions: c.conds})
			if err != nil {
				t.Fatal(err)
			}
			if got.Missing != c.missing || got.Total != 9 {
				t.Errorf("missing %d of %d, want %d of 9", got.Missing, got.Total, c.missing)
			}
		})
	}
}
