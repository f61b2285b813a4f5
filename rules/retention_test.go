package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/datamap-uk/datamap/detectors"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var retentionAsOf = day(2026, 6, 30)

func defaultSchedule(t testing.TB) *Schedule {
	t.Helper()
	s, err := DefaultSchedule()
	if err != nil {
		t.Fatalf("default schedule: %v", err)
	}
	return s
}

func decode(t *testing.T, text string) *Schedule {
	t.Helper()
	s, err := DecodeSchedule(strings.NewReader(text), "test")
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return s
}

// matchRule returns the match of rule id, failing the test when there is none.
func matchRule(t *testing.T, ms []Match, id string) Match {
	t.Helper()
	for _, m := range ms {
		if m.Rule.ID == id {
			return m
		}
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.Rule.ID)
	}
	t.Fatalf("no match for rule %s; got %v", id, got)
	return Match{}
}

func winner(t *testing.T, ms []Match) Match {
	t.Helper()
	n := 0
	var w Match
	for _, m := range ms {
		if m.Winner {
			n++
			w = m
		}
	}
	if n != 1 {
		t.Fatalf("%d winners among %d matches", n, len(ms))
	}
	return w
}

func dates(n int, start time.Time, layout string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = start.AddDate(0, 0, 37*i).Format(layout)
	}
	return out
}

func TestDefaultScheduleIsWellFormed(t *testing.T) {
	s := defaultSchedule(t)
	if len(s.Rules) < 22 {
		t.Errorf("default schedule has %d rules, want the expressible rows of §3.2 (22 or more)", len(s.Rules))
	}
	for _, tr := range []string{"tenancy_end", "lease_end", "debt_closed", "case_closed", "decision_date", "last_contact",
		"job_completed", "record_date", "employment_end", "fy_end", "tax_year_end", "prp_following_end", "dob", "superseded"} {
		if _, ok := s.Triggers[tr]; !ok {
			t.Errorf("trigger %s of §3.1 is missing", tr)
		}
	}
	for _, r := range s.Rules {
		t.Run(r.ID, func(t *testing.T) {
			if r.Origin != "default" {
				t.Errorf("origin %q, want default", r.Origin)
			}
			switch {
			case r.IsConsent():
				// Consent freshness is not a §3.2 row: it cites the ICO's consent guidance instead.
				if !strings.Contains(r.BasisText, "ICO") || !strings.Contains(r.BasisText, "DPO") {
					t.Errorf("consent basis_text must cite ICO guidance and leave the period to the DPO")
				}
			case r.BasisText == "" || !strings.Contains(r.BasisText, "§3.2 row"):
				t.Errorf("basis_text must cite its §3.2 row for the DPO")
			}
			if len(s.Triggers[r.Trigger].Fields)+len(r.Fields) == 0 {
				t.Errorf("no field cues for trigger %s", r.Trigger)
			}
		})
	}
	header := strings.ToUpper(string(defaultScheduleTOML[:1200]))
	for _, want := range []string{"DATA PROTECTION OFFICER MUST CONFIRM", "NATIONAL HOUSING FEDERATION", "RECONCILE"} {
		if !strings.Contains(header, want) {
			t.Errorf("header comment does not say %q", want)
		}
	}
}

