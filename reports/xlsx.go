package reports

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/datamap-uk/datamap/scanner"
)

// XLSX writes the DPO's workbook: a summary, the data map laid out after the ICO record-of-processing template
// with columns for the DPO to fill, and registers of special-category and criminal fields, unreadable items and
// sources. Only counts, names and masked examples reach it, never a sampled value.
type XLSX struct{}

// Sheet names. The review import (later work) finds the DPO's columns by these names and the headers below, so
// they are part of the workbook's contract.
const (
	SheetSummary    = "Summary"
	SheetDataMap    = "Data map"
	SheetSpecial    = "Special category & criminal"
	SheetUnreadable = "Unreadable"
	SheetSources    = "Sources"
	SheetRetention  = "Retention"
	SheetLists      = "Lists"
)

// Drop-down lists of the DPO columns. Labels are short so they fit a cell; the review import keys on them.
var (
	individualsList = []string{"Tenants", "Applicants", "Household members", "Staff", "Contractors",
		"Members of the public", "Other"}
	lawfulBasisList = []string{"Consent", "Contract", "Legal obligation", "Vital interests", "Public task",
		"Legitimate interests"}
	// conditionList holds the UK GDPR Art. 9(2) conditions and the DPA 2018 Schedule 1 paragraphs a housing
	// provider, council or charity most often relies on (Part 1 and Part 2 for special category data, Part 3 for
	// criminal offence data under Art. 10).
	conditionList = []string{
		"Art 9(2)(a) Explicit consent",
		"Art 9(2)(b) Employment, social security, social protection",
		"Art 9(2)(c) Vital interests",
		"Art 9(2)(d) Not-for-profit body",
		"Art 9(2)(e) Made public by the data subject",
		"Art 9(2)(f) Legal claims or judicial acts",
		"Art 9(2)(g) Substantial public interest",
		"Art 9(2)(h) Health or social care",
		"Art 9(2)(i) Public health",
		"Art 9(2)(j) Archiving, research or statistics",
		"Sch 1 para 1 Employment, social security, social protection",
		"Sch 1 para 2 Health or social care purposes",
		"Sch 1 para 6 Statutory and government purposes",
		"Sch 1 para 8 Equality of opportunity or treatment",
		"Sch 1 para 10 Preventing or detecting unlawful acts",
		"Sch 1 para 11 Protecting the public",
		"Sch 1 para 14 Preventing fraud",
		"Sch 1 para 16 Support for disability or medical condition",
		"Sch 1 para 17 Counselling",
		"Sch 1 para 18 Safeguarding of children and individuals at risk",
		"Sch 1 para 19 Safeguarding economic well-being",
		"Sch 1 para 29 Consent (criminal offence data)",
		"Sch 1 para 30 Vital interests (criminal offence data)",
		"Sch 1 para 33 Legal claims (criminal offence data)",
		"Sch 1 para 36 Part 2 conditions (criminal offence data)",
	}
	decisionList = []string{DecisionConfirmed, DecisionNotPersonal, DecisionToDelete}
)

// dataMapColumn is one column of the Data map sheet. dpo marks the columns the DPO fills in.
type dataMapColumn struct {
	header string
	width  float64
	dpo    bool
	list   int // 1-based column on the Lists sheet feeding a drop-down, 0 for none
}

// dataMapColumns follow the ICO record-of-processing template: identification first, then the categories of
// individuals and of data, the Art. 9 and Art. 10 columns, location (source and container), retention, and the
// DPO's columns for purpose, lawful basis, condition and recipients. The scan-only columns (confidence, method,
// evidence) sit after the ICO ones they explain.
var dataMapColumns = []dataMapColumn{
	{header: "Fingerprint", width: 40},
	{header: "Source", width: 14},
	{header: "Location / container", width: 40},
	{header: "Field", width: 24},
	{header: "Categories of individuals", width: 22, dpo: true, list: 1},
	{header: "Categories of personal data", width: 36},
	{header: "Special category", width: 10},
	{header: "Art. 9 class", width: 24},
	{header: "Criminal offence data", width: 10},
	{header: "High risk", width: 9},
	{header: "Confidence", width: 11},
	{header: "Method", width: 9},
	{header: "Evidence", width: 60},
	{header: "Retention rule", width: 18},
	{header: "Retention status", width: 14},
	{header: headerNewSinceReview, width: 10},
	{header: "Purpose", width: 30, dpo: true},
	{header: "Art. 6 lawful basis", width: 20, dpo: true, list: 2},
	{header: "Art. 9 / Art. 10 condition (DPA 2018 Sch. 1)", width: 40, dpo: true, list: 3},
	{header: "Recipients", width: 24, dpo: true},
	{header: "Decision", width: 14, dpo: true, list: 4},
	{header: "Notes", width: 40, dpo: true},
}

