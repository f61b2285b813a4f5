package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"

	"github.com/datamap-uk/datamap/rules"
	"github.com/datamap-uk/datamap/scanner"
)

const dsnEnv = "DATAMAP_TEST_MYSQL_DSN"

// server is a database created for one test on the server scripts/mariadb-up started, with a reader user
// who may SELECT every object but one.
type server struct {
	admin      *sql.DB
	adminCfg   *mysqldriver.Config
	schema     string
	reader     string
	readerPass string
	mariadb    bool
}

func startServer(t testing.TB) *server {
	t.Helper()
	dsn := os.Getenv(dsnEnv)
	if dsn == "" {
		t.Skip(dsnEnv + " not set: run scripts/test, or eval \"$(scripts/mariadb-up)\" first, which starts a server")
	}
	cfg, err := mysqldriver.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("bad %s", dsnEnv)
	}
	admin, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	admin.SetMaxOpenConns(4)
	var version string
	if err := admin.QueryRow("SELECT VERSION()").Scan(&version); err != nil {
		t.Fatalf("admin connection: %v", err)
	}
	n := time.Now().UnixNano() % 1e9
	srv := &server{admin: admin, adminCfg: cfg, schema: fmt.Sprintf("dm_test_%d", n), reader: fmt.Sprintf("dm_reader_%d", n),
		readerPass: fmt.Sprintf("Rd-%d-pw", n), mariadb: strings.Contains(strings.ToLower(version), "mariadb")}
	t.Cleanup(func() {
		admin.Exec("DROP DATABASE IF EXISTS " + quote(srv.schema))
		admin.Exec("DROP USER IF EXISTS '" + srv.reader + "'@'%'")
		admin.Close()
	})
	return srv
}

func (srv *server) exec(t testing.TB, qs ...string) {
	t.Helper()
	for _, q := range qs {
		if _, err := srv.admin.Exec(q); err != nil {
			t.Fatalf("setup %q: %v", q, err)
		}
	}
}

