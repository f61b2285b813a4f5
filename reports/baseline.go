package reports

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/datamap-uk/datamap/rules"
	"github.com/datamap-uk/datamap/scanner"
)

// BaselineVersion is the lock file's format version. A reader rejects other versions rather than guess.
const BaselineVersion = 1

// Baseline is the lock file: the personal fields already known and accepted, keyed by fingerprint. It is
// TOML so that a change to it reads well in a pull request.
type Baseline struct {
	Version int             `toml:"version"`
	Fields  []BaselineField `toml:"field"`
}

// BaselineField is one accepted personal field.
type BaselineField struct {
	Fingerprint     string   `toml:"fingerprint"`
	DataTypes       []string `toml:"data_types"`
	SpecialCategory []string `toml:"special_category"`
	Criminal        bool     `toml:"criminal"`
	ReviewedBy      string   `toml:"reviewed_by,omitempty"`
	Note            string   `toml:"note,omitempty"`
}

// NewBaseline records every personal field of an inventory, sorted by fingerprint.
func NewBaseline(inv *scanner.Inventory) *Baseline {
	b := &Baseline{Version: BaselineVersion, Fields: []BaselineField{}}
	if inv == nil {
		return b
	}
	seen := map[string]bool{}
	for _, f := range inv.Fields {
		fp := fingerprintOf(f)
		if !f.Personal || seen[fp] {
			continue
		}
		seen[fp] = true
		b.Fields = append(b.Fields, BaselineField{
			Fingerprint:     fp,
			DataTypes:       sortedSet(f.DataTypes),
			SpecialCategory: sortedSet(f.SpecialCategory),
			Criminal:        f.CriminalOffence,
		})
	}
	b.sort()
	return b
}

// UpdateBaseline is what --update-baseline writes: the inventory's personal fields, keeping the reviewed_by
// and note a person wrote for every field that is still there.
func UpdateBaseline(prev *Baseline, inv *scanner.Inventory) *Baseline {
	b := NewBaseline(inv)
	if prev == nil {
		return b
	}
	old := prev.index()
	for i := range b.Fields {
		if p, ok := old[b.Fields[i].Fingerprint]; ok {
			b.Fields[i].ReviewedBy, b.Fields[i].Note = p.ReviewedBy, p.Note
		}
	}
	return b
}

func (b *Baseline) sort() {
	slices.SortFunc(b.Fields, func(x, y BaselineField) int { return cmp.Compare(x.Fingerprint, y.Fingerprint) })
}

func (b *Baseline) index() map[string]BaselineField {
	m := make(map[string]BaselineField, len(b.Fields))
	for _, f := range b.Fields {
		m[f.Fingerprint] = f
	}
	return m
}

// ReadBaseline decodes a lock file strictly: an unknown key, a missing fingerprint, a duplicate entry or an
// unknown special category is an error, because a typo in a lock file would otherwise silently let a field
// through the gate.
func ReadBaseline(r io.Reader) (*Baseline, error) {
	var b Baseline
	if err := decodeVersioned(r, &b, &b.Version, BaselineVersion); err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	if b.Fields == nil {
		b.Fields = []BaselineField{}
	}
	special := rules.SpecialCategories()
	seen := map[string]bool{}
	for i := range b.Fields {
		f := &b.Fields[i]
		n := i + 1
		if f.Fingerprint == "" {
			return nil, fmt.Errorf("read baseline: field %d: missing fingerprint", n)
		}
		if seen[f.Fingerprint] {
			return nil, fmt.Errorf("read baseline: field %d: duplicate fingerprint %q", n, f.Fingerprint)
		}
		seen[f.Fingerprint] = true
		for _, c := range f.SpecialCategory {
			if !slices.Contains(special, c) {
				return nil, fmt.Errorf("read baseline: field %d: unknown special category %q (valid: %s)", n, c, strings.Join(special, ", "))
			}
		}
		f.DataTypes = sortedSet(f.DataTypes)
		f.SpecialCategory = sortedSet(f.SpecialCategory)
	}
	b.sort()
	return &b, nil
}

// decodeVersioned decodes a versioned datamap TOML file strictly (rules.DecodeTOML) and checks its version.
func decodeVersioned(r io.Reader, v any, version *int, want int) error {
	md, err := rules.DecodeTOML(r, v)
	if err != nil {
		return err
	}
	if !md.IsDefined("version") {
		return errors.New("missing version")
	}
	if *version != want {
		return fmt.Errorf("unsupported version %d (this datamap reads version %d)", *version, want)
	}
	return nil
}

