package scanner

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// StaleCounter is the optional capability of a source to count the records of one container that are past
// their retention period, where the records are (databases count with a pushed-down count(*), spreadsheets
// in a streaming pass, file shares by modification time). Sources that cannot count do not implement it.
type StaleCounter interface {
	CountStale(ctx context.Context, q StaleQuery) (StaleCount, error)
}

// StaleQuery asks how many records of a container are stale. A record is stale when every condition holds:
// each condition's date field is present (an open record, with no end date yet, is never stale) and before
// that condition's cutoff. Several conditions express "the later of" (case closed + 6 years and the child's
// 25th birthday: stale only when both have passed). With no conditions, the container is a folder whose
// files the scanner judges by modification time against Cutoff, from the listing (no counter is asked).
type StaleQuery struct {
	Unit       string      // the unit the container came from (Unit.Name)
	Container  string      // "schema.table", "book.xlsx!Sheet", "file.csv", or a folder "letters/" (mtime)
	Conditions []Condition // ANDed; empty for modification times
	Cutoff     time.Time   // for modification times only
	Hold       *Hold       // rows under legal hold are never stale
}

// Condition is one date field that must be set and earlier than Cutoff (UTC midnight of the cutoff day: a
// date on the cutoff day itself is not stale).
type Condition struct {
	Field  string
	Cutoff time.Time
}

// Hold excludes rows whose Field equals one of Values (case-insensitive for text), e.g. legal_hold = true.
type Hold struct {
	Field  string
	Values []string
}

// StaleCount is the answer. Method is "exact" (counted), "estimate" (a planner estimate after a timeout, or a
// sample) or "mtime" (files by modification time). Oldest is the earliest date among the stale records, when
// known. Missing is the rows whose first condition's date field is NULL or empty (for a consent rule, the
// records with no consent recorded; 0 from an estimate or by modification time). Note explains anything a
// DPO should know (dates stored as text, rows with unreadable dates, an estimate). Counts and dates only:
// never a value of the data.
type StaleCount struct {
	Stale, Total int64
	Missing      int64
	Oldest       *time.Time
	Method       string
	Note         string
}

// Kinds of retention job and result. A consent job counts the records whose consent is older than the
// rule's period (due for re-consent) and those with no consent date at all; it is reported apart from
// retention and never makes a retention breach.
const (
	KindRetention = "retention"
	KindConsent   = "consent"
)

// Retention methods.
const (
	MethodExact    = "exact"
	MethodEstimate = "estimate"
	MethodMtime    = "mtime"
)

// RetentionPlanner decides which retention rules govern a container, and how to count its stale records.
// The retention schedule implements it (through an adapter in cmd); nil means no retention check.
type RetentionPlanner interface {
	// Plan is given a sampled table (its columns with their sampled values).
	Plan(container string, cols []Column) []RetentionJob
	// PlanFolder is given a folder of a file share ("letters/", "" for the root), judged by modification time.
	PlanFolder(folder string) []RetentionJob
}

// RetentionJob is one rule applied to one container. Query's Unit and Container are filled in by the
// scanner. A job with a Problem (no date field found, say) is reported without counting; a Held job is
// reported as under legal hold.
type RetentionJob struct {
	Kind       string // KindRetention ("" reads as it) or KindConsent
	Rule       string
	RecordType string
	Field      string // the date field chosen (for "later of", the first condition's)
	Period     string // ISO-8601, for the report
	Why        string // how the field was chosen
	Query      StaleQuery
	Held       bool
	Problem    string
}

// Counted reports a line whose records were counted (held lines count as checked: disposal is suspended).
func (r RetentionResult) Counted() bool { return r.Method != "" || r.Held }

// Breach reports records kept past their retention period: counted, stale, not held, not a consent line.
func (r RetentionResult) Breach() bool {
	return r.Method != "" && r.StaleRows > 0 && !r.Held && r.Kind != KindConsent
}

