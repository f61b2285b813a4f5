package reports

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/datamap-uk/datamap/scanner"
)

// Changes is what changed between two inventories. Its JSON form is a public contract, like the inventory's:
// keys are only ever added. Every list is sorted and present (never null) so scripts need no nil checks.
type Changes struct {
	Old Snapshot `json:"old"`
	New Snapshot `json:"new"`
	// Added holds the new personal fields: what a DPO has to look at first.
	Added []FieldRef `json:"added"`
	// AddedOther holds the new fields that are not personal data, kept apart so they do not bury the others.
	AddedOther []FieldRef `json:"added_other"`
	// Removed holds fields no longer present, personal ones first.
	Removed      []FieldRef       `json:"removed"`
	Reclassified []Reclassified   `json:"reclassified"`
	Unreadable   UnreadableChange `json:"unreadable"`
	Sources      []SourceChange   `json:"sources"`
}

// Snapshot identifies one side of a diff. An incomplete scan matters to the reader: its "removed" fields may
// simply not have been reached.
type Snapshot struct {
	GeneratedAt time.Time `json:"generated_at"`
	ToolVersion string    `json:"tool_version"`
	Complete    bool      `json:"complete"`
}

// Classification is the part of a finding a baseline or a diff compares.
type Classification struct {
	Personal        bool     `json:"personal"`
	DataTypes       []string `json:"data_types"`
	SpecialCategory []string `json:"special_category"`
	CriminalOffence bool     `json:"criminal_offence"`
}

// FieldRef names a field and says how it was classified.
type FieldRef struct {
	Fingerprint string `json:"fingerprint"`
	Source      string `json:"source"`
	Container   string `json:"container"`
	Field       string `json:"field"`
	Classification
	Confidence float64 `json:"confidence"`
}

// Reclassified is a field present in both inventories whose classification changed.
type Reclassified struct {
	Fingerprint string         `json:"fingerprint"`
	Source      string         `json:"source"`
	Container   string         `json:"container"`
	Field       string         `json:"field"`
	Before      Classification `json:"before"`
	After       Classification `json:"after"`
	// Changed names what changed, in a fixed order: personal, data_types, special_category, criminal_offence.
	Changed []string `json:"changed"`
}

// UnreadableChange lists unreadable items that appeared or went away, matched on source, path and reason: a
// file that is still unreadable for a different reason counts as both resolved and new.
type UnreadableChange struct {
	New      []scanner.Unreadable `json:"new"`
	Resolved []scanner.Unreadable `json:"resolved"`
}

// SourceChange is a source whose status changed. A status is empty when the source was not in that scan.
type SourceChange struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Before string `json:"before"`
	After  string `json:"after"`
	Error  string `json:"error,omitempty"` // the new scan's error, if any
}

// Empty reports whether nothing changed.
func (c Changes) Empty() bool {
	return len(c.Added) == 0 && len(c.AddedOther) == 0 && len(c.Removed) == 0 && len(c.Reclassified) == 0 &&
		len(c.Unreadable.New) == 0 && len(c.Unreadable.Resolved) == 0 && len(c.Sources) == 0
}

// classOf takes the compared part of a finding, with sorted copies of its lists so that order never counts
// as a change and the caller's inventory is never aliased.
func classOf(f scanner.Field) Classification {
	return Classification{
		Personal:        f.Personal,
		DataTypes:       sortedSet(f.DataTypes),
		SpecialCategory: sortedSet(f.SpecialCategory),
		CriminalOffence: f.CriminalOffence,
	}
}