const baselineHeader = `# datamap baseline (lock file).
#
# Every personal field that has been reviewed and accepted, keyed by its fingerprint
# (source/container#field). "datamap check" fails when a personal field appears that is not listed here,
# or when a listed field becomes special category or criminal offence data. Removed fields and
# less sensitive classifications are reported without failing.
#
# Do not add fields by hand to silence the check: review the new field with your Data Protection Officer,
# then run the same "datamap check" command with --update-baseline and commit this file, e.g.
#
#     datamap check migrations/ --baseline datamap.lock --update-baseline
#
# reviewed_by and note are yours to fill in; --update-baseline keeps them.
`

// Write writes the lock file with a fixed layout (sorted entries, one key per line, lists on one line), so
// that regenerating an unchanged baseline changes no byte and a review shows only real changes.
func (b *Baseline) Write(w io.Writer) error {
	fields := slices.Clone(b.Fields)
	slices.SortFunc(fields, func(x, y BaselineField) int { return cmp.Compare(x.Fingerprint, y.Fingerprint) })
	var s strings.Builder
	s.WriteString(baselineHeader)
	fmt.Fprintf(&s, "\nversion = %d\n", BaselineVersion)
	for _, f := range fields {
		s.WriteString("\n[[field]]\n")
		fmt.Fprintf(&s, "fingerprint = %s\n", tomlString(f.Fingerprint))
		fmt.Fprintf(&s, "data_types = %s\n", tomlStrings(sortedSet(f.DataTypes)))
		fmt.Fprintf(&s, "special_category = %s\n", tomlStrings(sortedSet(f.SpecialCategory)))
		fmt.Fprintf(&s, "criminal = %t\n", f.Criminal)
		if f.ReviewedBy != "" {
			fmt.Fprintf(&s, "reviewed_by = %s\n", tomlString(f.ReviewedBy))
		}
		if f.Note != "" {
			fmt.Fprintf(&s, "note = %s\n", tomlString(f.Note))
		}
	}
	_, err := io.WriteString(w, s.String())
	if err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	return nil
}

// tomlString quotes s as a TOML basic string. Invalid UTF-8 is replaced, as TOML files must be UTF-8.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range strings.ToValidUTF8(s, string(utf8.RuneError)) {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

func tomlStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = tomlString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// Check kinds: stable IDs, used as SARIF rule IDs and in JSON, never renamed.
const (
	KindNewPersonal        = "new-personal-field"
	KindNewSpecial         = "new-special-category-field"
	KindNewCriminal        = "new-criminal-offence-field"
	KindBecameSpecial      = "newly-special-category-field"
	KindBecameCriminal     = "newly-criminal-offence-field"
	KindReclassified       = "reclassified-field"
	KindLessSensitive      = "less-sensitive-field"
	KindRemovedField       = "removed-baseline-field"
	defaultCheckCommand    = "datamap check <same args>"
	decisionHint           = "or record a decision with your Data Protection Officer"
	checkFindingLevelError = "error"
	checkFindingLevelWarn  = "warning"
)

// kindLevel is a finding kind's level: a new personal field or a more sensitive classification fails the gate
// (error); the rest are reported (warning).
func kindLevel(kind string) string {
	switch kind {
	case KindNewPersonal, KindNewSpecial, KindNewCriminal, KindBecameSpecial, KindBecameCriminal:
		return checkFindingLevelError
	}
	return checkFindingLevelWarn
}

// Location is where a field is declared, e.g. the migration statement that added it. The static DDL mode
// fills it in; a live scan leaves it empty.
type Location struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
}

// IsZero reports whether the location is unknown.
func (l Location) IsZero() bool { return l.File == "" }

// Why is the evidence behind a classification. Examples are masked at capture, never raw values.
type Why struct {
	Rules      []string `json:"rules"` // matched rule IDs, strongest first
	Method     string   `json:"method"`
	Confidence float64  `json:"confidence"`
	Examples   []string `json:"examples"`
}