// RetentionResult is one line of the inventory's retention register.
type RetentionResult struct {
	Kind       string `json:"kind,omitempty"` // "consent" for a consent-freshness line; empty for retention
	Source     string `json:"source"`
	Container  string `json:"container"`
	Rule       string `json:"rule"`
	RecordType string `json:"record_type"`
	Period     string `json:"period"`
	DateField  string `json:"date_field"`
	Cutoff     string `json:"cutoff,omitempty"` // YYYY-MM-DD: records dated before it are stale
	StaleRows  int64  `json:"stale_rows"`
	TotalRows  int64  `json:"total_rows"`
	// MissingRows, on a consent line only, is the records with no consent date where consent is the basis.
	MissingRows int64      `json:"missing_rows,omitempty"`
	Oldest      *time.Time `json:"oldest,omitempty"`
	Method      string     `json:"method,omitempty"` // exact, estimate, mtime; empty when not counted
	Held        bool       `json:"held,omitempty"`
	Why         string     `json:"why,omitempty"`
	Note        string     `json:"note,omitempty"`
	Error       string     `json:"error,omitempty"` // why it could not be counted
}

// CountError is a stale count that failed: the inventory reason (timeout, permission_denied, read_error, ...)
// and a detail that never holds a value of the data. Its text begins with the reason.
type CountError struct {
	reason, detail string
	cause          error // only a context error: drivers' errors may quote data
}

// NewCountError builds a CountError; cause, if any, must be a context error.
func NewCountError(reason, detail string, cause error) *CountError {
	return &CountError{reason: reason, detail: detail, cause: cause}
}

func (e *CountError) Error() string  { return e.reason + ": " + e.detail }
func (e *CountError) Reason() string { return e.reason }
func (e *CountError) Unwrap() error  { return e.cause }

// CountNote is what a count says about itself, worded the same by every counter. Counts and column names only.
type CountNote struct {
	Estimate   string   // why the count is an estimate, if it is
	TextDates  []string // date columns stored as text
	Unreadable int64    // rows whose date could not be read: not counted as stale
	Numeric    int64    // of those, dates stored as a bare number (SQLite: Julian day or Unix time?)
	Skipped    int64    // records that could not be parsed at all
	Held       int64    // rows past the cutoff under legal hold
}

func (n CountNote) String() string {
	var parts []string
	if n.Estimate != "" {
		parts = append(parts, n.Estimate)
	}
	if len(n.TextDates) > 0 {
		parts = append(parts, "dates in "+strings.Join(n.TextDates, ", ")+" are stored as text and read as dd/mm/yyyy or yyyy-mm-dd")
	}
	if n.Unreadable > 0 {
		p := Plural(n.Unreadable, "row has", "rows have") + " a date the count could not read (not counted as stale)"
		if n.Numeric > 0 {
			p += ", " + Plural(n.Numeric, "of them stored", "of them stored") + " as a number (a Julian day or Unix time cannot be told apart)"
		}
		parts = append(parts, p)
	}
	if n.Skipped > 0 {
		parts = append(parts, Plural(n.Skipped, "record", "records")+" could not be parsed (not counted as stale)")
	}
	if n.Held > 0 {
		parts = append(parts, Plural(n.Held, "row", "rows")+" past the cutoff under legal hold (not counted as stale)")
	}
	return strings.Join(parts, "; ")
}

// Plural writes a count with its noun: "1 row", "3 rows".
func Plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatInt(n, 10) + " " + many
}

// HoldValues are a Hold's values as counters compare them: trimmed and lower-cased (the match is
// case-insensitive) and, for a boolean or integer flag column, with both spellings of the truth they stand for
// ("yes" also matches true and 1; "no" false and 0), since databases print flags as one or the other.
func HoldValues(values []string, boolean bool) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		v = strings.ToLower(strings.TrimSpace(v))
		out = append(out, v)
		if boolean {
			switch v {
			case "true", "t", "yes", "y", "1", "on":
				out = append(out, "true", "1")
			case "false", "f", "no", "n", "0", "off":
				out = append(out, "false", "0")
			}
		}
	}
	return out
}
