package scanner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datamap-uk/datamap/rules"
)

// fake is a Source whose units behave as their names say.
type fake struct {
	name  string
	units []string
	// cancel, when set, is called as the unit named "stop" is sampled.
	cancel func()
	mod    map[string]time.Time // units' modification times
}

func (f *fake) Info() SourceInfo {
	return SourceInfo{Name: f.name, Kind: "fake", Location: "fake://" + f.name}
}
func (f *fake) Close() error { return nil }

func (f *fake) Units(ctx context.Context, fn func(Unit) error) error {
	for _, u := range f.units {
		if u == "list-error" {
			return errors.New("listing failed")
		}
		if err := fn(Unit{Name: u, Size: 10, ModTime: f.mod[u]}); err != nil {
			return err
		}
	}
	return nil
}

func (f *fake) Sample(ctx context.Context, u Unit, out Sink) error {
	switch u.Name {
	case "error":
		return errors.New("disk went away")
	case "encrypted":
		out.Unreadable(Unreadable{Path: u.Name, Reason: ReasonEncrypted, Detail: "password-protected"})
		return nil
	case "headerless.csv":
		out.Container(&Container{Name: u.Name, Unit: u.Name, Kind: "table", Format: "csv", RowsTotal: 1, RowsSampled: 1,
			Columns: []Column{
				{Name: "Zebedee Quonk", Values: []Value{NewValue("Amir Khan")}},
				{Name: "zebedee.quonk@example.org", Values: []Value{NewValue("amir.khan@example.org")}},
				{Name: "Schizophrenia", Values: []Value{NewValue("Epilepsy")}},
			}})
		return nil
	case "panic":
		panic("a reader bug that quotes Zebedee Quonk")
	case "stop":
		f.cancel()
		<-ctx.Done()
		return ctx.Err()
	}
	out.Container(&Container{Name: u.Name, Unit: u.Name, Kind: "table", Format: "csv", RowsTotal: 2, RowsSampled: 2,
		Columns: []Column{
			{Name: "Email", Values: []Value{NewValue("jane.doe@example.org"), NewValue("amir.khan@example.org")}},
			{Name: "Colour", Values: []Value{NewValue("red"), NewValue("blue")}},
		}})
	return nil
}

