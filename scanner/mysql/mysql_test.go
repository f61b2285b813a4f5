package mysql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"

	"github.com/datamap-uk/datamap/scanner"
)

func TestNewParsesDSNs(t *testing.T) {
	cases := []struct {
		name, dsn            string
		user, pass, addr, db string
		net                  string
		location             string
	}{
		{"reads the URL form", "mysql://scanner:s3cret-pw@hr.example.org:3307/hr?tls=true",
			"scanner", "s3cret-pw", "hr.example.org:3307", "hr", "tcp", "mysql://scanner@hr.example.org:3307/hr?tls=true"},
		{"defaults the port and host", "mysql://scanner@/",
			"scanner", "", "127.0.0.1:3306", "", "tcp", "mysql://scanner@127.0.0.1:3306/"},
		{"accepts the mariadb scheme", "mariadb://scanner:pw1234@db.example.org/crm",
			"scanner", "pw1234", "db.example.org:3306", "crm", "tcp", "mysql://scanner@db.example.org:3306/crm"},
		{"decodes a percent-encoded password", "mysql://scanner:p%40ss%2Fw0rd@127.0.0.1:3306/hr",
			"scanner", "p@ss/w0rd", "127.0.0.1:3306", "hr", "tcp", "mysql://scanner@127.0.0.1:3306/hr"},
		{"reads a unix socket from the URL", "mysql://scanner:pw1234@/hr?socket=/run/mysqld/mysqld.sock",
			"scanner", "pw1234", "/run/mysqld/mysqld.sock", "hr", "unix", "mysql://scanner@/hr?socket=%2Frun%2Fmysqld%2Fmysqld.sock"},
		{"reads the driver's own form", "scanner:s3cret-pw@tcp(127.0.0.1:3306)/hr?parseTime=true",
			"scanner", "s3cret-pw", "127.0.0.1:3306", "hr", "tcp", "mysql://scanner@127.0.0.1:3306/hr"},
		{"takes a password parameter as the password and never shows it", "mysql://scanner@127.0.0.1/hr?password=hunter22&timeout=5s",
			"scanner", "hunter22", "127.0.0.1:3306", "hr", "tcp", "mysql://scanner@127.0.0.1:3306/hr"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := New("hr", c.dsn, Options{})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if s.cfg.User != c.user || s.cfg.Passwd != c.pass || s.cfg.Addr != c.addr || s.cfg.DBName != c.db || s.cfg.Net != c.net {
				t.Errorf("config = %s %s %s %s %s, want %s %s %s %s %s", s.cfg.User, s.cfg.Passwd, s.cfg.Addr, s.cfg.DBName, s.cfg.Net,
					c.user, c.pass, c.addr, c.db, c.net)
			}
			info := s.Info()
			if info.Location != c.location || info.Kind != "mysql" || info.Name != "hr" {
				t.Errorf("Info = %+v, want location %s", info, c.location)
			}
			if c.pass != "" && strings.Contains(info.Location, c.pass) {
				t.Errorf("location %q holds the password", info.Location)
			}
			if s.cfg.ParseTime || !strings.Contains(s.cfg.ConnectionAttributes, "program_name:datamap") {
				t.Errorf("prepare not applied: parseTime=%v attrs=%q", s.cfg.ParseTime, s.cfg.ConnectionAttributes)
			}
		})
	}
}

func TestNewRejectsBadInputWithoutEchoingIt(t *testing.T) {
	cases := []struct{ name, dsn string }{
		{"rejects a malformed URL", "mysql://scanner:pa ss%zz@host/db"},
		{"rejects an unknown URL parameter value", "mysql://scanner:hunter22@host/db?parseTime=maybe"},
		{"rejects a path with two segments", "mysql://scanner:hunter22@host/db/extra"},
		{"rejects a malformed native DSN", "scanner:hunter22@tcp(host:3306"},
		{"rejects session variables that would be SET on connect", "scanner:hunter22@tcp(host:3306)/db?transaction_read_only=0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New("hr", c.dsn, Options{})
			if err == nil {
				t.Fatal("New accepted a bad DSN")
			}
			if strings.Contains(err.Error(), "hunter22") || strings.Contains(err.Error(), "pa ss") {
				t.Errorf("error %q holds the password", err)
			}
		})
	}
	if _, err := New("hr", "mysql://u@h/db", Options{Include: []string{"["}}); err == nil {
		t.Error("New accepted a malformed glob")
	}
}

