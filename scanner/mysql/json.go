package mysql

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
)

const (
	maxJSONDepth     = 3   // "col.a.b.c": deeper values are kept as JSON text under the third key
	maxJSONSubfields = 200 // per column: a document store in one column must not explode the inventory
	maxJSONBytes     = 1 << 20
)

// jsonFields gathers the sub-fields of one JSON column over the sampled rows.
type jsonFields struct {
	col    string
	values map[string][]string
	order  []string
}

func newJSONFields(col string) *jsonFields {
	return &jsonFields{col: col, values: map[string][]string{}}
}

// add flattens one value. It reports whether the value was a JSON object or array (and so was taken apart);
// scalars and invalid JSON are left to the caller.
func (j *jsonFields) add(raw []byte) bool {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || len(t) > maxJSONBytes || (t[0] != '{' && t[0] != '[') {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(t))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return false
	}
	if _, ok := v.(map[string]any); !ok {
		// A top-level array: its strings are the column's own free text.
		if s, ok := joinScalars(v); ok {
			j.put(j.col, s)
			return true
		}
	}
	j.walk(j.col, v, 0)
	return true
}

func (j *jsonFields) walk(name string, v any, depth int) {
	switch x := v.(type) {
	case map[string]any:
		if depth >= maxJSONDepth {
			b, err := json.Marshal(x)
			if err == nil {
				j.put(name, string(b))
			}
			return
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			j.walk(name+"."+k, x[k], depth+1)
		}
	case []any:
		if s, ok := joinScalars(x); ok {
			j.put(name, s)
			return
		}
		// An array of objects: every element's keys land on the same sub-fields, so "col.addresses.postcode"
		// collects the postcodes of all addresses.
		for _, e := range x {
			j.walk(name, e, depth)
		}
	default:
		if s, ok := scalar(x); ok {
			j.put(name, s)
		}
	}
}

// joinScalars joins an array of scalars with newlines so free-text detectors see one text per row.
func joinScalars(v any) (string, bool) {
	arr, ok := v.([]any)
	if !ok {
		return "", false
	}
	parts := make([]string, 0, len(arr))
	for _, e := range arr {
		if e == nil {
			continue
		}
		s, ok := scalar(e)
		if !ok {
			return "", false
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "\n"), true
}

func scalar(v any) (string, bool) {
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

func (j *jsonFields) put(name, value string) {
	vals, seen := j.values[name]
	if !seen {
		if len(j.order) >= maxJSONSubfields {
			return
		}
		j.order = append(j.order, name)
	}
	j.values[name] = append(vals, value)
}

// names lists the sub-fields found, sorted so the inventory is stable across runs.
func (j *jsonFields) names() []string {
	out := append([]string(nil), j.order...)
	sort.Strings(out)
	return out
}

// jsonScalar decodes a JSON scalar such as "\"Jane\"" to its text; other input is not a scalar.
func jsonScalar(v string) (string, bool) {
	var x any
	dec := json.NewDecoder(strings.NewReader(v))
	dec.UseNumber()
	if err := dec.Decode(&x); err != nil || dec.More() {
		return "", false
	}
	return scalar(x)
}