// fixture builds every kind of object. All values are synthetic.
func (srv *server) fixture(t testing.TB) {
	s := quote(srv.schema)
	srv.exec(t,
		"CREATE DATABASE "+s,
		"CREATE TABLE "+s+".tenants (id BIGINT PRIMARY KEY AUTO_INCREMENT, full_name VARCHAR(100) COMMENT 'tenant legal name', "+
			"email VARCHAR(200), nino CHAR(9) COMMENT 'National Insurance number', photo BLOB, profile JSON, notes TEXT)",
		"CREATE TABLE "+s+".big_events (id INT PRIMARY KEY, note VARCHAR(50))",
		"CREATE TABLE "+s+".no_key (name VARCHAR(50), postcode VARCHAR(10))",
		"CREATE TABLE "+s+".pairs (a INT, b INT, label VARCHAR(20), PRIMARY KEY (a, b))",
		"CREATE TABLE "+s+".empty_tbl (id INT PRIMARY KEY, x TEXT)",
		"CREATE TABLE "+s+".secret (id INT PRIMARY KEY, diagnosis TEXT COMMENT 'health condition')",
		"CREATE TABLE "+s+".`odd``name` (id INT PRIMARY KEY, `weird col` VARCHAR(20))",
		"CREATE VIEW "+s+".tenant_emails AS SELECT id, email FROM "+s+".tenants",
		"CREATE VIEW "+s+".slow AS SELECT SLEEP(3) AS s",
		"CREATE VIEW "+s+".slow10 AS SELECT SLEEP(10) AS s",
		"INSERT INTO "+s+".secret VALUES (1, 'asthma')",
		"INSERT INTO "+s+".`odd``name` VALUES (1, 'ok')",
		"INSERT INTO "+s+".pairs VALUES (1, 1, 'x'), (1, 2, 'y')",
		"CREATE TABLE "+s+".letters (id INT PRIMARY KEY, body LONGTEXT, draft VARCHAR(16000), subject VARCHAR(100), "+
			"enclosures SET("+longSet+"))",
		"INSERT INTO "+s+".letters VALUES (1, REPEAT('Dear tenant, ', 2000), REPEAT('Draft. ', 2000), 'Your tenancy', "+
			"'"+strings.ReplaceAll(strings.ReplaceAll(longSet, "'", ""), ", ", ",")+"')",
	)
	if srv.mariadb {
		srv.exec(t, "CREATE TABLE "+s+".history (id INT PRIMARY KEY, status VARCHAR(20)) WITH SYSTEM VERSIONING",
			"INSERT INTO "+s+".history VALUES (1, 'let'), (2, 'void')",
			"UPDATE "+s+".history SET status = 'relet' WHERE id = 2")
	}
	first := []string{"Jane", "Amir", "Olu", "Megan", "Tomasz"}
	last := []string{"Doe", "Khan", "Adeyemi", "Jones", "Nowak"}
	for i := range 30 {
		name := first[i%5] + " " + last[(i/5)%5]
		email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org"
		profile := fmt.Sprintf(`{"nhs_no":"943476591%d","contact":{"phone":"07700900%03d"},"needs":["wheelchair access","hearing loop"]}`, i%10, i)
		if _, err := srv.admin.Exec("INSERT INTO "+s+".tenants (full_name, email, nino, photo, profile, notes) VALUES (?, ?, ?, ?, ?, ?)",
			name, email, fmt.Sprintf("AB%06dC", 123400+i), []byte{0xff, 0xd8, 0xff, byte(i)}, profile, `{"caseworker":"x"}`); err != nil {
			t.Fatal(err)
		}
	}
	srv.exec(t, "INSERT INTO "+s+".big_events SELECT a.n + 100*b.n + 1, CONCAT('event ', a.n + 100*b.n + 1) FROM "+
		"(SELECT d1.d + 10*d2.d AS n FROM (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d1, "+
		"(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d2) a, "+
		"(SELECT d1.d + 10*d2.d AS n FROM (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d1, "+
		"(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d2 WHERE d1.d + 10*d2.d < 30) b",
		"INSERT INTO "+s+".no_key SELECT CONCAT('name ', id), 'SW1A 1AA' FROM "+s+".big_events WHERE id <= 400",
		// Large tables without a single-column integer key, each keyed by id's order: a string key (codes
		// like "T001234"), a composite integer key, no primary key but a unique string column, and no key at
		// all but an index on a timestamp, whose values bunch between two placeholder dates.
		"CREATE TABLE "+s+".coded (code VARCHAR(12) PRIMARY KEY, id INT NOT NULL)",
		"INSERT INTO "+s+".coded SELECT CONCAT('T', LPAD(id, 6, '0')), id FROM "+s+".big_events",
		"INSERT INTO "+s+".coded VALUES ('Z000001', 4001), ('Z000002', 4002), ('ZZTEST', 4003)", // outliers stretch MIN..MAX
		"CREATE TABLE "+s+".grid (a INT, b INT, id INT NOT NULL, PRIMARY KEY (a, b))",
		"INSERT INTO "+s+".grid SELECT id DIV 10, id MOD 10, id FROM "+s+".big_events",
		"CREATE TABLE "+s+".uniq (id INT NOT NULL, email VARCHAR(60) NOT NULL, UNIQUE KEY (email))",
		"INSERT INTO "+s+".uniq SELECT id, CONCAT('p', LPAD(id, 5, '0'), '@example.org') FROM "+s+".big_events",
		"CREATE TABLE "+s+".logbook (at DATETIME NOT NULL, id INT NOT NULL, KEY (at))",
		"INSERT INTO "+s+".logbook SELECT TIMESTAMP '2020-01-01 00:00:00' + INTERVAL id MINUTE, id FROM "+s+".big_events",
		// Placeholders for "no date" nine thousand years apart: the rows bunch in two days of that span.
		"INSERT INTO "+s+".logbook VALUES ('1000-01-01 00:00:00', 5000), ('9999-12-31 00:00:00', 5001)",
		// Large tables whose only index cannot cut them into ranges: led by a handful of values, nullable, in
		// a collation with contractions, or (MariaDB, below) too long for a B-tree.
		"CREATE TABLE "+s+".tenanted (tenant INT NOT NULL, id INT NOT NULL, PRIMARY KEY (tenant, id))",
		"INSERT INTO "+s+".tenanted SELECT id MOD 3, id FROM "+s+".big_events",
		"CREATE TABLE "+s+".nullable (id INT NOT NULL, email VARCHAR(60) NULL, UNIQUE KEY (email))",
		"INSERT INTO "+s+".nullable SELECT id, IF(id MOD 30 = 0, CONCAT('p', id, '@example.org'), NULL) FROM "+s+".big_events",
		"CREATE TABLE "+s+".danish (k CHAR(32) NOT NULL PRIMARY KEY, id INT NOT NULL) COLLATE utf8mb4_danish_ci",
		"INSERT INTO "+s+".danish SELECT MD5(id), id FROM "+s+".big_events",
		"ANALYZE TABLE "+s+".big_events, "+s+".no_key, "+s+".tenants, "+s+".coded, "+s+".grid, "+s+".uniq, "+s+".logbook, "+
			s+".tenanted, "+s+".nullable, "+s+".danish",
	)
	if srv.mariadb {
		// A unique key longer than a B-tree allows is a hash index on MariaDB: no range can use it.
		srv.exec(t, "CREATE TABLE "+s+".hashed (id INT NOT NULL, t VARCHAR(1000) CHARACTER SET utf8mb4 NOT NULL, UNIQUE KEY (t))",
			"INSERT INTO "+s+".hashed SELECT id, CONCAT('text ', id) FROM "+s+".big_events",
			"ANALYZE TABLE "+s+".hashed")
	}
	// The reader may SELECT everything but secret, on which it holds only REFERENCES: MySQL then lists the
	// table (a table with no privilege at all would be hidden) and refuses the SELECT.
	r := "'" + srv.reader + "'@'%'"
	srv.exec(t, "CREATE USER "+r+" IDENTIFIED BY '"+srv.readerPass+"'")
	objects := []string{"tenants", "big_events", "no_key", "pairs", "letters", "empty_tbl", "`odd``name`", "tenant_emails", "slow", "slow10",
		"coded", "grid", "uniq", "logbook", "tenanted", "nullable", "danish"}
	if srv.mariadb {
		objects = append(objects, "history", "hashed")
	}
	for _, o := range objects {
		if !strings.HasPrefix(o, "`") {
			o = quote(o)
		}
		srv.exec(t, "GRANT SELECT ON "+s+"."+o+" TO "+r)
	}
	srv.exec(t, "GRANT REFERENCES ON "+s+".secret TO "+r)
}

