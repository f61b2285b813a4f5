package ddl

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/datamap-uk/datamap/scanner"
)

type sink struct {
	mu         sync.Mutex
	containers []*scanner.Container
	unreadable []scanner.Unreadable
}

func (s *sink) Container(c *scanner.Container) {
	s.mu.Lock()
	s.containers = append(s.containers, c)
	s.mu.Unlock()
}
func (s *sink) Unreadable(u scanner.Unreadable) {
	s.mu.Lock()
	s.unreadable = append(s.unreadable, u)
	s.mu.Unlock()
}

// scan lists and samples every unit and returns "unit" -> columns, with the sink.
func scan(t *testing.T, src *Source) (map[string][]scanner.Column, *sink) {
	t.Helper()
	out := &sink{}
	var units []scanner.Unit
	if err := src.Units(context.Background(), func(u scanner.Unit) error { units = append(units, u); return nil }); err != nil {
		t.Fatalf("units: %v", err)
	}
	for _, u := range units {
		if err := src.Sample(context.Background(), u, out); err != nil {
			t.Fatalf("sample %s: %v", u.Name, err)
		}
	}
	got := map[string][]scanner.Column{}
	for _, c := range out.containers {
		if c.Kind != "table" || c.Format != "ddl" || c.RowsTotal != 0 {
			t.Errorf("container %s: kind %q format %q rows %d", c.Name, c.Kind, c.Format, c.RowsTotal)
		}
		got[c.Name] = c.Columns
	}
	return got, out
}

func names(cols []scanner.Column) []string {
	var n []string
	for _, c := range cols {
		n = append(n, c.Name)
	}
	return n
}

func find(cols []scanner.Column, name string) (scanner.Column, bool) {
	for _, c := range cols {
		if c.Name == name {
			return c, true
		}
	}
	return scanner.Column{}, false
}

func details(s *sink) []string {
	var d []string
	for _, u := range s.unreadable {
		d = append(d, u.Path+" "+u.Reason+" "+u.Detail)
	}
	sort.Strings(d)
	return d
}

func TestPostgresMigrations(t *testing.T) {
	src := New("migrations", "testdata/pg", Options{})
	got, out := scan(t, src)
	if src.Dialect() != "postgres" {
		t.Errorf("dialect %q, want postgres", src.Dialect())
	}
	want := map[string][]string{
		"public.tenants":  {"id", "Full Name", "date_of_birth", "status", "ethnicity"},
		"public.new_name": {"ref"},
	}
	gotNames := map[string][]string{}
	for k, v := range got {
		gotNames[k] = names(v)
	}
	if !reflect.DeepEqual(gotNames, want) {
		t.Errorf("tables:\n got %v\nwant %v", gotNames, want)
	}
	tenants := got["public.tenants"]
	cases := []struct {
		name, col, typ, comment string
		key                     bool
	}{
		{"keeps the primary key", "id", "serial", "", true},
		{"keeps a quoted identifier as written", "Full Name", "text", "", false},
		{"keeps a type the parser does not know", "status", "public.tenant_status", "", false},
		{"applies COMMENT ON COLUMN after a rename", "ethnicity", "text", "Ethnic origin; self-declared", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			col, ok := find(tenants, c.col)
			if !ok {
				t.Fatalf("no column %q", c.col)
			}
			if col.Type != c.typ || col.Comment != c.comment || col.Key != c.key {
				t.Errorf("got type %q comment %q key %v", col.Type, col.Comment, col.Key)
			}
		})
	}
	wantSkipped := []string{"2_add.up.sql:5 unsupported_format statement not understood: CREATE TRIGGER",
		"10_more.up.sql:1 unsupported_format statement not understood: DO"}
	sort.Strings(wantSkipped)
	if d := details(out); !reflect.DeepEqual(d, wantSkipped) {
		t.Errorf("unreadable:\n got %q\nwant %q", d, wantSkipped)
	}
	locs := []struct {
		container, field, file string
		line                   int
	}{
		{"public.tenants", "date_of_birth", "testdata/pg/2_add.up.sql", 2},
		{"public.tenants", "ethnicity", "testdata/pg/10_more.up.sql", 7},
		{"public.tenants", "Full Name", "testdata/pg/1_init.up.sql", 4},
	}
	for _, l := range locs {
		file, line, ok := src.Locate(l.container, l.field)
		if !ok || file != l.file || line != l.line {
			t.Errorf("Locate(%s, %s) = %s:%d %v, want %s:%d", l.container, l.field, file, line, ok, l.file, l.line)
		}
	}
	if _, _, ok := src.Locate("public.tenants", "email"); ok {
		t.Error("Locate found a dropped column")
	}
}

