package rules

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dlclark/regexp2"

	"github.com/datamap-uk/datamap/detectors"
	"github.com/datamap-uk/datamap/detectors/lexicon"
)

// patternTimeout bounds one custom-pattern match: a user's catastrophic pattern slows one cell, never the scan.
const patternTimeout = 50 * time.Millisecond

// contextWindow is how far before (and, at half the distance, after) a free-text match a context word may be.
const contextWindow = 120

// Engine is a compiled pack. It is immutable and safe for concurrent use.
type Engine struct {
	rules   []*compiled
	byID    map[string]*compiled
	aliases map[string][]string
	scan    *detectors.Scanner
	phrases []phraseRef // by detectors phrase index
	byDet   map[string][]*compiled
	answers map[string]answerRules // normalised answer -> the rules it is a value of
	noMemo  bool                   // tests: scan every cell, to check the memo changes nothing

	// maxAnswer is the longest answer: a longer cell (after trimming separators, at most
	// twice as long) cannot be one, and is not normalised.
	maxAnswer int
	// answerStart[b] is set when some normalised answer starts with byte b, answerByte[b] when b is in one: a
	// cell whose first letter or digit starts none (a date, an amount), or with a letter or digit in none (an
	// e-mail address with digits), is not normalised and looked up at all.
	answerStart, answerByte [256]bool
	custom                  []*compiled // rules with a pattern
}

// addAnswer makes v (normalised) an answer of c: a value, or a weak value.
func (e *Engine) addAnswer(v string, c *compiled, weak bool) {
	k := detectors.NormaliseValue(v)
	a := e.answers[k]
	if weak {
		a.weak = append(a.weak, c)
	} else {
		a.values = append(a.values, c)
	}
	e.answers[k] = a
	if k != "" {
		e.answerStart[k[0]] = true
	}
	for i := 0; i < len(k); i++ {
		e.answerByte[k[i]] = true
	}
	e.maxAnswer = max(e.maxAnswer, len(v))
}

// answerRules are the rules a normalised answer is a value of: values count on their own, weak values only in
// a field whose name is a cue.
type answerRules struct{ values, weak []*compiled }

type compiled struct {
	Rule
	idx      int
	names    [][]string
	notNames [][]string
	re       *regexp2.Regexp
	keywords []string
	checked  bool // values could confirm or contradict a name cue
}

// phraseRef says what a lexicon phrase means to each rule that lists it: the same words can be one rule's
// term and another's not_term ("cardiac arrest": health, and not an arrest).
type phraseRef struct {
	term, not, context []*compiled
}

// Options tune compilation.
type Options struct {
	Now time.Time // reference date for date-of-birth plausibility; zero means now
}

