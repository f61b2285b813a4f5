package reports

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/datamap-uk/datamap/scanner"
)

// fixtureCheck is the check of the fixture pair: nhs_number and ethnicity added, phone removed, notes now
// criminal offence data, repairs.description no longer special category, tenant_ref newly personal.
func fixtureCheck(t testing.TB) CheckResult {
	t.Helper()
	return Check(readFixtureInventory(t, "new.inventory.json"), readFixtureBaseline(t))
}

func TestCheckGolden(t *testing.T) {
	r := fixtureCheck(t)
	if !r.Failed() {
		t.Fatal("fixture check passed, want it to fail")
	}
	for _, tt := range []struct {
		golden string
		write  func(*bytes.Buffer) error
	}{
		{"check.txt", func(b *bytes.Buffer) error { return r.Text(b) }},
		{"check.github", func(b *bytes.Buffer) error { return r.GitHub(b) }},
		{"check.sarif.json", func(b *bytes.Buffer) error { return r.SARIF(b, "1.2.3") }},
		{"check.json", func(b *bytes.Buffer) error { return r.JSON(b) }},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.golden, b.Bytes())
		})
	}
}

func TestCheckTextSaysPassed(t *testing.T) {
	r := Check(readFixtureInventory(t, "old.inventory.json"), readFixtureBaseline(t))
	var b strings.Builder
	if err := r.Text(&b); err != nil {
		t.Fatal(err)
	}
	if r.Failed() || !strings.HasPrefix(b.String(), "datamap check: passed") {
		t.Errorf("text = %q", b.String())
	}
}

func compileSARIFSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	url := sarifSchema
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validateSARIF(t *testing.T, sch *jsonschema.Schema, data []byte) error {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return sch.Validate(v)
}

func TestSARIFMatchesSchema(t *testing.T) {
	sch := compileSARIFSchema(t)
	located := fixtureCheck(t).WithLocations(func(fp string) (Location, bool) {
		if strings.HasSuffix(fp, "#nhs_number") {
			return Location{File: `migrations\0042 add nhs number.sql`, Line: 3}, true
		}
		if strings.HasSuffix(fp, "#ethnicity") {
			return Location{File: "migrations/0043_ethnicity.sql"}, true
		}
		return Location{}, false
	})
	tests := []struct {
		name string
		r    CheckResult
	}{
		{"failing check without locations", fixtureCheck(t)},
		{"failing check with locations", located},
		{"passing check with no findings", Check(checkInventory(), baselineOf())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.r.SARIF(&b, "dev"); err != nil {
				t.Fatal(err)
			}
			if err := validateSARIF(t, sch, b.Bytes()); err != nil {
				t.Errorf("SARIF does not match the 2.1.0 schema: %v\n%s", err, b.String())
			}
		})
	}
	// The validator must be able to say no, or the test above proves nothing.
	t.Run("rejects a result with an unknown level", func(t *testing.T) {
		var b bytes.Buffer
		if err := fixtureCheck(t).SARIF(&b, "dev"); err != nil {
			t.Fatal(err)
		}
		bad := bytes.Replace(b.Bytes(), []byte(`"level": "error"`), []byte(`"level": "fatal"`), 1)
		if err := validateSARIF(t, sch, bad); err == nil {
			t.Error("schema accepted level fatal")
		}
	})
}

