// Command datamap finds the personal data an organisation holds and writes an inventory of it.
package main

import (
	"os"

	"github.com/datamap-uk/datamap/cmd"
)

func main() {
	os.Exit(cmd.Main(os.Args[1:], os.Stdout, os.Stderr))
}
