// Package rules holds the rule pack: the TOML schema, the embedded default pack, loading and merging a user's
// pack over it, compiling it, and classifying sampled fields into personal, special-category and
// criminal-offence data with a confidence.
package rules

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"

	"github.com/datamap-uk/datamap/detectors"
)

//go:embed pack/*.toml
var defaultPack embed.FS

// SpecialCategories returns the UK GDPR Art. 9 classes, in the order the inventory lists them.
func SpecialCategories() []string {
	return []string{
		"racial_ethnic_origin", "political_opinions", "religious_beliefs", "trade_union", "genetic",
		"biometric", "health", "sex_life", "sexual_orientation",
	}
}

// Pack is a rule pack as written in TOML: the embedded default, or a user's file that extends it.
type Pack struct {
	Aliases map[string]string `toml:"aliases"`
	Disable []string          `toml:"disable"` // rule IDs switched off (user packs)
	Rules   []Rule            `toml:"rule"`
}

// Rule is one detector rule. See README "Rule packs" for the meaning of each key.
type Rule struct {
	ID              string    `toml:"id" json:"id"`
	Description     string    `toml:"description" json:"description"`
	DataType        string    `toml:"data_type" json:"data_type"`
	SpecialCategory string    `toml:"special_category" json:"special_category,omitempty"`
	Criminal        bool      `toml:"criminal" json:"criminal,omitempty"`
	HighRisk        bool      `toml:"high_risk" json:"high_risk,omitempty"`
	Personal        *bool     `toml:"personal" json:"personal,omitempty"`
	Names           []string  `toml:"names" json:"names,omitempty"`
	NotNames        []string  `toml:"not_names" json:"not_names,omitempty"`
	Values          []string  `toml:"values" json:"values,omitempty"`
	WeakValues      []string  `toml:"weak_values" json:"weak_values,omitempty"`
	Terms           []string  `toml:"terms" json:"terms,omitempty"`
	NotTerms        []string  `toml:"not_terms" json:"not_terms,omitempty"`
	Detector        string    `toml:"detector" json:"detector,omitempty"`
	Pattern         string    `toml:"pattern" json:"pattern,omitempty"`
	Keywords        []string  `toml:"keywords" json:"keywords,omitempty"`
	Context         []string  `toml:"context" json:"context,omitempty"`
	NeedsContext    bool      `toml:"needs_context" json:"needs_context,omitempty"`
	Examples        *Examples `toml:"examples" json:"-"`
	Origin          string    `toml:"-" json:"origin"` // "default" or the user's file
}

// Examples are a rule's own test cases; one test runs every built-in rule's examples.
type Examples struct {
	Names     []string `toml:"names"`
	NotNames  []string `toml:"not_names"`
	Values    []string `toml:"values"`
	NotValues []string `toml:"not_values"`
}

// IsPersonal reports whether a match makes a field personal data (default true).
func (r *Rule) IsPersonal() bool { return r.Personal == nil || *r.Personal }

// Default returns the embedded default pack.
func Default() (*Pack, error) {
	names, err := fs.Glob(defaultPack, "pack/*.toml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	// The files are decoded at once: decoding is most of a scan's start-up before it connects (~2.5 ms on one
	// core for the four). Results and errors are kept by file, so the merge and the error reported (the first
	// file's, should two be broken) do not depend on which finished first.
	packs := make([]*Pack, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Go(func() {
			b, err := defaultPack.ReadFile(n)
			if err == nil {
				packs[i], err = Decode(bytes.NewReader(b), "default:"+path.Base(n))
			}
			errs[i] = err
		})
	}
	wg.Wait()
	merged := &Pack{Aliases: map[string]string{}}
	for i, p := range packs {
		n := names[i]
		if errs[i] != nil {
			return nil, errs[i]
		}
		for k, v := range p.Aliases {
			if _, dup := merged.Aliases[k]; dup {
				return nil, fmt.Errorf("default pack %s: alias %q defined twice", n, k)
			}
			merged.Aliases[k] = v
		}
		for j := range p.Rules {
			p.Rules[j].Origin = "default"
		}
		merged.Rules = append(merged.Rules, p.Rules...)
	}
	return merged, nil
}

// Decode reads a pack strictly: unknown keys are an error naming the key.
func Decode(r io.Reader, name string) (*Pack, error) {
	var p Pack
	if _, err := DecodeTOML(r, &p); err != nil {
		return nil, fmt.Errorf("rule pack %s: %w", name, err)
	}
	return &p, nil
}

// DecodeTOML decodes r into v strictly, for every TOML file datamap reads (rule packs, schedules, the config,
// baselines, decisions): a key v has no place for is an error, since a misspelt key silently ignored would
// change a scan. Its errors never quote the file's text: TOML's own messages quote what they could not parse,
// and a config file may hold a DSN or a password written where it should not be. The MetaData tells callers
// which keys were set.
func DecodeTOML(r io.Reader, v any) (toml.MetaData, error) {
	md, err := toml.NewDecoder(r).Decode(v)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			where := fmt.Sprintf("line %d", pe.Position.Line)
			if pe.LastKey != "" {
				where += " (key " + pe.LastKey + ")"
			}
			return md, fmt.Errorf("%s: %s", where, detectors.Unquote(pe.Message))
		}
		return md, errors.New(detectors.Unquote(strings.TrimPrefix(err.Error(), "toml: ")))
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return md, fmt.Errorf("unknown keys: %s", strings.Join(keys, ", "))
	}
	return md, nil
}

// LoadFile decodes a user's pack file.
func LoadFile(filename string) (*Pack, error) {
	f, err := os.Open(filename)
	if err != nil {
		return nil, fmt.Errorf("rule pack: %w", err)
	}
	defer f.Close()
	p, err := Decode(f, filename)
	if err != nil {
		return nil, err
	}
	for i := range p.Rules {
		p.Rules[i].Origin = filename
	}
	return p, nil
}

// Merge lays user packs over base: a rule with an existing ID replaces it, a new ID is added, IDs in Disable
// are removed (naming an ID that does not exist is an error, so a typo does not silently keep a rule on), and
// aliases are added or replaced.
func Merge(base *Pack, users ...*Pack) (*Pack, error) {
	out := &Pack{Aliases: map[string]string{}}
	for k, v := range base.Aliases {
		out.Aliases[k] = v
	}
	out.Rules = append(out.Rules, base.Rules...)
	for _, u := range users {
		if u == nil {
			continue
		}
		for k, v := range u.Aliases {
			out.Aliases[k] = v
		}
		for _, r := range u.Rules {
			replaced := false
			for i := range out.Rules {
				if out.Rules[i].ID == r.ID {
					out.Rules[i] = r
					replaced = true
					break
				}
			}
			if !replaced {
				out.Rules = append(out.Rules, r)
			}
		}
		for _, id := range u.Disable {
			found := false
			kept := out.Rules[:0]
			for _, r := range out.Rules {
				if r.ID == id {
					found = true
					continue
				}
				kept = append(kept, r)
			}
			out.Rules = kept
			if !found {
				return nil, fmt.Errorf("rule pack: disable names unknown rule %q", id)
			}
		}
	}
	return out, nil
}

var (
	idPattern       = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	dataTypePattern = regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)
)
