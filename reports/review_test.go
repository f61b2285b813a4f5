package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/xuri/excelize/v2"

	"github.com/datamap-uk/datamap/scanner"
)

// reviewDay is the fixed "today" the review tests apply decisions on.
var reviewDay = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// Fingerprints of the demo estate the tests review.
const (
	fpPhone     = "estate/buildings/assets.csv#phone"
	fpNeed      = "estate/crm/housing_crm.db!support_needs#need"
	fpEthnicity = "estate/archive/2019_exports.zip!tenants_2019.csv#Ethnicity"
	fpFullName  = "estate/crm/contacts_export.tsv#FullName"
	fpCategory  = "estate/asb/cases.csv#category"
	fpEmail     = "estate/crm/contacts_export.tsv#Email"
	fpPostcode  = "estate/crm/contacts_export.tsv#Postcode"
	fpPercent   = "estate/archive/2019_exports.zip!reports/ethnicity_summary.csv#Percent"
	fpStale     = "estate/hr/leavers.csv#salary"
)

// workbook is an XLSX the DPO edits, with helpers that find cells by header and fingerprint as a person would.
type workbook struct {
	t testing.TB
	f *excelize.File
}

func openWorkbook(t testing.TB, data []byte) *workbook {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return &workbook{t: t, f: f}
}

func (w *workbook) col(header string) int {
	w.t.Helper()
	rows, err := w.f.GetRows(SheetDataMap)
	if err != nil {
		w.t.Fatal(err)
	}
	i := slices.Index(rows[0], header)
	if i < 0 {
		w.t.Fatalf("no column %q in %q", header, rows[0])
	}
	return i + 1
}

func (w *workbook) row(fp string) int {
	w.t.Helper()
	rows, err := w.f.GetRows(SheetDataMap)
	if err != nil {
		w.t.Fatal(err)
	}
	fc := w.col("Fingerprint")
	for i, r := range rows {
		if fc-1 < len(r) && r[fc-1] == fp {
			return i + 1
		}
	}
	w.t.Fatalf("no row for %s", fp)
	return 0
}

func (w *workbook) set(fp, header string, v any) {
	w.t.Helper()
	cell, _ := excelize.CoordinatesToCellName(w.col(header), w.row(fp))
	if err := w.f.SetCellValue(SheetDataMap, cell, v); err != nil {
		w.t.Fatal(err)
	}
}

func (w *workbook) get(fp, header string) string {
	w.t.Helper()
	cell, _ := excelize.CoordinatesToCellName(w.col(header), w.row(fp))
	v, err := w.f.GetCellValue(SheetDataMap, cell)
	if err != nil {
		w.t.Fatal(err)
	}
	return v
}

func (w *workbook) bytes() []byte {
	w.t.Helper()
	var b bytes.Buffer
	if _, err := w.f.WriteTo(&b); err != nil {
		w.t.Fatal(err)
	}
	return b.Bytes()
}

