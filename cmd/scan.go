package cmd

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/datamap-uk/datamap/reports"
	"github.com/datamap-uk/datamap/rules"
	"github.com/datamap-uk/datamap/scanner"
	"github.com/datamap-uk/datamap/scanner/fileshare"
)

type scanOptions struct {
	rules        ruleSet
	out          string
	format       string
	sampleRows   int
	maxTextBytes int64
	maxFileBytes int64
	workers      int
	quiet        bool
	strict       bool
	dbSampleRows int
	timeout      time.Duration
	include      []string
	exclude      []string
	reportFiles  []string
	decisions    string // the DPO's decisions file, laid over the inventory
	asOf         string // retention cutoffs are counted back from this date (default today)
	schedule     string // a retention schedule file laid over the default
	noRetention  bool
	migrations   bool   // check: read folders of .sql files as migrations
	dialect      string // check: SQL dialect of the migrations
}

func newScanCmd(d deps) *cobra.Command {
	var o scanOptions
	c := &cobra.Command{
		Use:   "scan [path | dsn ...]",
		Short: "Scan folders, files and databases and write an inventory of the personal data in them",
		Long: `Scan folders, file shares, single files and databases. Delimited text, xlsx workbooks, text documents,
docx and archives (zip, tar, gz) are read; PostgreSQL, MySQL/MariaDB and SQLite databases are sampled
read-only, under a statement timeout. Anything that cannot be read is listed in the inventory with the reason.

Databases are named by connection strings (postgres://user@host/db, mysql://user@host/db, sqlite:///path.db)
or as [[source]] entries in datamap.toml, with passwords taken from environment variables (the PGPASSWORD
convention is not used: put the whole DSN in an environment variable named by dsn_env, or the password in
password_env).

The inventory goes to --out (written readable by you only), or to stdout with --format json. A summary goes to
stdout, or to stderr when stdout carries the inventory.

Exit codes: 0 the scan completed (files unreadable by nature, such as encrypted or legacy ones, are listed in
the inventory); 1 run-time error; 2 bad usage or configuration; 3 the inventory was written but the scan was
partial: a source failed, an item could not be read because of an error (permissions, I/O), or the scan was
interrupted. --fail-on-unreadable makes any unreadable item exit 3.`,
		Example: `  datamap scan ./estate --out inventory.json
  datamap scan tenants.xlsx notes/ --format json > inventory.json
  datamap scan "$CRM_DSN" --include 'public.*' --out crm.json
  datamap scan --config datamap.toml --out inventory.json`,
		RunE: func(c *cobra.Command, args []string) error {
			return runScan(c, d, o, args)
		},
	}
	f := c.Flags()
	f.StringVarP(&o.out, "out", "o", "", "write the inventory to this file (mode 0600)")
	f.StringVarP(&o.format, "format", "f", "", "inventory format: "+strings.Join(reports.Formats(), ", ")+" (default json when --out is given)")
	f.StringArrayVar(&o.reportFiles, "report", nil, "also write a report, its format from the file name: datamap.xlsx, summary.md (repeatable)")
	scanFlags(c, &o)
	f.Int64Var(&o.maxTextBytes, "max-text-bytes", 0, "bytes read per text document (default 1 MiB)")
	f.Int64Var(&o.maxFileBytes, "max-file-bytes", 0, "files larger than this are listed as too large (default 2 GiB)")
	f.IntVar(&o.workers, "workers", 0, "files or tables sampled at once (default: number of CPUs, plus max_db_connections when a database is scanned)")
	f.StringVar(&o.asOf, "as-of", "", "count retention back from this date, YYYY-MM-DD (default today): makes counts reproducible")
	f.StringVar(&o.schedule, "retention", "", "a retention schedule TOML laid over the default (rules by ID: override, disable, add; pins; holds)")
	f.BoolVar(&o.noRetention, "no-retention", false, "do not check records against the retention schedule")
	f.StringVar(&o.decisions, "decisions", "", "the DPO's decisions file (datamap.decisions.toml): carried over, not-personal fields suppressed")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "no summary")
	f.BoolVar(&o.strict, "fail-on-unreadable", false, "exit 3 when anything at all could not be read, not only on errors")
	return c
}