func TestQuoteDoublesBackticks(t *testing.T) {
	cases := map[string]string{
		"tenants":           "`tenants`",
		"odd`name":          "`odd``name`",
		"x`; DROP TABLE y;": "`x``; DROP TABLE y;`",
		"":                  "``",
	}
	for in, want := range cases {
		if got := quote(in); got != want {
			t.Errorf("quote(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSelectedAppliesIncludeThenExclude(t *testing.T) {
	s := &Source{opt: Options{Include: []string{"hr.*", "crm.tenants"}, Exclude: []string{"hr.audit_*"}}}
	cases := map[string]bool{
		"hr.staff":      true,
		"hr.audit_2024": false,
		"crm.tenants":   true,
		"crm.repairs":   false,
	}
	for name, want := range cases {
		if got := s.selected(name); got != want {
			t.Errorf("selected(%q) = %v, want %v", name, got, want)
		}
	}
	all := &Source{}
	if !all.selected("any.table") {
		t.Error("an empty include list must select everything")
	}
}

func TestIntPrimaryKeyNeedsOneIntegerColumn(t *testing.T) {
	cases := []struct {
		name string
		cols []column
		want int
	}{
		{"finds a bigint key", []column{{name: "ref", dataType: "varchar"}, {name: "id", dataType: "bigint", key: "PRI"}}, 1},
		{"rejects a composite key", []column{{name: "a", dataType: "int", key: "PRI"}, {name: "b", dataType: "int", key: "PRI"}}, -1},
		{"rejects a text key", []column{{name: "ref", dataType: "varchar", key: "PRI"}}, -1},
		{"rejects a table without a key", []column{{name: "ref", dataType: "int", key: "MUL"}}, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := intPrimaryKey(c.cols); got != c.want {
				t.Errorf("intPrimaryKey = %d, want %d", got, c.want)
			}
		})
	}
}

func TestShortTextNeedsNoCut(t *testing.T) {
	cases := []struct {
		dataType, colType string
		want              bool
	}{
		{"varchar", "varchar(255)", true},
		{"char", "char(10)", true},
		{"varchar", "varchar(8192)", true},
		{"varchar", "varchar(8193)", false},
		{"varchar", "VARCHAR(40)", true},
		{"tinytext", "tinytext", true},
		{"text", "text", false},
		{"longtext", "longtext", false},
		{"json", "json", false},
		{"varchar", "varchar", false}, // no length: cut, to be safe
	}
	for _, c := range cases {
		if got := shortText(column{dataType: c.dataType, colType: c.colType}); got != c.want {
			t.Errorf("shortText(%s) = %v, want %v", c.colType, got, c.want)
		}
	}
}

func TestJSONValidColumnReadsMariaDBChecks(t *testing.T) {
	cases := []struct {
		clause, want string
		ok           bool
	}{
		{"json_valid(`profile`)", "profile", true},
		{"json_valid(`odd``name`)", "odd`name", true},
		{"json_valid(`a`) and `b` > 0", "", false},
		{"`age` > 0", "", false},
	}
	for _, c := range cases {
		got, ok := jsonValidColumn(c.clause)
		if got != c.want || ok != c.ok {
			t.Errorf("jsonValidColumn(%q) = %q %v, want %q %v", c.clause, got, ok, c.want, c.ok)
		}
	}
}

func TestKeysKeepTheirOrderAsOffsets(t *testing.T) {
	cases := []struct {
		name     string
		keys     []string
		unsigned bool
	}{
		{"orders signed keys across zero", []string{"-9223372036854775808", "-5", "0", "7", "9223372036854775807"}, false},
		{"orders unsigned keys", []string{"0", "1", "18446744073709551615"}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var prev uint64
			for i, k := range c.keys {
				v, err := parseKey(k, c.unsigned)
				if err != nil {
					t.Fatal(err)
				}
				if i > 0 && v <= prev {
					t.Errorf("key %s does not sort after the one before", k)
				}
				prev = v
				if got := formatKey(v, c.unsigned); got != k {
					t.Errorf("formatKey round trip = %s, want %s", got, k)
				}
			}
		})
	}
}

func TestColumnsBuildsSubFieldsAndSkipsBinary(t *testing.T) {
	tb := &table{cols: []column{
		{name: "id", dataType: "int", colType: "int(11)"},
		{name: "photo", dataType: "blob", colType: "blob", binary: true},
		{name: "profile", dataType: "longtext", colType: "longtext", json: true, comment: "tenant profile"},
		{name: "notes", dataType: "text", colType: "text"},
	}}
	sel := []int{0, 2, 3}
	rows := [][]string{
		{"1", `{"nhs_no":"9434765919"}`, `{"email":"jane.doe@example.org"}`},
		{"2", `"just text"`, "plain note"},
		{"3", "", "\xff\xfe binary"},
	}
	cols := columns(tb, sel, rows)
	got := map[string][]string{}
	var names []string
	for _, c := range cols {
		names = append(names, c.Name)
		for _, v := range c.Values {
			got[c.Name] = append(got[c.Name], v.Reveal())
		}
	}
	wantNames := []string{"id", "photo", "profile", "profile.nhs_no", "notes", "notes.email"}
	if !slices.Equal(names, wantNames) {
		t.Errorf("columns = %v, want %v", names, wantNames)
	}
	if len(got["photo"]) != 0 {
		t.Errorf("binary column has values")
	}
	if !slices.Equal(got["profile"], []string{"just text", ""}) {
		t.Errorf("profile = %q", got["profile"])
	}
	if !slices.Equal(got["notes"], []string{`{"email":"jane.doe@example.org"}`, "plain note"}) {
		t.Errorf("notes = %q: want the JSON text kept and the invalid UTF-8 skipped", got["notes"])
	}
	if cols[3].Comment != "tenant profile" {
		t.Errorf("sub-field comment = %q", cols[3].Comment)
	}
}

func TestReservoirKeepsAUniformSubset(t *testing.T) {
	// The reservoir logic inline, as reservoir() applies it, over a known stream.
	rng := rand.New(rand.NewPCG(1, 2))
	n, total := 10, 1000
	var kept []int
	for i := range total {
		seen := i + 1
		if len(kept) < n {
			kept = append(kept, i)
		} else if j := rng.IntN(seen); j < n {
			kept[j] = i
		}
	}
	late := 0
	for _, k := range kept {
		if k >= n*5 {
			late++
		}
	}
	if late == 0 {
		t.Errorf("reservoir kept only early rows: %v", kept)
	}
}

func TestClassifyMapsErrorsWithoutValues(t *testing.T) {
	scrub := newScrubber("u:hunter22@tcp(h:1)/db", &mysqldriver.Config{Passwd: "hunter22"})
	cases := []struct {
		name   string
		err    error
		reason string
		absent string
	}{
		{"denies on 1142", &mysqldriver.MySQLError{Number: 1142, Message: "SELECT command denied to user 'bob'@'host' for table `hr`.`salaries`"}, scanner.ReasonPermissionDenied, "bob"},
		{"denies on 1143", &mysqldriver.MySQLError{Number: 1143}, scanner.ReasonPermissionDenied, ""},
		{"denies on 1044", &mysqldriver.MySQLError{Number: 1044}, scanner.ReasonPermissionDenied, ""},
		{"denies on 1045", &mysqldriver.MySQLError{Number: 1045, Message: "Access denied for user 'u'@'h' (using password: YES)"}, scanner.ReasonPermissionDenied, "using"},
		{"times out on MariaDB 1969", &mysqldriver.MySQLError{Number: 1969}, scanner.ReasonTimeout, ""},
		{"times out on MySQL 3024", &mysqldriver.MySQLError{Number: 3024}, scanner.ReasonTimeout, ""},
		{"times out on 1317", &mysqldriver.MySQLError{Number: 1317}, scanner.ReasonTimeout, ""},
		{"times out on our own deadline", fmt.Errorf("%w: %w", errTimeout, context.DeadlineExceeded), scanner.ReasonTimeout, ""},
		{"loses the connection on ErrBadConn", driver.ErrBadConn, scanner.ReasonConnectionLost, ""},
		{"loses the connection on ErrInvalidConn", fmt.Errorf("query: %w", mysqldriver.ErrInvalidConn), scanner.ReasonConnectionLost, ""},
		{"loses the connection on EOF", io.EOF, scanner.ReasonConnectionLost, ""},
		{"loses the connection on a refused dial", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, scanner.ReasonConnectionLost, ""},
		{"loses the connection on 2013", &mysqldriver.MySQLError{Number: 2013}, scanner.ReasonConnectionLost, ""},
		{"strips quoted values from other server errors", &mysqldriver.MySQLError{Number: 1366, Message: "Incorrect string value: 'AB123456C' for column `nino`"}, scanner.ReasonReadError, "AB123456C"},
		{"strips the password from other errors", errors.New("dial u:hunter22@tcp(h:1)/db failed"), scanner.ReasonReadError, "hunter22"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			reason, detail := classify(c.err, scrub)
			if reason != c.reason {
				t.Errorf("reason = %s, want %s (detail %q)", reason, c.reason, detail)
			}
			if detail == "" {
				t.Error("empty detail")
			}
			if c.absent != "" && strings.Contains(detail, c.absent) {
				t.Errorf("detail %q holds %q", detail, c.absent)
			}
		})
	}
}

