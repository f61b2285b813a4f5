package cmd

import (
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/datamap-uk/datamap/scanner"
	"github.com/datamap-uk/datamap/scanner/ddl"
	"github.com/datamap-uk/datamap/scanner/fileshare"
	"github.com/datamap-uk/datamap/scanner/mysql"
	"github.com/datamap-uk/datamap/scanner/postgres"
	"github.com/datamap-uk/datamap/scanner/sqlite"
)

// sourceConfig is one [[source]] of datamap.toml, or one argument of `datamap scan`.
type sourceConfig struct {
	Name        string   `toml:"name"`
	Path        string   `toml:"path"`         // a folder, share or file
	DSN         string   `toml:"dsn"`          // postgres://, mysql://, sqlite:// ... without a password
	DSNEnv      string   `toml:"dsn_env"`      // or: the environment variable holding the whole DSN
	PasswordEnv string   `toml:"password_env"` // or: the environment variable holding the password for dsn
	SampleRows  int      `toml:"sample_rows"`
	Include     []string `toml:"include"` // databases: globs over schema.table
	Exclude     []string `toml:"exclude"`

	unchecked bool   // a DSN given on the command line: the user typed it, a password in it is theirs to give
	ddl       bool   // check: a folder of SQL migrations (or one .sql file), analysed without a database
	dialect   string // for ddl: postgres, mysql or "" (decided by the files)
}

// dbDefaults are the database settings a source does not set itself.
type dbDefaults struct {
	sampleRows       int
	statementTimeout time.Duration
	maxConns         int
	include, exclude []string
}

// dbScheme maps a DSN scheme to a connector kind: the one registry of database kinds.
var dbScheme = map[string]string{
	"postgres": "postgres", "postgresql": "postgres",
	"mysql": "mysql", "mariadb": "mysql",
	"sqlite": "sqlite", "sqlite3": "sqlite",
}

// kindOf says which connector an argument names: a DSN with a known scheme (or the MySQL driver's
// user@tcp(host)/db form), or a path.
func kindOf(arg string) string {
	if i := strings.Index(arg, "://"); i > 0 {
		if k, ok := dbScheme[strings.ToLower(arg[:i])]; ok {
			return k
		}
	}
	if strings.Contains(arg, "@tcp(") || strings.Contains(arg, "@unix(") {
		return "mysql"
	}
	return "files"
}

// looksLikeDSN reports an argument that is meant as a connection string but not one we know (a typo in the
// scheme, say). It must not become a source name: it may hold a password.
func looksLikeDSN(arg string) bool {
	if _, err := os.Stat(arg); err == nil {
		return false // a real file or folder, however odd its name
	}
	lower := strings.ToLower(arg)
	for _, key := range []string{"host=", "dbname=", "password="} { // libpq's "host=db user=u password=..."
		if strings.HasPrefix(lower, key) || strings.Contains(lower, " "+key) {
			return true
		}
	}
	at := strings.LastIndexByte(arg, '@')
	if at < 0 {
		return false
	}
	return strings.Contains(arg, "://") || strings.Contains(arg[:at], ":")
}

// resolveDSN returns the DSN of a configured database source, with its password taken from the environment.
// A password written in the config file itself is refused: the file lives in a repository.
func (sc sourceConfig) resolveDSN() (string, error) {
	dsn := sc.DSN
	if sc.DSNEnv != "" {
		if dsn != "" {
			return "", fmt.Errorf("source %q: set dsn or dsn_env, not both", sc.Name)
		}
		dsn = os.Getenv(sc.DSNEnv)
		if dsn == "" {
			return "", fmt.Errorf("source %q: environment variable %s is empty", sc.Name, sc.DSNEnv)
		}
		return dsn, nil
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("source %q: dsn is not a URL (write it as scheme://user@host/db)", sc.Name)
	}
	if _, has := u.User.Password(); (has || u.Query().Has("password")) && !sc.unchecked {
		return "", fmt.Errorf("source %q: the dsn in the config file holds a password; put it in an environment variable (password_env or dsn_env)", sc.Name)
	}
	if sc.PasswordEnv != "" {
		pw := os.Getenv(sc.PasswordEnv)
		if pw == "" {
			return "", fmt.Errorf("source %q: environment variable %s is empty", sc.Name, sc.PasswordEnv)
		}
		user := ""
		if u.User != nil {
			user = u.User.Username()
		}
		u.User = url.UserPassword(user, pw)
		dsn = u.String()
	}
	return dsn, nil
}