// headerNewSinceReview heads the column marking personal fields no decision covers yet, for filtering.
const headerNewSinceReview = "New since review"

// lists are the Lists sheet's columns, in the order dataMapColumn.list refers to them.
var lists = []struct {
	header string
	items  []string
}{
	{"Categories of individuals", individualsList},
	{"Art. 6 lawful basis", lawfulBasisList},
	{"Art. 9 / Art. 10 condition", conditionList},
	{"Decision", decisionList},
}

type xlsxStyles struct {
	title, section, header, dpoHeader, dpo, conf, pct int
}

func newStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	confFmt, pctFmt := "0.00", "0%"
	border := []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}
	defs := []struct {
		dst   *int
		style *excelize.Style
	}{
		{&s.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.section, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: "1F4E78"}}},
		{&s.header, &excelize.Style{
			Font:      &excelize.Font{Bold: true, Color: "FFFFFF"},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E78"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
			Border:    border,
		}},
		{&s.dpoHeader, &excelize.Style{
			Font:      &excelize.Font{Bold: true, Color: "000000"},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F4B183"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
			Border:    border,
		}},
		// Unlocked, so that protecting the sheet leaves only the DPO's columns editable.
		{&s.dpo, &excelize.Style{
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}},
			Protection: &excelize.Protection{Locked: false},
		}},
		{&s.conf, &excelize.Style{CustomNumFmt: &confFmt}},
		{&s.pct, &excelize.Style{CustomNumFmt: &pctFmt}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(d.style)
		if err != nil {
			return s, fmt.Errorf("xlsx style: %w", err)
		}
		*d.dst = id
	}
	return s, nil
}