func TestMySQLFlyway(t *testing.T) {
	src := New("migrations", "testdata/flyway", Options{})
	got, out := scan(t, src)
	if src.Dialect() != "mysql" {
		t.Errorf("dialect %q, want mysql", src.Dialect())
	}
	cols, ok := got["service_users"]
	if !ok || len(got) != 1 {
		t.Fatalf("tables %v, want only service_users", got)
	}
	if n := names(cols); !reflect.DeepEqual(n, []string{"id", "nhs no", "religion", "sexual_orientation"}) {
		t.Errorf("columns %q", n)
	}
	if c, _ := find(cols, "nhs no"); c.Comment != "NHS number" || c.Type != "varchar(10)" {
		t.Errorf("nhs no: %+v", c)
	}
	if c, _ := find(cols, "religion"); c.Comment != "Faith or belief" {
		t.Errorf("religion comment %q", c.Comment)
	}
	if c, _ := find(cols, "id"); !c.Key {
		t.Error("id is not marked as key")
	}
	if d := details(out); len(d) != 1 || !strings.HasPrefix(d[0], "V2__add.sql:3 ") || !strings.HasSuffix(d[0], "CREATE TRIGGER") {
		t.Errorf("unreadable %q", d)
	}
	if f, l, ok := src.Locate("service_users", "sexual_orientation"); !ok || f != "testdata/flyway/V10__rename.sql" || l != 1 {
		t.Errorf("Locate = %s:%d %v", f, l, ok)
	}
}

func TestDumps(t *testing.T) {
	t.Run("reads a pg_dump schema-only file", func(t *testing.T) {
		src := New("dump", "testdata/pgdump.sql", Options{})
		got, out := scan(t, src)
		if n := names(got["public.residents"]); !reflect.DeepEqual(n, []string{"id", "forename", "email", "ni_number", "status", "created_at"}) {
			t.Errorf("residents %q", n)
		}
		if n := names(got["public.repairs"]); !reflect.DeepEqual(n, []string{"id", "resident_id", "notes"}) {
			t.Errorf("repairs %q", n)
		}
		if c, _ := find(got["public.residents"], "ni_number"); c.Comment != "National Insurance number" || c.Type != "character varying(9)" {
			t.Errorf("ni_number %+v", c)
		}
		if c, _ := find(got["public.residents"], "id"); !c.Key {
			t.Error("ADD CONSTRAINT ... PRIMARY KEY not applied")
		}
		d := details(out)
		want := []string{"pgdump.sql:22 unsupported_format statement not understood: CREATE FUNCTION",
			"pgdump.sql:74 unsupported_format statement not understood: CREATE TRIGGER"}
		if !reflect.DeepEqual(d, want) {
			t.Errorf("unreadable:\n got %q\nwant %q", d, want)
		}
		if f, l, ok := src.Locate("public.residents", "ni_number"); !ok || f != "testdata/pgdump.sql" || l != 37 {
			t.Errorf("Locate = %s:%d %v", f, l, ok)
		}
	})
	t.Run("reads a mysqldump --no-data file", func(t *testing.T) {
		src := New("dump", "testdata/mysqldump.sql", Options{})
		got, out := scan(t, src)
		if src.Dialect() != "mysql" {
			t.Errorf("dialect %q", src.Dialect())
		}
		cols := got["carers"]
		if n := names(cols); !reflect.DeepEqual(n, []string{"id", "surname", "dbs_check", "notes", "created_at"}) {
			t.Errorf("carers %q", n)
		}
		if c, _ := find(cols, "dbs_check"); c.Comment != "Criminal record check reference" {
			t.Errorf("dbs_check %+v", c)
		}
		if len(out.unreadable) != 0 {
			t.Errorf("unreadable %q", details(out))
		}
	})
}

