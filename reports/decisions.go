package reports

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// DecisionsVersion is the decisions file's format version. A reader rejects other versions rather than guess.
const DecisionsVersion = 1

// The DPO's decisions about a field. They are the Decision column's drop-down on the workbook's Data map.
const (
	DecisionConfirmed   = "confirmed"    // personal data, recorded in the data map
	DecisionNotPersonal = "not personal" // a false positive: later scans suppress the field
	DecisionToDelete    = "to delete"    // personal data the organisation should not keep
)

// Decisions is the review file: the DPO's decision about each field, keyed by the field's fingerprint. It is
// TOML in the user's repository so that it survives rescans and a change to it reads well in a pull request.
type Decisions struct {
	Version  int        `toml:"version"`
	Decision []Decision `toml:"decision"`
}

// Decision is the review of one field. Decision may be empty when the DPO has filled in other columns but not
// decided yet; such an entry carries their work over without counting as a review. Dates are YYYY-MM-DD.
type Decision struct {
	Fingerprint string `toml:"fingerprint"`
	Decision    string `toml:"decision"`
	Individuals string `toml:"individuals,omitempty"` // categories of individuals
	Purpose     string `toml:"purpose,omitempty"`
	LawfulBasis string `toml:"lawful_basis,omitempty"` // Art. 6
	Condition   string `toml:"condition,omitempty"`    // Art. 9 / Art. 10 condition (DPA 2018 Sch. 1)
	Recipients  string `toml:"recipients,omitempty"`
	Notes       string `toml:"notes,omitempty"`
	ReviewedBy  string `toml:"reviewed_by,omitempty"`
	Reviewed    string `toml:"reviewed,omitempty"`
	// Expires is the last day the decision holds; after it the field counts as unreviewed again.
	Expires string `toml:"expires,omitempty"`
}

// sameReview reports whether two decisions say the same thing in the DPO's columns, ignoring who reviewed
// them and when.
func (d Decision) sameReview(o Decision) bool {
	return d.Decision == o.Decision && d.Individuals == o.Individuals && d.Purpose == o.Purpose &&
		d.LawfulBasis == o.LawfulBasis && d.Condition == o.Condition && d.Recipients == o.Recipients &&
		d.Notes == o.Notes
}

// empty reports whether the decision says nothing at all.
func (d Decision) empty() bool {
	return d.sameReview(Decision{})
}

// dateLayout is the format of Reviewed and Expires.
const dateLayout = "2006-01-02"

// rawDecision is what the decoder fills: dates may be written as TOML dates or as strings.
type rawDecision struct {
	Fingerprint string `toml:"fingerprint"`
	Decision    string `toml:"decision"`
	Individuals string `toml:"individuals"`
	Purpose     string `toml:"purpose"`
	LawfulBasis string `toml:"lawful_basis"`
	Condition   string `toml:"condition"`
	Recipients  string `toml:"recipients"`
	Notes       string `toml:"notes"`
	ReviewedBy  string `toml:"reviewed_by"`
	Reviewed    any    `toml:"reviewed"`
	Expires     any    `toml:"expires"`
}

type rawDecisions struct {
	Version  int           `toml:"version"`
	Decision []rawDecision `toml:"decision"`
}

// ReadDecisions decodes a decisions file strictly: an unknown key, a missing fingerprint, a duplicate entry,
// an unknown decision or a malformed date is an error, because a typo would otherwise silently unsuppress or
// suppress a field. Entries come back sorted by fingerprint and with their text trimmed.
func ReadDecisions(r io.Reader) (*Decisions, error) {
	var raw rawDecisions
	if err := decodeVersioned(r, &raw, &raw.Version, DecisionsVersion); err != nil {
		return nil, fmt.Errorf("read decisions: %w", err)
	}
	d := &Decisions{Version: DecisionsVersion, Decision: make([]Decision, 0, len(raw.Decision))}
	for i, rd := range raw.Decision {
		dec := Decision{Fingerprint: rd.Fingerprint, Decision: rd.Decision, Individuals: rd.Individuals,
			Purpose: rd.Purpose, LawfulBasis: rd.LawfulBasis, Condition: rd.Condition, Recipients: rd.Recipients,
			Notes: rd.Notes, ReviewedBy: rd.ReviewedBy}
		var err error
		if dec.Reviewed, err = tomlDate(rd.Reviewed); err != nil {
			return nil, fmt.Errorf("read decisions: decision %d (%q): reviewed: %w", i+1, dec.Fingerprint, err)
		}
		if dec.Expires, err = tomlDate(rd.Expires); err != nil {
			return nil, fmt.Errorf("read decisions: decision %d (%q): expires: %w", i+1, dec.Fingerprint, err)
		}
		d.Decision = append(d.Decision, dec)
	}
	if err := d.validate(); err != nil {
		return nil, fmt.Errorf("read decisions: %w", err)
	}
	d.sort()
	return d, nil
}