func TestScrubbedErrorKeepsTheCause(t *testing.T) {
	scrub := newScrubber("mysql://u:hunter22@h/db", &mysqldriver.Config{Passwd: "hunter22"})
	err := scrub.errorf("connect: %w", fmt.Errorf("auth hunter22: %w", io.EOF))
	if strings.Contains(err.Error(), "hunter22") {
		t.Errorf("error %q holds the password", err)
	}
	if !errors.Is(err, io.EOF) {
		t.Error("the cause is lost")
	}
}

func FuzzParseDSN(f *testing.F) {
	for _, s := range []string{
		"mysql://scanner:s3cret-pw@hr.example.org:3307/hr?tls=true",
		"mysql://scanner@/",
		"mariadb://scanner:pw1234@db.example.org/crm",
		"mysql://scanner:p%40ss%2Fw0rd@127.0.0.1:3306/hr",
		"mysql://scanner:pw1234@/hr?socket=/run/mysqld/mysqld.sock",
		"scanner:s3cret-pw@tcp(127.0.0.1:3306)/hr?parseTime=true",
		"mysql://scanner:pw1234@127.0.0.1/hr?password=hunter22&charset=utf8mb4",
		"scanner:hunter22@tcp(host:3306",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		s, err := New("fuzz", dsn, Options{})
		if err != nil {
			if len(dsn) >= 8 && strings.Contains(err.Error(), dsn) {
				t.Fatalf("error %q echoes the DSN", err)
			}
			return
		}
		loc := s.Info().Location
		if p := s.cfg.Passwd; len(p) >= 3 && strings.Contains(loc, p) && !strings.Contains(redactNoPass(s), p) {
			t.Fatalf("location %q holds the password", loc)
		}
		if !strings.HasPrefix(loc, "mysql://") {
			t.Fatalf("location %q is not a mysql URL", loc)
		}
	})
}

