package mysql

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// BenchmarkBuilder converts 10,000 rows shaped like the big-table benchmark's (a JSON object held in a
// LONGTEXT column among plain text columns) into column values: the client's share of a sample, no server.
func BenchmarkBuilder(b *testing.B) {
	tb := &table{cols: []column{
		{name: "id", dataType: "int"}, {name: "full_name", dataType: "varchar"}, {name: "email", dataType: "varchar"},
		{name: "postcode", dataType: "varchar"}, {name: "nino", dataType: "char"}, {name: "notes", dataType: "varchar"},
		{name: "profile", dataType: "longtext"}, {name: "created", dataType: "date"},
	}}
	sel := []int{0, 1, 2, 3, 4, 5, 6, 7}
	const n = 10000
	var cells []string
	for i := range n {
		cells = append(cells, fmt.Sprint(i+1), fmt.Sprintf("Tenant %d", i), fmt.Sprintf("tenant%d@example.org", i),
			fmt.Sprintf("M%d %dAE", i%99, i%9), fmt.Sprintf("AB%06dC", i),
			fmt.Sprintf("Repair request %d: boiler not working, tenant asked for a call back", i),
			fmt.Sprintf(`{"phone":"07700900%03d","needs":["none"]}`, i%1000), "2001-01-01")
	}
	b.ReportAllocs()
	for b.Loop() {
		bl := newBuilder(tb, sel, n)
		for i := 0; i < len(cells); i += 2000 * len(sel) {
			bl.add(cells[i:min(len(cells), i+2000*len(sel))])
		}
		if cols := bl.columns(); len(cols) != 10 {
			b.Fatalf("%d columns", len(cols))
		}
	}
}

func TestBuilderFlattensJSONColumnsAndJSONInText(t *testing.T) {
	tb := &table{cols: []column{
		{name: "notes", dataType: "longtext"},
		{name: "profile", dataType: "longtext", json: true},
		{name: "code", dataType: "int"},
	}}
	sel := []int{0, 1, 2}
	const n = 3000
	bl := newBuilder(tb, sel, n)
	for start := 0; start < n; start += 700 { // batches of any size
		var cells []string
		for i := start; i < min(n, start+700); i++ {
			doc := fmt.Sprintf(`{"ref":"%d"}`, i)
			cells = append(cells, doc, doc, fmt.Sprint(i))
		}
		bl.add(cells)
	}
	got := map[string][]string{}
	var names []string
	for _, c := range bl.columns() {
		names = append(names, c.Name)
		if strings.Contains(c.Name, ".") && c.Type != "json" {
			t.Errorf("sub-field %s has type %q, want json", c.Name, c.Type)
		}
		for _, v := range c.Values {
			got[c.Name] = append(got[c.Name], v.Reveal())
		}
	}
	if want := []string{"notes", "notes.ref", "profile", "profile.ref", "code"}; !slices.Equal(names, want) {
		t.Errorf("columns = %q, want %q", names, want)
	}
	if len(got["notes"]) != n {
		t.Errorf("notes kept %d texts, want every one of %d", len(got["notes"]), n)
	}
	if k := len(got["notes.ref"]); k == 0 || k >= n {
		t.Errorf("notes.ref has %d values: JSON in text is flattened for some rows, not all", k)
	}
	if len(got["profile"]) != 0 || len(got["profile.ref"]) != n {
		t.Errorf("profile keeps %d values and profile.ref has %d, want 0 and all %d: a JSON column is taken apart whole",
			len(got["profile"]), len(got["profile.ref"]), n)
	}
}
