package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/datamap-uk/datamap/reports"
	"github.com/datamap-uk/datamap/scanner"
)

var fixedClock = func() time.Time { return time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC) }

// runCLI runs datamap in process and returns the exit code, stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), deps{stdout: &out, stderr: &errb, clock: fixedClock}, args)
	return code, out.String(), errb.String()
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const tenantsCSV = "Tenant Ref,Full Name,DOB,NI Number,Email,Notes\n" +
	"T001,Jane Smith,01/02/1980,AB 12 34 56 C,jane.smith@example.org,Has type 2 diabetes\n" +
	"T002,Oliver Patel,1975-06-30,AA123456B,oliver.patel@example.org,Tenant asked about the bins\n" +
	"T003,Amara Okafor,12/12/1950,PR 123612C,amara.okafor@example.org,ASB warning issued\n" +
	"T004,Grace Jones,03/04/1999,TW987654A,grace.jones@example.org,\n" +
	"T005,Sam Taylor,07/08/1966,JT654321B,sam.taylor@example.org,Moved to 12 Elm Court\n"

func validateSchema(t *testing.T, doc []byte) {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	schema, err := jsonschema.UnmarshalJSON(bytes.NewReader(reports.Schema))
	if err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	if err := c.AddResource("inventory.schema.json", schema); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("inventory.schema.json")
	if err != nil {
		t.Fatalf("schema: %v", err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("inventory is not JSON: %v", err)
	}
	if err := sch.Validate(v); err != nil {
		t.Fatalf("inventory does not match the schema: %v", err)
	}
}

func TestCLIUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"scan needs a path", []string{"scan"}, ExitUsage, "at least one path"},
		{"unknown format lists the valid ones", []string{"scan", "--format", "yaml", "."}, ExitUsage, "valid: html, json, md, xlsx"},
		{"unknown flag", []string{"scan", "--colour", "."}, ExitUsage, "unknown flag"},
		{"unknown command", []string{"frobnicate"}, ExitUsage, "unknown command"},
		{"missing config file", []string{"scan", "--config", "nope.toml", "."}, ExitUsage, "nope.toml"},
		{"negative sample size", []string{"scan", "--sample-rows", "-1", "."}, ExitUsage, "negative"},
		{"an --out folder that does not exist is refused before scanning", []string{"scan", ".", "--out", "no/such/dir/inv.json"}, ExitUsage, "no/such/dir does not exist"},
		{"a --report folder that does not exist is refused before scanning", []string{"scan", ".", "--report", "no/such/dir/datamap.xlsx"}, ExitUsage, "does not exist"},
		{"a retention schedule that does not exist", []string{"scan", ".", "--retention", "no-such-schedule.toml"}, ExitUsage, "no-such-schedule.toml"},
		{"a decisions file that does not exist", []string{"scan", ".", "--decisions", "no-such-decisions.toml"}, ExitUsage, "no-such-decisions.toml"},
		{"check: a decisions file that does not exist", []string{"check", ".", "--baseline", filepath.Join(os.TempDir(), "datamap-test.lock"), "--update-baseline", "--decisions", "no-such-decisions.toml"}, ExitUsage, "no-such-decisions.toml"},
		{"a date that is not YYYY-MM-DD", []string{"scan", ".", "--as-of", "2026-13-01"}, ExitUsage, "--as-of"},
		{"review import of a file that is not a workbook", []string{"review", "import", "cmd_test.go", "--decisions", filepath.Join(os.TempDir(), "d.toml")}, ExitUsage, "could not be read as a workbook"},
		{"review import into a folder that does not exist", []string{"review", "import", "x.xlsx", "--decisions", "no/such/dir/d.toml"}, ExitUsage, "does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q does not mention %q", stderr, tt.want)
			}
		})
	}
}

