package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/datamap-uk/datamap/scanner"
)

func readFixtureBaseline(t testing.TB) *Baseline {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "datamap.lock"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := ReadBaseline(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBaselineRoundTripsByteForByte(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("testdata", "datamap.lock"))
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := readFixtureBaseline(t).Write(&got); err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("rewritten lock file differs:\n%s", got.String())
	}
}

func TestNewBaselineRecordsPersonalFieldsSorted(t *testing.T) {
	b := NewBaseline(readFixtureInventory(t, "old.inventory.json"))
	want := readFixtureBaseline(t)
	for i := range want.Fields {
		want.Fields[i].ReviewedBy, want.Fields[i].Note = "", ""
	}
	if !reflect.DeepEqual(b, want) {
		t.Errorf("NewBaseline = %+v\nwant %+v", b, want)
	}
}

func TestUpdateBaselineKeepsReviews(t *testing.T) {
	prev := readFixtureBaseline(t)
	b := UpdateBaseline(prev, readFixtureInventory(t, "new.inventory.json"))
	byFP := b.index()
	if got := byFP["app/public.tenants#email"].ReviewedBy; got != "dpo@example.org" {
		t.Errorf("email reviewed_by = %q, want it kept", got)
	}
	if _, ok := byFP["app/public.tenants#phone"]; ok {
		t.Error("removed field phone is still in the updated baseline")
	}
	if f := byFP["app/public.tenants#nhs_number"]; f.Fingerprint == "" || f.ReviewedBy != "" {
		t.Errorf("nhs_number entry = %+v, want present and unreviewed", f)
	}
	if r := Check(readFixtureInventory(t, "new.inventory.json"), b); r.Failed() || len(r.Findings()) != 0 {
		t.Errorf("check against the updated baseline = %+v, want clean", r)
	}
}

func TestWriteHeaderExplainsUpdate(t *testing.T) {
	var b bytes.Buffer
	if err := NewBaseline(nil).Write(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "--update-baseline") || !strings.HasPrefix(b.String(), "# datamap baseline") {
		t.Errorf("header = %q", b.String())
	}
	got, err := ReadBaseline(&b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Fields) != 0 {
		t.Errorf("fields = %+v", got.Fields)
	}
}

var readBaselineCases = []struct {
	name    string
	in      string
	wantErr string
}{
	{"accepts a minimal entry", "version = 1\n[[field]]\nfingerprint = \"db/t#c\"\n", ""},
	{"accepts an empty baseline", "version = 1\n", ""},
	{"rejects an unknown top-level key", "version = 1\nfields = []\n", "unknown keys: fields"},
	{"rejects an unknown key in an entry", "version = 1\n[[field]]\nfingerprint = \"db/t#c\"\nreviewer = \"x\"\n", "unknown keys: field.reviewer"},
	{"rejects a missing version", "[[field]]\nfingerprint = \"db/t#c\"\n", "missing version"},
	{"rejects another version", "version = 2\n", "unsupported version 2"},
	{"rejects an entry without fingerprint", "version = 1\n[[field]]\ndata_types = [\"email\"]\n", "field 1: missing fingerprint"},
	{"rejects a duplicate fingerprint", "version = 1\n[[field]]\nfingerprint = \"db/t#c\"\n[[field]]\nfingerprint = \"db/t#c\"\n", "field 2: duplicate fingerprint"},
	{"rejects an unknown special category", "version = 1\n[[field]]\nfingerprint = \"db/t#c\"\nspecial_category = [\"helth\"]\n", "unknown special category"},
	{"rejects a wrongly typed value", "version = 1\n[[field]]\nfingerprint = \"db/t#c\"\ncriminal = \"yes\"\n", "read baseline"},
	{"rejects malformed TOML", "version = 1\n[[field]\n", "read baseline"},
}

