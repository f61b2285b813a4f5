package rules

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/datamap-uk/datamap/detectors"
)

// Finding is the classification of one field (a column, or a document's text).
type Finding struct {
	Personal        bool     `json:"personal"`
	DataTypes       []string `json:"data_types"`
	SpecialCategory []string `json:"special_category"`
	CriminalOffence bool     `json:"criminal_offence"`
	HighRisk        bool     `json:"high_risk"`
	Confidence      float64  `json:"confidence"`
	Evidence        Evidence `json:"evidence"`
}

// Evidence says why a field was classified as it was. It never holds a raw value: examples are masked when
// they are captured.
type Evidence struct {
	Sampled  int            `json:"sampled"`         // values looked at (for free text: characters)
	NonEmpty int            `json:"non_empty"`       // values that were not blank
	FreeText bool           `json:"free_text"`       // values were read as prose
	Method   string         `json:"method"`          // name, value, both, or none
	Names    []string       `json:"name_rules"`      // rules whose field-name cue matched
	Matched  map[string]int `json:"matched"`         // rule ID -> values (or free-text matches) that matched
	Examples []string       `json:"examples"`        // masked
	Notes    []string       `json:"notes,omitempty"` // what a reviewer should know
	Rules    []RuleScore    `json:"rule_scores"`     // per-rule confidence, highest first
}

// RuleScore is one rule's verdict on a field.
type RuleScore struct {
	Rule       string  `json:"rule"`
	Confidence float64 `json:"confidence"`
	Method     string  `json:"method"`
}

// PersonalThreshold is the confidence from which a field counts as personal data.
const PersonalThreshold = 0.5

// How many masked examples evidence carries.
const (
	maxExamples      = 3  // per rule
	maxMaskTries     = 16 // values masked per rule in search of distinct examples
	maxFieldExamples = 5  // per field, across its rules
)

// Bounds of a column's memo (see Column).
const (
	maxMemoEntries = 2048 // distinct values remembered per column
	maxMemoValue   = 64   // longer values are rarely repeated
	memoTrial      = 256  // distinct values after which a column with few repeats stops memoising
)

type ruleEv struct {
	maskTries   int
	name        bool
	hits        int // values (or text matches) that matched
	unconfirmed int // identifier matches that needed context and had none
	weak        int
	lastCell    int
	examples    []string
}

type acc struct {
	e        *Engine
	ev       []ruleEv
	touched  []int
	freeText bool
	notes    []string
	rec      *[]op           // while set, evidence is also recorded for the column's memo
	hits     []detectors.Hit // feed's buffers, reused from cell to cell
	voids    []detectors.Hit
	lastDet  string // the detector of the last hit and its rules: a column's cells hit the same one
	lastBy   []*compiled
}

func (e *Engine) newAcc(field string) *acc {
	a := &acc{e: e, ev: make([]ruleEv, len(e.rules))}
	for i := range a.ev {
		a.ev[i].lastCell = -1
	}
	for _, c := range e.nameMatches(field) {
		a.touch(c).name = true
	}
	return a
}

func (a *acc) touch(c *compiled) *ruleEv {
	ev := &a.ev[c.idx]
	if !ev.name && ev.hits == 0 && ev.unconfirmed == 0 && ev.weak == 0 {
		a.touched = append(a.touched, c.idx)
	}
	return ev
}

func (a *acc) example(ev *ruleEv, raw string) {
	// Masks of different values are often the same ("J••• S•••"): stop trying after a few, or a column of
	// names would mask every cell.
	if len(ev.examples) >= maxExamples || ev.maskTries >= maxMaskTries {
		return
	}
	ev.maskTries++
	m := detectors.Mask(raw)
	if !slices.Contains(ev.examples, m) {
		ev.examples = append(ev.examples, m)
	}
}

// What a value did to the evidence, so a repeated value in a column can be replayed instead of scanned again.
const (
	opHit = iota
	opWeak
	opUnconfirmed
)

type op struct {
	kind uint8
	c    *compiled
	raw  string
}

// do applies one piece of evidence and, while a column's values are being memoised, records it.
func (a *acc) do(kind uint8, c *compiled, cell int, raw string) {
	if a.rec != nil {
		*a.rec = append(*a.rec, op{kind, c, raw})
	}
	a.apply(op{kind, c, raw}, cell)
}