// reorder rewrites the Data map with its columns in reverse order and an extra column the DPO added.
func (w *workbook) reorder() {
	w.t.Helper()
	rows, err := w.f.GetRows(SheetDataMap)
	if err != nil {
		w.t.Fatal(err)
	}
	width := len(rows[0])
	for i, r := range rows {
		out := make([]any, width+1)
		for j := range width {
			v := ""
			if j < len(r) {
				v = r[j]
			}
			out[width-1-j] = v
		}
		out[width] = "ref " + string(rune('A'+i%26))
		if i == 0 {
			out[width] = "Our reference"
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := w.f.SetSheetRow(SheetDataMap, cell, &out); err != nil {
			w.t.Fatal(err)
		}
	}
}

func importBytes(data []byte) (*Decisions, error) {
	return ImportWorkbook(bytes.NewReader(data), int64(len(data)))
}

// dpoEdits are the decisions the tests type into the demo workbook.
func dpoEdits(w *workbook) {
	w.set(fpPhone, "Decision", "Not personal")
	w.set(fpPhone, "Notes", "Estate office switchboard")
	w.set(fpNeed, "Decision", "confirmed")
	w.set(fpNeed, "Categories of individuals", "Tenants")
	w.set(fpNeed, "Purpose", "Support planning")
	w.set(fpNeed, "Art. 6 lawful basis", "Public task")
	w.set(fpNeed, "Art. 9 / Art. 10 condition (DPA 2018 Sch. 1)", "Art 9(2)(h) Health or social care")
	w.set(fpNeed, "Recipients", "Support provider")
	w.set(fpEthnicity, "Decision", " to delete ")
	w.set(fpFullName, "Notes", "Ask the CRM team") // no decision yet
}

func wantEdited() []Decision {
	return []Decision{
		{Fingerprint: fpEthnicity, Decision: DecisionToDelete},
		{Fingerprint: fpPhone, Decision: DecisionNotPersonal, Notes: "Estate office switchboard"},
		{Fingerprint: fpFullName, Notes: "Ask the CRM team"},
		{Fingerprint: fpNeed, Decision: DecisionConfirmed, Individuals: "Tenants", Purpose: "Support planning",
			LawfulBasis: "Public task", Condition: "Art 9(2)(h) Health or social care", Recipients: "Support provider"},
	}
}

func sameDecisions(t *testing.T, got *Decisions, want []Decision) {
	t.Helper()
	if len(got.Decision) != len(want) {
		t.Fatalf("imported %d decisions, want %d: %+v", len(got.Decision), len(want), got.Decision)
	}
	for i := range want {
		if got.Decision[i] != want[i] {
			t.Errorf("decision %d =\n %+v, want\n %+v", i+1, got.Decision[i], want[i])
		}
	}
}

func TestImportWorkbookReadsTheDPOsColumns(t *testing.T) {
	t.Run("reads an untouched workbook as no decisions", func(t *testing.T) {
		d, err := importBytes(writeXLSX(t, demoInventory(t)))
		if err != nil {
			t.Fatal(err)
		}
		sameDecisions(t, d, nil)
	})
	t.Run("reads decisions typed in place, with a column inserted before the others", func(t *testing.T) {
		w := openWorkbook(t, writeXLSX(t, demoInventory(t)))
		if err := w.f.InsertCols(SheetDataMap, "A", 1); err != nil {
			t.Fatal(err)
		}
		if err := w.f.SetCellValue(SheetDataMap, "A1", "Team"); err != nil {
			t.Fatal(err)
		}
		dpoEdits(w)
		w.set(fpPhone, "Team", "Estates")
		d, err := importBytes(w.bytes())
		if err != nil {
			t.Fatal(err)
		}
		sameDecisions(t, d, wantEdited())
	})
	t.Run("reads decisions from reordered columns with one added", func(t *testing.T) {
		w := openWorkbook(t, writeXLSX(t, demoInventory(t)))
		dpoEdits(w)
		w.reorder()
		if got := w.col("Fingerprint"); got == 1 {
			t.Fatal("columns were not reordered")
		}
		d, err := importBytes(w.bytes())
		if err != nil {
			t.Fatal(err)
		}
		sameDecisions(t, d, wantEdited())
	})
	t.Run("reads reviewer and dates from columns the DPO added", func(t *testing.T) {
		w := openWorkbook(t, writeXLSX(t, demoInventory(t)))
		last := len(dataMapColumns)
		for i, h := range []string{"Reviewed by", "Reviewed", "Expires"} {
			cell, _ := excelize.CoordinatesToCellName(last+1+i, 1)
			if err := w.f.SetCellValue(SheetDataMap, cell, h); err != nil {
				t.Fatal(err)
			}
		}
		w.set(fpPhone, "Decision", "not personal")
		w.set(fpPhone, "Reviewed by", "A. Reviewer")
		w.set(fpPhone, "Reviewed", time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC)) // a real date cell
		w.set(fpPhone, "Expires", "31/03/2027")                                  // typed as text, UK order
		d, err := importBytes(w.bytes())
		if err != nil {
			t.Fatal(err)
		}
		sameDecisions(t, d, []Decision{{Fingerprint: fpPhone, Decision: DecisionNotPersonal,
			ReviewedBy: "A. Reviewer", Reviewed: "2026-02-10", Expires: "2027-03-31"}})
	})
	t.Run("finds the header below a title row", func(t *testing.T) {
		w := openWorkbook(t, writeXLSX(t, demoInventory(t)))
		dpoEdits(w)
		if err := w.f.InsertRows(SheetDataMap, 1, 2); err != nil {
			t.Fatal(err)
		}
		if err := w.f.SetCellValue(SheetDataMap, "A1", "Data map, reviewed March 2026"); err != nil {
			t.Fatal(err)
		}
		d, err := importBytes(w.bytes())
		if err != nil {
			t.Fatal(err)
		}
		sameDecisions(t, d, wantEdited())
	})
}

