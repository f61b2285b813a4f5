// Package mysql scans MySQL and MariaDB databases: every base table, system-versioned table and view the
// user can see in information_schema (the system schemas mysql, information_schema, performance_schema and
// sys skipped; only the DSN's database when it names one), with column types, comments and row estimates.
//
// Sampling is pushed down and its cost stays flat as a table grows. A table with a single-column integer
// primary key whose key range is wider than five times the sample, or a large table with another key or index
// (a string key such as a UUID or a code, a composite key, a unique index, or an index with many distinct
// values, on an integer, string or date column), is cut by random starts (seeded) between MIN and MAX of the
// key's leading column into disjoint ranges, read in a random order, each an index range scan of at most 100
// rows (leadRanges). Smaller tables are read whole, at most five times the sample size, and sampled uniformly on
// the client; a keyed table the catalogue calls small is read so straight away, and cut by its key only if that
// read finds five samples' worth of rows after all (MySQL 8 shows estimates up to a day old). A large table with no usable index cannot be sampled through one: it is read up to five times
// the sample size in storage order and sampled from that, so its sample comes from its first rows only.
// Views are read up to the sample size.
//
// Every query runs on a dedicated connection in a READ ONLY session and a START TRANSACTION READ ONLY
// transaction, under max_statement_time (MariaDB) or max_execution_time (MySQL) and lock_wait_timeout, and
// the connection carries the attribute program_name=datamap. Binary columns (BLOB, BINARY, VARBINARY, BIT,
// spatial types) are listed but never read; values that are not valid UTF-8 are skipped. JSON columns
// (MySQL's JSON type, MariaDB's LONGTEXT with a json_valid check) and text values holding a JSON object are
// flattened into sub-fields "col.key.sub". A JSON column is flattened for every sampled row; a text column
// keeps every value whole and flattens at most 1,000 of them into sub-fields, every k-th row of the sample
// so they come from all of it (classifying a sub-field needs far fewer values than a whole sample).
//
// Rows are turned into column values on a second goroutine while the next rows and statements are read, so
// the conversion overlaps the server's work; values are cut from one string per batch of rows rather than
// allocated one by one.
//
// MySQL hides from information_schema the tables on which the user has no privilege at all, so those cannot
// be listed or reported; a table the user holds some other privilege on (but not SELECT) is listed and
// reported permission_denied.
package mysql

import (
	"cmp"
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	driver "github.com/go-sql-driver/mysql"

	"github.com/datamap-uk/datamap/scanner"
)

// Options bound what a scan of one database may cost (scanner.DBOptions).
type Options = scanner.DBOptions

// Source is one MySQL or MariaDB server, or one database on it.
type Source struct {
	name     string
	cfg      *driver.Config
	opt      Options
	scrub    scrubber
	location string

	mu      sync.Mutex // guards the fields below
	db      *sql.DB
	mariadb bool
	version [3]int // major, minor, patch of the server
	tables  map[string]*table

	// afterBegin runs inside every sampling transaction; tests use it to prove the session is read only.
	afterBegin func(ctx context.Context, tx *sql.Tx) error
	// trace sees every sampling statement; the benchmark replays them to time the server alone.
	trace func(q string)
}

type table struct {
	schema, name string
	view         bool
	rows         int64 // information_schema's estimate
	size         int64
	cols         []column
	pk           int // index in cols of a single-column integer primary key, or -1
	// lead is the index in cols of the leading column of the primary key or of another index (an integer, a
	// string or a date), by which a table without such a pk is sampled in ranges; -1 when there is none (or
	// it is not needed: the table has pk, or is small enough to be read whole).
	lead int
}

type column struct {
	name, dataType, colType, comment string
	key                              string
	collation                        string // of a character column
	binary, json, notNull            bool
}

// New parses dsn; it does not connect. The error never holds the DSN or its password.
func New(name, dsn string, opt Options) (*Source, error) {
	opt, err := opt.WithDefaults()
	if err != nil {
		return nil, fmt.Errorf("mysql: %w", err)
	}
	cfg, err := parseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("mysql: %w", err)
	}
	prepare(cfg, opt.StatementTimeout)
	return &Source{name: name, cfg: cfg, opt: opt, scrub: newScrubber(dsn, cfg), location: redact(cfg)}, nil
}

