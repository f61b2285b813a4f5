package lexicon

import (
	"reflect"
	"strings"
	"testing"
)

var files = []struct {
	name  string
	text  string
	set   func() map[string]struct{}
	floor int
}{
	{"forenames.txt", forenamesTxt, Forenames, 2000},
	{"surnames.txt", surnamesTxt, Surnames, 2500},
	{"stopnames.txt", stopnamesTxt, Stopnames, 300},
}

// entries returns a file's name lines with their line numbers, failing on blank lines: a blank line in the
// middle of a list is usually a botched merge.
func entries(t *testing.T, file, text string) ([]string, []int) {
	t.Helper()
	var names []string
	var lines []int
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		switch {
		case strings.TrimSpace(line) == "":
			t.Errorf("%s:%d: blank line", file, i+1)
		case line[0] == '#':
		default:
			names = append(names, line)
			lines = append(lines, i+1)
		}
	}
	return names, lines
}

func validName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' || s[len(s)-1] < 'a' || s[len(s)-1] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && c != '\'' && c != '-' {
			return false
		}
	}
	return true
}

func TestFilesAreSortedLowerCaseAndUnique(t *testing.T) {
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			names, lines := entries(t, f.name, f.text)
			for i, n := range names {
				if !validName(n) {
					t.Errorf("%s:%d: %q is not lower-case letters with inner apostrophes or hyphens", f.name, lines[i], n)
				}
				if i > 0 && n <= names[i-1] {
					t.Errorf("%s:%d: %q is out of order or duplicated after %q (use LC_ALL=C sort -u)", f.name, lines[i], n, names[i-1])
				}
			}
		})
	}
}

func TestMapsHoldEveryEntryAndAreBuiltOnce(t *testing.T) {
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			names, _ := entries(t, f.name, f.text)
			m := f.set()
			if len(m) != len(names) {
				t.Errorf("map has %d names, file has %d", len(m), len(names))
			}
			for _, n := range names {
				if _, ok := m[n]; !ok {
					t.Errorf("%q is in the file but not the map", n)
				}
			}
			if reflect.ValueOf(f.set()).Pointer() != reflect.ValueOf(m).Pointer() {
				t.Error("second call built a new map; want the one shared map")
			}
		})
	}
}

func TestListsAreAboveSizeFloors(t *testing.T) {
	for _, f := range files {
		if n := len(f.set()); n < f.floor {
			t.Errorf("%s has %d names, want at least %d", f.name, n, f.floor)
		}
	}
}

func TestParseSkipsCommentsBlanksAndCarriageReturns(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"reads one name a line", "ann\nbob\n", []string{"ann", "bob"}},
		{"skips comments", "# header\nann\n# note\nbob", []string{"ann", "bob"}},
		{"skips blank lines", "\nann\n\n  \nbob\n", []string{"ann", "bob"}},
		{"trims CRLF endings", "ann\r\nbob\r\n", []string{"ann", "bob"}},
		{"keeps apostrophes and hyphens", "o'brien\nmary-jane\n", []string{"o'brien", "mary-jane"}},
		{"returns an empty set for an empty file", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := parse(tc.in)
			if len(got) != len(tc.want) {
				t.Fatalf("parse(%q) has %d names, want %d", tc.in, len(got), len(tc.want))
			}
			for _, w := range tc.want {
				if _, ok := got[w]; !ok {
					t.Errorf("parse(%q) lacks %q", tc.in, w)
				}
			}
		})
	}
}

func has(m map[string]struct{}, s string) bool {
	_, ok := m[s]
	return ok
}

func TestKnownNamesArePresent(t *testing.T) {
	tests := []struct {
		list string
		set  func() map[string]struct{}
		name string
	}{
		// Recent ONS top names.
		{"forenames", Forenames, "oliver"},
		{"forenames", Forenames, "olivia"},
		{"forenames", Forenames, "muhammad"},
		{"forenames", Forenames, "amelia"},
		{"forenames", Forenames, "arthur"},
		// Older tenants.
		{"forenames", Forenames, "margaret"},
		{"forenames", Forenames, "doreen"},
		{"forenames", Forenames, "kenneth"},
		{"forenames", Forenames, "gladys"},
		{"forenames", Forenames, "reginald"},
		// Welsh, Scottish, Irish.
		{"forenames", Forenames, "rhiannon"},
		{"forenames", Forenames, "eilidh"},
		{"forenames", Forenames, "siobhan"},
		// Communities across the UK.
		{"forenames", Forenames, "aisha"},
		{"forenames", Forenames, "gurpreet"},
		{"forenames", Forenames, "chidi"},
		{"forenames", Forenames, "kwame"},
		{"forenames", Forenames, "agnieszka"},
		{"forenames", Forenames, "mehmet"},
		{"forenames", Forenames, "abdirahman"},
		{"forenames", Forenames, "delroy"},
		{"forenames", Forenames, "mary-jane"},
		{"surnames", Surnames, "smith"},
		{"surnames", Surnames, "jones"},
		{"surnames", Surnames, "macdonald"},
		{"surnames", Surnames, "o'brien"},
		{"surnames", Surnames, "murphy"},
		{"surnames", Surnames, "khan"},
		{"surnames", Surnames, "patel"},
		{"surnames", Surnames, "begum"},
		{"surnames", Surnames, "ahmed"},
		{"surnames", Surnames, "mohamed"},
		{"surnames", Surnames, "singh"},
		{"surnames", Surnames, "kaur"},
		{"surnames", Surnames, "okafor"},
		{"surnames", Surnames, "mensah"},
		{"surnames", Surnames, "nowak"},
		{"surnames", Surnames, "kowalski"},
		{"surnames", Surnames, "wong"},
		{"surnames", Surnames, "nguyen"},
		{"surnames", Surnames, "yilmaz"},
		{"surnames", Surnames, "georgiou"},
		{"surnames", Surnames, "warsame"},
		{"surnames", Surnames, "popescu"},
	}
	for _, tc := range tests {
		t.Run(tc.list+"/"+tc.name, func(t *testing.T) {
			if !has(tc.set(), tc.name) {
				t.Errorf("%s lacks %q", tc.list, tc.name)
			}
		})
	}
}