func TestSARIFLocations(t *testing.T) {
	r := fixtureCheck(t).WithLocations(func(fp string) (Location, bool) {
		return Location{File: `db\migrations\0042 nhs.sql`, Line: 7}, strings.HasSuffix(fp, "#nhs_number")
	})
	var b bytes.Buffer
	if err := r.SARIF(&b, "dev"); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					Physical *struct {
						Artifact struct{ URI string } `json:"artifactLocation"`
						Region   struct{ StartLine int }
					} `json:"physicalLocation"`
					Logical []struct{ FullyQualifiedName string } `json:"logicalLocations"`
				}
				PartialFingerprints map[string]string
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("runs = %d, want 1", len(log.Runs))
	}
	seen := 0
	for _, res := range log.Runs[0].Results {
		loc := res.Locations[0]
		fp := res.PartialFingerprints[sarifFingerprintKey]
		if fp == "" || len(loc.Logical) != 1 || loc.Logical[0].FullyQualifiedName != fp {
			t.Errorf("%s: logical location %+v, fingerprint %q", res.RuleID, loc.Logical, fp)
		}
		if strings.HasSuffix(fp, "#nhs_number") {
			seen++
			if loc.Physical == nil || loc.Physical.Artifact.URI != "db/migrations/0042%20nhs.sql" || loc.Physical.Region.StartLine != 7 {
				t.Errorf("nhs_number physical location = %+v", loc.Physical)
			}
		} else if loc.Physical != nil {
			t.Errorf("%s has a physical location without a known one", fp)
		}
	}
	if seen != 1 {
		t.Errorf("nhs_number results = %d, want 1", seen)
	}
}

func TestGitHubAnnotations(t *testing.T) {
	r := Check(checkInventory(diffTestField("app", "public.t", "nhs,number", true, []string{"nhs_number"}, nil, false)), baselineOf())
	tests := []struct {
		name string
		loc  Location
		want string
	}{
		{"omits file and line when the location is unknown", Location{}, "::error title=datamap%3A New personal field nhs%2Cnumber::"},
		{"gives file and line when known", Location{File: "m/0042,a:b.sql", Line: 12}, "::error file=m/0042%2Ca%3Ab.sql,line=12,title=datamap%3A New personal field nhs%2Cnumber::"},
		{"omits line when only the file is known", Location{File: "schema.sql"}, "::error file=schema.sql,title="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rr := r.WithLocations(func(string) (Location, bool) { return tt.loc, !tt.loc.IsZero() })
			var b strings.Builder
			if err := rr.GitHub(&b); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if !strings.HasPrefix(out, tt.want) {
				t.Errorf("annotation = %q, want prefix %q", out, tt.want)
			}
			if strings.Count(out, "\n") != 1 {
				t.Errorf("annotation spans lines: %q", out)
			}
		})
	}
}

var githubEscapeCases = []string{"", "plain", "100%", "a,b:c", "line\nbreak\r\n", "%0A literally", "déjà vu"}

func TestGitHubEscaping(t *testing.T) {
	tests := []struct{ in, data, prop string }{
		{"50% a,b:c\r\nx", "50%25 a,b:c%0D%0Ax", "50%25 a%2Cb%3Ac%0D%0Ax"},
		{"%0A", "%250A", "%250A"},
	}
	for _, tt := range tests {
		if got := githubData(tt.in); got != tt.data {
			t.Errorf("githubData(%q) = %q, want %q", tt.in, got, tt.data)
		}
		if got := githubProperty(tt.in); got != tt.prop {
			t.Errorf("githubProperty(%q) = %q, want %q", tt.in, got, tt.prop)
		}
	}
}

// unescapeGitHub is the runner's side of the escaping, to check that nothing is lost.
func unescapeGitHub(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}

func FuzzGitHubProperty(f *testing.F) {
	for _, s := range githubEscapeCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := githubProperty(s)
		if strings.ContainsAny(p, ":,\r\n") {
			t.Errorf("githubProperty(%q) = %q keeps a separator", s, p)
		}
		if got := unescapeGitHub(p); got != s {
			t.Errorf("unescape(githubProperty(%q)) = %q", s, got)
		}
		d := githubData(s)
		if strings.ContainsAny(d, "\r\n") {
			t.Errorf("githubData(%q) = %q keeps a line break", s, d)
		}
		if got := unescapeGitHub(d); got != s {
			t.Errorf("unescape(githubData(%q)) = %q", s, got)
		}
	})
}