func engine(t *testing.T) *rules.Engine {
	t.Helper()
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	e, err := rules.Compile(p, rules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func fixedClock() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

func TestRunRecordsFailuresAndCarriesOn(t *testing.T) {
	srcs := []Source{
		&fake{name: "b", units: []string{"t2.csv", "error", "encrypted", "panic", "t1.csv"}},
		&fake{name: "a", units: []string{"t3.csv", "list-error"}},
	}
	inv, err := Run(context.Background(), srcs, Options{Engine: engine(t), Workers: 3, Clock: fixedClock})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !inv.Complete {
		t.Errorf("inventory marked incomplete")
	}
	got := map[string]SourceResult{}
	for _, s := range inv.Sources {
		got[s.Name] = s
	}
	if b := got["b"]; b.Status != StatusPartial || b.Units != 5 || b.Unreadable != 3 || b.Failed != 2 || b.Containers != 2 {
		t.Errorf("source b = %+v, want partial: 5 units, 2 containers, 3 unreadable of which 2 failed", b)
	}
	if a := got["a"]; a.Status != StatusPartial || !strings.Contains(a.Error, "listing stopped early") {
		t.Errorf("source a = %+v, want partial with the listing error", a)
	}
	if inv.Sources[0].Name != "b" {
		t.Errorf("sources are in the order given: %v", inv.Sources)
	}
	reasons := map[string]string{}
	for _, u := range inv.Unreadable {
		reasons[u.Path] = u.Reason
	}
	if reasons["error"] != ReasonReadError || reasons["encrypted"] != ReasonEncrypted || reasons["panic"] != ReasonReadError {
		t.Errorf("unreadable register %v", reasons)
	}
	if len(inv.Fields) != 6 {
		t.Fatalf("%d fields, want 6", len(inv.Fields))
	}
	for i := 1; i < len(inv.Fields); i++ {
		p, q := inv.Fields[i-1], inv.Fields[i]
		if fmt.Sprint(p.Source, p.Container) > fmt.Sprint(q.Source, q.Container) && p.Source == q.Source {
			t.Errorf("fields not sorted: %s/%s before %s/%s", p.Source, p.Container, q.Source, q.Container)
		}
	}
	for _, f := range inv.Fields {
		if f.Field == "Email" && (!f.Personal || f.Fingerprint != f.Source+"/"+f.Container+"#Email") {
			t.Errorf("email field %+v", f)
		}
	}
	doc, _ := json.Marshal(inv)
	if strings.Contains(string(doc), "jane.doe@example.org") || strings.Contains(string(doc), "amir.khan") || strings.Contains(string(doc), "Quonk") {
		t.Errorf("a raw value reached the inventory")
	}
}

func TestAHeaderRowThatIsARecordNeverNamesAField(t *testing.T) {
	inv, err := Run(context.Background(), []Source{&fake{name: "s", units: []string{"headerless.csv"}}},
		Options{Engine: engine(t), Clock: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range inv.Fields {
		names = append(names, f.Field)
	}
	if strings.Join(names, ",") != "column_1,column_2,column_3" {
		t.Errorf("fields %v, want numbered columns", names)
	}
	if c := inv.Containers[0]; c.RowsSampled != 2 || c.RowsTotal != 2 {
		t.Errorf("the header record goes back into the sample: %+v", c)
	}
	doc, _ := json.Marshal(inv)
	for _, leak := range []string{"Quonk", "zebedee", "Schizophrenia"} {
		if strings.Contains(string(doc), leak) {
			t.Errorf("%q from the header record reached the inventory", leak)
		}
	}
	for _, f := range inv.Fields {
		if f.Field == "column_1" && !f.Personal {
			t.Errorf("the names column is not personal: %+v", f.Finding)
		}
	}
}

func TestInterruptedRunIsMarkedAndListsWhatItMissed(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srcs := []Source{
		&fake{name: "first", units: []string{"t1.csv", "stop"}, cancel: cancel},
		&fake{name: "second", units: []string{"t2.csv"}},
	}
	inv, err := Run(ctx, srcs, Options{Engine: engine(t), Workers: 1, Clock: fixedClock})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run error %v, want context.Canceled", err)
	}
	if inv == nil || inv.Complete {
		t.Fatalf("an interrupted run returns its inventory marked incomplete: %+v", inv)
	}
	if len(inv.Sources) != 2 || inv.Sources[0].Status != StatusPartial || inv.Sources[1].Status != StatusFailed {
		t.Fatalf("sources %+v: the interrupted one partial, the one never reached failed", inv.Sources)
	}
	if !strings.Contains(inv.Sources[1].Error, "interrupted") {
		t.Errorf("the missed source says why: %q", inv.Sources[1].Error)
	}
}

// counting is a fake source that can count stale records: two of five in every table, one of three files in
// every folder.
type counting struct {
	fake
	mu      sync.Mutex
	queries []StaleQuery
}

func (c *counting) Info() SourceInfo { return SourceInfo{Name: c.name, Kind: "files"} }

func (c *counting) CountStale(_ context.Context, q StaleQuery) (StaleCount, error) {
	c.mu.Lock()
	c.queries = append(c.queries, q)
	c.mu.Unlock()
	if len(q.Conditions) == 0 {
		return StaleCount{Stale: 1, Total: 3, Method: MethodMtime}, nil
	}
	old := time.Date(2011, 4, 5, 0, 0, 0, 0, time.UTC)
	return StaleCount{Stale: 2, Total: 5, Missing: 1, Oldest: &old, Method: MethodExact}, nil
}

type planner struct{}

func (planner) Plan(container string, cols []Column) []RetentionJob {
	if len(cols) == 0 || !strings.HasSuffix(container, ".csv") {
		return nil
	}
	cut := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	return []RetentionJob{{Rule: "tenancy-file", RecordType: "Tenancy file", Field: "Email", Period: "P6Y",
		Query: StaleQuery{Conditions: []Condition{{Field: "Email", Cutoff: cut}}}}}
}

func (planner) PlanFolder(folder string) []RetentionJob {
	if !strings.HasPrefix(folder, "letters/") {
		return nil
	}
	return []RetentionJob{{Rule: "letters", Period: "P6Y", Query: StaleQuery{Cutoff: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}}}
}

func TestRetentionIsCountedWhereTheSourceCan(t *testing.T) {
	src := &counting{fake: fake{name: "share",
		units: []string{"letters/2019/a.csv", "letters/b.csv", "letters/new.txt", "letters/old.txt", "t.csv"},
		mod: map[string]time.Time{
			"letters/old.txt": time.Date(2010, 5, 6, 23, 30, 0, 0, time.UTC),
			"letters/new.txt": time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		}}}
	inv, err := Run(context.Background(), []Source{src}, Options{Engine: engine(t), Clock: fixedClock, Retention: planner{}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range inv.Retention {
		got = append(got, fmt.Sprintf("%s %s %s %d/%d %s", r.Container, r.Rule, r.Cutoff, r.StaleRows, r.TotalRows, r.Method))
	}
	want := []string{
		"letters/ letters 2020-01-01 1/2 mtime", // letters/2019/ is inside it: not counted twice; the .csv files are counted by row
		"letters/2019/a.csv tenancy-file 2020-01-01 2/5 exact",
		"letters/b.csv tenancy-file 2020-01-01 2/5 exact",
		"t.csv tenancy-file 2020-01-01 2/5 exact",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("retention register:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s := inv.Summary; s.RetentionChecked != 4 || s.RetentionBreaches != 4 || s.StaleRows != 7 {
		t.Errorf("summary: checked %d, breaches %d, stale %d", s.RetentionChecked, s.RetentionBreaches, s.StaleRows)
	}
	for _, q := range src.queries {
		if q.Unit == "" && len(q.Conditions) > 0 {
			t.Errorf("a table's query lacks its unit: %+v", q)
		}
		if len(q.Conditions) == 0 {
			t.Errorf("a folder was counted by the source (%s): folders are judged from the listing", q.Container)
		}
	}
	r := inv.Retention[0]
	if !strings.Contains(r.Note, "left out") || r.Oldest == nil || r.Oldest.Format(time.DateOnly) != "2010-05-06" {
		t.Errorf("folder line %+v: the files counted row by row are left out, oldest is the old file's day", r)
	}
}

// consentPlanner plans a retention job and a consent job for every table, and nothing for folders.
type consentPlanner struct{}

func (consentPlanner) Plan(container string, cols []Column) []RetentionJob {
	if len(cols) == 0 {
		return nil
	}
	ret := planner{}.Plan(container, cols)
	cut := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	return append(ret, RetentionJob{Kind: KindConsent, Rule: "consent-refresh", RecordType: "Consent", Field: "Email",
		Period: "P24M", Query: StaleQuery{Conditions: []Condition{{Field: "Email", Cutoff: cut}}}})
}

func (consentPlanner) PlanFolder(string) []RetentionJob { return nil }

func TestConsentLinesAreCountedApartFromRetention(t *testing.T) {
	src := &counting{fake: fake{name: "share", units: []string{"a.csv", "b.csv"}}}
	inv, err := Run(context.Background(), []Source{src}, Options{Engine: engine(t), Clock: fixedClock, Retention: consentPlanner{}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range inv.Retention {
		got = append(got, fmt.Sprintf("%s %q %s %s %d/%d missing %d", r.Container, r.Kind, r.Rule, r.Cutoff, r.StaleRows, r.TotalRows, r.MissingRows))
	}
	want := []string{
		`a.csv "" tenancy-file 2020-01-01 2/5 missing 0`, // an empty date on a retention line is an open record
		`a.csv "consent" consent-refresh 2024-01-02 2/5 missing 1`,
		`b.csv "" tenancy-file 2020-01-01 2/5 missing 0`,
		`b.csv "consent" consent-refresh 2024-01-02 2/5 missing 1`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("register:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	s := inv.Summary
	if s.RetentionChecked != 2 || s.RetentionBreaches != 2 || s.StaleRows != 4 {
		t.Errorf("retention summary counts consent: checked %d, breaches %d, stale %d", s.RetentionChecked, s.RetentionBreaches, s.StaleRows)
	}
	if s.ConsentDue != 4 || s.ConsentMissing != 2 {
		t.Errorf("consent summary: due %d, missing %d; want 4 and 2", s.ConsentDue, s.ConsentMissing)
	}
	b, err := json.Marshal(inv.Retention[0])
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"kind"`) || strings.Contains(string(b), `"missing_rows"`) {
		t.Errorf("a retention line carries consent keys: %s", b)
	}
}

type panickyCounter struct{}

func (panickyCounter) CountStale(context.Context, StaleQuery) (StaleCount, error) {
	panic("cell QQ123456C could not be read")
}

func TestCountStaleTurnsACounterPanicIntoThatCountsError(t *testing.T) {
	j := RetentionJob{Rule: "tenancy", Query: StaleQuery{Container: "rents.csv", Conditions: []Condition{{Field: "End", Cutoff: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}}}}
	r := countStale(context.Background(), panickyCounter{}, "share", j)
	if r.Method != "" || !strings.Contains(r.Error, "internal error") {
		t.Errorf("result %+v: want not counted, with an internal error", r)
	}
	if strings.Contains(r.Error, "QQ123456C") {
		t.Errorf("error %q quotes the panic's value", r.Error)
	}
}

func TestCountNoteAndHoldValues(t *testing.T) {
	got := CountNote{TextDates: []string{"ended"}, Unreadable: 2, Numeric: 1, Skipped: 1, Held: 1}.String()
	want := "dates in ended are stored as text and read as dd/mm/yyyy or yyyy-mm-dd; 2 rows have a date the count could not read (not counted as stale), 1 of them stored as a number (a Julian day or Unix time cannot be told apart); 1 record could not be parsed (not counted as stale); 1 row past the cutoff under legal hold (not counted as stale)"
	if got != want {
		t.Errorf("note:\n%s\nwant\n%s", got, want)
	}
	if (CountNote{}).String() != "" {
		t.Errorf("an empty note says something")
	}
	if got := strings.Join(HoldValues([]string{" Yes ", "Litigation"}, true), ","); got != "yes,true,1,litigation" {
		t.Errorf("HoldValues = %s", got)
	}
	if got := strings.Join(HoldValues([]string{"Y"}, false), ","); got != "y" {
		t.Errorf("HoldValues on text = %s", got)
	}
}