func TestImportWorkbookRejects(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(w *workbook)
		want    string
		notWant string
	}{
		{"rejects an unknown decision naming the row and field", func(w *workbook) {
			w.set(fpPhone, "Decision", "maybe Smith")
		}, `("` + fpPhone + `"): unknown decision (valid: "confirmed", "not personal", "to delete")`, "Smith"},
		{"rejects the same field twice", func(w *workbook) {
			w.set(fpPhone, "Decision", "confirmed")
			w.set(fpNeed, "Decision", "confirmed")
			w.set(fpNeed, "Fingerprint", fpPhone)
		}, "the same field as row", ""},
		{"rejects DPO columns without a fingerprint", func(w *workbook) {
			w.set(fpPhone, "Notes", "check")
			w.set(fpPhone, "Fingerprint", "")
		}, "DPO columns filled in but no fingerprint", ""},
		{"rejects a workbook without a data map", func(w *workbook) {
			if err := w.f.SetSheetName(SheetDataMap, "Fields"); err != nil {
				w.t.Fatal(err)
			}
		}, `no "Data map" sheet`, ""},
		{"rejects a data map without a decision column", func(w *workbook) {
			cell, _ := excelize.CoordinatesToCellName(w.col("Decision"), 1)
			if err := w.f.SetCellValue(SheetDataMap, cell, "Verdict"); err != nil {
				w.t.Fatal(err)
			}
		}, "no header row", ""},
		{"rejects two columns with the same header", func(w *workbook) {
			cell, _ := excelize.CoordinatesToCellName(len(dataMapColumns)+1, 1)
			if err := w.f.SetCellValue(SheetDataMap, cell, "notes"); err != nil {
				w.t.Fatal(err)
			}
		}, `two columns are headed "notes"`, ""},
		{"rejects a malformed date", func(w *workbook) {
			cell, _ := excelize.CoordinatesToCellName(len(dataMapColumns)+1, 1)
			if err := w.f.SetCellValue(SheetDataMap, cell, "Expires"); err != nil {
				w.t.Fatal(err)
			}
			w.set(fpPhone, "Decision", "confirmed")
			w.set(fpPhone, "Expires", "next spring")
		}, "expires: not a date", "spring"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := openWorkbook(t, writeXLSX(t, demoInventory(t)))
			tt.edit(w)
			_, err := importBytes(w.bytes())
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if tt.notWant != "" && strings.Contains(err.Error(), tt.notWant) {
				t.Errorf("error %q repeats what the DPO typed (%q)", err, tt.notWant)
			}
		})
	}
	t.Run("rejects a file that is not a workbook", func(t *testing.T) {
		if _, err := importBytes([]byte("Fingerprint,Decision\n")); err == nil || !strings.Contains(err.Error(), "import workbook") {
			t.Fatalf("error = %v", err)
		}
	})
}

func fieldByFP(t *testing.T, inv *scanner.Inventory, fp string) *scanner.Field {
	t.Helper()
	for i := range inv.Fields {
		if inv.Fields[i].Fingerprint == fp {
			return &inv.Fields[i]
		}
	}
	t.Fatalf("no field %s", fp)
	return nil
}