// tomlDate accepts a TOML local date (reviewed = 2026-03-31) or a string holding one.
func tomlDate(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		s := strings.TrimSpace(v)
		if s == "" {
			return "", nil
		}
		if _, err := time.Parse(dateLayout, s); err != nil {
			return "", errors.New("not a date (want YYYY-MM-DD)")
		}
		return s, nil
	case time.Time:
		if v.Location().String() != "date-local" { // the decoder's zone for a TOML local date
			return "", errors.New("a date and time (want a date, YYYY-MM-DD)")
		}
		return v.Format(dateLayout), nil
	default:
		return "", errors.New("not a date (want YYYY-MM-DD)")
	}
}

// validate normalises every entry and checks it; the error names the entry by its position and fingerprint.
// A fingerprint is a field's location, never a sampled value, so it may appear in an error.
func (d *Decisions) validate() error {
	seen := make(map[string]bool, len(d.Decision))
	for i := range d.Decision {
		dec := &d.Decision[i]
		dec.trim()
		n := i + 1
		if dec.Fingerprint == "" {
			return fmt.Errorf("decision %d: missing fingerprint", n)
		}
		if seen[dec.Fingerprint] {
			return fmt.Errorf("decision %d: duplicate fingerprint %q", n, dec.Fingerprint)
		}
		seen[dec.Fingerprint] = true
		v, ok := normaliseDecision(dec.Decision)
		if !ok {
			return fmt.Errorf("decision %d (%q): unknown decision (valid: %s)", n, dec.Fingerprint, strings.Join(quoted(decisionList), ", "))
		}
		dec.Decision = v
		if dec.empty() {
			return fmt.Errorf("decision %d (%q): no decision and nothing else recorded", n, dec.Fingerprint)
		}
		for _, dt := range []struct{ name, v string }{{"reviewed", dec.Reviewed}, {"expires", dec.Expires}} {
			if dt.v == "" {
				continue
			}
			if _, err := time.Parse(dateLayout, dt.v); err != nil {
				return fmt.Errorf("decision %d (%q): %s: not a date (want YYYY-MM-DD)", n, dec.Fingerprint, dt.name)
			}
		}
	}
	return nil
}

func (d *Decision) trim() {
	for _, s := range []*string{&d.Fingerprint, &d.Decision, &d.Individuals, &d.Purpose, &d.LawfulBasis,
		&d.Condition, &d.Recipients, &d.Notes, &d.ReviewedBy, &d.Reviewed, &d.Expires} {
		*s = strings.TrimSpace(*s)
	}
}

// normaliseDecision maps what a person typed ("Not personal", "to  delete") to a decision; "" stays "".
func normaliseDecision(s string) (string, bool) {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	if s == "" || slices.Contains(decisionList, s) {
		return s, true
	}
	return "", false
}