// Info implements scanner.Source.
func (s *Source) Info() scanner.SourceInfo {
	return scanner.SourceInfo{Name: s.name, Kind: "mysql", Location: s.location}
}

// Close implements scanner.Source.
func (s *Source) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	return err
}

// connect opens the pool on first use. It first learns whether the server is MariaDB, whose statement timeout
// and read-only variable have other names, then opens the pool whose every connection, when it is made, sets
// the read-only session and the timeouts (sessionParams): once a connection, not once a table.
func (s *Source) connect(ctx context.Context) (*sql.DB, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db != nil {
		return s.db, nil
	}
	cctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout+s.opt.StatementTimeout)
	defer cancel()
	probe, err := s.open(s.cfg, 1)
	if err != nil {
		return nil, err
	}
	var version string
	err = probe.QueryRowContext(cctx, "SELECT VERSION()").Scan(&version)
	probe.Close()
	if err != nil {
		return nil, s.scrub.errorf("cannot connect to %s: %w", s.location, err)
	}
	s.mariadb, s.version = strings.Contains(strings.ToLower(version), "mariadb"), parseVersion(version)
	cfg := s.cfg.Clone()
	cfg.Params = sessionParams(s.mariadb, s.version, s.opt.StatementTimeout)
	if s.db, err = s.open(cfg, s.opt.MaxConns); err != nil {
		return nil, err
	}
	return s.db, nil
}

// open returns a pool of at most conns connections made with cfg.
func (s *Source) open(cfg *driver.Config, conns int) (*sql.DB, error) {
	conn, err := driver.NewConnector(cfg)
	if err != nil {
		return nil, s.scrub.errorf("mysql: %w", err)
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(time.Minute)
	return db, nil
}

// sessionParams are the variables the driver SETs on every new connection: a read-only session and the
// statement and lock timeouts. (DSN parameters of the user's own are refused by checkParams, so these are
// all there are.)
func sessionParams(mariadb bool, version [3]int, timeout time.Duration) map[string]string {
	secs := strconv.FormatInt(max(1, int64(timeout.Round(time.Second)/time.Second)), 10)
	p := map[string]string{"lock_wait_timeout": secs, "innodb_lock_wait_timeout": secs}
	switch {
	case mariadb:
		p["tx_read_only"] = "1" // MariaDB before 11.1 knows only the old name
		p["max_statement_time"] = strconv.FormatFloat(timeout.Seconds(), 'f', 3, 64)
	case atLeast(version, 5, 7, 20):
		p["transaction_read_only"] = "1"
		p["max_execution_time"] = strconv.FormatInt(timeout.Milliseconds(), 10)
	default: // MySQL 5.7.8 to 5.7.19 know only the old name
		p["tx_read_only"] = "1"
		p["max_execution_time"] = strconv.FormatInt(timeout.Milliseconds(), 10)
	}
	return p
}

// parseVersion reads "10.11.6-MariaDB-0+deb12u1" or "8.0.36" as its first three numbers.
func parseVersion(v string) [3]int {
	var out [3]int
	for i := range out {
		j := 0
		for j < len(v) && v[j] >= '0' && v[j] <= '9' {
			j++
		}
		out[i], _ = strconv.Atoi(v[:j])
		if j == len(v) || v[j] != '.' {
			break
		}
		v = v[j+1:]
	}
	return out
}

func atLeast(v [3]int, major, minor, patch int) bool {
	return slices.Compare(v[:], []int{major, minor, patch}) >= 0
}

// session is one dedicated connection in a read-only transaction under the statement timeout.
//
// The connection's session is read only too (sessionParams), which would make each statement a read-only
// transaction by itself and save the START TRANSACTION and COMMIT round trips (about a twentieth of a scan of
// many small tables; measured, and not taken): a proxy in front of the server (ProxySQL multiplexing) may run
// statements on backend connections that never saw the session's SETs, while a transaction is read only
// whatever the session says and keeps the proxy on one backend until it ends.
type session struct {
	conn  *sql.Conn
	tx    *sql.Tx
	opt   Options
	trace func(q string)
}

func (s *Source) begin(ctx context.Context) (*session, error) {
	db, err := s.connect(ctx)
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		conn.Close()
		return nil, err
	}
	ss := &session{conn: conn, tx: tx, opt: s.opt, trace: s.trace}
	if s.afterBegin != nil {
		if err := s.afterBegin(ctx, tx); err != nil {
			ss.end(false)
			return nil, err
		}
	}
	return ss, nil
}