// Write implements Writer.
func (XLSX) Write(w io.Writer, inv *scanner.Inventory) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	for _, name := range []string{SheetDataMap, SheetSpecial, SheetRetention, SheetUnreadable, SheetSources, SheetLists} {
		if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("xlsx sheet %s: %w", name, err)
		}
	}
	steps := []struct {
		sheet string
		fn    func(*excelize.File, xlsxStyles, *scanner.Inventory) error
	}{
		{SheetSummary, writeSummarySheet},
		{SheetDataMap, writeDataMapSheet},
		{SheetSpecial, writeSpecialSheet},
		{SheetRetention, writeRetentionSheet},
		{SheetUnreadable, writeUnreadableSheet},
		{SheetSources, writeSourcesSheet},
		{SheetLists, writeListsSheet},
	}
	for _, s := range steps {
		if err := s.fn(f, st, inv); err != nil {
			return fmt.Errorf("xlsx sheet %s: %w", s.sheet, err)
		}
	}
	if err := f.SetSheetVisible(SheetLists, false); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	f.SetActiveSheet(0)

	// Fixed properties from the inventory, so the same inventory gives the same workbook.
	stamp := inv.GeneratedAt.UTC().Format("2006-01-02T15:04:05Z")
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:          "datamap data map",
		Subject:        "Personal data inventory for the Data Protection Officer",
		Creator:        inv.Tool.Name,
		LastModifiedBy: inv.Tool.Name,
		Created:        stamp,
		Modified:       stamp,
		Version:        inv.Tool.Version,
		Description:    "Generated by " + inv.Tool.Name + " " + inv.Tool.Version + "; inventory schema " + inv.SchemaVersion,
	}); err != nil {
		return fmt.Errorf("xlsx properties: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// cellWriter writes rows of an in-memory sheet one after another.
type cellWriter struct {
	f     *excelize.File
	sheet string
	row   int
	err   error
}

func (c *cellWriter) put(values ...any) {
	c.row++
	if c.err != nil || len(values) == 0 {
		return
	}
	cell, _ := excelize.CoordinatesToCellName(1, c.row)
	c.err = c.f.SetSheetRow(c.sheet, cell, &values)
}

func (c *cellWriter) style(fromCol, toCol, style int) {
	if c.err != nil {
		return
	}
	from, _ := excelize.CoordinatesToCellName(fromCol, c.row)
	to, _ := excelize.CoordinatesToCellName(toCol, c.row)
	c.err = c.f.SetCellStyle(c.sheet, from, to, style)
}

func (c *cellWriter) headerRow(st xlsxStyles, headers ...string) {
	vals := make([]any, len(headers))
	for i, h := range headers {
		vals[i] = h
	}
	c.put(vals...)
	c.style(1, len(headers), st.header)
}

func writeSummarySheet(f *excelize.File, st xlsxStyles, inv *scanner.Inventory) error {
	c := &cellWriter{f: f, sheet: SheetSummary}
	s := inv.Summary
	c.put("datamap: personal data inventory")
	c.style(1, 1, st.title)
	c.put("Generated at", inv.GeneratedAt.UTC().Format("2006-01-02 15:04:05 UTC"))
	c.put("Tool", inv.Tool.Name+" "+inv.Tool.Version)
	c.put("Inventory schema version", inv.SchemaVersion)
	c.put("Scan complete", yesNo(inv.Complete))
	c.put("Rule pack", strings.Join(inv.Settings.RulePack, ", "))
	c.put("Rows sampled per table (files / databases)", inv.Settings.SampleRows, inv.Settings.DBSampleRows)
	c.put()

	c.put("What was scanned")
	c.style(1, 1, st.section)
	c.headerRow(st, "Source", "Kind", "Status", "Location", "Units", "Containers", "Unreadable", "Failed")
	for _, src := range inv.Sources {
		c.put(src.Name, src.Kind, src.Status, src.Location, src.Units, src.Containers, src.Unreadable, src.Failed)
	}
	c.put()

	c.put("What was sampled")
	c.style(1, 1, st.section)
	cov := totalCoverage(sourceCoverage(inv))
	c.headerRow(st, "", "Sampled", "Total", "Share")
	c.put("Rows", cov.rowsSampled, cov.rowsTotal, ratio(cov.rowsSampled, cov.rowsTotal))
	c.style(4, 4, st.pct)
	c.put("Bytes", cov.bytesSampled, cov.bytesTotal, ratio(cov.bytesSampled, cov.bytesTotal))
	c.style(4, 4, st.pct)
	c.put()
	if first := firstRowSamples(inv); len(first) > 0 {
		c.put("Sampled from their first rows")
		c.style(1, 1, st.section)
		c.headerRow(st, "Source", "Table", "How")
		for _, ct := range first {
			c.put(ct.Source, ct.Container, ct.SampleNote)
		}
		c.put()
	}

	c.put("What was found")
	c.style(1, 1, st.section)
	c.headerRow(st, "", "Fields")
	for _, h := range headline(s) {
		c.put(h.label, h.n)
	}
	c.put()
	writeReviewSection(c, st, inv)

	c.put("Special-category fields by class")
	c.style(1, 1, st.section)
	c.headerRow(st, "Art. 9 class", "Fields")
	classFrom := c.row + 1
	for _, cl := range specialClasses(s.SpecialByCategory) {
		c.put(classLabel(cl), s.SpecialByCategory[cl])
	}
	classTo := c.row
	chartAt := classFrom - 1
	c.put()

	c.put("Unreadable items by reason")
	c.style(1, 1, st.section)
	c.headerRow(st, "Reason", "Items")
	for _, r := range sortedKeys(s.UnreadableByReason) {
		c.put(r, s.UnreadableByReason[r])
	}
	c.put("Total", s.Unreadable)
	c.put()

	c.put("Top risks")
	c.style(1, 1, st.section)
	c.headerRow(st, "Fingerprint", "Field", "Location / container", "Why", "Confidence")
	for _, fl := range topRisks(inv.Fields, maxTopRisksXLSX) {
		c.put(fl.Fingerprint, fieldLabel(fl.Field), fl.Container, riskReason(fl), fl.Confidence)
		c.style(5, 5, st.conf)
	}
	if c.err != nil {
		return c.err
	}
	for col, w := range map[string]float64{"A": 42, "B": 24, "C": 40, "D": 40, "E": 12, "F": 12, "G": 12, "H": 10} {
		if err := f.SetColWidth(SheetSummary, col, col, w); err != nil {
			return err
		}
	}

	// A chart only where it helps: with no special-category fields it would be a row of zeros.
	if s.SpecialFields == 0 || classTo < classFrom {
		return nil
	}
	ref := func(col string) string {
		return fmt.Sprintf("%s!$%s$%d:$%s$%d", SheetSummary, col, classFrom, col, classTo)
	}
	return f.AddChart(SheetSummary, fmt.Sprintf("J%d", chartAt), &excelize.Chart{
		Type: excelize.Bar,
		Series: []excelize.ChartSeries{{
			Name:       fmt.Sprintf("%s!$B$%d", SheetSummary, chartAt),
			Categories: ref("A"),
			Values:     ref("B"),
		}},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Special-category fields by class"}}},
		Legend:    excelize.ChartLegend{Position: "none"},
		Dimension: excelize.ChartDimension{Width: 480, Height: 290},
	})
}

// writeReviewSection summarises the DPO's review when a decisions file was applied.
func writeReviewSection(c *cellWriter, st xlsxStyles, inv *scanner.Inventory) {
	var reviewed, expired, newSince int
	for i := range inv.Fields {
		fl := &inv.Fields[i]
		if fl.Review != nil && fl.Review.Decision != "" && !fl.Review.Expired {
			reviewed++
		}
		if fl.Review != nil && fl.Review.Expired {
			expired++
		}
		if fl.NewSinceReview {
			newSince++
		}
	}
	if reviewed == 0 && expired == 0 && newSince == 0 && len(inv.StaleDecisions) == 0 {
		return
	}
	c.put("Review")
	c.style(1, 1, st.section)
	c.headerRow(st, "", "Fields")
	c.put("Fields with a decision", reviewed)
	c.put("Decided not personal (left out of the counts)", inv.Summary.SuppressedFields)
	c.put("Decisions expired", expired)
	c.put("Personal fields new since review", newSince)
	c.put("Decisions whose field has gone", len(inv.StaleDecisions))
	c.put()
	if len(inv.StaleDecisions) == 0 {
		return
	}
	c.put("Decisions whose field has gone")
	c.style(1, 1, st.section)
	c.headerRow(st, "Fingerprint", "Decision", "Reviewed")
	for _, sd := range inv.StaleDecisions {
		c.put(sd.Fingerprint, sd.Decision, sd.Reviewed)
	}
	c.put()
}

func writeDataMapSheet(f *excelize.File, st xlsxStyles, inv *scanner.Inventory) error {
	sw, err := f.NewStreamWriter(SheetDataMap)
	if err != nil {
		return err
	}
	// Widths and column styles must be set before the first row is streamed.
	for i, col := range dataMapColumns {
		if err := sw.SetColWidth(i+1, i+1, col.width); err != nil {
			return err
		}
		if col.dpo {
			if err := sw.SetColStyle(i+1, i+1, st.dpo); err != nil {
				return err
			}
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	ret := retentionByContainer(inv)
	header := make([]any, len(dataMapColumns))
	for i, col := range dataMapColumns {
		s := st.header
		if col.dpo {
			s = st.dpoHeader
		}
		header[i] = excelize.Cell{Value: col.header, StyleID: s}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 45}); err != nil {
		return err
	}
	row := 1
	vals := make([]any, len(dataMapColumns))
	for i := range inv.Fields {
		fl := &inv.Fields[i]
		// A reviewed field stays listed even when it is not (or no longer) detected as personal, so the DPO
		// sees their decision, and a suppressed one keeps its "not personal" decision in view.
		if !fl.Personal && fl.Review == nil {
			continue
		}
		row++
		scan := []any{
			fl.Fingerprint, fl.Source, fl.Container, fieldLabel(fl.Field),
			nil, // categories of individuals: the DPO's
			humanList(fl.DataTypes),
			yesNo(len(fl.SpecialCategory) > 0),
			classLabels(fl.SpecialCategory),
			yesNo(fl.CriminalOffence),
			yesNo(fl.HighRisk),
			excelize.Cell{Value: fl.Confidence, StyleID: st.conf},
			fl.Evidence.Method,
			evidenceText(fl.Evidence),
			retentionRule(ret[fl.Source+"/"+fl.Container]), retentionStatus(ret[fl.Source+"/"+fl.Container]),
			yesBlank(fl.NewSinceReview),
		}
		copy(vals, scan)
		dpo := dpoValues(fl.Review)
		for j, col := range dataMapColumns {
			if col.dpo {
				vals[j] = excelize.Cell{Value: dpo[col.header], StyleID: st.dpo}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(dataMapColumns), max(row, 2))
	if err := f.AutoFilter(SheetDataMap, "A1:"+last, nil); err != nil {
		return err
	}
	// Validations are part of the worksheet XML the stream writes on Flush, so they go in before it.
	for i, col := range dataMapColumns {
		if col.list == 0 {
			continue
		}
		letter, _ := excelize.ColumnNumberToName(i + 1)
		listLetter, _ := excelize.ColumnNumberToName(col.list)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", letter, letter, max(row, 2))
		dv.SetSqrefDropList(fmt.Sprintf("%s!$%s$2:$%s$%d", SheetLists, listLetter, listLetter, len(lists[col.list-1].items)+1))
		dv.SetError(excelize.DataValidationErrorStyleWarning, col.header, "Pick a value from the list, or keep your own wording.")
		if err := f.AddDataValidation(SheetDataMap, dv); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// dpoValues pre-fills the DPO's columns from a field's review, so that a workbook written after an import
// keeps the DPO's work. Cells without a value stay empty rather than holding "".
func dpoValues(r *scanner.Review) map[string]any {
	out := map[string]any{}
	if r == nil {
		return out
	}
	for header, v := range map[string]string{
		"Categories of individuals": r.Individuals,
		"Purpose":                   r.Purpose,
		"Art. 6 lawful basis":       r.LawfulBasis,
		"Art. 9 / Art. 10 condition (DPA 2018 Sch. 1)": r.Condition,
		"Recipients": r.Recipients,
		"Decision":   r.Decision,
		"Notes":      r.Notes,
	} {
		if v != "" {
			out[header] = v
		}
	}
	return out
}

func yesBlank(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

func writeSpecialSheet(f *excelize.File, st xlsxStyles, inv *scanner.Inventory) error {
	c := &cellWriter{f: f, sheet: SheetSpecial}
	c.headerRow(st, "Fingerprint", "Source", "Location / container", "Field", "Art. 9 class", "Criminal offence data",
		"High risk", "Confidence", "Method", "Categories of personal data", "Evidence")
	for i := range inv.Fields {
		fl := &inv.Fields[i]
		if !counted(fl) || !sensitive(fl) {
			continue
		}
		c.put(fl.Fingerprint, fl.Source, fl.Container, fieldLabel(fl.Field), classLabels(fl.SpecialCategory),
			yesNo(fl.CriminalOffence), yesNo(fl.HighRisk), fl.Confidence, fl.Evidence.Method,
			humanList(fl.DataTypes), evidenceText(fl.Evidence))
		c.style(8, 8, st.conf)
	}
	return finishTable(f, c, []float64{40, 14, 40, 24, 26, 10, 9, 11, 9, 36, 60})
}

func writeUnreadableSheet(f *excelize.File, st xlsxStyles, inv *scanner.Inventory) error {
	c := &cellWriter{f: f, sheet: SheetUnreadable}
	c.headerRow(st, "Source", "Path", "Reason", "Detail", "Size (bytes)", "Scan failure")
	for _, u := range inv.Unreadable {
		c.put(u.Source, u.Path, u.Reason, u.Detail, u.Size, yesNo(u.Failure()))
	}
	return finishTable(f, c, []float64{14, 50, 20, 50, 12, 10})
}

// writeRetentionSheet is the retention register: per container and rule, the records past their period.
// With nothing to show it says why, rather than leaving an empty sheet that reads as "nothing kept too long".
func writeRetentionSheet(f *excelize.File, st xlsxStyles, inv *scanner.Inventory) error {
	c := &cellWriter{f: f, sheet: SheetRetention}
	if len(inv.Retention) == 0 {
		c.headerRow(st, "Retention")
		if inv.Settings.AsOf == "" {
			c.put("Not assessed: retention was not checked in this scan.")
		} else {
			c.put("No table, sheet or folder matched a rule of the retention schedule (as of " + inv.Settings.AsOf + ").")
		}
		c.put("Nothing here means nothing was counted, not that nothing is kept too long.")
		return c.err
	}
	c.headerRow(st, "Source", "Location / container", "Rule", "Record type", "Period", "Date field", "Cutoff",
		"Stale", "Total", "Oldest", "Method", "Legal hold", "How the date field was chosen", "Note")
	for _, r := range inv.Retention {
		oldest := ""
		if r.Oldest != nil {
			oldest = r.Oldest.Format(time.DateOnly)
		}
		note := r.Note
		if r.Error != "" {
			note = r.Error
		}
		c.put(r.Source, r.Container, r.Rule, r.RecordType, r.Period, r.DateField, r.Cutoff, r.StaleRows, r.TotalRows,
			oldest, r.Method, yesNo(r.Held), r.Why, note)
	}
	return c.err
}

// retentionByContainer indexes the retention register by source/container for the Data map's columns.
func retentionByContainer(inv *scanner.Inventory) map[string][]scanner.RetentionResult {
	m := map[string][]scanner.RetentionResult{}
	for _, r := range inv.Retention {
		k := r.Source + "/" + r.Container
		m[k] = append(m[k], r)
	}
	return m
}

func retentionRule(rs []scanner.RetentionResult) string {
	var ids []string
	for _, r := range rs {
		ids = append(ids, r.Rule)
	}
	return strings.Join(ids, ", ")
}

func writeSourcesSheet(f *excelize.File, st xlsxStyles, inv *scanner.Inventory) error {
	c := &cellWriter{f: f, sheet: SheetSources}
	c.headerRow(st, "Source", "Kind", "Location", "Status", "Error", "Units", "Containers", "Rows sampled",
		"Rows total", "Rows share", "Rows estimated", "Bytes sampled", "Bytes total", "Bytes share", "Fields",
		"Personal fields", "Special category fields", "Criminal offence fields", "Unreadable", "Failed")
	for _, sc := range sourceCoverage(inv) {
		src := sc.src
		c.put(src.Name, src.Kind, src.Location, src.Status, src.Error, src.Units, src.Containers,
			sc.rowsSampled, sc.rowsTotal, ratio(sc.rowsSampled, sc.rowsTotal), yesNo(sc.rowsEstimated),
			sc.bytesSampled, sc.bytesTotal, ratio(sc.bytesSampled, sc.bytesTotal), sc.fields, sc.personal,
			sc.special, sc.criminal, src.Unreadable, src.Failed)
		c.style(10, 10, st.pct)
		c.style(14, 14, st.pct)
	}
	return finishTable(f, c, []float64{14, 10, 36, 9, 30, 8, 11, 12, 12, 8, 10, 14, 14, 8, 8, 10, 10, 10, 11, 8})
}

func writeListsSheet(f *excelize.File, st xlsxStyles, _ *scanner.Inventory) error {
	for i, l := range lists {
		col, _ := excelize.ColumnNumberToName(i + 1)
		vals := []any{l.header}
		for _, it := range l.items {
			vals = append(vals, it)
		}
		if err := f.SetSheetCol(SheetLists, col+"1", &vals); err != nil {
			return err
		}
		if err := f.SetCellStyle(SheetLists, col+"1", col+"1", st.header); err != nil {
			return err
		}
		if err := f.SetColWidth(SheetLists, col, col, 40); err != nil {
			return err
		}
	}
	return nil
}

// finishTable freezes the header row of a register sheet, adds a filter and sets the widths.
func finishTable(f *excelize.File, c *cellWriter, widths []float64) error {
	if c.err != nil {
		return c.err
	}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(c.sheet, col, col, w); err != nil {
			return err
		}
	}
	if err := f.SetPanes(c.sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(widths), max(c.row, 2))
	return f.AutoFilter(c.sheet, "A1:"+last, nil)
}
