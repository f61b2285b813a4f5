package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datamap-uk/datamap/scanner"
)

// Synthetic values planted in the fixture; none may ever appear in an error or an unreadable detail.
const (
	secretName  = "Zara Okafor"
	secretNINO  = "AB123456C"
	secretEmail = "zara.okafor@example.org"
	secretNHS   = "9434765919"
)

var secrets = []string{secretName, secretNINO, secretEmail, secretNHS, "Okafor", "123456"}

// build creates a database in write mode (fixture setup only) and runs the statements.
func build(t testing.TB, p string, stmts ...string) {
	t.Helper()
	// A file: URI with ?, # and % escaped, so a path holding them is not cut short.
	dsn := "file:" + strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(filepath.ToSlash(p)) + "?mode=rwc"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("fixture: %v\n%s", err, s)
		}
	}
}

// crmFixture is a small database with every kind of object the connector handles.
func crmFixture(t testing.TB) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "crm.db")
	build(t, p,
		"PRAGMA page_size = 4096",
		`CREATE TABLE tenants (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, dob DATE, nino VARCHAR(9),
			email TEXT, profile JSON, photo BLOB, notes TEXT)`,
		`CREATE TABLE lookup (code TEXT PRIMARY KEY, label TEXT) WITHOUT ROWID`,
		`CREATE TABLE empty_log (id INTEGER PRIMARY KEY, message TEXT)`,
		`CREATE TABLE "odd ""name""" (v TEXT)`,
		`CREATE VIEW v_contacts AS SELECT name, email FROM tenants WHERE email IS NOT NULL`,
		`CREATE INDEX tenants_email ON tenants(email)`,
		`INSERT INTO "odd ""name""" VALUES ('x')`,
		`INSERT INTO lookup VALUES ('A','Asthma'),('D','Diabetes'),('E','Epilepsy')`,
	)
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := range 50 {
		name, nino, email := fmt.Sprintf("Tenant %02d", i), fmt.Sprintf("CE%06dA", i), fmt.Sprintf("t%02d@example.com", i)
		profile := fmt.Sprintf(`{"nhs_no": %d, "gp": {"practice": "Moor Lane Surgery", "address": {"postcode": "LS6 1AA", "deep": {"x": 1}}}, "conditions": ["asthma", "COPD"]}`, 9434765919)
		if i == 0 {
			name, nino, email = secretName, secretNINO, secretEmail
		}
		if i == 7 {
			profile = "not json"
		}
		_, err := db.Exec(`INSERT INTO tenants (name, dob, nino, email, profile, photo, notes) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			name, "1985-03-02", nino, email, profile, []byte{0xff, 0xd8, 0xff, 0x00}, nil)
		if err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// recorder is a Sink that keeps what it is given.
type recorder struct {
	mu         sync.Mutex
	containers []*scanner.Container
	unreadable []scanner.Unreadable
}

func (r *recorder) Container(c *scanner.Container) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.containers = append(r.containers, c)
}

func (r *recorder) Unreadable(u scanner.Unreadable) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.unreadable = append(r.unreadable, u)
}

func (r *recorder) container(t *testing.T, name string) *scanner.Container {
	t.Helper()
	for _, c := range r.containers {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no container %s", name)
	return nil
}

func columnOf(t *testing.T, c *scanner.Container, name string) scanner.Column {
	t.Helper()
	for _, col := range c.Columns {
		if col.Name == name {
			return col
		}
	}
	t.Fatalf("%s: no column %s", c.Name, name)
	return scanner.Column{}
}

func reveal(col scanner.Column) []string {
	out := make([]string, len(col.Values))
	for i, v := range col.Values {
		out[i] = v.Reveal()
	}
	return out
}

// scan lists and samples every unit of a source.
func scan(t *testing.T, s *Source) (*recorder, []string) {
	t.Helper()
	rec := &recorder{}
	var units []string
	err := s.Units(context.Background(), func(u scanner.Unit) error {
		units = append(units, u.Name)
		return s.Sample(context.Background(), u, rec)
	})
	if err != nil {
		t.Fatalf("Units: %v", err)
	}
	return rec, units
}

func newSource(t *testing.T, p string, opt Options) *Source {
	t.Helper()
	s, err := New("crm", p, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestUnitsListEveryTableAndViewInOrderSkippingInternalTables(t *testing.T) {
	s := newSource(t, crmFixture(t), Options{})
	_, units := scan(t, s)
	want := []string{"main.empty_log", "main.lookup", `main.odd "name"`, "main.tenants", "main.v_contacts"}
	if !slices.Equal(units, want) {
		t.Errorf("units %q, want %q (sqlite_sequence must be skipped)", units, want)
	}
}

func TestIncludeAndExcludeGlobsSelectUnits(t *testing.T) {
	p := crmFixture(t)
	cases := []struct {
		name string
		opt  Options
		want []string
	}{
		{"includes only matching tables", Options{Include: []string{"main.t*", "main.v_*"}}, []string{"main.tenants", "main.v_contacts"}},
		{"excludes matching tables", Options{Exclude: []string{"main.v_*", "main.l*", "main.o*"}}, []string{"main.empty_log", "main.tenants"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, units := scan(t, newSource(t, p, c.opt))
			if !slices.Equal(units, c.want) {
				t.Errorf("units %q, want %q", units, c.want)
			}
		})
	}
}

func TestSampleReportsEachKindOfObject(t *testing.T) {
	rec, _ := scan(t, newSource(t, crmFixture(t), Options{SampleRows: 1000}))
	if len(rec.unreadable) != 0 {
		t.Fatalf("unexpected unreadable: %+v", rec.unreadable)
	}
	cases := []struct {
		name            string
		rows, sampled   int
		estimate        bool
		columnsIncluded []string
	}{
		// profile is declared JSON: its objects go to sub-fields, and it keeps only what is not one.
		{"main.tenants", 50, 50, false, []string{"id", "name", "dob", "nino", "email", "photo", "notes"}},
		{"main.lookup", 3, 3, false, []string{"code", "label"}},
		{"main.empty_log", 0, 0, false, []string{"id", "message"}},
		{"main.v_contacts", 50, 50, false, []string{"name", "email"}},
		{`main.odd "name"`, 1, 1, false, []string{"v"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := rec.container(t, c.name)
			if got.Kind != "table" || got.Format != "sqlite" || got.Unit != c.name {
				t.Errorf("kind %q format %q unit %q", got.Kind, got.Format, got.Unit)
			}
			if got.RowsTotal != c.rows || got.RowsSampled != c.sampled || got.RowsEstimate != c.estimate {
				t.Errorf("rows %d/%d estimate %v, want %d/%d %v", got.RowsSampled, got.RowsTotal, got.RowsEstimate,
					c.sampled, c.rows, c.estimate)
			}
			for _, name := range c.columnsIncluded {
				cl := columnOf(t, got, name)
				if cl.Values != nil && len(cl.Values) != got.RowsSampled {
					t.Errorf("column %s has %d values for %d rows", name, len(cl.Values), got.RowsSampled)
				}
			}
		})
	}
}

func TestSampleKeepsTextAndTypesAndSkipsBinary(t *testing.T) {
	rec, _ := scan(t, newSource(t, crmFixture(t), Options{}))
	c := rec.container(t, "main.tenants")
	cases := []struct {
		name    string
		column  string
		typ     string
		check   func([]string) bool
		explain string
	}{
		{"keeps a DATE column's stored text", "dob", "DATE", func(v []string) bool { return v[0] == "1985-03-02" }, "want 1985-03-02"},
		{"keeps the declared type", "nino", "VARCHAR(9)", func(v []string) bool { return len(v) == 50 }, "50 values"},
		{"reads integer keys as text", "id", "INTEGER", func(v []string) bool { return slices.Contains(v, "1") }, "contains 1"},
		{"skips a BLOB column", "photo", "BLOB", func(v []string) bool { return len(v) == 0 }, "no values"},
		{"turns NULL into empty", "notes", "TEXT", func(v []string) bool { return v[0] == "" }, "empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cl := columnOf(t, c, tc.column)
			if cl.Type != tc.typ {
				t.Errorf("type %q, want %q", cl.Type, tc.typ)
			}
			if !tc.check(reveal(cl)) {
				t.Errorf("values of %s: %s", tc.column, tc.explain)
			}
		})
	}
}

func TestJSONColumnIsFlattenedIntoSubFields(t *testing.T) {
	rec, _ := scan(t, newSource(t, crmFixture(t), Options{}))
	c := rec.container(t, "main.tenants")
	cases := []struct{ field, want string }{
		{"profile.nhs_no", secretNHS},
		{"profile.gp.practice", "Moor Lane Surgery"},
		{"profile.gp.address.postcode", "LS6 1AA"},
		{"profile.gp.address.deep", `{"x":1}`},
		{"profile.conditions", "asthma\nCOPD"},
	}
	for _, tc := range cases {
		t.Run(tc.field, func(t *testing.T) {
			cl := columnOf(t, c, tc.field)
			vals := reveal(cl)
			// A value for each row holding an object: all but the row of plain text.
			if len(vals) != c.RowsSampled-1 {
				t.Fatalf("%d values for %d rows, one of them not JSON", len(vals), c.RowsSampled)
			}
			if !slices.Contains(vals, tc.want) {
				t.Errorf("no value %q", tc.want)
			}
		})
	}
	if profile := reveal(columnOf(t, c, "profile")); !slices.Equal(profile, []string{"not json"}) {
		t.Errorf("profile = %q: a declared JSON column keeps what is not JSON, its objects go to sub-fields", profile)
	}
}

func TestRowidSamplingSpreadsOverTheWholeTable(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.db")
	build(t, p,
		"CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT)",
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
			INSERT INTO big SELECT i, 'row ' || i FROM n`)
	for _, rows := range []int{1000, 10000} {
		t.Run(strconv.Itoa(rows)+" rows", func(t *testing.T) {
			rec, _ := scan(t, newSource(t, p, Options{SampleRows: rows, Seed: 7}))
			c := rec.container(t, "main.big")
			if c.RowsTotal != 200000 || c.RowsEstimate || c.RowsSampled != rows {
				t.Fatalf("rows %d/%d estimate %v", c.RowsSampled, c.RowsTotal, c.RowsEstimate)
			}
			ids := map[int]bool{}
			lo, hi := 1<<62, 0
			for _, v := range reveal(columnOf(t, c, "id")) {
				n, err := strconv.Atoi(v)
				if err != nil {
					t.Fatal(err)
				}
				ids[n] = true
				lo, hi = min(lo, n), max(hi, n)
			}
			if len(ids) != rows {
				t.Errorf("%d distinct rows of %d sampled", len(ids), rows)
			}
			if lo > 20000 || hi < 180000 {
				t.Errorf("sampled rowids span %d..%d: not spread over 1..200000", lo, hi)
			}
			// A tenth of the range in each tenth of the sample, within a loose margin.
			var deciles [10]int
			for n := range ids {
				deciles[min(9, (n-1)/20000)]++
			}
			for i, d := range deciles {
				if d < rows/20 {
					t.Errorf("decile %d holds %d of %d sampled rows", i, d, rows)
				}
			}
		})
	}
}

