package rules

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/datamap-uk/datamap/detectors"
)

var testNow = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

func defaultEngine(t testing.TB) *Engine {
	t.Helper()
	p, err := Default()
	if err != nil {
		t.Fatalf("default pack: %v", err)
	}
	e, err := Compile(p, Options{Now: testNow})
	if err != nil {
		t.Fatalf("compile default pack: %v", err)
	}
	return e
}

// userEngine compiles the default pack merged with a user's pack.
func userEngine(t *testing.T, userTOML string) *Engine {
	t.Helper()
	base, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	user, err := Decode(strings.NewReader(userTOML), "user.toml")
	if err != nil {
		t.Fatal(err)
	}
	merged, err := Merge(base, user)
	if err != nil {
		t.Fatal(err)
	}
	e, err := Compile(merged, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// valueHit reports whether rule id finds evidence in value, as a cell of a column called field and as text.
func valueHit(e *Engine, id, field, value string) (cell, text bool) {
	f := e.Column(field, []string{value})
	_, cell = f.Evidence.Matched[id]
	g := e.Text(field, value)
	_, text = g.Evidence.Matched[id]
	return cell, text
}

// TestBuiltinRuleExamples runs every built-in rule's own examples: a rule is not done without them.
func TestBuiltinRuleExamples(t *testing.T) {
	e := defaultEngine(t)
	for _, c := range e.rules {
		t.Run(c.ID, func(t *testing.T) {
			ex := c.Examples
			if ex == nil {
				t.Fatalf("rule has no [rule.examples]")
			}
			if len(c.Names) > 0 && len(ex.Names) == 0 {
				t.Errorf("rule has name cues but no example names")
			}
			checked := len(c.Values)+len(c.WeakValues)+len(c.Terms) > 0 || c.Detector != "" || c.Pattern != ""
			if checked && len(ex.Values) == 0 {
				t.Errorf("rule matches values but has no example values")
			}
			for _, n := range ex.Names {
				if !c.nameMatch(fieldTokens(e, n)) {
					t.Errorf("field name %q should match", n)
				}
			}
			for _, n := range ex.NotNames {
				if c.nameMatch(fieldTokens(e, n)) {
					t.Errorf("field name %q should not match", n)
				}
			}
			field := "value"
			if len(ex.Names) > 0 {
				field = ex.Names[0]
			}
			for _, v := range ex.Values {
				cell, text := valueHit(e, c.ID, field, v)
				if !cell && !text {
					t.Errorf("value %q in field %q should match", v, field)
				}
			}
			for _, v := range ex.NotValues {
				if cell, text := valueHit(e, c.ID, field, v); cell || text {
					t.Errorf("value %q in field %q should not match (cell %v, text %v)", v, field, cell, text)
				}
			}
		})
	}
}

func fieldTokens(e *Engine, name string) []string {
	return detectors.FieldTokens(name, e.aliases)
}

func TestDefaultPackIsWellFormed(t *testing.T) {
	e := defaultEngine(t)
	if len(e.rules) < 20 {
		t.Fatalf("default pack has %d rules", len(e.rules))
	}
	seen := map[string]bool{}
	for _, c := range e.rules {
		if c.Description == "" {
			t.Errorf("rule %s has no description", c.ID)
		}
		seen[c.SpecialCategory] = true
	}
	for _, sc := range SpecialCategories() {
		if !seen[sc] {
			t.Errorf("no rule covers special category %s", sc)
		}
	}
}

func TestCompileRejectsBadRules(t *testing.T) {
	tests := []struct {
		name, toml, want string
	}{
		{"unknown key", `[[rule]]
id = "x"
data_type = "x"
names = ["x"]
colour = "red"`, "unknown keys"},
		{"bad id", `[[rule]]
id = "Bad_ID"
data_type = "x"
names = ["x"]`, "kebab-case"},
		{"bad pattern", `[[rule]]
id = "tenancy-ref"
data_type = "tenancy_reference"
pattern = '(unclosed'`, `rule "tenancy-ref": bad pattern`},
		{"unknown detector", `[[rule]]
id = "x"
data_type = "x"
detector = "nhs"`, "unknown detector"},
		{"unknown special category", `[[rule]]
id = "x"
data_type = "x"
names = ["x"]
special_category = "ethnicity"`, "special_category"},
		{"matches nothing", `[[rule]]
id = "x"
data_type = "x"`, "matches nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Decode(strings.NewReader(tt.toml), "test.toml")
			if err == nil {
				_, err = Compile(p, Options{})
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestMergeOverridesDisablesAndAdds(t *testing.T) {
	e := userEngine(t, `
disable = ["vehicle-registration"]
[[rule]]
id = "uk-email"
description = "E-mail, our way"
data_type = "email"
detector = "email"
[[rule]]
id = "org-tenancy-ref"
description = "Northmoor tenancy reference"
data_type = "tenancy_reference"
pattern = '\bTNC-\d{6}\b'
keywords = ["tnc-"]
`)
	if _, ok := e.byID["vehicle-registration"]; ok {
		t.Error("disabled rule is still there")
	}
	if got := e.byID["uk-email"].Description; got != "E-mail, our way" {
		t.Errorf("override not applied: %q", got)
	}
	f := e.Column("reference", []string{"TNC-123456", "TNC-654321", "TNC-000001"})
	if !slices.Contains(f.DataTypes, "tenancy_reference") {
		t.Errorf("custom pattern rule did not classify the column: %+v", f)
	}
	base, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(base, &Pack{Disable: []string{"no-such-rule"}}); err == nil {
		t.Error("disabling an unknown rule should be an error")
	}
}

func TestColumnClassification(t *testing.T) {
	e := defaultEngine(t)
	rep := func(v string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = v
		}
		return out
	}
	nhs := []string{"943 476 5919", "401-023-2137", "9449305552", "943-476-5870", "4010232137"}
	tests := []struct {
		name       string
		field      string
		values     []string
		personal   bool
		dataType   string
		special    string
		minConf    float64
		maxConf    float64
		wantMethod string
	}{
		{"NHS numbers under their name", "NHS No", nhs, true, "nhs_number", "", 0.9, 1, "both"},
		{"a column of valid NHS numbers needs no name", "ref", nhs, true, "nhs_number", "", 0.6, 1, "value"},
		{"named email column with no emails is not trusted", "email", rep("pending", 10), false, "", "", 0, 0.49, "name"},
		{"named email column proven by values", "email", rep("jane.doe@example.org", 10), true, "email", "", 0.9, 1, "both"},
		{"ethnicity answers", "Ethnic Group", []string{"White British", "Pakistani", "Black Caribbean", "Indian", "White Irish"}, true, "ethnicity", "racial_ethnic_origin", 0.8, 1, "both"},
		{"coded ethnicity column keeps the name cue", "ethnicity", []string{"1", "2", "18", "3", "1"}, true, "ethnicity", "racial_ethnic_origin", 0.5, 0.6, "name"},
		{"religion column of church buildings is not special", "religion", []string{"St Mary's Church hall", "Methodist chapel hall", "Gurdwara community room", "Parish centre", "Baptist church annex"}, false, "", "", 0, 0.49, "name"},
		{"race of a fun run is not ethnicity", "race", []string{"5k fun run", "10k fun run", "Half marathon", "5k fun run", "10k"}, false, "", "", 0, 0.49, "name"},
		{"mould colours are not ethnicity", "mould_colour", []string{"Black", "White", "Green", "Black", "Black"}, false, "", "", 0, 0.49, ""},
		{"date of birth under its name", "d_o_b", []string{"01/02/1980", "1975-06-30", "12/12/1950", "03/04/1999", "07/08/1966"}, true, "date_of_birth", "", 0.9, 1, "both"},
		{"repair dates are not birth dates", "repair_date", []string{"01/02/2024", "2023-06-30", "12/12/2022", "03/04/2025", "07/08/2021"}, false, "", "", 0, 0.49, ""},
		{"property condition is not health", "condition", []string{"Good", "Poor", "Fair", "Good", "Poor"}, false, "", "", 0, 0.49, ""},
		{"a probation officer column of names is criminal-offence data", "Probation Officer", []string{"Jane Smith", "Amir Khan", "", "Grace Okafor", "Tomasz Nowak", "Siobhan Murphy"}, true, "probation", "", 0.6, 1, "both"},
		{"a few records with health terms make a column special", "priority_reason", append(rep("Overcrowding", 40), "Medical grounds: epilepsy", "Medical grounds: schizophrenia", "Medical grounds: type 2 diabetes"), true, "health_condition", "health", 0.5, 1, "value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := e.Column(tt.field, tt.values)
			if f.Personal != tt.personal {
				t.Errorf("personal = %v, want %v (finding %+v)", f.Personal, tt.personal, f)
			}
			if tt.dataType != "" && !slices.Contains(f.DataTypes, tt.dataType) {
				t.Errorf("data types %v lack %s", f.DataTypes, tt.dataType)
			}
			if tt.special != "" && !slices.Contains(f.SpecialCategory, tt.special) {
				t.Errorf("special categories %v lack %s", f.SpecialCategory, tt.special)
			}
			if tt.special == "" && tt.personal == false && len(f.SpecialCategory) > 0 {
				t.Errorf("unexpected special categories %v", f.SpecialCategory)
			}
			if f.Confidence < tt.minConf || f.Confidence > tt.maxConf {
				t.Errorf("confidence %.2f outside [%.2f, %.2f] (rules %+v)", f.Confidence, tt.minConf, tt.maxConf, f.Evidence.Rules)
			}
			if tt.wantMethod != "" && f.Evidence.Method != tt.wantMethod {
				t.Errorf("method %q, want %q", f.Evidence.Method, tt.wantMethod)
			}
		})
	}
}

func TestFreeTextFindsSpecialCategoriesAndIdentifiers(t *testing.T) {
	e := defaultEngine(t)
	f := e.Text("*", "Visited Mrs Okafor at 12 Elm Court. She has type 2 diabetes and her NI number is "+
		"AB 12 34 56 C. Black mould in the bathroom; labour costs quoted.")
	if !f.Personal {
		t.Fatalf("letter not personal: %+v", f)
	}
	for _, dt := range []string{"nino", "person_name", "address"} {
		if !slices.Contains(f.DataTypes, dt) {
			t.Errorf("data types %v lack %s", f.DataTypes, dt)
		}
	}
	if !slices.Contains(f.SpecialCategory, "health") {
		t.Errorf("special categories %v lack health", f.SpecialCategory)
	}
	if slices.Contains(f.SpecialCategory, "racial_ethnic_origin") || slices.Contains(f.SpecialCategory, "political_opinions") {
		t.Errorf("decoys fired: %v", f.SpecialCategory)
	}
}

func TestEvidenceNeverHoldsRawValues(t *testing.T) {
	e := defaultEngine(t)
	raw := []string{"jane.doe@example.org", "943 476 5919", "AB 12 34 56 C", "Jane Smith"}
	f := e.Column("contact", raw)
	g := e.Text("*", strings.Join(raw, " and "))
	for _, ex := range append(f.Evidence.Examples, g.Evidence.Examples...) {
		for _, r := range raw {
			if strings.Contains(ex, r) {
				t.Errorf("example %q contains raw value %q", ex, r)
			}
		}
	}
	if len(g.Evidence.Examples) == 0 {
		t.Error("no masked examples captured")
	}
}

func TestColumnMemoChangesNothing(t *testing.T) {
	e := defaultEngine(t)
	cols := map[string][]string{
		"ethnicity":  {"White British", "Pakistani", "White British", "Black Caribbean", "White British", "Indian", "Pakistani"},
		"contact":    {"07700 900123", "jane@example.org", "07700 900123", "n/a", "jane@example.org", "943 476 5919", "943 476 5919"},
		"nhs_no":     {"943 476 5919", "943 476 5919", "401 023 2137", "", "943 476 5919"},
		"reason":     append(slices.Repeat([]string{"Overcrowding"}, 20), "Medical grounds: epilepsy", "Medical grounds: epilepsy"),
		"tenant":     {"Jane Smith", "Amir Khan", "Jane Smith", "Mrs Okafor", "Jane Smith"},
		"dob":        {"01/02/1980", "01/02/1980", "12/12/1950"},
		"passport_x": {"302519847", "302519847", "AB1234567"},
	}
	for name, vals := range cols {
		memo := e.Column(name, vals)
		e.noMemo = true
		plain := e.Column(name, vals)
		e.noMemo = false
		if !reflect.DeepEqual(memo, plain) {
			t.Errorf("%s: with the memo %+v\nwithout %+v", name, memo, plain)
		}
	}
}

// The answer prefilter may skip a cell only when no answer could match it, however the cell is written.
func TestAnswerPrefilterSkipsNoAnswer(t *testing.T) {
	e := defaultEngine(t)
	if len(e.answers) == 0 {
		t.Fatal("the default pack has no answers: the test proves nothing")
	}
	for k := range e.answers {
		for _, cell := range []string{k, strings.ToUpper(k), " - " + k, "'" + k + "'"} {
			if _, ok := e.answers[detectors.NormaliseValue(cell)]; ok && !e.mayBeAnswer(cell) {
				t.Errorf("mayBeAnswer(%q) = false, but it is the answer %q", cell, k)
			}
		}
	}
	for _, cell := range []string{"2024-03-01", "1234.50", "  17", "-", ""} {
		if e.mayBeAnswer(cell) {
			t.Errorf("mayBeAnswer(%q) = true: no answer in the default pack starts with a digit", cell)
		}
	}
	if !e.mayBeAnswer("Église") {
		t.Error("a cell starting past ASCII must be looked up")
	}
}

// A cell with spaces around it is matched trimmed, and its example cut from the trimmed cell: offsets into the
// trimmed cell once cut examples from the untrimmed one, a few bytes to the left.
func TestPaddedCellsGiveWholeExamples(t *testing.T) {
	e := defaultEngine(t)
	var vals []string
	for i := range 20 {
		vals = append(vals, fmt.Sprintf("   person%d@example.org ", i))
	}
	f := e.Column("email", vals)
	if len(f.Evidence.Examples) == 0 {
		t.Fatalf("no examples: %+v", f.Evidence)
	}
	for _, ex := range f.Evidence.Examples {
		if !strings.HasSuffix(ex, ".org") {
			t.Errorf("example %q is not a whole masked address", ex)
		}
	}
}

// A user's answer made only of punctuation normalises to nothing, and so matches a cell of punctuation.
func TestPunctuationAnswerStillMatches(t *testing.T) {
	e := userEngine(t, `
[[rule]]
id = "org-withheld-marker"
description = "A field our CRM fills with a dash when the tenant withheld it"
data_type = "withheld"
values = ["-"]
`)
	f := e.Column("answer", []string{"-", "--", "-", " - "})
	if f.Evidence.Matched["org-withheld-marker"] != 4 {
		t.Errorf("matched %v, want the user's punctuation answer on all four cells", f.Evidence.Matched)
	}
}

// A TOML error says where, never what: a password written unquoted in a config file must not be echoed.
func TestDecodeTOMLErrorsQuoteNothing(t *testing.T) {
	for _, doc := range []string{
		"[scan]\ndsn = postgres://scanner:hunter22secret@crm/db\n",
		"name = \"crm\"\npassword = 'hunter22secret\n",
		"key = \"hunter22secret\\q\"\n",
		"workers = hunter22secret\n",
	} {
		var v map[string]any
		_, err := DecodeTOML(strings.NewReader(doc), &v)
		if err == nil {
			t.Errorf("%q decoded", doc)
			continue
		}
		if strings.Contains(err.Error(), "hunter") || strings.Contains(err.Error(), "postgres") || !strings.Contains(err.Error(), "line ") {
			t.Errorf("error %q: want the line and none of the file's text", err)
		}
	}
	var v struct{ Workers int }
	if _, err := DecodeTOML(strings.NewReader("workers = 4\nwokers = 5\n"), &v); err == nil || !strings.Contains(err.Error(), "unknown keys: wokers") {
		t.Errorf("a misspelt key: %v", err)
	}
}