func sortedSet(s []string) []string {
	out := slices.Clone(s)
	if out == nil {
		out = []string{}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func refOf(f scanner.Field) FieldRef {
	return FieldRef{
		Fingerprint: fingerprintOf(f), Source: f.Source, Container: f.Container, Field: f.Field,
		Classification: classOf(f), Confidence: f.Confidence,
	}
}

// fingerprintOf trusts the stored fingerprint but recomputes a missing one, so hand-edited or older
// inventories still line up.
func fingerprintOf(f scanner.Field) string {
	if f.Fingerprint != "" {
		return f.Fingerprint
	}
	return scanner.Fingerprint(f.Source, f.Container, f.Field)
}

// fieldsByFingerprint maps fingerprints to fields. A duplicate fingerprint keeps its first field, so the result does
// not depend on anything but the inventory's own order.
func fieldsByFingerprint(inv *scanner.Inventory) map[string]scanner.Field {
	m := map[string]scanner.Field{}
	if inv == nil {
		return m
	}
	for _, f := range inv.Fields {
		fp := fingerprintOf(f)
		if _, ok := m[fp]; !ok {
			m[fp] = f
		}
	}
	return m
}

func compareFieldLoc(aSource, aContainer, aField, bSource, bContainer, bField string) int {
	return cmp.Or(cmp.Compare(aSource, bSource), cmp.Compare(aContainer, bContainer), cmp.Compare(aField, bField))
}

func sortRefs(refs []FieldRef, personalFirst bool) {
	slices.SortFunc(refs, func(a, b FieldRef) int {
		if personalFirst && a.Personal != b.Personal {
			if a.Personal {
				return -1
			}
			return 1
		}
		return cmp.Or(compareFieldLoc(a.Source, a.Container, a.Field, b.Source, b.Container, b.Field),
			cmp.Compare(a.Fingerprint, b.Fingerprint))
	})
}

// Diff compares two inventories. It is pure: the same inputs give the same Changes, whatever order the
// inventories list things in.
func Diff(old, new *scanner.Inventory) Changes {
	c := Changes{
		Old: snapshotOf(old), New: snapshotOf(new),
		Added: []FieldRef{}, AddedOther: []FieldRef{}, Removed: []FieldRef{}, Reclassified: []Reclassified{},
		Unreadable: UnreadableChange{New: []scanner.Unreadable{}, Resolved: []scanner.Unreadable{}},
		Sources:    []SourceChange{},
	}
	before, after := fieldsByFingerprint(old), fieldsByFingerprint(new)

	for fp, f := range after {
		b, ok := before[fp]
		if !ok {
			if f.Personal {
				c.Added = append(c.Added, refOf(f))
			} else {
				c.AddedOther = append(c.AddedOther, refOf(f))
			}
			continue
		}
		if r, changed := reclassified(b, f); changed {
			c.Reclassified = append(c.Reclassified, r)
		}
	}
	for fp, f := range before {
		if _, ok := after[fp]; !ok {
			c.Removed = append(c.Removed, refOf(f))
		}
	}
	sortRefs(c.Added, false)
	sortRefs(c.AddedOther, false)
	sortRefs(c.Removed, true)
	slices.SortFunc(c.Reclassified, func(a, b Reclassified) int {
		return cmp.Or(compareFieldLoc(a.Source, a.Container, a.Field, b.Source, b.Container, b.Field),
			cmp.Compare(a.Fingerprint, b.Fingerprint))
	})

	c.Unreadable.New = unreadableMinus(new, old)
	c.Unreadable.Resolved = unreadableMinus(old, new)
	c.Sources = sourceChanges(old, new)
	return c
}

func snapshotOf(inv *scanner.Inventory) Snapshot {
	if inv == nil {
		return Snapshot{}
	}
	return Snapshot{GeneratedAt: inv.GeneratedAt, ToolVersion: inv.Tool.Version, Complete: inv.Complete}
}

// reclassified compares two classifications of one field. A field that is not personal in either scan is
// never reported: low-confidence data types come and go with the sample and would drown the real changes.
// Confidence alone is not a change for the same reason.
func reclassified(b, a scanner.Field) (Reclassified, bool) {
	before, after := classOf(b), classOf(a)
	if !before.Personal && !after.Personal {
		return Reclassified{}, false
	}
	var changed []string
	if before.Personal != after.Personal {
		changed = append(changed, "personal")
	}
	if !slices.Equal(before.DataTypes, after.DataTypes) {
		changed = append(changed, "data_types")
	}
	if !slices.Equal(before.SpecialCategory, after.SpecialCategory) {
		changed = append(changed, "special_category")
	}
	if before.CriminalOffence != after.CriminalOffence {
		changed = append(changed, "criminal_offence")
	}
	if len(changed) == 0 {
		return Reclassified{}, false
	}
	return Reclassified{
		Fingerprint: fingerprintOf(a), Source: a.Source, Container: a.Container, Field: a.Field,
		Before: before, After: after, Changed: changed,
	}, true
}

type unreadableKey struct{ source, path, reason string }

// unreadableMinus returns the unreadable items of a whose key is not in b, sorted, one per key.
func unreadableMinus(a, b *scanner.Inventory) []scanner.Unreadable {
	out := []scanner.Unreadable{}
	if a == nil {
		return out
	}
	inB := map[unreadableKey]bool{}
	if b != nil {
		for _, u := range b.Unreadable {
			inB[unreadableKey{u.Source, u.Path, u.Reason}] = true
		}
	}
	seen := map[unreadableKey]bool{}
	for _, u := range a.Unreadable {
		k := unreadableKey{u.Source, u.Path, u.Reason}
		if inB[k] || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, u)
	}
	slices.SortFunc(out, func(x, y scanner.Unreadable) int {
		return cmp.Or(cmp.Compare(x.Source, y.Source), cmp.Compare(x.Path, y.Path), cmp.Compare(x.Reason, y.Reason))
	})
	return out
}

func sourceChanges(old, new *scanner.Inventory) []SourceChange {
	out := []SourceChange{}
	type side struct{ before, after *scanner.SourceResult }
	m := map[string]*side{}
	get := func(name string) *side {
		if m[name] == nil {
			m[name] = &side{}
		}
		return m[name]
	}
	if old != nil {
		for i := range old.Sources {
			if s := get(old.Sources[i].Name); s.before == nil {
				s.before = &old.Sources[i]
			}
		}
	}
	if new != nil {
		for i := range new.Sources {
			if s := get(new.Sources[i].Name); s.after == nil {
				s.after = &new.Sources[i]
			}
		}
	}
	for name, s := range m {
		var ch SourceChange
		ch.Name = name
		if s.before != nil {
			ch.Kind, ch.Before = s.before.Kind, s.before.Status
		}
		if s.after != nil {
			ch.Kind, ch.After, ch.Error = s.after.Kind, s.after.Status, s.after.Error
		}
		if s.before != nil && s.after != nil && ch.Before == ch.After {
			continue
		}
		out = append(out, ch)
	}
	slices.SortFunc(out, func(a, b SourceChange) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// Text writes the changes for a person: headline counts, then each section that has something in it.
func (c Changes) Text(w io.Writer) error {
	p := &textOut{w: w}
	p.printf("datamap diff: %s -> %s\n", snapshotStamp(c.Old), snapshotStamp(c.New))
	if c.Empty() {
		p.printf("No changes.\n")
		return p.err
	}
	p.printf("%d new personal, %d new other, %d removed and %d reclassified fields; %d newly unreadable, %d no longer unreadable; %d source status changes\n",
		len(c.Added), len(c.AddedOther), len(c.Removed), len(c.Reclassified),
		len(c.Unreadable.New), len(c.Unreadable.Resolved), len(c.Sources))
	if !c.New.Complete || !c.Old.Complete {
		p.printf("Note: at least one scan was incomplete, so some fields may be missing because they were not reached.\n")
	}
	section := func(title string, n int) bool {
		if n == 0 {
			return false
		}
		p.printf("\n%s (%d):\n", title, n)
		return true
	}
	if section("New personal fields", len(c.Added)) {
		for _, f := range c.Added {
			p.printf("  + %s  %s\n", f.Fingerprint, describeClass(f.Classification))
		}
	}
	if section("New fields, not personal", len(c.AddedOther)) {
		for _, f := range c.AddedOther {
			p.printf("  + %s\n", f.Fingerprint)
		}
	}
	if section("Removed fields", len(c.Removed)) {
		for _, f := range c.Removed {
			p.printf("  - %s  %s\n", f.Fingerprint, describeClass(f.Classification))
		}
	}
	if section("Reclassified fields", len(c.Reclassified)) {
		for _, r := range c.Reclassified {
			p.printf("  ~ %s  (%s)\n", r.Fingerprint, strings.Join(r.Changed, ", "))
			p.printf("      before: %s\n", describeClass(r.Before))
			p.printf("      after:  %s\n", describeClass(r.After))
		}
	}
	if section("Newly unreadable", len(c.Unreadable.New)) {
		for _, u := range c.Unreadable.New {
			p.printf("  + %s/%s  %s\n", u.Source, u.Path, u.Reason)
		}
	}
	if section("No longer unreadable", len(c.Unreadable.Resolved)) {
		for _, u := range c.Unreadable.Resolved {
			p.printf("  - %s/%s  %s\n", u.Source, u.Path, u.Reason)
		}
	}
	if section("Sources whose status changed", len(c.Sources)) {
		for _, s := range c.Sources {
			p.printf("  %s (%s): %s -> %s", s.Name, s.Kind, orAbsent(s.Before), orAbsent(s.After))
			if s.Error != "" {
				p.printf(": %s", s.Error)
			}
			p.printf("\n")
		}
	}
	return p.err
}

func snapshotStamp(s Snapshot) string {
	if s.GeneratedAt.IsZero() {
		return "(unknown time)"
	}
	return s.GeneratedAt.UTC().Format(time.RFC3339)
}

func orAbsent(status string) string {
	if status == "" {
		return "(not scanned)"
	}
	return status
}

// describeClass renders a classification on one line, e.g. "personal: nhs_number; special category: health".
func describeClass(c Classification) string {
	var parts []string
	if c.Personal {
		parts = append(parts, "personal")
	} else {
		parts = append(parts, "not personal")
	}
	if len(c.DataTypes) > 0 {
		parts[0] += ": " + strings.Join(c.DataTypes, ", ")
	}
	if len(c.SpecialCategory) > 0 {
		parts = append(parts, "special category: "+strings.Join(c.SpecialCategory, ", "))
	}
	if c.CriminalOffence {
		parts = append(parts, "criminal offence")
	}
	return strings.Join(parts, "; ")
}

// textOut writes plain text for a person or a CI log. It keeps the first write error so rendering code can
// stay linear, and passes every string argument (a name from the estate, most likely) through OneLine, so that
// no name can break a line or smuggle in a terminal escape or a workflow command.
type textOut struct {
	w   io.Writer
	err error
}

func (p *textOut) printf(format string, args ...any) {
	if p.err != nil {
		return
	}
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = OneLine(s)
		}
	}
	_, p.err = fmt.Fprintf(p.w, format, args...)
}
