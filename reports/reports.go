// Package reports writes an inventory in the formats people read: JSON for scripts, an xlsx data map for the
// Data Protection Officer, a self-contained HTML report, Markdown for a pull request; and compares inventories:
// the diff of two scans and the baseline check that gates CI.
package reports

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/datamap-uk/datamap/scanner"
)

// Writer renders an inventory.
type Writer interface {
	Write(w io.Writer, inv *scanner.Inventory) error
}

// writers is the one registry of formats.
func writers() map[string]Writer {
	return map[string]Writer{
		"json": JSON{},
		"xlsx": XLSX{},
		"md":   Markdown{},
		"html": HTML{},
	}
}

// Formats lists the format names, sorted.
func Formats() []string {
	var out []string
	for k := range writers() {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Lookup returns the writer for a format name. An unknown name is an error that lists the valid ones.
func Lookup(format string) (Writer, error) {
	w, ok := writers()[strings.ToLower(format)]
	if !ok {
		return nil, fmt.Errorf("unknown report format %q (valid: %s)", format, strings.Join(Formats(), ", "))
	}
	return w, nil
}

// JSON writes the inventory as indented JSON, the public contract described by inventory.schema.json.
type JSON struct{}

// Write implements Writer.
func (JSON) Write(w io.Writer, inv *scanner.Inventory) error { return writeJSON(w, inv) }

// writeJSON is how every JSON output is written (the inventory, the diff, the check result, SARIF): indented,
// with <, > and & left as they are, as no output is embedded in HTML.
//
// The bytes are exactly those of a json.Encoder with SetIndent("", "  "), but the encoder is asked for compact
// output and an indentWriter lays it out. The standard indenter runs the validating scanner over every byte
// again, which on a large inventory costs several times the marshal itself, and builds the whole indented copy
// before writing it; ours trusts the encoder's own output, tracks only strings and punctuation, and passes the
// result on in 64 KiB pieces. As before, nothing is written when marshalling fails.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(indentWriter{w})
	enc.SetEscapeHTML(false)
	return enc.Encode(v) // its trailing newline is carried through by the indenter
}

// Schema is the inventory's JSON Schema (draft 2020-12), the public contract for scripts.
//
//go:embed inventory.schema.json
var Schema []byte
