package reports

import (
	"bufio"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/datamap-uk/datamap/scanner"
)

// HTML writes the report a DPO opens in a browser or on a phone: headline figures, charts, a filterable data map,
// the special-category and criminal fields, the unreadable register, coverage and a DPIA screening draft. It is one
// self-contained file that makes no network request (a Content-Security-Policy forbids it), so it can be e-mailed
// or opened from a share. Like the other reports it holds counts, names and masked examples, never a sampled value.
// Names come from the scanned estate and are untrusted: html/template escapes every one of them.
type HTML struct{}

var (
	//go:embed html/report.html.tmpl
	htmlTemplateText string
	//go:embed html/report.css
	htmlCSS string
	//go:embed html/report.js
	htmlJS string
)

// htmlTemplate is parsed once; a parse error is a bug in the embedded file, which the tests catch.
var htmlTemplate = template.Must(template.New("report").Parse(htmlTemplateText))

// Write implements Writer.
func (HTML) Write(w io.Writer, inv *scanner.Inventory) error {
	bw := bufio.NewWriter(w)
	if err := htmlTemplate.Execute(bw, newHTMLReport(inv)); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	return bw.Flush()
}

// htmlReport is the template's view of an inventory: every string is plain text, formatted here so the template
// only lays it out.
type htmlReport struct {
	// CSS and JS are the embedded stylesheet and script: ours, never derived from the inventory.
	CSS template.CSS
	JS  template.JS

	Tool, Schema string
	Generated    string // for people
	GeneratedISO string // for <time datetime>
	Complete     bool
	ScanLine     string

	Cards       []htmlCard
	ClassChart  htmlChart
	ReasonChart htmlChart

	TopRisks []htmlField
	Special  []htmlField
	Fields   []htmlField // personal fields: the data map
	AllCount int         // every classified field, personal or not

	SourceNames  []string
	MultiSource  bool // name the source beside each place only when there is more than one
	ClassOptions []htmlOption

	Reasons    []htmlReason
	Unreadable []htmlUnreadable
	Failures   int

	Coverage []htmlCoverage
	// FirstRows are the samples that are a table's first rows (sample_note).
	FirstRows []htmlFirstRows
	Settings  []htmlSetting

	Retention []htmlRetention
	AsOf      string

	DPIA dpiaScreen
}

// htmlRetention is one line of the retention register.
type htmlRetention struct {
	Place, Rule, RecordType, Period, Field, Cutoff, Status string
	Breach                                                 bool
}

type htmlCard struct {
	Label, Value, Note string
	Tone               string // "", "alert" or "warn": a CSS class
	Wide               bool
}

type htmlOption struct{ Value, Label string }

type htmlField struct {
	Rank                     int
	Fingerprint              string
	Source, Container, Field string
	Kinds, Classes, Why      string
	ClassCodes               string // space-separated Art. 9 class codes, for the filter
	Criminal, HighRisk       bool
	Confidence, Method       string
	Examples, Matched, Names string
}

type htmlChart struct {
	Title, Summary string
	Width, Height  int
	Bars           []htmlBar
	Empty          string
}

// htmlBar is one bar of a horizontal bar chart drawn in SVG user units; the label sits above its bar so long
// labels stay readable when a phone scales the chart down.
type htmlBar struct {
	Label, Count         string
	LabelY, BarY, BarH   int
	BarW, CountX, CountY int
}

type htmlReason struct {
	Label, What, Bytes string
	Items              int
}

type htmlUnreadable struct {
	Source, Path, ReasonLabel, Detail, Size string
	Failure                                 bool
}

type htmlFirstRows struct{ Name, Note string }

type htmlCoverage struct {
	Name, Kind, Status, Error, Location string
	OK                                  bool
	Containers                          string
	Rows, Bytes                         string
	Personal, Special, Criminal         string
	Unreadable, Failed                  string
}

type htmlSetting struct{ Label, Value string }

