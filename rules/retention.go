package rules

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/datamap-uk/datamap/detectors"
	"github.com/datamap-uk/datamap/detectors/checksum"
)

// The retention schedule is data, like the rule pack: an embedded default that a user's file extends,
// overrides by ID or disables by ID. A schedule says, per record type, how long records are kept after which
// event (the trigger), how to recognise the containers (tables, sheets, folders) holding them, and how to find
// the trigger's date field among their columns. This file is pure logic: it computes cutoffs and picks date
// fields; the connectors count (scanner.StaleCounter).

//go:embed schedule/default.toml
var defaultScheduleTOML []byte

// Bases of a retention period, as the DPO reads them.
var retentionBases = []string{"statutory", "limitation", "sector", "proposal", "organisation"}

// Cutoff adjustments a trigger may need. The schedule names a trigger's adjustment; the arithmetic lives here.
const (
	adjustNone             = ""
	adjustFinancialYearEnd = "financial_year_end" // the clock starts at the end of the financial year of the date
	adjustTaxYearEnd       = "tax_year_end"       // ... at the 5 April following the date
	adjustFollowingMonth   = "following_month_end"
)

var retentionAdjusts = []string{adjustFinancialYearEnd, adjustTaxYearEnd, adjustFollowingMonth}

// Schedule is a retention schedule as written in TOML: the embedded default, or a user's file that extends it.
// A schedule from DefaultSchedule or MergeSchedule is validated and compiled, immutable, and safe for
// concurrent use. One from DecodeSchedule or LoadSchedule is a layer for MergeSchedule: its rules may name
// triggers only the base defines.
type Schedule struct {
	// FinancialYearEnd is the last day of the organisation's financial year, "MM-DD" (default "03-31").
	FinancialYearEnd string             `toml:"financial_year_end,omitempty" json:"financial_year_end,omitempty"`
	Disable          []string           `toml:"disable,omitempty" json:"-"` // rule IDs switched off (user files)
	Triggers         map[string]Trigger `toml:"trigger,omitempty" json:"triggers,omitempty"`
	Rules            []RetentionRule    `toml:"rule,omitempty" json:"rules"`
	Holds            []HoldRule         `toml:"hold,omitempty" json:"holds,omitempty"`
	Pins             []Pin              `toml:"pin,omitempty" json:"pins,omitempty"`

	c *compiledSchedule
}

// Trigger is one event that starts a retention clock (uk-reference §3.1), with the name cues that find its
// date field. Rules add their own cues to these.
type Trigger struct {
	Description string   `toml:"description" json:"description,omitempty"`
	Fields      []string `toml:"fields" json:"fields,omitempty"`         // name cues for the date field
	NotFields   []string `toml:"not_fields" json:"not_fields,omitempty"` // a column whose name has one is never it
	// Adjust is how the clock's start follows from the date: "" (the date itself), "financial_year_end",
	// "tax_year_end" (5 April following) or "following_month_end" (end of the monthly pay reference period
	// after the one the date is in).
	Adjust string `toml:"adjust" json:"adjust,omitempty"`
}

// Kinds of rule. A retention rule says when records are past keeping; a consent rule says when a consent
// or marketing-preference date is too old to rely on (due for re-consent). Consent rules never compete with
// retention rules for the winner: each consent match is reported and counted on its own.
const (
	KindRetention = "retention"
	KindConsent   = "consent"
)

// RetentionRule is one row of the schedule.
type RetentionRule struct {
	ID         string    `toml:"id" json:"id"`
	Kind       string    `toml:"kind,omitempty" json:"kind,omitempty"` // "retention" (the default) or "consent"
	RecordType string    `toml:"record_type" json:"record_type"`
	Period     string    `toml:"period" json:"period"`   // ISO-8601 duration: P6Y, P6M, P31D, P1Y6M
	Trigger    string    `toml:"trigger" json:"trigger"` // a [trigger.<id>] of the schedule
	Basis      string    `toml:"basis" json:"basis"`     // statutory | limitation | sector | proposal | organisation
	BasisText  string    `toml:"basis_text" json:"basis_text,omitempty"`
	Containers []string  `toml:"containers" json:"containers"` // name cues for tables, sheets, files and folders
	Fields     []string  `toml:"fields" json:"fields,omitempty"`
	NotFields  []string  `toml:"not_fields" json:"not_fields,omitempty"`
	LaterOf    []LaterOf `toml:"later_of" json:"later_of,omitempty"`
	Files      bool      `toml:"files" json:"files,omitempty"` // may judge folders of files by modification time
	Origin     string    `toml:"-" json:"origin"`              // "default" or the user's file
}

// IsConsent reports whether the rule is a consent-freshness rule.
func (r *RetentionRule) IsConsent() bool { return r.Kind == KindConsent }

// KindOf is the rule's kind, "retention" when unset.
func (r *RetentionRule) KindOf() string {
	if r.Kind == "" {
		return KindRetention
	}
	return r.Kind
}

// LaterOf is an extra condition: the record is stale only when this clock has run out as well (the later of
// case closed + 6 years and the child's 25th birthday). An optional condition is dropped, with a note, when
// its date field is not found; a required one makes the container uncountable.
type LaterOf struct {
	Trigger   string   `toml:"trigger" json:"trigger"`
	Period    string   `toml:"period" json:"period"`
	Fields    []string `toml:"fields" json:"fields,omitempty"`
	NotFields []string `toml:"not_fields" json:"not_fields,omitempty"`
	Optional  bool     `toml:"optional" json:"optional,omitempty"`
}

