package cmd

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/datamap-uk/datamap/reports"
	"github.com/datamap-uk/datamap/scanner"
)

// writeFile renders inv with w and writes it to path, readable by its owner only: an inventory names files,
// sheets and columns, and is personal data in its own right.
func writeFile(path string, w reports.Writer, inv *scanner.Inventory) error {
	var rendering error
	err := fillFile(path, 0o600, func(f io.Writer) error {
		// Streamed: a large inventory's report is never held whole.
		bw := bufio.NewWriterSize(f, 64<<10)
		if rendering = w.Write(bw, inv); rendering != nil {
			return rendering
		}
		return bw.Flush()
	})
	if rendering != nil && errors.Is(err, rendering) {
		return fmt.Errorf("rendering %s: %w", path, rendering)
	}
	return err
}

// replaceFile writes b to path as fillFile does.
func replaceFile(path string, b []byte, mode fs.FileMode) error {
	return fillFile(path, mode, func(f io.Writer) error {
		_, err := f.Write(b)
		return err
	})
}

// fillFile writes path through fill and a temporary file in the same folder, renamed into place, so a reader
// (or a scan stopped half way) never sees half a file. The temporary file gets its mode before any byte is
// written to it.
func fillFile(path string, mode fs.FileMode, fill func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".datamap-*.tmp")
	if err != nil {
		// The temporary name means nothing to the user: say which file could not be written, and why.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(mode); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := fill(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// checkOutputDir refuses, before a scan that may take hours, an output file whose folder does not exist.
func checkOutputDir(flag, path string) error {
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case err != nil && errors.Is(err, fs.ErrNotExist):
		return usageError("%s %s: the folder %s does not exist", flag, path, dir)
	case err != nil:
		return usageError("%s %s: %v", flag, path, err)
	case !fi.IsDir():
		return usageError("%s %s: %s is not a folder", flag, path, dir)
	}
	return nil
}