// redactNoPass is the location computed with the password blanked: a password that happens to equal the
// user, host or database name also appears there, and that is not a leak.
func redactNoPass(s *Source) string {
	c := *s.cfg
	c.Passwd = ""
	return redact(&c)
}

func TestStringStartsCutTheKeyRange(t *testing.T) {
	tests := []struct {
		lo, hi, alphabet string
	}{
		{"T000001", "T200000", "0123456789"},
		{"9b9c1c1c-ece3-11f1-926e-02fc00000001", "9badba22-ece3-11f1-926e-02fc00000001", "0123456789abcdef"},
		{"0A1B", "FF00", "0123456789ABCDEF"},
		{"adams", "young", "0123456789abcdefghijklmnopqrstuvwxyz"},
		{"ADAMS", "YOUNG", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
		{"Émile-1", "Émile-9", "0123456789"},
	}
	for _, tt := range tests {
		rng := rand.New(rand.NewPCG(1, 2))
		starts, ok := stringStarts(tt.lo, tt.hi, 50, rng)
		if !ok || len(starts) < 40 {
			t.Errorf("%s..%s: %d starts, ok %v", tt.lo, tt.hi, len(starts), ok)
			continue
		}
		var prev string
		for _, lit := range starts {
			h, found := strings.CutPrefix(lit, "_utf8mb4 X'")
			raw, err := hex.DecodeString(strings.TrimSuffix(h, "'"))
			if !found || err != nil {
				t.Fatalf("literal %q", lit)
			}
			s := string(raw)
			if s <= prev || s < tt.lo[:len(tt.lo)-1] || s > tt.hi {
				t.Errorf("%s..%s: start %q out of order or range (after %q)", tt.lo, tt.hi, s, prev)
			}
			prev = s
			p := len(commonPrefix(tt.lo, tt.hi))
			for _, c := range []byte(s[p:]) {
				if !strings.ContainsRune(tt.alphabet, rune(c)) {
					t.Errorf("%s..%s: start %q has %q, outside %s", tt.lo, tt.hi, s, c, tt.alphabet)
					break
				}
			}
		}
	}
	if _, ok := stringStarts("same", "same", 10, rand.New(rand.NewPCG(1, 2))); ok {
		t.Error("one value cannot be cut")
	}
}

func commonPrefix(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return a[:i]
}

func TestTimeStartsCutTheDateRange(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tt := range []struct {
		lo, hi   string
		dateOnly bool
		min      int
	}{
		{"2020-01-01 00:01:00", "2020-01-03 02:00:00", false, 40},
		{"2019-12-31 23:59:59.5", "2020-01-01 00:00:01.25", false, 2}, // whole seconds: a few starts
		{"1990-01-01", "2024-12-31", true, 40},
		{"1000-01-01", "9999-12-31", true, 40}, // placeholders for "no date": longer than a time.Duration
		{"1000-01-01 00:00:00", "9999-12-31 23:59:59", false, 40},
	} {
		starts, ok := timeStarts(tt.lo, tt.hi, tt.dateOnly, 50, rng)
		if !ok || len(starts) < tt.min {
			t.Errorf("%s..%s: %d starts, ok %v", tt.lo, tt.hi, len(starts), ok)
			continue
		}
		for i, lit := range starts {
			v := strings.Trim(lit, "'")
			if i > 0 && lit <= starts[i-1] {
				t.Errorf("%s..%s: start %s not after %s", tt.lo, tt.hi, lit, starts[i-1])
			}
			if v < tt.lo[:10] || v > tt.hi {
				t.Errorf("%s..%s: start %s out of range", tt.lo, tt.hi, v)
			}
		}
	}
	if _, ok := timeStarts("0000-00-00", "2024-01-01", true, 10, rng); ok {
		t.Error("a zero date cannot be cut")
	}
}

func TestSessionParamsFollowTheServer(t *testing.T) {
	for _, tt := range []struct {
		version         string
		mariadb         bool
		readOnly, limit string
	}{
		{"10.11.6-MariaDB-0+deb12u1", true, "tx_read_only", "max_statement_time"},
		{"8.0.36", false, "transaction_read_only", "max_execution_time"},
		{"5.7.20-log", false, "transaction_read_only", "max_execution_time"},
		{"5.7.19-log", false, "tx_read_only", "max_execution_time"},
	} {
		p := sessionParams(tt.mariadb, parseVersion(tt.version), 30*time.Second)
		if p[tt.readOnly] != "1" || p[tt.limit] == "" || p["lock_wait_timeout"] != "30" || len(p) != 4 {
			t.Errorf("%s: %v", tt.version, p)
		}
	}
	if v := parseVersion("10.11.6-MariaDB"); v != [3]int{10, 11, 6} {
		t.Errorf("parseVersion = %v", v)
	}
}

// rawBytes must give what database/sql's Scan into a RawBytes gives for every type the driver returns.
func TestRawBytesIsWhatDatabaseSQLGives(t *testing.T) {
	values := []driver.Value{nil, []byte("Jane"), []byte{}, int64(0), int64(-42), int64(1 << 62), uint64(1<<64 - 1),
		float32(0.1), float32(-3.25e10), float64(0.1), float64(1e21), float64(-0.0)}
	var num []byte
	for _, v := range values {
		var want sql.RawBytes
		if err := convertLikeDatabaseSQL(&want, v); err != nil {
			t.Fatal(err)
		}
		got, next, err := rawBytes(v, num)
		num = next
		if err != nil || string(got) != string(want) || (got == nil) != (want == nil) {
			t.Errorf("rawBytes(%T %v) = %q (nil %v), %v; want %q (nil %v)", v, v, got, got == nil, err, want, want == nil)
		}
	}
	if _, _, err := rawBytes(true, nil); err == nil {
		t.Error("rawBytes(bool): want an error for a type the driver never gives")
	}
}

// convertLikeDatabaseSQL scans v into dst through database/sql's own conversion, by a one-row fake driver.
func convertLikeDatabaseSQL(dst *sql.RawBytes, v driver.Value) error {
	db := sql.OpenDB(fakeConnector{value: v})
	defer db.Close()
	rows, err := db.Query("SELECT")
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		return errors.New("no row")
	}
	var raw sql.RawBytes
	if err := rows.Scan(&raw); err != nil {
		return err
	}
	if raw != nil {
		*dst = append(sql.RawBytes{}, raw...)
	}
	return nil
}

