package scanner

import (
	"regexp"
	"strings"

	"github.com/datamap-uk/datamap/detectors"
	"github.com/datamap-uk/datamap/detectors/lexicon"
)

// keyShape is what a JSON key must look like to become part of a field name.
var keyShape = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,62}$`)

// SubFieldKey returns the form of a JSON object key that may appear in a sub-field's name ("profile.nhs_no"):
// the key itself when it looks like a field name, or "*". A document used as a map keyed by data
// ({"jane@example.org": ...}, {"QQ123456C": ...}, {"okafor": ...}) must not put that data into the inventory's
// field names and fingerprints, so keys with spaces, @ or dots, keys with more than two digits (identifiers,
// postcodes) and keys that are, or have a word that is, a person's name ("okafor", "jane_okafor") are folded
// into "*".
func SubFieldKey(k string) string {
	if !keyShape.MatchString(k) {
		return "*"
	}
	digits := 0
	for i := 0; i < len(k); i++ {
		if k[i] >= '0' && k[i] <= '9' {
			digits++
		}
	}
	if digits > 2 {
		return "*"
	}
	// The key, and each word of it ("jane_okafor", "JaneOkafor", "mrs_okafor"), must not be a person's name.
	for _, w := range append([]string{strings.ToLower(k)}, detectors.FieldTokens(k, nil)...) {
		if isName(w) {
			return "*"
		}
	}
	return k
}

// isName: w is a forename or surname that is not also an ordinary word.
func isName(w string) bool {
	if _, common := lexicon.Stopnames()[w]; common {
		return false
	}
	if _, ok := lexicon.Surnames()[w]; ok {
		return true
	}
	_, ok := lexicon.Forenames()[w]
	return ok
}