func TestApplyCarriesDecisionsOver(t *testing.T) {
	inv := demoInventory(t)
	before := inv.Summary
	if before.PersonalFields != 115 || before.CriminalFields != 11 || before.HighRiskFields != 38 {
		t.Fatalf("the demo inventory changed (%+v); update this test's expectations", before)
	}
	res := Apply(inv, readDecisionsFile(t, "decisions.toml"), reviewDay)

	t.Run("suppresses personal fields decided not personal and recounts", func(t *testing.T) {
		for _, fp := range []string{fpPhone, fpCategory} {
			if f := fieldByFP(t, inv, fp); !f.Suppressed || !f.Personal || f.NewSinceReview {
				t.Errorf("%s: suppressed=%v personal=%v new=%v, want suppressed, still detected personal",
					fp, f.Suppressed, f.Personal, f.NewSinceReview)
			}
		}
		if f := fieldByFP(t, inv, fpCategory); f.Review == nil || !strings.Contains(f.Review.Notes, "ASB team") {
			t.Errorf("suppressed field lost its reason: %+v", f.Review)
		}
		s := inv.Summary
		if s.SuppressedFields != 2 || s.PersonalFields != 113 || s.CriminalFields != 10 || s.HighRiskFields != 37 ||
			s.SpecialFields != before.SpecialFields || s.Fields != before.Fields {
			t.Errorf("summary = %+v", s)
		}
		if res.Suppressed != 2 {
			t.Errorf("result suppressed %d, want 2", res.Suppressed)
		}
	})
	t.Run("does not suppress a field the scan found not personal", func(t *testing.T) {
		f := fieldByFP(t, inv, fpPercent)
		if f.Suppressed || f.Review == nil || f.Review.Decision != DecisionNotPersonal {
			t.Errorf("suppressed=%v review=%+v", f.Suppressed, f.Review)
		}
	})
	t.Run("treats an expired decision as no review", func(t *testing.T) {
		for _, fp := range []string{fpEmail, fpPostcode} {
			f := fieldByFP(t, inv, fp)
			if f.Review == nil || !f.Review.Expired || !f.NewSinceReview || f.Suppressed {
				t.Errorf("%s: review=%+v new=%v suppressed=%v, want expired, new, not suppressed", fp, f.Review, f.NewSinceReview, f.Suppressed)
			}
		}
		if f := fieldByFP(t, inv, fpNeed); f.Review == nil || f.Review.Expired || f.Review.Condition != "Art 9(2)(h) Health or social care" {
			t.Errorf("current decision: %+v", f.Review)
		}
		if res.Expired != 2 {
			t.Errorf("result expired %d, want 2", res.Expired)
		}
	})
	t.Run("expires after the expiry day, not on it", func(t *testing.T) {
		inv := demoInventory(t)
		Apply(inv, readDecisionsFile(t, "decisions.toml"), time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC))
		if f := fieldByFP(t, inv, fpEmail); f.Review.Expired || f.NewSinceReview {
			t.Errorf("expired on its last day: %+v", f.Review)
		}
	})
	t.Run("marks personal fields without a decision as new since review", func(t *testing.T) {
		var marked int
		for i := range inv.Fields {
			f := &inv.Fields[i]
			if f.NewSinceReview {
				marked++
				if !f.Personal {
					t.Errorf("%s is marked new but is not personal", f.Fingerprint)
				}
			}
		}
		// 115 personal fields less the five with a current decision or work in progress.
		if marked != 110 || res.NewSinceReview != 110 {
			t.Errorf("marked %d (result %d), want 110", marked, res.NewSinceReview)
		}
		if f := fieldByFP(t, inv, fpFullName); f.NewSinceReview || f.Review == nil || f.Review.Purpose != "Tenancy management" {
			t.Errorf("work in progress: new=%v review=%+v", f.NewSinceReview, f.Review)
		}
		if res.Reviewed != 5 {
			t.Errorf("reviewed %d, want 5", res.Reviewed)
		}
	})
	t.Run("reports decisions whose field has gone, not those of unscanned sources", func(t *testing.T) {
		want := []scanner.StaleDecision{{Fingerprint: fpStale, Decision: DecisionConfirmed, Reviewed: "2024-06-01"}}
		if !slices.Equal(inv.StaleDecisions, want) || !slices.Equal(res.Stale, want) {
			t.Errorf("stale = %+v / %+v, want %+v", inv.StaleDecisions, res.Stale, want)
		}
		if res.Unscanned != 1 {
			t.Errorf("unscanned = %d, want 1", res.Unscanned)
		}
	})
	t.Run("validates against the inventory schema", func(t *testing.T) {
		validateInventorySchema(t, inv)
	})
	t.Run("applies twice to the same result", func(t *testing.T) {
		first, _ := json.Marshal(inv)
		Apply(inv, readDecisionsFile(t, "decisions.toml"), reviewDay)
		second, _ := json.Marshal(inv)
		if !bytes.Equal(first, second) {
			t.Error("a second Apply changed the inventory")
		}
	})
	t.Run("without a decisions file marks nothing and restores the counts", func(t *testing.T) {
		res := Apply(inv, nil, reviewDay)
		if res.NewSinceReview != 0 || len(inv.StaleDecisions) != 0 {
			t.Errorf("result %+v, stale %v", res, inv.StaleDecisions)
		}
		for i := range inv.Fields {
			if f := &inv.Fields[i]; f.NewSinceReview || f.Suppressed || f.Review != nil {
				t.Fatalf("%s still carries a review", f.Fingerprint)
			}
		}
		fresh := demoInventory(t)
		got, _ := json.Marshal(inv)
		want, _ := json.Marshal(fresh)
		if !bytes.Equal(got, want) {
			t.Error("applying no decisions changed the inventory")
		}
	})
	t.Run("an empty decisions file marks every personal field new", func(t *testing.T) {
		inv := demoInventory(t)
		res := Apply(inv, &Decisions{Version: 1}, reviewDay)
		if res.NewSinceReview != 115 {
			t.Errorf("new since review %d, want 115", res.NewSinceReview)
		}
	})
}