// Compile validates every rule up front and builds the matchers. Errors name the rule and the problem.
func Compile(p *Pack, opt Options) (*Engine, error) {
	e := &Engine{
		byID:    map[string]*compiled{},
		aliases: map[string][]string{},
		byDet:   map[string][]*compiled{},
		answers: map[string]answerRules{},
	}
	for k, v := range p.Aliases {
		toks := detectors.FieldTokens(v, nil)
		if len(toks) == 0 || len(detectors.FieldTokens(k, nil)) != 1 {
			return nil, fmt.Errorf("alias %q: must map one word to a phrase", k)
		}
		e.aliases[strings.ToLower(k)] = toks
	}
	builtins := detectors.Builtins()
	validSpecial := SpecialCategories()

	var phraseText []string
	phraseIdx := map[string]int{}
	addPhrase := func(text string, list func(*phraseRef) *[]*compiled, c *compiled) {
		norm := detectors.NormaliseValue(text)
		if norm == "" {
			return
		}
		i, ok := phraseIdx[norm]
		if !ok {
			i = len(phraseText)
			phraseIdx[norm] = i
			phraseText = append(phraseText, norm)
			e.phrases = append(e.phrases, phraseRef{})
		}
		l := list(&e.phrases[i])
		if !slices.Contains(*l, c) {
			*l = append(*l, c)
		}
	}
	terms := func(p *phraseRef) *[]*compiled { return &p.term }
	nots := func(p *phraseRef) *[]*compiled { return &p.not }
	contexts := func(p *phraseRef) *[]*compiled { return &p.context }

	var errs []error
	for i := range p.Rules {
		r := p.Rules[i]
		bad := func(format string, a ...any) {
			errs = append(errs, fmt.Errorf("rule %q: %s", r.ID, fmt.Sprintf(format, a...)))
		}
		if !idPattern.MatchString(r.ID) {
			bad("id must be kebab-case (a-z, 0-9, -)")
		}
		if _, dup := e.byID[r.ID]; dup {
			bad("defined twice")
			continue
		}
		if !dataTypePattern.MatchString(r.DataType) {
			bad("data_type must be snake_case, got %q", r.DataType)
		}
		if r.SpecialCategory != "" && !slices.Contains(validSpecial, r.SpecialCategory) {
			bad("special_category %q is not one of %s", r.SpecialCategory, strings.Join(validSpecial, ", "))
		}
		if r.Detector != "" && !slices.Contains(builtins, r.Detector) {
			bad("unknown detector %q (built-ins: %s)", r.Detector, strings.Join(builtins, ", "))
		}
		if r.Detector != "" && r.Pattern != "" {
			bad("has both detector and pattern")
		}
		if len(r.Names)+len(r.Values)+len(r.WeakValues)+len(r.Terms) == 0 && r.Detector == "" && r.Pattern == "" {
			bad("matches nothing: give names, values, terms, a detector or a pattern")
		}
		c := &compiled{Rule: r, idx: len(e.rules)}
		for _, n := range r.Names {
			if t := detectors.FieldTokens(n, e.aliases); len(t) > 0 {
				c.names = append(c.names, t)
			}
		}
		for _, n := range r.NotNames {
			if t := detectors.FieldTokens(n, e.aliases); len(t) > 0 {
				c.notNames = append(c.notNames, t)
			}
		}
		if r.Pattern != "" {
			re, err := regexp2.Compile(r.Pattern, regexp2.RE2)
			if err != nil {
				// Fall back to full .NET syntax (look-around) when the RE2-compatible mode rejects it.
				re, err = regexp2.Compile(r.Pattern, regexp2.None)
			}
			if err != nil {
				bad("bad pattern: %v", err)
			} else {
				re.MatchTimeout = patternTimeout
				c.re = re
				e.custom = append(e.custom, c)
			}
			for _, k := range r.Keywords {
				c.keywords = append(c.keywords, strings.ToLower(k))
			}
		}
		c.checked = r.Detector != "" || r.Pattern != "" || len(r.Values) > 0
		if r.Detector != "" {
			e.byDet[r.Detector] = append(e.byDet[r.Detector], c)
		}
		for _, v := range r.Values {
			e.addAnswer(v, c, false)
		}
		for _, v := range r.WeakValues {
			e.addAnswer(v, c, true)
		}
		for _, t := range r.Terms {
			addPhrase(t, terms, c)
		}
		for _, t := range r.NotTerms {
			addPhrase(t, nots, c)
		}
		for _, t := range r.Context {
			addPhrase(t, contexts, c)
		}
		e.rules = append(e.rules, c)
		e.byID[r.ID] = c
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	e.scan = detectors.New(detectors.Options{
		Phrases:   phraseText,
		Forenames: lexicon.Forenames(),
		Surnames:  lexicon.Surnames(),
		Stopnames: lexicon.Stopnames(),
		Now:       opt.Now,
	})
	return e, nil
}

// Rules returns the compiled rules in pack order.
func (e *Engine) Rules() []Rule {
	out := make([]Rule, len(e.rules))
	for i, c := range e.rules {
		out[i] = c.Rule
	}
	return out
}

// nameMatches returns the rules whose name cue matches the field name.
func (e *Engine) nameMatches(field string) []*compiled {
	toks := detectors.FieldTokens(field, e.aliases)
	if len(toks) == 0 {
		return nil
	}
	var out []*compiled
	for _, c := range e.rules {
		if c.nameMatch(toks) {
			out = append(out, c)
		}
	}
	return out
}

func (c *compiled) nameMatch(toks []string) bool {
	for _, n := range c.notNames {
		if detectors.ContainsPhrase(toks, n) {
			return false
		}
	}
	for _, n := range c.names {
		if detectors.ContainsPhrase(toks, n) {
			return true
		}
	}
	return false
}
