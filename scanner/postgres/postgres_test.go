package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/datamap-uk/datamap/scanner"
)

func TestNewRedactsTheConnectionString(t *testing.T) {
	tests := []struct {
		name, dsn, want string
	}{
		{"hides the password in a URL", "postgres://scanner:Sup3r-secret@crm.example.org:5433/housing?sslmode=require",
			"postgres://scanner:xxxxx@crm.example.org:5433/housing?sslmode=require"},
		{"drops a password query parameter", "postgres://scanner@crm.example.org/housing?password=Sup3r-secret&sslmode=verify-full",
			"postgres://scanner@crm.example.org/housing?sslmode=verify-full"},
		{"rebuilds a key=value string without the password", "host=crm.example.org port=5433 user=scanner password=Sup3r-secret dbname=housing",
			"postgres://scanner@crm.example.org:5433/housing"},
		{"keeps a URL without a password as it is", "postgresql://scanner@127.0.0.1:5432/postgres",
			"postgresql://scanner@127.0.0.1:5432/postgres"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New("crm", tt.dsn, Options{})
			if err != nil {
				t.Fatal(err)
			}
			info := s.Info()
			if info.Location != tt.want {
				t.Errorf("Location = %q, want %q", info.Location, tt.want)
			}
			if strings.Contains(info.Location, "Sup3r-secret") {
				t.Errorf("Location %q shows the password", info.Location)
			}
			if info.Kind != "postgres" || info.Name != "crm" {
				t.Errorf("Info = %+v", info)
			}
		})
	}
}