type oneValueRows struct {
	v    driver.Value
	done bool
}

func (*oneValueRows) Columns() []string { return []string{"v"} }
func (*oneValueRows) Close() error      { return nil }
func (r *oneValueRows) Next(dest []driver.Value) error {
	if r.done {
		return io.EOF
	}
	r.done = true
	dest[0] = r.v
	return nil
}

// A direct read runs inside database/sql's Conn.Raw while the session's transaction holds the Conn: a panic or
// a bad connection let out of Raw would make it wait for that transaction for ever.
func TestDirectReadNeverHangsTheSession(t *testing.T) {
	run := func(t *testing.T, queryErr error, fn func([]sql.RawBytes) error) (err error, panicked any) {
		t.Helper()
		db := sql.OpenDB(fakeConnector{value: []byte("x"), queryErr: queryErr})
		defer db.Close()
		ctx := context.Background()
		conn, cerr := db.Conn(ctx)
		if cerr != nil {
			t.Fatal(cerr)
		}
		tx, cerr := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if cerr != nil {
			t.Fatal(cerr)
		}
		ss := &session{conn: conn, tx: tx, opt: Options{StatementTimeout: time.Second}}
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer func() {
				panicked = recover()
				ss.end(false)
			}()
			err = ss.query(ctx, "SELECT 1", fn)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("the session hung")
		}
		return err, panicked
	}
	t.Run("a panic in the callback reaches the caller, and the session ends", func(t *testing.T) {
		_, p := run(t, nil, func([]sql.RawBytes) error { panic("bug") })
		if p != "bug" {
			t.Errorf("recovered %v, want the callback's panic", p)
		}
	})
	t.Run("a bad connection is an error that says the connection was lost", func(t *testing.T) {
		err, p := run(t, driver.ErrBadConn, func([]sql.RawBytes) error { return nil })
		if p != nil || err == nil || !lost(err) {
			t.Errorf("query = %v (panic %v), want an error lost() knows", err, p)
		}
	})
	t.Run("an error from the callback is returned as it is", func(t *testing.T) {
		stop := errors.New("stop")
		err, _ := run(t, nil, func([]sql.RawBytes) error { return stop })
		if err != stop {
			t.Errorf("query = %v, want the callback's error", err)
		}
	})
}

