package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datamap-uk/datamap/scanner"
)

// staleFixture builds a file whose stale counts are known by construction (the same rows as the server
// connectors' tests, with dates stored as SQLite stores them: ISO text, offsets written out):
//
//	id end_date    end_text     ended_at                     closed      turns25     legal_hold hold_note
//	1  2010-01-15  15/01/2010   2010-01-15T12:00:00Z         2010-01-15  2012-05-01  0
//	2  2015-06-30  30/06/2015   2015-06-30 23:59:59          2015-06-30  2030-01-01  0          Litigation
//	3  NULL        NULL         NULL                         NULL        2005-01-01  NULL       (open)
//	4  2020-02-29  29/02/2020   2020-02-29T12:00:00+00:00    2020-02-29  2011-01-01  1          (leap day, held)
//	5  2019-06-01  " 1/6/2019 " 2019-06-01T00:30:00+01:00    2019-06-01  NULL        0          (UTC 05-31)
//	6  2021-03-15  not known    2021-03-15T09:00:00Z         ""          2001-01-01  0          (garbage text)
//	7  2012-03-04  31/02/2012   2012-03-04T08:00:00Z         2012-03-04  2013-01-01  0          (no such day)
//	8  2008-11-11  ""           2008-11-11T00:00:00Z         2008-11-11  2009-01-01  NULL       (hold NULL)
//	9  2020-02-28  2020-02-28   2020-03-01T00:15:00+01:00    2020-02-28  2015-01-01  0          (UTC 02-29)
//
// numeric_dates holds a Unix time, a Julian day, an ISO date and a NULL.
func staleFixture(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "housing.db")
	build(t, p,
		`CREATE TABLE tenancies (id INTEGER PRIMARY KEY, tenant TEXT, end_date DATE, end_text TEXT, ended_at DATETIME,
			closed DATE, turns25 DATE, legal_hold BOOLEAN, hold_note TEXT)`,
		`INSERT INTO tenancies (id, end_date, end_text, ended_at, closed, turns25, legal_hold, hold_note) VALUES
			(1, '2010-01-15', '15/01/2010', '2010-01-15T12:00:00Z', '2010-01-15', '2012-05-01', 0, NULL),
			(2, '2015-06-30', '30/06/2015', '2015-06-30 23:59:59', '2015-06-30', '2030-01-01', 0, 'Litigation'),
			(3, NULL, NULL, NULL, NULL, '2005-01-01', NULL, NULL),
			(4, '2020-02-29', '29/02/2020', '2020-02-29T12:00:00+00:00', '2020-02-29', '2011-01-01', 1, NULL),
			(5, '2019-06-01', ' 1/6/2019 ', '2019-06-01T00:30:00+01:00', '2019-06-01', NULL, 0, NULL),
			(6, '2021-03-15', 'not known', '2021-03-15T09:00:00Z', '', '2001-01-01', 0, NULL),
			(7, '2012-03-04', '31/02/2012', '2012-03-04T08:00:00Z', '2012-03-04', '2013-01-01', 0, NULL),
			(8, '2008-11-11', '', '2008-11-11T00:00:00Z', '2008-11-11', '2009-01-01', NULL, NULL),
			(9, '2020-02-28', '2020-02-28', '2020-03-01T00:15:00+01:00', '2020-02-28', '2015-01-01', 0, NULL)`,
		`UPDATE tenancies SET tenant = '`+secretName+`'`,
		`CREATE TABLE numeric_dates (ended DATE)`,
		`INSERT INTO numeric_dates VALUES (1262304000), (2455197.5), ('2001-01-01'), (NULL)`,
		`CREATE TABLE "odd ""name""" ("when ""ended""" TEXT)`,
		`INSERT INTO "odd ""name""" VALUES ('2001-01-01'), ('2030-01-01'), (NULL)`,
		`CREATE VIEW v_slow AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000)
			SELECT '2001-01-01' AS ended, sum(i) AS total FROM n`,
	)
	return p
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
	p := staleFixture(t)
	before, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s := newSource(t, p, Options{})
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
		{name: "legal hold on a 0/1 boolean excludes the held row and treats a NULL flag as not held",
			conds: []scanner.Condition{cond("end_date", "2020-03-01")}, hold: hold("legal_hold", "true"), stale: 6,
			oldest: "2008-11-11", noteHas: []string{"1 row past the cutoff under legal hold"}},
		{name: "legal hold on text matches case-insensitively",
			conds: []scanner.Condition{cond("end_date", "2020-03-01")}, hold: hold("hold_note", "LITIGATION"), stale: 6, oldest: "2008-11-11"},
		{name: "uk text dates are read and garbage and impossible days are reported not counted",
			conds: []scanner.Condition{cond("end_text", "2020-03-01")}, stale: 5, oldest: "2010-01-15",
			noteHas: []string{"2 rows have a date the count could not read"}},
		{name: "uk text leap day on the cutoff is not stale",
			conds: []scanner.Condition{cond("end_text", "2020-02-29")}, stale: 4, oldest: "2010-01-15"},
		{name: "00:30+01:00 on 1 June is 31 May in UTC so stale before 1 June",
			conds: []scanner.Condition{cond("ended_at", "2019-06-01")}, stale: 5, oldest: "2008-11-11"},
		{name: "00:30+01:00 on 1 June is on the 31 May cutoff day so not stale",
			conds: []scanner.Condition{cond("ended_at", "2019-05-31")}, stale: 4, oldest: "2008-11-11"},
		{name: "00:15+01:00 on 1 March 2020 is the leap day in UTC so stale before 1 March",
			conds: []scanner.Condition{cond("ended_at", "2020-03-01")}, stale: 7, oldest: "2008-11-11"},
		{name: "the leap day in UTC is not stale before the leap day",
			conds: []scanner.Condition{cond("ended_at", "2020-02-29")}, stale: 5, oldest: "2008-11-11"},
		{name: "later of two conditions is stale only when both have passed and an empty date is open",
			conds: []scanner.Condition{cond("closed", "2016-01-01"), cond("turns25", "2016-01-01")}, stale: 3, oldest: "2008-11-11", noteAbsent: true},
		{name: "later of two conditions compares each with its own cutoff and respects a hold",
			conds: []scanner.Condition{cond("closed", "2013-01-01"), cond("turns25", "2012-06-01")}, hold: hold("legal_hold", "yes"),
			stale: 2, oldest: "2008-11-11"},
		{name: "numeric dates are not read and the note says why", container: "main.numeric_dates",
			conds: []scanner.Condition{cond("ended", "2020-01-01")}, stale: 1, total: 4, oldest: "2001-01-01",
			noteHas: []string{"2 rows have a date the count could not read", "2 of them stored as a number"}},
		{name: "quoted table and column names are counted", container: `main.odd "name"`,
			conds: []scanner.Condition{cond(`when "ended"`, "2020-01-01")}, stale: 1, total: 3, oldest: "2001-01-01"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			container, total := c.container, c.total
			if container == "" {
				container, total = "main.tenancies", 9
			}
			got, err := s.CountStale(context.Background(), scanner.StaleQuery{Container: container, Unit: container, Conditions: c.conds, Hold: c.hold})
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
			noSecrets(t, got.Note)
		})
	}
	s.Close()
	after, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256(before) != sha256.Sum256(after) {
		t.Error("counting changed the database file")
	}
	for _, suffix := range []string{"-journal", "-wal", "-shm"} {
		if _, err := os.Stat(p + suffix); err == nil {
			t.Errorf("%s file created", suffix)
		}
	}
}

