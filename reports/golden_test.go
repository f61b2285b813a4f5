package reports

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datamap-uk/datamap/scanner"
)

// update rewrites every golden file this package checks (the reports, the diff and the check outputs):
//
//	go test ./reports/ -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

const goldenDir = "../testdata/golden"

// demoInventory is the inventory of the demo estate, with its fixed clock.
func demoInventory(t testing.TB) *scanner.Inventory {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goldenDir, "demo.inventory.json"))
	if err != nil {
		t.Fatal(err)
	}
	var inv scanner.Inventory
	if err := json.Unmarshal(b, &inv); err != nil {
		t.Fatal(err)
	}
	return &inv
}

// golden compares got with the named golden file, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports/ -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Errorf("%s differs from the golden file at line %d:\n got: %q\nwant: %q\n(run go test ./reports/ -update if the change is intended)", name, i+1, g, w)
				return
			}
		}
	}
}
