package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/datamap-uk/datamap/reports"
	"github.com/datamap-uk/datamap/scanner"
)

// defaultDecisions is where the DPO's decisions live, next to datamap.toml in the user's repository.
const defaultDecisions = "datamap.decisions.toml"

func newReviewCmd(d deps) *cobra.Command {
	c := &cobra.Command{
		Use:   "review",
		Short: "Take the DPO's decisions back in from an edited workbook",
	}
	var decisions, reviewer string
	imp := &cobra.Command{
		Use:   "import datamap.xlsx",
		Short: "Import the decisions typed into a datamap.xlsx workbook into the decisions file",
		Long: `Read the Data map sheet of a workbook written by datamap (and edited by the DPO): the decision, purpose,
lawful basis, condition, recipients and notes of each field, keyed by the field's fingerprint. They are merged
into the decisions file (imported rows win); the next scan with --decisions carries them over, suppresses
fields decided "not personal" and marks personal fields that are new since the last review.`,
		Example: `  datamap review import datamap.xlsx
  datamap review import datamap.xlsx --decisions privacy/datamap.decisions.toml --reviewed-by "J. Patel (DPO)"`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkOutputDir("--decisions", decisions); err != nil {
				return err
			}
			f, err := os.Open(args[0])
			if err != nil {
				return usageError("workbook: %v", err)
			}
			defer f.Close()
			fi, err := f.Stat()
			if err != nil {
				return usageError("workbook: %v", err)
			}
			imported, err := reports.ImportWorkbook(f, fi.Size())
			if err != nil {
				return usageError("%s could not be read as a workbook written by datamap: %v", args[0], err)
			}
			old, err := readDecisions(decisions, true)
			if err != nil {
				return err
			}
			// Only the imported rows are stamped: older entries keep what they say (or leave blank).
			imported.Stamp(reviewer, d.clock())
			merged := reports.Merge(old, imported)
			var buf bytes.Buffer
			if err := merged.Write(&buf); err != nil {
				return &exitError{code: ExitError, err: err}
			}
			if err := replaceFile(decisions, buf.Bytes(), 0o644); err != nil {
				return &exitError{code: ExitError, err: err}
			}
			fmt.Fprintf(d.stdout, "%d decisions imported from %s; %s now holds %d\n",
				len(imported.Decision), args[0], decisions, len(merged.Decision))
			return nil
		},
	}
	imp.Flags().StringVar(&decisions, "decisions", defaultDecisions, "the decisions file to update")
	imp.Flags().StringVar(&reviewer, "reviewed-by", "", "who reviewed: recorded on decisions that do not say")
	c.AddCommand(imp)
	return c
}

// readDecisions reads a decisions file. No path, or a missing file when missingOK, is no decisions.
func readDecisions(path string, missingOK bool) (*reports.Decisions, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) && missingOK {
		return nil, nil
	}
	if err != nil {
		return nil, usageError("decisions: %v", err)
	}
	defer f.Close()
	dec, err := reports.ReadDecisions(f)
	if err != nil {
		return nil, usageError("decisions %s: %v", path, err)
	}
	return dec, nil
}

// applyDecisions lays the DPO's decisions (read before the scan, so a bad file is refused before any work)
// over a fresh inventory and says what they changed.
func applyDecisions(d deps, inv *scanner.Inventory, dec *reports.Decisions, quiet bool) {
	if dec == nil {
		return
	}
	res := reports.Apply(inv, dec, d.clock())
	if !quiet {
		fmt.Fprintf(d.stderr, "review: %d fields reviewed, %d suppressed as not personal, %d expired, %d personal fields new since review, %d decisions for fields that are gone",
			res.Reviewed, res.Suppressed, res.Expired, res.NewSinceReview, len(res.Stale))
		if res.Unscanned > 0 {
			fmt.Fprintf(d.stderr, ", %d for sources this scan did not read", res.Unscanned)
		}
		fmt.Fprintln(d.stderr)
	}
}