func TestCountStaleFailuresAreClassifiedWithoutData(t *testing.T) {
	p := staleFixture(t)
	cases := []struct {
		name, container string
		conds           []scanner.Condition
		hold            *scanner.Hold
		timeout         time.Duration
		reason          string
	}{
		{"a count over the statement timeout is a timeout, with no estimate", "main.v_slow", []scanner.Condition{cond("ended", "2020-01-01")}, nil, 50 * time.Millisecond, scanner.ReasonTimeout},
		{"an unknown date field is refused", "main.tenancies", []scanner.Condition{cond("no_such", "2020-01-01")}, nil, 0, scanner.ReasonReadError},
		{"an unknown hold field is refused", "main.tenancies", []scanner.Condition{cond("end_date", "2020-01-01")}, &scanner.Hold{Field: "nope", Values: []string{"x"}}, 0, scanner.ReasonReadError},
		{"an unknown table is refused", "main.missing", []scanner.Condition{cond("end_date", "2020-01-01")}, nil, 0, scanner.ReasonReadError},
		{"a container outside the main schema is refused", "temp.tenancies", []scanner.Condition{cond("end_date", "2020-01-01")}, nil, 0, scanner.ReasonReadError},
		{"no conditions is refused for a table", "main.tenancies", nil, nil, 0, scanner.ReasonReadError},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSource(t, p, Options{StatementTimeout: c.timeout})
			_, err := s.CountStale(context.Background(), scanner.StaleQuery{Container: c.container, Conditions: c.conds, Hold: c.hold})
			var r interface{ Reason() string }
			if !errors.As(err, &r) || r.Reason() != c.reason {
				t.Fatalf("error %v, want reason %s", err, c.reason)
			}
			if !strings.HasPrefix(err.Error(), c.reason+": ") {
				t.Errorf("error %q does not begin with its reason", err)
			}
			noSecrets(t, err.Error())
		})
	}
}

