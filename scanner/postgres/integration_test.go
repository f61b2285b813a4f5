package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/datamap-uk/datamap/scanner"
)

const dsnEnv = "DATAMAP_TEST_POSTGRES_DSN"

// fixture is a throwaway database on the test server with a scanning role that may read only some of it.
type fixture struct {
	adminDSN string // superuser, connected to the fixture database
	scanDSN  string // the limited role, with its password
	password string
	db       string
}

// newFixture creates the database, roles and tables, and drops them when the test ends. Every value is
// synthetic: example.org addresses, Ofcom drama numbers, NHS numbers built to pass their check digit.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	dsn := os.Getenv(dsnEnv)
	if dsn == "" {
		t.Skip(dsnEnv + " not set: run scripts/test, which starts a server (or eval \"$(scripts/postgres-up)\")")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	suffix := randomHex(t, 4)
	f := &fixture{db: "dm_test_" + suffix, password: "Pw-" + randomHex(t, 8) + "-secret"}
	role := "dm_scan_" + suffix

	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connecting to the test server: %v", err)
	}
	defer admin.Close(ctx)
	for _, q := range []string{
		"CREATE DATABASE " + f.db,
		"CREATE ROLE " + role + " LOGIN PASSWORD '" + f.password + "'",
	} {
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
		for _, q := range []string{"DROP DATABASE IF EXISTS " + f.db + " WITH (FORCE)", "DROP ROLE IF EXISTS " + role} {
			if _, err := c.Exec(ctx, q); err != nil {
				t.Errorf("cleanup %s: %v", q, err)
			}
		}
	})
	f.adminDSN = withDatabase(t, dsn, f.db, "", "")
	f.scanDSN = withDatabase(t, dsn, f.db, role, f.password)

	db, err := pgx.Connect(ctx, f.adminDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	setup := []string{
		`CREATE SCHEMA crm`,
		`CREATE SCHEMA hr`,
		`CREATE SCHEMA slow`,
		`CREATE SCHEMA kill`,
		`CREATE TABLE crm.tenants (id int PRIMARY KEY, full_name text, email text, nhs_no text, dob date,
			profile jsonb, tags text[], photo bytea, balance numeric(10,2), ref uuid, extra text)`,
		`COMMENT ON COLUMN crm.tenants.nhs_no IS 'Tenant NHS number'`,
		`INSERT INTO crm.tenants SELECT i, 'Tenant Example ' || i, 'tenant' || i || '@example.org', '9434765919',
			date '1970-01-01' + i, jsonb_build_object('nino', 'AB123456C', 'phone', '07700 900' || lpad((i % 1000)::text, 3, '0'),
			'address', jsonb_build_object('postcode', 'SW1A 1AA')), ARRAY['vulnerable adult', 'visit ' || i],
			'\xdeadbeef'::bytea, i * 1.5, gen_random_uuid(), '{"caseworker": "Alex Example"}' FROM generate_series(1, 300) i`,
		`CREATE VIEW crm.tenant_contacts AS SELECT full_name, email FROM crm.tenants`,
		`CREATE MATERIALIZED VIEW crm.tenant_counts AS SELECT count(*) AS tenants FROM crm.tenants`,
		`CREATE TABLE crm.repairs (id int, raised date, notes text) PARTITION BY RANGE (raised)`,
		`CREATE TABLE crm.repairs_2023 PARTITION OF crm.repairs FOR VALUES FROM ('2023-01-01') TO ('2024-01-01')`,
		`CREATE TABLE crm.repairs_2024 PARTITION OF crm.repairs FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`,
		`INSERT INTO crm.repairs SELECT i, date '2023-01-01' + (i % 700), 'damp in flat ' || i FROM generate_series(1, 400) i`,
		`CREATE TABLE crm.big (id int, email text)`,
		`INSERT INTO crm.big SELECT i, 'person' || i || '@example.net' FROM generate_series(1, 60000) i`,
		`CREATE TYPE crm.uuid AS (note text)`, // a user's type named like a built-in, whose text can be long
		`CREATE TABLE crm.letters (id int PRIMARY KEY, body text, draft varchar(16000), subject varchar(100), sent timestamptz,
			annex crm.uuid)`,
		`INSERT INTO crm.letters VALUES (1, repeat('Dear tenant, ', 2000), repeat('Draft. ', 2000), 'Your tenancy', '2024-05-01 10:00+00',
			ROW(repeat('annex ', 2000)))`,
		`CREATE TABLE crm.fresh (id int, note text) WITH (autovacuum_enabled = false)`,
		`INSERT INTO crm.fresh SELECT i, 'note ' || i FROM generate_series(1, 100) i`,
		`CREATE TABLE crm.partial (id int, secret text)`,
		`INSERT INTO crm.partial SELECT i, 'hidden ' || i FROM generate_series(1, 10) i`,
		`CREATE TABLE crm.tripwire (id int)`,
		`CREATE TABLE hr.salaries (staff text, salary numeric)`,
		`INSERT INTO hr.salaries VALUES ('Staff Example', 30000)`,
		`CREATE VIEW slow.sleepy AS SELECT pg_sleep(3)::text AS slept, 'x' AS name`,
		`CREATE VIEW kill.a_sleepy AS SELECT pg_sleep(30)::text AS slept, 'x' AS name`,
		`CREATE TABLE kill.b_table (id int)`,
		`CREATE TABLE kill.c_table (id int)`,
		`ANALYZE crm.tenants, crm.repairs, crm.big, crm.partial, crm.tripwire, hr.salaries, kill.b_table, kill.c_table`,
		`GRANT USAGE ON SCHEMA crm, hr, slow, kill TO ` + role,
		`GRANT SELECT ON ALL TABLES IN SCHEMA crm, slow, kill TO ` + role,
		`REVOKE SELECT ON crm.partial FROM ` + role,
		`GRANT SELECT (id) ON crm.partial TO ` + role,
		// The role could write here if anything tried: only the read-only transaction stops it.
		`GRANT INSERT ON crm.tripwire TO ` + role,
	}
	for _, q := range setup {
		if _, err := db.Exec(ctx, q); err != nil {
			t.Fatalf("fixture %s: %v", q, err)
		}
	}
	return f
}