func validateInventorySchema(t *testing.T, inv *scanner.Inventory) {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("inventory.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("inventory.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(v); err != nil {
		t.Fatalf("reviewed inventory does not match the schema: %v", err)
	}
	for _, key := range []string{`"suppressed":true`, `"new_since_review":true`, `"review":{`, `"stale_decisions":[`, `"suppressed_fields":2`} {
		if !bytes.Contains(b, []byte(key)) {
			t.Errorf("inventory JSON has no %s", key)
		}
	}
}

func TestXLSXShowsTheReview(t *testing.T) {
	inv := demoInventory(t)
	Apply(inv, readDecisionsFile(t, "decisions.toml"), reviewDay)
	w := openWorkbook(t, writeXLSX(t, inv))
	tests := []struct{ fp, header, want string }{
		{fpPhone, "Decision", "not personal"},
		{fpPhone, "Notes", "Estate office switchboard number, not a person's"},
		{fpPhone, headerNewSinceReview, ""},
		{fpNeed, "Categories of individuals", "Tenants"},
		{fpNeed, "Purpose", "Support planning"},
		{fpNeed, "Art. 6 lawful basis", "Public task"},
		{fpNeed, "Art. 9 / Art. 10 condition (DPA 2018 Sch. 1)", "Art 9(2)(h) Health or social care"},
		{fpNeed, "Recipients", "Support provider"},
		{fpNeed, "Notes", "Multi-line note:\nsecond line"},
		{fpEmail, "Decision", "confirmed"}, // expired: shown, and marked new
		{fpEmail, headerNewSinceReview, "yes"},
		{fpFullName, "Decision", ""},
		{fpFullName, "Purpose", "Tenancy management"},
		{fpPercent, "Decision", "not personal"}, // reviewed, though not personal: still listed
		{"estate/crm/housing_crm.db!tenants#nino", headerNewSinceReview, "yes"},
	}
	for _, tt := range tests {
		if got := w.get(tt.fp, tt.header); got != tt.want {
			t.Errorf("%s %s = %q, want %q", tt.fp, tt.header, got, tt.want)
		}
	}
	summary, err := w.f.GetRows(SheetSummary)
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, r := range summary {
		text.WriteString(strings.Join(r, "\t") + "\n")
	}
	for _, want := range []string{"Personal data\t113", "Decided not personal (left out of the counts)\t2",
		"Personal fields new since review\t110", "Decisions expired\t2", fpStale + "\tconfirmed\t2024-06-01"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("summary sheet lacks %q", want)
		}
	}
	special, err := w.f.GetRows(SheetSpecial)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range special {
		if r[0] == fpCategory {
			t.Error("a field decided not personal is on the special category & criminal register")
		}
	}
}

// TestReviewCycle runs a review as a DPO would: scan, workbook, decisions typed in, import, decisions file
// committed, rescan, workbook again with the decisions in place; and re-importing that workbook changes nothing.
func TestReviewCycle(t *testing.T) {
	w := openWorkbook(t, writeXLSX(t, demoInventory(t)))
	dpoEdits(w)
	imported, err := importBytes(w.bytes())
	if err != nil {
		t.Fatal(err)
	}
	decided := Merge(nil, imported)
	decided.Stamp("A. Reviewer (DPO)", reviewDay)
	file := writeDecisions(t, decided)

	read, err := ReadDecisions(bytes.NewReader(file))
	if err != nil {
		t.Fatalf("decisions file does not read back: %v\n%s", err, file)
	}
	inv := demoInventory(t) // the rescan
	res := Apply(inv, read, reviewDay)
	if res.Suppressed != 1 || res.Reviewed != 3 || res.NewSinceReview != 115-4 || len(res.Stale) != 0 {
		t.Errorf("result = %+v", res)
	}
	again := openWorkbook(t, writeXLSX(t, inv))
	for _, want := range wantEdited() {
		for header, v := range map[string]string{
			"Decision": want.Decision, "Categories of individuals": want.Individuals, "Purpose": want.Purpose,
			"Art. 6 lawful basis": want.LawfulBasis, "Art. 9 / Art. 10 condition (DPA 2018 Sch. 1)": want.Condition,
			"Recipients": want.Recipients, "Notes": want.Notes,
		} {
			if got := again.get(want.Fingerprint, header); got != v {
				t.Errorf("re-exported %s %s = %q, want %q", want.Fingerprint, header, got, v)
			}
		}
	}
	reimported, err := importBytes(again.bytes())
	if err != nil {
		t.Fatal(err)
	}
	if got := writeDecisions(t, Merge(read, reimported)); !bytes.Equal(got, file) {
		t.Errorf("re-importing the pre-filled workbook changed the decisions file:\n%s\n--- was ---\n%s", got, file)
	}
}

