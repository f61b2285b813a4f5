package scanner

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestJSONFlattening(t *testing.T) {
	cases := []struct {
		name  string
		rows  []string
		want  map[string][]string
		taken bool
	}{
		{"flattens object keys into sub-fields",
			[]string{`{"nhs_no":"9434765919","contact":{"email":"jane.doe@example.org","phone":{"mobile":"07700900123"}}}`},
			map[string][]string{"profile.nhs_no": {"9434765919"}, "profile.contact.email": {"jane.doe@example.org"},
				"profile.contact.phone.mobile": {"07700900123"}}, true},
		{"keeps deeper objects as JSON text at depth three",
			[]string{`{"a":{"b":{"c":{"d":"x"}}}}`},
			map[string][]string{"profile.a.b.c": {`{"d":"x"}`}}, true},
		{"keeps <, > and & as they are in deeper objects' JSON text",
			[]string{`{"a":{"b":{"c":{"id":"H&C number <NI>"}}}}`},
			map[string][]string{"profile.a.b.c": {`{"id":"H&C number <NI>"}`}}, true},
		{"joins arrays of strings with newlines",
			[]string{`{"notes":["rent arrears","support plan"]}`},
			map[string][]string{"profile.notes": {"rent arrears\nsupport plan"}}, true},
		{"collects keys of objects inside arrays",
			[]string{`{"addresses":[{"postcode":"SW1A 1AA"},{"postcode":"M1 1AE"}]}`},
			map[string][]string{"profile.addresses.postcode": {"SW1A 1AA", "M1 1AE"}}, true},
		{"gives a top-level array to the column itself",
			[]string{`["a","b"]`},
			map[string][]string{"profile": {"a\nb"}}, true},
		{"renders numbers, booleans and nulls as text",
			[]string{`{"age":42,"tenant":true,"end":null}`},
			map[string][]string{"profile.age": {"42"}, "profile.tenant": {"true"}, "profile.end": {""}}, true},
		{"folds keys shaped like data into *",
			[]string{`{"jane@example.org":"07700 900123","12":"x"}`},
			map[string][]string{"profile.*": {"x", "07700 900123"}}, true},
		{"keeps numbers as written",
			[]string{`{"id":9434765919123456789,"score":1.50}`},
			map[string][]string{"profile.id": {"9434765919123456789"}, "profile.score": {"1.50"}}, true},
		{"leaves invalid JSON to the caller", []string{`{"a":`}, map[string][]string{}, false},
		{"leaves scalars to the caller", []string{`"Jane"`}, map[string][]string{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			j := newJSONFields("profile")
			for _, r := range c.rows {
				if got := j.Add(r); got != c.taken {
					t.Errorf("Add = %v, want %v", got, c.taken)
				}
			}
			if len(j.values) != len(c.want) {
				t.Errorf("sub-fields = %v, want %v", j.names(), c.want)
			}
			for k, want := range c.want {
				if !slices.Equal(j.values[k], want) {
					t.Errorf("%s = %q, want %q", k, j.values[k], want)
				}
			}
		})
	}
}

