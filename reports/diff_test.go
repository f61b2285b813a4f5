package reports

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/datamap-uk/datamap/rules"
	"github.com/datamap-uk/datamap/scanner"
)

func readFixtureInventory(t testing.TB, name string) *scanner.Inventory {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var inv scanner.Inventory
	if err := json.Unmarshal(data, &inv); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &inv
}

func TestFixturesMatchInventorySchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("inventory.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("inventory.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"old.inventory.json", "new.inventory.json"} {
		f, err := os.Open(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		v, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestDiffGolden(t *testing.T) {
	c := Diff(readFixtureInventory(t, "old.inventory.json"), readFixtureInventory(t, "new.inventory.json"))
	var text, js bytes.Buffer
	if err := c.Text(&text); err != nil {
		t.Fatal(err)
	}
	if err := c.JSON(&js); err != nil {
		t.Fatal(err)
	}
	golden(t, "diff.txt", text.Bytes())
	golden(t, "diff.json", js.Bytes())
}

func diffTestField(source, container, name string, personal bool, dataTypes, special []string, criminal bool) scanner.Field {
	return scanner.Field{
		Source: source, Container: container, Field: name,
		Fingerprint: scanner.Fingerprint(source, container, name),
		Finding: rules.Finding{
			Personal: personal, DataTypes: dataTypes, SpecialCategory: special, CriminalOffence: criminal,
			Confidence: 1, Evidence: rules.Evidence{Method: "name", Names: []string{"test-rule"}},
		},
	}
}

func refFingerprints(refs []FieldRef) []string {
	var out []string
	for _, r := range refs {
		out = append(out, r.Fingerprint)
	}
	return out
}

func TestDiff(t *testing.T) {
	name := diffTestField("db", "t", "name", true, []string{"person_name"}, nil, false)
	code := diffTestField("db", "t", "code", false, nil, nil, false)
	tests := []struct {
		name     string
		old, new []scanner.Field
		check    func(t *testing.T, c Changes)
	}{
		{
			name: "lists a new personal field apart from a new non-personal one",
			old:  nil,
			new:  []scanner.Field{code, name},
			check: func(t *testing.T, c Changes) {
				if got := refFingerprints(c.Added); !slices.Equal(got, []string{"db/t#name"}) {
					t.Errorf("added = %v", got)
				}
				if got := refFingerprints(c.AddedOther); !slices.Equal(got, []string{"db/t#code"}) {
					t.Errorf("added other = %v", got)
				}
			},
		},
		{
			name: "lists removed personal fields first",
			old:  []scanner.Field{code, name},
			new:  nil,
			check: func(t *testing.T, c Changes) {
				if got := refFingerprints(c.Removed); !slices.Equal(got, []string{"db/t#name", "db/t#code"}) {
					t.Errorf("removed = %v", got)
				}
			},
		},
		{
			name: "ignores a change of confidence alone",
			old:  []scanner.Field{name},
			new: []scanner.Field{func() scanner.Field {
				f := diffTestField("db", "t", "name", true, []string{"person_name"}, nil, false)
				f.Confidence = 0.6
				return f
			}()},
			check: func(t *testing.T, c Changes) {
				if !c.Empty() {
					t.Errorf("changes = %+v, want none", c)
				}
			},
		},
		{
			name: "ignores the order of data types",
			old:  []scanner.Field{diffTestField("db", "t", "c", true, []string{"email", "phone"}, nil, false)},
			new:  []scanner.Field{diffTestField("db", "t", "c", true, []string{"phone", "email"}, nil, false)},
			check: func(t *testing.T, c Changes) {
				if !c.Empty() {
					t.Errorf("changes = %+v, want none", c)
				}
			},
		},
		{
			name: "reports a field that became personal with before and after",
			old:  []scanner.Field{code},
			new:  []scanner.Field{diffTestField("db", "t", "code", true, []string{"nino"}, nil, false)},
			check: func(t *testing.T, c Changes) {
				if len(c.Reclassified) != 1 {
					t.Fatalf("reclassified = %+v", c.Reclassified)
				}
				r := c.Reclassified[0]
				if r.Before.Personal || !r.After.Personal || !slices.Equal(r.Changed, []string{"personal", "data_types"}) {
					t.Errorf("reclassified = %+v", r)
				}
			},
		},
		{
			name: "reports a new special category and criminal flag",
			old:  []scanner.Field{name},
			new:  []scanner.Field{diffTestField("db", "t", "name", true, []string{"person_name"}, []string{"health"}, true)},
			check: func(t *testing.T, c Changes) {
				if len(c.Reclassified) != 1 || !slices.Equal(c.Reclassified[0].Changed, []string{"special_category", "criminal_offence"}) {
					t.Errorf("reclassified = %+v", c.Reclassified)
				}
			},
		},
		{
			name: "ignores data type churn on a field that is personal in neither scan",
			old:  []scanner.Field{diffTestField("db", "t", "x", false, []string{"age"}, nil, false)},
			new:  []scanner.Field{diffTestField("db", "t", "x", false, []string{"ethnicity"}, nil, false)},
			check: func(t *testing.T, c Changes) {
				if !c.Empty() {
					t.Errorf("changes = %+v, want none", c)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Diff(&scanner.Inventory{Complete: true, Fields: tt.old}, &scanner.Inventory{Complete: true, Fields: tt.new})
			tt.check(t, c)
		})
	}
}

func TestDiffUnreadableAndSources(t *testing.T) {
	old := &scanner.Inventory{
		Sources: []scanner.SourceResult{{Name: "files", Kind: "files", Status: scanner.StatusOK}, {Name: "gone", Kind: "mysql", Status: scanner.StatusOK}},
		Unreadable: []scanner.Unreadable{
			{Source: "files", Path: "a.doc", Reason: scanner.ReasonLegacyFormat},
			{Source: "files", Path: "b.pdf", Reason: scanner.ReasonNeedsOCR},
		},
	}
	new := &scanner.Inventory{
		Sources: []scanner.SourceResult{{Name: "files", Kind: "files", Status: scanner.StatusFailed, Error: "walk: permission denied"}},
		Unreadable: []scanner.Unreadable{
			{Source: "files", Path: "a.doc", Reason: scanner.ReasonPermissionDenied},
			{Source: "files", Path: "b.pdf", Reason: scanner.ReasonNeedsOCR},
			{Source: "files", Path: "b.pdf", Reason: scanner.ReasonNeedsOCR},
		},
	}
	c := Diff(old, new)
	if len(c.Unreadable.New) != 1 || c.Unreadable.New[0].Reason != scanner.ReasonPermissionDenied {
		t.Errorf("new unreadable = %+v, want a.doc permission_denied only", c.Unreadable.New)
	}
	if len(c.Unreadable.Resolved) != 1 || c.Unreadable.Resolved[0].Reason != scanner.ReasonLegacyFormat {
		t.Errorf("resolved unreadable = %+v, want a.doc legacy_format only", c.Unreadable.Resolved)
	}
	want := []SourceChange{
		{Name: "files", Kind: "files", Before: "ok", After: "failed", Error: "walk: permission denied"},
		{Name: "gone", Kind: "mysql", Before: "ok", After: ""},
	}
	if !slices.Equal(c.Sources, want) {
		t.Errorf("sources = %+v, want %+v", c.Sources, want)
	}
}

func TestDiffIsIndependentOfOrder(t *testing.T) {
	old, new := readFixtureInventory(t, "old.inventory.json"), readFixtureInventory(t, "new.inventory.json")
	want, err := json.Marshal(Diff(old, new))
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(old.Fields)
	slices.Reverse(new.Fields)
	slices.Reverse(new.Unreadable)
	slices.Reverse(new.Sources)
	got, err := json.Marshal(Diff(old, new))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("diff changed with input order:\n%s\n%s", got, want)
	}
}

func TestDiffOfNothingIsEmpty(t *testing.T) {
	c := Diff(nil, nil)
	if !c.Empty() {
		t.Errorf("changes = %+v", c)
	}
	var b strings.Builder
	if err := c.Text(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "No changes.") {
		t.Errorf("text = %q", b.String())
	}
	js, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(js, []byte("null")) {
		t.Errorf("JSON has a null list: %s", js)
	}
}
