package rules

import (
	"slices"
	"testing"
)

func TestTableContext(t *testing.T) {
	e := defaultEngine(t)
	type col struct {
		name string
		vals []string
	}
	tests := []struct {
		name     string
		cols     []col
		field    string
		personal bool
	}{
		{"block postcode in an asset register is not personal", []col{
			{"block_name", []string{"Elm Court", "Manor Court", "Heaton Court", "Albion Court", "Beech House"}},
			{"postcode", []string{"LS6 3JN", "LS8 7QJ", "NE6 2TZ", "LS11 6FA", "M40 3ZR"}},
		}, "postcode", false},
		{"tenant postcode beside a name stays personal", []col{
			{"name", []string{"Jane Smith", "Amir Khan", "Grace Okafor", "Tomasz Nowak", "Siobhan Murphy"}},
			{"postcode", []string{"LS6 3JN", "LS8 7QJ", "NE6 2TZ", "LS11 6FA", "M40 3ZR"}},
		}, "postcode", true},
		{"ethnic group counts are a summary", []col{
			{"Ethnic Group", []string{"White British", "Indian", "Pakistani", "Black Caribbean", "Chinese"}},
			{"Tenants", []string{"119", "151", "189", "115", "98"}},
		}, "Ethnic Group", false},
		{"repeated ethnic groups are records about people", []col{
			{"Ethnic Group", []string{"White British", "Indian", "White British", "Black Caribbean", "Indian"}},
			{"Tenants", []string{"1", "1", "1", "1", "1"}},
		}, "Ethnic Group", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fs []*Finding
			var distinct []bool
			idx := -1
			for i, c := range tt.cols {
				f := e.Column(c.name, c.vals)
				fs = append(fs, &f)
				seen := map[string]bool{}
				d := true
				for _, v := range c.vals {
					d = d && !seen[v]
					seen[v] = true
				}
				distinct = append(distinct, d)
				if c.name == tt.field {
					idx = i
				}
			}
			if !fs[idx].Personal {
				t.Fatalf("%s not personal before the table pass: the test proves nothing", tt.field)
			}
			Table(fs, func(i int) bool {
				if len(fs[i].SpecialCategory) == 0 {
					t.Errorf("distinct asked about column %d, which is not special category", i)
				}
				return distinct[i]
			})
			f := fs[idx]
			if f.Personal != tt.personal {
				t.Errorf("personal = %v, want %v (confidence %.2f, notes %v)", f.Personal, tt.personal, f.Confidence, f.Evidence.Notes)
			}
			if !tt.personal && (f.Confidence >= PersonalThreshold || len(f.Evidence.Notes) == 0 || len(f.DataTypes) == 0) {
				t.Errorf("a distrusted field keeps its evidence, falls below the threshold and says why: %+v", f)
			}
			if !tt.personal && !slices.ContainsFunc(f.Evidence.Notes, func(n string) bool { return n != "" }) {
				t.Errorf("no note")
			}
		})
	}
}
