package reports

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/datamap-uk/datamap/rules"
	"github.com/datamap-uk/datamap/scanner"
)

// The figures and wording the human-readable reports (the workbook, Markdown, HTML and the DPIA screening they
// share) have in common. Each is worked out here once, so the reports cannot disagree; the headline counts come
// from the inventory's summary (scanner.Inventory.Recount), never counted again by a writer.

// counted reports whether a field counts as personal data: detected as personal, and not decided "not personal"
// by the DPO. The summary counts fields the same way.
func counted(f *scanner.Field) bool { return f.Personal && !f.Suppressed }

// sensitive reports special category (Art. 9) or criminal offence (Art. 10) data.
func sensitive(f *scanner.Field) bool { return len(f.SpecialCategory) > 0 || f.CriminalOffence }

// labelCount is one line of the headline figures.
type labelCount struct {
	label string
	n     int
}

// headline is the summary's headline figures, in the order every report lists them.
func headline(s scanner.Summary) []labelCount {
	return []labelCount{
		{"Fields classified", s.Fields},
		{"Personal data", s.PersonalFields},
		{"Special category (Art. 9)", s.SpecialFields},
		{"Criminal offence (Art. 10)", s.CriminalFields},
		{"High risk", s.HighRiskFields},
	}
}

// fieldLabel names the field a document's text was read as ("*" in the inventory) in words a DPO reads.
func fieldLabel(name string) string {
	if name == "*" {
		return "(document text)"
	}
	return name
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func ratio[T int | int64](part, whole T) float64 {
	if whole <= 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// num groups a count's digits in thousands.
func num[T int | int64](n T) string {
	s := strconv.FormatInt(int64(n), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func pct[T int | int64](part, whole T) string {
	if whole <= 0 {
		return "n/a"
	}
	return strconv.FormatFloat(100*ratio(part, whole), 'f', 0, 64) + "%"
}

func plural[T int | int64](n T, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return num(n) + " " + many
}

// byteSize gives a size in the decimal units a file manager shows.
func byteSize(n int64) string {
	const unit = 1000
	if n < unit {
		return plural(n, "byte", "bytes")
	}
	f, i := float64(n), -1
	for f >= unit && i < 3 {
		f /= unit
		i++
	}
	return strconv.FormatFloat(f, 'f', 1, 64) + " " + [...]string{"kB", "MB", "GB", "TB"}[i]
}

func conf(c float64) string { return strconv.FormatFloat(c, 'f', 2, 64) }

// sortedKeys lists a map's keys in order, so that a report never depends on map iteration.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

var classLabelText = map[string]string{
	"racial_ethnic_origin": "Racial or ethnic origin",
	"political_opinions":   "Political opinions",
	"religious_beliefs":    "Religious or philosophical beliefs",
	"trade_union":          "Trade union membership",
	"genetic":              "Genetic",
	"biometric":            "Biometric (identification)",
	"health":               "Health",
	"sex_life":             "Sex life",
	"sexual_orientation":   "Sexual orientation",
}

// classLabel names an Art. 9 class as the ICO does; a class from a user's pack keeps its own name.
func classLabel(c string) string {
	if l, ok := classLabelText[c]; ok {
		return l
	}
	return strings.ReplaceAll(c, "_", " ")
}

func classLabels(cs []string) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = classLabel(c)
	}
	return strings.Join(out, ", ")
}

// specialClasses lists the Art. 9 classes in the inventory's order, then any a user's pack added, sorted.
func specialClasses(by map[string]int) []string {
	out := rules.SpecialCategories()
	var extra []string
	for c := range by {
		if !slices.Contains(out, c) {
			extra = append(extra, c)
		}
	}
	slices.Sort(extra)
	return append(out, extra...)
}

// classesFound lists the Art. 9 classes that at least one field holds, in specialClasses order.
func classesFound(by map[string]int) []string {
	var out []string
	for _, c := range specialClasses(by) {
		if by[c] > 0 {
			out = append(out, c)
		}
	}
	return out
}

// typeWords spells the initialisms in data type names as people write them.
var typeWords = map[string]string{"nino": "NINO", "nhs": "NHS", "iban": "IBAN", "utr": "UTR", "mappa": "MAPPA",
	"asb": "ASB", "gp": "GP", "ip": "IP", "chi": "CHI", "hc": "H&C", "uprn": "UPRN", "dbs": "DBS"}

// humanType turns a data type ("nhs_number") into words ("NHS number").
func humanType(t string) string {
	words := strings.Split(t, "_")
	for i, w := range words {
		if u, ok := typeWords[w]; ok {
			words[i] = u
		}
	}
	return strings.Join(words, " ")
}

func humanList(types []string) string {
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = humanType(t)
	}
	return strings.Join(out, ", ")
}

// matchedText lists the rules whose values matched, with their counts: "uk-nino ×12, email ×3".
func matchedText(ev rules.Evidence) string {
	var m []string
	for _, id := range sortedKeys(ev.Matched) {
		m = append(m, id+" ×"+strconv.Itoa(ev.Matched[id]))
	}
	return strings.Join(m, ", ")
}

// evidenceText says why a field was classified: masked examples, the rules whose values matched (with counts)
// and those whose name cue matched. Examples are masked when captured; nothing else here comes from a value.
func evidenceText(ev rules.Evidence) string {
	var parts []string
	if len(ev.Examples) > 0 {
		parts = append(parts, "examples: "+strings.Join(ev.Examples, "; "))
	}
	if m := matchedText(ev); m != "" {
		parts = append(parts, "values matched: "+m)
	}
	if len(ev.Names) > 0 {
		parts = append(parts, "name matched: "+strings.Join(ev.Names, ", "))
	}
	return strings.Join(parts, " | ")
}

// Top risks.

// maxTopRisks is the length of the Markdown and HTML reports' top-risk list; the workbook has room for more.
const (
	maxTopRisks     = 10
	maxTopRisksXLSX = 15
)

// isRisk reports a field that needs the DPO's attention first.
func isRisk(f *scanner.Field) bool { return counted(f) && (sensitive(f) || f.HighRisk) }

func riskReason(f *scanner.Field) string {
	var why []string
	if len(f.SpecialCategory) > 0 {
		why = append(why, "special category: "+classLabels(f.SpecialCategory))
	}
	if f.CriminalOffence {
		why = append(why, "criminal offence data")
	}
	if f.HighRisk {
		why = append(why, "high risk")
	}
	return strings.Join(why, "; ")
}

// topRisks returns the n riskiest fields: special-category or criminal first, then by confidence, in inventory
// order among equals so the list is stable.
func topRisks(fields []scanner.Field, n int) []*scanner.Field {
	var out []*scanner.Field
	for i := range fields {
		if isRisk(&fields[i]) {
			out = append(out, &fields[i])
		}
	}
	slices.SortStableFunc(out, func(a, b *scanner.Field) int {
		if a, b := sensitive(a), sensitive(b); a != b {
			if a {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.Confidence, a.Confidence)
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// Coverage.

type coverage struct {
	src                      scanner.SourceResult
	rowsSampled, rowsTotal   int
	rowsEstimated            bool
	bytesSampled, bytesTotal int64
	fields, personal         int
	special, criminal        int
	personalContainers       int
	personalRows             int // rows_total of containers holding personal data: an upper bound of people
	personalDocs             int // text containers holding personal data, whose people the scan cannot count
	specialRows, specialDocs int // the same for containers holding special-category or criminal data
	personalBytes            int64
	specialContainers        int
}

// rowsText says how many rows were sampled, of how many: "250 of 1,000 (25%), total estimated".
func (c coverage) rowsText() string {
	s := fmt.Sprintf("%s of %s (%s)", num(c.rowsSampled), num(c.rowsTotal), pct(c.rowsSampled, c.rowsTotal))
	if c.rowsEstimated {
		s += ", total estimated"
	}
	return s
}

// sourceCoverage sums each source's containers and fields, in the inventory's source order.
func sourceCoverage(inv *scanner.Inventory) []coverage {
	idx := map[string]int{}
	out := make([]coverage, len(inv.Sources))
	for i, s := range inv.Sources {
		idx[s.Name] = i
		out[i].src = s
	}
	type key struct{ source, container string }
	personal, special := map[key]bool{}, map[key]bool{}
	for i := range inv.Fields {
		fl := &inv.Fields[i]
		j, ok := idx[fl.Source]
		if !ok {
			continue
		}
		out[j].fields++
		if !counted(fl) {
			continue
		}
		out[j].personal++
		personal[key{fl.Source, fl.Container}] = true
		if len(fl.SpecialCategory) > 0 {
			out[j].special++
		}
		if fl.CriminalOffence {
			out[j].criminal++
		}
		if sensitive(fl) {
			special[key{fl.Source, fl.Container}] = true
		}
	}
	for _, c := range inv.Containers {
		j, ok := idx[c.Source]
		if !ok {
			continue
		}
		o := &out[j]
		o.rowsSampled += c.RowsSampled
		o.rowsTotal += c.RowsTotal
		o.rowsEstimated = o.rowsEstimated || c.RowsEstimate
		o.bytesSampled += c.BytesSampled
		o.bytesTotal += c.BytesTotal
		k := key{c.Source, c.Container}
		if personal[k] {
			o.personalContainers++
			o.personalBytes += c.BytesTotal
			if c.Kind == "text" {
				o.personalDocs++
			} else {
				o.personalRows += c.RowsTotal
			}
		}
		if special[k] {
			o.specialContainers++
			if c.Kind == "text" {
				o.specialDocs++
			} else {
				o.specialRows += c.RowsTotal
			}
		}
	}
	return out
}

// firstRowSamples lists the containers whose sample is a table's first rows rather than spread over it
// (sample_note), in inventory order: honest coverage says which, and every report lists the same ones.
func firstRowSamples(inv *scanner.Inventory) []scanner.ContainerResult {
	var out []scanner.ContainerResult
	for _, c := range inv.Containers {
		if c.SampleNote != "" {
			out = append(out, c)
		}
	}
	return out
}

// totalCoverage adds up the sources' coverage.
func totalCoverage(cs []coverage) coverage {
	var t coverage
	for _, c := range cs {
		t.rowsSampled += c.rowsSampled
		t.rowsTotal += c.rowsTotal
		t.rowsEstimated = t.rowsEstimated || c.rowsEstimated
		t.bytesSampled += c.bytesSampled
		t.bytesTotal += c.bytesTotal
		t.fields += c.fields
		t.personal += c.personal
		t.special += c.special
		t.criminal += c.criminal
		t.personalContainers += c.personalContainers
		t.personalRows += c.personalRows
		t.personalDocs += c.personalDocs
		t.specialRows += c.specialRows
		t.specialDocs += c.specialDocs
		t.personalBytes += c.personalBytes
		t.specialContainers += c.specialContainers
	}
	return t
}

// Unreadable items.

// reasonText explains an unreadable reason to someone who has not read the scanner.
var reasonText = map[string]string{
	scanner.ReasonEncrypted:     "password-protected or encrypted: ask the owner, or scan with the key",
	scanner.ReasonLegacyFormat:  "an old format (.doc, .xls) the scanner does not read: convert and rescan",
	scanner.ReasonNeedsOCR:      "scanned images or image-only PDFs: personal data may be in them, unread",
	scanner.ReasonArchiveLimit:  "an archive over the size, depth or compression limits",
	scanner.ReasonCorrupt:       "damaged file",
	scanner.ReasonUnknownBinary: "binary data of unknown type",
	scanner.ReasonUnsupported:   "a format the scanner does not read",
}

// reasonLabel turns an unreadable reason code into words.
func reasonLabel(r string) string {
	if r == scanner.ReasonNeedsOCR {
		return "needs OCR"
	}
	return strings.ReplaceAll(r, "_", " ")
}

// reasonCount is the unreadable register's items of one reason.
type reasonCount struct {
	reason          string
	items, failures int
	bytes           int64
}

// meaning says what the reason means for the DPO; items the scan failed to read say so instead.
func (r reasonCount) meaning() string {
	if r.failures > 0 {
		return "the scan failed to read these: rescan once fixed"
	}
	return reasonText[r.reason]
}

// unreadableByReason groups the unreadable register by reason, sorted, and counts the items that failed during
// the scan rather than being unreadable by nature.
func unreadableByReason(us []scanner.Unreadable) (by []reasonCount, failures int) {
	idx := map[string]int{}
	for _, u := range us {
		i, ok := idx[u.Reason]
		if !ok {
			i = len(by)
			idx[u.Reason] = i
			by = append(by, reasonCount{reason: u.Reason})
		}
		by[i].items++
		by[i].bytes += u.Size
		if u.Failure() {
			by[i].failures++
			failures++
		}
	}
	slices.SortFunc(by, func(a, b reasonCount) int { return cmp.Compare(a.reason, b.reason) })
	return by, failures
}

// Retention.

// isConsent: a consent-freshness line, not a retention breach.
func isConsent(r scanner.RetentionResult) bool { return r.Kind == scanner.KindConsent }

func retentionStatus(rs []scanner.RetentionResult) string {
	var parts []string
	for _, r := range rs {
		switch {
		case r.Held:
			parts = append(parts, "legal hold")
		case r.Error != "":
			parts = append(parts, "not counted")
		case isConsent(r):
			p := fmt.Sprintf("%d of %d due for re-consent (older than %s)", r.StaleRows, r.TotalRows, r.Period)
			if r.MissingRows > 0 {
				p += fmt.Sprintf(", %d with no consent date", r.MissingRows)
			}
			parts = append(parts, p)
		case r.StaleRows > 0:
			parts = append(parts, fmt.Sprintf("%d of %d past %s", r.StaleRows, r.TotalRows, r.Period))
		default:
			parts = append(parts, "within period")
		}
	}
	return strings.Join(parts, "; ")
}

// Plain text.

// OneLine makes a name from the estate safe on a line of plain text (CI logs, a terminal, the scan summary):
// control characters (a newline could forge a line, or a GitHub workflow command in a CI log; an escape sequence
// could rewrite the terminal), line separators and bidirectional overrides are shown as Go escapes instead.
// Anything else is left as it is, so ordinary names read unchanged.
func OneLine(s string) string {
	if strings.IndexFunc(s, unsafeRune) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafeRune(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029'
}