func TestSamplingIsReproducibleWithTheSameSeed(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.db")
	build(t, p, "CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT)",
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO big SELECT i, i FROM n`)
	ids := func(seed uint64) []string {
		rec, _ := scan(t, newSource(t, p, Options{SampleRows: 500, Seed: seed}))
		return reveal(columnOf(t, rec.container(t, "main.big"), "id"))
	}
	if !slices.Equal(ids(1), ids(1)) {
		t.Error("same seed gave different samples")
	}
	if slices.Equal(ids(1), ids(2)) {
		t.Error("different seeds gave the same sample")
	}
}

func TestWideRowidRangeIsEstimatedNotCounted(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sparse.db")
	build(t, p, "CREATE TABLE s (v TEXT)",
		`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4999)
			INSERT INTO s (rowid, v) SELECT i * 1000 + 1, 'v' FROM n`)
	rec, _ := scan(t, newSource(t, p, Options{SampleRows: 1000}))
	c := rec.container(t, "main.s")
	if !c.RowsEstimate || c.RowsTotal != 4999*1000+1 {
		t.Errorf("rows total %d estimate %v, want the rowid span as an estimate", c.RowsTotal, c.RowsEstimate)
	}
	if c.RowsSampled < 900 || c.RowsSampled > 1000 {
		t.Errorf("sampled %d rows from a sparse table, want close to 1000", c.RowsSampled)
	}
}

func TestRowidColumnNamedRowidStillSamples(t *testing.T) {
	p := filepath.Join(t.TempDir(), "r.db")
	build(t, p, "CREATE TABLE r (rowid TEXT, v TEXT)",
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO r SELECT 'x', i FROM n`)
	rec, _ := scan(t, newSource(t, p, Options{SampleRows: 100}))
	c := rec.container(t, "main.r")
	if c.RowsTotal != 3000 || c.RowsSampled != 100 {
		t.Errorf("rows %d/%d", c.RowsSampled, c.RowsTotal)
	}
}