// scanFlags registers the flags that decide what a scan reads and how, which scan and check share, and
// returns their names: check repeats each one the user set in its --update-baseline hint, so that the baseline
// is written from the same scan.
func scanFlags(c *cobra.Command, o *scanOptions) []string {
	f := c.Flags()
	f.StringVarP(&o.rules.config, "config", "c", "", "datamap.toml with [scan] settings, [[source]] entries and [rules] overrides")
	f.StringArrayVar(&o.rules.files, "rules", nil, "extra rule pack file laid over the default (repeatable)")
	f.IntVar(&o.sampleRows, "sample-rows", 0, "rows sampled per spreadsheet or CSV, spread over the whole sheet (default 1000)")
	f.IntVar(&o.dbSampleRows, "db-sample-rows", 0, "rows sampled per database table, pushed down to the database (default 10000)")
	f.DurationVar(&o.timeout, "statement-timeout", 0, "longest a database query may run (default 30s)")
	f.StringArrayVar(&o.include, "include", nil, "databases: only tables matching this schema.table glob (repeatable)")
	f.StringArrayVar(&o.exclude, "exclude", nil, "databases: skip tables matching this schema.table glob (repeatable)")
	return []string{"config", "rules", "sample-rows", "db-sample-rows", "statement-timeout", "include", "exclude"}
}

func runScan(c *cobra.Command, d deps, o scanOptions, args []string) error {
	format := o.format
	if format == "" && o.out != "" {
		format = "json"
	}
	var writer reports.Writer
	if format != "" {
		var err error
		if writer, err = reports.Lookup(format); err != nil {
			return usageError("%v", err)
		}
	}
	if o.out != "" {
		if err := checkOutputDir("--out", o.out); err != nil {
			return err
		}
	}
	for _, r := range o.reportFiles {
		if formatFromName(r) == "" {
			return usageError("--report %s: the file name must end in one of: %s", r, strings.Join(reports.Formats(), ", "))
		}
		if err := checkOutputDir("--report", r); err != nil {
			return err
		}
	}
	dec, err := readDecisions(o.decisions, false)
	if err != nil {
		return err
	}
	p, err := planScan(d, o, args, "scan")
	if err != nil {
		return err
	}
	inv, runErr := p.run(c.Context(), d, o.quiet)
	applyDecisions(d, inv, dec, o.quiet)

	summaryTo := d.stdout
	if o.out == "" && writer != nil {
		summaryTo = d.stderr
	}
	if writer != nil {
		if o.out != "" {
			if err := writeFile(o.out, writer, inv); err != nil {
				return &exitError{code: ExitError, err: err}
			}
		} else if err := writer.Write(d.stdout, inv); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("writing inventory: %w", err)}
		}
	}
	for _, r := range o.reportFiles {
		w, err := reports.Lookup(formatFromName(r))
		if err == nil {
			err = writeFile(r, w, inv)
		}
		if err != nil {
			return &exitError{code: ExitError, err: err}
		}
	}
	if !o.quiet {
		printSummary(summaryTo, inv, o.out, writer == nil && len(o.reportFiles) == 0)
		for _, r := range o.reportFiles {
			fmt.Fprintf(summaryTo, "  report written to %s\n", r)
		}
	}
	if runErr != nil || !clean(inv, o.strict) {
		return &exitError{code: ExitPartial}
	}
	return nil
}

// plan is a scan ready to run: the compiled rules and the opened sources.
type plan struct {
	opt     scanner.Options
	sources []scanner.Source
}

// planScan turns flags, the config file and arguments into a plan. Every error is a usage error: nothing has
// been scanned yet.
func planScan(d deps, o scanOptions, args []string, verb string) (*plan, error) {
	pack, cfg, origins, err := o.rules.load()
	if err != nil {
		return nil, &exitError{code: ExitUsage, err: err}
	}
	o = o.withConfig(cfg)
	if o.sampleRows < 0 || o.maxTextBytes < 0 || o.maxFileBytes < 0 || o.workers < 0 || o.dbSampleRows < 0 || o.timeout < 0 ||
		(cfg != nil && cfg.Scan.MaxDBConnections < 0) {
		return nil, usageError("sampling limits, timeouts, workers and database connections must not be negative")
	}
	specs, err := o.sourceSpecs(cfg, args)
	if err != nil {
		return nil, err
	}
	if len(specs) == 0 {
		return nil, usageError("%s needs at least one path or connection string, or [[source]] entries in --config", verb)
	}
	engine, err := rules.Compile(pack, rules.Options{Now: d.clock()})
	if err != nil {
		return nil, &exitError{code: ExitUsage, err: fmt.Errorf("rule pack: %w", err)}
	}
	day, err := parseAsOf(o.asOf, d.clock)
	if err != nil {
		return nil, usageError("%v", err)
	}
	planner, asOf, err := o.retention(cfg, day)
	if err != nil {
		return nil, &exitError{code: ExitUsage, err: err}
	}

	files := fileshare.Options{SampleRows: o.sampleRows, MaxTextBytes: o.maxTextBytes, MaxFileBytes: o.maxFileBytes, AsOf: day}
	resolved := fileshareDefaults(files)
	db := o.dbDefaults(cfg)
	workers := o.workers
	if workers == 0 {
		workers = defaultWorkers(specs, db.maxConns)
	}
	p := &plan{opt: scanner.Options{
		Retention: planner,
		Engine:    engine,
		Workers:   workers,
		Clock:     d.clock,
		Tool:      scanner.Tool{Name: "datamap", Version: Version},
		Settings: scanner.Settings{
			SampleRows: resolved.SampleRows, MaxTextBytes: resolved.MaxTextBytes, RulePack: origins,
			DBSampleRows: db.sampleRows, StatementTimeoutSeconds: db.statementTimeout.Seconds(), AsOf: asOf,
		},
	}}
	for _, sc := range specs {
		src, err := openSource(sc, files, db, 0)
		if err != nil {
			for _, s := range p.sources {
				s.Close()
			}
			return nil, &exitError{code: ExitUsage, err: err}
		}
		p.sources = append(p.sources, src)
	}
	return p, nil
}