func TestSARIFURI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"migrations/0001_init.sql", "migrations/0001_init.sql"},
		{`db\migrations\V2__add.sql`, "db/migrations/V2__add.sql"},
		{"a b/c:d#e%.sql", "a%20b/c%3Ad%23e%25.sql"},
	}
	for _, tt := range tests {
		if got := sarifURI(tt.in); got != tt.want {
			t.Errorf("sarifURI(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOneLine(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"leaves an ordinary name alone", "tenants.csv#Full name", "tenants.csv#Full name"},
		{"leaves non-ASCII letters alone", "Siân's café", "Siân's café"},
		{"shows a newline as an escape", "a\nb", `a\nb`},
		{"shows a carriage return and a tab as escapes", "a\r\tb", `a\r\tb`},
		{"shows a terminal escape sequence as an escape", "\x1b[2Jx", `\x1b[2Jx`},
		{"shows a bidirectional override as an escape", "abc\u202edef", `abc\u202edef`},
		{"shows a line separator as an escape", "a\u2028b", `a\u2028b`},
		{"leaves an apostrophe and a diaeresis alone", "Zoë's sheet", "Zoë's sheet"},
		{"shows a tab and a newline in a file name as escapes", "tab\tand\nnewline.csv", `tab\tand\nnewline.csv`},
		{"shows an escape sequence inside a file name as an escape", "evil\x1b[2Jname.csv", `evil\x1b[2Jname.csv`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := OneLine(tt.in); got != tt.want {
				t.Errorf("OneLine(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// A name from the estate is shown on one line of the plain-text outputs: it cannot start a line of its own (a
// forged finding, or a workflow command GitHub's runner would obey in a CI log) or send a terminal escape.
func TestTextOutputsKeepEachNameOnItsLine(t *testing.T) {
	const hostile = "notes\n::error::forged\x1b[2J"
	f := diffTestField("db", "t\r\n::warning::x", hostile, true, []string{"person_name"}, nil, false)
	inv := &scanner.Inventory{SchemaVersion: "1.0", Complete: true, Fields: []scanner.Field{f},
		Sources:    []scanner.SourceResult{{Name: "db", Kind: "postgres", Status: scanner.StatusFailed, Error: "read\nfailed"}},
		Unreadable: []scanner.Unreadable{{Source: "db", Path: "x\n::error::y", Reason: "corrupt"}}}
	empty := &scanner.Inventory{SchemaVersion: "1.0", Complete: true}
	check := Check(inv, nil)
	if len(check.New) != 1 {
		t.Fatalf("check found %d new fields, want 1", len(check.New))
	}
	ch := Diff(empty, inv)
	for name, write := range map[string]func(io.Writer) error{
		"check text": check.Text, "check github": check.GitHub, "diff text": ch.Text,
	} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := write(&b); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if strings.ContainsRune(out, '\x1b') || strings.ContainsRune(out, '\r') {
				t.Errorf("a control character reached the output:\n%q", out)
			}
			for _, line := range strings.Split(out, "\n") {
				if strings.HasPrefix(line, "::error::") || strings.HasPrefix(line, "::warning::") {
					t.Errorf("a name started a line of its own: %q", line)
				}
			}
			if !strings.Contains(out, "forged") {
				t.Errorf("the name is not shown at all:\n%s", out)
			}
		})
	}
}

func FuzzOneLine(f *testing.F) {
	for _, s := range []string{"tenants.csv", "a\nb", "\x1b[2J", "abc\u202edef", "a\u2028b", "\xff\xfe", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := OneLine(s)
		if strings.IndexFunc(out, unsafeRune) >= 0 {
			t.Fatalf("OneLine(%q) = %q keeps a control character", s, out)
		}
		if strings.IndexFunc(s, unsafeRune) < 0 && out != s {
			t.Fatalf("OneLine(%q) = %q changed a safe name", s, out)
		}
	})
}
