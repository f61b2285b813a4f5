package scanner

import (
	"context"
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
// 25th birthday: stale only when both have passed). With no conditions, the container's files are judged by
// their modification time against Cutoff.
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
// known. Note explains anything a DPO should know (dates stored as text, rows with unreadable dates, an
// estimate). Counts and dates only: never a value of the data.
type StaleCount struct {
	Stale, Total int64
	Oldest       *time.Time
	Method       string
	Note         string
}

// Retention methods.
const (
	MethodExact    = "exact"
	MethodEstimate = "estimate"
	MethodMtime    = "mtime"
)
