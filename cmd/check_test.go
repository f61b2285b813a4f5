package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckGatesNewPersonalFields(t *testing.T) {
	dir := t.TempDir()
	share := filepath.Join(dir, "share")
	lock := filepath.Join(dir, "datamap.lock")
	writeFiles(t, share, map[string]string{"tenants.csv": tenantsCSV})

	code, _, stderr := runCLI(t, "check", share, "--baseline", lock)
	if code != ExitUsage || !strings.Contains(stderr, "--update-baseline") {
		t.Fatalf("no baseline: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "check", share, "--baseline", lock, "--update-baseline"); code != ExitOK {
		t.Fatalf("--update-baseline: exit %d, stderr %q", code, stderr)
	}
	if b, err := os.ReadFile(lock); err != nil || !strings.Contains(string(b), "tenants.csv#Email") {
		t.Fatalf("baseline: %v\n%s", err, b)
	}
	if code, stdout, stderr := runCLI(t, "check", share, "--baseline", lock); code != ExitOK {
		t.Fatalf("unchanged share: exit %d\n%s%s", code, stdout, stderr)
	}

	writeFiles(t, share, map[string]string{"health.csv": "Patient,NHS No,Ethnicity\nJane Smith,943 476 5919,White British\n" +
		"Amir Khan,401 023 2137,Pakistani\nGrace Okafor,944 930 5552,Black Caribbean\n"})
	code, stdout, _ := runCLI(t, "check", share, "--baseline", lock)
	if code != ExitFindings {
		t.Fatalf("new personal fields: exit %d, want %d\n%s", code, ExitFindings, stdout)
	}
	for _, want := range []string{"health.csv", "NHS No", "Ethnicity", "--update-baseline"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("check output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "943 476 5919") {
		t.Errorf("a raw value reached the check output")
	}

	code, stdout, _ = runCLI(t, "check", share, "--baseline", lock, "--format", "github")
	if code != ExitFindings || !strings.Contains(stdout, "::error") {
		t.Errorf("github format: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = runCLI(t, "check", share, "--baseline", lock, "--format", "sarif")
	var sarif map[string]any
	if code != ExitFindings || json.Unmarshal([]byte(stdout), &sarif) != nil || sarif["version"] != "2.1.0" {
		t.Errorf("sarif format: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := runCLI(t, "check", share, "--baseline", lock, "--format", "junit"); code != ExitUsage {
		t.Errorf("unknown format: exit %d, stderr %q", code, stderr)
	}
}

func TestDiffOfTwoScans(t *testing.T) {
	dir := t.TempDir()
	share := filepath.Join(dir, "share")
	writeFiles(t, share, map[string]string{"tenants.csv": tenantsCSV})
	before, after := filepath.Join(dir, "before.json"), filepath.Join(dir, "after.json")
	if code, _, stderr := runCLI(t, "scan", share, "--out", before); code != ExitOK {
		t.Fatalf("scan: %d %s", code, stderr)
	}
	writeFiles(t, share, map[string]string{"more.csv": "Name,Email\nJane Smith,jane@example.org\nAmir Khan,amir@example.org\n"})
	if code, _, stderr := runCLI(t, "scan", share, "--out", after); code != ExitOK {
		t.Fatalf("scan: %d %s", code, stderr)
	}
	code, stdout, _ := runCLI(t, "diff", before, after)
	if code != ExitOK || !strings.Contains(stdout, "more.csv") {
		t.Errorf("diff: exit %d\n%s", code, stdout)
	}
	if code, _, _ := runCLI(t, "diff", before, after, "--exit-code"); code != ExitFindings {
		t.Errorf("diff --exit-code with changes: exit %d, want %d", code, ExitFindings)
	}
	if code, _, _ := runCLI(t, "diff", before, before, "--exit-code"); code != ExitOK {
		t.Errorf("diff --exit-code without changes: exit %d", code)
	}
	code, stdout, _ = runCLI(t, "diff", before, after, "--format", "json")
	var ch map[string]any
	if code != ExitOK || json.Unmarshal([]byte(stdout), &ch) != nil {
		t.Errorf("diff --format json: exit %d\n%s", code, stdout)
	}
}

func TestCheckMigrationsWithoutADatabase(t *testing.T) {
	dir := t.TempDir()
	mig := filepath.Join(dir, "migrations")
	lock := filepath.Join(dir, "datamap.lock")
	writeFiles(t, mig, map[string]string{
		"001_init.sql": "CREATE TABLE tenants (\n  id int PRIMARY KEY,\n  full_name text,\n  colour text\n);\n",
	})
	if code, _, stderr := runCLI(t, "check", mig, "--baseline", lock, "--update-baseline"); code != ExitOK {
		t.Fatalf("--update-baseline: exit %d, stderr %q", code, stderr)
	}
	writeFiles(t, mig, map[string]string{
		"002_health.sql": "-- ALTER TABLE tenants ADD COLUMN in_a_comment text;\nALTER TABLE tenants\n  ADD COLUMN nhs_number text;\n",
	})
	code, stdout, stderr := runCLI(t, "check", mig, "--baseline", lock, "--format", "github")
	if code != ExitFindings {
		t.Fatalf("a migration adding nhs_number: exit %d, want %d\n%s%s", code, ExitFindings, stdout, stderr)
	}
	if !strings.Contains(stdout, "nhs_number") || !strings.Contains(stdout, "002_health.sql") || !strings.Contains(stdout, "line=") {
		t.Errorf("the annotation should name the field and point at the migration:\n%s", stdout)
	}
	if strings.Contains(stdout, "in_a_comment") {
		t.Errorf("DDL inside a comment was applied:\n%s", stdout)
	}
	if code, _, _ := runCLI(t, "check", mig, "--baseline", lock, "--dialect", "oracle"); code != ExitUsage {
		t.Errorf("unknown dialect: exit %d", code)
	}
}

func TestDecisionsDoNotHideAFieldThatBecameMoreSensitive(t *testing.T) {
	dir := t.TempDir()
	mig := filepath.Join(dir, "migrations")
	lock := filepath.Join(dir, "datamap.lock")
	decisions := filepath.Join(dir, "datamap.decisions.toml")
	writeFiles(t, mig, map[string]string{"001.sql": "CREATE TABLE clients (id int PRIMARY KEY, full_name text, notes text);\n"})
	if code, _, stderr := runCLI(t, "check", mig, "--baseline", lock, "--update-baseline"); code != ExitOK {
		t.Fatalf("--update-baseline: exit %d %s", code, stderr)
	}
	writeFiles(t, dir, map[string]string{"datamap.decisions.toml": "version = 1\n\n[[decision]]\nfingerprint = \"" +
		filepath.ToSlash(mig) + "/public.clients#full_name\"\ndecision = \"confirmed\"\n"})
	writeFiles(t, mig, map[string]string{"002.sql": "COMMENT ON COLUMN clients.full_name IS 'name and mental health diagnosis';\n"})
	code, stdout, stderr := runCLI(t, "check", mig, "--baseline", lock, "--decisions", decisions)
	if code != ExitFindings || !strings.Contains(stdout, "full_name") {
		t.Errorf("a reviewed field that became special category: exit %d, want %d\n%s%s", code, ExitFindings, stdout, stderr)
	}
	if strings.Count(stdout, "--update-baseline") > strings.Count(stdout, "datamap check") {
		t.Errorf("the fix hint repeats --update-baseline:\n%s", stdout)
	}
}

func TestCheckHintRepeatsTheScanFlagsQuotedForTheShell(t *testing.T) {
	dir := t.TempDir()
	share := filepath.Join(dir, "tenant exports")
	lock := filepath.Join(dir, "datamap.lock")
	writeFiles(t, share, map[string]string{"tenants.csv": tenantsCSV})
	os.WriteFile(lock, []byte("version = 1\n"), 0o644)

	code, stdout, stderr := runCLI(t, "check", share, "--baseline", lock, "--sample-rows", "3", "--include", "public.*")
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d: %s", code, ExitFindings, stderr)
	}
	for _, want := range []string{
		"datamap check '" + share + "' ", // a path with a space is quoted for the shell
		"--sample-rows 3",                // flags that shape the scan are repeated
		"--include 'public.*'",           // a glob reaches datamap, not the shell
		"--baseline " + shellQuote(lock) + " --update-baseline",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the hint lacks %q:\n%s", want, stdout)
		}
	}
}

func TestCheckSaysWhyItDidNotUpdateThePartialBaseline(t *testing.T) {
	dir := t.TempDir()
	share := filepath.Join(dir, "share")
	lock := filepath.Join(dir, "datamap.lock")
	writeFiles(t, share, map[string]string{"tenants.csv": tenantsCSV, "broken.xlsx": "PK\x03\x04 this is not really a workbook"})
	code, _, stderr := runCLI(t, "check", share, "--baseline", lock, "--update-baseline")
	if code != ExitPartial || !strings.Contains(stderr, "baseline was not updated") {
		t.Errorf("exit %d, stderr %q; want exit %d saying the baseline was not updated", code, stderr, ExitPartial)
	}
	if _, err := os.Stat(lock); err == nil {
		t.Error("a partial scan wrote the baseline")
	}
	code, _, stderr = runCLI(t, "check", share, "--baseline", filepath.Join(dir, "no", "such", "datamap.lock"), "--update-baseline")
	if code != ExitUsage || !strings.Contains(stderr, "does not exist") {
		t.Errorf("a baseline in a missing folder: exit %d, stderr %q", code, stderr)
	}
}
