package cmd

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/datamap-uk/datamap/rules"
	"github.com/datamap-uk/datamap/scanner"
	"github.com/datamap-uk/datamap/testdata/gen"
)

var update = flag.Bool("update", false, "rewrite golden files")

// scanDemo generates the demo estate afresh (so file times are the generator's) and scans it in process.
func scanDemo(t *testing.T) (*scanner.Inventory, []byte, *gen.Labels) {
	t.Helper()
	dir := t.TempDir()
	if err := gen.Write(dir); err != nil {
		t.Fatalf("generate demo estate: %v", err)
	}
	t.Chdir(dir)
	code, stdout, stderr := runCLI(t, "scan", "estate", "--format", "json")
	if code != ExitOK {
		t.Fatalf("demo scan exit %d, want %d; stderr %s", code, ExitOK, stderr)
	}
	// The source location is absolute: take the temporary folder out so the golden holds still.
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	stdout = strings.ReplaceAll(stdout, filepath.ToSlash(real), "$DEMO")
	stdout = strings.ReplaceAll(stdout, filepath.ToSlash(dir), "$DEMO")
	var inv scanner.Inventory
	if err := json.Unmarshal([]byte(stdout), &inv); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "labels.json"))
	if err != nil {
		t.Fatal(err)
	}
	var l gen.Labels
	if err := json.Unmarshal(b, &l); err != nil {
		t.Fatalf("labels.json: %v", err)
	}
	return &inv, []byte(stdout), &l
}

func TestDemoInventoryGolden(t *testing.T) {
	_, doc, _ := scanDemo(t)
	validateSchema(t, doc)
	golden := filepath.Join(goldenDir(t), "demo.inventory.json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, doc, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run: go test ./cmd -run TestDemoInventoryGolden -update)", err)
	}
	if !bytes.Equal(doc, want) {
		t.Errorf("demo inventory differs from %s; if the change is intended, run: go test ./cmd -run TestDemoInventoryGolden -update\n%s",
			golden, firstDiff(string(want), string(doc)))
	}
}

