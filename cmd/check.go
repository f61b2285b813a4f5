package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/datamap-uk/datamap/reports"
	"github.com/datamap-uk/datamap/scanner"
	"github.com/datamap-uk/datamap/scanner/ddl"
)

func newDiffCmd(d deps) *cobra.Command {
	var format string
	var exitCode bool
	c := &cobra.Command{
		Use:   "diff old-inventory.json new-inventory.json",
		Short: "Show what changed between two scans: new, removed and reclassified fields, new unreadable files",
		Args:  cobra.ExactArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageError("unknown diff format %q (valid: json, text)", format)
			}
			old, err := readInventory(args[0])
			if err != nil {
				return usageError("%v", err)
			}
			cur, err := readInventory(args[1])
			if err != nil {
				return usageError("%v", err)
			}
			ch := reports.Diff(old, cur)
			if format == "json" {
				err = ch.JSON(d.stdout)
			} else {
				err = ch.Text(d.stdout)
			}
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			if exitCode && !ch.Empty() {
				return &exitError{code: ExitFindings}
			}
			return nil
		},
	}
	c.Flags().StringVarP(&format, "format", "f", "text", "text or json")
	c.Flags().BoolVar(&exitCode, "exit-code", false, "exit 4 when anything changed")
	return c
}

type checkOptions struct {
	scan     scanOptions
	baseline string
	update   bool
	format   string
	same     []string // the flags the --update-baseline hint repeats: those that shape the scan
}

func newCheckCmd(d deps) *cobra.Command {
	var o checkOptions
	c := &cobra.Command{
		Use:   "check [migrations | path | dsn ...] --baseline datamap.lock",
		Short: "Fail when a scan finds personal-data fields that the baseline does not know (a CI gate)",
		Long: `Scan as datamap scan does, then compare the personal, special-category and criminal-offence fields found
with a baseline (lock) file kept in the repository. A personal field that is not in the baseline, or a field
that became special-category or criminal-offence data, fails the check (exit 4); removed and reclassified
fields are reported. After review, accept the current state with --update-baseline.

A .sql file, or a folder holding only .sql files, is read as migrations: the statements are parsed in order
(numbered files, Flyway, golang-migrate, schema dumps; PostgreSQL or MySQL) and the resulting columns are
classified by name and comment, with no database needed; findings point at the file and line.

Exit codes: 0 nothing new; 1 run-time error; 2 bad usage; 3 the scan was partial (no new fields found in
what was read); 4 new or more sensitive personal-data fields.`,
		Example: `  datamap check migrations/ --baseline datamap.lock
  datamap check postgres://ci@localhost/app --baseline datamap.lock
  datamap check ./exports --baseline datamap.lock --format github
  datamap check postgres://ci@localhost/app --baseline datamap.lock --update-baseline`,
		RunE: func(c *cobra.Command, args []string) error {
			return runCheck(c, d, o, args)
		},
	}
	f := c.Flags()
	f.StringVar(&o.baseline, "baseline", "datamap.lock", "the baseline file of known personal-data fields")
	f.BoolVar(&o.update, "update-baseline", false, "write the current fields to the baseline instead of checking")
	f.StringVarP(&o.format, "format", "f", "text", "text, github (Actions annotations), sarif or json")
	o.same = append(scanFlags(c, &o.scan), "dialect")
	f.StringVar(&o.scan.decisions, "decisions", "", "the DPO's decisions file: fields with a decision count as reviewed")
	f.StringVar(&o.scan.dialect, "dialect", "", "SQL dialect of migration files: postgres or mysql (default: decided by the files)")
	return c
}

