package reports

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// This file renders a CheckResult for people (Text), for GitHub Actions (GitHub), for code scanning
// (SARIF) and for scripts (JSON).

// checkKind describes one kind of check finding. The list is the SARIF rule table, so its order is stable.
type checkKind struct {
	id    string
	title string // short, for annotation titles and headings
	help  string // full description, for SARIF rules
}

func checkKinds() []checkKind {
	return []checkKind{
		{KindNewPersonal, "New personal field",
			"A field holding personal data appeared that is not in the baseline. Review it with the Data Protection Officer, then update the baseline."},
		{KindNewSpecial, "New special-category field",
			"A field holding special category data (UK GDPR Art. 9) appeared that is not in the baseline. It needs an Art. 9 condition and usually a DPIA before it reaches production."},
		{KindNewCriminal, "New criminal-offence field",
			"A field holding criminal offence data (UK GDPR Art. 10) appeared that is not in the baseline. It needs a Schedule 1 condition of the Data Protection Act 2018 before it reaches production."},
		{KindBecameSpecial, "Field became special category",
			"A baseline field is now classified as special category data (UK GDPR Art. 9), which the baseline did not record."},
		{KindBecameCriminal, "Field became criminal-offence data",
			"A baseline field is now classified as criminal offence data (UK GDPR Art. 10), which the baseline did not record."},
		{KindReclassified, "Field reclassified",
			"A baseline field's data types changed without it becoming more sensitive. Reported, not failing."},
		{KindLessSensitive, "Field less sensitive than baseline",
			"A baseline field lost a special category, criminal offence data, or its personal data status. Reported, not failing."},
		{KindRemovedField, "Baseline field removed",
			"A field in the baseline is no longer present. Reported, not failing; if the scan was incomplete it may only be unreached."},
	}
}

func kindTitle(id string) string {
	for _, k := range checkKinds() {
		if k.id == id {
			return k.title
		}
	}
	return id
}

// Text writes the result for a person reading CI logs: a verdict line, then each finding with what it was
// classified as, why, and how to acknowledge it.
func (r CheckResult) Text(w io.Writer) error {
	p := &textOut{w: w}
	failing := len(r.New) + len(r.MoreSensitive)
	reported := len(r.Reclassified) + len(r.LessSensitive) + len(r.Removed)
	if r.Failed() {
		p.printf("datamap check: FAILED: %s not in the baseline, %s more sensitive than recorded; %d reported\n",
			countNoun(len(r.New), "new personal field"), countNoun(len(r.MoreSensitive), "field"), reported)
	} else {
		p.printf("datamap check: passed: no personal fields beyond the baseline; %d reported\n", reported)
	}
	if !r.Complete {
		p.printf("Note: the scan was incomplete, so removed fields may only be unreached.\n")
	}
	for _, f := range r.Findings() {
		p.printf("\n%s: %s %s\n", f.Level, kindTitle(f.Kind), f.Fingerprint)
		if !f.Location.IsZero() {
			p.printf("  at:         %s\n", f.Location.String())
		}
		if f.Kind != KindRemovedField {
			p.printf("  classified: %s\n", describeClass(f.Classification))
		}
		if f.Baseline != nil {
			p.printf("  baseline:   %s\n", describeClass(*f.Baseline))
		}
		if why := whyText(f.Why); why != "" {
			p.printf("  why:        %s\n", why)
		}
		p.printf("  fix:        %s\n", f.Fix)
	}
	if failing+reported > 0 {
		p.printf("\n%d failing, %d reported (%d reclassified, %d less sensitive, %d removed)\n",
			failing, reported, len(r.Reclassified), len(r.LessSensitive), len(r.Removed))
	}
	return p.err
}

