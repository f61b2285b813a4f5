package reports

import (
	"fmt"
	"slices"
	"strings"

	"github.com/datamap-uk/datamap/scanner"
)

// largeScaleRecords is the record count from which the screening calls special-category or criminal data "large
// scale". UK GDPR does not define the term; the figure is the tool's prompt for the DPO, who decides.
const largeScaleRecords = 1000

// vulnerability signals: data types whose presence says who the records are about. Each maps to the group as the
// DPIA context question puts it.
var vulnerabilitySignals = []struct{ dataType, group string }{
	{"safeguarding", "children or adults at risk (safeguarding records)"},
	{"vulnerability", "adults with vulnerabilities or support needs"},
	{"domestic_abuse", "victims and survivors of domestic abuse"},
	{"care_leaver", "care leavers (young people leaving local authority care)"},
	{"homelessness", "homeless people and applicants"},
	{"immigration_status", "people subject to immigration control"},
	{"gender_identity", "trans people (gender history: Gender Recognition Act 2004 s.22)"},
	{"risk_marker", "people with warning or risk markers"},
	{"mappa", "offenders managed under MAPPA"},
	{"sex_offender", "registered sex offenders"},
	{"probation", "people on probation"},
	{"substance_misuse", "people with substance misuse needs"},
	{"mental_health", "people with mental health needs"},
}

// childWords in a field or container name suggest records about children, for which the scan has no value rule.
var childWords = []string{"child", "children", "minor", "minors", "pupil", "pupils", "juvenile", "youth",
	"under18", "dependant", "dependants", "dependent", "dependents", "kids"}

// physicalHarmTypes are data types whose disclosure could put someone's physical safety at risk.
var physicalHarmTypes = []string{"domestic_abuse", "safeguarding", "mappa", "sex_offender", "risk_marker",
	"immigration_status", "gender_identity"}

// matchingIdentifiers are identifiers that let data sets be matched or combined.
var matchingIdentifiers = []string{"nino", "nhs_number", "chi_number", "hc_number", "tenancy_reference", "uprn",
	"passport_number", "driving_licence", "utr"}

var financialTypes = []string{"bank_account", "sort_code", "iban", "payment_card", "rent_arrears", "benefits"}

type typeUse struct {
	fields     int
	containers []string // source/container, in inventory order
}

func nameTokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
}

// dpiaScreen is the DPIA screening drafted from a scan, worked out once and rendered by each report. Its text is
// plain: names (sources, containers) are as the estate spells them, and each writer escapes them its own way.
type dpiaScreen struct {
	NoPersonal    bool
	NatureLine    string
	Kinds         []dpiaKind
	Scope         []dpiaScope
	ScopeNotes    []string
	Groups        []string
	Answers       []dpiaAnswer
	Outcome       string // required, likely or maybe: also the HTML report's CSS class
	OutcomeTitle  string
	OutcomeDetail string
	Caveat        string
}

type dpiaKind struct {
	Kind, Fields string
	Where        []string // source/container names, the first three
	More         string
}

type dpiaScope struct {
	Source                                            string
	Containers, Records, Documents, Special, Criminal string // digit-grouped counts; Records may add "(estimated)"
	Bytes                                             string // in decimal units, as a file manager shows
	ExactBytes                                        string // the digit-grouped byte count
}

type dpiaAnswer struct {
	Question string
	Yes      bool
	Basis    string
}

// yes counts the screening answers that are yes.
func (d *dpiaScreen) yes() int {
	n := 0
	for _, a := range d.Answers {
		if a.Yes {
			n++
		}
	}
	return n
}