func TestReadBaseline(t *testing.T) {
	for _, tt := range readBaselineCases {
		t.Run(tt.name, func(t *testing.T) {
			b, err := ReadBaseline(strings.NewReader(tt.in))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				if b.Version != BaselineVersion {
					t.Errorf("version = %d", b.Version)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func FuzzReadBaseline(f *testing.F) {
	for _, tt := range readBaselineCases {
		f.Add(tt.in)
	}
	lock, err := os.ReadFile(filepath.Join("testdata", "datamap.lock"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(lock))
	f.Fuzz(func(t *testing.T, in string) {
		b, err := ReadBaseline(strings.NewReader(in))
		if err != nil {
			return
		}
		// Whatever was accepted must survive a write and a read unchanged.
		var out bytes.Buffer
		if err := b.Write(&out); err != nil {
			t.Fatal(err)
		}
		again, err := ReadBaseline(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatalf("rereading written baseline: %v\n%s", err, out.String())
		}
		if !baselinesEqual(b, again) {
			t.Errorf("round trip changed the baseline:\n%+v\n%+v", b, again)
		}
	})
}

// baselinesEqual compares baselines, with invalid UTF-8 already replaced by Write on one side.
func baselinesEqual(a, b *Baseline) bool {
	if len(a.Fields) != len(b.Fields) {
		return false
	}
	for i := range a.Fields {
		x, y := a.Fields[i], b.Fields[i]
		fix := func(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
		fixAll := func(ss []string) []string {
			out := make([]string, len(ss))
			for i, s := range ss {
				out[i] = fix(s)
			}
			return out
		}
		if fix(x.Fingerprint) != y.Fingerprint || fix(x.ReviewedBy) != y.ReviewedBy || fix(x.Note) != y.Note ||
			x.Criminal != y.Criminal || !slices.Equal(fixAll(x.DataTypes), y.DataTypes) ||
			!slices.Equal(fixAll(x.SpecialCategory), y.SpecialCategory) {
			return false
		}
	}
	return true
}

// checkInventory builds an inventory from fields, for Check's table.
func checkInventory(fields ...scanner.Field) *scanner.Inventory {
	return &scanner.Inventory{Complete: true, Fields: fields}
}

func baselineOf(fields ...BaselineField) *Baseline {
	return &Baseline{Version: BaselineVersion, Fields: fields}
}

func findingKinds(l []CheckFinding) []string {
	var out []string
	for _, f := range l {
		out = append(out, f.Kind)
	}
	return out
}

func TestCheck(t *testing.T) {
	nhs := diffTestField("app", "public.tenants", "nhs_number", true, []string{"nhs_number"}, nil, false)
	notes := diffTestField("app", "public.tenants", "notes", true, []string{"risk_marker"}, nil, false)
	notesBase := BaselineField{Fingerprint: "app/public.tenants#notes", DataTypes: []string{"risk_marker"}}
	tests := []struct {
		name     string
		inv      *scanner.Inventory
		baseline *Baseline
		failed   bool
		want     map[string][]string // list name -> kinds
	}{
		{
			name: "fails on a new personal field", inv: checkInventory(nhs), baseline: baselineOf(),
			failed: true, want: map[string][]string{"new": {KindNewPersonal}},
		},
		{
			name: "fails on a new special-category field",
			inv: checkInventory(diffTestField("app", "public.tenants", "ethnicity", true,
				[]string{"ethnicity"}, []string{"racial_ethnic_origin"}, false)),
			baseline: baselineOf(), failed: true, want: map[string][]string{"new": {KindNewSpecial}},
		},
		{
			name: "fails on a new criminal-offence field",
			inv: checkInventory(diffTestField("app", "public.tenants", "convictions", true,
				[]string{"criminal_conviction"}, nil, true)),
			baseline: baselineOf(), failed: true, want: map[string][]string{"new": {KindNewCriminal}},
		},
		{
			name: "fails on every personal field without a baseline", inv: checkInventory(nhs, notes), baseline: nil,
			failed: true, want: map[string][]string{"new": {KindNewPersonal, KindNewPersonal}},
		},
		{
			name: "passes when the field is in the baseline", inv: checkInventory(notes), baseline: baselineOf(notesBase),
		},
		{
			name:     "passes a new field that is not personal",
			inv:      checkInventory(diffTestField("app", "public.tenants", "created_at", false, nil, nil, false)),
			baseline: baselineOf(),
		},
		{
			name: "fails when a baseline field becomes special category",
			inv: checkInventory(diffTestField("app", "public.tenants", "notes", true,
				[]string{"risk_marker", "mental_health"}, []string{"health"}, false)),
			baseline: baselineOf(notesBase), failed: true,
			want: map[string][]string{"more_sensitive": {KindBecameSpecial}},
		},
		{
			name: "fails when a baseline field becomes criminal offence data",
			inv: checkInventory(diffTestField("app", "public.tenants", "notes", true,
				[]string{"risk_marker"}, nil, true)),
			baseline: baselineOf(notesBase), failed: true,
			want: map[string][]string{"more_sensitive": {KindBecameCriminal}},
		},
		{
			name: "reports but passes a removed field", inv: checkInventory(), baseline: baselineOf(notesBase),
			want: map[string][]string{"removed": {KindRemovedField}},
		},
		{
			name: "reports but passes a field that lost its special category",
			inv:  checkInventory(notes),
			baseline: baselineOf(BaselineField{Fingerprint: "app/public.tenants#notes", DataTypes: []string{"risk_marker"},
				SpecialCategory: []string{"health"}}),
			want: map[string][]string{"less_sensitive": {KindLessSensitive}},
		},
		{
			name:     "reports but passes a baseline field that is no longer personal",
			inv:      checkInventory(diffTestField("app", "public.tenants", "notes", false, nil, nil, false)),
			baseline: baselineOf(notesBase),
			want:     map[string][]string{"less_sensitive": {KindLessSensitive}},
		},
		{
			name: "reports but passes changed data types",
			inv: checkInventory(diffTestField("app", "public.tenants", "notes", true,
				[]string{"risk_marker", "phone"}, nil, false)),
			baseline: baselineOf(notesBase),
			want:     map[string][]string{"reclassified": {KindReclassified}},
		},
		{
			name: "passes when only the order of data types differs",
			inv: checkInventory(diffTestField("app", "public.tenants", "contact", true,
				[]string{"phone", "email"}, nil, false)),
			baseline: baselineOf(BaselineField{Fingerprint: "app/public.tenants#contact", DataTypes: []string{"email", "phone"}}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Check(tt.inv, tt.baseline)
			if r.Failed() != tt.failed {
				t.Errorf("Failed() = %v, want %v", r.Failed(), tt.failed)
			}
			got := map[string][]string{}
			for name, l := range map[string][]CheckFinding{
				"new": r.New, "more_sensitive": r.MoreSensitive, "reclassified": r.Reclassified,
				"less_sensitive": r.LessSensitive, "removed": r.Removed,
			} {
				if k := findingKinds(l); len(k) > 0 {
					got[name] = k
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("findings = %v, want %v", got, tt.want)
			}
			for name, k := range tt.want {
				if !slices.Equal(got[name], k) {
					t.Errorf("%s = %v, want %v", name, got[name], k)
				}
			}
			for _, f := range r.Findings() {
				if f.Fix == "" || !strings.Contains(f.Fix, "--update-baseline") {
					t.Errorf("%s: fix hint %q does not say how to acknowledge it", f.Fingerprint, f.Fix)
				}
				if f.Failing() != (f.Level == "error") || (f.Failing() && !r.Failed()) {
					t.Errorf("%s: level %s inconsistent with Failed()", f.Fingerprint, f.Level)
				}
			}
		})
	}
}

func TestCheckFindingCarriesEvidence(t *testing.T) {
	r := Check(readFixtureInventory(t, "new.inventory.json"), readFixtureBaseline(t))
	var nhs *CheckFinding
	for i := range r.New {
		if r.New[i].Field == "nhs_number" {
			nhs = &r.New[i]
		}
	}
	if nhs == nil {
		t.Fatalf("nhs_number not reported as new: %+v", r.New)
	}
	if nhs.Source != "app" || nhs.Container != "public.tenants" || !slices.Equal(nhs.Why.Rules, []string{"uk-nhs-number"}) ||
		nhs.Why.Method != "both" || nhs.Why.Confidence != 1 || len(nhs.Why.Examples) != 3 {
		t.Errorf("nhs_number finding = %+v", *nhs)
	}
	if !strings.Contains(nhs.Fix, "`datamap check <same args> --update-baseline`") {
		t.Errorf("fix = %q", nhs.Fix)
	}
	named := r.WithCommand("datamap check migrations/ --baseline datamap.lock")
	if got := named.New[0].Fix; !strings.Contains(got, "`datamap check migrations/ --baseline datamap.lock --update-baseline`") {
		t.Errorf("fix after WithCommand = %q", got)
	}
	if r.New[0].Fix == named.New[0].Fix {
		t.Error("WithCommand changed the receiver's findings")
	}
}

func TestSplitFingerprint(t *testing.T) {
	tests := []struct{ fp, source, container, field string }{
		{"app/public.tenants#email", "app", "public.tenants", "email"},
		{"estate/archive/a.zip!b#c.csv#Name", "estate", "archive/a.zip!b#c.csv", "Name"},
		{"nosource", "", "nosource", ""},
	}
	for _, tt := range tests {
		s, c, f := splitFingerprint(tt.fp)
		if s != tt.source || c != tt.container || f != tt.field {
			t.Errorf("splitFingerprint(%q) = %q, %q, %q", tt.fp, s, c, f)
		}
	}
}
