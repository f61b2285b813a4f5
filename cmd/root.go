// Package cmd is datamap's command line: a cobra tree built by constructors, run in process by Main.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X github.com/datamap-uk/datamap/cmd.Version=v1.2.3".
var Version = "dev"

// Exit codes. They are a public contract, documented in the README.
const (
	ExitOK       = 0 // the scan read everything it was given
	ExitError    = 1 // something went wrong at run time (an output file could not be written)
	ExitUsage    = 2 // bad flags, arguments or configuration
	ExitPartial  = 3 // the inventory was written, but the scan was partial or interrupted
	ExitFindings = 4 // check: new or more sensitive personal-data fields; diff --exit-code: something changed
)

// deps are what the commands need from the outside world; tests replace them.
type deps struct {
	stdout, stderr io.Writer
	clock          func() time.Time
	terminal       bool // stderr is a terminal: show progress
}

// exitError carries an exit code through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageError(format string, a ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, a...)}
}

// Main runs datamap with args and returns the exit code. It is the only place exit codes are decided.
func Main(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	d := deps{stdout: stdout, stderr: stderr, clock: time.Now, terminal: isTerminal(stderr)}
	return run(ctx, d, args)
}

func run(ctx context.Context, d deps, args []string) int {
	root := newRootCmd(d)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(d.stderr, "datamap: %v\n", ee.err)
		}
		return ee.code
	}
	// Cobra's own errors are about flags and arguments.
	fmt.Fprintf(d.stderr, "datamap: %v\n", err)
	return ExitUsage
}

func newRootCmd(d deps) *cobra.Command {
	root := &cobra.Command{
		Use:   "datamap",
		Short: "Find where personal data lives: databases, spreadsheets and file shares",
		Long: `datamap samples files, spreadsheets and databases, recognises UK personal data, special-category
(UK GDPR Art. 9) and criminal-offence data (Art. 10), and writes an inventory for the Data Protection Officer.
It only reads: nothing is written to what it scans, and no raw personal value leaves the tool.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version,
	}
	root.SetOut(d.stdout)
	root.SetErr(d.stderr)
	root.AddCommand(newScanCmd(d), newReportCmd(d), newCheckCmd(d), newDiffCmd(d), newReviewCmd(d), newRulesCmd(d), newInitCmd(d), newVersionCmd(d))
	return root
}

func newVersionCmd(d deps) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(d.stdout, "datamap %s\n", Version)
			return nil
		},
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
