// Package postgres scans a PostgreSQL database the way a cautious DBA would allow on production: it lists
// every table, view, materialised view, partitioned table and foreign table from the catalogue (including the
// ones the scanning role may not read, which are reported as permission_denied rather than left out), then
// samples each one with TABLESAMPLE pushed down to the server, inside a read-only transaction under a
// statement timeout. Every value comes back as text; JSON and JSONB columns, and JSON objects held in text
// columns, are taken apart into sub-fields (scanner.JSONColumn, scanner.TextJSONColumns).
//
// A lost connection is never retried: once the server has gone (or a DBA has terminated our backends with
// pg_terminate_backend, which is how one stops a scan), every table not yet sampled is recorded as
// connection_lost at once, so the scan completes quickly with honest coverage instead of hammering the server.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/datamap-uk/datamap/scanner"
)

// Options bound what a scan of one database may cost (scanner.DBOptions).
type Options = scanner.DBOptions

// Source is one PostgreSQL database.
type Source struct {
	name     string
	location string
	password string // kept only to scrub it from driver messages
	cfg      *pgx.ConnConfig
	opt      Options
	pool     *pool

	mu   sync.Mutex
	rels map[string]*relation

	// Test hooks: inTx runs inside every sampling transaction before the sample query; onQuery sees each
	// sampling statement (the benchmark replays it to time the database alone).
	inTx    func(ctx context.Context, tx pgx.Tx) error
	onQuery func(sql string)
}

// New parses dsn (a postgres:// URL or key=value string) and checks the options. It does not connect: the
// first call to Units does. Errors never contain the password.
func New(name, dsn string, opt Options) (*Source, error) {
	opt, err := opt.WithDefaults()
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: cannot parse the connection string: %s", scrubParseError(err, dsn))
	}
	timeoutMS := strconv.FormatInt(opt.StatementTimeout.Milliseconds(), 10)
	// Session-wide guards in the startup packet, so even the catalogue queries run read-only and bounded.
	cfg.RuntimeParams["application_name"] = "datamap"
	cfg.RuntimeParams["default_transaction_read_only"] = "on"
	cfg.RuntimeParams["statement_timeout"] = timeoutMS
	cfg.RuntimeParams["lock_timeout"] = "1000"
	cfg.RuntimeParams["idle_in_transaction_session_timeout"] = timeoutMS
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = 10 * time.Second // a vanished host must not hang the scan on TCP retries
	}
	// Unnamed statements: the sampling SQL differs per table, so a statement cache would only grow.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeExec
	s := &Source{name: name, password: cfg.Password, cfg: cfg, opt: opt, location: redactDSN(dsn, cfg)}
	s.pool = newPool(cfg, opt.MaxConns)
	return s, nil
}

// Info implements scanner.Source.
func (s *Source) Info() scanner.SourceInfo {
	return scanner.SourceInfo{Name: s.name, Kind: "postgres", Location: s.location}
}

// Close implements scanner.Source.
func (s *Source) Close() error {
	s.pool.close()
	return nil
}

// included applies the include and exclude globs to a unit name.
func (s *Source) included(name string) bool {
	return s.opt.Selected(name)
}

// unitName is "schema.table", quoting a part only when it holds a dot or a quote so two relations can never
// share a name.
func unitName(schema, table string) string {
	part := func(p string) string {
		if strings.ContainsAny(p, `."`) || p == "" {
			return pgx.Identifier{p}.Sanitize()
		}
		return p
	}
	return part(schema) + "." + part(table)
}

// redactDSN shows where the source is without any secret: a URL keeps its shape with the password replaced
// and secret query parameters dropped; a key=value string is rebuilt from the parsed host, port, user and
// database.
func redactDSN(dsn string, cfg *pgx.ConnConfig) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		if u, err := url.Parse(dsn); err == nil {
			q := u.Query()
			for k := range q {
				if isSecretParam(k) {
					q.Del(k)
				}
			}
			u.RawQuery = q.Encode()
			if u.User != nil {
				if _, has := u.User.Password(); has {
					u.User = url.UserPassword(u.User.Username(), "xxxxx")
				}
			}
			return u.Redacted()
		}
	}
	u := url.URL{Scheme: "postgres", Host: cfg.Host, Path: "/" + cfg.Database}
	if cfg.Port != 0 && !strings.HasPrefix(cfg.Host, "/") {
		u.Host = cfg.Host + ":" + strconv.Itoa(int(cfg.Port))
	}
	if strings.HasPrefix(cfg.Host, "/") { // a unix socket directory
		u.Host = ""
		u.RawQuery = url.Values{"host": {cfg.Host}}.Encode()
	}
	if cfg.User != "" {
		u.User = url.User(cfg.User)
	}
	return u.String()
}

