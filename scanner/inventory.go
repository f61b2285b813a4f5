package scanner

import (
	"sort"
	"time"

	"github.com/datamap-uk/datamap/rules"
)

// SchemaVersion is the inventory's version. It changes additively: a new key bumps the minor version; a
// removed or renamed key bumps the major version and is called out in the README.
const SchemaVersion = "1.0"

// Inventory is the result of a scan: what was scanned, what it holds, and what could not be read.
type Inventory struct {
	SchemaVersion string            `json:"schema_version"`
	Tool          Tool              `json:"tool"`
	GeneratedAt   time.Time         `json:"generated_at"`
	Complete      bool              `json:"complete"`
	Settings      Settings          `json:"settings"`
	Summary       Summary           `json:"summary"`
	Sources       []SourceResult    `json:"sources"`
	Containers    []ContainerResult `json:"containers"`
	Fields        []Field           `json:"fields"`
	Unreadable    []Unreadable      `json:"unreadable"`
	// Retention is the retention register: records past their retention period, per container and rule. It
	// is present when the scan checked retention (the default), empty when nothing matched a rule.
	Retention []RetentionResult `json:"retention,omitempty"`
	// StaleDecisions are review decisions whose field this scan no longer found (set by reports.Apply).
	StaleDecisions []StaleDecision `json:"stale_decisions,omitempty"`
}

// Tool names the program that wrote the inventory.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Settings records the sampling limits the scan ran with, so a reader knows what "sampled" means.
type Settings struct {
	SampleRows              int      `json:"sample_rows"`
	MaxTextBytes            int64    `json:"max_text_bytes"`
	DBSampleRows            int      `json:"db_sample_rows,omitempty"`
	StatementTimeoutSeconds float64  `json:"statement_timeout_seconds,omitempty"`
	AsOf                    string   `json:"as_of,omitempty"` // the date retention cutoffs are counted back from
	RulePack                []string `json:"rule_pack"`       // "default" plus any user pack files
}

// Summary holds the headline counts.
type Summary struct {
	Sources            int            `json:"sources"`
	SourcesFailed      int            `json:"sources_failed"`
	Containers         int            `json:"containers"`
	Fields             int            `json:"fields"`
	PersonalFields     int            `json:"personal_fields"`
	SpecialFields      int            `json:"special_category_fields"`
	CriminalFields     int            `json:"criminal_offence_fields"`
	HighRiskFields     int            `json:"high_risk_fields"`
	SuppressedFields   int            `json:"suppressed_fields"` // decided "not personal"; not in the counts above
	SpecialByCategory  map[string]int `json:"special_category_by_class"`
	Unreadable         int            `json:"unreadable"`
	UnreadableByReason map[string]int `json:"unreadable_by_reason"`
	RetentionChecked   int            `json:"retention_checked"`     // containers counted against their rule
	RetentionUncounted int            `json:"retention_not_counted"` // matched a rule but could not be counted
	RetentionBreaches  int            `json:"retention_breaches"`    // of those counted, holding stale records
	StaleRows          int64          `json:"stale_rows"`            // stale records (or files) in all
	ConsentDue         int64          `json:"consent_due"`           // records whose consent is past its period
	ConsentMissing     int64          `json:"consent_missing"`       // records with no consent date, where consent is the basis
	DurationSeconds    float64        `json:"duration_seconds"`
}

// Source statuses.
const (
	StatusOK      = "ok"
	StatusPartial = "partial"
	StatusFailed  = "failed"
)

// SourceResult is one source's coverage.
type SourceResult struct {
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	Location   string `json:"location"`
	Status     string `json:"status"`
	Error      string `json:"error,omitempty"`
	Units      int    `json:"units"`
	Containers int    `json:"containers"`
	Unreadable int    `json:"unreadable"`
	Failed     int    `json:"failed"` // unreadable items that failed with an error rather than by their nature
}

// ContainerResult says how much of a table or document was sampled.
type ContainerResult struct {
	Source       string     `json:"source"`
	Container    string     `json:"container"`
	Kind         string     `json:"kind"`
	Format       string     `json:"format"`
	Encoding     string     `json:"encoding,omitempty"`
	RowsTotal    int        `json:"rows_total"`
	RowsEstimate bool       `json:"rows_total_estimated,omitempty"` // rows_total is the database's estimate
	RowsSampled  int        `json:"rows_sampled"`
	BytesTotal   int64      `json:"bytes_total"`
	BytesSampled int64      `json:"bytes_sampled"`
	Fields       int        `json:"fields"`
	Modified     *time.Time `json:"modified,omitempty"`
	SampleNote   string     `json:"sample_note,omitempty"` // how the sample was drawn, when not spread over the whole table
}