func randomHex(t *testing.T, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// withDatabase points dsn at another database and, when role is set, at another user.
func withDatabase(t *testing.T, dsn, db, role, password string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("%s must be a postgres:// URL", dsnEnv)
	}
	u.Path = "/" + db
	if role != "" {
		u.User = url.UserPassword(role, password)
	}
	return u.String()
}

// collector is a Sink that keeps what it is given.
type collector struct {
	mu         sync.Mutex
	containers map[string]*scanner.Container
	unreadable []scanner.Unreadable
}

func (c *collector) Container(x *scanner.Container) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.containers == nil {
		c.containers = map[string]*scanner.Container{}
	}
	c.containers[x.Name] = x
}

func (c *collector) Unreadable(u scanner.Unreadable) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.unreadable = append(c.unreadable, u)
}

func (c *collector) reasons(path string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var r []string
	for _, u := range c.unreadable {
		if u.Path == path {
			r = append(r, u.Reason)
		}
	}
	return r
}

// scan lists and samples every unit as scanner.Run would, concurrently, and returns the unit names in order.
func scan(t *testing.T, s *Source, out *collector) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var names []string
	var wg sync.WaitGroup
	err := s.Units(ctx, func(u scanner.Unit) error {
		names = append(names, u.Name)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Sample(ctx, u, out); err != nil {
				out.Unreadable(scanner.Unreadable{Path: u.Name, Reason: "returned", Detail: err.Error()})
			}
		}()
		return nil
	})
	wg.Wait()
	if err != nil {
		t.Fatalf("Units: %v", err)
	}
	return names
}