// A negative setting in the config file is refused like the same flag, not quietly replaced by the default.
func TestScanRefusesNegativeDatabaseConnections(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"datamap.toml": "[scan]\nmax_db_connections = -1\n"})
	code, _, stderr := runCLI(t, "scan", "--config", filepath.Join(dir, "datamap.toml"), dir)
	if code != ExitUsage || !strings.Contains(stderr, "negative") {
		t.Errorf("exit %d, stderr %q; want exit %d saying a setting is negative", code, stderr, ExitUsage)
	}
}

func TestUsageErrorsSayItOnce(t *testing.T) {
	code, _, stderr := runCLI(t, "scan", ".", "--retention", "no-such-schedule.toml")
	if code != ExitUsage || strings.Count(stderr, "retention schedule") != 1 {
		t.Errorf("exit %d, stderr %q; want exit %d naming the retention schedule once", code, stderr, ExitUsage)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	if code != ExitOK || !strings.Contains(out, "datamap "+Version) {
		t.Fatalf("version: exit %d, %q", code, out)
	}
}

func TestRulesListsTheEffectivePack(t *testing.T) {
	dir := t.TempDir()
	user := filepath.Join(dir, "ours.toml")
	writeFiles(t, dir, map[string]string{"ours.toml": `
disable = ["vehicle-registration"]
[[rule]]
id = "org-tenancy-ref"
description = "Our tenancy reference"
data_type = "tenancy_reference"
pattern = '\bTNC-\d{6}\b'
keywords = ["tnc-"]
[rule.examples]
values = ["TNC-123456"]
`})
	code, out, stderr := runCLI(t, "rules", "--rules", user)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "org-tenancy-ref") || !strings.Contains(out, user) {
		t.Errorf("custom rule or its origin missing:\n%s", out)
	}
	if strings.Contains(out, "vehicle-registration ") {
		t.Errorf("disabled rule still listed")
	}
	code, out, _ = runCLI(t, "rules", "--format", "json")
	var list []map[string]any
	if code != ExitOK || json.Unmarshal([]byte(out), &list) != nil || len(list) < 20 {
		t.Fatalf("rules --format json: exit %d, %d rules", code, len(list))
	}

	writeFiles(t, dir, map[string]string{"bad.toml": "[[rule]]\nid = \"x\"\nkolour = 1\n"})
	code, _, stderr = runCLI(t, "rules", "--rules", filepath.Join(dir, "bad.toml"))
	if code != ExitUsage || !strings.Contains(stderr, "unknown keys: rule.kolour") {
		t.Errorf("bad pack: exit %d, stderr %q", code, stderr)
	}
}

func TestScanWritesPrivateSchemaValidInventory(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"estate/tenants.csv":    tenantsCSV,
		"estate/letters/a.txt":  "Dear Mrs Okafor, your NHS number 943 476 5919 is on file.",
		"estate/broken.xlsx":    "PK\x03\x04 this is not really a workbook",
		"estate/legacy/old.bin": "\x00\x01\x02\x03\x04\x05\x06\x07 binary",
	})
	out := filepath.Join(dir, "inventory.json")
	code, stdout, stderr := runCLI(t, "scan", filepath.Join(dir, "estate"), "--out", out)
	if code != ExitOK {
		t.Fatalf("exit %d, want %d (unreadable files are findings, not a failed scan); stderr %q", code, ExitOK, stderr)
	}
	if !strings.Contains(stdout, "inventory written to") || !strings.Contains(stdout, "could not read:") {
		t.Errorf("summary missing:\n%s", stdout)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("inventory mode %v, want 0600", fi.Mode().Perm())
	}
	doc, _ := os.ReadFile(out)
	validateSchema(t, doc)

	var inv scanner.Inventory
	if err := json.Unmarshal(doc, &inv); err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, u := range inv.Unreadable {
		reasons[u.Path] = u.Reason
	}
	if reasons["broken.xlsx"] != scanner.ReasonCorrupt || reasons["legacy/old.bin"] != scanner.ReasonUnknownBinary {
		t.Errorf("unreadable register = %v", reasons)
	}
	personal := map[string]bool{}
	for _, f := range inv.Fields {
		personal[f.Container+"#"+f.Field] = f.Personal
	}
	for _, k := range []string{"tenants.csv#Full Name", "tenants.csv#DOB", "tenants.csv#NI Number", "tenants.csv#Email", "letters/a.txt#*"} {
		if !personal[k] {
			t.Errorf("%s not classified personal", k)
		}
	}
	if inv.Sources[0].Status != scanner.StatusOK || inv.Sources[0].Unreadable != 2 || inv.Sources[0].Failed != 0 {
		t.Errorf("source = %+v, want ok with 2 unreadable, none failed", inv.Sources[0])
	}
	code, _, _ = runCLI(t, "scan", filepath.Join(dir, "estate"), "--format", "json", "--fail-on-unreadable")
	if code != ExitPartial {
		t.Errorf("--fail-on-unreadable: exit %d, want %d", code, ExitPartial)
	}
}