func newHTMLReport(inv *scanner.Inventory) htmlReport {
	s := inv.Summary
	r := htmlReport{
		AsOf:         inv.Settings.AsOf,
		Retention:    htmlRetentionRows(inv),
		CSS:          template.CSS(htmlCSS),
		JS:           template.JS(htmlJS),
		Tool:         strings.TrimSpace(inv.Tool.Name + " " + inv.Tool.Version),
		Schema:       inv.SchemaVersion,
		Generated:    inv.GeneratedAt.UTC().Format("2 January 2006 at 15:04 UTC"),
		GeneratedISO: inv.GeneratedAt.UTC().Format("2006-01-02T15:04:05Z"),
		Complete:     inv.Complete,
		AllCount:     s.Fields,
	}
	r.ScanLine = fmt.Sprintf("Scan of %s, %s classified.", plural(s.Sources, "source", "sources"),
		plural(s.Fields, "field", "fields"))

	var byClass []string
	for _, c := range classesFound(s.SpecialByCategory) {
		byClass = append(byClass, classLabel(c)+" "+num(s.SpecialByCategory[c]))
	}
	special := "none found"
	if len(byClass) > 0 {
		special = strings.Join(byClass, " · ")
	}
	sourcesNote := "all read"
	if s.SourcesFailed > 0 {
		sourcesNote = plural(s.SourcesFailed, "failed", "failed")
	}
	tone := func(n int, t string) string {
		if n > 0 {
			return t
		}
		return ""
	}
	// Eight slots on a two- or four-column grid: the special-category card is double width for its classes.
	r.Cards = []htmlCard{
		{Label: "Sources", Value: num(s.Sources), Note: sourcesNote, Tone: tone(s.SourcesFailed, "alert")},
		{Label: "Fields classified", Value: num(s.Fields), Note: "in " + plural(s.Containers, "table or document", "tables and documents")},
		{Label: "Personal data", Value: num(s.PersonalFields), Note: pct(s.PersonalFields, s.Fields) + " of fields"},
		{Label: "High risk", Value: num(s.HighRiskFields), Note: "fields", Tone: tone(s.HighRiskFields, "warn")},
		{Label: "Special category (Art. 9)", Value: num(s.SpecialFields), Note: special, Tone: tone(s.SpecialFields, "alert"), Wide: true},
		{Label: "Criminal offence (Art. 10)", Value: num(s.CriminalFields), Note: "fields", Tone: tone(s.CriminalFields, "alert")},
		{Label: "Unreadable", Value: num(s.Unreadable), Note: "items not read", Tone: tone(s.Unreadable, "warn")},
	}

	var classBars []htmlChartInput
	for _, c := range specialClasses(s.SpecialByCategory) {
		classBars = append(classBars, htmlChartInput{classLabel(c), s.SpecialByCategory[c]})
	}
	r.ClassChart = barChart("Special-category fields by Art. 9 class",
		"Number of personal fields holding each class of special category data.", classBars,
		"No special-category data found.")
	var reasonBars []htmlChartInput
	for _, k := range sortedKeys(s.UnreadableByReason) {
		reasonBars = append(reasonBars, htmlChartInput{reasonLabel(k), s.UnreadableByReason[k]})
	}
	r.ReasonChart = barChart("Unreadable items by reason", "Number of items the scan could not read, by reason.",
		reasonBars, "Everything found could be read.")

	for i, f := range topRisks(inv.Fields, maxTopRisks) {
		hf := newHTMLField(f)
		hf.Rank = i + 1
		r.TopRisks = append(r.TopRisks, hf)
	}
	// The data map lists the fields the summary counts: a field the DPO decided is not personal is left out.
	for i := range inv.Fields {
		f := &inv.Fields[i]
		if !counted(f) {
			continue
		}
		hf := newHTMLField(f)
		r.Fields = append(r.Fields, hf)
		if sensitive(f) {
			r.Special = append(r.Special, hf)
		}
	}
	for _, c := range classesFound(s.SpecialByCategory) {
		r.ClassOptions = append(r.ClassOptions, htmlOption{c, classLabel(c)})
	}
	for _, src := range inv.Sources {
		r.SourceNames = append(r.SourceNames, src.Name)
	}
	r.MultiSource = len(inv.Sources) > 1

	var reasons []reasonCount
	reasons, r.Failures = unreadableByReason(inv.Unreadable)
	for _, rc := range reasons {
		r.Reasons = append(r.Reasons, htmlReason{Label: reasonLabel(rc.reason), What: rc.meaning(), Items: rc.items,
			Bytes: byteSize(rc.bytes)})
	}
	for _, u := range inv.Unreadable {
		r.Unreadable = append(r.Unreadable, htmlUnreadable{Source: u.Source, Path: u.Path, ReasonLabel: reasonLabel(u.Reason),
			Detail: u.Detail, Size: byteSize(u.Size), Failure: u.Failure()})
	}

	for _, c := range sourceCoverage(inv) {
		r.Coverage = append(r.Coverage, htmlCoverage{
			Name: c.src.Name, Kind: c.src.Kind, Status: c.src.Status, Error: c.src.Error, Location: c.src.Location,
			OK: c.src.Status == scanner.StatusOK, Containers: num(c.src.Containers),
			Rows:     c.rowsText(),
			Bytes:    fmt.Sprintf("%s of %s (%s)", byteSize(c.bytesSampled), byteSize(c.bytesTotal), pct(c.bytesSampled, c.bytesTotal)),
			Personal: num(c.personal), Special: num(c.special), Criminal: num(c.criminal),
			Unreadable: num(c.src.Unreadable), Failed: num(c.src.Failed),
		})
	}
	for _, c := range firstRowSamples(inv) {
		r.FirstRows = append(r.FirstRows, htmlFirstRows{Name: c.Source + "/" + c.Container, Note: c.SampleNote})
	}
	set := inv.Settings
	r.Settings = []htmlSetting{
		{"Rows sampled per table (files)", num(set.SampleRows)},
		{"Text read per document", byteSize(set.MaxTextBytes)},
	}
	if set.DBSampleRows > 0 {
		r.Settings = append(r.Settings, htmlSetting{"Rows sampled per table (databases)", num(set.DBSampleRows)})
	}
	if set.StatementTimeoutSeconds > 0 {
		r.Settings = append(r.Settings, htmlSetting{"Statement timeout",
			strconv.FormatFloat(set.StatementTimeoutSeconds, 'f', -1, 64) + " s"})
	}
	r.Settings = append(r.Settings, htmlSetting{"Rule pack", strings.Join(set.RulePack, ", ")},
		htmlSetting{"Inventory schema", inv.SchemaVersion})

	r.DPIA = screenDPIA(inv)
	return r
}

