// Package sqlite scans an SQLite database file through the pure-Go modernc.org/sqlite driver. The file is
// opened read-only and immutable, and every connection is also set to query_only, so nothing can be written
// to it, not even a journal. Tables are sampled by random rowid ranges so the cost stays flat as they grow.
//
// Immutable means SQLite neither locks the file nor reads a write-ahead log beside it: rows still only in a
// -wal file are not seen, and a file another program is writing during the scan may read as damaged (its
// tables are then reported corrupt, never written to or repaired).
package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	sqlitedrv "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/datamap-uk/datamap/scanner"
)

// Options bound what a scan of one database may cost (scanner.DBOptions).
type Options = scanner.DBOptions

const (
	// busyTimeoutMS only matters if another process holds an exclusive lock the immutable open still meets.
	busyTimeoutMS = 5000
)

// magic is the first 16 bytes of every SQLite 3 database file.
var magic = []byte("SQLite format 3\x00")

// Source is one SQLite database file.
type Source struct {
	name string
	path string
	opt  Options

	mu  sync.Mutex
	db  *sql.DB
	err error
}

// New returns a source for the database file at dsn: a file path, or a sqlite:// or file: URL. It opens
// nothing yet. Query parameters of a URL are dropped: the connector always sets its own read-only ones.
func New(name, dsn string, opt Options) (*Source, error) {
	opt, err := opt.WithDefaults()
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	p, err := filePath(dsn)
	if err != nil {
		return nil, err
	}
	if name == "" {
		name = dsn
	}
	return &Source{name: name, path: p, opt: opt}, nil
}

// filePath turns a DSN into a file path.
func filePath(dsn string) (string, error) {
	p := dsn
	lower := strings.ToLower(dsn)
	isURL := false
	switch {
	case strings.HasPrefix(lower, "sqlite://"):
		p, isURL = dsn[len("sqlite://"):], true
	case strings.HasPrefix(lower, "sqlite:"):
		p, isURL = dsn[len("sqlite:"):], true
	case strings.HasPrefix(lower, "file://"):
		p, isURL = dsn[len("file://"):], true
		// file://host/path: only an empty host or localhost names this machine.
		if strings.HasPrefix(strings.ToLower(p), "localhost/") {
			p = p[len("localhost"):]
		} else if !strings.HasPrefix(p, "/") && p != "" {
			return "", errors.New("sqlite: file URL names another host; give a local path")
		}
	case strings.HasPrefix(lower, "file:"):
		p, isURL = dsn[len("file:"):], true
	}
	if isURL {
		if i := strings.IndexAny(p, "?#"); i >= 0 {
			p = p[:i]
		}
		u, err := url.PathUnescape(p)
		if err != nil {
			return "", errors.New("sqlite: bad percent-escape in the database URL")
		}
		p = u
		// sqlite:///C:/x.db on Windows: drop the slash before the drive letter.
		if len(p) > 3 && p[0] == '/' && p[2] == ':' && filepath.VolumeName(p[1:]) != "" {
			p = p[1:]
		}
	}
	if p == "" {
		return "", errors.New("sqlite: no database file given")
	}
	if p == ":memory:" || strings.HasPrefix(p, ":memory:") {
		return "", errors.New("sqlite: an in-memory database has nothing to scan")
	}
	return filepath.FromSlash(p), nil
}

// readOnlyDSN is the driver DSN: SQLite's own URI parameters open the file read-only and immutable (no
// locks, no journal, no WAL replay), and the driver runs query_only on every new connection of the pool.
func readOnlyDSN(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("sqlite: resolve database path: %w", err)
	}
	s := filepath.ToSlash(abs)
	if filepath.VolumeName(abs) != "" && !strings.HasPrefix(s, "/") {
		s = "/" + s // file:/C:/x.db
	}
	// In a URI, %, ? and # are syntax; anything else may stand as it is.
	s = strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(s)
	return fmt.Sprintf("file:%s?mode=ro&immutable=1&_pragma=busy_timeout(%d)&_pragma=query_only(1)", s, busyTimeoutMS), nil
}