// withConfig fills the settings the flags left unset from the config file's [scan] table: flags win.
func (o scanOptions) withConfig(cfg *config) scanOptions {
	if cfg == nil {
		return o
	}
	fill(&o.sampleRows, cfg.Scan.SampleRows)
	fill(&o.maxTextBytes, cfg.Scan.MaxTextBytes)
	fill(&o.maxFileBytes, cfg.Scan.MaxFileBytes)
	fill(&o.workers, cfg.Scan.Workers)
	fill(&o.dbSampleRows, cfg.Scan.DBSampleRows)
	fill(&o.timeout, cfg.Scan.StatementTimeout)
	return o
}

// fill sets an option the flags left at zero to the config file's value.
func fill[T comparable](opt *T, conf T) {
	var zero T
	if *opt == zero {
		*opt = conf
	}
}

// sourceSpecs lists what to scan: the config file's [[source]] entries, then the command line's arguments.
func (o scanOptions) sourceSpecs(cfg *config, args []string) ([]sourceConfig, error) {
	var specs []sourceConfig
	if cfg != nil {
		specs = append(specs, cfg.Sources...)
	}
	for i, a := range args {
		if kindOf(a) != "files" {
			specs = append(specs, sourceConfig{DSN: a, unchecked: true})
			continue
		}
		if looksLikeDSN(a) {
			// Not echoed: it may hold a password.
			return nil, usageError("argument %d looks like a connection string but is not one datamap knows (use postgres://, mysql://, mariadb:// or sqlite://) and is not a file", i+1)
		}
		// The name is part of every fingerprint: "estate/", "./estate" and "estate" are one source.
		a = filepath.ToSlash(filepath.Clean(a))
		specs = append(specs, sourceConfig{Name: a, Path: a, ddl: o.migrations && isMigrations(a), dialect: o.dialect})
	}
	return specs, nil
}

// dbDefaults are the database settings for sources that do not set their own.
func (o scanOptions) dbDefaults(cfg *config) dbDefaults {
	db := dbDefaults{sampleRows: o.dbSampleRows, statementTimeout: o.timeout, include: o.include, exclude: o.exclude,
		maxConns: scanner.DefaultMaxConns}
	if db.sampleRows == 0 {
		db.sampleRows = scanner.DefaultTableSample
	}
	if db.statementTimeout == 0 {
		db.statementTimeout = scanner.DefaultStatementTimeout
	}
	if cfg != nil && cfg.Scan.MaxDBConnections > 0 {
		db.maxConns = cfg.Scan.MaxDBConnections
	}
	return db
}

// defaultWorkers is one worker per CPU, plus one per database connection when a database is scanned: a
// table's sample is first a wait on the database, then work for the CPU, so with a query in flight on every
// connection while each core classifies, neither side waits on the other.
func defaultWorkers(specs []sourceConfig, maxConns int) int {
	n := runtime.GOMAXPROCS(0)
	for _, sc := range specs {
		if sc.Path == "" { // a database
			return n + maxConns
		}
	}
	return n
}

// retention is the planner that checks records against the schedule (the default with --retention or the
// config's retention file laid over it), and the date it counts back from; nil and "" with --no-retention.
func (o scanOptions) retention(cfg *config, day time.Time) (scanner.RetentionPlanner, string, error) {
	if o.noRetention {
		return nil, "", nil
	}
	file := o.schedule
	if file == "" && cfg != nil {
		file = cfg.Scan.Retention
	}
	sched, err := loadSchedule(file)
	if err != nil {
		return nil, "", err
	}
	return retentionPlanner{schedule: sched, asOf: day}, day.Format(time.DateOnly), nil
}

// run scans every source of the plan, with progress on a terminal.
func (p *plan) run(ctx context.Context, d deps, quiet bool) (*scanner.Inventory, error) {
	opt := p.opt
	if d.terminal && !quiet {
		opt.Progress = progressPrinter(d.stderr)
	}
	inv, err := scanner.Run(ctx, p.sources, opt)
	if opt.Progress != nil {
		fmt.Fprint(d.stderr, "\r\033[K")
	}
	return inv, err
}