func TestUnusableFilesFailTheSource(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := crmFixture(t)
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	scrambled := bytes.Clone(b)
	for i := 16; i < len(scrambled); i++ {
		scrambled[i] ^= byte(i*7 + 1)
	}
	cases := []struct {
		name, path, want string
	}{
		{"rejects a file that is not a database", write("notes.db", []byte("Zara Okafor AB123456C, not a database at all\n")), "not a database"},
		{"rejects an encrypted-looking file", write("cipher.db", bytes.Repeat([]byte{0x8a, 0x13, 0xf0, 0x42}, 1024)), "not a database"},
		{"rejects a database whose pages are scrambled", write("scrambled.db", scrambled), "not a database"},
		{"rejects a missing file", filepath.Join(dir, "missing.db"), "does not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSource(t, c.path, Options{})
			err := s.Units(context.Background(), func(scanner.Unit) error { return nil })
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Units error %v, want one saying %q", err, c.want)
			}
			noSecrets(t, err.Error())
			if _, err := os.Stat(c.path + "-journal"); err == nil {
				t.Error("a journal was created")
			}
		})
	}
}

func TestAZeroByteFileIsAnEmptyDatabase(t *testing.T) {
	p := filepath.Join(t.TempDir(), "empty.db")
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, units := scan(t, newSource(t, p, Options{}))
	if len(units) != 0 {
		t.Errorf("units %q in an empty file", units)
	}
}