// Field is one classified field.
type Field struct {
	Source      string `json:"source"`
	Container   string `json:"container"`
	Field       string `json:"field"`
	Fingerprint string `json:"fingerprint"`
	Type        string `json:"type,omitempty"`        // the database's column type
	PrimaryKey  bool   `json:"primary_key,omitempty"` // part of the table's primary key
	rules.Finding
	// Suppressed is set when the DPO decided the field is "not personal": Personal stays as detected, so the
	// reason can be shown, but the summary's counts leave the field out.
	Suppressed bool `json:"suppressed,omitempty"`
	// NewSinceReview marks a personal field with no current decision, when a decisions file was applied.
	NewSinceReview bool    `json:"new_since_review,omitempty"`
	Review         *Review `json:"review,omitempty"`
	position       int
}

// Review is the DPO's decision about a field, carried over from the decisions file.
type Review struct {
	Decision    string `json:"decision,omitempty"` // confirmed, not personal, to delete; empty while undecided
	Individuals string `json:"individuals,omitempty"`
	Purpose     string `json:"purpose,omitempty"`
	LawfulBasis string `json:"lawful_basis,omitempty"`
	Condition   string `json:"condition,omitempty"`
	Recipients  string `json:"recipients,omitempty"`
	Notes       string `json:"notes,omitempty"`
	ReviewedBy  string `json:"reviewed_by,omitempty"`
	Reviewed    string `json:"reviewed,omitempty"` // YYYY-MM-DD
	Expires     string `json:"expires,omitempty"`  // YYYY-MM-DD
	// Expired is true once the decision's expiry date has passed: the field then counts as unreviewed.
	Expired bool `json:"expired,omitempty"`
}

// StaleDecision is a decision whose field has gone, so that someone can remove it from the decisions file.
type StaleDecision struct {
	Fingerprint string `json:"fingerprint"`
	Decision    string `json:"decision,omitempty"`
	Reviewed    string `json:"reviewed,omitempty"`
}

// Fingerprint is a field's stable key, used by reviews, baselines and suppressions.
func Fingerprint(source, container, field string) string {
	return source + "/" + container + "#" + field
}

// finalise sorts everything and computes the summary. Sorting makes the output deterministic whatever order
// the workers finished in.
func (inv *Inventory) finalise(order map[string]int) {
	sort.SliceStable(inv.Containers, func(i, j int) bool {
		a, b := inv.Containers[i], inv.Containers[j]
		if a.Source != b.Source {
			return order[a.Source] < order[b.Source]
		}
		return a.Container < b.Container
	})
	sort.SliceStable(inv.Fields, func(i, j int) bool {
		a, b := inv.Fields[i], inv.Fields[j]
		if a.Source != b.Source {
			return order[a.Source] < order[b.Source]
		}
		if a.Container != b.Container {
			return a.Container < b.Container
		}
		return a.position < b.position
	})
	sort.SliceStable(inv.Unreadable, func(i, j int) bool {
		a, b := inv.Unreadable[i], inv.Unreadable[j]
		if a.Source != b.Source {
			return order[a.Source] < order[b.Source]
		}
		return a.Path < b.Path
	})

	sort.SliceStable(inv.Retention, func(i, j int) bool {
		a, b := inv.Retention[i], inv.Retention[j]
		if a.Source != b.Source {
			return order[a.Source] < order[b.Source]
		}
		if a.Container != b.Container {
			return a.Container < b.Container
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind // retention ("") first
		}
		return a.Rule < b.Rule
	})

	inv.Recount()
}

// Recount computes the summary's counts from the inventory's lists. A field suppressed by the DPO's review is
// counted in SuppressedFields and left out of the personal, special-category, criminal and high-risk counts.
// The scan's duration is kept.
func (inv *Inventory) Recount() {
	s := &inv.Summary
	*s = Summary{DurationSeconds: s.DurationSeconds}
	s.Sources = len(inv.Sources)
	s.Containers = len(inv.Containers)
	s.Fields = len(inv.Fields)
	s.SpecialByCategory = map[string]int{}
	for _, c := range rules.SpecialCategories() {
		s.SpecialByCategory[c] = 0
	}
	s.UnreadableByReason = map[string]int{}
	for _, src := range inv.Sources {
		if src.Status == StatusFailed {
			s.SourcesFailed++
		}
	}
	for _, f := range inv.Fields {
		if !f.Personal {
			continue
		}
		if f.Suppressed {
			s.SuppressedFields++
			continue
		}
		s.PersonalFields++
		if len(f.SpecialCategory) > 0 {
			s.SpecialFields++
		}
		for _, c := range f.SpecialCategory {
			s.SpecialByCategory[c]++
		}
		if f.CriminalOffence {
			s.CriminalFields++
		}
		if f.HighRisk {
			s.HighRiskFields++
		}
	}
	s.Unreadable = len(inv.Unreadable)
	for _, u := range inv.Unreadable {
		s.UnreadableByReason[u.Reason]++
	}
	for _, r := range inv.Retention {
		if r.Kind == KindConsent {
			if !r.Held {
				s.ConsentDue += r.StaleRows
				s.ConsentMissing += r.MissingRows
			}
			continue
		}
		if !r.Counted() {
			s.RetentionUncounted++ // matched a rule, not counted: never "checked and fine"
			continue
		}
		s.RetentionChecked++
		if r.Breach() {
			s.RetentionBreaches++
			s.StaleRows += r.StaleRows
		}
	}
}