// end commits (nothing was written: it only closes the snapshot) or rolls back, and returns the connection.
func (ss *session) end(ok bool) error {
	var err error
	if ok {
		err = ss.tx.Commit()
	} else {
		ss.tx.Rollback()
	}
	ss.conn.Close()
	return err
}

// query runs q and calls fn for each row with the raw column bytes, valid only during the call. The server's
// statement timeout is backed by a client deadline a little later, for a server that stops answering. An
// error from fn stops the query and is returned as it is.
//
// A statement without arguments (every sampling statement) is read from the driver directly, in the session's
// transaction on the same connection: database/sql's Rows would lock, convert and copy every value once more
// on its way to fn (about a twentieth of a scan's CPU). Statements with arguments go through database/sql,
// which prepares them.
func (ss *session) query(ctx context.Context, q string, fn func(row []sql.RawBytes) error, args ...any) error {
	if ss.trace != nil {
		ss.trace(q)
	}
	qctx, cancel := context.WithTimeout(ctx, ss.opt.StatementTimeout+5*time.Second)
	defer cancel()
	if len(args) > 0 {
		return ss.prepared(ctx, qctx, q, fn, args)
	}
	var stopped error // fn's
	var panicked any
	err := ss.conn.Raw(func(dc any) (err error) {
		// Raw must not see a panic or driver.ErrBadConn: either makes it close the Conn, which waits for the
		// session's transaction to let go of it, and the transaction is only ended after this returns. A panic
		// is carried out and raised again; a bad connection becomes errBadConn, and ending the session discards
		// the connection.
		defer func() {
			if r := recover(); r != nil {
				panicked, err = r, errors.New("panicked")
			}
			if errors.Is(err, sqldriver.ErrBadConn) {
				err = errBadConn
			}
		}()
		return readRaw(qctx, dc, q, fn, &stopped)
	})
	if panicked != nil {
		panic(panicked)
	}
	if stopped != nil {
		return stopped
	}
	return clientTimeout(ctx, qctx, err)
}

// errBadConn stands for driver.ErrBadConn out of a direct read (see query).
var errBadConn = errors.New("the connection to the server can no longer be used")

// readRaw runs q on the driver connection dc and calls fn for each row; an error from fn stops it and is
// kept in stopped.
func readRaw(ctx context.Context, dc any, q string, fn func(row []sql.RawBytes) error, stopped *error) error {
	qc, ok := dc.(sqldriver.QueryerContext)
	if !ok {
		return errors.New("the MySQL driver cannot run queries directly") // not reached: go-sql-driver can
	}
	rows, err := qc.QueryContext(ctx, q, nil)
	if err != nil {
		return err
	}
	defer rows.Close()
	dest := make([]sqldriver.Value, len(rows.Columns()))
	raw := make([]sql.RawBytes, len(dest))
	var num []byte // numbers the driver parsed, as text again
	for {
		if err := rows.Next(dest); err != nil {
			if err == io.EOF {
				return rows.Close()
			}
			return err
		}
		num = num[:0]
		for i, v := range dest {
			if raw[i], num, err = rawBytes(v, num); err != nil {
				return err
			}
		}
		if *stopped = fn(raw); *stopped != nil {
			return nil
		}
	}
}