func newHTMLField(f *scanner.Field) htmlField {
	return htmlField{
		Fingerprint: f.Fingerprint, Source: f.Source, Container: f.Container, Field: fieldLabel(f.Field),
		Kinds: humanList(f.DataTypes), Classes: classLabels(f.SpecialCategory),
		ClassCodes: strings.Join(f.SpecialCategory, " "), Criminal: f.CriminalOffence, HighRisk: f.HighRisk,
		Confidence: conf(f.Confidence), Method: f.Evidence.Method, Why: riskReason(f),
		Examples: strings.Join(f.Evidence.Examples, "; "), Names: strings.Join(f.Evidence.Names, ", "),
		Matched: matchedText(f.Evidence),
	}
}

type htmlChartInput struct {
	label string
	n     int
}

// Chart geometry in SVG user units. The SVG scales to its box, so these are proportions: a 400-unit-wide chart
// shown 360 pixels wide on a phone keeps 13-unit labels at about 12 pixels.
const (
	chartWidth   = 400
	chartRow     = 40
	chartBarMax  = 340
	chartBarH    = 14
	chartLabelDY = 14
)

func barChart(title, summary string, in []htmlChartInput, empty string) htmlChart {
	c := htmlChart{Title: title, Summary: summary, Width: chartWidth, Height: max(1, len(in)) * chartRow}
	top, total := 0, 0
	for _, b := range in {
		top = max(top, b.n)
		total += b.n
	}
	if total == 0 {
		c.Empty = empty
	}
	for i, b := range in {
		y := i * chartRow
		w := 0
		if top > 0 && b.n > 0 {
			w = max(2, b.n*chartBarMax/top)
		}
		c.Bars = append(c.Bars, htmlBar{Label: b.label, Count: num(b.n), LabelY: y + chartLabelDY,
			BarY: y + chartLabelDY + 5, BarH: chartBarH, BarW: w, CountX: w + 6, CountY: y + chartLabelDY + 17})
	}
	return c
}

func htmlRetentionRows(inv *scanner.Inventory) []htmlRetention {
	var out []htmlRetention
	for _, r := range inv.Retention {
		out = append(out, htmlRetention{
			Place: r.Container, Rule: r.Rule, RecordType: r.RecordType, Period: r.Period, Field: r.DateField,
			Cutoff: r.Cutoff, Status: retentionStatus([]scanner.RetentionResult{r}), Breach: r.Breach(),
		})
	}
	return out
}
