package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/spf13/cobra"

	"github.com/datamap-uk/datamap/reports"
	"github.com/datamap-uk/datamap/scanner"
)

func newReportCmd(d deps) *cobra.Command {
	var format, out, decisions string
	c := &cobra.Command{
		Use:   "report inventory.json",
		Short: "Render a saved inventory as a report: xlsx for the DPO, Markdown for a pull request, JSON",
		Example: `  datamap report inventory.json --format xlsx -o datamap.xlsx
  datamap report inventory.json --format md`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if format == "" {
				format = formatFromName(out)
			}
			if format == "" {
				return usageError("say which report: --format %s, or an -o file name ending in one", strings.Join(reports.Formats(), ", "))
			}
			w, err := reports.Lookup(format)
			if err != nil {
				return usageError("%v", err)
			}
			if out != "" {
				if err := checkOutputDir("--out", out); err != nil {
					return err
				}
			}
			inv, err := readInventory(args[0])
			if err != nil {
				return usageError("%v", err)
			}
			dec, err := readDecisions(decisions, false)
			if err != nil {
				return err
			}
			applyDecisions(d, inv, dec, true)
			if out == "" {
				if err := w.Write(d.stdout, inv); err != nil {
					return &exitError{code: ExitError, err: err}
				}
				return nil
			}
			if err := writeFile(out, w, inv); err != nil {
				return &exitError{code: ExitError, err: err}
			}
			fmt.Fprintf(d.stderr, "report written to %s\n", out)
			return nil
		},
	}
	c.Flags().StringVarP(&format, "format", "f", "", "report format: "+strings.Join(reports.Formats(), ", ")+" (default: from the -o file name)")
	c.Flags().StringVarP(&out, "out", "o", "", "write the report to this file (mode 0600) instead of stdout")
	c.Flags().StringVar(&decisions, "decisions", "", "lay the DPO's decisions file over the inventory first")
	return c
}

// readInventory loads a saved inventory, refusing one from a future major version of the schema.
func readInventory(path string) (*scanner.Inventory, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("inventory: %w", err)
	}
	var inv scanner.Inventory
	if err := json.Unmarshal(b, &inv); err != nil {
		// Never the decoder's message: a syntax error quotes the file's bytes, a type error a number it found
		// ("cannot unmarshal number 4111111111111111"), a date the string it could not parse, and the file may
		// be anything, a tenants export among them.
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return nil, fmt.Errorf("inventory %s is not a datamap inventory: not JSON (at byte %d)", path, syn.Offset)
		case errors.As(err, &typ) && typ.Field == "":
			return nil, fmt.Errorf("inventory %s is not a datamap inventory: not a JSON object", path)
		case errors.As(err, &typ):
			return nil, fmt.Errorf("inventory %s is not a datamap inventory: %s should be %s (at byte %d)",
				path, typ.Field, jsonKind(typ.Type), typ.Offset)
		}
		return nil, fmt.Errorf("inventory %s is not a datamap inventory: a value (a date, say) has the wrong form", path)
	}
	if inv.SchemaVersion == "" {
		return nil, fmt.Errorf("inventory %s is not a datamap inventory: it has no schema_version", path)
	}
	major, _, _ := strings.Cut(inv.SchemaVersion, ".")
	if want, _, _ := strings.Cut(scanner.SchemaVersion, "."); major != want {
		return nil, fmt.Errorf("inventory %s has schema_version %q; this datamap reads %s.x", path, inv.SchemaVersion, want)
	}
	inv.Recount() // the summary is derived from the lists: a hand-edited inventory cannot disagree with itself
	return &inv, nil
}

// jsonKind names the JSON a Go type is decoded from, for a reader who has never seen the Go types.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8,
		reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	default:
		return "an object"
	}
}

// formatFromName picks a report format from a file name's extension: datamap.xlsx, summary.md.
func formatFromName(name string) string {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
	for _, f := range reports.Formats() {
		if f == ext {
			return f
		}
	}
	return ""
}