func (a *acc) apply(o op, cell int) {
	switch o.kind {
	case opHit:
		a.hit(o.c, cell, o.raw)
	case opWeak:
		ev := a.touch(o.c)
		ev.weak++
		a.example(ev, o.raw)
	case opUnconfirmed:
		ev := a.touch(o.c)
		ev.unconfirmed++
		a.example(ev, o.raw)
	}
}

// hit records one matching value for rule c. cell numbers the value so a column counts values, not matches.
func (a *acc) hit(c *compiled, cell int, raw string) {
	ev := a.touch(c)
	if a.freeText || ev.lastCell != cell {
		ev.hits++
		ev.lastCell = cell
	}
	a.example(ev, raw)
}

// feed runs every matcher over one value.
func (a *acc) feed(s string, cell int, text bool) {
	e := a.e
	a.hits = a.hits[:0]
	collect := func(h detectors.Hit) { a.hits = append(a.hits, h) }
	if text {
		e.scan.Text(s, collect)
	} else {
		e.scan.Cell(s, collect)
	}
	hits := a.hits

	// In order of Start (an e-mail address is reported at its '@'), so context lookups can binary search.
	slices.SortStableFunc(hits, func(x, y detectors.Hit) int { return x.Start - y.Start })

	// Spans of not_terms void the terms of the same rules inside them.
	voids := a.voids[:0]
	for _, h := range hits {
		if h.Detector == "" && len(e.phrases[h.Phrase].not) > 0 {
			voids = append(voids, h)
		}
	}
	a.voids = voids
	voided := func(c *compiled, h detectors.Hit) bool {
		for _, v := range voids {
			if v.Start <= h.Start && h.End <= v.End && slices.Contains(e.phrases[v.Phrase].not, c) {
				return true
			}
		}
		return false
	}

	for _, h := range hits {
		raw := s[h.Start:h.End]
		if h.Detector == "" {
			for _, c := range e.phrases[h.Phrase].term {
				if !voided(c, h) {
					a.do(opHit, c, cell, raw)
				}
			}
			continue
		}
		if h.Detector != a.lastDet {
			a.lastDet, a.lastBy = h.Detector, e.byDet[h.Detector]
		}
		for _, c := range a.lastBy {
			if h.Weak {
				a.do(opWeak, c, cell, raw)
				continue
			}
			if c.NeedsContext && !a.ev[c.idx].name && !contextNear(e, c, h, hits) {
				a.do(opUnconfirmed, c, cell, raw)
				continue
			}
			a.do(opHit, c, cell, raw)
		}
	}

	if !text && len(s) <= 2*e.maxAnswer+8 && e.mayBeAnswer(s) {
		var buf [128]byte
		ans := e.answers[string(detectors.AppendNormalised(buf[:0], s))]
		for _, c := range ans.values {
			a.do(opHit, c, cell, s)
		}
		for _, c := range ans.weak {
			if a.ev[c.idx].name {
				a.do(opHit, c, cell, s)
			}
		}
	}

	if len(e.custom) > 0 {
		var low string
		for _, c := range e.custom {
			if len(c.keywords) > 0 {
				if low == "" {
					low = strings.ToLower(s)
				}
				if !containsAny(low, c.keywords) {
					continue
				}
			}
			m, err := c.re.FindStringMatch(s)
			if err != nil {
				// Never the error's text: regexp2 quotes the whole input in it.
				a.note(fmt.Sprintf("rule %s: the pattern ran out of time on a value, which was skipped", c.ID))
				continue
			}
			for m != nil {
				a.do(opHit, c, cell, m.String())
				if !a.freeText {
					break
				}
				if m, err = c.re.FindNextMatch(m); err != nil {
					break
				}
			}
		}
	}
}

func (a *acc) note(n string) {
	if !slices.Contains(a.notes, n) {
		a.notes = append(a.notes, n)
	}
}

func containsAny(s string, subs []string) bool {
	for _, k := range subs {
		if strings.Contains(s, k) {
			return true
		}
	}
	return false
}

// maxPhraseBytes bounds how far before h a context phrase that ends near h may start.
const maxPhraseBytes = 256

