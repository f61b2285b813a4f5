package reports

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/datamap-uk/datamap/rules"
	"github.com/datamap-uk/datamap/scanner"
)

func writeXLSX(t testing.TB, inv *scanner.Inventory) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := (XLSX{}).Write(&buf, inv); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// dumpXLSX renders a workbook as text a reviewer can diff: properties, defined names, and per sheet its
// visibility, frozen panes, data validations and every non-empty cell as "Sheet!A1<TAB>value".
func dumpXLSX(t testing.TB, data []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("workbook does not open: %v", err)
	}
	defer f.Close()
	var b strings.Builder
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "props\ttitle=%q creator=%q created=%q modified=%q version=%q\n", props.Title, props.Creator,
		props.Created, props.Modified, props.Version)
	for _, dn := range f.GetDefinedName() {
		fmt.Fprintf(&b, "name\t%s\t%s\t%s\n", dn.Name, dn.Scope, dn.RefersTo)
	}
	for _, sheet := range f.GetSheetList() {
		visible, err := f.GetSheetVisible(sheet)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "sheet\t%s\tvisible=%v\n", sheet, visible)
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if panes.Freeze {
			fmt.Fprintf(&b, "%s!panes\tfreeze x=%d y=%d top-left=%s\n", sheet, panes.XSplit, panes.YSplit, panes.TopLeftCell)
		}
		dvs, err := f.GetDataValidations(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, dv := range dvs {
			fmt.Fprintf(&b, "%s!validation\t%s\t%s\t%s\n", sheet, dv.Sqref, dv.Type, dv.Formula1)
		}
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				if v == "" {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				fmt.Fprintf(&b, "%s!%s\t%s\n", sheet, cell, strings.ReplaceAll(v, "\n", `\n`))
			}
		}
	}
	return b.String()
}

func TestXLSXMatchesGolden(t *testing.T) {
	golden(t, "report.xlsx.txt", []byte(dumpXLSX(t, writeXLSX(t, demoInventory(t)))))
}

func TestXLSXHasEverySheet(t *testing.T) {
	f, err := excelize.OpenReader(bytes.NewReader(writeXLSX(t, demoInventory(t))))
	if err != nil {
		t.Fatalf("workbook does not open: %v", err)
	}
	defer f.Close()
	want := []string{SheetSummary, SheetDataMap, SheetSpecial, SheetRetention, SheetUnreadable, SheetSources, SheetLists}
	got := f.GetSheetList()
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Errorf("workbook opens on sheet %d, want the summary", f.GetActiveSheetIndex())
	}
}

func TestXLSXDataMapHasOneRowPerPersonalField(t *testing.T) {
	inv := demoInventory(t)
	f, err := excelize.OpenReader(bytes.NewReader(writeXLSX(t, inv)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetDataMap)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows)-1 != inv.Summary.PersonalFields {
		t.Fatalf("data map has %d rows, want %d personal fields", len(rows)-1, inv.Summary.PersonalFields)
	}
	for i, h := range rows[0] {
		if h != dataMapColumns[i].header {
			t.Errorf("header %d = %q, want %q", i+1, h, dataMapColumns[i].header)
		}
	}
	// The DPO's columns must be fillable once the sheet is protected, and look different from the scan's.
	for i, col := range dataMapColumns {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		id, err := f.GetCellStyle(SheetDataMap, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		unlocked := st.Protection != nil && !st.Protection.Locked
		filled := len(st.Fill.Color) > 0
		if col.dpo != unlocked || col.dpo != filled {
			t.Errorf("column %q: unlocked=%v filled=%v, want both %v", col.header, unlocked, filled, col.dpo)
		}
	}
}

// excelize lists the image types of [Content_Types].xml from a map when a chart is added, so that part's
// Default entries come in any order; every other part must be byte-for-byte the same.
func TestXLSXIsDeterministic(t *testing.T) {
	inv := demoInventory(t)
	a, b := zipParts(t, writeXLSX(t, inv)), zipParts(t, writeXLSX(t, inv))
	if len(a) != len(b) {
		t.Fatalf("two writes have %d and %d parts", len(a), len(b))
	}
	for i := range a {
		if a[i].name != b[i].name {
			t.Fatalf("part %d is %s in one write and %s in the other", i, a[i].name, b[i].name)
		}
		if a[i].name == "[Content_Types].xml" {
			if sortedXMLElements(a[i].data) != sortedXMLElements(b[i].data) {
				t.Errorf("content types differ beyond order")
			}
			continue
		}
		if !bytes.Equal(a[i].data, b[i].data) {
			t.Errorf("part %s differs between two writes of the same inventory", a[i].name)
		}
	}
}

type zipPart struct {
	name string
	data []byte
}

func zipParts(t testing.TB, data []byte) []zipPart {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out []zipPart
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, zipPart{f.Name, b})
	}
	return out
}