func TestOrder(t *testing.T) {
	cases := []struct {
		name  string
		files []string
		want  []string
	}{
		{"orders numbers numerically", []string{"10_b.sql", "2_a.sql", "1_x.sql"}, []string{"1_x.sql", "2_a.sql", "10_b.sql"}},
		{"orders Flyway versions numerically", []string{"V10__b.sql", "V2__a.sql", "V1_1__c.sql", "V1__d.sql"}, []string{"V1__d.sql", "V1_1__c.sql", "V2__a.sql", "V10__b.sql"}},
		{"puts unversioned files last", []string{"schema.sql", "R__views.sql", "3_a.sql"}, []string{"3_a.sql", "R__views.sql", "schema.sql"}},
		{"uses the folder's version", []string{"20240102_b/migration.sql", "20240101_a/migration.sql"}, []string{"20240101_a/migration.sql", "20240102_b/migration.sql"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ms []migration
			for _, f := range c.files {
				ms = append(ms, migration{rel: f, version: versionOf(f)})
			}
			sort.SliceStable(ms, func(i, j int) bool { return less(ms[i], ms[j]) })
			var got []string
			for _, m := range ms {
				got = append(got, m.rel)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestRollbacksIgnored(t *testing.T) {
	for _, n := range []string{"1_init.down.sql", "down.sql", "U2__undo.sql"} {
		if !isRollback(n) {
			t.Errorf("%s is not treated as a rollback", n)
		}
	}
	for _, n := range []string{"1_init.up.sql", "V2__add.sql", "users.sql"} {
		if isRollback(n) {
			t.Errorf("%s is treated as a rollback", n)
		}
	}
}

func TestSplit(t *testing.T) {
	cases := []struct {
		name  string
		mysql bool
		src   string
		lines []int
	}{
		{"ignores DDL in comments", false, "-- CREATE TABLE a (x int);\n/* CREATE TABLE b (y int); */\nCREATE TABLE c (z int);", []int{3}},
		{"keeps semicolons in strings and dollar quotes", false, "SELECT ';';\nCREATE FUNCTION f() AS $b$ x; y; $b$;\nSELECT 1;", []int{1, 2, 3}},
		{"follows DELIMITER", true, "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END//\nDELIMITER ;\nSELECT 2;", []int{2, 4}},
		{"skips the goose down section", false, "-- +goose Up\nCREATE TABLE a (x int);\n-- +goose Down\nDROP TABLE a;", []int{2}},
		{"skips COPY data", false, "COPY t (a) FROM stdin;\nx;y\n\\.\nSELECT 1;", []int{1, 4}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []int
			for _, s := range split(c.src, c.mysql) {
				got = append(got, s.line)
			}
			if !reflect.DeepEqual(got, c.lines) {
				t.Errorf("statement lines %v, want %v", got, c.lines)
			}
		})
	}
}

func TestKindNeverQuotesNames(t *testing.T) {
	cases := map[string]string{
		"CREATE TRIGGER nhs_1234567890 BEFORE":    "CREATE TRIGGER",
		"CREATE OR REPLACE FUNCTION x() AS $$ $$": "CREATE FUNCTION",
		"DO $$ BEGIN END $$":                      "DO",
		"jane.doe@example.org":                    "statement",
		"CREATE jane_doe":                         "CREATE",
	}
	for in, want := range cases {
		if got := kind(in); got != want {
			t.Errorf("kind(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"CREATE TABLE t (a int, \"b c\" text); ALTER TABLE t RENAME COLUMN a TO dob; DROP TABLE t;",
		"CREATE TABLE `t` (`a` int COMMENT 'x') ENGINE=InnoDB; ALTER TABLE t CHANGE a b int;",
		"DO $$ BEGIN END $$; COMMENT ON COLUMN t.a IS 'x';",
		"CREATE TABLE t (a public.x COLLATE \"C\", id int GENERATED ALWAYS AS IDENTITY (START 1));",
		"DELIMITER ;;\nCREATE TRIGGER x;;\n",
		"/* unterminated", "'unterminated", "$$ unterminated", "CREATE TABLE (", ")",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, text string, mysql bool) {
		dialect := "postgres"
		if mysql {
			dialect = "mysql"
		}
		tables, _ := Parse(text, dialect)
		for _, tb := range tables {
			if tb == "" {
				t.Fatal("empty table entry")
			}
		}
		a := newApplier(dialect, "")
		a.file("in.sql", text)
		lines := strings.Count(text, "\n") + 1
		for _, k := range a.skipped {
			if k.line < 1 || k.line > lines {
				t.Fatalf("skipped statement at line %d of %d", k.line, lines)
			}
			if !strings.HasPrefix(k.detail, "statement not understood: ") && !strings.HasPrefix(k.detail, "column definition not understood: ") && !strings.HasPrefix(k.detail, "columns not known: ") {
				t.Fatalf("detail %q", k.detail)
			}
		}
	})
}

// A dump with its data could be read whole into memory: a migration past the bound is refused, saying what
// to give check instead.
func TestRefusesAMigrationTooLargeToBeASchema(t *testing.T) {
	p := filepath.Join(t.TempDir(), "full_dump.sql")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxMigrationBytes + 1); err != nil { // sparse: no 64 MiB written
		t.Fatal(err)
	}
	f.Close()
	err = New("dump", p, Options{}).Units(context.Background(), func(scanner.Unit) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "schema-only dump") {
		t.Errorf("Units = %v, want a refusal naming a schema-only dump", err)
	}
}