func TestNewRejectsWithoutShowingThePassword(t *testing.T) {
	tests := []struct {
		name, dsn string
		opt       Options
	}{
		{"bad port in a URL", "postgres://scanner:Sup3r-secret@crm.example.org:notaport/housing", Options{}},
		{"unknown sslmode", "postgres://scanner:Sup3r-secret@crm.example.org/housing?sslmode=sometimes", Options{}},
		{"bad include glob", "postgres://scanner:Sup3r-secret@crm.example.org/housing", Options{Include: []string{"public.[x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New("crm", tt.dsn, tt.opt)
			if err == nil {
				t.Fatal("New accepted a bad source")
			}
			if strings.Contains(err.Error(), "Sup3r-secret") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}

func TestIncludeExclude(t *testing.T) {
	tests := []struct {
		name             string
		include, exclude []string
		unit             string
		want             bool
	}{
		{"everything by default", nil, nil, "public.tenants", true},
		{"include by schema glob", []string{"hr.*"}, nil, "hr.staff", true},
		{"include leaves other schemas out", []string{"hr.*"}, nil, "public.tenants", false},
		{"exclude wins over include", []string{"hr.*"}, []string{"hr.audit_*"}, "hr.audit_2024", false},
		{"exclude alone", nil, []string{"*.tmp_*"}, "public.tmp_load", false},
		{"exclude does not match a longer name", nil, []string{"public.tenant"}, "public.tenants", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New("crm", "postgres://scanner@127.0.0.1/crm", Options{Include: tt.include, Exclude: tt.exclude})
			if err != nil {
				t.Fatal(err)
			}
			if got := s.included(tt.unit); got != tt.want {
				t.Errorf("included(%q) = %v, want %v", tt.unit, got, tt.want)
			}
		})
	}
}

func TestUnitNameQuotesOnlyWhenAmbiguous(t *testing.T) {
	tests := []struct{ schema, table, want string }{
		{"public", "tenants", "public.tenants"},
		{"public", "Tenant Notes", "public.Tenant Notes"},
		{"a.b", "c", `"a.b".c`},
		{"a", "b.c", `a."b.c"`},
		{"a", `say "hi"`, `a."say ""hi"""`},
	}
	for _, tt := range tests {
		if got := unitName(tt.schema, tt.table); got != tt.want {
			t.Errorf("unitName(%q, %q) = %q, want %q", tt.schema, tt.table, got, tt.want)
		}
	}
}

func TestSelectListQuotesAndCasts(t *testing.T) {
	cols := []column{
		{name: "nhs_no", base: "text"},
		{name: `bad"; DROP TABLE x; --`, base: "text"},
		{name: "tags", base: "_text", array: true, elem: "text"},
		{name: "profile", base: "jsonb"},
		{name: "id", typ: "bigint", base: "int8"},
		{name: "postcode", typ: "character varying(10)", base: "varchar"},
		{name: "letter", typ: "character varying(20000)", base: "varchar"},
		{name: "amount", typ: "numeric", base: "numeric"},
		{name: "code", typ: "postcode_domain", base: "varchar"},
		{name: "days", typ: "date[]", base: "_date", array: true, elem: "date"},
		{name: "annex", typ: "crm.uuid", base: "uuid", userType: true},
	}
	got := selectList(cols)
	for _, want := range []string{
		`pg_catalog.left("nhs_no"::pg_catalog.text, 8192)`,
		`"bad""; DROP TABLE x; --"::pg_catalog.text`,
		`pg_catalog.array_to_string("tags"::pg_catalog.text[], E'\n')`,
		`pg_catalog.left("profile"::pg_catalog.text, 65536)`,
		`, "id"::pg_catalog.text,`, // short by type: not cut
		`, "postcode"::pg_catalog.text,`,
		`pg_catalog.left("letter"::pg_catalog.text, 8192)`,
		`pg_catalog.left("amount"::pg_catalog.text, 8192)`, // an unconstrained numeric can be long
		`pg_catalog.left("code"::pg_catalog.text, 8192)`,   // a domain's length is not looked up
		`pg_catalog.left(pg_catalog.array_to_string("days"::pg_catalog.text[], E'\n'), 8192)`,
		`pg_catalog.left("annex"::pg_catalog.text, 8192)`, // a user's type named uuid can be long
	} {
		if !strings.Contains(got, want) {
			t.Errorf("select list %s\nmissing %s", got, want)
		}
	}
	if selectList(nil) != "NULL" {
		t.Errorf("select list of no columns = %q, want NULL", selectList(nil))
	}
}

func TestColumnKinds(t *testing.T) {
	tests := []struct {
		name         string
		col          column
		binary, json bool
	}{
		{"bytea is binary", column{base: "bytea"}, true, false},
		{"bytea array is binary", column{base: "_bytea", array: true, elem: "bytea"}, true, false},
		{"jsonb is json", column{base: "jsonb"}, false, true},
		{"json is json", column{base: "json"}, false, true},
		{"text is neither", column{base: "text"}, false, false},
		{"a user's type named bytea is not binary", column{base: "bytea", userType: true}, false, false},
		{"a user's type named jsonb is not json", column{base: "jsonb", userType: true}, false, false},
	}
	for _, tt := range tests {
		if tt.col.binary() != tt.binary || tt.col.json() != tt.json {
			t.Errorf("%s: binary=%v json=%v", tt.name, tt.col.binary(), tt.col.json())
		}
	}
}

// columnValues returns a column's values by name, revealed, for assertions.
func columnValues(cols []scanner.Column) map[string][]string {
	m := map[string][]string{}
	for _, c := range cols {
		vals := make([]string, len(c.Values))
		for i, v := range c.Values {
			vals[i] = v.Reveal()
		}
		m[c.Name] = vals
	}
	return m
}

type netErr struct{}

func (netErr) Error() string   { return "read tcp 127.0.0.1:1: i/o timeout" }
func (netErr) Timeout() bool   { return true }
func (netErr) Temporary() bool { return false }

func TestClassify(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantReason string
		wantIn     string
		notIn      string
	}{
		{"insufficient privilege", &pgconn.PgError{Code: "42501", Message: "permission denied for table staff"}, scanner.ReasonPermissionDenied, "42501", ""},
		{"statement timeout", &pgconn.PgError{Code: "57014", Message: "canceling statement due to statement timeout"}, scanner.ReasonTimeout, "statement timeout", ""},
		{"lock timeout", &pgconn.PgError{Code: "55P03", Message: "canceling statement due to lock timeout"}, scanner.ReasonTimeout, "55P03", ""},
		{"admin shutdown", &pgconn.PgError{Code: "57P01", Severity: "FATAL", Message: "terminating connection due to administrator command"}, scanner.ReasonConnectionLost, "57P01", ""},
		{"connection failure class", &pgconn.PgError{Code: "08006", Message: "connection failure"}, scanner.ReasonConnectionLost, "08006", ""},
		{"a data exception's message is withheld", &pgconn.PgError{Code: "22P02", Message: `invalid input syntax for type integer: "AB123456C"`, Detail: "Key (nino)=(AB123456C)"},
			scanner.ReasonReadError, "22P02", "AB123456C"},
		{"an integrity error's detail never appears", &pgconn.PgError{Code: "42P01", Message: "relation does not exist", Detail: "row (jane@example.org)"},
			scanner.ReasonReadError, "42P01", "jane@example.org"},
		{"EOF is a lost connection", fmt.Errorf("reading: %w", io.EOF), scanner.ReasonConnectionLost, "lost", ""},
		{"a network error is a lost connection", netErr{}, scanner.ReasonConnectionLost, "lost", ""},
		{"the lost marker", errLost, scanner.ReasonConnectionLost, "earlier", ""},
		{"anything else is a read error", errors.New("something odd"), scanner.ReasonReadError, "something odd", ""},
		{"a long message is cut between characters", errors.New("x" + strings.Repeat("é", 200)), scanner.ReasonReadError, "...", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reason, detail := classify(tt.err)
			if reason != tt.wantReason {
				t.Errorf("reason = %q, want %q", reason, tt.wantReason)
			}
			if !utf8.ValidString(detail) || len(detail) > 303 {
				t.Errorf("detail %q is not valid UTF-8 of at most 300 bytes and an ellipsis", detail)
			}
			if !strings.Contains(detail, tt.wantIn) {
				t.Errorf("detail %q does not mention %q", detail, tt.wantIn)
			}
			if tt.notIn != "" && strings.Contains(detail, tt.notIn) {
				t.Errorf("detail %q quotes data %q", detail, tt.notIn)
			}
		})
	}
}

func TestScrubRemovesThePassword(t *testing.T) {
	s, err := New("crm", "postgres://scanner:Sup3r-secret@127.0.0.1:1/crm", Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, detail := s.classify(errors.New("server said Sup3r-secret was wrong"))
	if strings.Contains(detail, "Sup3r-secret") {
		t.Errorf("detail shows the password: %q", detail)
	}
}

func TestUnitsFailsWithoutShowingThePassword(t *testing.T) {
	// Port 1 on loopback refuses at once: the source fails, naming where, never the password.
	s, err := New("crm", "postgres://scanner:Sup3r-secret@127.0.0.1:1/crm?sslmode=disable&connect_timeout=2", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.Units(context.Background(), func(scanner.Unit) error { return nil })
	if err == nil {
		t.Fatal("Units succeeded against a closed port")
	}
	if strings.Contains(err.Error(), "Sup3r-secret") {
		t.Errorf("error shows the password: %v", err)
	}
	if !strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("error %q does not say where", err)
	}
}

func TestSeedIsStablePerTable(t *testing.T) {
	a, _ := New("crm", "postgres://x@127.0.0.1/crm", Options{Seed: 7})
	b, _ := New("crm", "postgres://x@127.0.0.1/crm", Options{Seed: 8})
	if a.seedFor("public.t") != a.seedFor("public.t") {
		t.Error("the same table and seed gave different seeds")
	}
	if a.seedFor("public.t") == a.seedFor("public.u") || a.seedFor("public.t") == b.seedFor("public.t") {
		t.Error("different tables or scan seeds gave the same seed")
	}
	if v := a.seedFor("public.t"); v < 0 || v >= 1 {
		t.Errorf("seed %v out of [0, 1)", v)
	}
}

func TestDefaults(t *testing.T) {
	s, err := New("crm", "postgres://x@127.0.0.1/crm", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.opt.SampleRows != 10000 || s.opt.StatementTimeout != 30*time.Second || s.opt.MaxConns != 2 {
		t.Errorf("defaults = %+v", s.opt)
	}
	if s.cfg.RuntimeParams["application_name"] != "datamap" || s.cfg.RuntimeParams["default_transaction_read_only"] != "on" {
		t.Errorf("session guards missing: %v", s.cfg.RuntimeParams)
	}
}

func FuzzNewNeverShowsThePassword(f *testing.F) {
	for _, dsn := range []string{
		"postgres://scanner:%s@crm.example.org:5433/housing?sslmode=require",
		"postgres://scanner@crm.example.org/housing?password=%s",
		"host=crm.example.org user=scanner password=%s dbname=housing",
		"postgres://scanner:%s@crm.example.org:bad/housing",
		"postgresql://scanner:%s@[::1]:5432/x?sslpassword=%s",
	} {
		f.Add(dsn, "Sup3r-secret")
	}
	f.Fuzz(func(t *testing.T, shape, password string) {
		if len(password) < 8 || strings.ContainsAny(password, " '\\%@/:?&=#[]") {
			return // passwords short enough to collide with other parts of the string prove nothing
		}
		dsn := strings.ReplaceAll(shape, "%s", password)
		if !strings.Contains(dsn, password) {
			return
		}
		s, err := New("crm", dsn, Options{})
		if err != nil {
			if strings.Contains(err.Error(), password) {
				t.Fatalf("error shows the password: %v", err)
			}
			return
		}
		// The parsed password, when it is long and appears nowhere else in the string, must not be shown.
		if pw := s.cfg.Password; len(pw) >= 8 && strings.Count(dsn, pw) == 1 && strings.Contains(s.Info().Location, pw) {
			t.Fatalf("Location %q shows the password", s.Info().Location)
		}
	})
}
