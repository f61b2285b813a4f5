// Package ddl reads a schema from SQL migrations without a database: it applies CREATE, ALTER, RENAME, DROP
// and column comments in migration order with real PostgreSQL and MySQL parsers, and offers each resulting
// table as a unit with its columns and no values, so `datamap check migrations/` can classify field names and
// comments in CI. Statements a parser rejects are reported, never silently dropped, when they could change a
// column.
package ddl

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/datamap-uk/datamap/scanner"
)

// Options choose the SQL dialect.
type Options struct {
	// Dialect is "postgres", "mysql" or "" to decide from the files: backticks, ENGINE= or AUTO_INCREMENT
	// mean MySQL, anything else PostgreSQL.
	Dialect string
	// Schema names the schema of unqualified tables: "public" for PostgreSQL and "" for MySQL by default.
	Schema string
}

// skipped is a statement that could not be applied.
type skipped struct {
	file   string
	line   int
	detail string
}

// Coverage counts what the migrations held.
type Coverage struct {
	Files      int
	Statements int
	Applied    int // changed the schema
	Ignored    int // cannot change a column (an index, a grant, a dump's session settings)
	Skipped    int // not understood and reported
}

// Source is a folder of migrations or one .sql file.
type Source struct {
	name, root string
	file       bool
	opt        Options

	once    sync.Once
	err     error
	dialect string
	schema  *schema
	skipped []skipped
	cov     Coverage
	first   string // the unit that carries the skipped statements
	report  sync.Once
}

// New returns a source for dir, a folder of migrations or one .sql file. Nothing is read until Units.
func New(name, dir string, opt Options) *Source {
	s := &Source{name: name, root: filepath.Clean(dir), opt: opt}
	if fi, err := os.Stat(s.root); err == nil && !fi.IsDir() {
		s.file = true
	}
	return s
}

// Info implements scanner.Source.
func (s *Source) Info() scanner.SourceInfo {
	abs, err := filepath.Abs(s.root)
	if err != nil {
		abs = s.root
	}
	return scanner.SourceInfo{Name: s.name, Kind: "ddl", Location: filepath.ToSlash(abs)}
}

// Close implements scanner.Source.
func (s *Source) Close() error { return nil }

// Dialect reports the dialect used, after Units.
func (s *Source) Dialect() string { return s.dialect }

// Coverage reports what was applied and skipped, after Units.
func (s *Source) Coverage() Coverage { return s.cov }

// Units implements scanner.Source: it applies every migration first, then lists the resulting tables by name.
func (s *Source) Units(ctx context.Context, fn func(scanner.Unit) error) error {
	s.once.Do(func() { s.err = s.load(ctx) })
	if s.err != nil {
		return s.err
	}
	tables := append([]*table(nil), s.schema.tables...)
	sort.Slice(tables, func(i, j int) bool { return tables[i].unit() < tables[j].unit() })
	if len(tables) > 0 {
		s.first = tables[0].unit()
	} else if len(s.skipped) > 0 {
		// No table survived, but what could not be read must still be reported.
		s.first = s.skipped[0].file
		return fn(scanner.Unit{Name: s.first})
	}
	for _, t := range tables {
		if err := fn(scanner.Unit{Name: t.unit()}); err != nil {
			return err
		}
	}
	return nil
}

// Sample implements scanner.Source. The columns carry no values; skipped statements are reported once, with
// the first unit.
func (s *Source) Sample(ctx context.Context, u scanner.Unit, out scanner.Sink) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.schema == nil {
		return fmt.Errorf("sample %s: units not listed", u.Name)
	}
	if u.Name == s.first {
		s.report.Do(func() {
			for _, k := range s.skipped {
				out.Unreadable(scanner.Unreadable{Path: fmt.Sprintf("%s:%d", k.file, k.line),
					Reason: scanner.ReasonUnsupported, Detail: k.detail})
			}
		})
	}
	for _, t := range s.schema.tables {
		if t.unit() != u.Name {
			continue
		}
		c := &scanner.Container{Name: u.Name, Unit: u.Name, Kind: "table", Format: "ddl"}
		for _, col := range t.cols {
			c.Columns = append(c.Columns, scanner.Column{Name: col.name, Type: col.typ, Comment: col.comment, Key: col.key})
		}
		out.Container(c)
		return nil
	}
	return nil
}