// Info implements scanner.Source.
func (s *Source) Info() scanner.SourceInfo {
	loc, err := filepath.Abs(s.path)
	if err != nil {
		loc = s.path
	}
	return scanner.SourceInfo{Name: s.name, Kind: "sqlite", Location: filepath.ToSlash(loc)}
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
	s.err = errors.New("sqlite: source closed")
	return err
}

// conn opens the database on first use and remembers a failure so every caller sees the same one.
func (s *Source) conn(ctx context.Context) (*sql.DB, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db != nil || s.err != nil {
		return s.db, s.err
	}
	db, err := open(ctx, s.path, s.opt)
	if err != nil {
		s.err = err
		return nil, err
	}
	s.db = db
	return db, nil
}

// open checks the file is an SQLite database and opens it read-only. Checking the header first gives a
// clear reason for the common failures (an encrypted or truncated file, another format under a .db name).
func open(ctx context.Context, p string, opt Options) (*sql.DB, error) {
	f, err := os.Open(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errors.New("sqlite: database file does not exist")
		}
		if errors.Is(err, fs.ErrPermission) {
			return nil, errors.New("sqlite: permission denied opening the database file")
		}
		return nil, fmt.Errorf("sqlite: open database file: %w", describePathErr(err))
	}
	head := make([]byte, len(magic))
	n, err := io.ReadFull(f, head)
	f.Close()
	switch {
	case n == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF):
		// A zero-byte file is a valid, empty SQLite database.
	case err != nil && err != io.ErrUnexpectedEOF:
		return nil, fmt.Errorf("sqlite: read database header: %w", describePathErr(err))
	case !bytes.Equal(head[:n], magic):
		return nil, errors.New("sqlite: file is not a database (no SQLite header): corrupt, encrypted (e.g. SQLCipher) or another format")
	}
	dsn, err := readOnlyDSN(p)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", clean(err))
	}
	db.SetMaxOpenConns(opt.MaxConns)
	db.SetMaxIdleConns(opt.MaxConns)
	qctx, cancel := context.WithTimeout(ctx, opt.StatementTimeout)
	defer cancel()
	// Reading the schema is the first thing that touches the pages: a damaged or encrypted file fails here.
	var n2 int
	if err := db.QueryRowContext(qctx, "SELECT count(*) FROM sqlite_schema").Scan(&n2); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: read schema: %w", clean(err))
	}
	return db, nil
}

// Units lists every table and view in stable order, SQLite's internal tables and the shadow tables of
// virtual tables (which hold copies of the virtual table's own rows) left out.
func (s *Source) Units(ctx context.Context, fn func(scanner.Unit) error) error {
	db, err := s.conn(ctx)
	if err != nil {
		return err
	}
	objs, err := list(ctx, db, s.opt.StatementTimeout)
	if err != nil {
		return err
	}
	for _, o := range objs {
		name := "main." + o.name
		if !s.wanted(name) {
			continue
		}
		if err := fn(scanner.Unit{Name: name}); err != nil {
			return err
		}
	}
	return nil
}

type object struct {
	name    string
	kind    string // table, view, virtual
	noRowid bool
}