// HoldRule is a legal hold. Containers (globs over container names, case-insensitive) hold whole containers;
// Field and Values hold the rows whose field equals one of the values. With both, rows are held only in those
// containers.
type HoldRule struct {
	Containers []string `toml:"containers" json:"containers,omitempty"`
	Field      string   `toml:"field" json:"field,omitempty"`
	Values     []string `toml:"values" json:"values,omitempty"`
	Reason     string   `toml:"reason" json:"reason,omitempty"`
}

// Pin fixes the date field of a rule's trigger in the containers matching a glob, overriding discovery. A pin
// also applies its rule to those containers when their names carry none of the rule's cues. Trigger defaults
// to the rule's own trigger; name a later_of trigger to pin that one. When several pins match, the last wins
// (a user file's pins come after the base's).
type Pin struct {
	Container string `toml:"container" json:"container"`
	Rule      string `toml:"rule" json:"rule"`
	Trigger   string `toml:"trigger,omitempty" json:"trigger,omitempty"`
	Field     string `toml:"field" json:"field"`
}

// ColumnInfo describes one column of a container for date-field discovery: its name, its declared type
// ("timestamptz", "varchar(20)", "" when the store has none) and a sample of its values as text (may be
// empty). Values are read to test whether they are dates and never leave this package.
type ColumnInfo struct {
	Name   string
	Type   string
	Values []string
}

// Condition is one date field that must be set and earlier than Cutoff (UTC midnight) for a record to be
// stale. It has the shape of scanner.Condition (rules cannot import scanner).
type Condition struct {
	Field  string
	Cutoff time.Time
}

// Hold has the shape of scanner.Hold: rows whose Field equals one of Values are never stale.
type Hold struct {
	Field  string
	Values []string
}

// Match is one retention rule applied to one container.
//
// Conditions are ANDed, the rule's own trigger first; nil means no count is possible (a date field was not
// found: Why says which) or, from MatchFolder, that files are judged by modification time against Cutoff.
// Cutoff is the rule's own trigger's cutoff (for the inventory, and for modification times). Held means the
// whole container is under legal hold: report it, count nothing stale. Hold, when set, holds rows.
//
// When several rules match a container all are returned, in schedule order, and the one that keeps records
// longest is marked Winner (uk-reference §3.2: the longest period wins): the earliest cutoff of its own
// trigger, then the most conditions, then schedule order. The winner is chosen whether or not it can be
// counted, so a shorter rule never makes records look stale that a longer one keeps.
//
// Consent rules (Kind "consent") are matched alongside but never win: each is its own question (is consent
// older than the period?) and is counted on its own. A consent rule with no container cues applies to any
// container with a column named by one of its field cues; the values alone never make one.
type Match struct {
	Rule       *RetentionRule
	Kind       string // "retention" or "consent"
	Field      string
	Conditions []Condition
	Cutoff     time.Time
	Hold       *Hold
	Held       bool
	Winner     bool
	Why        string

	cue int // tokens in the longest container cue matched, to prefer the more specific rule
}

// Countable reports whether a stale count can be asked for: a container match with every date field found.
func (m *Match) Countable() bool { return len(m.Conditions) > 0 }

type compiledSchedule struct {
	rules []*compiledRule
	holds []compiledHold
	pins  []Pin
	fye   [2]int // month, day
	// known are the cues of every trigger, but for bare date words ("date"): a column named by one of them
	// means something, so it is never taken as an unnamed date column.
	known []cue
}

type compiledRule struct {
	r          *RetentionRule
	containers [][]string
	conds      []compiledCond // [0] is the rule's own trigger
	anywhere   bool           // a consent rule without container cues: any container with a named field
}

type compiledCond struct {
	trigger  string
	period   Period
	optional bool
	adjust   string
	fields   []cue
	not      []cue
	nameOnly bool // the field must be found by a name cue (consent): never the only unnamed date column
}

type cue struct {
	text string
	toks []string
}

type compiledHold struct {
	HoldRule
	fieldKey string
}

// DefaultSchedule returns the embedded default schedule (uk-reference Part 3), validated and compiled.
func DefaultSchedule() (*Schedule, error) {
	s, err := DecodeSchedule(strings.NewReader(string(defaultScheduleTOML)), "default")
	if err != nil {
		return nil, err
	}
	for i := range s.Rules {
		s.Rules[i].Origin = "default"
	}
	if err := s.compile(); err != nil {
		return nil, err
	}
	return s, nil
}

// DecodeSchedule reads a schedule strictly (unknown keys are an error naming the key) and checks what can be
// checked without the base it will be merged over.
func DecodeSchedule(r io.Reader, name string) (*Schedule, error) {
	var s Schedule
	if _, err := DecodeTOML(r, &s); err != nil {
		return nil, fmt.Errorf("retention schedule %s: %w", name, err)
	}
	var errs []error
	for i := range s.Rules {
		errs = append(errs, checkRuleShape(&s.Rules[i])...)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("retention schedule %s: %w", name, errors.Join(errs...))
	}
	return &s, nil
}

// LoadSchedule decodes a user's schedule file, a layer for MergeSchedule.
func LoadSchedule(filename string) (*Schedule, error) {
	f, err := os.Open(filename)
	if err != nil {
		return nil, fmt.Errorf("retention schedule: %w", err)
	}
	defer f.Close()
	s, err := DecodeSchedule(f, filename)
	if err != nil {
		return nil, err
	}
	for i := range s.Rules {
		s.Rules[i].Origin = filename
	}
	return s, nil
}