func TestCountStaleOfACancelledScanIsCancelled(t *testing.T) {
	s := newSource(t, staleFixture(t), Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.CountStale(ctx, scanner.StaleQuery{Container: "main.tenancies", Conditions: []scanner.Condition{cond("end_date", "2020-01-01")}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

// FuzzValueDate checks the SQL that reads a text date against Go's own parser: a value the SQL reads is
// always a real calendar day, and an exact dd/mm/yyyy or yyyy-mm-dd value is read as Go reads it.
func FuzzValueDate(f *testing.F) {
	for _, s := range []string{"15/01/2010", " 1/6/2019 ", "29/02/2020", "29/02/2019", "31/02/2012", "00/01/2012", "1/13/2019",
		"2020-02-28", "2020-02-30", "2019-06-01T00:30:00+01:00", "2019-06-01 garbage", "not known", "", "0000-01-01", "12/12/0000"} {
		f.Add(s)
	}
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	q := "SELECT " + valueDate("?1")
	f.Fuzz(func(t *testing.T, s string) {
		var got sql.NullString
		if err := db.QueryRow(q, s).Scan(&got); err != nil {
			t.Fatalf("the date expression failed: %v", err)
		}
		if got.Valid {
			if _, err := time.Parse(time.DateOnly, got.String); err != nil {
				t.Fatalf("read %q as %q, which is not a calendar day", s, got.String)
			}
		}
		trimmed := strings.Trim(s, " ")
		for _, layout := range []string{"2/1/2006", time.DateOnly} {
			if !exactShape(trimmed, layout) {
				continue
			}
			want, err := time.Parse(layout, trimmed)
			switch {
			case err != nil && got.Valid:
				t.Fatalf("read %q as %q; Go refuses it: %v", s, got.String, err)
			case err == nil && (!got.Valid || got.String != want.Format(time.DateOnly)):
				t.Fatalf("read %q as %v, want %s", s, got, want.Format(time.DateOnly))
			}
		}
	})
}

// exactShape reports whether s is digits and separators in the layout's shape: d/m/yyyy with one or two
// digit day and month, or yyyy-mm-dd.
func exactShape(s, layout string) bool {
	if layout == time.DateOnly {
		return len(s) == 10 && digits(s[:4]) && s[4] == '-' && digits(s[5:7]) && s[7] == '-' && digits(s[8:])
	}
	parts := strings.Split(s, "/")
	return len(parts) == 3 && len(parts[0]) >= 1 && len(parts[0]) <= 2 && len(parts[1]) >= 1 && len(parts[1]) <= 2 &&
		len(parts[2]) == 4 && digits(parts[0]) && digits(parts[1]) && digits(parts[2])
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func TestCountStaleCountsRowsWithNoFirstDate(t *testing.T) {
	s := newSource(t, staleFixture(t), Options{})
	cases := []struct {
		name    string
		conds   []scanner.Condition
		missing int64
	}{
		{name: "a NULL date is missing", conds: []scanner.Condition{cond("end_date", "2020-03-01")}, missing: 1},
		{name: "NULL and empty text are missing but garbage text is not", conds: []scanner.Condition{cond("end_text", "2020-03-01")}, missing: 2},
		{name: "only the first condition's field counts",
			conds: []scanner.Condition{cond("turns25", "2016-01-01"), cond("closed", "2016-01-01")}, missing: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.CountStale(context.Background(), scanner.StaleQuery{Container: "main.tenancies", Unit: "main.tenancies", Conditions: c.conds})
			if err != nil {
				t.Fatal(err)
			}
			if got.Missing != c.missing {
				t.Errorf("missing %d, want %d", got.Missing, c.missing)
			}
		})
	}
}