// fakeConnector's connections answer every query with one row of one value, or fail it with queryErr; they
// note every statement executed and every rollback in log, when there is one.
type fakeConnector struct {
	value    driver.Value
	queryErr error
	log      *fakeLog
}

type fakeLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *fakeLog) add(s string) {
	if l != nil {
		l.mu.Lock()
		l.lines = append(l.lines, s)
		l.mu.Unlock()
	}
}

func (f fakeConnector) Connect(context.Context) (driver.Conn, error) { return fakeConn(f), nil }
func (fakeConnector) Driver() driver.Driver                          { return nil }

type fakeConn fakeConnector

func (fakeConn) Prepare(string) (driver.Stmt, error) { return nil, errors.New("no prepare") }
func (fakeConn) Close() error                        { return nil }
func (c fakeConn) Begin() (driver.Tx, error)         { return fakeTx(c), nil }
func (c fakeConn) BeginTx(context.Context, driver.TxOptions) (driver.Tx, error) {
	return fakeTx(c), nil
}
func (c fakeConn) ExecContext(_ context.Context, q string, _ []driver.NamedValue) (driver.Result, error) {
	c.log.add(q)
	return driver.ResultNoRows, nil
}
func (c fakeConn) QueryContext(context.Context, string, []driver.NamedValue) (driver.Rows, error) {
	if c.queryErr != nil {
		return nil, c.queryErr
	}
	return &oneValueRows{v: c.value}, nil
}

