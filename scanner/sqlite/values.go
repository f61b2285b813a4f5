package sqlite

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/datamap-uk/datamap/scanner"
)

const (
	maxJSONDepth  = 3   // "col.a.b.c" at most; anything deeper is kept as compact JSON text
	maxJSONFields = 200 // sub-fields per column; keys beyond go to "col.*"
)

// text renders one scanned value. NULL is "" (an empty cell, not counted); a BLOB that is not UTF-8 text is
// binary and skipped the same way.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		if utf8.Valid(x) {
			return string(x)
		}
		return ""
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.Format(time.RFC3339Nano)
	}
	return ""
}

// jsonFields flattens JSON objects held in a text column into sub-fields "col.key", "col.key.sub", so a key
// named nhs_no is a name cue and its values are matched like any column's. Values of an array are joined
// with newlines, so free-text detectors see them. Rows whose value is not a JSON object get "".
func jsonFields(col string, vals []string) []scanner.Column {
	var order []string
	idx := map[string]int{}
	var cells [][]string // per sub-field, per row
	found := false
	for row, v := range vals {
		t := strings.TrimSpace(v)
		if !strings.HasPrefix(t, "{") {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(t))
		dec.UseNumber() // long digit strings (NHS numbers, phones) stay exactly as written
		var obj map[string]any
		if dec.Decode(&obj) != nil {
			continue
		}
		found = true
		add := func(key, s string) {
			i, ok := idx[key]
			if !ok && len(order) >= maxJSONFields {
				// Past the limit, keys share one sub-field: their values are still classified, never dropped.
				key = col + ".*"
				i, ok = idx[key]
			}
			if !ok {
				i = len(order)
				idx[key] = i
				order = append(order, key)
				cells = append(cells, make([]string, len(vals)))
			}
			if cells[i][row] != "" {
				cells[i][row] += "\n"
			}
			cells[i][row] += s
		}
		flattenObject(col, obj, 1, add)
	}
	if !found {
		return nil
	}
	out := make([]scanner.Column, len(order))
	for i, k := range order {
		out[i] = scanner.Column{Name: k, Type: "json", Values: wrap(cells[i])}
	}
	return out
}

func flattenObject(prefix string, obj map[string]any, depth int, add func(key, s string)) {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys) // maps lose the document's key order; sorted keeps the output stable
	for _, k := range keys {
		flatten(prefix+"."+scanner.SubFieldKey(k), obj[k], depth, add) // data used as keys never becomes a field name
	}
}

func flatten(key string, v any, depth int, add func(key, s string)) {
	switch x := v.(type) {
	case map[string]any:
		if depth >= maxJSONDepth {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			if enc.Encode(x) == nil {
				add(key, strings.TrimSpace(b.String()))
			}
			return
		}
		flattenObject(key, x, depth+1, add)
	case []any:
		for _, e := range x {
			flatten(key, e, depth, add)
		}
	case string:
		add(key, x)
	case json.Number:
		add(key, x.String())
	case bool:
		add(key, strconv.FormatBool(x))
	}
}