// MergeSchedule lays user schedules over base: a rule with an existing ID replaces it whole, a new ID is
// added, IDs in Disable are removed (an unknown ID is an error, so a typo does not keep a rule on), triggers
// are added or replaced by ID, holds and pins are added, and a financial year end replaces the base's. The
// result is validated and compiled.
func MergeSchedule(base *Schedule, users ...*Schedule) (*Schedule, error) {
	out := &Schedule{FinancialYearEnd: base.FinancialYearEnd, Triggers: map[string]Trigger{}}
	for k, v := range base.Triggers {
		out.Triggers[k] = v
	}
	out.Rules = slices.Clone(base.Rules)
	out.Holds = slices.Clone(base.Holds)
	out.Pins = slices.Clone(base.Pins)
	for _, u := range users {
		if u == nil {
			continue
		}
		if u.FinancialYearEnd != "" {
			out.FinancialYearEnd = u.FinancialYearEnd
		}
		for k, v := range u.Triggers {
			out.Triggers[k] = v
		}
		for _, r := range u.Rules {
			if i := slices.IndexFunc(out.Rules, func(o RetentionRule) bool { return o.ID == r.ID }); i >= 0 {
				out.Rules[i] = r
			} else {
				out.Rules = append(out.Rules, r)
			}
		}
		for _, id := range u.Disable {
			i := slices.IndexFunc(out.Rules, func(o RetentionRule) bool { return o.ID == id })
			if i < 0 {
				return nil, fmt.Errorf("retention schedule: disable names unknown rule %q", id)
			}
			out.Rules = slices.Delete(out.Rules, i, i+1)
		}
		out.Holds = append(out.Holds, u.Holds...)
		out.Pins = append(out.Pins, u.Pins...)
	}
	if err := out.compile(); err != nil {
		return nil, err
	}
	return out, nil
}

// Validate checks the whole schedule: every rule, trigger, hold and pin. Errors name what is wrong.
func (s *Schedule) Validate() error {
	_, err := s.compiled()
	return err
}

// compiled returns the compiled form, which holds no dates (cutoffs are computed per call from asOf), so one
// compiled schedule serves every scan. DefaultSchedule and MergeSchedule compile once; a layer from
// DecodeSchedule is compiled afresh on each call and never cached, so that a Schedule is not written to once
// it may be shared between goroutines.
func (s *Schedule) compiled() (*compiledSchedule, error) {
	if s.c != nil {
		return s.c, nil
	}
	c := *s
	if err := c.compile(); err != nil {
		return nil, err
	}
	return c.c, nil
}

var fyePattern = regexp.MustCompile(`^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`)

func checkRuleShape(r *RetentionRule) []error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("retention rule %q: %s", r.ID, fmt.Sprintf(format, a...)))
	}
	if !idPattern.MatchString(r.ID) {
		bad("id must be kebab-case (a-z, 0-9, -)")
	}
	if r.RecordType == "" {
		bad("record_type is empty")
	}
	if _, err := ParsePeriod(r.Period); err != nil {
		bad("%v", err)
	}
	if r.Trigger == "" {
		bad("trigger is empty")
	}
	if !slices.Contains(retentionBases, r.Basis) {
		bad("basis %q is not one of %s", r.Basis, strings.Join(retentionBases, ", "))
	}
	if r.Kind != "" && r.Kind != KindRetention && r.Kind != KindConsent {
		bad("kind %q is not one of %s, %s", r.Kind, KindRetention, KindConsent)
	}
	if len(r.Containers) == 0 && !r.IsConsent() {
		bad("containers is empty: the rule would match nothing")
	}
	if r.Files && r.IsConsent() {
		bad("files cannot be set on a consent rule: a file's modification time is not a consent date")
	}
	for _, l := range r.LaterOf {
		if l.Trigger == "" {
			bad("later_of: trigger is empty")
		}
		if _, err := ParsePeriod(l.Period); err != nil {
			bad("later_of %s: %v", l.Trigger, err)
		}
	}
	if r.Files && len(r.LaterOf) > 0 {
		bad("files cannot be set on a rule with later_of: a file's modification time gives only one date")
	}
	return errs
}