// rawBytes is v as the text the server sent, as database/sql would give it for a RawBytes. The text protocol
// gives bytes, except that the driver parses integers and floats (and dates, with parseTime, which datamap
// never sets): those are formatted again into num.
func rawBytes(v sqldriver.Value, num []byte) (sql.RawBytes, []byte, error) {
	start := len(num)
	switch v := v.(type) {
	case nil:
		return nil, num, nil
	case []byte:
		return v, num, nil
	case int64:
		num = strconv.AppendInt(num, v, 10)
	case uint64:
		num = strconv.AppendUint(num, v, 10)
	case float32:
		num = strconv.AppendFloat(num, float64(v), 'g', -1, 32)
	case float64:
		num = strconv.AppendFloat(num, v, 'g', -1, 64)
	default:
		return nil, num, fmt.Errorf("unexpected %T from the MySQL driver", v)
	}
	return num[start:len(num):len(num)], num, nil
}

// prepared runs a statement with arguments through database/sql.
func (ss *session) prepared(ctx, qctx context.Context, q string, fn func(row []sql.RawBytes) error, args []any) error {
	rows, err := ss.tx.QueryContext(qctx, q, args...)
	if err != nil {
		return clientTimeout(ctx, qctx, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return clientTimeout(ctx, qctx, err)
	}
	raw := make([]sql.RawBytes, len(cols))
	dest := make([]any, len(cols))
	for i := range raw {
		dest[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return clientTimeout(ctx, qctx, err)
		}
		if err := fn(raw); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return clientTimeout(ctx, qctx, err)
	}
	return clientTimeout(ctx, qctx, rows.Close())
}

// clientTimeout tells our own deadline firing (a timeout) from the caller's context ending (a cancellation).
func clientTimeout(parent, qctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if parent.Err() == nil && qctx.Err() != nil {
		return fmt.Errorf("%w: %w", errTimeout, err)
	}
	return err
}

var systemSchemas = []string{"mysql", "information_schema", "performance_schema", "sys"}

// Units implements scanner.Source. It reads the whole catalogue first and only then hands out units, so no
// connection is held while the pipeline waits for a free worker.
func (s *Source) Units(ctx context.Context, fn func(scanner.Unit) error) error {
	ss, err := s.begin(ctx)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		return s.scrub.errorf("list tables of %s: %w", s.location, err)
	}
	tables, err := s.list(ctx, ss)
	if err != nil {
		ss.end(false)
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		return s.scrub.errorf("list tables of %s: %w", s.location, err)
	}
	ss.end(true)
	s.mu.Lock()
	s.tables = map[string]*table{}
	for _, t := range tables {
		s.tables[t.schema+"."+t.name] = t
	}
	s.mu.Unlock()
	for _, t := range tables {
		if err := fn(scanner.Unit{Name: t.schema + "." + t.name, Size: t.size}); err != nil {
			return err
		}
	}
	return nil
}

// list reads the catalogue. Tables and columns are read on ss; MariaDB's JSON checks and the indexes, which
// only refine that, are read at the same time on a second connection when the pool allows one (it is the one
// sampling uses next, so its set-up is off the scan's path too): information_schema is slow to answer, and
// the listing is time during which nothing else runs. A server that refuses the second connection (a user
// limited to one) gets them after, on ss.
func (s *Source) list(ctx context.Context, ss *session) ([]*table, error) {
	where := "TABLE_SCHEMA NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')"
	var args []any
	if s.cfg.DBName != "" {
		where = "TABLE_SCHEMA = ?"
		args = append(args, s.cfg.DBName)
	}
	s.mu.Lock()
	mariadb := s.mariadb
	s.mu.Unlock()
	var cat refinements
	read := false // the second connection read them
	var wg sync.WaitGroup
	if s.opt.MaxConns > 1 {
		octx, cancel := context.WithCancel(ctx)
		defer wg.Wait()
		defer cancel() // first: the refinements are not needed when the tables cannot be listed
		wg.Go(func() {
			other, err := s.begin(octx)
			if err != nil {
				return
			}
			cat = s.refinements(octx, other, where, args, mariadb, true)
			other.end(cat.indexErr == nil)
			read = true
		})
	}
	tables, byName, err := s.tablesAndColumns(ctx, ss, where, args)
	if err != nil {
		return nil, err
	}
	wg.Wait()
	keyless := false
	for _, t := range tables {
		t.pk = intPrimaryKey(t.cols)
		keyless = keyless || t.needsLead(s.opt.SampleRows)
	}
	if !read {
		cat = s.refinements(ctx, ss, where, args, mariadb, keyless)
	}
	for _, c := range cat.json {
		if t := byName[[2]string{c.schema, c.table}]; t != nil {
			for i := range t.cols {
				if t.cols[i].name == c.column {
					t.cols[i].json = true
				}
			}
		}
	}
	// Indexes are only an optimisation of sampling: a catalogue that will not say leaves every table to the
	// bounded read.
	if cat.indexErr != nil && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	s.chooseLeads(byName, cat.indexes)
	sort.Slice(tables, func(i, j int) bool {
		if tables[i].schema != tables[j].schema {
			return tables[i].schema < tables[j].schema
		}
		return tables[i].name < tables[j].name
	})
	return tables, nil
}