func TestDecodeScheduleRejectsBadInput(t *testing.T) {
	const good = `id = "tenancy-file"
record_type = "Tenancy file"
period = "P6Y"
trigger = "tenancy_end"
basis = "limitation"
containers = ["tenancy"]`
	cases := []struct {
		name, text, want string
	}{
		{"rejects an unknown top-level key", "colour = 1\n", "unknown keys: colour"},
		{"rejects an unknown rule key", "[[rule]]\n" + good + "\nexpr = \"max()\"\n", "unknown keys: rule.expr"},
		{"rejects an unknown later_of key", "[[rule]]\n" + good + "\nlater_of = [{trigger = \"dob\", period = \"P25Y\", when = 1}]\n", "rule.later_of.when"},
		{"rejects a period without P", "[[rule]]\n" + strings.Replace(good, `"P6Y"`, `"6Y"`, 1), `retention rule "tenancy-file": bad period "6Y"`},
		{"rejects a later_of period", "[[rule]]\n" + good + "\nlater_of = [{trigger = \"dob\", period = \"P25\"}]\n", `later_of dob: bad period "P25"`},
		{"rejects an unknown basis", "[[rule]]\n" + strings.Replace(good, `"limitation"`, `"hunch"`, 1), `basis "hunch" is not one of`},
		{"rejects a rule id that is not kebab-case", "[[rule]]\n" + strings.Replace(good, "tenancy-file", "Tenancy_File", 1), "kebab-case"},
		{"rejects a rule with no container cues", "[[rule]]\n" + strings.Replace(good, `containers = ["tenancy"]`, "", 1), "containers is empty"},
		{"rejects files on a later_of rule", "[[rule]]\n" + good + "\nfiles = true\nlater_of = [{trigger = \"dob\", period = \"P25Y\"}]\n", "files cannot be set"},
		{"rejects malformed TOML", "[[rule]\n", "retention schedule test"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeSchedule(strings.NewReader(c.text), "test")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestMergeScheduleOverridesExtendsAndDisables(t *testing.T) {
	base := defaultSchedule(t)
	user := decode(t, `
financial_year_end = "12-31"
disable = ["cctv-recording"]

[trigger.visit_date]
fields = ["visit date"]

[[rule]]
id = "tenancy-file"
record_type = "Tenancy file (our policy)"
period = "P7Y"
trigger = "tenancy_end"
basis = "organisation"
containers = ["tenancy"]

[[rule]]
id = "home-visit"
record_type = "Home visit notes"
period = "P2Y"
trigger = "visit_date"
basis = "organisation"
containers = ["home visit"]

[[hold]]
containers = ["litigation/*"]

[[pin]]
container = "public.home_visits"
rule = "home-visit"
field = "when_seen"
`)
	merged, err := MergeSchedule(base, user)
	if err != nil {
		t.Fatalf("merge: %v", err)
	}
	if merged.FinancialYearEnd != "12-31" {
		t.Errorf("financial year end %q, want the user's", merged.FinancialYearEnd)
	}
	ids := func(s *Schedule) []string {
		var out []string
		for _, r := range s.Rules {
			out = append(out, r.ID)
		}
		return out
	}
	if slices.Contains(ids(merged), "cctv-recording") {
		t.Errorf("disabled rule still present")
	}
	if !slices.Contains(ids(base), "cctv-recording") {
		t.Errorf("merge changed the base schedule")
	}
	i := slices.Index(ids(merged), "tenancy-file")
	if i < 0 || merged.Rules[i].Period != "P7Y" || merged.Rules[i].Basis != "organisation" {
		t.Errorf("override by ID did not replace tenancy-file")
	}
	if i != slices.Index(ids(base), "tenancy-file") {
		t.Errorf("override moved the rule: schedule order decides ties")
	}
	if ids(merged)[len(merged.Rules)-1] != "home-visit" {
		t.Errorf("new rule not appended")
	}
	ms := merged.Match("public.home_visits", []ColumnInfo{{Name: "when_seen", Type: "date"}}, retentionAsOf)
	m := matchRule(t, ms, "home-visit")
	if m.Field != "when_seen" || !m.Countable() {
		t.Errorf("pin from a merged file not applied: %+v", m)
	}
	if m := matchRule(t, merged.MatchFolder("Litigation/Leaseholders", retentionAsOf), "lease-file"); !m.Held {
		t.Errorf("hold from a merged file not applied")
	}

	bad := []struct{ name, text, want string }{
		{"rejects disabling an unknown rule", `disable = ["no-such-rule"]`, `disable names unknown rule "no-such-rule"`},
		{"rejects an unknown trigger", `[[rule]]
id = "x"
record_type = "X"
period = "P1Y"
trigger = "moon_phase"
basis = "organisation"
containers = ["x"]`, `retention rule "x": unknown trigger "moon_phase"`},
		{"rejects a pin for an unknown rule", `[[pin]]
container = "*"
rule = "nope"
field = "d"`, `rule "nope"): unknown rule`},
		{"rejects a pin for a trigger the rule lacks", `[[pin]]
container = "*"
rule = "tenancy-file"
trigger = "dob"
field = "d"`, `has no trigger "dob"`},
		{"rejects a hold with values but no field", `[[hold]]
values = ["yes"]`, "field and values go together"},
		{"rejects a bad financial year end", `financial_year_end = "02-29"`, "financial_year_end"},
		{"rejects an unknown adjustment", `[trigger.x]
adjust = "lunar"`, `adjust "lunar"`},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			u := decode(t, c.text)
			_, err := MergeSchedule(base, u)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestLoadScheduleReadsAFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "retention.toml")
	if err := os.WriteFile(name, []byte("disable = [\"payroll\"]\n[[rule]]\nid = \"a\"\nrecord_type = \"A\"\nperiod = \"P1Y\"\ntrigger = \"record_date\"\nbasis = \"organisation\"\ncontainers = [\"a\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	u, err := LoadSchedule(name)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if u.Rules[0].Origin != name {
		t.Errorf("origin %q, want the file name", u.Rules[0].Origin)
	}
	if _, err := LoadSchedule(filepath.Join(dir, "missing.toml")); err == nil {
		t.Errorf("missing file loaded")
	}
}

func TestParsePeriod(t *testing.T) {
	good := []struct {
		in   string
		want Period
	}{
		{"P6Y", Period{Years: 6}},
		{"P6M", Period{Months: 6}},
		{"P31D", Period{Days: 31}},
		{"P2W", Period{Weeks: 2}},
		{"P1Y6M", Period{Years: 1, Months: 6}},
		{"P1Y2M3W4D", Period{1, 2, 3, 4}},
		{"P0Y3D", Period{Days: 3}},
	}
	for _, c := range good {
		t.Run("accepts "+c.in, func(t *testing.T) {
			p, err := ParsePeriod(c.in)
			if err != nil || p != c.want {
				t.Fatalf("ParsePeriod(%q) = %+v, %v; want %+v", c.in, p, err, c.want)
			}
		})
	}
	for _, in := range []string{"", "P", "6Y", "p6y", "P6y", "P6", "PY", "P-6Y", "P6.5Y", "P1M1Y", "P6Y6Y", "PT1H", "P1DT1H", "P0D", "P0Y0M", "P 6Y", "P6Y ", "P1001Y", "P99999999Y"} {
		t.Run(fmt.Sprintf("rejects %q", in), func(t *testing.T) {
			if p, err := ParsePeriod(in); err == nil {
				t.Fatalf("ParsePeriod(%q) = %+v, want an error", in, p)
			}
		})
	}
}

func TestPeriodCutoffClampsToTheEndOfTheMonth(t *testing.T) {
	cases := []struct {
		name   string
		period string
		asOf   time.Time
		want   time.Time
	}{
		{"P6Y from 28 February 2026 lands on 28 February 2020", "P6Y", day(2026, 2, 28), day(2020, 2, 28)},
		{"P6Y from 1 March 2026 lands on 1 March 2020", "P6Y", day(2026, 3, 1), day(2020, 3, 1)},
		{"P1Y from a leap day clamps to 28 February", "P1Y", day(2024, 2, 29), day(2023, 2, 28)},
		{"P4Y from a leap day keeps the leap day", "P4Y", day(2024, 2, 29), day(2020, 2, 29)},
		{"P6M from 31 August clamps to 28 February", "P6M", day(2026, 8, 31), day(2026, 2, 28)},
		{"P6M from 31 August 2024 clamps to the leap day", "P6M", day(2024, 8, 31), day(2024, 2, 29)},
		{"P1M from 31 March clamps to 28 February", "P1M", day(2026, 3, 31), day(2026, 2, 28)},
		{"P13M crosses a year", "P13M", day(2026, 1, 15), day(2024, 12, 15)},
		{"P31D counts days exactly", "P31D", day(2026, 3, 1), day(2026, 1, 29)},
		{"P2W counts weeks as days", "P2W", day(2026, 1, 3), day(2025, 12, 20)},
		{"P1Y1D subtracts the year then the day", "P1Y1D", day(2024, 3, 1), day(2023, 2, 28)},
		{"uses the UTC calendar date of asOf", "P1Y", time.Date(2026, 6, 1, 0, 30, 0, 0, time.FixedZone("BST", 3600)), day(2025, 5, 31)},
		{"drops the time of day", "P6Y", time.Date(2026, 2, 28, 23, 59, 0, 0, time.UTC), day(2020, 2, 28)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := ParsePeriod(c.period)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Cutoff(c.asOf); !got.Equal(c.want) || got.Location() != time.UTC {
				t.Fatalf("%s before %s = %s, want %s", c.period, c.asOf.Format(time.RFC3339), got, c.want)
			}
		})
	}
}

// A record dated the leap day is kept through 28 February six years on and is stale from 1 March (brief:
// "P6Y from 2020-02-29 lands on 2026-02-28").
func TestLeapDayRecordBecomesStaleAfterItsAnniversary(t *testing.T) {
	p, _ := ParsePeriod("P6Y")
	rec := day(2020, 2, 29)
	if c := p.Cutoff(day(2026, 2, 28)); rec.Before(c) {
		t.Errorf("stale on 2026-02-28 (cutoff %s), its clamped anniversary", c)
	}
	if c := p.Cutoff(day(2026, 3, 1)); !rec.Before(c) {
		t.Errorf("not stale on 2026-03-01 (cutoff %s)", c)
	}
}

func TestTriggerAdjustedCutoffs(t *testing.T) {
	s := defaultSchedule(t)
	cases := []struct {
		name   string
		rule   string
		table  string
		cols   []ColumnInfo
		asOf   time.Time
		cutoff time.Time
	}{
		// asOf - P6Y = 2020-06-30; the last year end before it is 2020-03-31: transactions up to that day are stale.
		{"financial year ending 31 March", "rent-account", "rent_ledger", []ColumnInfo{{Name: "transaction_date", Type: "date"}}, retentionAsOf, day(2020, 4, 1)},
		// asOf - P6Y = 2020-03-31 is itself a year end, not yet passed: the year before is the last one ended.
		{"on the financial year end itself", "rent-account", "rent_ledger", []ColumnInfo{{Name: "transaction_date", Type: "date"}}, day(2026, 3, 31), day(2019, 4, 1)},
		// asOf - P6Y = 2020-06-30; the last 5 April before it is 2020-04-05.
		{"tax year ending 5 April", "payroll", "payroll_history", []ColumnInfo{{Name: "pay_date", Type: "date"}}, retentionAsOf, day(2020, 4, 6)},
		// asOf - P6Y = 2020-06-30; a record of May 2020 is followed by June's period, ending 2020-06-30, not before.
		{"pay reference period following", "nmw-record", "nmw_timesheets", []ColumnInfo{{Name: "week_ending", Type: "date"}}, retentionAsOf, day(2020, 5, 1)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := matchRule(t, s.Match(c.table, c.cols, c.asOf), c.rule)
			if !m.Countable() || !m.Conditions[0].Cutoff.Equal(c.cutoff) || !m.Cutoff.Equal(c.cutoff) {
				t.Fatalf("conditions %+v cutoff %s, want cutoff %s (%s)", m.Conditions, m.Cutoff, c.cutoff, m.Why)
			}
		})
	}
}

// TestSampleDate checks the workbook serials sampleDate adds; the text formats are detectors.ParseCellDate's
// and are tested there.
func TestSampleDate(t *testing.T) {
	good := []struct {
		in      string
		serials bool
		want    time.Time
	}{
		{"2019-07-05", false, day(2019, 7, 5)},
		{"5/7/19", false, day(2019, 7, 5)},
		{"5/7/27", false, day(1927, 7, 5)}, // the as-of year's pivot (26), no longer Excel's fixed 29
		{"2019-06-01 00:30:00+01", true, day(2019, 5, 31)},
		{"43651", true, day(2019, 7, 5)},
		{" 43651 ", true, day(2019, 7, 5)},
		{"43651.75", true, day(2019, 7, 5)},
		{"3000", true, day(1908, 3, 18)}, // the smallest serial read: the stale counter's floor too
	}
	for _, c := range good {
		t.Run("reads "+c.in, func(t *testing.T) {
			got, ok := sampleDate(c.in, c.serials, 26)
			if !ok || !got.Equal(c.want) || got.Location() != time.UTC {
				t.Fatalf("sampleDate(%q) = %s, %v; want %s", c.in, got, ok, c.want)
			}
		})
	}
	bad := []struct {
		in      string
		serials bool
	}{
		{"", true}, {"yes", true}, {"43651", false}, {"60", true}, {"0", true}, {"-5", true},
		{"1e5", true}, {"43651.", true}, {"43651.5x", true}, {"29/02/2019", true},
		// Small numbers are years, counts or codes, not dates, as the stale counter reads them.
		{"1", true}, {"59", true}, {"61", true}, {"2019", true}, {"2999", true},
	}
	for _, c := range bad {
		t.Run(fmt.Sprintf("rejects %q", c.in), func(t *testing.T) {
			if got, ok := sampleDate(c.in, c.serials, 26); ok {
				t.Fatalf("sampleDate(%q) = %s, want no date", c.in, got)
			}
		})
	}
}

func TestMatchFindsDateFieldsInHousingTables(t *testing.T) {
	s := defaultSchedule(t)
	asOf := retentionAsOf
	cases := []struct {
		name      string
		container string
		cols      []ColumnInfo
		rule      string
		winner    string
		field     string
		conds     []Condition // nil: not countable
		why       []string
	}{
		{
			name:      "tenancies table uses the tenancy end, not the start or birth date",
			container: "public.tenancies",
			cols: []ColumnInfo{
				{Name: "tenancy_id", Type: "integer"},
				{Name: "tenancy_start", Type: "date"},
				{Name: "tenancy_end", Type: "date"},
				{Name: "dob", Type: "date"},
			},
			rule: "tenancy-file", winner: "tenancy-file", field: "tenancy_end",
			conds: []Condition{{"tenancy_end", day(2020, 6, 30)}},
			why:   []string{"tenancy_end: chose 'tenancy_end' (name cue 'tenancy end', date type)", "'tenancy_start' (name cue rejected: start)", "'dob' (name cue rejected: dob)"},
		},
		{
			name:      "ASB cases use closed, not opened, from text dates",
			container: "housing.ASB_Cases",
			cols: []ColumnInfo{
				{Name: "case_ref", Type: "varchar(20)", Values: []string{"ASB-1", "ASB-2"}},
				{Name: "opened", Type: "varchar(10)", Values: dates(10, day(2015, 1, 5), "02/01/2006")},
				{Name: "closed", Type: "varchar(10)", Values: append(dates(9, day(2016, 1, 5), "02/01/2006"), "")},
			},
			rule: "asb-case", winner: "asb-case", field: "closed",
			conds: []Condition{{"closed", day(2020, 6, 30)}},
			why:   []string{"chose 'closed' (name cue 'closed', 100% of 9 sampled values are dates)", "'opened' (name cue rejected: opened)"},
		},
		{
			name:      "a boolean closed flag is not the close date",
			container: "asb_cases",
			cols: []ColumnInfo{
				{Name: "closed", Type: "boolean"},
				{Name: "date_closed", Type: "timestamp with time zone"},
			},
			rule: "asb-case", winner: "asb-case", field: "date_closed",
			conds: []Condition{{"date_closed", day(2020, 6, 30)}},
			why:   []string{"chose 'date_closed' (name cue 'date closed', date type)", "'closed' (name cue 'closed' but type boolean is not a date)"},
		},
		{
			name:      "staff table uses the leaving date",
			container: "hr.staff",
			cols: []ColumnInfo{
				{Name: "start_date", Type: "date"},
				{Name: "leaving_date", Type: "date"},
				{Name: "date_of_birth", Type: "date"},
			},
			rule: "personnel-file", winner: "personnel-file", field: "leaving_date",
			conds: []Condition{{"leaving_date", day(2020, 6, 30)}},
			why:   []string{"chose 'leaving_date' (name cue 'leaving date', date type)", "'start_date' (name cue rejected: start)"},
		},
		{
			name:      "children's safeguarding adds the 25th birthday and beats the adult rule",
			container: "ChildrensSafeguarding",
			cols: []ColumnInfo{
				{Name: "ReferralDate", Type: "date"},
				{Name: "ClosedDate", Type: "date"},
				{Name: "ChildDOB", Type: "date"},
			},
			rule: "safeguarding-child", winner: "safeguarding-child", field: "ClosedDate",
			conds: []Condition{{"ClosedDate", day(2020, 6, 30)}, {"ChildDOB", day(2001, 6, 30)}},
			why:   []string{"case_closed: chose 'ClosedDate'", "dob (later of): chose 'ChildDOB' (name cue 'child dob', date type)"},
		},
		{
			name:      "a later_of date of birth that cannot be found stops the count",
			container: "child_protection_cases",
			cols:      []ColumnInfo{{Name: "closed_on", Type: "date"}},
			rule:      "safeguarding-child", winner: "safeguarding-child", field: "closed_on",
			conds: nil,
			why:   []string{"dob (later of): no date field for trigger dob", "no count possible"},
		},
		{
			name:      "a table with no date is reported and explained",
			container: "public.tenants",
			cols: []ColumnInfo{
				{Name: "tenant_id", Type: "integer"},
				{Name: "name", Type: "text", Values: []string{"Ada Example", "Ben Sample"}},
				{Name: "ended", Type: "text", Values: []string{"yes", "no", "no"}},
			},
			rule: "tenancy-file", winner: "tenancy-file", field: "",
			conds: nil,
			why:   []string{"tenancy_end: no date field for trigger tenancy_end; considered 'ended' (name cue 'ended' but only 0% of 3 sampled values are dates)", "no count possible"},
		},
		{
			name:      "an unhelpfully named column is found by its values",
			container: "tenancy_export.csv",
			cols: []ColumnInfo{
				{Name: "ref", Values: []string{"T1", "T2", "T3"}},
				{Name: "d1", Values: append(dates(19, day(2012, 3, 4), "2 January 2006"), "unknown")},
			},
			rule: "tenancy-file", winner: "tenancy-file", field: "d1",
			conds: []Condition{{"d1", day(2020, 6, 30)}},
			why:   []string{"chose 'd1' (no name cue, the only date column, 95% of 20 sampled values are dates)"},
		},
		{
			name:      "two unnamed date columns are not guessed between",
			container: "tenancy_export.csv",
			cols: []ColumnInfo{
				{Name: "d1", Values: dates(5, day(2012, 3, 4), "2006-01-02")},
				{Name: "d2", Values: dates(5, day(2013, 3, 4), "2006-01-02")},
			},
			rule: "tenancy-file", winner: "tenancy-file", field: "", conds: nil,
			why: []string{"no date field for trigger tenancy_end; considered 'd1' (no name cue: 100% of 5 sampled values are dates), 'd2'"},
		},
		{
			name:      "Excel serial dates in a sheet",
			container: "Former tenants.xlsx!Sheet1",
			cols: []ColumnInfo{
				{Name: "Tenant", Values: []string{"A", "B"}},
				{Name: "Vacated", Type: "number", Values: []string{"43651", "44000", "44377.5", ""}},
			},
			rule: "tenancy-file", winner: "tenancy-file", field: "Vacated",
			conds: []Condition{{"Vacated", day(2020, 6, 30)}},
			why:   []string{"chose 'Vacated' (name cue 'vacated', 100% of 3 sampled values are dates)"},
		},
		{
			name:      "serial numbers in a database are not dates",
			container: "public.tenancies",
			cols:      []ColumnInfo{{Name: "end_code", Type: "integer", Values: []string{"43651", "44000"}}},
			rule:      "tenancy-file", winner: "tenancy-file", field: "", conds: nil,
			why: []string{"no date field for trigger tenancy_end"},
		},
		{
			name:      "a date column named for another trigger is not taken as the unnamed one",
			container: "staff_allegations",
			cols:      []ColumnInfo{{Name: "closed_date", Type: "date"}, {Name: "dob", Type: "date"}},
			rule:      "personnel-file", winner: "staff-allegation-child", field: "", conds: nil,
			why: []string{"no date field for trigger employment_end; considered 'closed_date' (no name cue: date type)"},
		},
		{
			name:      "staff allegations keep longer than the personnel file",
			container: "staff_allegations",
			cols: []ColumnInfo{
				{Name: "closed_date", Type: "date"},
				{Name: "leaving_date", Type: "date"},
				{Name: "dob", Type: "date"},
			},
			rule: "personnel-file", winner: "staff-allegation-child", field: "leaving_date",
			conds: []Condition{{"leaving_date", day(2020, 6, 30)}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ms := s.Match(c.container, c.cols, asOf)
			m := matchRule(t, ms, c.rule)
			if w := winner(t, ms); w.Rule.ID != c.winner {
				t.Errorf("winner %s, want %s", w.Rule.ID, c.winner)
			}
			if m.Field != c.field {
				t.Errorf("field %q, want %q (%s)", m.Field, c.field, m.Why)
			}
			if !slices.Equal(m.Conditions, c.conds) {
				t.Errorf("conditions %+v, want %+v (%s)", m.Conditions, c.conds, m.Why)
			}
			if m.Countable() != (c.conds != nil) {
				t.Errorf("countable %v", m.Countable())
			}
			for _, w := range c.why {
				if !strings.Contains(m.Why, w) {
					t.Errorf("why %q\n  does not contain %q", m.Why, w)
				}
			}
		})
	}
}

func TestMatchIgnoresUnrelatedContainers(t *testing.T) {
	s := defaultSchedule(t)
	for _, name := range []string{"public.properties", "lookup.postcodes", "Budget 2026.xlsx!Summary"} {
		if ms := s.Match(name, []ColumnInfo{{Name: "created", Type: "date"}}, retentionAsOf); len(ms) != 0 {
			t.Errorf("%s matched %d rules, first %s", name, len(ms), ms[0].Rule.ID)
		}
	}
}

func TestOptionalLaterOfIsDroppedWithANote(t *testing.T) {
	s := defaultSchedule(t)
	m := matchRule(t, s.Match("adult_safeguarding", []ColumnInfo{{Name: "closed_date", Type: "date"}}, retentionAsOf), "safeguarding-adult")
	if !slices.Equal(m.Conditions, []Condition{{"closed_date", day(2020, 6, 30)}}) {
		t.Errorf("conditions %+v", m.Conditions)
	}
	if !strings.Contains(m.Why, "last_contact (later of): no date field for trigger last_contact; optional condition dropped") {
		t.Errorf("why %q", m.Why)
	}
	m = matchRule(t, s.Match("adult_safeguarding", []ColumnInfo{{Name: "closed_date", Type: "date"}, {Name: "last_contact", Type: "date"}}, retentionAsOf), "safeguarding-adult")
	if len(m.Conditions) != 2 || m.Conditions[1].Field != "last_contact" {
		t.Errorf("conditions %+v, want the last contact as well", m.Conditions)
	}
}

func TestPinOverridesDiscovery(t *testing.T) {
	base := defaultSchedule(t)
	user := decode(t, `
[[pin]]
container = "public.tenanc*"
rule = "tenancy-file"
field = "possession_order_date"

[[pin]]
container = "legacy.t_*"
rule = "tenancy-file"
field = "dt2"

[[pin]]
container = "kids.*"
rule = "safeguarding-child"
trigger = "dob"
field = "born_yr_mth_day"

[[pin]]
container = "public.tenancies_old"
rule = "tenancy-file"
field = "no_such_column"
`)
	s, err := MergeSchedule(base, user)
	if err != nil {
		t.Fatal(err)
	}
	cols := []ColumnInfo{{Name: "tenancy_end", Type: "date"}, {Name: "Possession_Order_Date", Type: "date"}}
	m := matchRule(t, s.Match("public.tenancies", cols, retentionAsOf), "tenancy-file")
	if m.Field != "Possession_Order_Date" || !strings.Contains(m.Why, "pinned to 'Possession_Order_Date' by configuration") {
		t.Errorf("pin not applied: field %q why %q", m.Field, m.Why)
	}

	// A pin applies its rule to a container whose name has no cue.
	m = matchRule(t, s.Match("legacy.t_0042", []ColumnInfo{{Name: "dt1"}, {Name: "dt2"}}, retentionAsOf), "tenancy-file")
	if m.Field != "dt2" || !m.Countable() {
		t.Errorf("pin did not apply the rule: %+v", m)
	}

	// A pinned later_of field.
	m = matchRule(t, s.Match("kids.child_protection", []ColumnInfo{{Name: "closed", Type: "date"}, {Name: "born_yr_mth_day", Type: "integer"}}, retentionAsOf), "safeguarding-child")
	if len(m.Conditions) != 2 || m.Conditions[1].Field != "born_yr_mth_day" {
		t.Errorf("later_of pin not applied: %+v (%s)", m.Conditions, m.Why)
	}

	// A pin naming a missing column does not fall back to discovery.
	m = matchRule(t, s.Match("public.tenancies_old", cols, retentionAsOf), "tenancy-file")
	if m.Countable() || !strings.Contains(m.Why, "pinned field 'no_such_column' is not a column") {
		t.Errorf("missing pinned column: %+v", m)
	}
}

func TestLegalHolds(t *testing.T) {
	base := defaultSchedule(t)
	user := decode(t, `
[[hold]]
containers = ["litigation/*", "public.tenancies_disputed"]
reason = "Smith v Example Housing"

[[hold]]
field = "legal_hold"
values = ["true", "yes", "1"]

[[hold]]
containers = ["asb.*"]
field = "ombudsman_open"
values = ["Y"]
`)
	s, err := MergeSchedule(base, user)
	if err != nil {
		t.Fatal(err)
	}
	cols := []ColumnInfo{{Name: "tenancy_end", Type: "date"}, {Name: "LegalHold", Type: "boolean"}, {Name: "ombudsman_open", Type: "text"}}
	cases := []struct {
		name      string
		container string
		held      bool
		hold      *Hold
	}{
		{"a row hold applies where the field exists", "public.tenancies", false, &Hold{Field: "LegalHold", Values: []string{"true", "yes", "1"}}},
		{"a container hold holds the whole table", "public.tenancies_disputed", true, &Hold{Field: "LegalHold", Values: []string{"true", "yes", "1"}}},
		{"container globs are case-insensitive and cover sub-folders", "Litigation/2019/tenancy file.docx", true, &Hold{Field: "LegalHold", Values: []string{"true", "yes", "1"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := matchRule(t, s.Match(c.container, cols, retentionAsOf), "tenancy-file")
			if m.Held != c.held {
				t.Errorf("held %v, want %v", m.Held, c.held)
			}
			if fmt.Sprint(m.Hold) != fmt.Sprint(c.hold) {
				t.Errorf("hold %+v, want %+v", m.Hold, c.hold)
			}
		})
	}
	m := matchRule(t, s.Match("tenancy_history", []ColumnInfo{{Name: "tenancy_end", Type: "date"}}, retentionAsOf), "tenancy-file")
	if m.Hold != nil || m.Held {
		t.Errorf("hold without its field: %+v", m)
	}
	m = matchRule(t, s.Match("asb.cases", []ColumnInfo{{Name: "closed", Type: "date"}, {Name: "Ombudsman Open", Type: "text"}}, retentionAsOf), "asb-case")
	if m.Hold == nil || m.Hold.Field != "Ombudsman Open" {
		t.Errorf("container-scoped row hold not applied: %+v", m.Hold)
	}
	if f := s.MatchFolder("litigation/", retentionAsOf); len(f) != 0 {
		t.Errorf("litigation/ has no rule cue, got %d matches", len(f))
	}
	f := s.MatchFolder("Litigation/Former tenants/", retentionAsOf)
	if len(f) == 0 || !f[0].Held {
		t.Errorf("folder under a held folder not held: %+v", f)
	}
}

func TestMatchFolderUsesModificationTimes(t *testing.T) {
	s := defaultSchedule(t)
	ms := s.MatchFolder("Housing/Former Tenants/2019/", retentionAsOf)
	m := matchRule(t, ms, "tenancy-file")
	if m.Conditions != nil || !m.Cutoff.Equal(day(2020, 6, 30)) || !m.Winner {
		t.Errorf("folder match %+v", m)
	}
	if !strings.Contains(m.Why, "modification time") {
		t.Errorf("why %q", m.Why)
	}
	for _, folder := range []string{"Safeguarding/Children/", "Accident book/"} {
		for _, m := range s.MatchFolder(folder, retentionAsOf) {
			if len(m.Rule.LaterOf) > 0 && !slices.ContainsFunc(m.Rule.LaterOf, func(l LaterOf) bool { return l.Optional }) {
				t.Errorf("%s: rule %s needs dates a file cannot give", folder, m.Rule.ID)
			}
			if !m.Rule.Files {
				t.Errorf("%s: rule %s is not a file rule", folder, m.Rule.ID)
			}
		}
	}
	if ms := s.MatchFolder("CCTV exports/", retentionAsOf); matchRule(t, ms, "cctv-recording").Cutoff != day(2026, 5, 30) {
		t.Errorf("cctv cutoff %s", ms[0].Cutoff)
	}
}

func TestWhyNeverHoldsValues(t *testing.T) {
	s := defaultSchedule(t)
	secret := []string{"Ada Example", "ada@example.org", "07700 900123"}
	cols := []ColumnInfo{
		{Name: "contact", Values: secret},
		{Name: "tenancy_end", Values: []string{"01/02/2018", "not known", "Ada Example"}},
		{Name: "end_date", Values: []string{"07700 900123", "x", "y"}},
	}
	for _, m := range s.Match("tenancies", cols, retentionAsOf) {
		for _, v := range append(secret, "01/02/2018", "not known") {
			if strings.Contains(m.Why, v) {
				t.Errorf("why %q holds a value", m.Why)
			}
		}
	}
}

func TestMatchOnAnInvalidLayerMatchesNothing(t *testing.T) {
	u := decode(t, "[[rule]]\nid = \"x\"\nrecord_type = \"X\"\nperiod = \"P1Y\"\ntrigger = \"undefined\"\nbasis = \"organisation\"\ncontainers = [\"x\"]\n")
	if err := u.Validate(); err == nil {
		t.Fatalf("a rule with an undefined trigger validated")
	}
	if ms := u.Match("x", nil, retentionAsOf); ms != nil {
		t.Errorf("got %d matches", len(ms))
	}
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"P6Y", "P6M", "P31D", "P2W", "P1Y2M3W4D", "6Y", "P", "PT1H", "P1000Y", "P0D", "P12000M"} {
		f.Add(s, int64(1772236800)) // 2026-02-28
	}
	f.Fuzz(func(t *testing.T, s string, unix int64) {
		p, err := ParsePeriod(s)
		if err != nil {
			return
		}
		q, err := ParsePeriod(p.String())
		if err != nil || q != p {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", s, p, p.String(), q, err)
		}
		asOf := time.Unix(unix%(1<<35), 0).UTC() // years around 1 to 3000
		c := p.Cutoff(asOf)
		if !c.Before(detectors.UTCDay(asOf)) {
			t.Fatalf("%s before %s = %s, not earlier", s, asOf, c)
		}
		if c != detectors.UTCDay(c) {
			t.Fatalf("cutoff %s is not a UTC midnight", c)
		}
		// Clamping never lands past the target month: the cutoff is in the month the years and months reach.
		y, m, _ := asOf.Date()
		months := y*12 + int(m) - 1 - (p.Years*12 + p.Months)
		if p.Weeks == 0 && p.Days == 0 && c.Year()*12+int(c.Month())-1 != months {
			t.Fatalf("%s before %s = %s, wrong month", s, asOf, c)
		}
	})
}

func FuzzSampleDate(f *testing.F) {
	for _, s := range []string{"2019-07-05", "2019-06-01 00:30:00+01", "05/07/2019", "5/7/19", "5 July 2019",
		"43651", "43651.5", "60", "61", "1", "60001", "29/02/2019", "05/07/2019 2:30 pm"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, serials bool) {
		d, ok := sampleDate(s, serials, 26)
		if !ok {
			return
		}
		if d != detectors.UTCDay(d) || d.Location() != time.UTC {
			t.Fatalf("sampleDate(%q) = %s, not a UTC midnight", s, d)
		}
		if d.Year() < 1800 || d.Year() > 2200 {
			t.Fatalf("sampleDate(%q) = %s, out of range", s, d)
		}
		if again, ok := sampleDate(d.Format("2006-01-02"), false, 26); !ok || !again.Equal(d) {
			t.Fatalf("ISO form of %s does not read back", d)
		}
	})
}

func BenchmarkMatchTenancies(b *testing.B) {
	s := defaultSchedule(b)
	cols := []ColumnInfo{
		{Name: "tenancy_id", Type: "integer"},
		{Name: "tenancy_start", Type: "text", Values: dates(200, day(2001, 1, 1), "02/01/2006")},
		{Name: "tenancy_end", Type: "text", Values: dates(200, day(2005, 1, 1), "2006-01-02 15:04:05-07")},
		{Name: "dob", Type: "date"},
		{Name: "notes", Type: "text", Values: dates(200, day(2005, 1, 1), "Monday 2 January")},
	}
	b.ReportAllocs()
	for b.Loop() {
		if len(s.Match("public.tenancies", cols, retentionAsOf)) == 0 {
			b.Fatal("no match")
		}
	}
}

func consentMatches(ms []Match) []Match {
	var out []Match
	for _, m := range ms {
		if m.Kind == KindConsent {
			out = append(out, m)
		}
	}
	return out
}

func TestConsentRuleMatchesByFieldName(t *testing.T) {
	s := defaultSchedule(t)
	isoDates := dates(10, day(2019, 1, 5), "2006-01-02")
	cases := []struct {
		name      string
		container string
		cols      []ColumnInfo
		field     string // "" for no consent match
		cutoff    time.Time
	}{
		{
			name: "finds a consent date by name in any container", container: "crm.contacts",
			cols:  []ColumnInfo{{Name: "email", Type: "text"}, {Name: "MarketingConsentDate", Type: "date"}},
			field: "MarketingConsentDate", cutoff: day(2024, 6, 30),
		},
		{
			name: "finds a text consent date in a sheet by name", container: "Mailing list.xlsx!Sheet1",
			cols:  []ColumnInfo{{Name: "Opt in date", Values: isoDates}},
			field: "Opt in date", cutoff: day(2024, 6, 30),
		},
		{
			name: "never takes a date column by its values alone", container: "crm.contacts",
			cols: []ColumnInfo{{Name: "d1", Values: isoDates}},
		},
		{
			name: "never takes a named column whose values are not dates", container: "crm.contacts",
			cols: []ColumnInfo{{Name: "gdpr_consent", Type: "text", Values: []string{"Y", "N", "Y", "Y"}}},
		},
		{
			name: "never takes a boolean opted-in flag", container: "crm.contacts",
			cols: []ColumnInfo{{Name: "opted_in", Type: "boolean"}},
		},
		{
			name: "never takes a withdrawal date", container: "crm.contacts",
			cols: []ColumnInfo{{Name: "consent_withdrawn_date", Type: "date"}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ms := consentMatches(s.Match(c.container, c.cols, retentionAsOf))
			if c.field == "" {
				if len(ms) != 0 {
					t.Fatalf("consent matched field %q (%s)", ms[0].Field, ms[0].Why)
				}
				return
			}
			if len(ms) != 1 {
				t.Fatalf("%d consent matches, want 1", len(ms))
			}
			m := ms[0]
			if m.Rule.ID != "consent-refresh" || m.Field != c.field || m.Winner || !m.Countable() {
				t.Errorf("match %s field %q winner %v countable %v (%s)", m.Rule.ID, m.Field, m.Winner, m.Countable(), m.Why)
			}
			if !m.Cutoff.Equal(c.cutoff) || !m.Conditions[0].Cutoff.Equal(c.cutoff) {
				t.Errorf("cutoff %s, want %s", m.Cutoff, c.cutoff)
			}
		})
	}
}

func TestConsentRuleDoesNotCompeteForWinner(t *testing.T) {
	s := defaultSchedule(t)
	cols := []ColumnInfo{{Name: "tenancy_end", Type: "date"}, {Name: "consent_date", Type: "date"}}
	ms := s.Match("public.tenancies", cols, retentionAsOf)
	if w := winner(t, ms); w.Rule.ID != "tenancy-file" || w.Kind != KindRetention || w.Field != "tenancy_end" {
		t.Errorf("winner %s (%s) field %q, want tenancy-file on tenancy_end", w.Rule.ID, w.Kind, w.Field)
	}
	cm := consentMatches(ms)
	if len(cm) != 1 || cm[0].Field != "consent_date" || cm[0].Winner {
		t.Fatalf("consent matches %+v, want one on consent_date, not a winner", cm)
	}
	if f := s.MatchFolder("Marketing consent/", retentionAsOf); len(consentMatches(f)) != 0 {
		t.Errorf("a consent rule judged files by modification time")
	}
}

func TestConsentPeriodCanBeOverridden(t *testing.T) {
	user := decode(t, `[[rule]]
id = "consent-refresh"
kind = "consent"
record_type = "Consent or marketing preference"
period = "P12M"
trigger = "consent_date"
basis = "organisation"
basis_text = "our policy"
containers = []
`)
	merged, err := MergeSchedule(defaultSchedule(t), user)
	if err != nil {
		t.Fatalf("merge: %v", err)
	}
	cm := consentMatches(merged.Match("crm.contacts", []ColumnInfo{{Name: "consent_given", Type: "timestamptz"}}, retentionAsOf))
	if len(cm) != 1 || cm[0].Rule.Period != "P12M" || !cm[0].Conditions[0].Cutoff.Equal(day(2025, 6, 30)) {
		t.Fatalf("overridden consent matches %+v, want P12M with cutoff 2025-06-30", cm)
	}
}

func TestDecodeScheduleChecksConsentRules(t *testing.T) {
	for name, text := range map[string]string{
		"unknown kind":                 "[[rule]]\nid = \"x\"\nkind = \"marketing\"\nrecord_type = \"X\"\nperiod = \"P1Y\"\ntrigger = \"consent_date\"\nbasis = \"organisation\"\ncontainers = [\"a\"]\n",
		"consent judging files":        "[[rule]]\nid = \"x\"\nkind = \"consent\"\nrecord_type = \"X\"\nperiod = \"P1Y\"\ntrigger = \"consent_date\"\nbasis = \"organisation\"\ncontainers = [\"a\"]\nfiles = true\n",
		"retention without containers": "[[rule]]\nid = \"x\"\nrecord_type = \"X\"\nperiod = \"P1Y\"\ntrigger = \"consent_date\"\nbasis = \"organisation\"\ncontainers = []\n",
	} {
		if _, err := DecodeSchedule(strings.NewReader(text), "test"); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