// readerURL is the reader's DSN in the URL form the README documents.
func (srv *server) readerURL(addr string) string {
	if addr == "" {
		addr = srv.adminCfg.Addr
	}
	return "mysql://" + url.UserPassword(srv.reader, srv.readerPass).String() + "@" + addr + "/" + srv.schema
}

type recorder struct {
	mu         sync.Mutex
	containers map[string]*scanner.Container
	unreadable map[string]scanner.Unreadable
}

func newRecorder() *recorder {
	return &recorder{containers: map[string]*scanner.Container{}, unreadable: map[string]scanner.Unreadable{}}
}

func (r *recorder) Container(c *scanner.Container) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.containers[c.Name] = c
}

func (r *recorder) Unreadable(u scanner.Unreadable) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.unreadable[u.Path] = u
}

// sampleAll samples every table opt selects, as the reader.
func sampleAll(t testing.TB, srv *server, opt Options) *recorder {
	t.Helper()
	s, err := New("hr", srv.readerURL(""), opt)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rec := newRecorder()
	for _, u := range units(t, s) {
		if err := s.Sample(context.Background(), u, rec); err != nil {
			t.Fatal(err)
		}
	}
	return rec
}

func units(t testing.TB, s *Source) []scanner.Unit {
	t.Helper()
	var us []scanner.Unit
	if err := s.Units(context.Background(), func(u scanner.Unit) error { us = append(us, u); return nil }); err != nil {
		t.Fatalf("Units: %v", err)
	}
	return us
}

func values(c scanner.Column) []string {
	var out []string
	for _, v := range c.Values {
		out = append(out, v.Reveal())
	}
	return out
}

func col(c *scanner.Container, name string) *scanner.Column {
	for i := range c.Columns {
		if c.Columns[i].Name == name {
			return &c.Columns[i]
		}
	}
	return nil
}