func isSecretParam(k string) bool {
	k = strings.ToLower(k)
	return strings.Contains(k, "password") || k == "sslpassword" || k == "passfile"
}

// scrubParseError says why a connection string was refused without quoting it: the parser's messages embed
// the string or pieces of it (and url.Parse's the whole URL, password included). Quoted pieces are blanked,
// and if any other six bytes of the string are left in the message, only a generic reason is
// given.
func scrubParseError(err error, dsn string) string {
	const generic = "the string is not shown because it may hold a password"
	msg := err.Error()
	if i := strings.LastIndex(msg, "`: "); i >= 0 {
		msg = msg[i+3:]
	}
	msg = quoted.ReplaceAllString(msg, `"..."`)
	// Any six bytes of the string left in the message could be part of the password.
	for i := 0; i+6 <= len(dsn); i++ {
		if w := dsn[i : i+6]; strings.Contains(msg, w) && !isCommon(w) {
			return generic
		}
	}
	if strings.Contains(msg, "`") {
		return generic
	}
	return msg
}

var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"?`)

func isCommon(w string) bool {
	for c := range commonWord {
		if strings.Contains(c, strings.ToLower(w)) {
			return true
		}
	}
	return false
}

// commonWord are parts of a connection string that say nothing secret and appear in the parser's messages.
var commonWord = map[string]bool{"postgres": true, "postgresql": true, "sslmode": true, "host": true, "port": true,
	"user": true, "dbname": true, "require": true, "disable": true, "prefer": true, "allow": true, "verify": true, "full": true}

// scrub removes the password from a driver message, whatever the driver put in it.
func (s *Source) scrub(msg string) string {
	if s.password != "" {
		msg = strings.ReplaceAll(msg, s.password, "xxxxx")
	}
	return msg
}

// errLost is the reason recorded for tables not sampled after the connection was lost.
var errLost = errors.New("not sampled: the connection to the server was lost earlier in this scan")

// pool is a handful of connections, at most max in use at once. pgxpool would need another module; this is
// all the scan needs.
type pool struct {
	cfg   *pgx.ConnConfig
	slots chan struct{}

	mu     sync.Mutex
	idle   []*pgx.Conn
	lost   bool
	closed bool
}

func newPool(cfg *pgx.ConnConfig, max int) *pool {
	return &pool{cfg: cfg, slots: make(chan struct{}, max)}
}

// acquire waits for a free slot and returns an idle connection or a new one.
func (p *pool) acquire(ctx context.Context) (*pgx.Conn, error) {
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	p.mu.Lock()
	if p.lost || p.closed {
		p.mu.Unlock()
		<-p.slots
		return nil, errLost
	}
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	p.mu.Unlock()
	c, err := pgx.ConnectConfig(ctx, p.cfg.Copy())
	if err != nil {
		<-p.slots
		return nil, err
	}
	return c, nil
}

// release returns a healthy connection to the idle list and closes a broken one.
func (p *pool) release(c *pgx.Conn) {
	defer func() { <-p.slots }()
	p.mu.Lock()
	keep := !p.closed && !p.lost && !c.IsClosed()
	if keep {
		p.idle = append(p.idle, c)
	}
	p.mu.Unlock()
	if !keep {
		closeConn(c)
	}
}

// markLost makes every later acquire fail fast.
func (p *pool) markLost() { p.shut(&p.lost) }

func (p *pool) close() { p.shut(&p.closed) }

// shut sets flag (lost or closed) and closes the idle connections.
func (p *pool) shut(flag *bool) {
	p.mu.Lock()
	*flag = true
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, c := range idle {
		closeConn(c)
	}
}

func closeConn(c *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = c.Close(ctx)
}