func TestScanCleanTreeExitsZeroAndJSONGoesToStdout(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"tenants.csv": tenantsCSV})
	code, stdout, stderr := runCLI(t, "scan", filepath.Join(dir, "tenants.csv"), "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	validateSchema(t, []byte(stdout))
	if !strings.Contains(stderr, "personal fields:") {
		t.Errorf("summary should go to stderr when stdout carries JSON: %q", stderr)
	}
}

func TestScanMissingPathFailsTheSourceNotTheRun(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"tenants.csv": tenantsCSV})
	code, stdout, _ := runCLI(t, "scan", filepath.Join(dir, "nope"), filepath.Join(dir, "tenants.csv"), "--format", "json")
	if code != ExitPartial {
		t.Fatalf("exit %d, want %d", code, ExitPartial)
	}
	var inv scanner.Inventory
	if err := json.Unmarshal([]byte(stdout), &inv); err != nil {
		t.Fatal(err)
	}
	if len(inv.Sources) != 2 || inv.Sources[0].Status != scanner.StatusFailed || inv.Sources[1].Status != scanner.StatusOK {
		t.Fatalf("sources = %+v", inv.Sources)
	}
	if inv.Summary.PersonalFields == 0 {
		t.Error("the readable source was not scanned")
	}
}

func TestNoRawValueLeavesTheTool(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"tenants.csv": tenantsCSV})
	out := filepath.Join(dir, "inv.json")
	_, stdout, stderr := runCLI(t, "scan", dir, "--out", out)
	doc, _ := os.ReadFile(out)
	all := stdout + stderr + string(doc)
	for _, raw := range []string{"Jane Smith", "jane.smith@example.org", "AB 12 34 56 C", "01/02/1980", "diabetes", "Okafor", "12 Elm Court"} {
		if strings.Contains(all, raw) {
			t.Errorf("raw value %q appears in output", raw)
		}
	}
}

func TestConfigFileSetsSamplingAndRules(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"datamap.toml":  "[scan]\nsample_rows = 2\n[rules]\ndisable = [\"uk-email\"]\n",
		"t/tenants.csv": tenantsCSV,
	})
	code, stdout, stderr := runCLI(t, "scan", "--config", filepath.Join(dir, "datamap.toml"), filepath.Join(dir, "t"), "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var inv scanner.Inventory
	if err := json.Unmarshal([]byte(stdout), &inv); err != nil {
		t.Fatal(err)
	}
	if inv.Settings.SampleRows != 2 || inv.Containers[0].RowsSampled != 2 || inv.Containers[0].RowsTotal != 5 {
		t.Errorf("sampling not applied: settings %+v, container %+v", inv.Settings, inv.Containers[0])
	}
	for _, f := range inv.Fields {
		if _, ok := f.Evidence.Matched["uk-email"]; ok {
			t.Error("disabled rule still matched")
		}
	}
	writeFiles(t, dir, map[string]string{"bad.toml": "[scan]\nsample_rowz = 2\n"})
	code, _, stderr = runCLI(t, "scan", "--config", filepath.Join(dir, "bad.toml"), dir)
	if code != ExitUsage || !strings.Contains(stderr, "sample_rowz") {
		t.Errorf("misspelt config key: exit %d, %q", code, stderr)
	}
}