// corruptTable overwrites the root page of one table so only that table fails.
func corruptTable(t *testing.T, p, table string) {
	t.Helper()
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	var root int64
	if err := db.QueryRow("SELECT rootpage FROM sqlite_schema WHERE name = ?", table).Scan(&root); err != nil {
		t.Fatal(err)
	}
	db.Close()
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xee}, 4096), (root-1)*4096); err != nil {
		t.Fatal(err)
	}
}

func TestATableThatFailsIsRecordedAndTheOthersGoOn(t *testing.T) {
	p := crmFixture(t)
	corruptTable(t, p, "tenants")
	rec, _ := scan(t, newSource(t, p, Options{}))
	if len(rec.unreadable) == 0 {
		t.Fatal("the damaged table was not reported")
	}
	for _, u := range rec.unreadable {
		if u.Path != "main.tenants" && u.Path != "main.v_contacts" {
			t.Errorf("unexpected unreadable %s", u.Path)
		}
		if u.Reason != scanner.ReasonCorrupt {
			t.Errorf("%s: reason %s, want corrupt", u.Path, u.Reason)
		}
		if !strings.Contains(u.Detail, "SQLITE_CORRUPT") {
			t.Errorf("%s: detail %q does not name the failure", u.Path, u.Detail)
		}
		noSecrets(t, u.Detail)
	}
	rec.container(t, "main.lookup")
	rec.container(t, "main.empty_log")
}

func TestAQueryOverTheStatementTimeoutIsRecordedAsTimeout(t *testing.T) {
	p := crmFixture(t)
	build(t, p, `CREATE VIEW v_slow AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000)
		SELECT 'Zara Okafor' AS name, sum(i) AS total FROM n`)
	s := newSource(t, p, Options{StatementTimeout: 50 * time.Millisecond, Include: []string{"main.v_slow", "main.lookup"}})
	start := time.Now()
	rec, _ := scan(t, s)
	if len(rec.unreadable) != 1 || rec.unreadable[0].Path != "main.v_slow" || rec.unreadable[0].Reason != scanner.ReasonTimeout {
		t.Fatalf("unreadable %+v, want one timeout for main.v_slow", rec.unreadable)
	}
	noSecrets(t, rec.unreadable[0].Detail)
	if !rec.unreadable[0].Failure() {
		t.Error("a timeout must count as a failure")
	}
	rec.container(t, "main.lookup")
	if time.Since(start) > 20*time.Second {
		t.Error("the timeout did not stop the query") // a hang guard, not a performance assertion
	}
}