// Locate reports the migration file and line where a column was last added or renamed, for CI annotations.
// The file is the source path joined with the migration's path inside it.
func (s *Source) Locate(container, field string) (file string, line int, ok bool) {
	if s.schema == nil {
		return "", 0, false
	}
	for _, t := range s.schema.tables {
		if t.unit() != container {
			continue
		}
		if c, _ := s.schema.col(t, field); c != nil && c.file != "" {
			return s.diskPath(c.file), c.line, true
		}
	}
	return "", 0, false
}

func (s *Source) diskPath(rel string) string {
	if s.file {
		return filepath.ToSlash(s.root)
	}
	return path.Join(filepath.ToSlash(s.root), rel)
}

// maxMigrationBytes bounds one migration file: migrations and schema dumps are small, and a dump with its
// data would be read whole into memory.
const maxMigrationBytes = 64 << 20

// load reads and applies every migration in order.
func (s *Source) load(ctx context.Context) error {
	var files []migration
	if s.file {
		files = []migration{{rel: filepath.Base(s.root)}}
	} else {
		var err error
		if files, err = listMigrations(s.root); err != nil {
			return fmt.Errorf("cannot list migrations in %s: %w", s.name, err)
		}
	}
	texts := make([]string, len(files))
	for i, f := range files {
		p := s.root
		if !s.file {
			p = filepath.Join(s.root, filepath.FromSlash(f.rel))
		}
		if fi, err := os.Stat(p); err == nil && fi.Size() > maxMigrationBytes {
			return fmt.Errorf("migration %s is larger than %d MiB: check reads the schema, so give it migrations or a "+
				"schema-only dump (pg_dump --schema-only, mysqldump --no-data)", f.rel, maxMigrationBytes>>20)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("cannot read migration %s: %w", f.rel, err)
		}
		texts[i] = string(b)
	}
	s.dialect = s.opt.Dialect
	if s.dialect == "" {
		s.dialect = detect(texts)
	}
	if s.dialect != "postgres" && s.dialect != "mysql" {
		return fmt.Errorf("unknown SQL dialect %q: use postgres or mysql", s.dialect)
	}
	a := newApplier(s.dialect, s.opt.Schema)
	for i, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		a.file(f.rel, texts[i])
		s.cov.Files++
	}
	s.schema, s.skipped, s.cov.Statements, s.cov.Applied, s.cov.Ignored = a.schema, a.skipped, a.statements, a.applied, a.ignored
	s.cov.Skipped = len(a.skipped)
	return nil
}

// detect picks the dialect from cues only MySQL uses, looked for outside comments and strings.
func detect(texts []string) string {
	for _, t := range texts {
		for _, st := range split(t, false) {
			for _, tok := range tokens(st.text, false) {
				if tok.quote == '`' || tok.up == "ENGINE" || tok.up == "AUTO_INCREMENT" {
					return "mysql"
				}
			}
		}
	}
	return "postgres"
}

// Parse applies SQL text in one dialect and returns the tables it leaves, as "unit: column type, ..."
// lines, and the number of statements skipped. It exists for the fuzz test and for debugging.
func Parse(text, dialect string) (tables []string, skipped int) {
	a := newApplier(dialect, "")
	a.file("input.sql", text)
	for _, t := range a.schema.tables {
		var cols []string
		for _, c := range t.cols {
			cols = append(cols, c.name+" "+c.typ)
		}
		tables = append(tables, t.unit()+": "+strings.Join(cols, ", "))
	}
	return tables, len(a.skipped)
}
