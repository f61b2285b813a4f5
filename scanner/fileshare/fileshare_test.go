package fileshare

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	_ "modernc.org/sqlite"

	"github.com/datamap-uk/datamap/scanner"
	"github.com/datamap-uk/datamap/scanner/archive"
)

// recorder is a scanner.Sink that keeps what it is given.
type recorder struct {
	mu         sync.Mutex
	containers map[string]*scanner.Container
	unreadable map[string]scanner.Unreadable
}

func newRecorder() *recorder {
	return &recorder{containers: map[string]*scanner.Container{}, unreadable: map[string]scanner.Unreadable{}}
}

func (r *recorder) Container(c *scanner.Container) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.containers[c.Name] = c
}

func (r *recorder) Unreadable(u scanner.Unreadable) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.unreadable[u.Path] = u
}

// scan lists and samples every unit of a source, as scanner.Run does but without the engine.
func scan(t *testing.T, s *Source) *recorder {
	t.Helper()
	r := newRecorder()
	err := s.Units(context.Background(), func(u scanner.Unit) error {
		if err := s.Sample(context.Background(), u, r); err != nil {
			t.Errorf("Sample(%s) returned %v: a unit's failure belongs in the register", u.Name, err)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Units: %v", err)
	}
	return r
}

func write(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func zipOf(t *testing.T, members map[string][]byte, encrypted ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(members))
	for n := range members {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		h := &zip.FileHeader{Name: n, Method: zip.Deflate}
		for _, e := range encrypted {
			if e == n {
				h.Flags |= 1
			}
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(members[n])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func tarGz(t *testing.T, members map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for n, b := range members {
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(b)
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

func xlsxOf(t *testing.T, sheets map[string][][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	first := true
	for name, rows := range sheets {
		if first {
			f.SetSheetName("Sheet1", name)
			first = false
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func docxOf(t *testing.T, paragraphs ...string) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range paragraphs {
		body.WriteString(`<w:p><w:r><w:t>` + p + `</w:t></w:r></w:p>`)
	}
	return zipOf(t, map[string][]byte{
		"[Content_Types].xml": []byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`),
		"word/document.xml": []byte(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
			body.String() + `</w:body></w:document>`),
	})
}

const tenants = "Name,Email,Postcode\nJane Smith,jane@example.org,LS6 3JN\nAmir Khan,amir@example.org,M40 3ZR\n"

func TestReadsEveryKindAndRegistersWhatItCannot(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string][]byte{
		"tenants.csv":         []byte(tenants),
		"notes/visit.txt":     []byte("Visited Mrs Okafor; NHS number 943 476 5919."),
		"notes/export.dat":    []byte(tenants), // a CSV by content, whatever its name says
		"letters/offer.docx":  docxOf(t, "Dear Ms Nowak,", "Your tenancy starts on Monday."),
		"finance/rent.xlsx":   xlsxOf(t, map[string][][]any{"Arrears": {{"Tenant", "Balance"}, {"Jane Smith", 120.5}, {"Amir Khan", 0}}}),
		"archive/old.zip":     zipOf(t, map[string][]byte{"a.csv": []byte(tenants), "inner.zip": zipOf(t, map[string][]byte{"b.txt": []byte("note")})}),
		"archive/locked.zip":  zipOf(t, map[string][]byte{"secret.csv": []byte(tenants)}, "secret.csv"),
		"archive/notes.tgz":   tarGz(t, map[string][]byte{"n/1.txt": []byte("first note")}),
		"empty.txt":           nil,
		"misc/blob.bin":       append([]byte{0, 1, 2, 3, 0, 0, 0xff, 0xfe}, bytes.Repeat([]byte{0, 0x9c, 0x11}, 100)...),
		"misc/broken.xlsx":    []byte("PK\x03\x04 then nothing a workbook needs"),
		"legacy/old.xls":      append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 1024)...),
		"scans/encrypted.pdf": []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<</Encrypt 2 0 R>>\n%%EOF"),
	})
	r := scan(t, New(dir, Options{}))

	for name, want := range map[string]string{
		"tenants.csv":                     "csv",
		"notes/visit.txt":                 "text",
		"notes/export.dat":                "csv",
		"letters/offer.docx":              "docx",
		"finance/rent.xlsx!Arrears":       "xlsx",
		"archive/old.zip!a.csv":           "csv",
		"archive/old.zip!inner.zip!b.txt": "text",
		"archive/notes.tgz!n/1.txt":       "text",
		"empty.txt":                       "empty",
	} {
		c, ok := r.containers[name]
		if !ok {
			t.Errorf("%s was not read; containers: %v", name, keys(r.containers))
			continue
		}
		if c.Format != want {
			t.Errorf("%s read as %s, want %s", name, c.Format, want)
		}
	}
	if c := r.containers["tenants.csv"]; c != nil && (len(c.Columns) != 3 || c.RowsTotal != 2 || c.RowsSampled != 2) {
		t.Errorf("tenants.csv: %d columns, %d of %d rows sampled", len(c.Columns), c.RowsSampled, c.RowsTotal)
	}
	if c := r.containers["letters/offer.docx"]; c != nil && !strings.Contains(c.Text.Reveal(), "Ms Nowak") {
		t.Errorf("docx text not read")
	}

	for path, reason := range map[string]string{
		"archive/locked.zip!secret.csv": scanner.ReasonEncrypted,
		"misc/blob.bin":                 scanner.ReasonUnknownBinary,
		"misc/broken.xlsx":              scanner.ReasonCorrupt,
		"legacy/old.xls":                scanner.ReasonLegacyFormat,
		"scans/encrypted.pdf":           scanner.ReasonEncrypted,
	} {
		u, ok := r.unreadable[path]
		if !ok {
			t.Errorf("%s missing from the unreadable register %v", path, keys(r.unreadable))
			continue
		}
		if u.Reason != reason || u.Detail == "" {
			t.Errorf("%s: reason %q detail %q, want reason %q with a detail", path, u.Reason, u.Detail, reason)
		}
		if strings.Contains(u.Detail, "jane@example.org") {
			t.Errorf("%s: detail leaks content: %q", path, u.Detail)
		}
	}
	if len(r.containers)+len(r.unreadable) < 14 {
		t.Errorf("%d files accounted for: every file is read or registered", len(r.containers)+len(r.unreadable))
	}
}

func TestLimitsAreRegisteredNotSkipped(t *testing.T) {
	dir := t.TempDir()
	nest := zipOf(t, map[string][]byte{"c.txt": []byte("deep")})
	nest = zipOf(t, map[string][]byte{"b.zip": nest})
	nest = zipOf(t, map[string][]byte{"a.zip": nest})
	write(t, dir, map[string][]byte{
		"big.csv":    bytes.Repeat([]byte("a,b\n"), 5000),
		"nested.zip": nest,
		"bomb.zip":   zipOf(t, map[string][]byte{"zeros.csv": make([]byte, 4<<20)}),
		"ok.txt":     []byte("fine"),
	})
	r := scan(t, New(dir, Options{MaxFileBytes: 16000, MaxArchiveDepth: 2}))
	if u := r.unreadable["big.csv"]; u.Reason != scanner.ReasonTooLarge || u.Size != 20000 {
		t.Errorf("big.csv: %+v, want too_large with its size", u)
	}
	if u := r.unreadable["nested.zip!a.zip!b.zip"]; u.Reason != scanner.ReasonArchiveLimit {
		t.Errorf("third level of nesting: %+v, want archive_limit; register %v", u, keys(r.unreadable))
	}
	if u := r.unreadable["bomb.zip!zeros.csv"]; u.Reason != scanner.ReasonArchiveLimit {
		t.Errorf("4 MiB of zeros: %+v, want archive_limit (compression ratio); register %v %+v", u, keys(r.unreadable), r.unreadable["bomb.zip"])
	}
	if _, ok := r.containers["ok.txt"]; !ok {
		t.Errorf("ok.txt not read after the limits")
	}
}

func TestNestedArchivesShareTheTotalLimit(t *testing.T) {
	dir := t.TempDir()
	notes := bytes.Repeat([]byte("Repair booked for the boiler at flat 3.\n"), 100) // 4,000 bytes each
	inner := zipOf(t, map[string][]byte{"1.txt": notes, "2.txt": notes, "3.txt": notes})
	write(t, dir, map[string][]byte{
		"nested.zip": zipOf(t, map[string][]byte{"inner.zip": inner}),
		"flat.zip":   zipOf(t, map[string][]byte{"1.txt": notes, "2.txt": notes}),
	})
	// inner.zip alone unpacks to 12,000 bytes and flat.zip to 8,000, both inside the limit; nested.zip's walk
	// spends len(inner) before inner.zip's walk begins, which takes the two together over it.
	lim := archive.Limits{MaxMemberBytes: 1 << 20, MaxTotalBytes: 12000 + int64(len(inner))/2, MaxRatio: 1000, MaxMembers: 100}
	r := scan(t, New(dir, Options{Archive: lim}))
	if u := r.unreadable["nested.zip!inner.zip"]; u.Reason != scanner.ReasonArchiveLimit || !strings.Contains(u.Detail, "in total") {
		t.Errorf("inner archive: %+v, want archive_limit on the total; register %v", u, keys(r.unreadable))
	}
	for _, name := range []string{"flat.zip!1.txt", "flat.zip!2.txt"} {
		if _, ok := r.containers[name]; !ok {
			t.Errorf("%s not read: a shared budget must not outlive its archive; register %v", name, keys(r.unreadable))
		}
	}
}

func TestLinksAndUnlistableFoldersAreRegistered(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string][]byte{"real.txt": []byte("x"), "private/a.txt": []byte("y")})
	if err := os.Symlink(filepath.Join(dir, "real.txt"), filepath.Join(dir, "link.txt")); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	r := scan(t, New(dir, Options{}))
	if u := r.unreadable["link.txt"]; u.Reason != scanner.ReasonNotFollowed {
		t.Errorf("symlink: %+v, want not_followed", u)
	}

	if os.Geteuid() == 0 {
		t.Log("running as root: permissions are not enforced, so permission_denied is not exercised here")
		return
	}
	if err := os.Chmod(filepath.Join(dir, "private"), 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(dir, "private"), 0o755) })
	r = scan(t, New(dir, Options{}))
	if u := r.unreadable["private/"]; u.Reason != scanner.ReasonPermissionDenied {
		t.Errorf("unlistable folder: %+v, want permission_denied; register %v", u, keys(r.unreadable))
	}
}

func TestSingleFileAndMissingPath(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string][]byte{"tenants.csv": []byte(tenants)})
	r := scan(t, New(filepath.Join(dir, "tenants.csv"), Options{}))
	if _, ok := r.containers["tenants.csv"]; !ok {
		t.Errorf("single file not read: %v", keys(r.containers))
	}
	err := New(filepath.Join(dir, "nope"), Options{}).Units(context.Background(), func(scanner.Unit) error { return nil })
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing path: %v, want a not-exist error for the source", err)
	}
}

func TestCancelledScanStops(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string][]byte{"a.txt": []byte("x"), "b.txt": []byte("y")})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := New(dir, Options{})
	err := s.Units(ctx, func(scanner.Unit) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Units on a cancelled context: %v", err)
	}
	if err := s.Sample(ctx, scanner.Unit{Name: "a.txt"}, newRecorder()); !errors.Is(err, context.Canceled) {
		t.Errorf("Sample on a cancelled context: %v", err)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestSQLiteFilesAreSampledTableByTable(t *testing.T) {
	dir := t.TempDir()
	db, err := sql.Open("sqlite", filepath.Join(dir, "crm.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TABLE tenants (name TEXT, email TEXT)",
		"INSERT INTO tenants VALUES ('Jane Smith', 'jane@example.org'), ('Amir Khan', 'amir@example.org')",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	write(t, dir, map[string][]byte{"bad.db": append([]byte("SQLite format 3\x00"), bytes.Repeat([]byte{0xee}, 200)...)})
	r := scan(t, New(dir, Options{}))
	c, ok := r.containers["crm.db!tenants"]
	if !ok || c.RowsSampled != 2 || len(c.Columns) != 2 {
		t.Fatalf("crm.db!tenants: %+v; containers %v", c, keys(r.containers))
	}
	if u := r.unreadable["bad.db"]; u.Reason != scanner.ReasonCorrupt {
		t.Errorf("bad.db: %+v, want corrupt", u)
	}
}

func TestErrorDetailsNeverQuoteTheFile(t *testing.T) {
	xmlErr := xml.NewDecoder(strings.NewReader("<si><t>Mr&Okafor</t></si>")).Decode(new(struct{}))
	for _, err := range []error{
		xmlErr,
		fmt.Errorf("sheet: %w", &strconv.NumError{Func: "Atoi", Num: "ZZ999999Z", Err: strconv.ErrSyntax}),
		errors.New(`cannot convert cell "Zebedee Quonk" to coordinates`),
	} {
		got := safe(err)
		for _, leak := range []string{"Okafor", "ZZ999999Z", "Zebedee"} {
			if strings.Contains(got, leak) {
				t.Errorf("safe(%v) = %q quotes the file", err, got)
			}
		}
		if got == "" {
			t.Errorf("safe(%v) is empty: a reason needs a detail", err)
		}
	}
	if got := safe(errors.New("unexpected EOF")); got != "unexpected EOF" {
		t.Errorf("a message that quotes nothing is kept: %q", got)
	}
}

func TestSQLiteTablesInAShareAreCountedForRetention(t *testing.T) {
	dir := t.TempDir()
	db, err := sql.Open("sqlite", filepath.Join(dir, "crm.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TABLE tenancies (ref TEXT, tenancy_end TEXT)",
		"INSERT INTO tenancies VALUES ('T1', '2010-01-01'), ('T2', '2024-01-01'), ('T3', NULL)",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s := New(dir, Options{})
	got, err := s.CountStale(context.Background(), scanner.StaleQuery{Unit: "crm.db", Container: "crm.db!tenancies",
		Conditions: []scanner.Condition{{Field: "tenancy_end", Cutoff: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Stale != 1 || got.Total != 3 || got.Method != scanner.MethodExact {
		t.Errorf("count %+v, want 1 of 3 exact", got)
	}
}
