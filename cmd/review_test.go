package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/datamap-uk/datamap/reports"
	"github.com/datamap-uk/datamap/scanner"
)

// TestReviewCycle is the DPO's loop: scan with a workbook, mark a field "not personal" in Excel, import the
// decisions, rescan: the field is suppressed with its reason, and check treats decided fields as known.
func TestReviewCycle(t *testing.T) {
	dir := t.TempDir()
	share := filepath.Join(dir, "share")
	writeFiles(t, share, map[string]string{"tenants.csv": tenantsCSV})
	book := filepath.Join(dir, "datamap.xlsx")
	decisions := filepath.Join(dir, "datamap.decisions.toml")
	if code, _, stderr := runCLI(t, "scan", share, "--report", book, "-q"); code != ExitOK {
		t.Fatalf("scan --report: exit %d %s", code, stderr)
	}

	// The DPO marks the Email field "not personal" (a shared mailbox, say) and fills a purpose.
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(reports.SheetDataMap)
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i + 1
	}
	target := ""
	for r, row := range rows[1:] {
		if strings.HasSuffix(row[0], "#Email") {
			target = row[0]
			for h, v := range map[string]string{"Decision": "not personal", "Purpose": "Shared mailbox, no person"} {
				cell, _ := excelize.CoordinatesToCellName(col[h], r+2)
				f.SetCellValue(reports.SheetDataMap, cell, v)
			}
		}
	}
	if target == "" || col["Decision"] == 0 {
		t.Fatalf("no Email row or Decision column in the workbook: %v", rows[0])
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	code, stdout, stderr := runCLI(t, "review", "import", book, "--decisions", decisions, "--reviewed-by", "DPO")
	if code != ExitOK || !strings.Contains(stdout, "1 decisions imported") {
		t.Fatalf("review import: exit %d\n%s%s", code, stdout, stderr)
	}
	b, _ := os.ReadFile(decisions)
	if !strings.Contains(string(b), target) || !strings.Contains(string(b), "not personal") {
		t.Fatalf("decisions file:\n%s", b)
	}

	code, stdout, stderr = runCLI(t, "scan", share, "--format", "json", "--decisions", decisions)
	if code != ExitOK || !strings.Contains(stderr, "1 suppressed") {
		t.Fatalf("scan --decisions: exit %d, stderr %q", code, stderr)
	}
	var inv scanner.Inventory
	if err := json.Unmarshal([]byte(stdout), &inv); err != nil {
		t.Fatal(err)
	}
	for _, fl := range inv.Fields {
		switch {
		case fl.Fingerprint == target && (!fl.Suppressed || fl.Review == nil || fl.Review.Purpose == ""):
			t.Errorf("decided field: suppressed %v, review %+v", fl.Suppressed, fl.Review)
		case fl.Fingerprint != target && fl.Personal && !fl.NewSinceReview:
			t.Errorf("%s is personal and unreviewed but not marked new since review", fl.Fingerprint)
		}
	}
	if inv.Summary.SuppressedFields != 1 {
		t.Errorf("summary suppressed_fields = %d", inv.Summary.SuppressedFields)
	}

	// The gate: with the decisions, the decided field is known; the rest are not.
	lock := filepath.Join(dir, "datamap.lock")
	os.WriteFile(lock, []byte("version = 1\n"), 0o644)
	code, stdout, stderr = runCLI(t, "check", share, "--baseline", lock, "--decisions", decisions, "--format", "json")
	if code != ExitFindings || !strings.Contains(stdout, "tenants.csv#DOB") {
		t.Fatalf("check: exit %d, want %d with the undecided fields listed\n%s%s", code, ExitFindings, stdout, stderr)
	}
	if strings.Contains(stdout, target) {
		t.Errorf("check reports a field the DPO has decided on:\n%s", stdout)
	}
}
