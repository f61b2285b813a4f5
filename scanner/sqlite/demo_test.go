package sqlite

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// demoDB is the demo estate's CRM database, written by testdata/gen.
var demoDB = filepath.Join("..", "..", "testdata", "demo", "estate", "crm", "housing_crm.db")

// TestDemoDatabaseMatchesItsLabels samples the demo estate's SQLite file as the file-share connector will
// and checks every labelled table and column comes back, with rows.
func TestDemoDatabaseMatchesItsLabels(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "demo", "labels.json"))
	if err != nil {
		t.Skipf("demo estate not generated: %v (run go run ./testdata/gen/gendemo)", err)
	}
	var labels struct {
		Fields []struct{ Container, Field string } `json:"fields"`
	}
	if err := json.Unmarshal(b, &labels); err != nil {
		t.Fatal(err)
	}
	const prefix = "crm/housing_crm.db"
	want := map[string][]string{}
	for _, f := range labels.Fields {
		if strings.HasPrefix(f.Container, prefix+"!") {
			want[f.Container] = append(want[f.Container], f.Field)
		}
	}
	if len(want) == 0 {
		t.Fatal("labels.json has no entries for the demo database")
	}
	before, err := os.ReadFile(demoDB)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	if err := Tables(context.Background(), demoDB, Options{Seed: 1}, rec, prefix); err != nil {
		t.Fatal(err)
	}
	if len(rec.unreadable) != 0 {
		t.Errorf("unreadable: %+v", rec.unreadable)
	}
	if len(rec.containers) != len(want) {
		t.Errorf("%d containers, %d labelled", len(rec.containers), len(want))
	}
	for _, c := range rec.containers {
		var got []string
		for _, col := range c.Columns {
			got = append(got, col.Name)
		}
		if !slices.Equal(got, want[c.Name]) {
			t.Errorf("%s: columns %v, labels %v", c.Name, got, want[c.Name])
		}
		if c.RowsSampled == 0 || c.RowsSampled != c.RowsTotal || c.RowsEstimate {
			t.Errorf("%s: sampled %d of %d (estimate %v), want every row of a small table", c.Name, c.RowsSampled, c.RowsTotal, c.RowsEstimate)
		}
	}
	after, err := os.ReadFile(demoDB)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(before, after) {
		t.Error("scanning changed the demo database")
	}
}