func quoted(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

func (d *Decisions) sort() {
	slices.SortFunc(d.Decision, func(x, y Decision) int { return cmp.Compare(x.Fingerprint, y.Fingerprint) })
}

func (d *Decisions) index() map[string]Decision {
	m := make(map[string]Decision, len(d.Decision))
	for _, dec := range d.Decision {
		m[dec.Fingerprint] = dec
	}
	return m
}

// Merge combines the decisions file with decisions imported from the DPO's workbook. An imported entry wins
// for its fingerprint, except that one saying the same as the file's entry leaves that entry (with its
// reviewer, date and expiry, which the workbook does not carry) as it was, so re-importing an unchanged
// workbook changes no byte. Entries the import does not mention (a row whose DPO columns are all blank is
// not imported) are kept: a decision is withdrawn by deleting it from the file, not by blanking its row.
// Either argument may be nil.
func Merge(old, imported *Decisions) *Decisions {
	out := &Decisions{Version: DecisionsVersion, Decision: []Decision{}}
	byFP := map[string]Decision{}
	if old != nil {
		for _, d := range old.Decision {
			byFP[d.Fingerprint] = d
		}
	}
	if imported != nil {
		for _, d := range imported.Decision {
			if o, ok := byFP[d.Fingerprint]; ok && o.sameReview(d) {
				if d.ReviewedBy != "" && o.ReviewedBy == "" {
					o.ReviewedBy = d.ReviewedBy
				}
				byFP[d.Fingerprint] = o
				continue
			}
			byFP[d.Fingerprint] = d
		}
	}
	for _, d := range byFP {
		out.Decision = append(out.Decision, d)
	}
	out.sort()
	return out
}

// Stamp records who made the decisions that carry no reviewer yet and dates the undated ones today: an
// import from the workbook knows what the DPO decided but not who or when.
func (d *Decisions) Stamp(reviewedBy string, today time.Time) {
	for i := range d.Decision {
		dec := &d.Decision[i]
		if dec.ReviewedBy == "" {
			dec.ReviewedBy = strings.TrimSpace(reviewedBy)
		}
		if dec.Reviewed == "" {
			dec.Reviewed = today.Format(dateLayout)
		}
	}
}

const decisionsHeader = `# datamap decisions: the Data Protection Officer's review of each field.
#
# One [[decision]] per field, keyed by its fingerprint (source/container#field), so the review survives
# rescans. "datamap scan --decisions <this file>" carries every decision over into the inventory and the
# workbook, leaves fields decided "not personal" out of the counts (still listing them, with the notes as
# the reason), marks personal fields that have no decision as new since the last review, and reports
# decisions whose field has gone.
#
# decision is "confirmed", "not personal" or "to delete" (or "" while only other columns are filled in).
# individuals, purpose, lawful_basis, condition, recipients and notes are the workbook's DPO columns.
# reviewed and expires are dates (YYYY-MM-DD); after expires the field counts as unreviewed again.
#
# Import the DPO's edited workbook with "datamap review import datamap.xlsx --decisions <this file>",
# or edit this file by hand, then commit it. Remove a decision here to withdraw it.
`

// Write writes the decisions file with a fixed layout (sorted entries, one key per line, empty keys left out),
// so that rewriting unchanged decisions changes no byte.
func (d *Decisions) Write(w io.Writer) error {
	decs := slices.Clone(d.Decision)
	slices.SortFunc(decs, func(x, y Decision) int { return cmp.Compare(x.Fingerprint, y.Fingerprint) })
	var s strings.Builder
	s.WriteString(decisionsHeader)
	fmt.Fprintf(&s, "\nversion = %d\n", DecisionsVersion)
	for _, dec := range decs {
		s.WriteString("\n[[decision]]\n")
		fmt.Fprintf(&s, "fingerprint = %s\n", tomlString(dec.Fingerprint))
		fmt.Fprintf(&s, "decision = %s\n", tomlString(dec.Decision))
		for _, kv := range []struct{ k, v string }{
			{"individuals", dec.Individuals}, {"purpose", dec.Purpose}, {"lawful_basis", dec.LawfulBasis},
			{"condition", dec.Condition}, {"recipients", dec.Recipients}, {"notes", dec.Notes},
			{"reviewed_by", dec.ReviewedBy}, {"reviewed", dec.Reviewed}, {"expires", dec.Expires},
		} {
			if kv.v != "" {
				fmt.Fprintf(&s, "%s = %s\n", kv.k, tomlString(kv.v))
			}
		}
	}
	if _, err := io.WriteString(w, s.String()); err != nil {
		return fmt.Errorf("write decisions: %w", err)
	}
	return nil
}