type fakeTx fakeConnector

func (fakeTx) Commit() error     { return nil }
func (t fakeTx) Rollback() error { t.log.add("ROLLBACK"); return nil }

func TestConverterHandsBackAPanicAndKeepsTakingRows(t *testing.T) {
	c := startConverter(&builder{}) // no columns: putting a value panics
	done := make(chan any)
	go func() {
		for range 10 { // more batches than the channel holds: the reader must not block
			c.send(&batch{cells: []string{"x"}})
		}
		done <- c.wait()
	}()
	select {
	case p := <-done:
		if p == nil {
			t.Error("wait returned no panic")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the reader blocked on a converter that had panicked")
	}
}

func TestStaleSessionEndsWhenTheCountPanics(t *testing.T) {
	log := &fakeLog{}
	s := &Source{db: sql.OpenDB(fakeConnector{value: []byte("x"), log: log}), opt: Options{StatementTimeout: time.Second}}
	defer s.db.Close()
	func() {
		defer func() {
			if r := recover(); r != "bug" {
				t.Errorf("recovered %v, want the count's panic", r)
			}
		}()
		s.utc(context.Background(), func(ss *session) error { panic("bug") })
	}()
	if n := s.db.Stats().InUse; n != 0 {
		t.Errorf("%d connections still in use: the session kept its connection", n)
	}
	got := strings.Join(log.lines, "; ")
	if want := "SET time_zone = '+00:00'; SET time_zone = @@GLOBAL.time_zone; ROLLBACK"; got != want {
		t.Errorf("statements %q, want %q: the time zone restored and the transaction rolled back", got, want)
	}
}
