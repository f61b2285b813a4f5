package cmd

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	mysqldrv "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"

	"github.com/datamap-uk/datamap/scanner"
)

// TestScanPostgresEndToEnd runs `datamap scan postgres://...` in process against the real server that
// scripts/test starts, and checks what a DPO would rely on: fields classified with their column types and
// keys, comments used as name cues, the password nowhere in the output.
func TestScanPostgresEndToEnd(t *testing.T) {
	admin := os.Getenv("DATAMAP_TEST_POSTGRES_DSN")
	if admin == "" {
		t.Skip("DATAMAP_TEST_POSTGRES_DSN not set: run scripts/test, which starts a PostgreSQL server")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	db := fmt.Sprintf("datamap_cli_%d", os.Getpid())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+db); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Exec(ctx, "DROP DATABASE IF EXISTS "+db+" WITH (FORCE)") })

	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + db
	setup, err := pgx.Connect(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE tenants (id int PRIMARY KEY, full_name text, ref text, ethnicity text, colour text)`,
		`COMMENT ON COLUMN tenants.ref IS 'Patient NHS number'`,
		`INSERT INTO tenants SELECT g, (ARRAY['Jane Smith','Amir Khan','Grace Okafor','Tomasz Nowak'])[1 + g % 4],
		   (ARRAY['943 476 5919','401 023 2137','944 930 5552'])[1 + g % 3],
		   (ARRAY['White British','Pakistani','Black Caribbean','Indian'])[1 + g % 4],
		   (ARRAY['red','blue'])[1 + g % 2]
		 FROM generate_series(1, 200) g`,
		`ANALYZE tenants`,
	} {
		if _, err := setup.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	setup.Close(ctx)

	// The test server trusts loopback, so any password is accepted: it stands in for a real secret.
	u.User = url.UserPassword(u.User.Username(), "hunter2-secret")
	code, stdout, stderr := runCLI(t, "scan", u.String(), "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit %d; stderr %s", code, stderr)
	}
	if strings.Contains(stdout+stderr, "hunter2-secret") {
		t.Fatalf("the password reached the output")
	}
	validateSchema(t, []byte(stdout))
	var inv scanner.Inventory
	if err := json.Unmarshal([]byte(stdout), &inv); err != nil {
		t.Fatal(err)
	}
	if len(inv.Sources) != 1 || inv.Sources[0].Kind != "postgres" || inv.Sources[0].Status != scanner.StatusOK {
		t.Fatalf("sources %+v", inv.Sources)
	}
	fields := map[string]scanner.Field{}
	for _, f := range inv.Fields {
		fields[f.Field] = f
	}
	if f := fields["id"]; !f.PrimaryKey || f.Type != "integer" {
		t.Errorf("id: primary key %v, type %q", f.PrimaryKey, f.Type)
	}
	if f := fields["ref"]; !f.Personal || !slices.Contains(f.DataTypes, "nhs_number") {
		t.Errorf("ref (commented 'Patient NHS number'): %+v", f.Finding)
	}
	if f := fields["ethnicity"]; !slices.Contains(f.SpecialCategory, "racial_ethnic_origin") {
		t.Errorf("ethnicity: %+v", f.Finding)
	}
	if f := fields["full_name"]; !f.Personal {
		t.Errorf("full_name not personal: %+v", f.Finding)
	}
	if f := fields["colour"]; f.Personal {
		t.Errorf("colour classified personal: %+v", f.Finding)
	}
	if c := inv.Containers; len(c) != 1 || c[0].RowsSampled != 200 || c[0].RowsTotal != 200 {
		t.Errorf("containers %+v", c)
	}
}

// TestCheckLiveDatabases is the CI gate's live mode on both servers: a migration adds a personal column, the
// check fails naming it; after --update-baseline it passes.
func TestCheckLiveDatabases(t *testing.T) {
	type server struct {
		name, env string
		setup     func(t *testing.T, admin string) (dsn string, exec func(string))
	}
	servers := []server{
		{"postgres", "DATAMAP_TEST_POSTGRES_DSN", func(t *testing.T, admin string) (string, func(string)) {
			ctx := context.Background()
			conn, err := pgx.Connect(ctx, admin)
			if err != nil {
				t.Fatal(err)
			}
			db := fmt.Sprintf("datamap_check_%d", os.Getpid())
			if _, err := conn.Exec(ctx, "CREATE DATABASE "+db); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { conn.Exec(ctx, "DROP DATABASE IF EXISTS "+db+" WITH (FORCE)"); conn.Close(ctx) })
			u, _ := url.Parse(admin)
			u.Path = "/" + db
			c2, err := pgx.Connect(ctx, u.String())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c2.Close(ctx) })
			return u.String(), func(q string) {
				if _, err := c2.Exec(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
		}},
		{"mariadb", "DATAMAP_TEST_MYSQL_DSN", func(t *testing.T, admin string) (string, func(string)) {
			root, err := sql.Open("mysql", admin)
			if err != nil {
				t.Fatal(err)
			}
			db := fmt.Sprintf("datamap_check_%d", os.Getpid())
			if _, err := root.Exec("CREATE DATABASE " + db); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { root.Exec("DROP DATABASE IF EXISTS " + db); root.Close() })
			cfg, err := mysqldrv.ParseDSN(admin)
			if err != nil {
				t.Fatal(err)
			}
			cfg.DBName = db
			c2, err := sql.Open("mysql", cfg.FormatDSN())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c2.Close() })
			u := url.URL{Scheme: "mysql", User: url.UserPassword(cfg.User, cfg.Passwd), Host: cfg.Addr, Path: "/" + db}
			return u.String(), func(q string) {
				if _, err := c2.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
		}},
	}
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			admin := os.Getenv(s.env)
			if admin == "" {
				t.Skipf("%s not set: run scripts/test, which starts the server", s.env)
			}
			dsn, exec := s.setup(t, admin)
			exec("CREATE TABLE tenants (id int PRIMARY KEY, full_name varchar(100), colour varchar(20))")
			lock := filepath.Join(t.TempDir(), "datamap.lock")
			if code, _, stderr := runCLI(t, "check", dsn, "--baseline", lock, "--update-baseline"); code != ExitOK {
				t.Fatalf("--update-baseline: exit %d: %s", code, stderr)
			}
			if code, stdout, stderr := runCLI(t, "check", dsn, "--baseline", lock); code != ExitOK {
				t.Fatalf("unchanged schema: exit %d\n%s%s", code, stdout, stderr)
			}
			exec("ALTER TABLE tenants ADD COLUMN nhs_number varchar(12)")
			code, stdout, stderr := runCLI(t, "check", dsn, "--baseline", lock)
			if code != ExitFindings || !strings.Contains(stdout, "nhs_number") {
				t.Fatalf("a migration adding nhs_number: exit %d, want %d\n%s%s", code, ExitFindings, stdout, stderr)
			}
			if u, _ := url.Parse(dsn); u != nil {
				if pw, ok := u.User.Password(); ok && pw != "" && strings.Contains(stdout+stderr, pw) {
					t.Errorf("the password reached the check output")
				}
			}
		})
	}
}
