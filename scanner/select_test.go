package scanner

import "testing"

func TestSelection(t *testing.T) {
	s := Selection{Include: []string{"public.*", "crm.tenants"}, Exclude: []string{"public.audit_*"}}
	for name, want := range map[string]bool{
		"public.tenants": true, "crm.tenants": true, "crm.notes": false, "public.audit_log": false,
	} {
		if got := s.Selected(name); got != want {
			t.Errorf("Selected(%q) = %v, want %v", name, got, want)
		}
	}
	if !(Selection{}).Selected("anything.at_all") {
		t.Errorf("an empty selection selects everything")
	}
	if err := (Selection{Exclude: []string{"public.[a"}}).Check(); err == nil {
		t.Errorf("a malformed glob is not reported")
	}
}
