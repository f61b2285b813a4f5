package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportRendersASavedInventory(t *testing.T) {
	golden := filepath.Join(goldenDir(t), "demo.inventory.json")
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "report", golden, "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != string(want) {
		t.Errorf("a saved inventory does not round-trip through report --format json:\n%s", firstDiff(string(want), stdout))
	}

	out := filepath.Join(t.TempDir(), "copy.json")
	if code, _, stderr := runCLI(t, "report", golden, "-o", out); code != ExitOK {
		t.Fatalf("report -o copy.json: exit %d: %s", code, stderr)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("report file: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}
}

func TestReportAndScanRefuseWhatTheyCannotWrite(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"old.json":    `{"schema_version": "2.0", "fields": []}`,
		"broken.json": `{"schema_version": `,
		"other.json":  `{"name": "not an inventory"}`,
		"tenants.csv": tenantsCSV,
		// JSON that is not an inventory but has its keys: the decoder's messages would quote these values.
		"number.json": `{"schema_version": "1.0", "fields": [{"field": 4111111111111111}]}`,
		"date.json":   `{"schema_version": "1.0", "generated_at": "Jane Smith 07700 900123"}`,
		"array.json":  `[4111111111111111]`,
	})
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"a future major schema version", []string{"report", filepath.Join(dir, "old.json"), "--format", "json"}, "reads 1.x"},
		{"a file that is not an inventory", []string{"report", filepath.Join(dir, "broken.json"), "--format", "json"}, "not a datamap inventory"},
		{"JSON that is not an inventory", []string{"report", filepath.Join(dir, "other.json"), "--format", "json"}, "no schema_version"},
		{"a CSV given as an inventory", []string{"report", filepath.Join(dir, "tenants.csv"), "--format", "json"}, "not JSON"},
		{"a number where a name belongs", []string{"report", filepath.Join(dir, "number.json"), "--format", "json"}, "fields.field should be a string"},
		{"a string that is not a date", []string{"report", filepath.Join(dir, "date.json"), "--format", "json"}, "has the wrong form"},
		{"a JSON list", []string{"report", filepath.Join(dir, "array.json"), "--format", "json"}, "not a JSON object"},
		{"no format and no file name to take it from", []string{"report", filepath.Join(dir, "old.json")}, "say which report"},
		{"a report into a folder that does not exist", []string{"report", filepath.Join(dir, "old.json"), "-o", filepath.Join(dir, "no", "r.md")}, "does not exist"},
		{"a scan report with an unknown extension", []string{"scan", dir, "--report", filepath.Join(dir, "x.pdf")}, "must end in one of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != ExitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, stderr, ExitUsage, tt.want)
			}
			// The decoder quotes the byte it stopped at, a number or a date it could not take: the file's content.
			for _, leak := range []string{"'T'", "4111111111111111", "Jane Smith"} {
				if strings.Contains(stderr, leak) {
					t.Errorf("the error quotes the file's content: %q", stderr)
				}
			}
		})
	}
}
