package gen

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// generate writes the estate into a fresh temporary folder and returns it with its labels.
func generate(t *testing.T) (string, Labels) {
	t.Helper()
	dir := t.TempDir()
	if err := Write(dir); err != nil {
		t.Fatalf("Write: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "labels.json"))
	if err != nil {
		t.Fatal(err)
	}
	var l Labels
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		t.Fatalf("labels.json: %v", err)
	}
	return dir, l
}

type entry struct {
	data  []byte
	dir   bool
	mtime int64
}

func snapshot(t *testing.T, dir string) map[string]entry {
	t.Helper()
	out := map[string]entry{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		e := entry{dir: d.IsDir(), mtime: fi.ModTime().Unix()}
		if !d.IsDir() {
			if e.data, err = os.ReadFile(p); err != nil {
				return err
			}
		}
		out[filepath.ToSlash(rel)] = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWriteIsByteForByteReproducible(t *testing.T) {
	a, _ := generate(t)
	b, _ := generate(t)
	sa, sb := snapshot(t, a), snapshot(t, b)
	if len(sa) < 40 {
		t.Fatalf("only %d entries written", len(sa))
	}
	for p, ea := range sa {
		eb, ok := sb[p]
		switch {
		case !ok:
			t.Errorf("%s written only by the first run", p)
		case !bytes.Equal(ea.data, eb.data):
			t.Errorf("%s differs between runs", p)
		case p != "." && ea.mtime != fixedTime.Unix():
			t.Errorf("%s has time %d, want the fixed %d", p, ea.mtime, fixedTime.Unix())
		}
	}
	for p := range sb {
		if _, ok := sa[p]; !ok {
			t.Errorf("%s written only by the second run", p)
		}
	}
}

func TestWriteRefusesExistingEstate(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "estate"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir); err == nil {
		t.Fatal("Write over an existing estate succeeded; it must refuse")
	}
}

func TestCheckersAcceptAndRejectReferenceVectors(t *testing.T) {
	cases := []struct {
		name  string
		check func(string) bool
		value string
		want  bool
	}{
		{"accepts NHS worked example", nhsValid, "943 476 5919", true},
		{"accepts NHS hyphenated", nhsValid, "401-023-2137", true},
		{"rejects NHS number with bad check digit", nhsValid, "401-023-2138", false},
		{"rejects NHS number whose check would be 10", nhsValid, "9990000000", false},
		{"accepts NINO", ninoValid, "AB 12 34 56 C", true},
		{"rejects NINO with Q", ninoValid, "QQ 12 34 56 A", false},
		{"rejects NINO with banned prefix", ninoValid, "BG123612A", false},
		{"rejects NINO with O second", ninoValid, "AO123456A", false},
		{"rejects NINO with suffix E", ninoValid, "AB123456E", false},
		{"accepts IBAN", ibanValid, "GB29 NWBK 6016 1331 9268 19", true},
		{"rejects IBAN with bad check", ibanValid, "GB29 NWBK 6016 1331 9268 10", false},
		{"accepts Visa test card", cardValid, "4111111111111111", true},
		{"rejects card failing Luhn", cardValid, "4111 1111 1111 1112", false},
		{"rejects Amex as not Visa or Mastercard", cardValid, "371449635398431", false},
		{"accepts UTR", utrValid, "1955839661", true},
		{"accepts UTR with K", utrValid, "1234567895K", true},
		{"rejects UTR with bad check", utrValid, "2955839661", false},
		{"accepts driving licence", drivingLicenceValid, "MORGA657054SM9IJ", true},
		{"rejects driving licence month 13", drivingLicenceValid, "MORGA613054SM9IJ", false},
		{"rejects driving licence with inner 9", drivingLicenceValid, "MO9G9657054SM9IJ", false},
		{"accepts postcode", postcodeValid, "M60 1NW", true},
		{"rejects postcode with Q first", postcodeValid, "QA1 1AA", false},
		{"rejects postcode with C inward", postcodeValid, "M1 1CA", false},
		{"accepts drama mobile", phoneDrama, "07700 900123", true},
		{"rejects allocated mobile", phoneDrama, "07911 123456", false},
		{"accepts example.org email", emailValid, "jane.doe@example.org", true},
		{"rejects real-looking domain", emailValid, "jane.doe@gmail.com", false},
		{"accepts DOB in range", dobValid, "01/02/1980", true},
		{"rejects DOB after 2005", dobValid, "01/02/2010", false},
		{"rejects impossible date", dobValid, "31/02/1980", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.check(c.value); got != c.want {
				t.Errorf("check(%q) = %v, want %v", c.value, got, c.want)
			}
		})
	}
}

func TestEveryPlantedIdentifierPassesItsCheck(t *testing.T) {
	e, err := build()
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]func(string) bool{
		kindNHS: nhsValid, kindNINO: ninoValid, kindIBAN: ibanValid, kindCard: cardValid, kindUTR: utrValid,
		kindDL: drivingLicenceValid, kindPost: postcodeValid, kindPhone: phoneDrama, kindSort: sortValid,
		kindAccount: accountValid, kindEmail: emailValid, kindDOB: dobValid,
	}
	seen := map[string]int{}
	for _, p := range e.planted {
		check, ok := checks[p.kind]
		if !ok {
			t.Fatalf("no check for kind %s", p.kind)
		}
		seen[p.kind]++
		if !check(p.value) {
			t.Errorf("planted %s fails its check", p.kind)
		}
		if p.kind == kindNHS && strings.HasPrefix(p.value, "999") {
			t.Errorf("planted NHS number in the 999 test range")
		}
		if (p.kind == kindNHS || p.kind == kindUTR || p.kind == kindCard) && placeholder(stripSep(p.value)) {
			t.Errorf("planted %s is a placeholder", p.kind)
		}
	}
	for kind := range checks {
		if seen[kind] == 0 {
			t.Errorf("no %s planted", kind)
		}
	}
}

