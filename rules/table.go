package rules

import "fmt"

// identifying data types single a person out on their own; a table with none of them among its personal
// fields holds no one in particular.
var identifying = map[string]bool{
	"person_name": true, "email": true, "phone": true, "date_of_birth": true, "nino": true, "nhs_number": true,
	"chi_number": true, "hc_number": true, "passport_number": true, "driving_licence": true, "utr": true,
	"tenancy_reference": true, "bank_account": true, "payment_card": true, "iban": true, "ip_address": true,
	"vehicle_registration": true, "next_of_kin": true, "household_member": true,
}

// Identifying reports whether any of the data types singles a person out on its own.
func Identifying(types []string) bool {
	for _, t := range types {
		if identifying[t] {
			return true
		}
	}
	return false
}

// locating data types say where a place is: personal when they are someone's address, not when they are a
// block of flats in an asset register.
var locating = map[string]bool{"address": true, "postcode": true, "uprn": true}

// notTrusted is the confidence a finding keeps when its table says it is about no one.
const notTrusted = 0.45

// Table revisits the findings of one table's columns in the light of the whole table. When no column
// identifies a person, an address column is a building's address, and a special-category column whose
// sampled values are all different (each ethnic group once, with a count beside it) is a lookup or a
// summary, not a record about someone: both keep their evidence but fall below the personal threshold, with
// a note that says why. Only columns whose values bear out their type count as identifying (a column found
// by its name alone does not). distinct(i) reports whether column i's non-empty sampled values were all
// different; it is asked only about special-category columns, so the caller need not work it out for every
// column.
func Table(fs []*Finding, distinct func(i int) bool) {
	for _, f := range fs {
		if !f.Personal || f.Evidence.Method == "name" {
			continue // a "phone" column holding "n/a" identifies no one
		}
		for _, t := range f.DataTypes {
			if identifying[t] {
				return
			}
		}
	}
	for i, f := range fs {
		if !f.Personal {
			continue
		}
		switch {
		case onlyLocating(f.DataTypes) && len(f.SpecialCategory) == 0 && !f.CriminalOffence:
			f.distrust("location only: nothing in this table identifies a person")
		case len(f.SpecialCategory) > 0 && f.Evidence.NonEmpty >= 3 && distinct(i):
			f.distrust(fmt.Sprintf("each of the %d sampled values appears once and nothing in this table identifies a person: a lookup or summary table", f.Evidence.NonEmpty))
		}
	}
}

func onlyLocating(types []string) bool {
	for _, t := range types {
		if !locating[t] {
			return false
		}
	}
	return len(types) > 0
}

func (f *Finding) distrust(why string) {
	f.Personal = false
	f.SpecialCategory = []string{}
	f.CriminalOffence = false
	f.HighRisk = false
	f.Confidence = min(f.Confidence, notTrusted)
	f.Evidence.Notes = append(f.Evidence.Notes, why)
}
