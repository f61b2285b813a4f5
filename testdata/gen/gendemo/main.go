// Command gendemo regenerates the committed demo estate: go run ./testdata/gen/gendemo
//
// It removes the output folder and writes it again, so it refuses any folder that does not look like a
// previous output (only estate/ and labels.json in it).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/datamap-uk/datamap/testdata/gen"
)

func main() {
	out := flag.String("out", "", "output folder (default testdata/demo under the module root)")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gendemo:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	if out == "" {
		root, err := moduleRoot()
		if err != nil {
			return err
		}
		out = filepath.Join(root, "testdata", "demo")
	}
	if err := clear(out); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("create output folder: %w", err)
	}
	if err := gen.Write(out); err != nil {
		return err
	}
	fmt.Println("wrote", out)
	return nil
}

// clear removes a previous output. Anything other than estate/ and labels.json means the path is not ours.
func clear(out string) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read output folder: %w", err)
	}
	for _, e := range entries {
		if e.Name() != "estate" && e.Name() != "labels.json" {
			return fmt.Errorf("%s holds %q, which gendemo did not write; refusing to delete it", out, e.Name())
		}
	}
	if err := os.RemoveAll(filepath.Join(out, "estate")); err != nil {
		return fmt.Errorf("remove old estate: %w", err)
	}
	if err := os.Remove(filepath.Join(out, "labels.json")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove old labels: %w", err)
	}
	return nil
}

// moduleRoot is the nearest folder at or above the working directory holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod found above the working directory; pass -out")
		}
		dir = parent
	}
}
