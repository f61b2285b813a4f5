package scanner

import (
	"strings"
	"testing"
)

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
		"jane_okafor":      "*",
		"JaneOkafor":       "*",
		"Okafor-Smith":     "*",
		"mrs_okafor":       "*",
		"jokafor":          "jokafor", // not a name the lexicons know: kept (the key is at least not a whole name)
	} {
		if got := SubFieldKey(key); got != want {
			t.Errorf("SubFieldKey(%q) = %q, want %q", key, got, want)
		}
	}
}

// Field names a CRM's JSON is made of keep their names: no word of them is a person's name.
func TestSubFieldKeyKeepsOrdinaryKeys(t *testing.T) {
	keys := strings.Fields(`address_line1 post_code contact_name emergency_contact next_of_kin gp_practice date_of_birth
		nhs_no phone_mobile email_address support_needs tenancy_start rent_amount housing_officer case_worker
		risk_level ethnicity religion sexual_orientation disability benefits employer job_title marital_status
		allergies medication diagnosis created_at first_name last_name surname preferred_name nationality
		interpreter carer mental_health offending probation police_ref court_date arrears sort_code
		account_number landlord property street town county ward key_worker support_worker social_worker
		lead_officer assigned_to visit_date incident_type perpetrator victim witness reported_by outcome
		follow_up priority review_date valid_from gpName nextOfKin emergencyContactPhone`)
	for _, k := range keys {
		if got := SubFieldKey(k); got != k {
			t.Errorf("SubFieldKey(%q) = %q: an ordinary field name was folded", k, got)
		}
	}
}
