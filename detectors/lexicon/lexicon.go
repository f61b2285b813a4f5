// Package lexicon ships the person-name lexicons that the detectors use to recognise names in spreadsheet
// columns and free text: forenames, surnames, and stopnames (names that are also ordinary words, places or
// building words, so never a name on their own).
//
// The lists are embedded text files, one lower-case name a line, so that they can be reviewed, diffed and
// extended without touching code; SOURCES.md says where they come from. Each map is built once, on first use,
// and shared by every caller: callers must treat the maps as read-only.
package lexicon

import (
	_ "embed"
	"strings"
	"sync"
)

var (
	//go:embed forenames.txt
	forenamesTxt string
	//go:embed surnames.txt
	surnamesTxt string
	//go:embed stopnames.txt
	stopnamesTxt string
)

// The maps are built lazily so that a binary that never matches names (a checksum-only scan) pays nothing.
var (
	forenames = sync.OnceValue(func() map[string]struct{} { return parse(forenamesTxt) })
	surnames  = sync.OnceValue(func() map[string]struct{} { return parse(surnamesTxt) })
	stopnames = sync.OnceValue(func() map[string]struct{} { return parse(stopnamesTxt) })
)

// Forenames returns the set of lower-case forenames. The map is shared: do not modify it.
func Forenames() map[string]struct{} { return forenames() }

// Surnames returns the set of lower-case surnames. The map is shared: do not modify it.
func Surnames() map[string]struct{} { return surnames() }

// Stopnames returns the lower-case names that are also ordinary English words, places or building words
// ("will", "grace", "brown", "hill", "street"): on their own they are never evidence of a person. A stopname
// may also be a forename or surname. The map is shared: do not modify it.
func Stopnames() map[string]struct{} { return stopnames() }

// parse reads one name a line, skipping blank lines and # comments. Lines are trimmed so that a file saved
// with CRLF endings still loads.
func parse(text string) map[string]struct{} {
	set := make(map[string]struct{}, strings.Count(text, "\n")+1)
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		set[line] = struct{}{}
	}
	return set
}