// openSource builds the connector for one source. Errors here are configuration errors: they stop the run
// before anything is scanned, and never contain a password.
func openSource(sc sourceConfig, files fileshare.Options, db dbDefaults, seed uint64) (scanner.Source, error) {
	if sc.ddl {
		return ddl.New(sc.Name, sc.Path, ddl.Options{Dialect: sc.dialect}), nil
	}
	if sc.Path != "" {
		if sc.DSN != "" || sc.DSNEnv != "" {
			return nil, fmt.Errorf("source %q: set path or a dsn, not both", sc.Name)
		}
		if kindOf(sc.Path) != "files" {
			return nil, fmt.Errorf("source %q: path holds a connection string; use dsn or dsn_env", sc.Name)
		}
		opt := files
		if sc.SampleRows > 0 {
			opt.SampleRows = sc.SampleRows
		}
		name := sc.Name
		if name == "" {
			name = sc.Path
		}
		return fileshare.NewNamed(name, sc.Path, opt), nil
	}
	dsn, err := sc.resolveDSN()
	if err != nil {
		return nil, err
	}
	kind := kindOf(dsn)
	if kind == "files" {
		return nil, fmt.Errorf("source %q: unknown database scheme (valid: postgres://, mysql://, sqlite://)", sc.Name)
	}
	rows := db.sampleRows
	if sc.SampleRows > 0 {
		rows = sc.SampleRows
	}
	include, exclude := sc.Include, sc.Exclude
	if len(include) == 0 {
		include = db.include
	}
	if len(exclude) == 0 {
		exclude = db.exclude
	}
	name := sc.Name
	if name == "" {
		name = redactDSN(dsn)
	}
	opt := scanner.DBOptions{SampleRows: rows, Include: include, Exclude: exclude,
		StatementTimeout: db.statementTimeout, MaxConns: db.maxConns, Seed: seed}
	var src scanner.Source
	switch kind {
	case "postgres":
		src, err = postgres.New(name, dsn, opt)
	case "mysql":
		src, err = mysql.New(name, dsn, opt)
	case "sqlite":
		src, err = sqlite.New(name, dsn, opt)
	}
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", name, err)
	}
	return src, nil
}

// redactDSN names a database source after its DSN: scheme, user, host and database only. The password and
// the whole query string (sslpassword=, sslkey= ...) are left out, as is anything in the driver's own form
// but the host and database. It is not the connector's Info().Location, which keeps the query parameters that
// hold no secret, a placeholder where a password was given and, for SQLite, the absolute path: the name is
// part of every fingerprint, so it holds only what identifies the database, and adding ?sslmode=require, or
// running from another folder, does not orphan a baseline or the DPO's decisions.
func redactDSN(dsn string) string {
	if kindOf(dsn) == "mysql" && !strings.Contains(dsn, "://") {
		at := strings.LastIndexByte(dsn, '@')
		rest, _, _ := strings.Cut(dsn[at+1:], "?")
		return "mysql://" + rest
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable connection string)"
	}
	name := u.Scheme + "://"
	if u.User != nil {
		name += u.User.Username() + "@"
	}
	return name + u.Host + u.Path
}

// isMigrations reports a path that holds SQL migrations rather than files to sample: a .sql file, or a folder
// in which every file (dotfiles and READMEs aside) is a .sql file.
func isMigrations(p string) bool {
	fi, err := os.Stat(p)
	if err != nil {
		return false
	}
	if !fi.IsDir() {
		return strings.EqualFold(filepath.Ext(p), ".sql")
	}
	sql, other := 0, 0
	filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		name := strings.ToLower(d.Name())
		switch {
		case strings.HasPrefix(name, ".") || strings.HasPrefix(name, "readme"):
		case strings.HasSuffix(name, ".sql"):
			sql++
		default:
			other++
		}
		return nil
	})
	return sql > 0 && other == 0
}
