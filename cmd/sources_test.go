package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datamap-uk/datamap/scanner"
)

func TestInitWritesAStarterConfigThatLoads(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "datamap.toml")
	code, stdout, stderr := runCLI(t, "init", "--out", out)
	if code != ExitOK || !strings.Contains(stdout, "wrote") {
		t.Fatalf("init: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if _, err := loadConfig(out); err != nil {
		t.Fatalf("the starter config does not load: %v", err)
	}
	// Uncommented, every example in it must still be valid: users start by removing the #.
	b, _ := os.ReadFile(out)
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "# ") && !strings.HasPrefix(l, "# datamap.toml") && !strings.HasPrefix(l, "# Docs") &&
			!strings.HasPrefix(l, "# One [[source]]") && !strings.HasPrefix(l, "# stable.") && !strings.HasPrefix(l, "# Rule-pack") {
			l = strings.TrimPrefix(l, "# ")
		}
		lines = append(lines, l)
	}
	uncommented := filepath.Join(dir, "full.toml")
	os.WriteFile(uncommented, []byte(strings.Join(lines, "\n")), 0o644)
	cfg, err := loadConfig(uncommented)
	if err != nil {
		t.Fatalf("the starter config with its examples uncommented does not load: %v", err)
	}
	if len(cfg.Sources) != 3 || cfg.Scan.StatementTimeout.Seconds() != 30 || len(cfg.Rules.Rules) != 1 {
		t.Errorf("uncommented starter: %d sources, timeout %v, %d rules", len(cfg.Sources), cfg.Scan.StatementTimeout, len(cfg.Rules.Rules))
	}

	if code, _, stderr := runCLI(t, "init", "--out", out); code != ExitUsage || !strings.Contains(stderr, "--force") {
		t.Errorf("init over an existing file: exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := runCLI(t, "init", "--out", out, "--force"); code != ExitOK {
		t.Errorf("init --force: exit %d", code)
	}
}

func TestConfigSources(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"share/tenants.csv": tenantsCSV})
	share := filepath.ToSlash(filepath.Join(dir, "share"))
	tests := []struct {
		name     string
		config   string
		env      map[string]string
		code     int
		stderr   string
		noLeak   string
		wantName string
	}{
		{"a named share", "[[source]]\nname = \"estate\"\npath = \"" + share + "\"\n", nil, ExitOK, "", "", "estate"},
		{"a password in the file is refused", "[[source]]\nname = \"crm\"\ndsn = \"postgres://scanner:hunter2@db.example.org/crm\"\n", nil,
			ExitUsage, "password_env", "hunter2", ""},
		{"a password as a query parameter is refused", "[[source]]\nname = \"crm\"\ndsn = \"postgres://scanner@db.example.org/crm?password=hunter2\"\n", nil,
			ExitUsage, "environment variable", "hunter2", ""},
		{"an empty dsn_env is an error naming the variable", "[[source]]\nname = \"crm\"\ndsn_env = \"DATAMAP_TEST_UNSET_DSN\"\n", nil,
			ExitUsage, "DATAMAP_TEST_UNSET_DSN", "", ""},
		{"path and dsn together", "[[source]]\nname = \"x\"\npath = \"a\"\ndsn = \"postgres://h/db\"\n", nil, ExitUsage, "exactly one", "", ""},
		{"two sources with one name", "[[source]]\nname = \"x\"\npath = \"a\"\n[[source]]\nname = \"x\"\npath = \"b\"\n", nil, ExitUsage, "two sources", "", ""},
		{"an unknown key", "[[source]]\nname = \"x\"\npath = \"a\"\nsampel_rows = 3\n", nil, ExitUsage, "unknown keys: source.sampel_rows", "", ""},
		{"an unknown scheme", "[[source]]\nname = \"x\"\ndsn = \"oracle://h/db\"\n", nil, ExitUsage, "unknown database scheme", "", ""},
		{"an unreachable database fails its source, not the run, and the password stays secret",
			"[[source]]\nname = \"crm\"\ndsn_env = \"DATAMAP_TEST_CRM_DSN\"\n",
			map[string]string{"DATAMAP_TEST_CRM_DSN": "postgres://scanner:hunter2@127.0.0.1:1/crm?sslmode=disable&connect_timeout=2"},
			ExitPartial, "", "hunter2", "crm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			cfg := filepath.Join(t.TempDir(), "datamap.toml")
			os.WriteFile(cfg, []byte(tt.config), 0o644)
			code, stdout, stderr := runCLI(t, "scan", "--config", cfg, "--format", "json")
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q lacks %q", stderr, tt.stderr)
			}
			if tt.noLeak != "" && (strings.Contains(stdout, tt.noLeak) || strings.Contains(stderr, tt.noLeak)) {
				t.Errorf("%q leaked into the output", tt.noLeak)
			}
			if tt.wantName == "" {
				return
			}
			var inv scanner.Inventory
			if err := json.Unmarshal([]byte(stdout), &inv); err != nil {
				t.Fatal(err)
			}
			if len(inv.Sources) != 1 || inv.Sources[0].Name != tt.wantName {
				t.Fatalf("sources %+v", inv.Sources)
			}
			if tt.code == ExitPartial && (inv.Sources[0].Status != scanner.StatusFailed || inv.Sources[0].Error == "") {
				t.Errorf("unreachable source: %+v, want failed with a reason", inv.Sources[0])
			}
		})
	}
}

func TestDSNTyposAreRefusedWithoutEchoingThem(t *testing.T) {
	for _, arg := range []string{"postgress://u:S3cretPW@h/db", "u:S3cretPW@db.example.org/hr",
		"host=db.example.org user=scanner password=S3cretPW dbname=crm"} {
		code, stdout, stderr := runCLI(t, "scan", arg, "--format", "json")
		if code != ExitUsage || !strings.Contains(stderr, "connection string") {
			t.Errorf("%s: exit %d, stderr %q", arg, code, stderr)
		}
		if strings.Contains(stdout+stderr, "S3cretPW") {
			t.Errorf("%s: the password was echoed", arg)
		}
	}
}

func TestKindOf(t *testing.T) {
	for arg, want := range map[string]string{
		"postgres://u@h/db": "postgres", "postgresql://h/db": "postgres", "mysql://u@h/db": "mysql",
		"MariaDB://h/db": "mysql", "sqlite:///tmp/a.db": "sqlite", "./estate": "files", "C:\\share": "files",
		"smb://server/share": "files", "notes/a://b": "files",
	} {
		if got := kindOf(arg); got != want {
			t.Errorf("kindOf(%q) = %q, want %q", arg, got, want)
		}
	}
	for _, dsn := range []string{
		"postgres://u:secret@h/db?password=secret2", "postgres://u@h/db?sslpassword=secret3&sslmode=require",
		"scanner:secret@tcp(127.0.0.1:3306)/hr?tls=skip-verify",
	} {
		if got := redactDSN(dsn); strings.Contains(got, "secret") || !strings.Contains(got, "://") {
			t.Errorf("redactDSN(%q) = %q", dsn, got)
		}
	}
	if kindOf("scanner:pw@tcp(127.0.0.1:3306)/hr") != "mysql" {
		t.Errorf("the MySQL driver's own DSN form is not recognised")
	}
}
