package reports

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/datamap-uk/datamap/scanner"
)

func TestWorkbookShowsTheRetentionRegister(t *testing.T) {
	inv := demoInventory(t)
	inv.Settings.AsOf = "2026-11-30"
	oldest := time.Date(2011, 4, 5, 0, 0, 0, 0, time.UTC)
	f0 := inv.Fields[0]
	inv.Retention = []scanner.RetentionResult{
		{Source: f0.Source, Container: f0.Container, Rule: "tenancy-file", RecordType: "Tenancy file", Period: "P6Y",
			DateField: "tenancy_end", Cutoff: "2020-11-30", StaleRows: 12, TotalRows: 80, Oldest: &oldest, Method: "exact"},
		{Source: f0.Source, Container: "letters/", Rule: "letters", RecordType: "Letters", Period: "P6Y",
			DateField: "(file modification time)", Cutoff: "2020-11-30", Held: true},
	}
	inv.Recount()
	f, err := excelize.OpenReader(bytes.NewReader(writeXLSX(t, inv)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetRetention)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[1][2] != "tenancy-file" || rows[1][7] != "12" || rows[1][9] != "2011-04-05" || rows[2][11] != "yes" {
		t.Errorf("retention sheet rows: %q", rows)
	}
	dm, _ := f.GetRows(SheetDataMap)
	found := false
	for _, r := range dm[1:] {
		if r[0] == f0.Fingerprint {
			found = strings.Contains(strings.Join(r, "|"), "12 of 80 past P6Y")
		}
	}
	if !found {
		t.Errorf("the data map row of %s does not show its retention status", f0.Fingerprint)
	}
	for _, w := range []Writer{Markdown{}, HTML{}} {
		var buf bytes.Buffer
		if err := w.Write(&buf, inv); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "12 of 80 past P6Y") || !strings.Contains(buf.String(), "tenancy-file") {
			t.Errorf("%T does not show the retention breach", w)
		}
	}
	// The Markdown's headline sentence is the summary's figures: one breach of 12 records among two places
	// counted (the held folder counts as checked).
	if md := writeMarkdown(t, inv); !strings.Contains(md, "12 records past their retention period in 1 of 2 places counted") {
		t.Errorf("the Markdown retention sentence does not give the summary's figures:\n%s", md)
	}
}

func TestConsentLinesAreNotRetentionBreaches(t *testing.T) {
	inv := demoInventory(t)
	inv.Settings.AsOf = "2026-11-30"
	inv.Retention = []scanner.RetentionResult{{Source: "s", Container: "crm/contacts.csv", Rule: "consent-refresh",
		Kind: "consent", Period: "P24M", DateField: "consent_date", StaleRows: 7, TotalRows: 20, MissingRows: 3, Method: "exact"}}
	inv.Recount()
	if inv.Summary.RetentionBreaches != 0 || inv.Summary.ConsentDue != 7 || inv.Summary.ConsentMissing != 3 {
		t.Errorf("summary: breaches %d, consent due %d, missing %d", inv.Summary.RetentionBreaches, inv.Summary.ConsentDue, inv.Summary.ConsentMissing)
	}
	for _, w := range []Writer{Markdown{}, HTML{}} {
		var buf bytes.Buffer
		if err := w.Write(&buf, inv); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if strings.Contains(out, "past P24M") || !strings.Contains(out, "re-consent") {
			t.Errorf("%T shows consent as a retention breach or not at all", w)
		}
	}
}