func goldenDir(t *testing.T) string {
	t.Helper()
	wd, err := filepath.Abs(filepath.Join(moduleRoot, "testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

// moduleRoot is resolved before any test changes directory.
var moduleRoot = func() string {
	wd, _ := os.Getwd()
	return filepath.Dir(wd)
}()

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  want %s\n  got  %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths differ: want %d lines, got %d", len(al), len(bl))
}

type counts struct{ tp, fp, fn int }

func (c counts) prf() (p, r, f float64) {
	if c.tp+c.fp > 0 {
		p = float64(c.tp) / float64(c.tp+c.fp)
	} else {
		p = 1
	}
	if c.tp+c.fn > 0 {
		r = float64(c.tp) / float64(c.tp+c.fn)
	} else {
		r = 1
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

func (c *counts) add(want, got bool) {
	switch {
	case want && got:
		c.tp++
	case got:
		c.fp++
	case want:
		c.fn++
	}
}

// TestDetectionQuality scores a scan of the demo estate against its ground-truth labels and fails below the
// floors. The figures it logs are the ones the README quotes: go test ./cmd -run TestDetectionQuality -v
func TestDetectionQuality(t *testing.T) {
	inv, _, l := scanDemo(t)
	got := map[string]scanner.Field{}
	for _, f := range inv.Fields {
		got[f.Container+"#"+f.Field] = f
	}

	var personal, criminal counts
	special := map[string]*counts{}
	var unlabelled, missing []string
	labelled := map[string]bool{}
	decoys, decoysFired := 0, 0
	for _, lf := range l.Fields {
		key := lf.Container + "#" + lf.Field
		labelled[key] = true
		f, ok := got[key]
		if !ok {
			missing = append(missing, key)
		}
		personal.add(lf.Personal, f.Personal)
		criminal.add(lf.Criminal, f.Personal && f.CriminalOffence)
		for _, sc := range rules.SpecialCategories() {
			if special[sc] == nil {
				special[sc] = &counts{}
			}
			special[sc].add(slices.Contains(lf.SpecialCategory, sc), f.Personal && slices.Contains(f.SpecialCategory, sc))
		}
		if lf.Decoy {
			decoys++
			if f.Personal && (len(f.SpecialCategory) > 0 || f.CriminalOffence || !lf.Personal) {
				decoysFired++
				t.Logf("decoy fired: %s -> %v %v", key, f.DataTypes, f.SpecialCategory)
			}
		}
		if lf.Personal != f.Personal {
			t.Logf("personal mismatch: %s label=%v got=%v types=%v conf=%.2f", key, lf.Personal, f.Personal, f.DataTypes, f.Confidence)
		}
	}
	for key := range got {
		if !labelled[key] {
			unlabelled = append(unlabelled, key)
		}
	}
	sort.Strings(unlabelled)
	var spAll counts
	for _, c := range special {
		spAll.tp += c.tp
		spAll.fp += c.fp
		spAll.fn += c.fn
	}

	foundUnreadable := map[string]string{}
	for _, u := range inv.Unreadable {
		foundUnreadable[u.Path] = u.Reason
	}
	unreadHit := 0
	for _, u := range l.Unreadable {
		if r, ok := foundUnreadable[u.Path]; ok && r == u.Reason {
			unreadHit++
		} else {
			t.Logf("unreadable %s: want %s, got %q", u.Path, u.Reason, r)
		}
	}
	unreadRecall := 1.0
	if len(l.Unreadable) > 0 {
		unreadRecall = float64(unreadHit) / float64(len(l.Unreadable))
	}

	var report strings.Builder
	line := func(name string, c counts) {
		p, r, f := c.prf()
		fmt.Fprintf(&report, "%-22s P %.2f  R %.2f  F1 %.2f  (tp %d fp %d fn %d)\n", name, p, r, f, c.tp, c.fp, c.fn)
	}
	line("personal", personal)
	line("special (all classes)", spAll)
	for _, sc := range rules.SpecialCategories() {
		if c := *special[sc]; c.tp+c.fp+c.fn > 0 {
			line("  "+sc, c)
		}
	}
	line("criminal offence", criminal)
	fmt.Fprintf(&report, "unreadable recall      %.2f (%d of %d, reason must match)\n", unreadRecall, unreadHit, len(l.Unreadable))
	fmt.Fprintf(&report, "decoys that fired      %d of %d\n", decoysFired, decoys)
	t.Logf("detection quality on the demo estate (%d labelled fields):\n%s", len(l.Fields), report.String())

	if len(missing) > 0 {
		t.Errorf("labelled fields the scan did not report: %v", missing)
	}
	if len(unlabelled) > 0 {
		t.Errorf("fields the scan reported that have no label: %v", unlabelled)
	}
	// Floors: raise them as detection improves; never lower them to pass.
	floors := []struct {
		name  string
		c     counts
		minF1 float64
	}{
		{"personal", personal, 0.9},
		{"special category", spAll, 0.85},
		{"criminal offence", criminal, 0.8},
	}
	for _, fl := range floors {
		if _, _, f := fl.c.prf(); f < fl.minF1 {
			t.Errorf("%s F1 %.2f below the floor %.2f", fl.name, f, fl.minF1)
		}
	}
	if unreadRecall < 0.9 {
		t.Errorf("unreadable recall %.2f below the floor 0.90", unreadRecall)
	}
}

// TestDemoRetentionCountsMatchTheData counts the demo's former tenancies past six years independently, from
// the generated CSV, and compares with the retention register, at two dates.
func TestDemoRetentionCountsMatchTheData(t *testing.T) {
	dir := t.TempDir()
	if err := gen.Write(dir); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "estate", "crm", "tenants.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], "tenancy_end")
	for _, asOf := range []string{"2026-11-30", "2029-06-30"} {
		day, _ := time.Parse(time.DateOnly, asOf)
		cutoff := day.AddDate(-6, 0, 0)
		want := 0
		for _, r := range rows[1:] {
			if end, err := time.Parse("02/01/2006", r[col]); err == nil && end.Before(cutoff) {
				want++
			}
		}
		code, stdout, stderr := runCLI(t, "scan", filepath.Join(dir, "estate"), "--format", "json", "--as-of", asOf)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var inv scanner.Inventory
		if err := json.Unmarshal([]byte(stdout), &inv); err != nil {
			t.Fatal(err)
		}
		var got *scanner.RetentionResult
		for i, r := range inv.Retention {
			if strings.HasSuffix(r.Container, "crm/tenants.csv") {
				got = &inv.Retention[i]
			}
		}
		if got == nil || got.Rule != "tenancy-file" || got.DateField != "tenancy_end" || got.Method != scanner.MethodExact {
			t.Fatalf("as of %s: retention entry %+v", asOf, got)
		}
		if got.StaleRows != int64(want) || got.TotalRows != int64(len(rows)-1) || got.Cutoff != cutoff.Format(time.DateOnly) {
			t.Errorf("as of %s: %d of %d stale before %s, want %d of %d before %s", asOf, got.StaleRows, got.TotalRows,
				got.Cutoff, want, len(rows)-1, cutoff.Format(time.DateOnly))
		}
		if want == 0 {
			t.Errorf("as of %s the fixture has no stale tenancies: the test proves nothing", asOf)
		}
	}
	if code, _, stderr := runCLI(t, "scan", dir, "--as-of", "30/11/2026"); code != ExitUsage || !strings.Contains(stderr, "--as-of") {
		t.Errorf("a bad --as-of: exit %d, %q", code, stderr)
	}
}
