package cmd

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datamap-uk/datamap/scanner"
)

// halfWriter renders part of a report, then fails.
type halfWriter struct{}

func (halfWriter) Write(w io.Writer, _ *scanner.Inventory) error {
	io.WriteString(w, strings.Repeat("x", 100<<10)) // more than the buffer: some reaches the file
	return errors.New("renderer broke")
}

// fullWriter renders a report larger than the write buffer.
type fullWriter struct{}

func (fullWriter) Write(w io.Writer, _ *scanner.Inventory) error {
	for i := range 300 {
		if _, err := io.WriteString(w, strings.Repeat(string(rune('a'+i%26)), 1000)); err != nil {
			return err
		}
	}
	return nil
}

func TestWriteFileReplacesWholeOrNotAtAll(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "inventory.json")
	if err := os.WriteFile(out, []byte("previous"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := writeFile(out, halfWriter{}, &scanner.Inventory{})
	if err == nil || !strings.Contains(err.Error(), "rendering "+out) || !strings.Contains(err.Error(), "renderer broke") {
		t.Errorf("writeFile = %v, want the renderer's error, saying it was rendering %s", err, out)
	}
	if b, _ := os.ReadFile(out); string(b) != "previous" {
		t.Errorf("after a failed render the file holds %d bytes, want the previous file untouched", len(b))
	}
	if err := writeFile(out, fullWriter{}, &scanner.Inventory{}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	if len(b) != 300_000 || b[0] != 'a' || b[len(b)-1] != 'n' {
		t.Errorf("the file holds %d bytes, want the whole 300,000-byte report", len(b))
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".datamap-*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %q", left)
	}
}
