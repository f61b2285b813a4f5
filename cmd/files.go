package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/datamap-uk/datamap/reports"
	"github.com/datamap-uk/datamap/scanner"
)

// writeFile renders inv with w and writes it to path, readable by its owner only: an inventory names files,
// sheets and columns, and is personal data in its own right.
func writeFile(path string, w reports.Writer, inv *scanner.Inventory) error {
	var buf bytes.Buffer
	if err := w.Write(&buf, inv); err != nil {
		return fmt.Errorf("rendering %s: %w", path, err)
	}
	return replaceFile(path, buf.Bytes(), 0o600)
}

// replaceFile writes b through a temporary file in the same folder and renames it into place, so a reader (or
// a scan stopped half way) never leaves half a file. The temporary file gets its mode before any byte is
// written to it.
func replaceFile(path string, b []byte, mode fs.FileMode) error {
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
	if _, err := tmp.Write(b); err != nil {
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