func countNoun(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// String renders a location as file:line.
func (l Location) String() string {
	if l.Line > 0 {
		return l.File + ":" + strconv.Itoa(l.Line)
	}
	return l.File
}

func whyText(w Why) string {
	if len(w.Rules) == 0 {
		return ""
	}
	label := "rule"
	if len(w.Rules) > 1 {
		label = "rules"
	}
	s := fmt.Sprintf("%s %s (method %s, confidence %.2f)", label, strings.Join(w.Rules, ", "), w.Method, w.Confidence)
	if len(w.Examples) > 0 {
		s += "; masked examples: " + strings.Join(w.Examples, " | ")
	}
	return s
}

// message is a finding on one line, for annotations and SARIF.
func (f CheckFinding) message() string {
	var s strings.Builder
	fmt.Fprintf(&s, "%s %s", kindTitle(f.Kind), f.Fingerprint)
	if f.Kind != KindRemovedField {
		fmt.Fprintf(&s, ": %s", describeClass(f.Classification))
	}
	if f.Baseline != nil {
		fmt.Fprintf(&s, " (baseline: %s)", describeClass(*f.Baseline))
	}
	s.WriteString(".")
	if why := whyText(f.Why); why != "" {
		fmt.Fprintf(&s, " Why: %s.", why)
	}
	fmt.Fprintf(&s, " Fix: %s.", f.Fix)
	return s.String()
}

// GitHub writes one GitHub Actions workflow command per finding, which GitHub shows as an annotation on the
// pull request (on the migration's line when the location is known).
func (r CheckResult) GitHub(w io.Writer) error {
	p := &textOut{w: w}
	for _, f := range r.Findings() {
		var props []string
		if !f.Location.IsZero() {
			props = append(props, "file="+githubProperty(f.Location.File))
			if f.Location.Line > 0 {
				props = append(props, "line="+strconv.Itoa(f.Location.Line))
			}
		}
		props = append(props, "title="+githubProperty("datamap: "+kindTitle(f.Kind)+" "+f.Field))
		p.printf("::%s %s::%s\n", f.Level, strings.Join(props, ","), githubData(f.message()))
	}
	return p.err
}

// githubData escapes a workflow command's message, as GitHub's runner unescapes it.
func githubData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// githubProperty escapes a workflow command's property value: as data, plus the separators ':' and ','.
func githubProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// JSON writes the result as indented JSON.
func (r CheckResult) JSON(w io.Writer) error { return writeJSON(w, r) }

// JSON writes the changes as indented JSON.
func (c Changes) JSON(w io.Writer) error { return writeJSON(w, c) }

// SARIF 2.1.0, only the parts datamap fills in.
const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// sarifFingerprintKey names the partial fingerprint; the version suffix lets the scheme change later
	// without matching old alerts wrongly.
	sarifFingerprintKey = "datamapFingerprint/v1"
	informationURI      = "https://github.com/datamap-uk/datamap"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name"`
	ShortDescription     sarifText          `json:"shortDescription"`
	FullDescription      sarifText          `json:"fullDescription"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          sarifProperties   `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogical struct {
	Name               string `json:"name,omitempty"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type sarifProperties struct {
	Classification Classification  `json:"classification"`
	Baseline       *Classification `json:"baseline,omitempty"`
	Why            Why             `json:"why"`
	Fix            string          `json:"fix"`
}

// SARIF writes the result as a SARIF 2.1.0 log with one run, for GitHub code scanning and other viewers.
// Every finding kind is a rule, so rule indexes do not depend on which findings occurred.
func (r CheckResult) SARIF(w io.Writer, toolVersion string) error {
	kinds := checkKinds()
	driver := sarifDriver{Name: "datamap", Version: toolVersion, InformationURI: informationURI}
	index := map[string]int{}
	for i, k := range kinds {
		index[k.id] = i
		driver.Rules = append(driver.Rules, sarifRule{
			ID: k.id, Name: sarifRuleName(k.id),
			ShortDescription:     sarifText{k.title},
			FullDescription:      sarifText{k.help},
			DefaultConfiguration: sarifConfiguration{kindLevel(k.id)},
		})
	}
	results := []sarifResult{}
	for _, f := range r.Findings() {
		loc := sarifLocation{LogicalLocations: []sarifLogical{{
			Name: f.Field, FullyQualifiedName: f.Fingerprint, Kind: "member",
		}}}
		if !f.Location.IsZero() {
			loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifact{URI: sarifURI(f.Location.File)}}
			if f.Location.Line > 0 {
				loc.PhysicalLocation.Region = &sarifRegion{StartLine: f.Location.Line}
			}
		}
		results = append(results, sarifResult{
			RuleID: f.Kind, RuleIndex: index[f.Kind], Level: f.Level,
			Message:             sarifText{f.message()},
			Locations:           []sarifLocation{loc},
			PartialFingerprints: map[string]string{sarifFingerprintKey: f.Fingerprint},
			Properties:          sarifProperties{Classification: f.Classification, Baseline: f.Baseline, Why: f.Why, Fix: f.Fix},
		})
	}
	return writeJSON(w, sarifLog{Schema: sarifSchema, Version: sarifVersion,
		Runs: []sarifRun{{Tool: sarifTool{Driver: driver}, Results: results}}})
}

// sarifRuleName turns a kebab-case ID into the PascalCase name SARIF viewers expect.
func sarifRuleName(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// sarifURI makes a file path a relative URI reference: forward slashes, and percent-escapes for the
// characters a URI cannot hold.
func sarifURI(path string) string {
	path = strings.ReplaceAll(path, `\`, "/")
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		c := path[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("-._~/!$&'()*+,;=@", c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
