package postgres

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/datamap-uk/datamap/scanner"
)

// JSON documents are looked inside to a bounded depth and width: "profile.nhs_no", "profile.address.postcode".
const (
	maxJSONDepth  = 3   // key levels below the column
	maxJSONFields = 200 // sub-fields per column; keys beyond go to "col.*"
)

// fieldKey is scanner.SubFieldKey: data used as keys never becomes a field name.
func fieldKey(k string) string { return scanner.SubFieldKey(k) }

// flattenJSON turns one JSON column's sampled documents into columns: the column itself carries documents
// that are not objects (a bare string, an array of strings), and every object key becomes a sub-field whose
// values line up with the sampled rows. Arrays contribute each element to the same field, strings joined by
// newlines so the free-text detectors see them. A value that is not valid JSON stays on the column as text.
func flattenJSON(col column, docs []string) []scanner.Column {
	f := &flattener{base: col.name, vals: map[string][]string{}, rows: len(docs)}
	for row, doc := range docs {
		f.add(row, doc)
	}
	cols := []scanner.Column{{Name: col.name, Type: col.typ, Comment: col.comment, Key: col.key, Values: wrap(f.pad(col.name))}}
	paths := make([]string, 0, len(f.vals))
	for p := range f.vals {
		if p != col.name {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		cols = append(cols, scanner.Column{Name: p, Type: col.typ, Values: wrap(f.pad(p))})
	}
	return cols
}

type flattener struct {
	base   string
	vals   map[string][]string // path -> one value per row, "" where the row has none
	fields int
	rows   int
}

func (f *flattener) add(row int, doc string) {
	if strings.TrimSpace(doc) == "" {
		return
	}
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber() // keep 9434765919 as written, not 9.434765919e+09
	var v any
	if err := dec.Decode(&v); err != nil {
		f.put(row, f.base, doc)
		return
	}
	per := map[string][]string{}
	walk(f.base, v, 0, per)
	for p, parts := range per {
		f.put(row, p, strings.Join(parts, "\n"))
	}
}

// walk gathers the scalars of v under path; depth counts the keys below the column.
func walk(path string, v any, depth int, per map[string][]string) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if depth >= maxJSONDepth { // deeper objects are gathered under the deepest field
				walk(path, x[k], depth, per)
				continue
			}
			walk(path+"."+fieldKey(k), x[k], depth+1, per)
		}
	case []any:
		for _, e := range x {
			walk(path, e, depth, per)
		}
	case string:
		per[path] = append(per[path], x)
	case json.Number:
		per[path] = append(per[path], x.String())
	case bool:
		per[path] = append(per[path], strconv.FormatBool(x))
	}
}

// put records a row's value for a field, creating the field unless the column already has too many.
func (f *flattener) put(row int, p, v string) {
	vals, ok := f.vals[p]
	if !ok && p != f.base {
		if f.fields >= maxJSONFields {
			p = f.base + ".*"
			vals, ok = f.vals[p]
		}
		if !ok {
			f.fields++
		}
	}
	for len(vals) < row {
		vals = append(vals, "")
	}
	if len(vals) == row+1 { // two paths folded into one ("*" keys): keep both values
		vals[row] += "\n" + v
	} else {
		vals = append(vals, v)
	}
	f.vals[p] = vals
}

// pad returns a field's values with one entry per sampled row.
func (f *flattener) pad(p string) []string {
	vals := f.vals[p]
	for len(vals) < f.rows {
		vals = append(vals, "")
	}
	return vals
}
