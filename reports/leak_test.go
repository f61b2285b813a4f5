package reports

import (
	"archive/zip"
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/datamap-uk/datamap/rules"
	"github.com/datamap-uk/datamap/scanner"
)

// Planted values: synthetic, and distinctive enough that finding any of them (or a telling piece of one) in a
// report can only mean a raw value leaked. Phone numbers are from Ofcom's drama ranges, emails on example.org.
var planted = []string{
	"Zebedee Quonk", "Zebedee", "Quonk", "Philippa Marchbanks", "Marchbanks", "Orlando Fennimore", "Fennimore",
	"zebedee.quonk@example.org", "zebedee.quonk", "p.marchbanks@example.org", "ofennimore@example.net",
	"07700 900461", "07700900461", "900461", "0113 496 0732", "4960732", "020 7946 0815", "79460815",
	"14 Quillbrook Terrace", "Quillbrook", "LS2 7QZ",
	"severe agoraphobia", "agoraphobia", "Zoroastrian",
}

// plantedInventory classifies columns and a document full of planted values with the default rules, the way a
// scan would, and wraps the findings as an inventory.
func plantedInventory(t testing.TB) *scanner.Inventory {
	t.Helper()
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	engine, err := rules.Compile(p, rules.Options{Now: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	columns := []struct {
		name   string
		values []string
	}{
		{"full_name", []string{"Zebedee Quonk", "Philippa Marchbanks", "Orlando Fennimore", "Zebedee Quonk", "Philippa Marchbanks"}},
		{"email", []string{"zebedee.quonk@example.org", "p.marchbanks@example.org", "ofennimore@example.net", "zebedee.quonk@example.org", "p.marchbanks@example.org"}},
		{"phone", []string{"07700 900461", "0113 496 0732", "020 7946 0815", "07700900461", "0113 496 0732"}},
		{"address", []string{"14 Quillbrook Terrace", "14 Quillbrook Terrace", "14 Quillbrook Terrace", "14 Quillbrook Terrace", "14 Quillbrook Terrace"}},
		{"postcode", []string{"LS2 7QZ", "LS2 7QZ", "LS2 7QZ", "LS2 7QZ", "LS2 7QZ"}},
		{"religion", []string{"Zoroastrian", "Zoroastrian", "Zoroastrian", "Zoroastrian", "Zoroastrian"}},
		{"support_notes", []string{
			"Zebedee Quonk has severe agoraphobia and depression, call 07700 900461 before visiting the property",
			"Philippa Marchbanks reported domestic abuse by her ex-partner, police were called, safeguarding referral made",
			"Orlando Fennimore on probation after a conviction for assault, MAPPA level 2, contact 020 7946 0815",
		}},
	}
	inv := &scanner.Inventory{
		SchemaVersion: scanner.SchemaVersion,
		Tool:          scanner.Tool{Name: "datamap", Version: "test"},
		GeneratedAt:   time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Complete:      true,
		Sources:       []scanner.SourceResult{{Name: "planted", Kind: "files", Location: "testdata/planted", Status: scanner.StatusOK, Units: 2, Containers: 2}},
		Containers: []scanner.ContainerResult{
			{Source: "planted", Container: "tenants.csv", Kind: "table", Format: "csv", RowsTotal: 5, RowsSampled: 5, BytesTotal: 900, BytesSampled: 900, Fields: len(columns)},
			{Source: "planted", Container: "letter.txt", Kind: "text", Format: "text", BytesTotal: 300, BytesSampled: 300, Fields: 1},
		},
	}
	add := func(container, field string, f rules.Finding) {
		inv.Fields = append(inv.Fields, scanner.Field{Source: "planted", Container: container, Field: field,
			Fingerprint: scanner.Fingerprint("planted", container, field), Finding: f})
	}
	for _, c := range columns {
		add("tenants.csv", c.name, engine.Column(c.name, c.values))
	}
	add("letter.txt", "*", engine.Text("*", "Dear Zebedee Quonk, of 14 Quillbrook Terrace, LS2 7QZ. Your email "+
		"zebedee.quonk@example.org and phone 07700 900461 are on file. Your GP notes severe agoraphobia."))

	inv.Recount()
	return inv
}

// reportParts renders inv in every format under test, the workbook split into its decompressed parts so that
// compression cannot hide a value: every registered writer, and the diff and check outputs (the inventory
// against an empty scan both ways, and against an empty baseline, so every field shows as added, removed and
// new with its evidence).
func reportParts(t testing.TB, inv *scanner.Inventory) map[string][]byte {
	t.Helper()
	parts := map[string][]byte{}
	render := func(name string, write func(io.Writer) error) {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		parts[name] = buf.Bytes()
	}
	empty := &scanner.Inventory{SchemaVersion: inv.SchemaVersion, Complete: true}
	added, removed := Diff(empty, inv), Diff(inv, empty)
	check := Check(inv, nil)
	render("diff text (added)", added.Text)
	render("diff json (added)", added.JSON)
	render("diff text (removed)", removed.Text)
	render("diff json (removed)", removed.JSON)
	render("check text", check.Text)
	render("check github", check.GitHub)
	render("check json", check.JSON)
	render("check sarif", func(w io.Writer) error { return check.SARIF(w, "test") })
	render("baseline", NewBaseline(inv).Write)
	for name, w := range writers() { // every registered format: a new one is covered the day it is added
		var buf bytes.Buffer
		if err := w.Write(&buf, inv); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if name != "xlsx" {
			parts[name] = buf.Bytes()
			continue
		}
		parts["xlsx (zip bytes)"] = buf.Bytes()
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
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
			parts["xlsx:"+f.Name] = b
		}
	}
	return parts
}

// leaks lists the planted values found in any part, case-insensitively.
func leaks(parts map[string][]byte) []string {
	var out []string
	for name, b := range parts {
		low := bytes.ToLower(b)
		for _, v := range planted {
			if bytes.Contains(low, []byte(strings.ToLower(v))) {
				out = append(out, name+": "+v)
			}
		}
	}
	return out
}

func TestNoReportHoldsAPlantedValue(t *testing.T) {
	inv := plantedInventory(t)

	// The fixture must exercise the masking: planted fields classified, with masked examples to show.
	var personal, special, examples int
	for _, f := range inv.Fields {
		if f.Personal {
			personal++
		}
		if len(f.SpecialCategory) > 0 || f.CriminalOffence {
			special++
		}
		examples += len(f.Evidence.Examples)
	}
	if personal < 5 || special < 1 || examples < 10 {
		t.Fatalf("fixture too weak: %d personal, %d special or criminal fields, %d examples", personal, special, examples)
	}

	parts := reportParts(t, inv)
	if len(parts) < 17 {
		t.Fatalf("only %d report parts searched", len(parts))
	}
	for _, l := range leaks(parts) {
		t.Errorf("raw value in report: %s", l)
	}
}

// The search must be able to fail: a field named with a planted value is caught in the workbook's parts and in
// every other output.
func TestLeakSearchFindsAPlantedValueInEveryOutput(t *testing.T) {
	inv := plantedInventory(t)
	// The religion column is special category data, so even the Markdown summary lists it.
	f := &inv.Fields[slices.IndexFunc(inv.Fields, func(f scanner.Field) bool { return f.Field == "religion" })]
	if !f.Personal || len(f.SpecialCategory) == 0 {
		t.Fatalf("fixture: religion is not special category data: %+v", f.Finding)
	}
	f.Field = "Zebedee Quonk"
	f.Fingerprint = scanner.Fingerprint(f.Source, f.Container, f.Field)
	parts := reportParts(t, inv)
	found := map[string]bool{}
	for _, l := range leaks(parts) {
		name, _, _ := strings.Cut(l, ": ")
		found[name] = true
		if strings.HasPrefix(name, "xlsx:xl/sharedStrings.xml") || strings.HasPrefix(name, "xlsx:xl/worksheets/") {
			found["xlsx"] = true
		}
	}
	for name := range parts {
		if strings.HasPrefix(name, "xlsx") {
			name = "xlsx"
		}
		if !found[name] {
			t.Errorf("a value written into %s was not found by the leak search", name)
		}
	}
}