func FuzzImportWorkbook(f *testing.F) {
	inv := syntheticInventory(3)
	var plain bytes.Buffer
	if err := (XLSX{}).Write(&plain, inv); err != nil {
		f.Fatal(err)
	}
	f.Add(plain.Bytes())
	w := openWorkbook(f, plain.Bytes())
	w.set("big/public.t0000#c01", "Decision", "not personal")
	w.set("big/public.t0000#c02", "Notes", "n")
	f.Add(w.bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := importBytes(data)
		if err != nil {
			return
		}
		// Anything imported is a valid decisions file.
		first := writeDecisions(t, d)
		back, err := ReadDecisions(bytes.NewReader(first))
		if err != nil {
			t.Fatalf("imported decisions do not read back: %v\n%s", err, first)
		}
		if len(back.Decision) != len(d.Decision) {
			t.Fatalf("%d decisions became %d", len(d.Decision), len(back.Decision))
		}
	})
}

// A field the DPO decided is not personal is out of the summary's counts, so every human-readable report leaves
// it out of its lists of personal and special-category fields too: the figures and the lists must agree.
func TestReportsLeaveOutFieldsDecidedNotPersonal(t *testing.T) {
	inv := demoInventory(t)
	Apply(inv, readDecisionsFile(t, "decisions.toml"), reviewDay)
	if f := fieldByFP(t, inv, fpCategory); !f.Suppressed || !f.CriminalOffence {
		t.Fatalf("fixture: %s should be suppressed criminal offence data: %+v", fpCategory, f)
	}
	var sensitiveFields, suppressedUses int
	for _, f := range inv.Fields {
		if f.Personal && !f.Suppressed && (len(f.SpecialCategory) > 0 || f.CriminalOffence) {
			sensitiveFields++
		}
		if f.Suppressed {
			suppressedUses += len(f.DataTypes)
		}
	}

	t.Run("markdown special-category table", func(t *testing.T) {
		if md := writeMarkdown(t, inv); strings.Contains(md, "| `category` | `estate/asb/cases.csv` |") {
			t.Errorf("the Markdown summary lists %s, decided not personal", fpCategory)
		}
	})
	t.Run("html data map and special-category table", func(t *testing.T) {
		doc := parseHTML(t, writeHTML(t, inv))
		rows := elements(byID(doc, "datamap-table"), "tr")
		if got, want := len(rows)-1, inv.Summary.PersonalFields; got != want {
			t.Errorf("data map has %d rows, want the summary's %d personal fields", got, want)
		}
		for _, tr := range rows {
			if v, _ := attr(tr, "title"); v == fpCategory || v == fpPhone {
				t.Errorf("the data map lists %s, decided not personal", v)
			}
		}
		want := fmt.Sprintf("%d personal fields hold special category data", sensitiveFields)
		if special := textOf(byID(doc, "special")); !strings.Contains(special, want) {
			t.Errorf("special-category section does not say %q: %s", want, special)
		}
	})
	t.Run("dpia screening", func(t *testing.T) {
		uses := func(d dpiaScreen) int {
			n := 0
			for _, k := range d.Kinds {
				v, err := strconv.Atoi(strings.ReplaceAll(k.Fields, ",", ""))
				if err != nil {
					t.Fatal(err)
				}
				n += v
			}
			return n
		}
		before, after := uses(screenDPIA(demoInventory(t))), uses(screenDPIA(inv))
		if suppressedUses == 0 || after != before-suppressedUses {
			t.Errorf("the screening's kinds of data count %d field uses, want %d less the %d of suppressed fields",
				after, before, suppressedUses)
		}
	})
}