func sortedXMLElements(b []byte) string {
	parts := strings.SplitAfter(string(b), ">")
	sort.Strings(parts)
	return strings.Join(parts, "")
}

func TestXLSXWritesAnEmptyInventory(t *testing.T) {
	inv := &scanner.Inventory{SchemaVersion: scanner.SchemaVersion, GeneratedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	dump := dumpXLSX(t, writeXLSX(t, inv))
	if !strings.Contains(dump, "Data map!A1\tFingerprint") {
		t.Fatalf("empty inventory lost the data map header:\n%s", dump)
	}
}

// syntheticInventory holds n personal fields, one in twenty of them special category, spread over tables of
// fifty columns.
func syntheticInventory(n int) *scanner.Inventory {
	inv := &scanner.Inventory{
		SchemaVersion: scanner.SchemaVersion,
		Tool:          scanner.Tool{Name: "datamap", Version: "test"},
		GeneratedAt:   time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Complete:      true,
		Sources:       []scanner.SourceResult{{Name: "big", Kind: "postgres", Location: "postgres://host/db", Status: scanner.StatusOK}},
	}
	inv.Fields = make([]scanner.Field, n)
	for i := range inv.Fields {
		table := fmt.Sprintf("public.t%04d", i/50)
		col := fmt.Sprintf("c%02d", i%50)
		f := rules.Finding{Personal: true, DataTypes: []string{"person_name"}, SpecialCategory: []string{},
			Confidence: 0.9, Evidence: rules.Evidence{Method: "both", Examples: []string{"A•••• B••••"},
				Matched: map[string]int{"person-name": 10}, Names: []string{"person-name"}}}
		if i%20 == 0 {
			f.SpecialCategory = []string{"health"}
			f.HighRisk = true
		}
		inv.Fields[i] = scanner.Field{Source: "big", Container: table, Field: col,
			Fingerprint: scanner.Fingerprint("big", table, col), Finding: f}
	}
	inv.Recount()
	return inv
}

func TestXLSXStreamsALargeDataMap(t *testing.T) {
	const n = 50000
	data := writeXLSX(t, syntheticInventory(n))
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.Rows(SheetDataMap)
	if err != nil {
		t.Fatal(err)
	}
	count, last := 0, ""
	for rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		count++
		if len(cols) > 0 {
			last = cols[0]
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if count != n+1 {
		t.Fatalf("data map has %d rows, want %d fields and a header", count, n+1)
	}
	if want := scanner.Fingerprint("big", fmt.Sprintf("public.t%04d", (n-1)/50), fmt.Sprintf("c%02d", (n-1)%50)); last != want {
		t.Fatalf("last row is %q, want %q", last, want)
	}
}

func BenchmarkXLSX100kFields(b *testing.B) {
	inv := syntheticInventory(100000)
	for b.Loop() {
		var buf bytes.Buffer
		if err := (XLSX{}).Write(&buf, inv); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(buf.Len()))
	}
}

// Names from the estate reach the workbook as text: one that looks like a formula is never evaluated, and
// characters XML cannot hold do not make a workbook Excel refuses to open.
func TestXLSXKeepsNamesAsText(t *testing.T) {
	inv := hostileInventory()
	inv.Fields[0].Container = `=HYPERLINK("http://example.org","x")`
	inv.Fields[0].Field = "a\x01b\x1b[2J"
	inv.Fields[0].Fingerprint = scanner.Fingerprint(inv.Fields[0].Source, inv.Fields[0].Container, inv.Fields[0].Field)
	f, err := excelize.OpenReader(bytes.NewReader(writeXLSX(t, inv)))
	if err != nil {
		t.Fatalf("workbook does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetDataMap)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1][2] != inv.Fields[0].Container {
		t.Fatalf("data map rows = %q, want the container name as it is", rows)
	}
	for col := 1; col <= len(rows[1]); col++ {
		cell, _ := excelize.CoordinatesToCellName(col, 2)
		if formula, err := f.GetCellFormula(SheetDataMap, cell); err != nil || formula != "" {
			t.Errorf("%s holds a formula %q (%v)", cell, formula, err)
		}
	}
	if strings.ContainsAny(rows[1][3], "\x01\x1b") {
		t.Errorf("field name kept characters XML cannot hold: %q", rows[1][3])
	}
}