// CheckFinding is one field the gate has something to say about.
type CheckFinding struct {
	Kind           string         `json:"kind"`
	Level          string         `json:"level"` // error (fails the check) or warning
	Fingerprint    string         `json:"fingerprint"`
	Source         string         `json:"source"`
	Container      string         `json:"container"`
	Field          string         `json:"field"`
	Location       Location       `json:"location,omitzero"`
	Classification Classification `json:"classification"`
	// Baseline is what the lock file recorded; absent for a new field.
	Baseline *Classification `json:"baseline,omitempty"`
	Why      Why             `json:"why"`
	Fix      string          `json:"fix"`
}

// Failing reports whether this finding fails the gate.
func (f CheckFinding) Failing() bool { return f.Level == checkFindingLevelError }

// CheckResult is the outcome of comparing an inventory with a baseline. Its JSON form is a public contract.
type CheckResult struct {
	// Complete is false when the scan was incomplete: removed fields may then only be unreached.
	Complete bool `json:"complete"`
	// New holds personal fields not in the baseline; they fail the check.
	New []CheckFinding `json:"new"`
	// MoreSensitive holds baseline fields that became special category or criminal offence data; they fail.
	MoreSensitive []CheckFinding `json:"more_sensitive"`
	// Reclassified holds baseline fields whose data types changed without becoming more sensitive.
	Reclassified []CheckFinding `json:"reclassified"`
	// LessSensitive holds baseline fields that lost a special category, criminal offence, or personal status.
	LessSensitive []CheckFinding `json:"less_sensitive"`
	// Removed holds baseline fields the inventory no longer has.
	Removed []CheckFinding `json:"removed"`
}

// Failed reports whether the gate fails: a new personal field or a more sensitive classification.
func (r CheckResult) Failed() bool { return len(r.New) > 0 || len(r.MoreSensitive) > 0 }

// lists are the result's lists of findings, failing ones first: the one place that names them all.
func (r *CheckResult) lists() []*[]CheckFinding {
	return []*[]CheckFinding{&r.New, &r.MoreSensitive, &r.Reclassified, &r.LessSensitive, &r.Removed}
}

// Findings lists every finding, failing ones first, in a stable order.
func (r CheckResult) Findings() []CheckFinding {
	var out []CheckFinding
	for _, l := range r.lists() {
		out = append(out, *l...)
	}
	return out
}

// Check compares an inventory with a baseline. A nil baseline counts as empty, so a first run fails on every
// personal field until it is written.
func Check(inv *scanner.Inventory, b *Baseline) CheckResult {
	r := CheckResult{
		Complete: inv == nil || inv.Complete,
		New:      []CheckFinding{}, MoreSensitive: []CheckFinding{}, Reclassified: []CheckFinding{},
		LessSensitive: []CheckFinding{}, Removed: []CheckFinding{},
	}
	if b == nil {
		b = &Baseline{}
	}
	known := b.index()
	current := fieldsByFingerprint(inv)

	for fp, f := range current {
		base, inBase := known[fp]
		cur := classOf(f)
		if !inBase {
			if !f.Personal {
				continue
			}
			kind := KindNewPersonal
			switch {
			case len(cur.SpecialCategory) > 0:
				kind = KindNewSpecial
			case cur.CriminalOffence:
				kind = KindNewCriminal
			}
			r.New = append(r.New, newFinding(kind, f, nil))
			continue
		}
		was := base.classification()
		gainedSpecial := len(setMinus(cur.SpecialCategory, was.SpecialCategory)) > 0
		gainedCriminal := cur.CriminalOffence && !was.CriminalOffence
		switch {
		case cur.Personal && gainedSpecial:
			r.MoreSensitive = append(r.MoreSensitive, newFinding(KindBecameSpecial, f, &was))
		case cur.Personal && gainedCriminal:
			r.MoreSensitive = append(r.MoreSensitive, newFinding(KindBecameCriminal, f, &was))
		case !cur.Personal || len(setMinus(was.SpecialCategory, cur.SpecialCategory)) > 0 ||
			(was.CriminalOffence && !cur.CriminalOffence):
			r.LessSensitive = append(r.LessSensitive, newFinding(KindLessSensitive, f, &was))
		case !slices.Equal(cur.DataTypes, was.DataTypes):
			r.Reclassified = append(r.Reclassified, newFinding(KindReclassified, f, &was))
		}
	}
	for _, base := range b.Fields {
		if _, ok := current[base.Fingerprint]; ok {
			continue
		}
		was := base.classification()
		source, container, field := splitFingerprint(base.Fingerprint)
		r.Removed = append(r.Removed, CheckFinding{
			Kind: KindRemovedField, Level: kindLevel(KindRemovedField), Fingerprint: base.Fingerprint,
			Source: source, Container: container, Field: field,
			Classification: Classification{DataTypes: []string{}, SpecialCategory: []string{}},
			Baseline:       &was,
			Why:            Why{Rules: []string{}, Method: "none", Examples: []string{}},
		})
	}
	for _, l := range r.lists() {
		slices.SortFunc(*l, func(a, b CheckFinding) int {
			return cmp.Or(compareFieldLoc(a.Source, a.Container, a.Field, b.Source, b.Container, b.Field),
				cmp.Compare(a.Fingerprint, b.Fingerprint))
		})
	}
	return r.WithCommand(defaultCheckCommand)
}

