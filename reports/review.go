package reports

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/datamap-uk/datamap/scanner"
)

// Limits on an imported workbook, which comes from outside: a zip bomb must not exhaust memory or disk.
const (
	importUnzipLimit    = 1 << 30
	importUnzipXMLLimit = 64 << 20
	headerSearchRows    = 10 // the header may sit below a title row someone added
)

// importColumn is a column the review import reads, found by its header. Any other column (the scan's own,
// with the masked evidence, or one the DPO added) is ignored.
type importColumn struct {
	key     string
	headers []string // accepted headers, normalised; the first is the one the workbook is written with
	dpo     bool     // a DPO column: a row with any of them filled in is imported
}

var importColumns = []importColumn{
	{key: "fingerprint", headers: []string{"fingerprint"}},
	{key: "decision", headers: []string{"decision"}, dpo: true},
	{key: "individuals", headers: []string{"categories of individuals", "individuals"}, dpo: true},
	{key: "purpose", headers: []string{"purpose", "purposes", "purpose of processing"}, dpo: true},
	{key: "lawful_basis", headers: []string{"art. 6 lawful basis", "lawful basis", "art 6 lawful basis"}, dpo: true},
	{key: "condition", headers: []string{"art. 9 / art. 10 condition (dpa 2018 sch. 1)", "art. 9 / art. 10 condition",
		"art 9 / art 10 condition", "condition"}, dpo: true},
	{key: "recipients", headers: []string{"recipients"}, dpo: true},
	{key: "notes", headers: []string{"notes", "dpo notes"}, dpo: true},
	// Not written by datamap, but a DPO may add them.
	{key: "reviewed_by", headers: []string{"reviewed by"}},
	{key: "reviewed", headers: []string{"reviewed", "reviewed on", "review date"}},
	{key: "expires", headers: []string{"expires", "review expires"}},
}

func normaliseHeader(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// ImportWorkbook reads the DPO's decisions from the Data map sheet of a workbook datamap wrote and the DPO
// edited. Columns are found by their header, so reordered, hidden or added columns do no harm. A row is
// imported when it has a decision or any other DPO column filled in; only the DPO's columns are read, never
// the evidence. Decisions are validated ("Not personal" is accepted for "not personal"); an unknown one is an
// error naming the row and the field's fingerprint. Reviewer and dates are left empty unless the DPO added
// "Reviewed by", "Reviewed" or "Expires" columns: see Decisions.Stamp.
func ImportWorkbook(r io.ReaderAt, size int64) (*Decisions, error) {
	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
		UnzipSizeLimit: importUnzipLimit, UnzipXMLSizeLimit: importUnzipXMLLimit, RawCellValue: true,
	})
	if err != nil {
		return nil, fmt.Errorf("import workbook: %w", err)
	}
	defer f.Close()
	if idx, err := f.GetSheetIndex(SheetDataMap); err != nil || idx < 0 {
		return nil, fmt.Errorf("import workbook: no %q sheet (is this a datamap workbook?)", SheetDataMap)
	}
	rows, err := f.Rows(SheetDataMap)
	if err != nil {
		return nil, fmt.Errorf("import workbook: %w", err)
	}
	defer rows.Close()
	d, err := importRows(rows)
	if err != nil {
		return nil, fmt.Errorf("import workbook: %w", err)
	}
	return d, nil
}

func importRows(rows *excelize.Rows) (*Decisions, error) {
	d := &Decisions{Version: DecisionsVersion, Decision: []Decision{}}
	var cols map[string]int
	seen := map[string]int{}
	for n := 1; rows.Next(); n++ {
		// Raw values, so that a date cell comes back as its serial number rather than in a locale's format.
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("%s row %d: %w", SheetDataMap, n, err)
		}
		if cols == nil {
			if cols, err = findHeader(cells); err != nil {
				return nil, fmt.Errorf("%s row %d: %w", SheetDataMap, n, err)
			}
			if cols == nil && n >= headerSearchRows {
				return nil, fmt.Errorf("%s: no header row with %q and %q columns", SheetDataMap, "Fingerprint", "Decision")
			}
			continue
		}
		cell := func(key string) string {
			i, ok := cols[key]
			if !ok || i >= len(cells) {
				return ""
			}
			return strings.TrimSpace(cells[i])
		}
		dec := Decision{
			Fingerprint: cell("fingerprint"), Decision: cell("decision"), Individuals: cell("individuals"),
			Purpose: cell("purpose"), LawfulBasis: cell("lawful_basis"), Condition: cell("condition"),
			Recipients: cell("recipients"), Notes: cell("notes"), ReviewedBy: cell("reviewed_by"),
		}
		if dec.empty() {
			continue
		}
		where := fmt.Sprintf("%s row %d", SheetDataMap, n)
		if dec.Fingerprint == "" {
			return nil, fmt.Errorf("%s: DPO columns filled in but no fingerprint", where)
		}
		where += fmt.Sprintf(" (%q)", dec.Fingerprint)
		if prev, ok := seen[dec.Fingerprint]; ok {
			return nil, fmt.Errorf("%s: the same field as row %d", where, prev)
		}
		seen[dec.Fingerprint] = n
		v, ok := normaliseDecision(dec.Decision)
		if !ok {
			return nil, fmt.Errorf("%s: unknown decision (valid: %s)", where, strings.Join(quoted(decisionList), ", "))
		}
		dec.Decision = v
		if dec.Reviewed, err = cellDate(cell("reviewed")); err != nil {
			return nil, fmt.Errorf("%s: reviewed: %w", where, err)
		}
		if dec.Expires, err = cellDate(cell("expires")); err != nil {
			return nil, fmt.Errorf("%s: expires: %w", where, err)
		}
		d.Decision = append(d.Decision, dec)
	}
	if err := rows.Error(); err != nil {
		return nil, err
	}
	if cols == nil {
		return nil, fmt.Errorf("%s: no header row with %q and %q columns", SheetDataMap, "Fingerprint", "Decision")
	}
	if err := d.validate(); err != nil {
		return nil, err
	}
	d.sort()
	return d, nil
}