// TestOrdinaryWordsAreNotStrongNames guards the cell and free-text name detectors: a word that is a forename or
// surname and not a stopname counts as a name on its own, so an ordinary word must never be one.
func TestOrdinaryWordsAreNotStrongNames(t *testing.T) {
	words := []string{
		"the", "and", "of", "to", "in", "for", "on", "at", "by", "with", "from", "or", "not", "no", "yes", "n",
		"street", "court", "road", "avenue", "close", "drive", "way", "place", "square", "terrace", "crescent",
		"house", "flat", "block", "estate", "tower", "lane", "park", "hill", "green", "wood", "church", "hall",
		"name", "address", "email", "phone", "date", "total", "status", "notes", "comments", "type", "other",
		"male", "female", "unknown", "none", "null", "pending", "open", "closed", "void", "active", "current",
		"tenant", "rent", "arrears", "repair", "repairs", "gas", "council", "housing", "officer", "manager",
		"white", "black", "brown", "asian", "mixed", "british", "irish", "english", "welsh", "french",
		"christian", "muslim", "hindu", "sikh", "jewish", "buddhist", "single", "married", "divorced", "widowed",
		"red", "amber", "grace", "hope", "will", "may", "june", "mark", "bill", "ward", "foster", "senior", "head",
		"holder", "grant", "max", "min", "per", "jan", "isa", "reg", "storey", "costa", "said",
	}
	fore, sur, stop := Forenames(), Surnames(), Stopnames()
	for _, w := range words {
		if (has(fore, w) || has(sur, w)) && !has(stop, w) {
			t.Errorf("%q is a forename or surname but not a stopname: it would be read as a name on its own", w)
		}
	}
}

func TestStopnamesHoldTheAmbiguousNames(t *testing.T) {
	for _, w := range []string{
		"will", "mark", "grace", "rose", "hope", "may", "june", "bill", "brown", "green", "white", "black",
		"young", "hill", "wood", "church", "court", "street", "lane", "park", "king", "bishop", "mason", "baker",
		"cook",
	} {
		if !has(Stopnames(), w) {
			t.Errorf("stopnames lacks %q", w)
		}
	}
}

// Names of one or two letters double as abbreviations and codes in spreadsheets ("MA", "ED", "LE").
func TestShortNamesAreStopnames(t *testing.T) {
	stop := Stopnames()
	for _, set := range []map[string]struct{}{Forenames(), Surnames()} {
		for n := range set {
			if len(n) <= 2 && !has(stop, n) {
				t.Errorf("%q is two letters or fewer but not a stopname", n)
			}
		}
	}
}

// A stopname is a name that is also a word, or one of a closed set of place and building words; anything
// else in stopnames.txt is a typo or a name removed from the other lists and left behind.
func TestEveryStopnameIsANameOrAPlaceWord(t *testing.T) {
	placeWords := map[string]bool{
		"avenue": true, "block": true, "chapel": true, "close": true, "court": true, "crescent": true,
		"drive": true, "estate": true, "flat": true, "flats": true, "gardens": true, "house": true, "lodge": true,
		"mews": true, "place": true, "road": true, "row": true, "square": true, "street": true, "terrace": true,
		"tower": true, "walk": true, "way": true, "wharf": true, "yard": true,
	}
	fore, sur := Forenames(), Surnames()
	for w := range Stopnames() {
		if !has(fore, w) && !has(sur, w) && !placeWords[w] {
			t.Errorf("stopname %q is neither a forename, a surname nor a known place word", w)
		}
	}
	for w := range placeWords {
		if !has(Stopnames(), w) {
			t.Errorf("place word %q is missing from stopnames", w)
		}
	}
}

// Street and building words that are not also common surnames must stay out of the surname list: after a
// forename they would turn "Victoria Court" and "John Street" into names.
func TestStreetWordsAreNotSurnames(t *testing.T) {
	for _, w := range []string{"street", "court", "road", "avenue", "close", "drive", "way", "place", "terrace", "crescent", "lodge", "gardens", "mews"} {
		if has(Surnames(), w) {
			t.Errorf("surnames holds street word %q", w)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	for _, f := range files {
		b.Run(f.name, func(b *testing.B) {
			b.SetBytes(int64(len(f.text)))
			for b.Loop() {
				parse(f.text)
			}
		})
	}
}