func TestScanEveryKindOfObject(t *testing.T) {
	f := newFixture(t)
	s, err := New("crm", f.scanDSN, Options{SampleRows: 1000, Exclude: []string{"slow.*", "kill.*"}, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var mu sync.Mutex
	var readOnly, timeouts []string
	s.inTx = func(ctx context.Context, tx pgx.Tx) error {
		var ro, st string
		if err := tx.QueryRow(ctx, "SHOW transaction_read_only").Scan(&ro); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, "SHOW statement_timeout").Scan(&st); err != nil {
			return err
		}
		mu.Lock()
		readOnly, timeouts = append(readOnly, ro), append(timeouts, st)
		mu.Unlock()
		return nil
	}
	var queries []string
	s.onQuery = func(q string) {
		mu.Lock()
		queries = append(queries, q)
		mu.Unlock()
	}
	out := &collector{}
	names := scan(t, s, out)

	want := []string{"crm.big", "crm.fresh", "crm.letters", "crm.partial", "crm.repairs", "crm.tenant_contacts", "crm.tenant_counts",
		"crm.tenants", "crm.tripwire", "hr.salaries"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("units\n got %v\nwant %v (partitions folded into their parent, sorted)", names, want)
	}

	t.Run("records a table without SELECT as permission denied", func(t *testing.T) {
		if r := out.reasons("hr.salaries"); len(r) != 1 || r[0] != scanner.ReasonPermissionDenied {
			t.Errorf("hr.salaries reasons = %v", r)
		}
		if out.containers["hr.salaries"] != nil {
			t.Error("hr.salaries was sampled without permission")
		}
	})

	t.Run("samples the granted columns and reports the rest", func(t *testing.T) {
		c := out.containers["crm.partial"]
		if c == nil {
			t.Fatal("crm.partial not sampled")
		}
		vals := columnValues(c.Columns)
		if len(vals["id"]) != 10 || len(vals["secret"]) != 0 {
			t.Errorf("id has %d values, secret %d; want 10 and 0", len(vals["id"]), len(vals["secret"]))
		}
		if r := out.reasons("crm.partial"); len(r) != 1 || r[0] != scanner.ReasonPermissionDenied {
			t.Errorf("crm.partial reasons = %v", r)
		}
	})

	t.Run("samples a table with types, comments, JSON sub-fields and arrays", func(t *testing.T) {
		c := out.containers["crm.tenants"]
		if c == nil {
			t.Fatal("crm.tenants not sampled")
		}
		if c.Format != "postgres" || c.Kind != "table" || c.RowsSampled != 300 || c.Unit != "crm.tenants" {
			t.Errorf("container = %+v", *c)
		}
		byName := map[string]scanner.Column{}
		for _, col := range c.Columns {
			byName[col.Name] = col
		}
		if got := byName["nhs_no"].Comment; got != "Tenant NHS number" {
			t.Errorf("nhs_no comment = %q", got)
		}
		if got := byName["balance"].Type; got != "numeric(10,2)" {
			t.Errorf("balance type = %q", got)
		}
		if p, ok := byName["photo"]; !ok || len(p.Values) != 0 {
			t.Errorf("bytea column photo: listed %v with %d values, want listed with none", ok, len(p.Values))
		}
		vals := columnValues(c.Columns)
		for _, f := range []string{"profile.nino", "profile.phone", "profile.address.postcode", "ref", "dob"} {
			if len(vals[f]) != 300 || vals[f][0] == "" {
				t.Errorf("field %s: %d values, first %q", f, len(vals[f]), first(vals[f]))
			}
		}
		if len(vals["extra"]) != 300 || len(vals["extra.caseworker"]) == 0 || first(vals["extra.caseworker"]) != "Alex Example" {
			t.Errorf("extra (JSON held as text) = %d texts, extra.caseworker = %q: want the text kept and its keys flattened",
				len(vals["extra"]), first(vals["extra.caseworker"]))
		}
		if tags := first(vals["tags"]); !strings.HasPrefix(tags, "vulnerable adult\nvisit ") {
			t.Errorf("tags = %q, want elements one per line", tags)
		}
	})

	t.Run("cuts long text on the server, and only what can be long", func(t *testing.T) {
		c := out.containers["crm.letters"]
		if c == nil {
			t.Fatal("crm.letters not sampled")
		}
		vals := columnValues(c.Columns)
		for f, want := range map[string]int{"body": maxTextChars, "draft": maxTextChars, "annex": maxTextChars, "subject": len("Your tenancy")} {
			if len(vals[f]) != 1 || len(vals[f][0]) != want {
				t.Errorf("letters.%s: %d values, want one of %d characters", f, len(vals[f]), want)
			}
		}
		if got := first(vals["sent"]); !strings.HasPrefix(got, "2024-05-01 10:00:00") {
			t.Errorf("letters.sent = %q, want the timestamp as text", got)
		}
	})

	t.Run("samples a big table with TABLESAMPLE, not the first rows", func(t *testing.T) {
		c := out.containers["crm.big"]
		if c == nil {
			t.Fatal("crm.big not sampled")
		}
		if c.RowsSampled < 500 || c.RowsSampled > 1000 || !c.RowsEstimate || c.RowsTotal < 50000 || c.RowsTotal > 70000 {
			t.Errorf("sampled %d of %d (estimate %v)", c.RowsSampled, c.RowsTotal, c.RowsEstimate)
		}
		mu.Lock()
		system := 0
		for _, q := range queries {
			if strings.Contains(q, `"crm"."big" TABLESAMPLE SYSTEM`) {
				system++
			}
		}
		mu.Unlock()
		if system != 1 {
			t.Errorf("crm.big was sampled by %d TABLESAMPLE SYSTEM queries, want 1", system)
		}
		late := 0
		for _, v := range columnValues(c.Columns)["id"] {
			if len(v) >= 5 { // ids of 10000 and over: far past the first 1000 rows
				late++
			}
		}
		if late < c.RowsSampled/2 {
			t.Errorf("only %d of %d sampled ids come from past the start of the table", late, c.RowsSampled)
		}
	})

	t.Run("samples a partitioned table through its parent", func(t *testing.T) {
		c := out.containers["crm.repairs"]
		if c == nil || c.RowsSampled != 400 || !c.RowsEstimate || c.RowsTotal != 400 {
			t.Fatalf("crm.repairs = %+v", c)
		}
		years := map[string]bool{}
		for _, v := range columnValues(c.Columns)["raised"] {
			years[v[:4]] = true
		}
		if !years["2023"] || !years["2024"] {
			t.Errorf("years sampled = %v, want both partitions", years)
		}
	})

	t.Run("counts a never analysed table with a bounded count", func(t *testing.T) {
		c := out.containers["crm.fresh"]
		if c == nil || c.RowsTotal != 100 || c.RowsEstimate || c.RowsSampled != 100 {
			t.Fatalf("crm.fresh = %+v", c)
		}
	})

	t.Run("samples views and materialised views", func(t *testing.T) {
		v := out.containers["crm.tenant_contacts"]
		if v == nil || v.RowsSampled != 300 || !v.RowsEstimate || v.SampleNote != "" {
			t.Errorf("view = %+v: want all of it read, so no note that it is the first rows", v)
		}
		m := out.containers["crm.tenant_counts"]
		if m == nil || m.RowsSampled != 1 || first(columnValues(m.Columns)["tenants"]) != "300" {
			t.Errorf("materialised view = %+v", m)
		}
	})

	t.Run("runs every query read only under the statement timeout", func(t *testing.T) {
		mu.Lock()
		defer mu.Unlock()
		if len(readOnly) < len(want)-1 {
			t.Fatalf("hook ran %d times", len(readOnly))
		}
		for i := range readOnly {
			if readOnly[i] != "on" || timeouts[i] != "30s" {
				t.Fatalf("transaction %d: read only %q, statement_timeout %q", i, readOnly[i], timeouts[i])
			}
		}
		ctx := context.Background()
		admin, err := pgx.Connect(ctx, f.adminDSN)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close(ctx)
		var n int
		if err := admin.QueryRow(ctx, "SELECT count(*) FROM crm.tripwire").Scan(&n); err != nil || n != 0 {
			t.Errorf("tripwire has %d rows (%v)", n, err)
		}
	})

	assertNoLeaks(t, f, out)
}

func TestWritesFailInsideTheSamplingTransaction(t *testing.T) {
	f := newFixture(t)
	s, err := New("crm", f.scanDSN, Options{Include: []string{"crm.tripwire"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var writeErr error
	s.inTx = func(ctx context.Context, tx pgx.Tx) error {
		// The role holds INSERT on the tripwire: only the read-only transaction can refuse this.
		if _, err := tx.Exec(ctx, "SAVEPOINT probe"); err != nil {
			return err
		}
		_, writeErr = tx.Exec(ctx, "INSERT INTO crm.tripwire VALUES (1)")
		_, err := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT probe")
		return err
	}
	out := &collector{}
	scan(t, s, out)
	if writeErr == nil || !strings.Contains(writeErr.Error(), "25006") {
		t.Errorf("insert inside the sampling transaction: %v, want SQLSTATE 25006 read_only_sql_transaction", writeErr)
	}
	if out.containers["crm.tripwire"] == nil {
		t.Errorf("tripwire not sampled: %+v", out.unreadable)
	}
}

func TestTimeoutIsRecordedAgainstTheView(t *testing.T) {
	f := newFixture(t)
	s, err := New("crm", f.scanDSN, Options{StatementTimeout: 300 * time.Millisecond, Include: []string{"slow.*", "crm.fresh"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := &collector{}
	scan(t, s, out)
	if r := out.reasons("slow.sleepy"); len(r) != 1 || r[0] != scanner.ReasonTimeout {
		t.Errorf("slow.sleepy reasons = %v, want [timeout] (%+v)", r, out.unreadable)
	}
	if out.containers["crm.fresh"] == nil {
		t.Error("the timeout stopped another table from being sampled")
	}
	assertNoLeaks(t, f, out)
}

func TestServerGoneMidScanIsRecordedAndTheScanCompletes(t *testing.T) {
	f := newFixture(t)
	s, err := New("crm", f.scanDSN, Options{Include: []string{"kill.*"}, MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, f.adminDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())

	killed := make(chan int, 1)
	go func() {
		// Wait until the scanner is inside the slow view, then terminate every datamap backend, as a DBA would.
		for ctx.Err() == nil {
			var busy bool
			err := admin.QueryRow(ctx, `SELECT count(*) > 0 FROM pg_stat_activity WHERE application_name = 'datamap'
				AND datname = $1 AND state = 'active' AND query LIKE '%a_sleepy%' AND query NOT LIKE '%EXPLAIN%'`, f.db).Scan(&busy)
			if err == nil && busy {
				var n int
				_ = admin.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
					WHERE application_name = 'datamap' AND datname = $1`, f.db).Scan(&n)
				killed <- n
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		killed <- 0
	}()

	out := &collector{}
	var names []string
	start := time.Now()
	err = s.Units(ctx, func(u scanner.Unit) error {
		names = append(names, u.Name)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names { // in order, one at a time: the slow view comes first
		if err := s.Sample(ctx, scanner.Unit{Name: n}, out); err != nil {
			t.Fatalf("Sample %s returned %v", n, err)
		}
	}
	if n := <-killed; n == 0 {
		t.Fatal("no datamap backend was terminated")
	}
	if took := time.Since(start); took > 25*time.Second {
		t.Errorf("scan took %v: it waited for the sleeping view instead of noticing the kill", took)
	}
	for _, n := range names {
		if r := out.reasons(n); len(r) != 1 || r[0] != scanner.ReasonConnectionLost {
			t.Errorf("%s reasons = %v, want [connection_lost]", n, r)
		}
	}
	if len(out.containers) != 0 {
		t.Errorf("sampled %d tables after the connection was lost", len(out.containers))
	}
	assertNoLeaks(t, f, out)
}

// assertNoLeaks checks no unreadable detail holds the password or a fixture value.
func assertNoLeaks(t *testing.T, f *fixture, out *collector) {
	t.Helper()
	out.mu.Lock()
	defer out.mu.Unlock()
	for _, u := range out.unreadable {
		t.Logf("unreadable %s: %s: %s", u.Path, u.Reason, u.Detail)
		for _, secret := range []string{f.password, "@example.", "Tenant Example", "hidden ", "Staff Example", "9434765919", "AB123456C"} {
			if strings.Contains(u.Detail, secret) {
				t.Errorf("unreadable %s detail %q contains %q", u.Path, u.Detail, secret)
			}
		}
		if u.Reason == "returned" {
			t.Errorf("Sample returned an error for %s: %s", u.Path, u.Detail)
		}
	}
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func TestWrongPasswordFailsTheSourceWithoutShowingIt(t *testing.T) {
	f := newFixture(t)
	bad := strings.Replace(f.scanDSN, url.QueryEscape(f.password), "Wrong-"+f.password, 1)
	if bad == f.scanDSN {
		t.Fatal("could not build a wrong-password DSN")
	}
	s, err := New("crm", bad, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.Units(context.Background(), func(scanner.Unit) error { return nil })
	if err == nil {
		t.Fatal("Units succeeded with a wrong password")
	}
	if strings.Contains(err.Error(), f.password) || strings.Contains(s.Info().Location, f.password) {
		t.Errorf("the password leaked: %v / %s", err, s.Info().Location)
	}
	if !strings.Contains(err.Error(), "28P01") {
		t.Errorf("error %q does not say authentication failed", err)
	}
}

// A view larger than the sample gives its first rows, and says so; a table sampled by TABLESAMPLE does not.
func TestSampleNoteSaysWhenASampleIsTheFirstRows(t *testing.T) {
	f := newFixture(t)
	s, err := New("crm", f.scanDSN, Options{SampleRows: 100, Include: []string{"crm.tenant_contacts", "crm.big"}, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := &collector{}
	scan(t, s, out)
	if v := out.containers["crm.tenant_contacts"]; v == nil || v.RowsSampled != 100 || !strings.Contains(v.SampleNote, "first 100 rows the view returns") {
		t.Errorf("view = %+v: want its first 100 rows, noted", v)
	}
	if b := out.containers["crm.big"]; b == nil || b.RowsSampled != 100 || b.SampleNote != "" {
		t.Errorf("big table = %+v: want a TABLESAMPLE sample and no note", b)
	}
	assertNoLeaks(t, f, out)
}
