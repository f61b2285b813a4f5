package reports

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/datamap-uk/datamap/rules"
	"github.com/datamap-uk/datamap/scanner"
)

func writeMarkdown(t testing.TB, inv *scanner.Inventory) string {
	t.Helper()
	var buf bytes.Buffer
	if err := (Markdown{}).Write(&buf, inv); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestMarkdownMatchesGolden(t *testing.T) {
	golden(t, "report.md", []byte(writeMarkdown(t, demoInventory(t))))
}

func TestMarkdownDPIAScreening(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	field := func(container, name string, rows int, f rules.Finding) (scanner.ContainerResult, scanner.Field) {
		f.Personal = true
		if f.DataTypes == nil {
			f.DataTypes = []string{"person_name"}
		}
		return scanner.ContainerResult{Source: "s", Container: container, Kind: "table", RowsTotal: rows, RowsSampled: rows},
			scanner.Field{Source: "s", Container: container, Field: name, Fingerprint: scanner.Fingerprint("s", container, name), Finding: f}
	}
	build := func(specs ...func() (scanner.ContainerResult, scanner.Field)) *scanner.Inventory {
		inv := &scanner.Inventory{SchemaVersion: "1.0", GeneratedAt: at, Complete: true,
			Sources: []scanner.SourceResult{{Name: "s", Kind: "files", Status: scanner.StatusOK}},
		}
		for _, spec := range specs {
			c, f := spec()
			inv.Containers = append(inv.Containers, c)
			inv.Fields = append(inv.Fields, f)
		}
		inv.Recount()
		return inv
	}
	health := func(rows int) func() (scanner.ContainerResult, scanner.Field) {
		return func() (scanner.ContainerResult, scanner.Field) {
			return field("support.csv", "condition", rows, rules.Finding{DataTypes: []string{"health_condition"},
				SpecialCategory: []string{"health"}, HighRisk: true})
		}
	}
	names := func() (scanner.ContainerResult, scanner.Field) {
		return field("contacts.csv", "name", 40, rules.Finding{})
	}
	abuse := func() (scanner.ContainerResult, scanner.Field) {
		return field("cases.csv", "da_flag", 10, rules.Finding{DataTypes: []string{"domestic_abuse"}, HighRisk: true})
	}
	children := func() (scanner.ContainerResult, scanner.Field) {
		return field("household_children.csv", "name", 5, rules.Finding{})
	}
	tests := []struct {
		name    string
		inv     *scanner.Inventory
		want    []string
		notWant []string
	}{
		{"no special data gives no on the special-category question", build(names),
			[]string{"| Special category data (UK GDPR Art. 9)? | No |", "a DPIA may not be needed"}, nil},
		{"a thousand records of health data count as large scale", build(health(largeScaleRecords)),
			[]string{"| Special category or criminal offence data on a large scale (Art. 35(3)(b))? | Yes |", "a DPIA is required"}, nil},
		{"a few health records are not large scale", build(health(30)),
			[]string{"| Special category or criminal offence data on a large scale (Art. 35(3)(b))? | No |", "Health (1 field)"}, []string{"a DPIA is required"}},
		{"domestic abuse signals a vulnerable group and physical risk", build(abuse, health(30)),
			[]string{"victims and survivors of domestic abuse", "| Data whose breach could put someone's physical safety at risk? | Yes |", "a DPIA is likely to be needed"}, nil},
		{"a container named for children signals children", build(children),
			[]string{"children (by field or container name only): 1 container", "| Data about vulnerable people, including children? | Yes |"}, nil},
		{"no vulnerable group says absence is not evidence", build(names),
			[]string{"Absence of a signal is not evidence of absence", "| Data about vulnerable people, including children? | No |"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := writeMarkdown(t, tt.inv)
			if !strings.Contains(out, "## DPIA screening (draft for the DPO)") || !strings.Contains(out, "The DPO must review and confirm") {
				t.Fatal("screening is not marked as a draft for the DPO")
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("missing %q in:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("unexpected %q in:\n%s", w, out)
				}
			}
		})
	}
}

func TestMarkdownMarksAnIncompleteScan(t *testing.T) {
	inv := demoInventory(t)
	inv.Complete = false
	if out := writeMarkdown(t, inv); !strings.Contains(out, "**The scan did not complete.**") {
		t.Fatal("an incomplete scan is not called out")
	}
}

func TestMarkdownListsSamplesThatAreFirstRows(t *testing.T) {
	inv := demoInventory(t)
	if out := writeMarkdown(t, inv); strings.Contains(out, "Sampled from their first rows") {
		t.Fatal("the demo's samples are all spread out: no list expected")
	}
	for i := range 25 {
		inv.Containers = append(inv.Containers, scanner.ContainerResult{Source: "crm", Container: fmt.Sprintf("audit.log_%02d", i),
			Kind: "table", Format: "mysql", SampleNote: "sampled from the first 50000 rows in storage order: no index to sample it by"})
	}
	out := writeMarkdown(t, inv)
	for _, want := range []string{"Sampled from their first rows, not across the whole table (25):",
		"- `crm/audit.log_00`: sampled from the first 50000 rows in storage order: no index to sample it by",
		"- and 5 more (the JSON inventory lists them all: `sample_note`)"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	if strings.Contains(out, "audit.log_20") {
		t.Error("the list is bounded to twenty")
	}
}

func TestMarkdownEscapesNamesFromTheEstate(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain name in a code span", "tenants.csv", "`tenants.csv`"},
		{"pipe cannot break the table", "a|b", "`a\\|b`"},
		{"newline cannot break the row", "a\nb", "`a b`"},
		{"backtick gets a longer fence", "a`b", "`` a`b ``"},
		{"leading backtick is padded", "`x", "`` `x ``"},
		{"empty name stays empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := code(tt.in); got != tt.want {
				t.Errorf("code(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	if got := text("<b>x|y</b>"); strings.ContainsAny(strings.ReplaceAll(got, `\|`, ""), "<>|") {
		t.Errorf("text left markup or a pipe: %q", got)
	}
}

func TestNumGroupsThousands(t *testing.T) {
	for in, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := num(in); got != want {
			t.Errorf("num(%d) = %q, want %q", in, got, want)
		}
	}
}

// A name from the estate must never break out of its table cell: no newline, no unescaped pipe.
func FuzzCode(f *testing.F) {
	for _, s := range []string{"tenants.csv", "a|b", "a\nb", "a`b", "`x", "", "\\|", "``|``", "\x1b[2J", "a\u202eb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, render := range []func(string) string{code, text} {
			out := render(s)
			if strings.ContainsAny(out, "\r\n") {
				t.Fatalf("line break survives in %q", out)
			}
			if strings.IndexFunc(out, unsafeRune) >= 0 {
				t.Fatalf("control character survives in %q", out)
			}
			for i := 0; i < len(out); i++ {
				if out[i] == '|' && (i == 0 || out[i-1] != '\\') {
					t.Fatalf("unescaped pipe in %q", out)
				}
			}
		}
	})
}

// The workbook and the HTML report list the same first-rows samples as the Markdown summary.
func TestEveryReportListsSamplesThatAreFirstRows(t *testing.T) {
	inv := demoInventory(t)
	inv.Containers = append(inv.Containers, scanner.ContainerResult{Source: "crm", Container: "audit.log", Kind: "table",
		Format: "mysql", SampleNote: "sampled from the first 50000 rows in storage order: no index to sample it by"})
	if out := dumpXLSX(t, writeXLSX(t, inv)); !strings.Contains(out, "Sampled from their first rows") ||
		!strings.Contains(out, "audit.log") || !strings.Contains(out, "no index to sample it by") {
		t.Error("the workbook does not list the first-rows sample")
	}
	out := string(writeHTML(t, inv))
	if !strings.Contains(out, "<code>crm/audit.log</code>: sampled from the first 50000 rows") {
		t.Error("the HTML report does not list the first-rows sample")
	}
	// One sample is one sample: the heading is the Markdown summary's, with no count to agree with.
	if !strings.Contains(out, "Sampled from their first rows, not across the whole table (1):") {
		t.Error("the HTML report does not head the first-rows list as the other reports do")
	}
}