// tablesAndColumns reads the tables and views the user may see, and their columns.
func (s *Source) tablesAndColumns(ctx context.Context, ss *session, where string, args []any) ([]*table, map[[2]string]*table, error) {
	byName := map[[2]string]*table{}
	var tables []*table
	err := ss.query(ctx, "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, COALESCE(TABLE_ROWS, 0), COALESCE(DATA_LENGTH, 0) "+
		"FROM information_schema.TABLES WHERE TABLE_TYPE IN ('BASE TABLE', 'VIEW', 'SYSTEM VERSIONED') AND "+where,
		func(r []sql.RawBytes) error {
			t := &table{schema: string(r[0]), name: string(r[1]), view: string(r[2]) == "VIEW", pk: -1, lead: -1}
			t.rows, _ = strconv.ParseInt(string(r[3]), 10, 64)
			t.size, _ = strconv.ParseInt(string(r[4]), 10, 64)
			if isSystem(t.schema) || !s.selected(t.schema+"."+t.name) {
				return nil
			}
			byName[[2]string{t.schema, t.name}] = t
			tables = append(tables, t)
			return nil
		}, args...)
	if err != nil {
		return nil, nil, err
	}
	err = ss.query(ctx, "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, COALESCE(COLUMN_COMMENT, ''), COLUMN_KEY, COALESCE(COLLATION_NAME, ''), IS_NULLABLE "+
		"FROM information_schema.COLUMNS WHERE "+where+" ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION",
		func(r []sql.RawBytes) error {
			t := byName[[2]string{string(r[0]), string(r[1])}]
			if t == nil {
				return nil
			}
			c := column{name: string(r[2]), dataType: strings.ToLower(string(r[3])), colType: string(r[4]), comment: string(r[5]), key: string(r[6]),
				collation: strings.ToLower(string(r[7])), notNull: string(r[8]) == "NO"}
			c.binary = binaryType(c.dataType)
			c.json = c.dataType == "json"
			t.cols = append(t.cols, c)
			return nil
		}, args...)
	if err != nil {
		return nil, nil, err
	}
	return tables, byName, nil
}

// refinements are what the catalogue says beyond tables and columns.
type refinements struct {
	json     []jsonCheck // MariaDB's JSON columns
	indexes  []index
	indexErr error
}

type jsonCheck struct{ schema, table, column string }

// index is one B-tree index, described by its leading column.
type index struct {
	schema, table   string
	column          string // the leading column
	primary, unique bool
	columns         int
	distinct        int64 // the leading column's cardinality
	prefix          bool  // the leading column is indexed by a prefix of it
}