func list(ctx context.Context, db *sql.DB, timeout time.Duration) ([]object, error) {
	qctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	rows, err := db.QueryContext(qctx, `SELECT name, type, wr FROM pragma_table_list
		WHERE schema = 'main' AND type IN ('table', 'view', 'virtual') AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
		ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list tables: %w", clean(err))
	}
	defer rows.Close()
	var out []object
	for rows.Next() {
		var o object
		if err := rows.Scan(&o.name, &o.kind, &o.noRowid); err != nil {
			return nil, fmt.Errorf("sqlite: list tables: %w", clean(err))
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list tables: %w", clean(err))
	}
	return out, nil
}

func (s *Source) wanted(name string) bool {
	return s.opt.Selected(name)
}

// Sample implements scanner.Source. A table that cannot be read is recorded against it; only a cancelled
// scan or an unusable database is returned.
func (s *Source) Sample(ctx context.Context, u scanner.Unit, out scanner.Sink) error {
	db, err := s.conn(ctx)
	if err != nil {
		return err
	}
	table, ok := strings.CutPrefix(u.Name, "main.")
	if !ok {
		out.Unreadable(scanner.Unreadable{Path: u.Name, Reason: scanner.ReasonReadError, Detail: "not a table of the main schema"})
		return nil
	}
	c, err := sampleTable(ctx, db, s.opt, table)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		out.Unreadable(scanner.Unreadable{Path: u.Name, Reason: reason(err), Detail: "table could not be sampled: " + clean(err).Error()})
		return nil
	}
	c.Name, c.Unit = u.Name, u.Name
	out.Container(c)
	return nil
}

// Tables samples every table and view of the SQLite file at p, as the file-share connector does for a
// database found in a share: containers are named prefix+"!"+table and unreadable tables likewise. An
// error means the file as a whole could not be read (not a database, encrypted, damaged schema).
func Tables(ctx context.Context, p string, opt Options, out scanner.Sink, prefix string) error {
	s, err := New(prefix, p, opt)
	if err != nil {
		return err
	}
	defer s.Close()
	rn := &renamer{out: out, prefix: prefix}
	return s.Units(ctx, func(u scanner.Unit) error {
		return s.Sample(ctx, u, rn)
	})
}

// CountTable counts the stale records of one table of the SQLite file at p, for the file-share connector:
// container is prefix+"!"+table as Tables names it.
func CountTable(ctx context.Context, p string, opt Options, q scanner.StaleQuery, prefix string) (scanner.StaleCount, error) {
	table, ok := strings.CutPrefix(q.Container, prefix+"!")
	if !ok {
		return scanner.StaleCount{}, scanner.NewCountError(scanner.ReasonReadError, "not a table of this database file", nil)
	}
	s, err := New(prefix, p, opt)
	if err != nil {
		return scanner.StaleCount{}, err
	}
	defer s.Close()
	q.Unit, q.Container = "main."+table, "main."+table
	return s.CountStale(ctx, q)
}

// renamer turns "main.table" into "prefix!table".
type renamer struct {
	out    scanner.Sink
	prefix string
}

func (r *renamer) name(n string) string { return r.prefix + "!" + strings.TrimPrefix(n, "main.") }

func (r *renamer) Container(c *scanner.Container) {
	c.Name, c.Unit = r.name(c.Name), r.prefix
	r.out.Container(c)
}

func (r *renamer) Unreadable(u scanner.Unreadable) {
	u.Path = r.name(u.Path)
	r.out.Unreadable(u)
}

// errTimeout marks a query stopped by the statement timeout rather than by the scan being cancelled.
var errTimeout = errors.New("query exceeded the statement timeout")

// reason maps a sampling failure to an inventory reason.
func reason(err error) string {
	if errors.Is(err, errTimeout) || errors.Is(err, context.DeadlineExceeded) {
		return scanner.ReasonTimeout
	}
	code := -1
	var se *sqlitedrv.Error
	var ce *codeError
	switch {
	case errors.As(err, &se):
		code = se.Code()
	case errors.As(err, &ce):
		code = ce.code
	}
	if code >= 0 {
		switch code & 0xff {
		case sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH:
			return scanner.ReasonPermissionDenied
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return scanner.ReasonCorrupt
		case sqlite3.SQLITE_INTERRUPT:
			return scanner.ReasonTimeout
		}
	}
	return scanner.ReasonReadError
}

// clean replaces a driver error with its fixed description. SQLite's own messages can quote SQL text and the
// driver's can quote the DSN; the result code says what went wrong without either.
func clean(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, errTimeout) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return errTimeout
	}
	var se *sqlitedrv.Error
	if errors.As(err, &se) {
		code := se.Code()
		msg, ok := sqlitedrv.ErrorCodeString[code&0xff]
		if !ok {
			msg = fmt.Sprintf("SQLite result code %d", code)
		}
		if code&0xff == sqlite3.SQLITE_NOTADB {
			msg = "file is not a database: corrupt, encrypted (e.g. SQLCipher) or another format (SQLITE_NOTADB)"
		}
		return &codeError{code: code, msg: msg}
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	// Anything else (database/sql, the pool) carries no data; drop any path it names.
	return describePathErr(err)
}

// codeError keeps the SQLite result code for reason() after clean() dropped the message.
type codeError struct {
	code int
	msg  string
}

func (e *codeError) Error() string { return e.msg }

func describePathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