func TestACancelledScanIsReturnedNotRecorded(t *testing.T) {
	s := newSource(t, crmFixture(t), Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec := &recorder{}
	if err := s.Sample(ctx, scanner.Unit{Name: "main.tenants"}, rec); !errors.Is(err, context.Canceled) {
		t.Errorf("Sample error %v, want context.Canceled", err)
	}
	if len(rec.unreadable)+len(rec.containers) != 0 {
		t.Error("a cancelled sample reported something")
	}
}

func TestConnectionCannotWrite(t *testing.T) {
	p := crmFixture(t)
	before, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	opt, err := Options{}.WithDefaults()
	if err != nil {
		t.Fatal(err)
	}
	db, err := open(context.Background(), p, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	writes := []string{
		"INSERT INTO lookup VALUES ('Z', 'written')",
		"UPDATE tenants SET name = 'changed'",
		"DELETE FROM tenants",
		"CREATE TABLE written (x)",
		"DROP VIEW v_contacts",
		"PRAGMA user_version = 42",
		"VACUUM",
	}
	for _, w := range writes {
		t.Run(w, func(t *testing.T) {
			if _, err := db.Exec(w); err == nil {
				t.Errorf("%s succeeded on the scanning connection", w)
			}
		})
	}
	// Every pooled connection is read-only, not just the first.
	var wg sync.WaitGroup
	var mu sync.Mutex
	var only []int
	for range opt.MaxConns * 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := db.Conn(context.Background())
			if err != nil {
				return
			}
			defer conn.Close()
			var q int
			if conn.QueryRowContext(context.Background(), "PRAGMA query_only").Scan(&q) == nil {
				mu.Lock()
				only = append(only, q)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(only) == 0 || slices.Contains(only, 0) {
		t.Errorf("query_only per connection: %v", only)
	}
	scan(t, newSource(t, p, Options{}))
	after, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256(before) != sha256.Sum256(after) {
		t.Error("the database file changed")
	}
	for _, suffix := range []string{"-journal", "-wal", "-shm"} {
		if _, err := os.Stat(p + suffix); err == nil {
			t.Errorf("%s file created", suffix)
		}
	}
}

func TestTablesNamesContainersInsideTheFile(t *testing.T) {
	p := crmFixture(t)
	corruptTable(t, p, "lookup")
	rec := &recorder{}
	if err := Tables(context.Background(), p, Options{}, rec, "crm/housing.db"); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range rec.containers {
		names = append(names, c.Name)
		if c.Unit != "crm/housing.db" {
			t.Errorf("%s: unit %q", c.Name, c.Unit)
		}
	}
	want := []string{"crm/housing.db!empty_log", `crm/housing.db!odd "name"`, "crm/housing.db!tenants", "crm/housing.db!v_contacts"}
	if !slices.Equal(names, want) {
		t.Errorf("containers %q, want %q", names, want)
	}
	if len(rec.unreadable) != 1 || rec.unreadable[0].Path != "crm/housing.db!lookup" {
		t.Errorf("unreadable %+v, want crm/housing.db!lookup", rec.unreadable)
	}
	bad := filepath.Join(t.TempDir(), "x.db")
	if err := os.WriteFile(bad, []byte("SQLite format 2\x00 no"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Tables(context.Background(), bad, Options{}, rec, "x.db"); err == nil {
		t.Error("Tables on a file that is not a database succeeded")
	}
}

func TestPathsWithURISyntaxCharactersOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a?b#c%20d")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "x.db")
	build(t, p, "CREATE TABLE t (v TEXT)", "INSERT INTO t VALUES ('ok')")
	rec, units := scan(t, newSource(t, p, Options{}))
	if !slices.Equal(units, []string{"main.t"}) || rec.container(t, "main.t").RowsSampled != 1 {
		t.Errorf("units %q", units)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "a")); err == nil {
		t.Error("a database was created at the truncated path")
	}
}

func TestNewParsesPathsAndURLs(t *testing.T) {
	cases := []struct {
		name, dsn, want, err string
	}{
		{"takes a plain path", "data/crm.db", "data/crm.db", ""},
		{"takes a sqlite URL with an absolute path", "sqlite:///srv/crm.sqlite", "/srv/crm.sqlite", ""},
		{"takes a sqlite URL with a relative path", "sqlite://./crm.db", "./crm.db", ""},
		{"takes a file URL", "file:///srv/crm.db", "/srv/crm.db", ""},
		{"takes a file URL naming localhost", "file://localhost/srv/crm.db", "/srv/crm.db", ""},
		{"drops query parameters that could make it writable", "file:crm.db?mode=rwc&immutable=0", "crm.db", ""},
		{"decodes percent escapes in URLs", "sqlite:///srv/my%20crm.db", "/srv/my crm.db", ""},
		{"rejects another host", "file://fileserver/share/crm.db", "", "another host"},
		{"rejects an empty DSN", "", "", "no database file"},
		{"rejects memory", "file::memory:", "", "in-memory"},
		{"rejects a bad escape", "sqlite:///a%zz.db", "", "percent-escape"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := New("x", c.dsn, Options{})
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.path != filepath.FromSlash(c.want) {
				t.Errorf("path %q, want %q", s.path, c.want)
			}
			if s.Info().Kind != "sqlite" || !filepath.IsAbs(filepath.FromSlash(s.Info().Location)) {
				t.Errorf("info %+v", s.Info())
			}
		})
	}
}

func TestNewRejectsMalformedGlobs(t *testing.T) {
	for _, opt := range []Options{{Include: []string{"main.[x"}}, {Exclude: []string{"main.a", "[bad"}}} {
		if _, err := New("x", "data/crm.db", opt); err == nil || !strings.Contains(err.Error(), "bad include/exclude pattern") {
			t.Errorf("New with %+v: error %v, want a bad pattern", opt, err)
		}
	}
}

func TestReadOnlyDSNEscapesURISyntax(t *testing.T) {
	dsn, err := readOnlyDSN("/srv/a?b#c%d.db")
	if err != nil {
		t.Fatal(err)
	}
	want := "file:/srv/a%3Fb%23c%25d.db?mode=ro&immutable=1&_pragma=busy_timeout(5000)&_pragma=query_only(1)"
	if dsn != want {
		t.Errorf("dsn %q, want %q", dsn, want)
	}
}

func noSecrets(t *testing.T, s string) {
	t.Helper()
	for _, v := range secrets {
		if strings.Contains(s, v) {
			t.Errorf("message %q holds a sampled value", s)
		}
	}
}

var parseErrors = []string{
	"sqlite: file URL names another host; give a local path",
	"sqlite: bad percent-escape in the database URL",
	"sqlite: no database file given",
	"sqlite: an in-memory database has nothing to scan",
}

func FuzzFilePath(f *testing.F) {
	for _, s := range []string{"data/crm.db", "sqlite:///srv/crm.sqlite", "file:crm.db?mode=rwc", "file://host/x",
		"", "file::memory:", "sqlite:///a%zz.db", "sqlite:///C:/x.db", "file:?#", "sqlite:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		p, err := filePath(dsn)
		if err == nil && p == "" {
			t.Errorf("filePath(%q) gave an empty path and no error", dsn)
		}
		// Errors come from a fixed set, so none can quote the DSN.
		if err != nil && !slices.Contains(parseErrors, err.Error()) {
			t.Errorf("unexpected error %q", err)
		}
	})
}

// A view larger than the sample gives its first rows, and says so; a rowid table's sample is spread out.
func TestSampleNoteSaysWhenASampleIsTheFirstRows(t *testing.T) {
	rec, _ := scan(t, newSource(t, crmFixture(t), Options{SampleRows: 10}))
	if v := rec.container(t, "main.v_contacts"); v.RowsSampled != 10 || !strings.Contains(v.SampleNote, "first 10 rows") {
		t.Errorf("view: %d rows, note %q", v.RowsSampled, v.SampleNote)
	}
	if tb := rec.container(t, "main.tenants"); tb.SampleNote != "" {
		t.Errorf("rowid table: note %q, want none", tb.SampleNote)
	}
}