// wideObject is a JSON object of n distinct field-like keys ("kaa", "kab", ...; keys with digits would be
// folded), each with the value "v".
func wideObject(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"k%c%c":"v"`, 'a'+i/26, 'a'+i%26)
	}
	b.WriteString("}")
	return b.String()
}

func TestJSONFlatteningIsBounded(t *testing.T) {
	j := newJSONFields("doc")
	j.Add(wideObject(500))
	// Keys that look like names fold into doc.* anyway; past the bound every further key joins them.
	if n := len(j.names()); n < maxJSONSubfields || n > maxJSONSubfields+1 {
		t.Errorf("sub-fields = %d, want the bound %d (and doc.* for the rest)", n, maxJSONSubfields)
	}
	total := 0
	for _, name := range j.names() {
		total += len(j.values[name])
	}
	if total != 500 || len(j.values["doc.*"]) < 500-maxJSONSubfields {
		t.Errorf("%d values kept of 500, %d in doc.*: none may be dropped", total, len(j.values["doc.*"]))
	}
}

func FuzzJSONFields(f *testing.F) {
	for _, s := range []string{
		`{"nhs_no":"9434765919","contact":{"email":"jane.doe@example.org"}}`,
		`{"a":{"b":{"c":{"d":"x"}}}}`,
		`{"notes":["rent arrears","support plan"]}`,
		`{"addresses":[{"postcode":"SW1A 1AA"},{"postcode":"M1 1AE"}]}`,
		`["a","b"]`, `{"a":`, `"Jane"`, `[[[]]]`,
		`[` + wideObject(250) + `,"past the bound"]`, // the column's own text and col.* come on top of the bound
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		j := newJSONFields("col")
		j.Add(s)
		j.Add(s)
		// maxJSONSubfields bounds the sub-fields named by keys; the column's own text and col.*, which takes
		// every key past the bound, may come on top.
		named := 0
		for _, name := range j.order {
			if name != "col" && name != "col.*" {
				named++
			}
		}
		if named > maxJSONSubfields || len(j.order) > maxJSONSubfields+2 {
			t.Fatalf("%d sub-fields (%d named by keys) exceed the bound", len(j.order), named)
		}
		for _, name := range j.names() {
			if name == "col" {
				continue
			}
			if !strings.HasPrefix(name, "col.") {
				t.Fatalf("sub-field %q is not under the column", name)
			}
			parts := strings.Split(strings.TrimPrefix(name, "col."), ".")
			if len(parts) > maxJSONDepth {
				t.Fatalf("sub-field %q is deeper than %d keys", name, maxJSONDepth)
			}
			for _, part := range parts {
				if part != "*" && SubFieldKey(part) != part {
					t.Fatalf("sub-field %q has a part %q that is not a field name: data named a field", name, part)
				}
			}
		}
	})
}

func TestJSONFieldsColumnsAndOwn(t *testing.T) {
	j := newJSONFields("profile")
	for _, doc := range []string{`{"nhs_no":"9434765919","contact":{"phone":"07700900123"}}`, `["wheelchair access","hearing loop"]`, `{"nhs_no":"4010232137"}`} {
		if !j.Add(doc) {
			t.Fatalf("Add(%s) = false", doc)
		}
	}
	if own := j.Own(); !slices.Equal(own, []string{"wheelchair access\nhearing loop"}) {
		t.Errorf("Own = %q", own)
	}
	cols := j.Columns("jsonb", "tenant health profile")
	var names []string
	for _, c := range cols {
		names = append(names, c.Name)
		if c.Type != "jsonb" || c.Comment != "tenant health profile" {
			t.Errorf("%s: type %q, comment %q", c.Name, c.Type, c.Comment)
		}
	}
	if !slices.Equal(names, []string{"profile.contact.phone", "profile.nhs_no"}) {
		t.Errorf("columns = %q: want the sub-fields sorted, not the column itself", names)
	}
	if n := len(cols[1].Values); n != 2 || cols[1].Values[1].Reveal() != "4010232137" {
		t.Errorf("profile.nhs_no has %d values", n)
	}
}

func TestTextJSONColumnsLookAcrossTheSample(t *testing.T) {
	const n = 5 * maxTextJSON
	vals := make([]Value, n)
	for i := range vals {
		vals[i] = NewValue(fmt.Sprintf(`{"ref":"%d"}`, i))
	}
	vals[1] = NewValue("plain text")
	cols := TextJSONColumns("notes", "case notes", vals)
	if len(cols) != 1 || cols[0].Name != "notes.ref" || cols[0].Type != "json" || cols[0].Comment != "case notes" {
		t.Fatalf("columns = %+v", cols)
	}
	refs := cols[0].Values
	if len(refs) != maxTextJSON {
		t.Fatalf("notes.ref has %d values, want the bound %d", len(refs), maxTextJSON)
	}
	if last, _ := strconv.Atoi(refs[len(refs)-1].Reveal()); last < n-6 {
		t.Errorf("last flattened row = %d, want one of the last rows: rows must come from the whole sample", last)
	}
	// Objects in every other row, or one row in ten: the stride runs over the objects, so none is missed.
	for _, every := range []int{2, 10} {
		var sparse []Value
		for i := range 2000 {
			v := "plain text"
			if i%every == every-1 {
				v = fmt.Sprintf(`{"ref":"%d"}`, i)
			}
			sparse = append(sparse, NewValue(v))
		}
		if cols := TextJSONColumns("notes", "", sparse); len(cols) != 1 || len(cols[0].Values) != min(2000/every, maxTextJSON) {
			t.Errorf("objects in one row of %d: %+v", every, cols)
		}
	}
	if TextJSONColumns("notes", "", []Value{NewValue("no JSON here"), NewValue("[1,2]")}) != nil {
		t.Error("text without JSON objects has no sub-fields")
	}
}

func TestJSONColumnTakesDocumentsApart(t *testing.T) {
	col := Column{Name: "profile", Type: "jsonb", Comment: "tenant profile", Key: false}
	for _, d := range []string{`{"nhs_no":"9434765919"}`, `"Jane"`, `not json`, ``, `["a","b"]`, `null`} {
		col.Values = append(col.Values, NewValue(d))
	}
	cols := JSONColumn(col, "jsonb")
	var own []string
	for _, v := range cols[0].Values {
		own = append(own, v.Reveal())
	}
	if want := []string{"Jane", "not json", "", "", "a\nb"}; !slices.Equal(own, want) {
		t.Errorf("profile = %q, want %q", own, want)
	}
	if len(cols) != 2 || cols[1].Name != "profile.nhs_no" || cols[1].Type != "jsonb" || cols[1].Comment != "tenant profile" {
		t.Errorf("sub-fields = %+v", cols[1:])
	}
}

func TestOwnTextIsNoSubFieldPastTheBound(t *testing.T) {
	j := newJSONFields("c")
	j.Add(wideObject(250))
	j.Add(`["jane@example.org"]`)
	if own := j.Own(); !slices.Equal(own, []string{"jane@example.org"}) {
		t.Errorf("Own = %q: the column's own text went to a sub-field once the bound was reached", own)
	}
}
