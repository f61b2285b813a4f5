package scanner

import "testing"

func TestSubFieldKeyKeepsFieldNamesAndFoldsData(t *testing.T) {
	for key, want := range map[string]string{
		"nhs_no":           "nhs_no",
		"address_line2":    "address_line2",
		"dateOfBirth":      "dateOfBirth",
		"status":           "status",
		"jane@example.org": "*",
		"Jane Smith":       "*",
		"QQ123456C":        "*",
		"9434765919":       "*",
		"LS1 1AA":          "*",
		"okafor":           "*",
		"patel":            "*",
		"a.b":              "*",
		"":                 "*",
	} {
		if got := SubFieldKey(key); got != want {
			t.Errorf("SubFieldKey(%q) = %q, want %q", key, got, want)
		}
	}
}
