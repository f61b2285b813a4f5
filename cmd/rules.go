package cmd

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/datamap-uk/datamap/rules"
)

func newRulesCmd(d deps) *cobra.Command {
	var rs ruleSet
	var format string
	c := &cobra.Command{
		Use:   "rules",
		Short: "Print the effective rule pack: the default merged with your overrides",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			pack, _, _, err := rs.load()
			if err != nil {
				return &exitError{code: ExitUsage, err: err}
			}
			engine, err := rules.Compile(pack, rules.Options{Now: d.clock()})
			if err != nil {
				return &exitError{code: ExitUsage, err: fmt.Errorf("rule pack: %w", err)}
			}
			list := engine.Rules()
			switch format {
			case "json":
				enc := json.NewEncoder(d.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(list)
			case "", "text":
				tw := tabwriter.NewWriter(d.stdout, 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tDATA TYPE\tART.9\tART.10\tMATCHES ON\tORIGIN")
				for _, r := range list {
					crim := ""
					if r.Criminal {
						crim = "yes"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.DataType, r.SpecialCategory, crim, matchesOn(r), r.Origin)
				}
				tw.Flush()
				fmt.Fprintf(d.stdout, "\n%d rules\n", len(list))
				return nil
			default:
				return usageError("unknown format %q for rules (valid: text, json)", format)
			}
		},
	}
	c.Flags().StringVarP(&rs.config, "config", "c", "", "datamap.toml whose [rules] table extends the default pack")
	c.Flags().StringArrayVar(&rs.files, "rules", nil, "extra rule pack file (repeatable)")
	c.Flags().StringVarP(&format, "format", "f", "text", "text or json")
	return c
}

func matchesOn(r rules.Rule) string {
	var on []string
	if len(r.Names) > 0 {
		on = append(on, "name")
	}
	if r.Detector != "" {
		on = append(on, "detector:"+r.Detector)
	}
	if r.Pattern != "" {
		on = append(on, "pattern")
	}
	if len(r.Values)+len(r.WeakValues) > 0 {
		on = append(on, "values")
	}
	if len(r.Terms) > 0 {
		on = append(on, "terms")
	}
	return strings.Join(on, ",")
}