// contextNear reports whether a context phrase of c ends within contextWindow bytes before h or starts within
// half that after it. hits are sorted by Start; only the hits near h are looked at, so a long document
// with many identifiers stays linear.
func contextNear(e *Engine, c *compiled, h detectors.Hit, hits []detectors.Hit) bool {
	from, _ := slices.BinarySearchFunc(hits, h.Start-contextWindow-maxPhraseBytes, func(o detectors.Hit, start int) int {
		return o.Start - start
	})
	for _, o := range hits[from:] {
		if o.Start > h.End+contextWindow/2 {
			break
		}
		if o.Detector != "" || !slices.Contains(e.phrases[o.Phrase].context, c) {
			continue
		}
		if (o.End <= h.Start && h.Start-o.End <= contextWindow) || (o.Start >= h.End && o.Start-h.End <= contextWindow/2) {
			return true
		}
	}
	return false
}

// Column classifies a structured field (a database or spreadsheet column) from its name and sampled values.
// Values that read as prose (a notes column) go through the free-text matchers one by one. Column keeps no
// reference to the values slice once it returns, so a caller may reuse it.
func (e *Engine) Column(name string, values []string) Finding {
	a := e.newAcc(name)
	// Whether the values are codes matters only to a name cue none of the values bore out: worked out then.
	isCoded := sync.OnceValue(func() bool { return coded(values) })
	nonEmpty, prose := 0, 0
	for _, v := range values {
		v = detectors.Trim(v)
		if v != "" {
			nonEmpty++
			if isProse(v) {
				prose++
			}
		}
	}
	a.freeText = nonEmpty > 0 && prose*4 >= nonEmpty // most values are sentences rather than codes
	// Columns repeat themselves (statuses, categories, answer lists): a value seen before replays the evidence
	// it gave, instead of being scanned again. What a cell gives depends only on the cell and the field's
	// name, so the replay is exact. The memo is bounded in entries and value length.
	// A column that turns out to hold mostly distinct values (identifiers, amounts) stops using it early.
	// Keys, amounts and timestamps cost less to scan than to remember.
	var memo map[string][]op // made on first use
	useMemo, replays := !a.freeText && !e.noMemo, 0
	for i, v := range values {
		// Trimmed once, here: hits' offsets are into the trimmed cell, and " Open" is "Open" to the memo.
		v = detectors.Trim(v)
		if v == "" {
			continue
		}
		if useMemo && e.scan.Cheap(v) {
			a.feed(v, i, false)
			continue
		}
		if useMemo {
			if ops, ok := memo[v]; ok {
				replays++
				for _, o := range ops {
					a.apply(o, i)
				}
				continue
			}
			if len(memo) == memoTrial && replays*4 < memoTrial {
				useMemo = false
			}
		}
		if !useMemo || len(v) > maxMemoValue || len(memo) >= maxMemoEntries {
			a.feed(v, i, a.freeText)
			continue
		}
		var ops []op
		a.rec = &ops
		a.feed(v, i, false)
		a.rec = nil
		if memo == nil {
			memo = make(map[string][]op, min(len(values), 64))
		}
		memo[v] = ops
	}
	return a.finish(len(values), nonEmpty, isCoded)
}

// Text classifies a free-text document (a letter, a log, an e-mail) as one field.
func (e *Engine) Text(name, text string) Finding {
	a := e.newAcc(name)
	a.freeText = true
	nonEmpty := 0
	if strings.TrimSpace(text) != "" {
		nonEmpty = 1
		a.feed(text, 0, true)
	}
	return a.finish(len(text), nonEmpty, func() bool { return false })
}

// isProse: a trimmed value that reads as a sentence rather than a code or an identifier.
func isProse(v string) bool { return len(v) >= 40 && strings.Count(v, " ") >= 5 }

var codedWords = map[string]bool{"yes": true, "no": true, "true": true, "false": true, "unknown": true,
	"none": true, "n a": true, "not known": true, "prefer not to say": true, "not applicable": true}

// coded reports a column of short codes or yes/no answers, which cannot confirm or contradict a name cue.
func coded(values []string) bool {
	n, short := 0, 0
	for _, v := range values {
		v = detectors.Trim(v)
		if v == "" {
			continue
		}
		n++
		if len(v) <= 3 || isNumber(v) || (len(v) <= 24 && isCodedWord(v)) {
			short++
		}
	}
	return n > 0 && short*5 >= n*4
}