func fileshareDefaults(o fileshare.Options) fileshare.Options {
	d := fileshare.Defaults()
	if o.SampleRows == 0 {
		o.SampleRows = d.SampleRows
	}
	if o.MaxTextBytes == 0 {
		o.MaxTextBytes = d.MaxTextBytes
	}
	return o
}

// clean reports whether the scan covered everything it was given. Files unreadable by their nature
// (encrypted, legacy, images) are findings in the register, not a failed scan, unless strict asks for it.
func clean(inv *scanner.Inventory, strict bool) bool {
	if !inv.Complete || (strict && len(inv.Unreadable) > 0) {
		return false
	}
	for _, s := range inv.Sources {
		if s.Status != scanner.StatusOK {
			return false
		}
	}
	return true
}

func progressPrinter(w io.Writer) func(done, listed int) {
	return func(done, listed int) {
		fmt.Fprintf(w, "\r\033[Kscanning: %d of %d listed", done, listed)
	}
}

// printSummary writes the human summary: counts, then (when no report was asked for) the personal fields.
func printSummary(w io.Writer, inv *scanner.Inventory, out string, listFields bool) {
	s := inv.Summary
	units := 0
	for _, src := range inv.Sources {
		units += src.Units
	}
	fmt.Fprintf(w, "datamap: %d sources, %d files, %d tables and documents, %d fields in %.1fs\n",
		s.Sources, units, s.Containers, s.Fields, s.DurationSeconds)
	fmt.Fprintf(w, "  personal fields:          %d\n", s.PersonalFields)
	fmt.Fprintf(w, "  special category (Art.9): %d%s\n", s.SpecialFields, byClass(s.SpecialByCategory))
	fmt.Fprintf(w, "  criminal offence (Art.10): %d\n", s.CriminalFields)
	fmt.Fprintf(w, "  could not read:           %d%s\n", s.Unreadable, byClass(s.UnreadableByReason))
	if s.RetentionChecked+s.RetentionUncounted > 0 {
		line := fmt.Sprintf("  past retention:           %d records in %d of %d places counted (as of %s)",
			s.StaleRows, s.RetentionBreaches, s.RetentionChecked, inv.Settings.AsOf)
		if s.RetentionUncounted > 0 {
			line += fmt.Sprintf("; %d more matched a rule but could not be counted (see retention[].error)", s.RetentionUncounted)
		}
		fmt.Fprintln(w, line)
		for _, r := range inv.Retention {
			if r.Breach() {
				fmt.Fprintf(w, "    %s: %d of %d past %s (%s, %s; %s)\n", reports.OneLine(r.Container), r.StaleRows, r.TotalRows,
					r.Period, r.Rule, reports.OneLine(r.DateField), r.Method)
			}
		}
	}
	if s.ConsentDue > 0 || s.ConsentMissing > 0 {
		places, periods := 0, map[string]bool{}
		var period []string
		for _, r := range inv.Retention {
			if r.Kind != scanner.KindConsent || r.Held {
				continue
			}
			if r.StaleRows > 0 {
				places++
			}
			if r.Error == "" && !periods[r.Period] {
				periods[r.Period] = true
				period = append(period, r.Period)
			}
		}
		fmt.Fprintf(w, "  due for re-consent: %d records (consent older than %s) in %d places; %d records with no consent date\n",
			s.ConsentDue, strings.Join(period, " or "), places, s.ConsentMissing)
	}
	for _, src := range inv.Sources {
		if src.Status != scanner.StatusOK {
			line := fmt.Sprintf("  source %s: %s", reports.OneLine(src.Name), src.Status)
			if src.Error != "" {
				line += " (" + reports.OneLine(src.Error) + ")" // it names the path or table, which came from the estate
			}
			fmt.Fprintln(w, line)
		}
	}
	if !inv.Complete {
		fmt.Fprintln(w, "  the scan was interrupted: the inventory is incomplete")
	}
	if out != "" {
		fmt.Fprintf(w, "  inventory written to %s\n", out)
	}
	if listFields && s.PersonalFields > 0 {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CONTAINER\tFIELD\tDATA TYPES\tART.9\tART.10\tCONFIDENCE")
		for _, f := range inv.Fields {
			if !f.Personal {
				continue
			}
			crim := ""
			if f.CriminalOffence {
				crim = "yes"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%.2f\n", reports.OneLine(f.Container), reports.OneLine(f.Field), strings.Join(f.DataTypes, ","),
				strings.Join(f.SpecialCategory, ","), crim, f.Confidence)
		}
		tw.Flush()
	}
}

func byClass(m map[string]int) string {
	var parts []string
	for k, v := range m {
		if v > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, v))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	sort.Strings(parts)
	return " (" + strings.Join(parts, ", ") + ")"
}