func (f BaselineField) classification() Classification {
	return Classification{
		Personal: true, DataTypes: sortedSet(f.DataTypes), SpecialCategory: sortedSet(f.SpecialCategory),
		CriminalOffence: f.Criminal,
	}
}

// setMinus returns the members of a not in b.
func setMinus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// splitFingerprint recovers source, container and field from a baseline fingerprint. The source is up to the
// first "/" and the field after the last "#": a container may hold either character, a source name and a
// field name rarely do.
func splitFingerprint(fp string) (source, container, field string) {
	rest := fp
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		source, rest = rest[:i], rest[i+1:]
	}
	if i := strings.LastIndexByte(rest, '#'); i >= 0 {
		return source, rest[:i], rest[i+1:]
	}
	return source, rest, ""
}

func newFinding(kind string, f scanner.Field, was *Classification) CheckFinding {
	return CheckFinding{
		Kind: kind, Level: kindLevel(kind), Fingerprint: fingerprintOf(f),
		Source: f.Source, Container: f.Container, Field: f.Field,
		Classification: classOf(f), Baseline: was, Why: whyOf(f),
	}
}

// whyOf summarises the evidence: rules in the classifier's order (strongest first), then any matched rule
// the scores do not list, so older inventories without scores still explain themselves.
func whyOf(f scanner.Field) Why {
	ev := f.Evidence
	w := Why{Rules: []string{}, Method: ev.Method, Confidence: f.Confidence, Examples: slices.Clone(ev.Examples)}
	if w.Examples == nil {
		w.Examples = []string{}
	}
	for _, s := range ev.Rules {
		if !slices.Contains(w.Rules, s.Rule) {
			w.Rules = append(w.Rules, s.Rule)
		}
	}
	extra := append(slices.Clone(ev.Names), slices.Collect(maps.Keys(ev.Matched))...)
	slices.Sort(extra)
	for _, id := range slices.Compact(extra) {
		if !slices.Contains(w.Rules, id) {
			w.Rules = append(w.Rules, id)
		}
	}
	return w
}

// WithCommand rewrites every fix hint to name the command the user actually ran (without
// --update-baseline), so the hint can be pasted as it is.
func (r CheckResult) WithCommand(command string) CheckResult {
	if command == "" {
		command = defaultCheckCommand
	}
	r = r.clone()
	for _, l := range r.lists() {
		for i := range *l {
			(*l)[i].Fix = fixHint((*l)[i].Kind, command)
		}
	}
	return r
}

// WithLocations fills in where each field is declared, for modes that know it (static DDL analysis).
func (r CheckResult) WithLocations(locate func(fingerprint string) (Location, bool)) CheckResult {
	r = r.clone()
	for _, l := range r.lists() {
		for i := range *l {
			if loc, ok := locate((*l)[i].Fingerprint); ok {
				(*l)[i].Location = loc
			}
		}
	}
	return r
}

// clone copies the lists so the With methods leave the receiver's findings alone.
func (r CheckResult) clone() CheckResult {
	for _, l := range r.lists() {
		*l = slices.Clone(*l)
	}
	return r
}

func fixHint(kind, command string) string {
	update := "`" + command + " --update-baseline`"
	switch kind {
	case KindRemovedField:
		return "if the field was removed on purpose, run " + update + " to drop it from the baseline"
	case KindLessSensitive, KindReclassified:
		return "check the new classification, then run " + update + " to record it"
	default:
		return "review it, then run " + update + ", " + decisionHint
	}
}
