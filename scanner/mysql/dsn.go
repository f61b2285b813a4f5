package mysql

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"
	"time"

	driver "github.com/go-sql-driver/mysql"
)

// parseDSN accepts the URL form the README documents (mysql://user:pass@host:port/db?param=value, also
// mariadb://) and the driver's own form (user:pass@tcp(host:port)/db?param=value). The error never holds the
// DSN: a password may sit anywhere in it.
func parseDSN(dsn string) (*driver.Config, error) {
	if scheme, _, ok := strings.Cut(dsn, "://"); ok && (strings.EqualFold(scheme, "mysql") || strings.EqualFold(scheme, "mariadb")) {
		return parseURL(dsn)
	}
	cfg, err := driver.ParseDSN(dsn)
	if err != nil {
		return nil, errors.New("invalid mysql DSN: expected mysql://user:pass@host:port/db or user:pass@tcp(host:port)/db")
	}
	return cfg, checkParams(cfg)
}

// checkParams refuses parameters the driver would send as SET statements on connect: they could override
// the read-only session, and "password=..." would even change the user's password.
func checkParams(cfg *driver.Config) error {
	for k := range cfg.Params {
		return fmt.Errorf("unsupported mysql DSN parameter %q: datamap sets the session variables itself", k)
	}
	return nil
}

func parseURL(dsn string) (*driver.Config, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		// url.Error quotes the input: say what is wrong without it.
		return nil, errors.New("invalid mysql URL: cannot be parsed (check that a password with special characters is percent-encoded)")
	}
	if u.Opaque != "" {
		return nil, errors.New("invalid mysql URL: expected mysql://user:pass@host:port/db")
	}
	// Let the driver read the query parameters (tls, timeout, charset, ...) so both forms accept the same ones.
	q := u.Query()
	socket := q.Get("socket")
	q.Del("socket")
	base := "/"
	if enc := q.Encode(); enc != "" {
		base += "?" + enc
	}
	cfg, err := driver.ParseDSN(base)
	if err != nil {
		return nil, errors.New("invalid mysql URL: a query parameter is not one the mysql driver accepts")
	}
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	if p, ok := cfg.Params["password"]; ok {
		if cfg.Passwd == "" {
			cfg.Passwd = p
		}
		delete(cfg.Params, "password")
	}
	db := strings.TrimPrefix(u.Path, "/")
	if strings.Contains(db, "/") {
		return nil, errors.New("invalid mysql URL: the path must be one database name")
	}
	cfg.DBName = db
	if err := checkParams(cfg); err != nil {
		return nil, err
	}
	switch {
	case socket != "":
		cfg.Net, cfg.Addr = "unix", socket
	default:
		host := u.Hostname()
		if host == "" {
			host = "127.0.0.1"
		}
		port := u.Port()
		if port == "" {
			port = "3306"
		}
		cfg.Net, cfg.Addr = "tcp", net.JoinHostPort(host, port)
	}
	return cfg, nil
}

// prepare fixes what the scanner relies on: raw strings rather than parsed times, the program_name
// attribute DBAs see in performance_schema, and I/O timeouts so a server that stops answering cannot hang a
// sample for longer than the statement timeout allows.
func prepare(cfg *driver.Config, statement time.Duration) {
	cfg.ParseTime = false
	// The driver logs to stderr by default; a scan prints nothing from its workers.
	cfg.Logger = driver.Logger(discard{})
	attrs := "program_name:datamap"
	if cfg.ConnectionAttributes != "" && !strings.Contains(cfg.ConnectionAttributes, "program_name:") {
		attrs = cfg.ConnectionAttributes + "," + attrs
	} else if cfg.ConnectionAttributes != "" {
		attrs = cfg.ConnectionAttributes
	}
	cfg.ConnectionAttributes = attrs
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = statement + 30*time.Second
	}
	if cfg.WriteTimeout == 0 {
		cfg.WriteTimeout = 30 * time.Second
	}
	// Multiple statements in one query would let a crafted identifier do more than select; we never need them.
	cfg.MultiStatements = false
	cfg.AllowAllFiles = false
}

// secretParam reports whether a query parameter may carry a secret, so the redacted location leaves it out.
func secretParam(k string) bool {
	k = strings.ToLower(k)
	for _, s := range []string{"pass", "pwd", "secret", "token", "key", "cred", "auth"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// redact renders a parsed configuration as a URL with no password and no parameter that may hold one.
func redact(cfg *driver.Config) string {
	var b strings.Builder
	b.WriteString("mysql://")
	if cfg.User != "" {
		b.WriteString(url.User(cfg.User).String())
		b.WriteString("@")
	}
	if cfg.Net == "unix" {
		b.WriteString("/")
	} else {
		b.WriteString(cfg.Addr)
		b.WriteString("/")
	}
	b.WriteString(url.PathEscape(cfg.DBName))
	q := url.Values{}
	if cfg.Net == "unix" {
		q.Set("socket", cfg.Addr)
	}
	keys := make([]string, 0, len(cfg.Params))
	for k := range cfg.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if secretParam(k) {
			continue
		}
		q.Set(k, cfg.Params[k])
	}
	if cfg.TLSConfig != "" {
		q.Set("tls", cfg.TLSConfig)
	}
	if enc := q.Encode(); enc != "" {
		b.WriteString("?")
		b.WriteString(enc)
	}
	return b.String()
}

// scrubber removes a source's secrets from text that may have come from the driver.
type scrubber []string

func newScrubber(dsn string, cfg *driver.Config) scrubber {
	var s scrubber
	add := func(v string) {
		if len(v) >= 3 {
			s = append(s, v)
		}
	}
	add(dsn)
	if cfg != nil {
		add(cfg.Passwd)
		add(url.QueryEscape(cfg.Passwd))
		add(url.PathEscape(cfg.Passwd))
		for k, v := range cfg.Params {
			if secretParam(k) {
				add(v)
			}
		}
	}
	// Longest first, so the whole DSN goes before the password inside it.
	sort.Slice(s, func(i, j int) bool { return len(s[i]) > len(s[j]) })
	return s
}

func (s scrubber) clean(msg string) string {
	for _, secret := range s {
		msg = strings.ReplaceAll(msg, secret, "[redacted]")
	}
	return msg
}

// errorf is fmt.Errorf for messages that may hold driver text: the message never holds a secret, and the
// cause stays reachable through errors.Is and errors.As.
func (s scrubber) errorf(format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &scrubbedError{msg: s.clean(err.Error()), err: errors.Unwrap(err)}
}

type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

type discard struct{}

func (discard) Print(...any) {}
