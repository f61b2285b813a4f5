package scanner

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"
)

// oracleFields is the flattening as first written, over encoding/json decoded maps: the reference the
// hand-written parser must agree with, value for value and in the same order.
type oracleFields struct {
	col    string
	values map[string][]string
	order  []string
}

func (j *oracleFields) add(raw []byte) bool {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || len(t) > maxJSONBytes || (t[0] != '{' && t[0] != '[') || !json.Valid(t) {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(t))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return false
	}
	if _, ok := v.(map[string]any); !ok {
		if s, ok := oracleJoin(v); ok {
			j.put(j.col, s)
			return true
		}
	}
	j.walk(j.col, v, 0)
	return true
}

func (j *oracleFields) walk(name string, v any, depth int) {
	switch x := v.(type) {
	case map[string]any:
		if depth >= maxJSONDepth {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false) // the detectors must see "A&E", not "A\u0026E"
			if enc.Encode(x) == nil {
				j.put(name, strings.TrimSuffix(b.String(), "\n"))
			}
			return
		}
		keys := slices.Collect(maps.Keys(x))
		sort.Strings(keys)
		for _, k := range keys {
			j.walk(name+"."+SubFieldKey(k), x[k], depth+1)
		}
	case []any:
		if s, ok := oracleJoin(x); ok {
			j.put(name, s)
			return
		}
		for _, e := range x {
			j.walk(name, e, depth)
		}
	default:
		if s, ok := oracleScalar(x); ok {
			j.put(name, s)
		}
	}
}

func oracleJoin(v any) (string, bool) {
	arr, ok := v.([]any)
	if !ok {
		return "", false
	}
	var parts []string
	for _, e := range arr {
		if e == nil {
			continue
		}
		s, ok := oracleScalar(e)
		if !ok {
			return "", false
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "\n"), true
}

func oracleScalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		if x {
			return "true", true
		}
		return "false", true
	case nil:
		return "", true
	}
	return "", false
}

func (j *oracleFields) put(name, value string) {
	if _, seen := j.values[name]; !seen && len(j.order) >= maxJSONSubfields && name != j.col {
		name = j.col + ".*" // past the bound further keys share col.*: values are never dropped
	}
	vals, seen := j.values[name]
	if !seen {
		j.order = append(j.order, name)
	}
	j.values[name] = append(vals, value)
}

var oracleSeeds = []string{
	`{"nhs_no":"9434765919","contact":{"email":"jane.doe@example.org","phone":{"mobile":"07700900123"}}}`,
	`{"a":{"b":{"c":{"d":"x","a":[1,2,{"z":null}]}}}}`,
	`{"a":{"b":{"c":{"d":"<&>\u00e9"}}}}`,
	`{"notes":["rent arrears","support plan"]}`,
	`{"addresses":[{"postcode":"SW1A 1AA"},{"postcode":"M1 1AE"}]}`,
	`["a","b"]`, `["a",null,1.5e3,true,false]`, `[{"a":1},"x",null,[2,[3]]]`, `[]`, `{}`, `[[[]]]`,
	`{"age":42,"tenant":true,"end":null}`,
	`{"b":1,"a":2,"b":3}`, `{"z":{"y":1},"z":{"x":2}}`, `{"a\u0041":"\ud83d\ude00","a\"b":"\ud800"}`,
	`{"k":"caf` + "\xe9" + `"}`, `{"k":"tab\there"}`, " \n{\"a\" : [ 1 , 2 ] }\r\n ",
	`{"a":-0.5E-7}`, `{"a":01}`, `{"a":-}`, `{"a":1.}`, `{"a":"\x"}`, `{"a":"\u12"}`, `{"a":tru}`,
	`{}]`, `{} x`, `{"a":1,}`, `[1,]`, `{"a":`, `"Jane"`, `{"a":"b` + "\x01" + `"}`,
	` 42 `, `-1.5e3`, `null`, `true`, `false`, `"caf\u00e9"`, `"` + "\xff" + `"`, `"a" "b"`, `nul`, ``,
	wideObject(250), `[` + wideObject(250) + `,"past the bound"]`, // keys past maxJSONSubfields share col.*
}

// TestParserAgreesWithEncodingJSON checks the seeds here; FuzzParserAgreesWithEncodingJSON explores further.
func TestParserAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range oracleSeeds {
		t.Run(s, func(t *testing.T) { agreeWithOracle(t, s) })
	}
}

func FuzzParserAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range oracleSeeds {
		f.Add(s)
	}
	f.Fuzz(agreeWithOracle)
}

func agreeWithOracle(t *testing.T, s string) {
	want := &oracleFields{col: "col", values: map[string][]string{}}
	got := newJSONFields("col")
	// Twice, so values accumulate over rows and the reused scratch space is exercised.
	for range 2 {
		w, g := want.add([]byte(s)), got.Add(s)
		if w != g {
			t.Fatalf("add = %v, encoding/json says %v", g, w)
		}
	}
	if !slices.Equal(got.order, want.order) {
		t.Fatalf("sub-fields %q, want %q", got.order, want.order)
	}
	if !maps.EqualFunc(got.values, want.values, slices.Equal) {
		t.Fatalf("values %q, want %q", got.values, want.values)
	}
	// A value that is one scalar ("Jane", 42, null) gives its text, as encoding/json decodes it.
	ws, wok := oracleScalarText(s)
	if gs, gok := got.scalar(s); gs != ws || gok != wok {
		t.Fatalf("scalar = %q, %v; encoding/json says %q, %v", gs, gok, ws, wok)
	}
}

func oracleScalarText(s string) (string, bool) {
	t := strings.TrimSpace(s)
	if len(t) > maxJSONBytes || !json.Valid([]byte(t)) {
		return "", false
	}
	dec := json.NewDecoder(strings.NewReader(t))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", false
	}
	return oracleScalar(v)
}