func TestScanCoversEveryKindOfObject(t *testing.T) {
	srv := startServer(t)
	srv.fixture(t)
	s, err := New("hr", srv.readerURL(""), Options{SampleRows: 100, StatementTimeout: time.Second, Seed: 7, Exclude: []string{"*.slow10"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	us := units(t, s)
	var names []string
	for _, u := range us {
		names = append(names, strings.TrimPrefix(u.Name, srv.schema+"."))
	}
	want := []string{"big_events", "coded", "danish", "empty_tbl", "grid", "letters", "logbook", "no_key", "nullable", "odd`name", "pairs",
		"secret", "slow", "tenant_emails", "tenanted", "tenants", "uniq"}
	if srv.mariadb {
		want = []string{"big_events", "coded", "danish", "empty_tbl", "grid", "hashed", "history", "letters", "logbook", "no_key", "nullable", "odd`name",
			"pairs", "secret", "slow", "tenant_emails", "tenanted", "tenants", "uniq"}
	}
	if !slices.Equal(names, want) {
		t.Fatalf("units = %q, want %q", names, want)
	}
	rec := newRecorder()
	for _, u := range us {
		if err := s.Sample(context.Background(), u, rec); err != nil {
			t.Fatalf("Sample(%s) = %v: a failing table must be recorded, not returned", u.Name, err)
		}
	}
	name := func(n string) string { return srv.schema + "." + n }

	t.Run("samples a table with comments, binary and JSON columns", func(t *testing.T) {
		c := rec.containers[name("tenants")]
		if c == nil {
			t.Fatalf("tenants not sampled: %+v", rec.unreadable[name("tenants")])
		}
		if c.RowsSampled != 30 || c.RowsTotal != 30 || c.RowsEstimate || c.Format != "mysql" || c.Kind != "table" || c.Unit != name("tenants") {
			t.Errorf("container = %+v", c)
		}
		fn := col(c, "full_name")
		if fn == nil || fn.Comment != "tenant legal name" || fn.Type != "varchar(100)" || len(fn.Values) != 30 {
			t.Errorf("full_name = %+v", fn)
		}
		if id := col(c, "id"); id == nil || !id.Key || col(c, "email").Key {
			t.Errorf("id = %+v: want the primary key marked, and only it", id)
		}
		if p := col(c, "photo"); p == nil || len(p.Values) != 0 {
			t.Errorf("photo (BLOB) = %+v: want listed with no values", p)
		}
		nhs := col(c, "profile.nhs_no")
		if nhs == nil || len(nhs.Values) != 30 || !strings.HasPrefix(values(*nhs)[0], "943476591") {
			t.Errorf("profile.nhs_no = %v", nhs)
		}
		if ph := col(c, "profile.contact.phone"); ph == nil || !strings.HasPrefix(values(*ph)[0], "07700900") {
			t.Errorf("profile.contact.phone = %v", ph)
		}
		if nd := col(c, "profile.needs"); nd == nil || values(*nd)[0] != "wheelchair access\nhearing loop" {
			t.Errorf("profile.needs = %v", nd)
		}
		if cw := col(c, "notes.caseworker"); cw == nil {
			t.Error("a JSON object in a TEXT column was not flattened")
		}
	})
	t.Run("samples a large keyed table through key ranges", func(t *testing.T) {
		c := rec.containers[name("big_events")]
		if c == nil {
			t.Fatalf("big_events not sampled: %+v", rec.unreadable[name("big_events")])
		}
		if c.RowsSampled != 100 || !c.RowsEstimate || c.RowsTotal < 2000 {
			t.Errorf("sampled %d of %d (estimate %v)", c.RowsSampled, c.RowsTotal, c.RowsEstimate)
		}
		ids := values(*col(c, "id"))
		hi := 0
		seen := map[string]bool{}
		for _, v := range ids {
			n, _ := strconv.Atoi(v)
			hi = max(hi, n)
			if seen[v] {
				t.Errorf("row %s sampled twice", v)
			}
			seen[v] = true
		}
		if hi < 1500 {
			t.Errorf("highest sampled id %d: the sample is not spread over the table", hi)
		}
	})
	t.Run("samples large tables by the leading column of another key or index", func(t *testing.T) {
		// A sample of 100 is 20 runs of 5 neighbouring rows, so one seed's thirds can be lopsided (about one
		// table in a hundred has a third with one run or none): the spread is judged over five seeds.
		recs := []*recorder{rec}
		for seed := uint64(8); seed <= 11; seed++ {
			recs = append(recs, sampleAll(t, srv, Options{SampleRows: 100, StatementTimeout: time.Second, Seed: seed,
				Include: []string{"*.coded", "*.grid", "*.uniq", "*.logbook"}}))
		}
		for _, n := range []string{"coded", "grid", "uniq", "logbook"} {
			low, high, rows := 0, 0, 0
			for _, r := range recs {
				c := r.containers[name(n)]
				if c == nil {
					t.Errorf("%s not sampled: %+v", n, r.unreadable[name(n)])
					continue
				}
				if c.RowsSampled != 100 || !c.RowsEstimate || c.SampleNote != "" {
					t.Errorf("%s: sampled %d rows of %d (estimate %v, note %q), want 100 of an estimate spread over the table",
						n, c.RowsSampled, c.RowsTotal, c.RowsEstimate, c.SampleNote)
				}
				// id follows the key's order: a sample spread over the key has ids from all over 1..3000.
				seen := map[string]bool{}
				for _, v := range values(*col(c, "id")) {
					if seen[v] {
						t.Errorf("%s: row %s sampled twice", n, v)
					}
					seen[v] = true
					rows++
					switch id, _ := strconv.Atoi(v); {
					case id <= 1000:
						low++
					case id > 2000:
						high++
					}
				}
			}
			// A third holds a third of the rows, 33% ± 4 (one standard deviation) over five seeds: under 15% is
			// not chance (less than one in a million).
			if low*100 < 15*rows || high*100 < 15*rows {
				t.Errorf("%s: %d of %d sampled ids in the first third, %d in the last: not spread over the key", n, low, rows, high)
			}
		}
	})
	t.Run("cuts long text on the server", func(t *testing.T) {
		c := rec.containers[name("letters")]
		if c == nil || len(values(*col(c, "body"))) != 1 || len(values(*col(c, "body"))[0]) != maxTextChars {
			t.Fatalf("letters = %+v: want the 26,000-character letter cut to %d", c, maxTextChars)
		}
		if d := values(*col(c, "draft")); len(d) != 1 || len(d[0]) != maxTextChars {
			t.Errorf("letters.draft: want the 14,000-character varchar(16000) cut to %d", maxTextChars)
		}
		if d := values(*col(c, "enclosures")); len(d) != 1 || len(d[0]) != maxTextChars {
			t.Errorf("letters.enclosures: want the ~10,000-character SET value cut to %d", maxTextChars)
		}
		if d := values(*col(c, "subject")); len(d) != 1 || d[0] != "Your tenancy" {
			t.Errorf("letters.subject = %d values: want the short varchar read as it is", len(d))
		}
	})
	t.Run("passes over indexes that cannot cut a table into ranges", func(t *testing.T) {
		passed := []string{"tenanted", "nullable", "danish"}
		if srv.mariadb {
			passed = append(passed, "hashed")
		}
		for _, n := range passed {
			if tb := s.tables[name(n)]; tb == nil || tb.lead >= 0 {
				t.Errorf("%s: lead = %+v, want none", n, tb)
			}
			if c := rec.containers[name(n)]; c == nil || c.RowsSampled != 100 || !strings.Contains(c.SampleNote, "first 500 rows") {
				t.Errorf("%s = %+v, unreadable %+v: want the bounded read's sample, saying so", n, c, rec.unreadable[name(n)])
			}
		}
		if tb := s.tables[name("logbook")]; tb == nil || tb.lead < 0 || tb.cols[tb.lead].name != "at" {
			t.Errorf("logbook: lead = %+v, want its timestamp index", tb)
		}
	})
	t.Run("lists the same catalogue on one connection as on two", func(t *testing.T) {
		// With two connections the JSON checks and indexes are read on the second, at the same time. As the
		// admin: MariaDB shows a json_valid check only to a user with more than SELECT on its table.
		cfg := srv.adminCfg.Clone()
		cfg.DBName = srv.schema
		cfg.Params = nil
		listed := func(cfg *mysqldriver.Config, conns int) map[string]*table {
			s, err := New("hr", cfg.FormatDSN(), Options{SampleRows: 100, MaxConns: conns})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			units(t, s)
			return s.tables
		}
		one, two := listed(cfg, 1), listed(cfg, 2)
		if len(one) != len(two) {
			t.Fatalf("%d tables on one connection, %d on two", len(one), len(two))
		}
		// A user the server allows one connection: the listing's second is refused, and it reads all on one.
		limited := cfg.Clone()
		limited.User, limited.Passwd = srv.reader+"_one", srv.readerPass
		u := "'" + limited.User + "'@'%'"
		srv.exec(t, "CREATE USER "+u+" IDENTIFIED BY '"+srv.readerPass+"' WITH MAX_USER_CONNECTIONS 1",
			"GRANT ALL PRIVILEGES ON "+quote(srv.schema)+".* TO "+u)
		defer srv.admin.Exec("DROP USER IF EXISTS " + u)
		if lim := listed(limited, 2); !reflect.DeepEqual(lim, one) {
			t.Errorf("a user limited to one connection listed %d tables, differently from %d on one connection", len(lim), len(one))
		}
		leads, jsons := 0, 0
		for n, tb := range two {
			if !reflect.DeepEqual(one[n], tb) {
				t.Errorf("%s on one connection = %+v, on two = %+v", n, one[n], tb)
			}
			if tb.lead >= 0 {
				leads++
			}
			for _, c := range tb.cols {
				if c.json {
					jsons++
				}
			}
		}
		if leads < 4 || jsons == 0 {
			t.Errorf("%d tables with a lead column and %d JSON columns: the comparison saw no refinements", leads, jsons)
		}
	})
	t.Run("samples an unkeyed table uniformly from a bounded read", func(t *testing.T) {
		c := rec.containers[name("no_key")]
		if c == nil || c.RowsSampled != 100 || c.RowsEstimate || c.RowsTotal != 400 {
			t.Fatalf("no_key = %+v", c)
		}
		late := 0
		for _, v := range values(*col(c, "name")) {
			if n, _ := strconv.Atoi(strings.TrimPrefix(v, "name ")); n > 300 {
				late++
			}
		}
		if late == 0 {
			t.Error("only the first rows were sampled")
		}
	})
	t.Run("samples views, composite keys, odd names and empty tables", func(t *testing.T) {
		for _, n := range []string{"tenant_emails", "pairs", "odd`name", "empty_tbl"} {
			if rec.containers[name(n)] == nil {
				t.Errorf("%s not sampled: %+v", n, rec.unreadable[name(n)])
			}
		}
		if c := rec.containers[name("tenant_emails")]; c != nil && (c.RowsSampled != 30 || len(c.Columns) != 2) {
			t.Errorf("view = %+v", c)
		}
		if c := rec.containers[name("odd`name")]; c != nil && col(c, "weird col") == nil {
			t.Errorf("odd`name columns = %+v", c.Columns)
		}
		if c := rec.containers[name("empty_tbl")]; c != nil && (c.RowsSampled != 0 || c.RowsTotal != 0 || c.RowsEstimate) {
			t.Errorf("empty_tbl = %+v", c)
		}
		if srv.mariadb {
			if c := rec.containers[name("history")]; c == nil || c.RowsSampled != 2 {
				t.Errorf("system-versioned history = %+v %+v", c, rec.unreadable[name("history")])
			}
		}
	})
	t.Run("records permission denied", func(t *testing.T) {
		u, ok := rec.unreadable[name("secret")]
		if !ok || u.Reason != scanner.ReasonPermissionDenied || !strings.Contains(u.Detail, "1142") {
			t.Errorf("secret = %+v", u)
		}
	})
	t.Run("records a timeout", func(t *testing.T) {
		u, ok := rec.unreadable[name("slow")]
		if !ok || u.Reason != scanner.ReasonTimeout {
			t.Errorf("slow = %+v", u)
		}
	})
	t.Run("keeps values and the password out of every detail", func(t *testing.T) {
		for _, u := range rec.unreadable {
			for _, bad := range []string{srv.readerPass, "asthma", "AB1234", "example.org", srv.reader} {
				if strings.Contains(u.Detail, bad) {
					t.Errorf("detail %q holds %q", u.Detail, bad)
				}
			}
		}
		if strings.Contains(s.Info().Location, srv.readerPass) {
			t.Errorf("location holds the password")
		}
	})
	t.Run("samples the same rows for the same seed", func(t *testing.T) {
		again := newRecorder()
		for _, u := range us {
			if u.Name == name("big_events") {
				s.Sample(context.Background(), u, again)
			}
		}
		a := values(*col(rec.containers[name("big_events")], "id"))
		b := values(*col(again.containers[name("big_events")], "id"))
		if !slices.Equal(a, b) {
			t.Error("two samples with one seed differ")
		}
	})
}

func TestKeyedTableSampledByItsKeyWhenItsEstimateIsStale(t *testing.T) {
	srv := startServer(t)
	srv.fixture(t)
	s, err := New("hr", srv.readerURL(""), Options{SampleRows: 100, StatementTimeout: time.Second, Seed: 7, Include: []string{"*.big_events"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	us := units(t, s)
	// InnoDB keeps its row estimate close on a live server, but MySQL 8 shows it from a cache up to a day old
	// (information_schema_stats_expiry): the catalogue says ten rows of a table that has 3,000.
	tb := srv.schema + ".big_events"
	s.tables[tb].rows = 10
	rec := newRecorder()
	if err := s.Sample(context.Background(), us[0], rec); err != nil {
		t.Fatal(err)
	}
	c := rec.containers[tb]
	if c == nil {
		t.Fatalf("big_events not sampled: %+v", rec.unreadable[tb])
	}
	if c.RowsSampled != 100 || c.SampleNote != "" || !c.RowsEstimate {
		t.Errorf("big_events: sampled %d rows of %d (estimate %v, note %q), want 100 by the key", c.RowsSampled, c.RowsTotal, c.RowsEstimate, c.SampleNote)
	}
	hi := 0
	for _, v := range values(*col(c, "id")) {
		n, _ := strconv.Atoi(v)
		hi = max(hi, n)
	}
	if hi <= 1500 {
		t.Errorf("highest sampled id %d: the sample is the first rows read, not spread over the key", hi)
	}
}

func TestKeyedTableOfExactlyFiveSamplesIsReadWhole(t *testing.T) {
	srv := startServer(t)
	srv.fixture(t)
	s := srv.schema
	srv.exec(t, "CREATE TABLE "+s+".five (id INT PRIMARY KEY, note VARCHAR(20))",
		"INSERT INTO "+s+".five SELECT id, note FROM "+s+".big_events WHERE id <= 500",
		"ANALYZE TABLE "+s+".five",
		"GRANT SELECT ON "+s+".five TO '"+srv.reader+"'@'%'")
	rec := sampleAll(t, srv, Options{SampleRows: 100, StatementTimeout: time.Second, Seed: 7, Include: []string{"*.five"}})
	c := rec.containers[s+".five"]
	if c == nil {
		t.Fatalf("five not sampled: %+v", rec.unreadable[s+".five"])
	}
	// 500 rows, keys 1..500: read to the end, so counted, and not said to be its first rows.
	if c.RowsSampled != 100 || c.RowsTotal != 500 || c.RowsEstimate || c.SampleNote != "" {
		t.Errorf("five: sampled %d of %d rows (estimate %v, note %q), want 100 of exactly 500, no note",
			c.RowsSampled, c.RowsTotal, c.RowsEstimate, c.SampleNote)
	}
}

func TestSamplingIsReadOnly(t *testing.T) {
	srv := startServer(t)
	srv.fixture(t)
	// The admin may write anything: only the session can stop the write.
	cfg := srv.adminCfg.Clone()
	cfg.DBName = srv.schema
	cfg.Params = nil
	s, err := New("hr", cfg.FormatDSN(), Options{SampleRows: 10, Include: []string{"*.tenants"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var checked int
	s.afterBegin = func(ctx context.Context, tx *sql.Tx) error {
		checked++
		v := "@@transaction_read_only"
		if srv.mariadb {
			v = "@@tx_read_only" // MariaDB 10.11 has only the old name
		}
		var ro int
		if err := tx.QueryRowContext(ctx, "SELECT "+v).Scan(&ro); err != nil {
			return err
		}
		if ro != 1 {
			t.Errorf("session %s = %d, want 1", v, ro)
		}
		// The timeouts are the connection's too: set once when it was made, they hold for every table.
		timeout, want := "@@max_execution_time", "30000"
		if srv.mariadb {
			timeout, want = "@@max_statement_time", "30"
		}
		var got, lock string
		if err := tx.QueryRowContext(ctx, "SELECT "+timeout+", @@lock_wait_timeout").Scan(&got, &lock); err != nil {
			return err
		}
		if got != want || lock != "30" {
			t.Errorf("session %s = %s, @@lock_wait_timeout = %s, want %s and 30", timeout, got, lock, want)
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO "+quote(srv.schema)+".tenants (full_name) VALUES ('Write Attempt')")
		var me *mysqldriver.MySQLError
		if !errors.As(err, &me) || me.Number != 1792 {
			t.Errorf("INSERT in the sampling transaction = %v, want error 1792 (read-only transaction)", err)
		}
		return nil
	}
	rec := newRecorder()
	for _, u := range units(t, s) {
		if err := s.Sample(context.Background(), u, rec); err != nil {
			t.Fatal(err)
		}
	}
	if checked < 2 || len(rec.containers) != 1 {
		t.Fatalf("checked %d sessions, sampled %d tables (unreadable %+v)", checked, len(rec.containers), rec.unreadable)
	}
	var n int
	srv.admin.QueryRow("SELECT COUNT(*) FROM " + quote(srv.schema) + ".tenants").Scan(&n)
	if n != 30 {
		t.Errorf("tenants has %d rows after sampling, want 30", n)
	}
}

func TestKilledConnectionIsRecordedAndTheScanGoesOn(t *testing.T) {
	srv := startServer(t)
	srv.fixture(t)
	s, err := New("hr", srv.readerURL(""), Options{SampleRows: 50, Include: []string{"*.slow10", "*.tenants"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	us := units(t, s)
	rec := newRecorder()
	done := make(chan error, 1)
	go func() { done <- s.Sample(context.Background(), us[0], rec) }() // slow10 sorts first
	killed := false
	for i := 0; i < 100 && !killed; i++ {
		time.Sleep(50 * time.Millisecond)
		var id int64
		err := srv.admin.QueryRow("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ? AND INFO LIKE '%slow10%'", srv.reader).Scan(&id)
		if err == nil {
			if _, err := srv.admin.Exec("KILL CONNECTION " + strconv.FormatInt(id, 10)); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	if !killed {
		t.Fatal("never saw the sampling query in the process list")
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Sample = %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Sample hung after its connection was killed")
	}
	u, ok := rec.unreadable[us[0].Name]
	if !ok || u.Reason != scanner.ReasonConnectionLost {
		t.Errorf("slow10 = %+v, want connection_lost", u)
	}
	if err := s.Sample(context.Background(), us[1], rec); err != nil || rec.containers[us[1].Name] == nil {
		t.Errorf("the next table was not sampled after the kill: %v %+v", err, rec.unreadable[us[1].Name])
	}
}

// proxy forwards TCP to the server until shut, which then behaves as a server that has died.
type proxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func startProxy(t testing.TB, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
	t.Cleanup(p.shut)
	return p
}

func (p *proxy) shut() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func TestServerGoneMidScanRecordsEveryRemainingTable(t *testing.T) {
	srv := startServer(t)
	srv.fixture(t)
	p := startProxy(t, srv.adminCfg.Addr)
	s, err := New("hr", srv.readerURL(p.ln.Addr().String()), Options{SampleRows: 50, Exclude: []string{"*.slow*"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	us := units(t, s)
	rec := newRecorder()
	if err := s.Sample(context.Background(), us[0], rec); err != nil || len(rec.containers) != 1 {
		t.Fatalf("first table before the server went away: %v %+v", err, rec.unreadable)
	}
	p.shut()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for _, u := range us[1:] {
		if err := s.Sample(ctx, u, rec); err != nil {
			t.Fatalf("Sample(%s) = %v (a hang guard fired if this is a deadline)", u.Name, err)
		}
	}
	if len(rec.unreadable) != len(us)-1 {
		t.Errorf("%d unreadable, want %d", len(rec.unreadable), len(us)-1)
	}
	for _, u := range rec.unreadable {
		if u.Reason != scanner.ReasonConnectionLost {
			t.Errorf("%s = %+v, want connection_lost", u.Path, u)
		}
		if strings.Contains(u.Detail, srv.readerPass) {
			t.Errorf("detail holds the password")
		}
	}
}

func TestUnitsFailsWithoutLeakingThePassword(t *testing.T) {
	srv := startServer(t)
	cases := []struct{ name, dsn string }{
		{"reports a wrong password", "mysql://" + srv.reader + "x:Wrong-pw-123@" + srv.adminCfg.Addr + "/"},
		{"reports a closed port", "mysql://someone:Wrong-pw-123@127.0.0.1:1/"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := New("hr", c.dsn, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			err = s.Units(context.Background(), func(scanner.Unit) error { return nil })
			if err == nil {
				t.Fatal("Units succeeded")
			}
			if strings.Contains(err.Error(), "Wrong-pw-123") {
				t.Errorf("error %q holds the password", err)
			}
		})
	}
}

func TestRunMarksTheScanPartial(t *testing.T) {
	srv := startServer(t)
	srv.fixture(t)
	pack, err := rules.Default()
	if err != nil {
		t.Skipf("rules pack unavailable while the tree is being edited: %v", err)
	}
	engine, err := rules.Compile(pack, rules.Options{})
	if err != nil {
		t.Skipf("rules pack unavailable while the tree is being edited: %v", err)
	}
	s, err := New("hr", srv.readerURL(""), Options{SampleRows: 100, StatementTimeout: time.Second, Exclude: []string{"*.slow10"}})
	if err != nil {
		t.Fatal(err)
	}
	inv, err := scanner.Run(context.Background(), []scanner.Source{s}, scanner.Options{Engine: engine, Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Sources) != 1 || inv.Sources[0].Failed != 2 || inv.Sources[0].Containers < 7 {
		t.Errorf("source result = %+v", inv.Sources)
	}
	found := false
	for _, f := range inv.Fields {
		if f.Field == "profile.nhs_no" {
			found = true
		}
	}
	if !found {
		t.Error("the JSON sub-field profile.nhs_no is not in the inventory")
	}
}

// longSet is a SET definition of 40 members of 254 characters: all of them set is a value of ~10,000.
var longSet = func() string {
	m := make([]string, 40)
	for i := range m {
		m[i] = fmt.Sprintf("'m%02d%s'", i, strings.Repeat("x", 251))
	}
	return strings.Join(m, ", ")
}()