// mayBeAnswer: s's first letter or digit, lower-cased, starts some answer, and each of its letters and digits
// is in one; or s has none and some answer normalises to nothing. Bytes past ASCII are not judged.
func (e *Engine) mayBeAnswer(s string) bool {
	first := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return true
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		default:
			continue
		}
		if (first && !e.answerStart[c]) || !e.answerByte[c] {
			return false
		}
		first = false
	}
	if first { // no letter or digit: only an answer that normalises to nothing ("-" in a user's pack) can match
		_, ok := e.answers[""]
		return ok
	}
	return true
}

func isCodedWord(v string) bool {
	var buf [64]byte
	return codedWords[string(detectors.AppendNormalised(buf[:0], v))]
}

func isNumber(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.' || r == '-' || r == ',' || r == ' ':
		default:
			return false
		}
	}
	return digits > 0
}

// validated detectors prove themselves by checksum or strict structure, so a column full of them needs no
// name or context.
var validated = map[string]bool{
	detectors.NHSNumber: true, detectors.CHINumber: true, detectors.HCNumber: true, detectors.UTR: true,
	detectors.IBAN: true, detectors.PaymentCard: true, detectors.NINO: true, detectors.DrivingLicence: true,
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// score turns one rule's evidence into a confidence and a method.
func (a *acc) score(c *compiled, ev *ruleEv, nonEmpty int, isCoded func() bool) (float64, string) {
	hits := ev.hits
	// A column of checksum-valid identifiers is its own context.
	if !a.freeText && ev.unconfirmed > 0 && validated[c.Detector] && nonEmpty >= 5 && ev.unconfirmed*10 >= nonEmpty*8 {
		hits += ev.unconfirmed
	}
	ratio := 0.0
	if nonEmpty > 0 {
		ratio = float64(hits) / float64(nonEmpty)
	}
	switch {
	case ev.name && hits > 0:
		return 0.8 + 0.2*math.Min(1, ratio*2), "both"
	case ev.name:
		switch {
		case !c.checked || nonEmpty == 0:
			return 0.6, "name"
		case nonEmpty < 5 || isCoded():
			return 0.5, "name"
		case ratio == 0 && ev.unconfirmed == 0 && ev.weak == 0:
			a.note(fmt.Sprintf("%s: the field name matched but none of %d sampled values did, so the name is not trusted", c.ID, nonEmpty))
			return 0.3, "name"
		default:
			return 0.5, "name"
		}
	case hits > 0 && a.freeText:
		switch {
		case hits >= 5:
			return 0.85, "value"
		case hits >= 2:
			return 0.7, "value"
		default:
			return 0.55, "value"
		}
	case hits > 0:
		switch {
		case ratio >= 0.5:
			return 0.6 + 0.3*ratio, "value"
		case len(c.Terms) > 0 && hits >= 2:
			// Special-category or criminal words in a few records: those records hold such data, however
			// few they are among the rest.
			return 0.5, "value"
		case c.Detector == detectors.PersonName && ratio < 0.3:
			// Block names ("Victoria Mills") and firms read as names now and then; people's names fill a column.
			return 0.35, "value"
		case validated[c.Detector], hits >= 3 && ratio >= 0.1, hits >= 2 && ratio >= 0.2:
			// One checksum-valid identifier is evidence on its own; one cell that looks like a name is not.
			return 0.5, "value"
		default:
			return 0.35, "value"
		}
	case ev.weak > 0 || ev.unconfirmed > 0:
		return 0.3, "value"
	}
	return 0, "none"
}

func (a *acc) finish(sampled, nonEmpty int, isCoded func() bool) Finding {
	f := Finding{
		DataTypes:       []string{},
		SpecialCategory: []string{},
		Evidence: Evidence{
			Sampled: sampled, NonEmpty: nonEmpty, FreeText: a.freeText, Method: "none",
			Names: []string{}, Matched: map[string]int{}, Examples: []string{}, Rules: []RuleScore{},
		},
	}
	var all []scored
	maxIDHits := 0
	for _, i := range a.touched {
		c, ev := a.e.rules[i], &a.ev[i]
		if c.Detector != "" && ev.hits > maxIDHits {
			maxIDHits = ev.hits
		}
	}
	for _, i := range a.touched {
		c, ev := a.e.rules[i], &a.ev[i]
		conf, method := a.score(c, ev, nonEmpty, isCoded)
		// Competing identifier readings of the same values (an NHS number that also passes the UTR check):
		// the minority reading without a name cue is dropped.
		if !a.freeText && c.Detector != "" && !ev.name && ev.hits*2 < maxIDHits {
			conf = math.Min(conf, 0.3)
		}
		all = append(all, scored{c, ev, round2(conf), method})
		if ev.name {
			f.Evidence.Names = append(f.Evidence.Names, c.ID)
		}
		if ev.hits > 0 {
			f.Evidence.Matched[c.ID] = ev.hits
		}
	}
	// A name cue that its own answer list could not confirm still stands when the values are people's names
	// or other identifiers: a "Probation Officer" column of names is about someone's probation, while a
	// "religion" column of church halls is about buildings.
	if people := identifyingValues(all); people != "" {
		for k := range all {
			if all[k].method == "name" && all[k].conf < PersonalThreshold && all[k].ev.name {
				all[k].conf = 0.6
				a.dropNotes(all[k].c.ID)
				a.note(fmt.Sprintf("%s: the values are not among the rule's answers but they are %s, so the field name stands", all[k].c.ID, people))
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].conf != all[j].conf {
			return all[i].conf > all[j].conf
		}
		return all[i].c.ID < all[j].c.ID
	})
	methods := map[string]bool{}
	for _, s := range all {
		f.Evidence.Rules = append(f.Evidence.Rules, RuleScore{Rule: s.c.ID, Confidence: s.conf, Method: s.method})
		if s.conf < PersonalThreshold {
			continue
		}
		for _, x := range s.ev.examples {
			if len(f.Evidence.Examples) < maxFieldExamples && !slices.Contains(f.Evidence.Examples, x) {
				f.Evidence.Examples = append(f.Evidence.Examples, x)
			}
		}
		if !s.c.IsPersonal() {
			continue
		}
		f.Personal = true
		f.Confidence = math.Max(f.Confidence, s.conf)
		methods[s.method] = true
		addUnique(&f.DataTypes, s.c.DataType)
		if s.c.SpecialCategory != "" {
			addUnique(&f.SpecialCategory, s.c.SpecialCategory)
		}
		f.CriminalOffence = f.CriminalOffence || s.c.Criminal
		f.HighRisk = f.HighRisk || s.c.HighRisk || s.c.SpecialCategory != "" || s.c.Criminal
	}
	if !f.Personal && len(all) > 0 {
		f.Confidence = all[0].conf
		methods[all[0].method] = true
	}
	switch {
	case methods["both"] || (methods["name"] && methods["value"]):
		f.Evidence.Method = "both"
	case methods["name"]:
		f.Evidence.Method = "name"
	case methods["value"]:
		f.Evidence.Method = "value"
	}
	sort.Strings(f.DataTypes)
	order := SpecialCategories()
	sort.Slice(f.SpecialCategory, func(i, j int) bool {
		return slices.Index(order, f.SpecialCategory[i]) < slices.Index(order, f.SpecialCategory[j])
	})
	sort.Strings(f.Evidence.Names)
	f.Evidence.Notes = a.notes
	return f
}

// scored is one rule's verdict on a field.
type scored struct {
	c      *compiled
	ev     *ruleEv
	conf   float64
	method string
}

// identifyingValues names the identifying data type that the values themselves prove, or "".
func identifyingValues(rs []scored) string {
	for _, r := range rs {
		if r.method != "name" && r.conf >= PersonalThreshold && r.c.IsPersonal() && identifying[r.c.DataType] {
			return strings.ReplaceAll(r.c.DataType, "_", " ") + "s"
		}
	}
	return ""
}

func (a *acc) dropNotes(id string) {
	kept := a.notes[:0]
	for _, n := range a.notes {
		if !strings.HasPrefix(n, id+":") {
			kept = append(kept, n)
		}
	}
	a.notes = kept
}

func addUnique(s *[]string, v string) {
	if !slices.Contains(*s, v) {
		*s = append(*s, v)
	}
}