func (s *Schedule) compile() error {
	c := &compiledSchedule{fye: [2]int{3, 31}}
	var errs []error
	if s.FinancialYearEnd != "" {
		m := fyePattern.FindStringSubmatch(s.FinancialYearEnd)
		if m == nil || atoiSmall(m[2]) > checksum.DaysIn(2001, atoiSmall(m[1])) {
			errs = append(errs, fmt.Errorf("retention schedule: financial_year_end %q must be MM-DD, a day every year has", s.FinancialYearEnd))
		} else {
			c.fye = [2]int{atoiSmall(m[1]), atoiSmall(m[2])}
		}
	}
	for id, t := range s.Triggers {
		for _, k := range cues(append(slices.Clone(t.Fields), t.NotFields...)) {
			if !slices.ContainsFunc(k.toks, func(w string) bool { return !slices.Contains(dateWords, w) }) {
				continue
			}
			if !slices.ContainsFunc(c.known, func(o cue) bool { return slices.Equal(o.toks, k.toks) }) {
				c.known = append(c.known, k)
			}
		}
		if !dataTypePattern.MatchString(id) {
			errs = append(errs, fmt.Errorf("retention trigger %q: id must be snake_case", id))
		}
		if t.Adjust != adjustNone && !slices.Contains(retentionAdjusts, t.Adjust) {
			errs = append(errs, fmt.Errorf("retention trigger %q: adjust %q is not one of %s", id, t.Adjust, strings.Join(retentionAdjusts, ", ")))
		}
	}
	seen := map[string]bool{}
	for i := range s.Rules {
		r := &s.Rules[i]
		rerrs := checkRuleShape(r)
		if seen[r.ID] {
			rerrs = append(rerrs, fmt.Errorf("retention rule %q: defined twice", r.ID))
		}
		seen[r.ID] = true
		cr := &compiledRule{r: r, anywhere: r.IsConsent() && len(r.Containers) == 0}
		for _, n := range r.Containers {
			if t := containerTokens(n); len(t) > 0 {
				cr.containers = append(cr.containers, t)
			}
		}
		mk := func(trigger, period string, fields, not []string, optional bool) {
			t, ok := s.Triggers[trigger]
			if !ok {
				rerrs = append(rerrs, fmt.Errorf("retention rule %q: unknown trigger %q (define it under [trigger.%s])", r.ID, trigger, trigger))
				return
			}
			p, _ := ParsePeriod(period) // checked in checkRuleShape
			cc := compiledCond{trigger: trigger, period: p, optional: optional, adjust: t.Adjust, nameOnly: r.IsConsent()}
			cc.fields = cues(append(slices.Clone(fields), t.Fields...))
			cc.not = cues(append(slices.Clone(not), t.NotFields...))
			cr.conds = append(cr.conds, cc)
		}
		mk(r.Trigger, r.Period, r.Fields, r.NotFields, false)
		for j, l := range r.LaterOf {
			if l.Trigger == r.Trigger || slices.ContainsFunc(r.LaterOf[:j], func(o LaterOf) bool { return o.Trigger == l.Trigger }) {
				rerrs = append(rerrs, fmt.Errorf("retention rule %q: trigger %q used twice", r.ID, l.Trigger))
				continue
			}
			mk(l.Trigger, l.Period, l.Fields, l.NotFields, l.Optional)
		}
		errs = append(errs, rerrs...)
		if len(rerrs) == 0 {
			c.rules = append(c.rules, cr)
		}
	}
	for i, h := range s.Holds {
		bad := func(format string, a ...any) {
			errs = append(errs, fmt.Errorf("retention hold %d: %s", i+1, fmt.Sprintf(format, a...)))
		}
		if len(h.Containers) == 0 && h.Field == "" {
			bad("give containers, or a field and values")
		}
		if (h.Field == "") != (len(h.Values) == 0) {
			bad("field and values go together")
		}
		for _, g := range h.Containers {
			if _, err := path.Match(strings.ToLower(g), ""); err != nil {
				bad("bad container glob %q: %v", g, err)
			}
		}
		c.holds = append(c.holds, compiledHold{HoldRule: h, fieldKey: fieldKey(h.Field)})
	}
	for i, p := range s.Pins {
		bad := func(format string, a ...any) {
			errs = append(errs, fmt.Errorf("retention pin %d (rule %q): %s", i+1, p.Rule, fmt.Sprintf(format, a...)))
		}
		if _, err := path.Match(strings.ToLower(p.Container), ""); err != nil || p.Container == "" {
			bad("bad container glob %q", p.Container)
		}
		if p.Field == "" {
			bad("field is empty")
		}
		j := slices.IndexFunc(s.Rules, func(r RetentionRule) bool { return r.ID == p.Rule })
		if j < 0 {
			bad("unknown rule")
			continue
		}
		r := s.Rules[j]
		if p.Trigger != "" && p.Trigger != r.Trigger && !slices.ContainsFunc(r.LaterOf, func(l LaterOf) bool { return l.Trigger == p.Trigger }) {
			bad("the rule has no trigger %q", p.Trigger)
		}
		c.pins = append(c.pins, p)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	s.c = c
	return nil
}

func cues(list []string) []cue {
	var out []cue
	for _, f := range list {
		if t := detectors.FieldTokens(f, nil); len(t) > 0 && !slices.ContainsFunc(out, func(c cue) bool { return slices.Equal(c.toks, t) }) {
			out = append(out, cue{text: strings.Join(t, " "), toks: t})
		}
	}
	return out
}

// containerTokens are field tokens with plurals folded, so the cue "tenancy" finds "tenancies" and "asb case"
// finds "ASB_Cases". The folding is crude (status -> statu) but applied to both sides alike.
func containerTokens(name string) []string {
	toks := detectors.FieldTokens(name, nil)
	for i, t := range toks {
		switch {
		case len(t) > 4 && strings.HasSuffix(t, "ies"):
			toks[i] = t[:len(t)-3] + "y"
		case len(t) > 3 && strings.HasSuffix(t, "s") && !strings.HasSuffix(t, "ss"):
			toks[i] = t[:len(t)-1]
		}
	}
	return toks
}

func fieldKey(name string) string { return strings.Join(detectors.FieldTokens(name, nil), " ") }

// Match applies the schedule to one container (a table, sheet or file of records): every rule whose
// container cues match its name, or that a pin applies to it, with the date fields found among cols and the
// cutoffs for asOf (its UTC calendar date). See Match for the order and the winner. A schedule that does not
// validate matches nothing; use Validate first on one not built by DefaultSchedule or MergeSchedule.
func (s *Schedule) Match(container string, cols []ColumnInfo, asOf time.Time) []Match {
	c, err := s.compiled()
	if err != nil {
		return nil
	}
	asOf = detectors.UTCDay(asOf)
	ctoks := containerTokens(container)
	held := c.heldContainer(container)
	hold, holdNote := c.rowHold(container, cols)
	serials := isWorkbook(container)
	pivot := asOf.Year() % 100 // two-digit years in sampled dates: see detectors.ParseCellDate
	var out []Match
	for _, cr := range c.rules {
		pins := c.pinsFor(container, cr.r.ID)
		cue := cr.containerCue(ctoks)
		anywhere := cue == 0 && len(pins) == 0 && cr.anywhere
		if cue == 0 && len(pins) == 0 && !anywhere {
			continue
		}
		m := Match{Rule: cr.r, Kind: cr.r.KindOf(), Held: held, Hold: hold, Cutoff: cr.conds[0].cutoff(asOf, c.fye), cue: cue}
		var why []string
		var conds []Condition
		countable := true
		used := map[int]bool{}
		for k, cc := range cr.conds {
			label := cc.trigger
			if k > 0 {
				label += " (later of)"
			}
			field, idx, text := cc.discover(cols, pins, used, serials, pivot, k == 0, c.known)
			why = append(why, label+": "+text)
			if field == "" && k == 0 && anywhere {
				countable = false
				break // no consent field named in a container no cue names: the rule does not apply
			}
			if field == "" {
				if cc.optional {
					why[len(why)-1] += "; optional condition dropped"
					continue
				}
				countable = false
				continue
			}
			used[idx] = true
			if k == 0 {
				m.Field = field
			}
			conds = append(conds, Condition{Field: field, Cutoff: cc.cutoff(asOf, c.fye)})
		}
		if anywhere && m.Field == "" {
			continue
		}
		if countable {
			m.Conditions = conds
		} else {
			why = append(why, "no count possible")
		}
		if held {
			why = append(why, "container under legal hold")
		}
		if holdNote != "" {
			why = append(why, holdNote)
		}
		m.Why = strings.Join(why, "; ")
		out = append(out, m)
	}
	markWinner(out, asOf)
	return out
}

// MatchFolder applies the rules that may judge files (files = true) to a folder of a file share, by the
// folder's path ("Housing/Former tenants/"). Matches have no conditions: the files' modification times are
// compared with Cutoff.
func (s *Schedule) MatchFolder(folder string, asOf time.Time) []Match {
	c, err := s.compiled()
	if err != nil {
		return nil
	}
	asOf = detectors.UTCDay(asOf)
	ctoks := containerTokens(folder)
	held := c.heldContainer(folder)
	var out []Match
	for _, cr := range c.rules {
		cue := cr.containerCue(ctoks)
		if !cr.r.Files || cue == 0 || cr.r.IsConsent() {
			continue
		}
		cc := cr.conds[0]
		m := Match{Rule: cr.r, Kind: cr.r.KindOf(), Held: held, Cutoff: cc.cutoff(asOf, c.fye), cue: cue}
		m.Why = fmt.Sprintf("%s: files judged by modification time", cc.trigger)
		if held {
			m.Why += "; folder under legal hold"
		}
		out = append(out, m)
	}
	markWinner(out, asOf)
	return out
}

func markWinner(ms []Match, asOf time.Time) {
	best := -1
	for i := range ms {
		if ms[i].Rule.IsConsent() {
			continue // consent is its own question: it neither wins nor loses to a retention period
		}
		if best < 0 || keepsLonger(&ms[i], &ms[best], asOf) {
			best = i
		}
	}
	if best >= 0 {
		ms[best].Winner = true
	}
}

// keepsLonger orders matches for the winner: the earlier cutoff of the rule's own period, then more required
// later_of conditions (each can only lengthen retention), then the more specific container cue.
func keepsLonger(a, b *Match, asOf time.Time) bool {
	ca, cb := a.Rule.ownCutoff(asOf), b.Rule.ownCutoff(asOf)
	if !ca.Equal(cb) {
		return ca.Before(cb)
	}
	ra, rb := a.Rule.requiredLaterOf(), b.Rule.requiredLaterOf()
	if ra != rb {
		return ra > rb
	}
	return a.cue > b.cue
}

func (r *RetentionRule) requiredLaterOf() int {
	n := 0
	for _, l := range r.LaterOf {
		if !l.Optional {
			n++
		}
	}
	return n
}

// ownCutoff compares periods by where they land from the same date, before trigger adjustments.
func (r *RetentionRule) ownCutoff(asOf time.Time) time.Time {
	p, _ := ParsePeriod(r.Period)
	return p.Cutoff(asOf)
}

// containerCue returns the token count of the longest container cue found in toks, 0 for none.
func (cr *compiledRule) containerCue(toks []string) int {
	n := 0
	for _, c := range cr.containers {
		if len(c) > n && detectors.ContainsPhrase(toks, c) {
			n = len(c)
		}
	}
	return n
}

func (c *compiledSchedule) pinsFor(container, rule string) []Pin {
	var out []Pin
	for _, p := range c.pins {
		if p.Rule == rule && globMatch(p.Container, container) {
			out = append(out, p)
		}
	}
	return out
}

func (c *compiledSchedule) heldContainer(name string) bool {
	for _, h := range c.holds {
		if h.Field == "" && matchesAny(h.Containers, name) {
			return true
		}
	}
	return false
}

// rowHold returns the first row hold whose field is a column of the container. Columns match by normalised
// name (legal_hold, LegalHold, "Legal hold").
func (c *compiledSchedule) rowHold(container string, cols []ColumnInfo) (*Hold, string) {
	var found *Hold
	extra := 0
	for _, h := range c.holds {
		if h.Field == "" || (len(h.Containers) > 0 && !matchesAny(h.Containers, container)) {
			continue
		}
		for _, col := range cols {
			if fieldKey(col.Name) == h.fieldKey && h.fieldKey != "" {
				if found == nil {
					found = &Hold{Field: col.Name, Values: slices.Clone(h.Values)}
				} else {
					extra++
				}
				break
			}
		}
	}
	if found == nil {
		return nil, ""
	}
	note := fmt.Sprintf("rows with %s set are under legal hold", quote(found.Field))
	if extra > 0 {
		note += fmt.Sprintf(" (%d more hold fields ignored: one hold per container)", extra)
	}
	return found, note
}

func matchesAny(globs []string, name string) bool {
	for _, g := range globs {
		if globMatch(g, name) {
			return true
		}
	}
	return false
}

// globMatch matches a glob over a container name, case-insensitively, against the name and each of its
// parent folders, so "litigation/*" holds "litigation/2019/letter.docx"; a glob ending in "/*" also matches
// the folder itself ("litigation/").
func globMatch(glob, name string) bool {
	glob = strings.ToLower(glob)
	name = strings.TrimSuffix(strings.ToLower(strings.ReplaceAll(name, "\\", "/")), "/")
	if base, ok := strings.CutSuffix(glob, "/*"); ok && base == name {
		return true
	}
	for n := name; n != "" && n != "."; {
		if ok, _ := path.Match(glob, n); ok {
			return true
		}
		i := strings.LastIndexByte(n, '/')
		if i < 0 {
			break
		}
		n = n[:i]
	}
	return false
}

func isWorkbook(container string) bool {
	l := strings.ToLower(container)
	// "book.xlsx!Sheet" is a sheet; "crm.db!tenants" (an SQLite table) and "a.zip!b.csv" are not.
	for _, ext := range []string{".xlsx", ".xlsm", ".xls", ".ods"} {
		if strings.HasSuffix(l, ext) || strings.Contains(l, ext+"!") || strings.Contains(l, ext+"/") {
			return true
		}
	}
	return false
}

func quote(s string) string { return "'" + s + "'" }

// candidate is one column considered for a trigger's date field.
type candidate struct {
	idx      int
	name     string
	score    int
	cue      string // the name cue matched, "" for none
	rejected string // why it cannot be the field, "" when it can
	reasons  []string
}

// discover picks the trigger's date field: a pin wins; otherwise candidates are scored by name cue (longer
// cues are more specific), a date type, the share of sampled values that are dates, and a date word in the
// name. A column without a name cue is chosen only for the rule's own trigger (never a later_of one, never a
// date of birth), and only when it is the one date column whose name means nothing known (d1, Column3):
// guessing between two unnamed dates, or taking a referral date for an end date, could count open records
// stale.
func (cc *compiledCond) discover(cols []ColumnInfo, pins []Pin, used map[int]bool, serials bool, pivot int, own bool, known []cue) (string, int, string) {
	for _, p := range slices.Backward(pins) {
		if p.Trigger != cc.trigger && (p.Trigger != "" || !own) {
			continue
		}
		for i, col := range cols {
			if strings.EqualFold(col.Name, p.Field) {
				return col.Name, i, fmt.Sprintf("pinned to %s by configuration", quote(col.Name))
			}
		}
		return "", -1, fmt.Sprintf("no date field for trigger %s: pinned field %s is not a column", cc.trigger, quote(p.Field))
	}
	var cands []candidate
	for i, col := range cols {
		if used[i] {
			continue
		}
		if cd, ok := cc.consider(i, col, serials, pivot); ok {
			cands = append(cands, cd)
		}
	}
	best := -1
	for i, cd := range cands {
		if cd.rejected != "" || cd.cue == "" {
			continue
		}
		if best < 0 || cd.score > cands[best].score {
			best = i
		}
	}
	how := ""
	if best < 0 && own && cc.trigger != "dob" && !cc.nameOnly {
		only := -1
		for i, cd := range cands {
			if cd.rejected != "" {
				continue
			}
			toks := detectors.FieldTokens(cd.name, nil)
			if slices.ContainsFunc(known, func(k cue) bool { return detectors.ContainsPhrase(toks, k.toks) }) {
				only = -2
				break
			}
			if only >= 0 {
				only = -2
				break
			}
			only = i
		}
		if only >= 0 {
			best, how = only, "no name cue, the only date column"
		}
	}
	var also []string
	for i, cd := range cands {
		if i == best {
			continue
		}
		switch {
		case cd.rejected != "":
			also = append(also, fmt.Sprintf("%s (%s)", quote(cd.name), cd.rejected))
		case best >= 0:
			also = append(also, fmt.Sprintf("%s (%s)", quote(cd.name), strings.Join(cd.reasons, ", ")))
		default:
			also = append(also, fmt.Sprintf("%s (no name cue: %s)", quote(cd.name), strings.Join(cd.reasons, ", ")))
		}
	}
	const maxAlso = 4
	if len(also) > maxAlso {
		also = append(also[:maxAlso], fmt.Sprintf("%d more", len(also)-maxAlso))
	}
	if best < 0 {
		text := "no date field for trigger " + cc.trigger
		if len(also) > 0 {
			text += "; considered " + strings.Join(also, ", ")
		}
		return "", -1, text
	}
	cd := cands[best]
	reasons := cd.reasons
	if how != "" {
		reasons = append([]string{how}, reasons...)
	}
	text := fmt.Sprintf("chose %s (%s)", quote(cd.name), strings.Join(reasons, ", "))
	if len(also) > 0 {
		text += "; also considered " + strings.Join(also, ", ")
	}
	return cd.name, cd.idx, text
}

// Kinds of declared column type.
const (
	typeUnknown = iota // no type, or text: the values decide
	typeDate
	typeNumber
	typeOther // boolean, uuid, binary...: never a date
)

func typeKind(t string) int {
	t = strings.ToLower(strings.TrimSpace(t))
	switch {
	case t == "":
		return typeUnknown
	case strings.Contains(t, "date") || strings.Contains(t, "timestamp"):
		return typeDate
	case strings.Contains(t, "char") || strings.Contains(t, "text") || strings.Contains(t, "string") ||
		t == "clob" || t == "general" || t == "json" || t == "jsonb":
		return typeUnknown
	case strings.Contains(t, "int") || strings.Contains(t, "num") || strings.Contains(t, "dec") ||
		strings.Contains(t, "float") || strings.Contains(t, "double") || strings.Contains(t, "real"):
		return typeNumber
	}
	return typeOther
}

// dateWords in a column name suggest a date when nothing else is known; "at" and "on" only last (closed_at,
// ended_on, a Rails and Django habit).
var dateWords = []string{"date", "dt", "time", "timestamp", "datetime", "day", "dated", "when"}

func hasDateWord(toks []string) bool {
	for i, t := range toks {
		if slices.Contains(dateWords, t) || (i == len(toks)-1 && i > 0 && (t == "at" || t == "on")) {
			return true
		}
	}
	return false
}

// minDateShare of the sampled non-empty values must be dates for the values to show a date column.
const minDateShare = 0.8

func (cc *compiledCond) consider(i int, col ColumnInfo, serials bool, pivot int) (candidate, bool) {
	cd := candidate{idx: i, name: col.Name}
	toks := detectors.FieldTokens(col.Name, nil)
	not := ""
	for _, n := range cc.not {
		if detectors.ContainsPhrase(toks, n.toks) {
			not = n.text
			break
		}
	}
	// A date of birth starts no clock but its own, whatever a trigger's not_fields say.
	if not == "" && cc.trigger != "dob" {
		for _, t := range toks {
			if t == "dob" || t == "birth" || t == "birthday" || t == "birthdate" {
				not = t
				break
			}
		}
	}
	for _, f := range cc.fields {
		if detectors.ContainsPhrase(toks, f.toks) && len(f.toks) > len(strings.Fields(cd.cue)) {
			cd.cue = f.text
		}
	}
	kind := typeKind(col.Type)
	valued := kind == typeUnknown || (kind == typeNumber && serials)
	dated, total := 0, 0
	if kind != typeOther && (kind != typeNumber || serials) {
		for _, v := range col.Values {
			v = strings.TrimSpace(v)
			if isBlank(v) {
				continue
			}
			total++
			if _, ok := sampleDate(v, serials && kind != typeDate, pivot); ok {
				dated++
			}
		}
	}
	share := 0.0
	if total > 0 {
		share = float64(dated) / float64(total)
	}
	word := hasDateWord(toks)
	isDate := kind == typeDate || (valued && (share >= minDateShare || (total == 0 && (cd.cue != "" || word))))
	if !isDate {
		if cd.cue == "" || not != "" {
			return cd, false // not a date and not named like one: not worth a mention
		}
		if valued {
			cd.rejected = fmt.Sprintf("name cue '%s' but only %d%% of %d sampled values are dates", cd.cue, dated*100/total, total)
		} else {
			cd.rejected = fmt.Sprintf("name cue '%s' but type %s is not a date", cd.cue, strings.ToLower(col.Type))
		}
		return cd, true
	}
	if not != "" {
		cd.rejected = "name cue rejected: " + not
		return cd, true
	}
	if cd.cue != "" {
		cd.score += 50 + 10*len(strings.Fields(cd.cue))
		cd.reasons = append(cd.reasons, fmt.Sprintf("name cue '%s'", cd.cue))
	}
	if kind == typeDate {
		cd.score += 20
		cd.reasons = append(cd.reasons, "date type")
	}
	switch {
	case total > 0 && (kind != typeDate || dated < total):
		cd.reasons = append(cd.reasons, fmt.Sprintf("%d%% of %d sampled values are dates", dated*100/total, total))
	case total == 0 && kind != typeDate:
		cd.reasons = append(cd.reasons, "no sampled values")
	}
	cd.score += int(20 * share)
	if word {
		cd.score += 5
	}
	return cd, true
}

// isBlank is an empty cell or a spelled-out nothing: an open record, not a bad date.
func isBlank(v string) bool {
	switch strings.ToLower(v) {
	case "", "null", "\\n", "n/a", "na", "none", "-", "nil":
		return true
	}
	return false
}

// cutoff is the date before which this condition's date field makes a record stale, at asOf.
func (cc *compiledCond) cutoff(asOf time.Time, fye [2]int) time.Time {
	c := cc.period.Cutoff(asOf)
	switch cc.adjust {
	case adjustFinancialYearEnd:
		return afterYearEndBefore(c, fye[0], fye[1])
	case adjustTaxYearEnd:
		return afterYearEndBefore(c, 4, 5)
	case adjustFollowingMonth:
		// Stale when the end of the month after the date's month is before c: the date's month ends at
		// least two month ends before c, i.e. the date is before the first of the month before c's month.
		y, m, _ := c.Date()
		return time.Date(y, m-1, 1, 0, 0, 0, 0, time.UTC)
	}
	return c
}

// afterYearEndBefore returns the day after the last year end (month/day) strictly before c. A dated record
// whose year ends before c is stale; its year has ended before c exactly when the record is on or before that
// year end, that is before the day after it.
func afterYearEndBefore(c time.Time, month, day int) time.Time {
	y := c.Year()
	end := time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if !end.Before(c) {
		end = time.Date(y-1, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	}
	return end.AddDate(0, 0, 1)
}

// Period is an ISO-8601 duration of calendar years, months, weeks and days (no time part).
type Period struct {
	Years, Months, Weeks, Days int
}

// Bounds keep cutoffs in a calendar Go can represent and catch typos (P60Y for P6Y is legal; P6000Y is not).
const (
	maxPeriodYears  = 1000
	maxPeriodMonths = 12 * maxPeriodYears
	maxPeriodWeeks  = 53 * maxPeriodYears
	maxPeriodDays   = 366 * maxPeriodYears
)

// ParsePeriod reads an ISO-8601 duration of the form P[nY][nM][nW][nD], at least one part, in that order,
// whole numbers, not all zero. Time parts (PT1H) are not retention periods and are rejected.
func ParsePeriod(s string) (Period, error) {
	var p Period
	bad := fmt.Errorf("bad period %q: want an ISO-8601 duration such as P6Y, P6M, P1Y6M or P31D", s)
	if len(s) < 3 || len(s) > 40 || s[0] != 'P' {
		return p, bad
	}
	rest := s[1:]
	order := "YMWD"
	seen := 0
	for rest != "" {
		n := 0
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 0 || n == len(rest) || n > 7 {
			return Period{}, bad
		}
		v, _ := strconv.Atoi(rest[:n])
		k := strings.IndexByte(order, rest[n])
		if k < seen {
			return Period{}, bad
		}
		seen = k + 1
		switch rest[n] {
		case 'Y':
			p.Years = v
		case 'M':
			p.Months = v
		case 'W':
			p.Weeks = v
		case 'D':
			p.Days = v
		}
		rest = rest[n+1:]
	}
	if p == (Period{}) {
		return Period{}, fmt.Errorf("bad period %q: must be longer than zero", s)
	}
	if p.Years > maxPeriodYears || p.Months > maxPeriodMonths || p.Weeks > maxPeriodWeeks || p.Days > maxPeriodDays {
		return Period{}, fmt.Errorf("bad period %q: longer than %d years", s, maxPeriodYears)
	}
	return p, nil
}

// String writes the period back in ISO-8601 form.
func (p Period) String() string {
	var b strings.Builder
	b.WriteByte('P')
	for _, part := range []struct {
		v int
		u byte
	}{{p.Years, 'Y'}, {p.Months, 'M'}, {p.Weeks, 'W'}, {p.Days, 'D'}} {
		if part.v != 0 {
			b.WriteString(strconv.Itoa(part.v))
			b.WriteByte(part.u)
		}
	}
	if b.Len() == 1 {
		b.WriteString("0D")
	}
	return b.String()
}

// Cutoff returns the UTC midnight of the date that lies the period before asOf's UTC calendar date: years
// and months are subtracted as calendar months, and a day the target month lacks is clamped to its last day
// (2024-02-29 less P1Y is 2023-02-28; 2026-08-31 less P6M is 2026-02-28); weeks and days are then subtracted
// exactly. Records dated before the cutoff are stale. Go's AddDate would normalise 2023-02-29 to 2023-03-01
// instead. Clamping errs on the side of keeping: a record from the clamped day itself (2023-02-28, whose
// first anniversary 2024-02-28 has passed on 2024-02-29) is counted stale one day late, never early.
func (p Period) Cutoff(asOf time.Time) time.Time {
	y, m, d := asOf.UTC().Date()
	months := y*12 + int(m) - 1 - (p.Years*12 + p.Months)
	ny := months / 12
	nm := months%12 + 1
	if months < 0 && months%12 != 0 {
		ny--
		nm = months%12 + 13
	}
	d = min(d, checksum.DaysIn(ny, nm))
	return time.Date(ny, time.Month(nm), d-(p.Weeks*7+p.Days), 0, 0, 0, 0, time.UTC)
}

func atoiSmall(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// sampleDate reads a sampled value as a date: in a workbook (serials) first as an Excel serial day number, then
// as text by detectors.ParseCellDate, the reader the stale counter uses, so a column chosen here is read the
// same way when it is counted. pivot decides two-digit years (the as-of year mod 100).
func sampleDate(s string, serials bool, pivot int) (time.Time, bool) {
	if serials {
		if t, ok := detectors.ExcelSerial(s, false); ok {
			return t, true
		}
	}
	return detectors.ParseCellDate(s, pivot)
}

func digits(s string, i, min, max int) (int, int) {
	j := i
	for j < len(s) && j-i < max && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j-i < min {
		return 0, -1
	}
	if j < len(s) && s[j] >= '0' && s[j] <= '9' {
		return 0, -1 // more digits than allowed
	}
	n, _ := strconv.Atoi(s[i:j])
	return n, j
}