func runCheck(c *cobra.Command, d deps, o checkOptions, args []string) error {
	switch o.format {
	case "text", "github", "sarif", "json":
	default:
		return usageError("unknown check format %q (valid: github, json, sarif, text)", o.format)
	}
	if o.update {
		if err := checkOutputDir("--baseline", o.baseline); err != nil {
			return err
		}
	}
	var base *reports.Baseline
	f, err := os.Open(o.baseline)
	switch {
	case errors.Is(err, fs.ErrNotExist) && o.update:
	case errors.Is(err, fs.ErrNotExist):
		return usageError("baseline %s does not exist: review the fields, then create it with --update-baseline", o.baseline)
	case err != nil:
		return usageError("baseline: %v", err)
	default:
		base, err = reports.ReadBaseline(f)
		f.Close()
		if err != nil {
			return usageError("baseline %s: %v", o.baseline, err)
		}
	}

	dec, err := readDecisions(o.scan.decisions, false)
	if err != nil {
		return err
	}
	o.scan.migrations = true
	o.scan.noRetention = true // the gate is about fields; retention is the scan's business
	switch o.scan.dialect {
	case "", "postgres", "mysql":
	default:
		return usageError("unknown --dialect %q (valid: mysql, postgres)", o.scan.dialect)
	}
	p, err := planScan(d, o.scan, args, "check")
	if err != nil {
		return err
	}
	inv, runErr := p.run(c.Context(), d, false)
	// The gate is only as good as what it read: anything unread (a statement the SQL parser skipped, an
	// encrypted export) is shown, and without new findings the check exits 3, not 0.
	partial := runErr != nil || !clean(inv, true)
	for _, u := range inv.Unreadable {
		fmt.Fprintf(d.stderr, "datamap check: not read: %s (%s: %s)\n", reports.OneLine(u.Path), u.Reason, reports.OneLine(u.Detail))
	}

	if o.update {
		if partial {
			return &exitError{code: ExitPartial, err: errors.New("the scan was partial, so the baseline was not updated: a field that could not be read would drop out of it")}
		}
		var buf bytes.Buffer
		if err := reports.UpdateBaseline(base, inv).Write(&buf); err != nil {
			return &exitError{code: ExitError, err: err}
		}
		if err := replaceFile(o.baseline, buf.Bytes(), 0o644); err != nil {
			return &exitError{code: ExitError, err: err}
		}
		fmt.Fprintf(d.stderr, "baseline %s updated: %d personal-data fields\n", o.baseline, inv.Summary.PersonalFields)
		return nil
	}

	if dec != nil {
		// A field the DPO has decided on is known, whether or not the baseline lists it yet.
		applyDecisions(d, inv, dec, true)
		base = withReviewed(base, inv)
	}
	res := reports.Check(inv, base).WithCommand(checkCommand(c, args, o)).WithLocations(locator(p))
	switch o.format {
	case "github":
		err = res.GitHub(d.stdout)
	case "sarif":
		err = res.SARIF(d.stdout, Version)
	case "json":
		err = res.JSON(d.stdout)
	default:
		err = res.Text(d.stdout)
	}
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	switch {
	case res.Failed():
		return &exitError{code: ExitFindings}
	case partial:
		return &exitError{code: ExitPartial}
	}
	return nil
}

// checkCommand is the command a developer runs to accept the fields after review: the same arguments and
// the flags that shaped the scan, each word quoted for the shell. Connection strings are shown redacted: the
// hint lands in CI logs.
func checkCommand(c *cobra.Command, args []string, o checkOptions) string {
	parts := []string{"datamap", "check"}
	for _, a := range args {
		if kindOf(a) != "files" {
			a = redactDSN(a)
		}
		parts = append(parts, shellQuote(a))
	}
	for _, name := range o.same {
		f := c.Flags().Lookup(name)
		if f == nil || !f.Changed {
			continue
		}
		values := []string{f.Value.String()}
		if s, ok := f.Value.(interface{ GetSlice() []string }); ok {
			values = s.GetSlice()
		}
		for _, v := range values {
			parts = append(parts, "--"+name, shellQuote(v))
		}
	}
	parts = append(parts, "--baseline", shellQuote(o.baseline)) // the hint adds --update-baseline
	return strings.Join(parts, " ")
}

// shellQuote quotes s for a POSIX shell when it holds anything but plain path characters: a glob such as
// public.* must reach datamap, not be expanded by the shell.
func shellQuote(s string) string {
	plain := s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+=:,./_-", r))
	}) < 0
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// locator finds where a field was defined, for fields that come from migrations.
func locator(p *plan) func(fingerprint string) (reports.Location, bool) {
	byName := map[string]*ddl.Source{}
	for _, s := range p.sources {
		if d, ok := s.(*ddl.Source); ok {
			byName[d.Info().Name] = d
		}
	}
	return func(fp string) (reports.Location, bool) {
		for name, d := range byName {
			rest, ok := strings.CutPrefix(fp, name+"/")
			if !ok {
				continue
			}
			i := strings.LastIndexByte(rest, '#')
			if i < 0 {
				continue
			}
			if file, line, ok := d.Locate(rest[:i], rest[i+1:]); ok {
				return reports.Location{File: file, Line: line}, true
			}
		}
		return reports.Location{}, false
	}
}

// withReviewed adds the fields that carry an unexpired review to a copy of the baseline.
func withReviewed(base *reports.Baseline, inv *scanner.Inventory) *reports.Baseline {
	out := &reports.Baseline{Version: reports.BaselineVersion}
	if base != nil {
		out.Fields = append(out.Fields, base.Fields...)
	}
	known := map[string]bool{}
	for _, f := range out.Fields {
		known[f.Fingerprint] = true
	}
	for _, f := range inv.Fields {
		// A field the baseline knows keeps the baseline's classification: a decision does not hide that it
		// has since become more sensitive.
		if f.Review == nil || f.Review.Expired || f.Review.Decision == "" || known[f.Fingerprint] {
			continue
		}
		out.Fields = append(out.Fields, reports.BaselineField{Fingerprint: f.Fingerprint, DataTypes: f.DataTypes,
			SpecialCategory: f.SpecialCategory, Criminal: f.CriminalOffence})
	}
	return out
}
