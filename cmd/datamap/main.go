// Command datamap finds the personal data an organisation holds and writes an inventory of it.
package main

import (
	"os"
	"runtime/debug"

	"github.com/datamap-uk/datamap/cmd"
)

func main() {
	if os.Getenv("GOGC") == "" {
		// A scan allocates fast and keeps little: collecting at 200% rather than 100% of the live heap costs a
		// few MB of memory and saves about a tenth of the CPU (scripts/bench-crm). GOGC still overrides it.
		debug.SetGCPercent(200)
	}
	os.Exit(cmd.Main(os.Args[1:], os.Stdout, os.Stderr))
}