// refinements reads MariaDB's JSON checks (when mariadb) and the indexes the optimiser may use (when
// withIndexes). Neither is needed to scan: a failure leaves JSON to be found from the values, and tables to the
// bounded read.
func (s *Source) refinements(ctx context.Context, ss *session, where string, args []any, mariadb, withIndexes bool) refinements {
	var out refinements
	if mariadb {
		// MariaDB's JSON is LONGTEXT with a json_valid check named after the column. The table is missing on
		// old servers.
		where := strings.ReplaceAll(where, "TABLE_SCHEMA", "CONSTRAINT_SCHEMA")
		ss.query(ctx, "SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "+
			"WHERE CHECK_CLAUSE LIKE 'json_valid(%' AND "+where,
			func(r []sql.RawBytes) error {
				if col, ok := jsonValidColumn(string(r[2])); ok {
					out.json = append(out.json, jsonCheck{schema: string(r[0]), table: string(r[1]), column: col})
				}
				return nil
			}, args...)
	}
	if withIndexes {
		out.indexes, out.indexErr = s.indexes(ctx, ss, where, args)
	}
	return out
}

// indexes lists the B-tree indexes the optimiser may use (not hash, invisible or ignored ones).
func (s *Source) indexes(ctx context.Context, ss *session, where string, args []any) ([]index, error) {
	s.mu.Lock()
	mariadb, version := s.mariadb, s.version
	s.mu.Unlock()
	usable := "INDEX_TYPE = 'BTREE'"
	switch {
	case mariadb && atLeast(version, 10, 6, 0):
		usable += " AND IGNORED = 'NO'"
	case !mariadb && atLeast(version, 8, 0, 0):
		usable += " AND IS_VISIBLE = 'YES'"
	}
	var out []index
	err := ss.query(ctx, "SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, MIN(NON_UNIQUE), COUNT(*), "+
		"MAX(CASE WHEN SEQ_IN_INDEX = 1 THEN COLUMN_NAME END), MAX(CASE WHEN SEQ_IN_INDEX = 1 THEN COALESCE(CARDINALITY, 0) END), "+
		"MAX(CASE WHEN SEQ_IN_INDEX = 1 THEN COALESCE(SUB_PART, 0) END) "+
		"FROM information_schema.STATISTICS WHERE "+usable+" AND "+where+" GROUP BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME",
		func(r []sql.RawBytes) error {
			ix := index{schema: string(r[0]), table: string(r[1]), column: string(r[5]), primary: string(r[2]) == "PRIMARY",
				unique: string(r[3]) == "0", prefix: string(r[7]) != "0"}
			ix.columns, _ = strconv.Atoi(string(r[4]))
			ix.distinct, _ = strconv.ParseInt(string(r[6]), 10, 64)
			out = append(out, ix)
			return nil
		}, args...)
	return out, err
}

// chooseLeads sets lead for the tables that need one: the leading column of the primary key, else of a unique
// index, else of the index with the most distinct values. The column must be NOT NULL (rows with NULL would
// never be sampled), an integer, a date or a string in a collation whose order leadRanges' starts follow, and
// unless the index is unique on that one column, its leading column must have enough distinct values for the
// ranges (a composite key led by a handful of tenants, a status code) to come back full. A prefix index cannot
// give rows in the column's order.
func (s *Source) chooseLeads(byName map[[2]string]*table, indexes []index) {
	candidates := map[*table][]index{}
	for _, ix := range indexes {
		t := byName[[2]string{ix.schema, ix.table}]
		if t != nil && t.needsLead(s.opt.SampleRows) && !ix.prefix {
			candidates[t] = append(candidates[t], ix)
		}
	}
	minDistinct := int64(leadRangesPer * chunks(s.opt.SampleRows))
	for t, ixs := range candidates {
		slices.SortStableFunc(ixs, func(a, b index) int {
			switch {
			case a.primary != b.primary:
				return boolOrder(a.primary)
			case a.unique != b.unique:
				return boolOrder(a.unique)
			}
			return cmp.Compare(b.distinct, a.distinct)
		})
		for _, ix := range ixs {
			if !(ix.unique && ix.columns == 1) && ix.distinct < minDistinct {
				continue
			}
			if i := slices.IndexFunc(t.cols, func(c column) bool { return c.name == ix.column }); i >= 0 && t.cols[i].notNull && leadType(t.cols[i]) {
				t.lead = i
				break
			}
		}
	}
}

func isSystem(schema string) bool {
	for _, s := range systemSchemas {
		if strings.EqualFold(schema, s) {
			return true
		}
	}
	return false
}

