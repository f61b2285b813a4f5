package detectors

import "strings"

// phraseIndex finds whole-word phrases in a token stream. Phrases are indexed by their first token so the
// per-token cost is one map lookup whatever the size of the lexicon.
type phraseIndex struct {
	byFirst map[string][]phrase
}

type phrase struct {
	rest []string // tokens after the first
	id   int
}

func newPhraseIndex(phrases []string) *phraseIndex {
	ix := &phraseIndex{byFirst: make(map[string][]phrase)}
	for id, p := range phrases {
		toks := strings.Fields(NormaliseValue(p))
		if len(toks) == 0 {
			continue
		}
		ix.byFirst[toks[0]] = append(ix.byFirst[toks[0]], phrase{rest: toks[1:], id: id})
	}
	// Longest first, so "cardiac arrest" is tried before "cardiac".
	for k, ps := range ix.byFirst {
		for i := 1; i < len(ps); i++ {
			for j := i; j > 0 && len(ps[j].rest) > len(ps[j-1].rest); j-- {
				ps[j], ps[j-1] = ps[j-1], ps[j]
			}
		}
		ix.byFirst[k] = ps
	}
	return ix
}