// open returns the bytes of a container path such as "a.zip!nested.zip!notes.txt" and, for a sheet
// ("book.xlsx!Sheet"), the sheet name separately.
func open(t *testing.T, root, container string) (data []byte, sheetName string) {
	t.Helper()
	parts := strings.Split(container, "!")
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(parts[0])))
	if err != nil {
		t.Fatalf("%s: %v", container, err)
	}
	name := parts[0]
	for _, p := range parts[1:] {
		switch {
		case strings.HasSuffix(name, ".xlsx"):
			return data, p
		case strings.HasSuffix(name, ".zip"):
			data = zipMember(t, data, p)
		case strings.HasSuffix(name, ".tar.gz"):
			data = tarMember(t, gunzip(t, data), p)
		case strings.HasSuffix(name, ".gz"):
			if want := strings.TrimSuffix(path.Base(name), ".gz"); p != want {
				t.Fatalf("%s: gz member %q, want %q", container, p, want)
			}
			data = gunzip(t, data)
		default:
			t.Fatalf("%s: %s is not a container", container, name)
		}
		name = p
	}
	return data, ""
}

func zipMember(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open(name)
	if err != nil {
		t.Fatalf("zip member %s: %v", name, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gunzip(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func tarMember(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			t.Fatalf("tar member %s missing", name)
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Name == name {
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
}

// header reads the first record of a delimited file in whatever encoding the estate used for it.
func header(t *testing.T, data []byte) []string {
	t.Helper()
	comma := ','
	var text string
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		u := make([]uint16, 0, len(data)/2)
		for i := 2; i+1 < len(data); i += 2 {
			u = append(u, uint16(data[i])|uint16(data[i+1])<<8)
		}
		text = string(utf16.Decode(u))
	default:
		b, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			t.Fatal(err)
		}
		text = string(b)
		if bytes.Contains(data, []byte{0xC3}) || !bytes.ContainsFunc(data, func(r rune) bool { return r >= 0x80 }) {
			text = string(data) // UTF-8
		}
	}
	first := text[:strings.IndexByte(text, '\n')]
	switch {
	case strings.Count(first, "\t") > strings.Count(first, ","):
		comma = '\t'
	case strings.Count(first, ";") > strings.Count(first, ","):
		comma = ';'
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = comma
	rec, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// TestLabelsMatchTheFiles checks that every labelled container exists, that the labels of every table are
// exactly its header (every column labelled, nothing extra), and that every file of the estate is either
// labelled or listed as unreadable.
func TestLabelsMatchTheFiles(t *testing.T) {
	dir, l := generate(t)
	root := filepath.Join(dir, "estate")

	fields := map[string][]string{}
	var containers []string
	seen := map[string]bool{}
	for _, f := range l.Fields {
		key := f.Container + "#" + f.Field
		if seen[key] {
			t.Errorf("label %s appears twice", key)
		}
		seen[key] = true
		if _, ok := fields[f.Container]; !ok {
			containers = append(containers, f.Container)
		}
		fields[f.Container] = append(fields[f.Container], f.Field)
		if f.Decoy && f.Personal {
			t.Errorf("%s is both a decoy and personal", key)
		}
		if f.Criminal && !f.Personal || len(f.SpecialCategory) > 0 && !f.Personal {
			t.Errorf("%s is special or criminal but not personal", key)
		}
	}

	for _, c := range containers {
		if file, tbl, ok := strings.Cut(c, ".db!"); ok {
			if got := sqliteColumns(t, filepath.Join(root, filepath.FromSlash(file+".db")), tbl); !slices.Equal(got, fields[c]) {
				t.Errorf("%s: columns %v, labels %v", c, got, fields[c])
			}
			continue
		}
		data, sheetName := open(t, root, c)
		want := fields[c]
		switch {
		case sheetName != "":
			f, err := excelize.OpenReader(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("%s: %v", c, err)
			}
			rows, err := f.GetRows(sheetName)
			f.Close()
			if err != nil {
				t.Errorf("%s: sheet missing: %v", c, err)
				continue
			}
			if !slices.ContainsFunc(rows, func(r []string) bool { return slices.Equal(r, want) }) {
				t.Errorf("%s: no row equals the labelled fields %v", c, want)
			}
		case slices.Equal(want, []string{"*"}):
			if len(data) == 0 {
				t.Errorf("%s: empty document", c)
			}
		default:
			if got := header(t, data); !slices.Equal(got, want) {
				t.Errorf("%s: header %v, labels %v", c, got, want)
			}
		}
	}

	accounted := map[string]bool{}
	for _, c := range containers {
		accounted[strings.Split(c, "!")[0]] = true
	}
	for _, u := range l.Unreadable {
		accounted[strings.Split(u.Path, "!")[0]] = true
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if !accounted[filepath.ToSlash(rel)] {
			t.Errorf("%s has neither labels nor an unreadable entry", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// sqliteColumns lists a table's or view's columns, and fails the test if it holds no rows.
func sqliteColumns(t *testing.T, file, table string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(file)+"?mode=ro&immutable=1")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT name FROM pragma_table_info(?)", table)
	if err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM "` + strings.ReplaceAll(table, `"`, `""`) + `"`).Scan(&n); err != nil || n == 0 {
		t.Errorf("%s: %d rows (%v)", table, n, err)
	}
	return cols
}

func TestUnreadableFixturesAreWhatTheyClaim(t *testing.T) {
	dir, l := generate(t)
	root := filepath.Join(dir, "estate")
	read := func(p string) []byte {
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	reasons := map[string]bool{"encrypted": true, "corrupt": true, "legacy_format": true, "needs_ocr": true,
		"too_large": true, "permission_denied": true, "unsupported_format": true, "unknown_binary": true,
		"read_error": true, "archive_limit": true}
	for _, u := range l.Unreadable {
		if !reasons[u.Reason] {
			t.Errorf("%s: unknown reason %q", u.Path, u.Reason)
		}
	}

	streams := func(p string) []string {
		doc, err := mscfb.New(bytes.NewReader(read(p)))
		if err != nil {
			t.Fatalf("%s: not a compound file: %v", p, err)
		}
		var names []string
		for e, err := doc.Next(); err == nil; e, err = doc.Next() {
			names = append(names, e.Name)
			if e.Size > 0 {
				b, rerr := io.ReadAll(e)
				if rerr != nil || int64(len(b)) != e.Size {
					t.Errorf("%s: stream %s reads %d of %d bytes (%v)", p, e.Name, len(b), e.Size, rerr)
				}
			}
		}
		return names
	}
	cfbCases := []struct {
		path string
		want []string
	}{
		{"finance/protected.xlsx", []string{"EncryptionInfo", "EncryptedPackage"}},
		{"legacy/old_rent.xls", []string{"Workbook"}},
		{"legacy/letter.doc", []string{"WordDocument"}},
		{"legacy/complaint.msg", []string{"__substg1.0_0037001F"}},
	}
	for _, c := range cfbCases {
		got := streams(c.path)
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: streams %v lack %s", c.path, got, w)
			}
		}
	}

	zr, err := zip.NewReader(bytes.NewReader(read("archive/locked.zip")), int64(len(read("archive/locked.zip"))))
	if err != nil || len(zr.File) != 1 || zr.File[0].Name != "secret.csv" || zr.File[0].Flags&1 == 0 {
		t.Errorf("locked.zip does not hold one encrypted member secret.csv (%v)", err)
	}
	bomb := read("archive/zipbomb.zip")
	zr, err = zip.NewReader(bytes.NewReader(bomb), int64(len(bomb)))
	if err != nil || zr.File[0].UncompressedSize64 < 100*zr.File[0].CompressedSize64 {
		t.Errorf("zipbomb.zip does not exceed a 100:1 ratio (%v)", err)
	}
	if _, err := png.Decode(bytes.NewReader(read("scans/id_scan.png"))); err != nil {
		t.Errorf("id_scan.png: %v", err)
	}
	if form := read("scans/signed_form.pdf"); !bytes.Contains(form, []byte("/Subtype /Image")) ||
		bytes.Contains(form, []byte("/Font")) || bytes.Contains(form, []byte("BT ")) {
		t.Error("signed_form.pdf must hold an image and no text")
	}
	if !bytes.Contains(read("scans/encrypted.pdf"), []byte("/Encrypt 5 0 R")) {
		t.Error("encrypted.pdf has no /Encrypt in its trailer")
	}
	if !bytes.Contains(read("scans/policy.pdf"), []byte("/Font")) {
		t.Error("policy.pdf has no font")
	}
	corrupt := read("misc/corrupt.xlsx")
	if !bytes.HasPrefix(corrupt, []byte("PK\x03\x04")) {
		t.Error("corrupt.xlsx does not start as a zip")
	}
	if _, err := zip.NewReader(bytes.NewReader(corrupt), int64(len(corrupt))); err == nil {
		t.Error("corrupt.xlsx opens as a zip")
	}
}
