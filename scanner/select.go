package scanner

import (
	"fmt"
	"path"
)

// Selection is a source's include and exclude globs over unit names ("schema.table"), in path.Match syntax.
// An empty Include selects everything; Exclude wins over Include.
type Selection struct {
	Include, Exclude []string
}

// Check reports the first malformed glob, so a typo is a configuration error rather than a silent miss.
func (s Selection) Check() error {
	for _, g := range append(append([]string(nil), s.Include...), s.Exclude...) {
		if _, err := path.Match(g, ""); err != nil {
			return fmt.Errorf("bad include/exclude pattern %q: %w", g, err)
		}
	}
	return nil
}

// Selected reports whether a unit is to be scanned.
func (s Selection) Selected(name string) bool {
	if len(s.Include) > 0 && !anyMatch(s.Include, name) {
		return false
	}
	return !anyMatch(s.Exclude, name)
}

func anyMatch(globs []string, name string) bool {
	for _, g := range globs {
		if ok, _ := path.Match(g, name); ok {
			return true
		}
	}
	return false
}