// findHeader maps column keys to indexes when cells are the header row, or returns nil when they are not.
func findHeader(cells []string) (map[string]int, error) {
	byHeader := map[string]string{}
	for _, c := range importColumns {
		for _, h := range c.headers {
			byHeader[h] = c.key
		}
	}
	cols := map[string]int{}
	for i, v := range cells {
		key, ok := byHeader[normaliseHeader(v)]
		if !ok {
			continue
		}
		if _, dup := cols[key]; dup {
			return nil, fmt.Errorf("two columns are headed %q", strings.TrimSpace(v))
		}
		cols[key] = i
	}
	_, fp := cols["fingerprint"]
	_, dec := cols["decision"]
	if !fp || !dec {
		return nil, nil
	}
	return cols, nil
}

// cellDate reads a date cell: an Excel serial number, or text written as 2026-03-31 or 31/03/2026 (UK order).
func cellDate(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if serial, err := strconv.ParseFloat(s, 64); err == nil {
		if serial < 1 || serial > 2958465 { // 9999-12-31
			return "", errors.New("not a date")
		}
		t, err := excelize.ExcelDateToTime(serial, false)
		if err != nil {
			return "", errors.New("not a date")
		}
		return t.Format(dateLayout), nil
	}
	for _, layout := range []string{dateLayout, "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(dateLayout), nil
		}
	}
	return "", errors.New("not a date (want YYYY-MM-DD or DD/MM/YYYY)")
}

// ReviewResult is what applying the decisions to an inventory found.
type ReviewResult struct {
	Reviewed       int                     // fields with a current decision
	Suppressed     int                     // personal fields decided "not personal", left out of the counts
	Expired        int                     // fields whose decision has expired; they count as unreviewed
	NewSinceReview int                     // personal fields with no current decision
	Stale          []scanner.StaleDecision // decisions whose field has gone from a source this scan read
	Unscanned      int                     // decisions for sources this scan did not read (or that failed)
}

// Apply carries the decisions over into the inventory: every field with a decision gets its Review; a
// personal field decided "not personal" is suppressed (still listed, out of the counts); a personal field with
// no decision, or whose decision expired before today, is marked new since the review; decisions whose field
// has gone are listed in inv.StaleDecisions. A decision for a source the scan did not read, or that failed,
// is neither applied nor stale. The summary is recounted. With d nil (no decisions file) nothing is marked.
// Apply replaces what an earlier Apply set, so it may run twice.
func Apply(inv *scanner.Inventory, d *Decisions, today time.Time) ReviewResult {
	var res ReviewResult
	inv.StaleDecisions = nil
	for i := range inv.Fields {
		fl := &inv.Fields[i]
		fl.Review, fl.Suppressed, fl.NewSinceReview = nil, false, false
	}
	if d == nil {
		inv.Recount()
		return res
	}
	day := today.Format(dateLayout)
	byFP := d.index()
	found := make(map[string]bool, len(inv.Fields))
	for i := range inv.Fields {
		fl := &inv.Fields[i]
		found[fl.Fingerprint] = true
		dec, ok := byFP[fl.Fingerprint]
		if !ok {
			if fl.Personal {
				fl.NewSinceReview = true
				res.NewSinceReview++
			}
			continue
		}
		fl.Review = &scanner.Review{
			Decision: dec.Decision, Individuals: dec.Individuals, Purpose: dec.Purpose,
			LawfulBasis: dec.LawfulBasis, Condition: dec.Condition, Recipients: dec.Recipients, Notes: dec.Notes,
			ReviewedBy: dec.ReviewedBy, Reviewed: dec.Reviewed, Expires: dec.Expires,
			Expired: dec.Expires != "" && day > dec.Expires,
		}
		switch {
		case fl.Review.Expired:
			res.Expired++
			if fl.Personal {
				fl.NewSinceReview = true
				res.NewSinceReview++
			}
		case dec.Decision == "":
			// Work in progress: carried over, but not yet a review.
		default:
			res.Reviewed++
			if dec.Decision == DecisionNotPersonal && fl.Personal {
				fl.Suppressed = true
				res.Suppressed++
			}
		}
	}
	scanned := map[string]bool{}
	for _, s := range inv.Sources {
		scanned[s.Name] = s.Status != scanner.StatusFailed
	}
	for _, dec := range d.Decision {
		if found[dec.Fingerprint] {
			continue
		}
		if len(inv.Sources) > 0 && !sourceScanned(dec.Fingerprint, scanned) {
			res.Unscanned++
			continue
		}
		inv.StaleDecisions = append(inv.StaleDecisions, scanner.StaleDecision{
			Fingerprint: dec.Fingerprint, Decision: dec.Decision, Reviewed: dec.Reviewed,
		})
	}
	slices.SortFunc(inv.StaleDecisions, func(a, b scanner.StaleDecision) int { return strings.Compare(a.Fingerprint, b.Fingerprint) })
	res.Stale = slices.Clone(inv.StaleDecisions)
	inv.Recount()
	return res
}

// sourceScanned reports whether a fingerprint belongs to a source the scan read. Source names are matched
// whole, as a name may itself hold a "/".
func sourceScanned(fp string, scanned map[string]bool) bool {
	best, ok := "", false
	for name, read := range scanned {
		if strings.HasPrefix(fp, name+"/") && len(name) >= len(best) {
			best, ok = name, read
		}
	}
	return ok
}