// screenDPIA answers the DPIA screening questions from the inventory. It follows step 2 of the ICO's DPIA guidance:
// the nature, scope and context of the processing, as far as a scan can see them.
func screenDPIA(inv *scanner.Inventory) dpiaScreen {
	s := inv.Summary
	var d dpiaScreen
	uses := map[string]*typeUse{}
	var childPlaces []string
	for i := range inv.Fields {
		f := &inv.Fields[i]
		if !counted(f) { // the DPO decided it is not personal: it says nothing about the processing
			continue
		}
		where := f.Source + "/" + f.Container
		for _, t := range f.DataTypes {
			u := uses[t]
			if u == nil {
				u = &typeUse{}
				uses[t] = u
			}
			u.fields++
			if !slices.Contains(u.containers, where) {
				u.containers = append(u.containers, where)
			}
		}
		for _, tok := range append(nameTokens(f.Container), nameTokens(f.Field)...) {
			if slices.Contains(childWords, tok) {
				if !slices.Contains(childPlaces, where) {
					childPlaces = append(childPlaces, where)
				}
				break
			}
		}
	}
	has := func(types []string) []string {
		var out []string
		for _, t := range types {
			if uses[t] != nil {
				out = append(out, t)
			}
		}
		return out
	}
	bySource := sourceCoverage(inv)
	cov := totalCoverage(bySource)

	d.NoPersonal = s.PersonalFields == 0
	if !d.NoPersonal {
		d.NatureLine = fmt.Sprintf("Personal data was found in %s across %s: %s.",
			plural(cov.personalContainers, "container", "containers"), plural(s.Sources, "source", "sources"),
			plural(s.PersonalFields, "field", "fields"))
		types := sortedKeys(uses)
		slices.SortStableFunc(types, func(a, b string) int { return uses[b].fields - uses[a].fields })
		for _, t := range types {
			u := uses[t]
			k := dpiaKind{Kind: humanType(t), Fields: num(u.fields), Where: u.containers[:min(3, len(u.containers))]}
			if n := len(u.containers) - len(k.Where); n > 0 {
				k.More = num(n) + " more"
			}
			d.Kinds = append(d.Kinds, k)
		}
	}

	for _, c := range bySource {
		rec := num(c.personalRows)
		if c.rowsEstimated {
			rec += " (estimated)"
		}
		d.Scope = append(d.Scope, dpiaScope{Source: c.src.Name, Containers: num(c.personalContainers), Records: rec,
			Documents: num(c.personalDocs), Special: num(c.special), Criminal: num(c.criminal),
			Bytes: byteSize(c.personalBytes), ExactBytes: num(c.personalBytes)})
	}
	var classes []string
	for _, c := range classesFound(s.SpecialByCategory) {
		classes = append(classes, fmt.Sprintf("%s (%s)", classLabel(c), plural(s.SpecialByCategory[c], "field", "fields")))
	}
	if len(classes) > 0 {
		d.ScopeNotes = append(d.ScopeNotes, "Special categories present: "+strings.Join(classes, ", ")+".")
	} else {
		d.ScopeNotes = append(d.ScopeNotes, "No special-category data found.")
	}
	if s.CriminalFields > 0 {
		d.ScopeNotes = append(d.ScopeNotes, "Criminal offence data present: "+plural(s.CriminalFields, "field", "fields")+".")
	} else {
		d.ScopeNotes = append(d.ScopeNotes, "No criminal offence data found.")
	}
	d.ScopeNotes = append(d.ScopeNotes, fmt.Sprintf("Special-category or criminal data sits in %s holding up to %s and %s.",
		plural(cov.specialContainers, "container", "containers"), plural(cov.specialRows, "record", "records"),
		plural(cov.specialDocs, "document", "documents")))

	for _, v := range vulnerabilitySignals {
		if u := uses[v.dataType]; u != nil {
			d.Groups = append(d.Groups, fmt.Sprintf("%s: %s in %s", v.group, plural(u.fields, "field", "fields"),
				plural(len(u.containers), "container", "containers")))
		}
	}
	if len(childPlaces) > 0 {
		d.Groups = append(d.Groups, "children (by field or container name only): "+
			plural(len(childPlaces), "container", "containers"))
	}

	large := cov.specialRows >= largeScaleRecords
	genetic := s.SpecialByCategory["genetic"] + s.SpecialByCategory["biometric"]
	harm := has(physicalHarmTypes)
	var matching []string
	for _, t := range matchingIdentifiers {
		if u := uses[t]; u != nil && len(u.containers) > 1 {
			matching = append(matching, t)
		}
	}
	financial := has(financialTypes)
	basis := func(types []string) string {
		if len(types) == 0 {
			return "none found"
		}
		return humanList(types)
	}
	d.Answers = []dpiaAnswer{
		{"Special category data (UK GDPR Art. 9)?", s.SpecialFields > 0, plural(s.SpecialFields, "field", "fields")},
		{"Criminal offence data (UK GDPR Art. 10)?", s.CriminalFields > 0, plural(s.CriminalFields, "field", "fields")},
		{"Special category or criminal offence data on a large scale (Art. 35(3)(b))?", large,
			fmt.Sprintf("up to %s in tables holding it (prompt set at %s; the DPO judges scale), plus %s",
				plural(cov.specialRows, "record", "records"), num(largeScaleRecords), plural(cov.specialDocs, "document", "documents"))},
		{"Data about vulnerable people, including children?", len(d.Groups) > 0,
			plural(len(d.Groups), "group signalled", "groups signalled")},
		{"Genetic or biometric data?", genetic > 0, plural(genetic, "field", "fields")},
		{"Data whose breach could put someone's physical safety at risk?", len(harm) > 0, basis(harm)},
		{"Identifiers that let data sets be matched or combined, held in more than one place?", len(matching) > 0,
			basis(matching)},
		{"Financial data (bank, card, arrears, benefits)?", len(financial) > 0, basis(financial)},
	}
	yes := d.yes()
	// The ICO requires a DPIA for large-scale special-category or criminal data, and expects one where
	// two or more high-risk criteria meet.
	switch {
	case large:
		d.Outcome, d.OutcomeTitle = "required", "Indicative outcome: a DPIA is required"
		d.OutcomeDetail = "Large-scale special category or criminal offence data. The DPO must confirm."
	case yes >= 2:
		d.Outcome, d.OutcomeTitle = "likely", "Indicative outcome: a DPIA is likely to be needed"
		d.OutcomeDetail = fmt.Sprintf("%d screening answers are yes. The DPO must confirm.", yes)
	default:
		d.Outcome, d.OutcomeTitle = "maybe", "Indicative outcome: a DPIA may not be needed"
		d.OutcomeDetail = "On the scan's evidence. The DPO must confirm, and record the decision."
	}
	if s.Unreadable > 0 || s.SourcesFailed > 0 || !inv.Complete {
		d.Caveat = fmt.Sprintf("Coverage caveat: %s could not be read and %s failed, so the answers may understate what is held.",
			plural(s.Unreadable, "item", "items"), plural(s.SourcesFailed, "source", "sources"))
	}
	return d
}