// selected applies include then exclude globs to "schema.table".
func (s *Source) selected(name string) bool {
	return s.opt.Selected(name)
}

func binaryType(dataType string) bool {
	switch dataType {
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "bit",
		"geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
		"geometrycollection", "geomcollection":
		return true
	}
	return false
}

func intType(dataType string) bool {
	switch dataType {
	case "tinyint", "smallint", "mediumint", "int", "integer", "bigint":
		return true
	}
	return false
}

func textType(dataType string) bool {
	switch dataType {
	case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "json":
		return true
	}
	return false
}

// asciiType: the text protocol sends numbers, dates and times as ASCII digits and punctuation, so their values
// need no UTF-8 check. (BIT sends raw bytes, and is not one of them.)
func asciiType(dataType string) bool {
	switch dataType {
	case "tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "float", "double",
		"date", "datetime", "timestamp", "time", "year":
		return true
	}
	return false
}

// needsLead: t is a large table without a single-column integer primary key, which only a leading key
// column can sample without reading its first rows.
func (t *table) needsLead(n int) bool {
	return !t.view && t.pk < 0 && t.rows >= int64(smallFactor*n)
}

// boolOrder sorts true first.
func boolOrder(first bool) int {
	if first {
		return -1
	}
	return 1
}

// leadType: leadRanges can draw starts for c: an integer, a date, or a string whose collation orders the
// starts' characters (digits, then one case of letters) as bytes do. Collations with contractions or
// language rules ("aa" after "z" in Danish, "ch" in Czech) are left out: their ranges could overlap.
func leadType(c column) bool {
	switch {
	case intType(c.dataType), dateType(c.dataType):
		return true
	case c.dataType != "char" && c.dataType != "varchar":
		return false
	}
	_, rest, _ := strings.Cut(c.collation, "_")
	switch rest {
	case "bin", "nopad_bin", "general_ci", "general_cs", "general_nopad_ci", "unicode_ci", "unicode_nopad_ci",
		"unicode_520_ci", "unicode_520_nopad_ci", "0900_ai_ci", "0900_as_ci", "0900_as_cs", "0900_bin",
		"uca1400_ai_ci", "uca1400_ai_cs", "uca1400_as_ci", "uca1400_as_cs", "uca1400_nopad_ai_ci",
		"uca1400_nopad_ai_cs", "uca1400_nopad_as_ci", "uca1400_nopad_as_cs":
		return true
	}
	return c.collation == "latin1_swedish_ci"
}

// unsigned: c is an UNSIGNED integer column.
func (c column) unsigned() bool { return strings.Contains(strings.ToLower(c.colType), "unsigned") }

func dateType(dataType string) bool {
	return dataType == "date" || dataType == "datetime" || dataType == "timestamp"
}

// intPrimaryKey returns the index of the table's primary key column when the key is one integer column.
func intPrimaryKey(cols []column) int {
	pk := -1
	for i, c := range cols {
		if c.key != "PRI" {
			continue
		}
		if pk >= 0 {
			return -1 // a composite key
		}
		pk = i
	}
	if pk >= 0 && !intType(cols[pk].dataType) {
		return -1
	}
	return pk
}

// jsonValidColumn extracts col from MariaDB's check clause "json_valid(`col`)".
func jsonValidColumn(clause string) (string, bool) {
	rest, ok := strings.CutPrefix(clause, "json_valid(`")
	if !ok {
		return "", false
	}
	name, ok := strings.CutSuffix(rest, "`)")
	if !ok {
		return "", false
	}
	name = strings.ReplaceAll(name, "``", "`")
	return name, name != ""
}

// quote quotes an identifier with backticks, doubling any backtick inside it.
func quote(ident string) string {
	return "`" + strings.ReplaceAll(ident, "`", "``") + "`"
}

// seed derives a per-table seed so each table's sample is reproducible on its own, whatever the order tables
// are sampled in.
func (s *Source) seed(name string) (uint64, uint64) {
	h := fnv.New64a()
	h.Write([]byte(name))
	return s.opt.Seed, h.Sum64()
}

var errUnknownTable = errors.New("the table was not listed by this source")
