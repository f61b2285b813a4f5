package reports

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/datamap-uk/datamap/scanner"
)

// Markdown writes a summary for a pull request or an e-mail: headline counts, coverage, the special-category and
// criminal fields, the unreadable register, the top risks, and a DPIA screening drafted from the scan for the
// DPO to confirm. It holds counts, names of fields and containers and masked examples, never a sampled value.
type Markdown struct{}

// maxMarkdownRows bounds the field tables so a big estate still gives a readable summary; the workbook has them
// all.
const maxMarkdownRows = 50

// Write implements Writer.
func (Markdown) Write(w io.Writer, inv *scanner.Inventory) error {
	bw := bufio.NewWriter(w)
	m := &md{w: bw}
	m.render(inv)
	return bw.Flush()
}

type md struct {
	w *bufio.Writer
}

func (m *md) p(format string, args ...any) {
	fmt.Fprintf(m.w, format, args...)
	m.w.WriteByte('\n')
}

func (m *md) row(cells ...string) {
	m.w.WriteString("| " + strings.Join(cells, " | ") + " |\n")
}

// code renders a name (a field, a container, a path) as a code span that is safe inside a table: names come
// from the scanned estate and may hold backticks, pipes, markup or control characters.
func code(s string) string {
	s = OneLine(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "|", `\|`).Replace(s))
	if s == "" {
		return ""
	}
	fence, run := "`", 0
	for _, r := range s {
		if r == '`' {
			run++
			if run >= len(fence) {
				fence += "`"
			}
		} else {
			run = 0
		}
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || len(fence) > 1 {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// text makes free text (an unreadable item's detail, a source's location) safe in a table cell.
func text(s string) string {
	return OneLine(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", `\`, `\\`, "|", `\|`, "<", "&lt;", ">", "&gt;",
		"`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`).Replace(s))
}

func (m *md) render(inv *scanner.Inventory) {
	s := inv.Summary
	m.p("# datamap: personal data summary")
	m.p("")
	m.p("Scan of %s by %s %s on %s (inventory schema %s).", plural(s.Sources, "source", "sources"),
		text(inv.Tool.Name), text(inv.Tool.Version), inv.GeneratedAt.UTC().Format("2 January 2006 at 15:04 UTC"),
		text(inv.SchemaVersion))
	if !inv.Complete {
		m.p("")
		m.p("> **The scan did not complete.** The figures below cover what was scanned before it stopped.")
	}
	m.p("")
	m.p("| | Fields |")
	m.p("|---|---:|")
	for _, h := range headline(s) {
		m.row(h.label, num(h.n))
	}
	m.p("")
	m.p("%s could not be read; %s failed.", plural(s.Unreadable, "item", "items"),
		plural(s.SourcesFailed, "source", "sources"))
	m.p("")

	m.sources(inv)
	m.special(inv)
	m.topRisks(inv)
	m.retention(inv)
	m.unreadable(inv)
	m.dpia(inv)
}

func (m *md) sources(inv *scanner.Inventory) {
	m.p("## Sources and coverage")
	m.p("")
	m.p("| Source | Kind | Status | Location | Containers | Rows sampled | Bytes sampled | Personal fields | Unreadable | Failed |")
	m.p("|---|---|---|---|---:|---:|---:|---:|---:|---:|")
	for _, c := range sourceCoverage(inv) {
		status := text(c.src.Status)
		if c.src.Error != "" {
			status += ": " + text(c.src.Error)
		}
		m.row(code(c.src.Name), text(c.src.Kind), status, code(c.src.Location), num(c.src.Containers), c.rowsText(),
			fmt.Sprintf("%s of %s (%s)", num(c.bytesSampled), num(c.bytesTotal), pct(c.bytesSampled, c.bytesTotal)),
			num(c.personal), num(c.src.Unreadable), num(c.src.Failed))
	}
	m.p("")
	if first := firstRowSamples(inv); len(first) > 0 {
		const shown = 20
		m.p("Sampled from their first rows, not across the whole table (%s):", num(len(first)))
		m.p("")
		for _, c := range first[:min(len(first), shown)] {
			m.p("- %s: %s", code(c.Source+"/"+c.Container), text(c.SampleNote))
		}
		if len(first) > shown {
			m.p("- and %s more (the JSON inventory lists them all: `sample_note`)", num(len(first)-shown))
		}
		m.p("")
	}
}

func (m *md) special(inv *scanner.Inventory) {
	s := inv.Summary
	m.p("## Special category and criminal offence data")
	m.p("")
	if s.SpecialFields == 0 && s.CriminalFields == 0 {
		m.p("None found.")
		m.p("")
		return
	}
	var by []string
	for _, c := range classesFound(s.SpecialByCategory) {
		by = append(by, classLabel(c)+" "+num(s.SpecialByCategory[c]))
	}
	if len(by) > 0 {
		m.p("Special-category fields by class: %s. Criminal offence fields: %s.", strings.Join(by, ", "), num(s.CriminalFields))
	} else {
		m.p("Criminal offence fields: %s.", num(s.CriminalFields))
	}
	m.p("")
	m.p("| Field | Location | Art. 9 class | Criminal | Confidence | Evidence (masked) |")
	m.p("|---|---|---|---|---:|---|")
	shown, total := 0, 0
	for i := range inv.Fields {
		f := &inv.Fields[i]
		if !counted(f) || !sensitive(f) {
			continue
		}
		total++
		if shown == maxMarkdownRows {
			continue
		}
		shown++
		m.row(code(fieldLabel(f.Field)), code(f.Source+"/"+f.Container), text(classLabels(f.SpecialCategory)),
			yesNo(f.CriminalOffence), conf(f.Confidence), text(strings.Join(f.Evidence.Examples, "; ")))
	}
	if total > shown {
		m.p("")
		m.p("…and %s more in the workbook's %q sheet.", num(total-shown), SheetSpecial)
	}
	m.p("")
}

func (m *md) topRisks(inv *scanner.Inventory) {
	risks := topRisks(inv.Fields, maxTopRisks)
	m.p("## Top risks")
	m.p("")
	if len(risks) == 0 {
		m.p("No special-category, criminal or high-risk fields found.")
		m.p("")
		return
	}
	m.p("| # | Field | Location | Why | Confidence |")
	m.p("|---:|---|---|---|---:|")
	for i, f := range risks {
		m.row(strconv.Itoa(i+1), code(fieldLabel(f.Field)), code(f.Source+"/"+f.Container), text(riskReason(f)), conf(f.Confidence))
	}
	m.p("")
}

func (m *md) retention(inv *scanner.Inventory) {
	if inv.Settings.AsOf == "" && len(inv.Retention) == 0 {
		return // retention was not checked: say nothing rather than "nothing is kept too long"
	}
	m.p("## Retention")
	m.p("")
	s := inv.Summary
	if s.ConsentDue > 0 || s.ConsentMissing > 0 {
		defer func() {
			m.p("Consent: %s due for re-consent; %s with no consent date recorded.", plural(s.ConsentDue, "record", "records"),
				plural(s.ConsentMissing, "record", "records"))
			m.p("")
		}()
	}
	if s.RetentionUncounted > 0 {
		defer func() {
			m.p("%s matched a retention rule but could not be counted; nothing is known about them.",
				plural(s.RetentionUncounted, "place", "places"))
			m.p("")
		}()
	}
	if s.RetentionBreaches == 0 {
		m.p("No records past their retention period in the %s counted (as of %s).",
			plural(s.RetentionChecked, "place", "places"), text(inv.Settings.AsOf))
		m.p("")
		return
	}
	m.p("%s past their retention period in %s of %s counted (as of %s; the schedule is a default the DPO must confirm):",
		plural(s.StaleRows, "record", "records"), num(s.RetentionBreaches), plural(s.RetentionChecked, "place", "places"),
		text(inv.Settings.AsOf))
	m.p("")
	m.p("| Place | Past retention | Rule | Date field |")
	m.p("|---|---|---|---|")
	for _, r := range inv.Retention {
		if r.Breach() {
			m.row(code(r.Container), retentionStatus([]scanner.RetentionResult{r}), code(r.Rule), text(r.DateField))
		}
	}
	m.p("")
}

func (m *md) unreadable(inv *scanner.Inventory) {
	m.p("## Unreadable items")
	m.p("")
	if len(inv.Unreadable) == 0 {
		m.p("Everything found could be read.")
		m.p("")
		return
	}
	by, failures := unreadableByReason(inv.Unreadable)
	m.p("| Reason | Items | Bytes | What it means |")
	m.p("|---|---:|---:|---|")
	for _, r := range by {
		m.row(code(r.reason), num(r.items), num(r.bytes), r.meaning())
	}
	m.p("")
	if failures > 0 {
		m.p("%s failed during the scan rather than being unreadable by nature.", plural(failures, "item", "items"))
		m.p("")
	}
	m.p("The workbook's %q sheet lists every item with its path.", SheetUnreadable)
	m.p("")
}

// dpia writes the screening screenDPIA works out, with the Markdown's own wording around it.
func (m *md) dpia(inv *scanner.Inventory) {
	d := screenDPIA(inv)
	m.p("## DPIA screening (draft for the DPO)")
	m.p("")
	m.p("> **Draft generated from an automated scan. The DPO must review and confirm every statement and answer " +
		"below before it is used.** It follows step 2 of the ICO's DPIA guidance (describe the nature, scope and " +
		"context of the processing). The scan sees what data is held and where, not why it is held, who it is shared " +
		"with, or what people expect.")
	m.p("")

	m.p("### Nature of the processing")
	m.p("")
	if d.NoPersonal {
		m.p("The scan found no personal data.")
		m.p("")
	} else {
		m.p("%s", d.NatureLine)
		m.p("")
		m.p("| Kind of data | Fields | Where (first three) |")
		m.p("|---|---:|---|")
		for _, k := range d.Kinds {
			where := make([]string, len(k.Where))
			for i, c := range k.Where {
				where[i] = code(c)
			}
			w := strings.Join(where, ", ")
			if k.More != "" {
				w += " and " + k.More
			}
			m.row(text(k.Kind), k.Fields, w)
		}
		m.p("")
	}

	m.p("### Scope of the processing")
	m.p("")
	m.p("Records are the row counts of tables holding personal data: an upper bound on the number of people per " +
		"source (one person may appear in several tables). Documents are counted, not the people in them.")
	m.p("")
	m.p("| Source | Containers with personal data | Records (upper bound) | Documents | Special-category fields | Criminal offence fields | Volume (bytes) |")
	m.p("|---|---:|---:|---:|---:|---:|---:|")
	for _, c := range d.Scope {
		m.row(code(c.Source), c.Containers, c.Records, c.Documents, c.Special, c.Criminal, c.ExactBytes)
	}
	m.p("")
	for _, n := range d.ScopeNotes {
		m.p("- %s", n)
	}
	m.p("")

	m.p("### Context of the processing")
	m.p("")
	if len(d.Groups) > 0 {
		m.p("The data signals these groups, who may be vulnerable:")
		m.p("")
		for _, g := range d.Groups {
			m.p("- %s", g)
		}
	} else {
		m.p("The scan found no signal of vulnerable groups (safeguarding, vulnerability, domestic abuse, care " +
			"leavers, children). Absence of a signal is not evidence of absence.")
	}
	m.p("")
	m.p("For the DPO: the relationship with these people, how much control they have, what they would expect, " +
		"and any prior concerns or public interest cannot be read from the data.")
	m.p("")

	m.p("### Screening questions")
	m.p("")
	m.p("| Question | Scan suggests | Basis |")
	m.p("|---|---|---|")
	for _, a := range d.Answers {
		m.row(a.Question, yesNoCap(a.Yes), text(a.Basis))
	}
	m.p("")
	switch d.Outcome {
	case "required":
		m.p("**%s** (large-scale special category or criminal offence data). The DPO must confirm.", d.OutcomeTitle)
	case "likely":
		m.p("**%s** (%d screening answers are yes). The DPO must confirm.", d.OutcomeTitle, d.yes())
	default:
		m.p("**%s** on the scan's evidence. The DPO must confirm, and record the decision.", d.OutcomeTitle)
	}
	m.p("")
	if d.Caveat != "" {
		m.p("%s", d.Caveat)
		m.p("")
	}
}

func yesNoCap(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}
