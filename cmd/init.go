package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"
)

// starterConfig is what `datamap init` writes: every setting, commented, with its default.
const starterConfig = `# datamap.toml: what to scan and how. Keep it in your repository; it holds no secrets.
# Docs: README "Configuration". Unknown keys are an error, so a misspelt setting is never silently ignored.

[scan]
# sample_rows = 1000          # rows sampled per spreadsheet or CSV, spread over the whole sheet
# max_text_bytes = 1048576    # bytes read per text document
# max_file_bytes = 2147483648 # larger files are listed as too_large
# workers = 4                 # files or tables sampled at once (default: number of CPUs)
# db_sample_rows = 10000      # rows sampled per database table, pushed down to the database
# statement_timeout = "30s"   # longest any database query may run
# max_db_connections = 2      # concurrent queries per database

# One [[source]] per thing to scan. Give each a name: it is part of every field's fingerprint, so keep it
# stable. Passwords never go in this file: name an environment variable instead.

# [[source]]
# name = "crm"
# dsn_env = "CRM_DSN"                      # the whole DSN, e.g. postgres://scanner:...@crm.internal/housing_crm
# include = ["public.*"]                   # schema.table globs
# exclude = ["public.audit_*"]

# [[source]]
# name = "hr"
# dsn = "mysql://scanner@hr.internal:3306/hr"
# password_env = "HR_DB_PASSWORD"
# sample_rows = 5000

# [[source]]
# name = "share"
# path = "/mnt/housing-share"

# Rule-pack overrides (README "Rule packs"): disable rules by ID, replace them, or add your own.
[rules]
# disable = ["vehicle-registration"]
#
# [[rules.rule]]
# id = "org-tenancy-ref"
# description = "Our tenancy reference"
# data_type = "tenancy_reference"
# pattern = '\bTNC-\d{6}\b'
# keywords = ["tnc-"]
# names = ["tenancy ref"]
# [rules.rule.examples]
# names = ["TenancyRef"]
# values = ["TNC-123456"]
`

func newInitCmd(d deps) *cobra.Command {
	var out string
	var force bool
	c := &cobra.Command{
		Use:   "init",
		Short: "Write a commented starter datamap.toml",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
			if force {
				flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
			}
			f, err := os.OpenFile(out, flags, 0o644)
			if errors.Is(err, fs.ErrExist) {
				return usageError("%s already exists; use --force to overwrite it", out)
			}
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			if _, err := f.WriteString(starterConfig); err != nil {
				f.Close()
				return &exitError{code: ExitError, err: err}
			}
			if err := f.Close(); err != nil {
				return &exitError{code: ExitError, err: err}
			}
			fmt.Fprintf(d.stdout, "wrote %s: edit the [[source]] entries, then run: datamap scan --config %s --out inventory.json\n", out, out)
			return nil
		},
	}
	c.Flags().StringVarP(&out, "out", "o", "datamap.toml", "file to write")
	c.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return c
}
