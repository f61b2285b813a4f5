package sheet

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Fixtures are synthetic: generated names, example.org addresses, Ofcom drama numbers (07700 900xxx).

func readCSVString(t *testing.T, s string, opt Options) *Table {
	t.Helper()
	tab, err := ReadCSV(strings.NewReader(s), opt)
	if err != nil {
		t.Fatalf("ReadCSV: %v", err)
	}
	checkShape(t, tab)
	return tab
}

// checkShape asserts the invariants every table must keep.
func checkShape(t testing.TB, tab *Table) {
	t.Helper()
	for i, r := range tab.Rows {
		if len(r) != len(tab.Header) {
			t.Fatalf("row %d has %d cells, header has %d", i, len(r), len(tab.Header))
		}
	}
	if len(tab.Rows) > tab.TotalRows {
		t.Fatalf("%d sampled rows but TotalRows %d", len(tab.Rows), tab.TotalRows)
	}
}

func TestReadCSVSniffsDelimiter(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		delim  rune
		header []string
		row0   []string
	}{
		{
			name:   "comma",
			in:     "Name,Email,Phone\nAda Lovelace,ada@example.org,07700 900001\nAlan Turing,alan@example.org,07700 900002\n",
			delim:  ',',
			header: []string{"Name", "Email", "Phone"},
			row0:   []string{"Ada Lovelace", "ada@example.org", "07700 900001"},
		},
		{
			name:   "semicolon with decimal commas",
			in:     "Name;Rent;Arrears\nAda Lovelace;512,50;0,00\nAlan Turing;498,10;12,75\n",
			delim:  ';',
			header: []string{"Name", "Rent", "Arrears"},
			row0:   []string{"Ada Lovelace", "512,50", "0,00"},
		},
		{
			name:   "tab",
			in:     "Name\tTown\tPostcode\nAda Lovelace\tLeeds\tLS1 1AA\nAlan Turing\tYork\tYO1 7HH\n",
			delim:  '\t',
			header: []string{"Name", "Town", "Postcode"},
			row0:   []string{"Ada Lovelace", "Leeds", "LS1 1AA"},
		},
		{
			name:   "pipe",
			in:     "Name|Town|Notes\nAda Lovelace|Leeds|called, no answer\nAlan Turing|York|letter sent, 2 March\n",
			delim:  '|',
			header: []string{"Name", "Town", "Notes"},
			row0:   []string{"Ada Lovelace", "Leeds", "called, no answer"},
		},
		{
			name: "quoted commas inside fields",
			in: "Name,Address,Phone\n\"Lovelace, Ada\",\"1 High St, Leeds, LS1 1AA\",07700 900001\n" +
				"\"Turing, Alan\",\"2 Low Rd; York\",07700 900002\n\"Hopper, Grace\",\"3 Mill Lane, Hull\",07700 900003\n",
			delim:  ',',
			header: []string{"Name", "Address", "Phone"},
			row0:   []string{"Lovelace, Ada", "1 High St, Leeds, LS1 1AA", "07700 900001"},
		},
		{
			name: "quoted semicolons inside fields",
			in: "Name;Address;Phone\n\"Ada; Lovelace\";\"1 High St; Leeds\";07700 900001\n" +
				"\"Alan; Turing\";\"2 Low Rd, York\";07700 900002\n",
			delim:  ';',
			header: []string{"Name", "Address", "Phone"},
			row0:   []string{"Ada; Lovelace", "1 High St; Leeds", "07700 900001"},
		},
		{
			name:   "single column",
			in:     "Email\nada@example.org\nalan@example.org\n",
			delim:  ',',
			header: []string{"Email"},
			row0:   []string{"ada@example.org"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab := readCSVString(t, tc.in, Options{})
			if tab.Delimiter != tc.delim {
				t.Errorf("delimiter %q, want %q", tab.Delimiter, tc.delim)
			}
			if !slices.Equal(tab.Header, tc.header) {
				t.Errorf("header %q, want %q", tab.Header, tc.header)
			}
			if len(tab.Rows) == 0 || !slices.Equal(tab.Rows[0], tc.row0) {
				t.Errorf("rows %q, first want %q", tab.Rows, tc.row0)
			}
		})
	}
}

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var out []byte
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xFEFF}, units...)
	}
	for _, u := range units {
		if bigEndian {
			out = binary.BigEndian.AppendUint16(out, u)
		} else {
			out = binary.LittleEndian.AppendUint16(out, u)
		}
	}
	return out
}

func TestDecodeSniffsEncoding(t *testing.T) {
	const text = "Name,Note\nAda,£5 café\n"
	tests := []struct {
		name string
		in   []byte
		enc  string
		want string
	}{
		{"utf-8", []byte(text), "utf-8", text},
		{"ascii is utf-8", []byte("Name,Town\nAda,Leeds\n"), "utf-8", "Name,Town\nAda,Leeds\n"},
		{"utf-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, text...), "utf-8-bom", text},
		{"utf-16le with BOM", utf16Bytes(text, false, true), "utf-16le", text},
		{"utf-16be with BOM", utf16Bytes(text, true, true), "utf-16be", text},
		{"utf-16le without BOM", utf16Bytes(text, false, false), "utf-16le", text},
		{"utf-16be without BOM", utf16Bytes(text, true, false), "utf-16be", text},
		{"windows-1252 pound and e-acute", []byte("Name,Note\nAda,\xa35 caf\xe9\n"), "windows-1252", text},
		{
			name: "utf-8 head with a stray windows-1252 byte past the sniffed head",
			in:   []byte(strings.Repeat("Ada,Leeds\n", 8000) + "Alan,\xa35\n"),
			enc:  "utf-8",
			want: strings.Repeat("Ada,Leeds\n", 8000) + "Alan,£5\n",
		},
		{"empty", nil, "utf-8", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, enc, err := Decode(bytes.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if enc != tc.enc {
				t.Errorf("encoding %q, want %q", enc, tc.enc)
			}
			if string(got) != tc.want {
				t.Errorf("decoded %q, want %q", firstBytes(got, 80), firstBytes([]byte(tc.want), 80))
			}
		})
	}
}

func firstBytes(b []byte, n int) string { return string(b[:min(n, len(b))]) }

func TestReadCSVDecodesEachEncoding(t *testing.T) {
	const text = "Name,Note\r\nAda Lovelace,£5 café\r\nAlan Turing,owes £12\r\n"
	for _, tc := range []struct {
		enc string
		in  []byte
	}{
		{"utf-8", []byte(text)},
		{"utf-8-bom", append([]byte{0xEF, 0xBB, 0xBF}, text...)},
		{"utf-16le", utf16Bytes(text, false, true)},
		{"utf-16be", utf16Bytes(text, true, true)},
		{"windows-1252", []byte(strings.NewReplacer("£", "\xa3", "é", "\xe9").Replace(text))},
	} {
		t.Run(tc.enc, func(t *testing.T) {
			tab, err := ReadCSV(bytes.NewReader(tc.in), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if tab.Encoding != tc.enc {
				t.Errorf("encoding %q, want %q", tab.Encoding, tc.enc)
			}
			if !slices.Equal(tab.Header, []string{"Name", "Note"}) {
				t.Errorf("header %q", tab.Header)
			}
			want := [][]string{{"Ada Lovelace", "£5 café"}, {"Alan Turing", "owes £12"}}
			if !slices.EqualFunc(tab.Rows, want, slices.Equal) {
				t.Errorf("rows %q, want %q", tab.Rows, want)
			}
		})
	}
}

func TestReadCSVFindsHeaderUnderTitleRows(t *testing.T) {
	in := "Tenant register 2024 - CONFIDENTIAL,,,\n" +
		"Prepared by the housing team,,,\n" +
		",,,\n" +
		"Tenant ID,Name,Email,Date of birth\n" +
		"10001,Ada Lovelace,ada@example.org,10/12/1985\n" +
		"10002,Alan Turing,alan@example.org,23/06/1992\n" +
		"10003,Grace Hopper,grace@example.org,09/12/1976\n"
	tab := readCSVString(t, in, Options{})
	if tab.HeaderRow != 4 {
		t.Errorf("HeaderRow %d, want 4", tab.HeaderRow)
	}
	if want := []string{"Tenant ID", "Name", "Email", "Date of birth"}; !slices.Equal(tab.Header, want) {
		t.Errorf("header %q, want %q", tab.Header, want)
	}
	if tab.TotalRows != 3 || len(tab.Rows) != 3 {
		t.Errorf("TotalRows %d, rows %d, want 3 and 3 (title rows are not data)", tab.TotalRows, len(tab.Rows))
	}
	if tab.Rows[0][1] != "Ada Lovelace" {
		t.Errorf("first row %q", tab.Rows[0])
	}
}

func TestReadCSVWithoutHeader(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"numbers and emails", "10001,ada@example.org,07700 900001\n10002,alan@example.org,07700 900002\n10003,grace@example.org,07700 900003\n"},
		{"names and emails", "Ada Lovelace,ada@example.org,07700900001\nAlan Turing,alan@example.org,07700900002\n"},
		{"repeated categories", "Active,Leeds,Flat\nActive,York,House\nClosed,Leeds,Flat\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab := readCSVString(t, tc.in, Options{})
			if tab.HeaderRow != 0 {
				t.Errorf("HeaderRow %d, want 0", tab.HeaderRow)
			}
			if want := []string{"column_1", "column_2", "column_3"}; !slices.Equal(tab.Header, want) {
				t.Errorf("header %q, want %q", tab.Header, want)
			}
			lines := strings.Count(tc.in, "\n")
			if tab.TotalRows != lines || len(tab.Rows) != lines {
				t.Errorf("TotalRows %d, rows %d, want every line (%d) as data", tab.TotalRows, len(tab.Rows), lines)
			}
		})
	}
}

func TestReadCSVNamesBlankAndDuplicateHeaders(t *testing.T) {
	in := " Name ,,Email,name,Email, \n" +
		"Ada,x,ada@example.org,Lovelace,ada2@example.org,extra,7\n" +
		"Alan,y,alan@example.org,Turing,alan2@example.org,,\n"
	tab := readCSVString(t, in, Options{})
	want := []string{"Name", "column_2", "Email", "name_2", "Email_2", "column_6", "column_7"}
	if !slices.Equal(tab.Header, want) {
		t.Errorf("header %q, want %q", tab.Header, want)
	}
}

func TestReadCSVFoldsWrappedHeaderText(t *testing.T) {
	tab := readCSVString(t, "\"Date of\nbirth\",Name\n01/02/1980,Ada\n", Options{})
	if want := []string{"Date of birth", "Name"}; !slices.Equal(tab.Header, want) {
		t.Errorf("header %q, want %q", tab.Header, want)
	}
}

func TestReadCSVPadsRaggedRows(t *testing.T) {
	in := "Name,Email,Phone,Town\n" +
		"Ada,ada@example.org\n" +
		"Alan,alan@example.org,07700 900002,York,surplus,more\n" +
		"\n   ,  ,\n" + // blank rows: neither data nor counted
		"Grace\n"
	tab := readCSVString(t, in, Options{})
	want := [][]string{
		{"Ada", "ada@example.org", "", ""},
		{"Alan", "alan@example.org", "07700 900002", "York"},
		{"Grace", "", "", ""},
	}
	if len(tab.Header) != 6 {
		// The surplus cells sit in the header window, so they widen the table.
		t.Fatalf("header %q, want 6 columns", tab.Header)
	}
	for i, r := range tab.Rows {
		if !slices.Equal(r[:4], want[i]) {
			t.Errorf("row %d %q, want %q", i, r, want[i])
		}
	}
	if tab.TotalRows != 3 {
		t.Errorf("TotalRows %d, want 3", tab.TotalRows)
	}
}

func TestReadCSVDropsCellsBeyondWindowWidth(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("Name,Town\n")
	for i := range 30 {
		fmt.Fprintf(&sb, "Person %d,Leeds\n", i)
	}
	sb.WriteString("Late,York,surplus\n")
	tab := readCSVString(t, sb.String(), Options{})
	if len(tab.Header) != 2 {
		t.Fatalf("header %q", tab.Header)
	}
	if last := tab.Rows[len(tab.Rows)-1]; !slices.Equal(last, []string{"Late", "York"}) {
		t.Errorf("last row %q", last)
	}
}

func TestReadCSVBoundsCellsAndColumns(t *testing.T) {
	long := strings.Repeat("é", 10) // 20 bytes
	tab := readCSVString(t, "A,B,C,D\n"+long+",b,c,d\n", Options{MaxCellBytes: 5, MaxColumns: 2})
	if !slices.Equal(tab.Header, []string{"A", "B"}) {
		t.Errorf("header %q, want 2 columns", tab.Header)
	}
	if got := tab.Rows[0][0]; got != "éé" || !utf8.ValidString(got) {
		t.Errorf("cut cell %q, want %q", got, "éé")
	}
}

func TestReadCSVReadsClassicMacLineEnds(t *testing.T) {
	tab := readCSVString(t, "Name,Town\rAda,Leeds\rAlan,York\r", Options{})
	if tab.TotalRows != 2 || !slices.Equal(tab.Header, []string{"Name", "Town"}) {
		t.Errorf("header %q, TotalRows %d", tab.Header, tab.TotalRows)
	}
}

func TestReadCSVEmptyInput(t *testing.T) {
	for _, in := range []string{"", "\n\n", " , ,\n"} {
		tab := readCSVString(t, in, Options{})
		if len(tab.Header) != 0 || tab.TotalRows != 0 || tab.HeaderRow != 0 {
			t.Errorf("%q: %+v, want an empty table", in, tab)
		}
	}
}

func TestReadCSVRejectsBinary(t *testing.T) {
	in := bytes.Repeat([]byte{0x00, 0x01, 0x02, 0xff, 0x00, 0x00, 0x7f}, 100)
	_, err := ReadCSV(bytes.NewReader(in), Options{})
	if !errors.Is(err, ErrNotTable) {
		t.Errorf("err %v, want ErrNotTable", err)
	}
}

// A quote that never closes makes LazyQuotes swallow the rest of the file into one field; the reader must
// drop that record at the record limit and carry on at the next line instead of buffering the file.
func TestReadCSVSkipsRunawayQuotedRecord(t *testing.T) {
	opt := Options{MaxColumns: 4, MaxCellBytes: 64} // record limit 1 MiB
	var sb strings.Builder
	sb.WriteString("ID,Name,Email\n1,\"Ada,ada@example.org\n")
	const lines = 200000 // ~5 MiB
	for i := range lines {
		fmt.Fprintf(&sb, "%d,Person %d,p%d@example.org\n", i+2, i, i)
	}
	tab, err := ReadCSV(strings.NewReader(sb.String()), opt)
	if err != nil {
		t.Fatalf("ReadCSV: %v", err)
	}
	checkShape(t, tab)
	if !slices.Equal(tab.Header, []string{"ID", "Name", "Email"}) {
		t.Errorf("header %q", tab.Header)
	}
	// About 1 MiB of lines is lost to the runaway record (counted as one row); the rest is read.
	if tab.TotalRows < lines/2 || tab.TotalRows > lines {
		t.Errorf("TotalRows %d, want most of %d", tab.TotalRows, lines)
	}
	last := tab.Rows[len(tab.Rows)-1]
	if !strings.HasSuffix(last[2], "@example.org") {
		t.Errorf("last sampled row %q is not a clean record", last)
	}
}

func TestReadCSVReturnsPartialTableOnReadError(t *testing.T) {
	in := "Name,Town\nAda,Leeds\nAlan,York\n"
	broken := io.MultiReader(strings.NewReader(strings.Repeat(in, 5000)), errReader{})
	tab, err := ReadCSV(broken, Options{})
	if err == nil || !errors.Is(err, errBroken) {
		t.Fatalf("err %v, want one wrapping the read failure", err)
	}
	if tab == nil || tab.TotalRows == 0 {
		t.Fatalf("table %v, want the rows read before the failure", tab)
	}
	if strings.Contains(err.Error(), "Leeds") {
		t.Errorf("error %q carries cell contents", err)
	}
}

var errBroken = errors.New("disk went away")

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errBroken }

// genCSV writes rows "i,Person i,pi@example.org,07700 900xxx,i%7" for i in [0, n).
func genCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("Row,Name,Email,Phone,Band\n")
	for i := range n {
		fmt.Fprintf(&b, "%d,Person %d,p%d@example.org,07700 900%03d,%d\n", i, i, i, i%1000, i%7)
	}
	return b.Bytes()
}

func sampledIndexes(t testing.TB, tab *Table) []int {
	t.Helper()
	idx := make([]int, len(tab.Rows))
	for i, r := range tab.Rows {
		n, err := strconv.Atoi(r[0])
		if err != nil {
			t.Fatalf("row %q: %v", r, err)
		}
		idx[i] = n
	}
	return idx
}

func TestReadCSVSamplesWholeFile(t *testing.T) {
	const n = 100000
	data := genCSV(n)
	read := func(seed uint64) []int {
		tab, err := ReadCSV(bytes.NewReader(data), Options{SampleRows: 100, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		checkShape(t, tab)
		if tab.TotalRows != n {
			t.Errorf("TotalRows %d, want %d", tab.TotalRows, n)
		}
		return sampledIndexes(t, tab)
	}
	idx := read(7)
	if len(idx) != 100 {
		t.Fatalf("kept %d rows, want 100", len(idx))
	}
	if !slices.IsSorted(idx) {
		t.Errorf("sample not in file order: %v", idx)
	}
	var deciles [10]int
	for _, i := range idx {
		deciles[i*10/n]++
	}
	for d, c := range deciles {
		if c == 0 {
			t.Errorf("no sampled row from decile %d: %v", d, deciles)
		}
	}
	if again := read(7); !slices.Equal(idx, again) {
		t.Errorf("same seed gave a different sample")
	}
	if other := read(8); slices.Equal(idx, other) {
		t.Errorf("different seeds gave the same sample")
	}
}

func TestReadCSVKeepsEveryRowOfSmallFile(t *testing.T) {
	tab, err := ReadCSV(bytes.NewReader(genCSV(50)), Options{SampleRows: 100})
	if err != nil {
		t.Fatal(err)
	}
	idx := sampledIndexes(t, tab)
	if len(idx) != 50 || idx[0] != 0 || idx[49] != 49 {
		t.Errorf("kept %v, want rows 0..49", idx)
	}
}

// ---- xlsx ----

func workbook(t testing.TB, build func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	build(f)
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func set(t testing.TB, f *excelize.File, sheet, cell string, v any) {
	t.Helper()
	if err := f.SetCellValue(sheet, cell, v); err != nil {
		t.Fatal(err)
	}
}

func setRow(t testing.TB, f *excelize.File, sheet string, row int, vals ...any) {
	t.Helper()
	cell, _ := excelize.CoordinatesToCellName(1, row)
	if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
		t.Fatal(err)
	}
}

func style(t testing.TB, f *excelize.File, sheet, cell string, s *excelize.Style) {
	t.Helper()
	id, err := f.NewStyle(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle(sheet, cell, cell, id); err != nil {
		t.Fatal(err)
	}
}

func readXLSX(t testing.TB, data []byte, opt Options) []*Table {
	t.Helper()
	tables, err := ReadXLSX(bytes.NewReader(data), int64(len(data)), opt)
	if err != nil {
		t.Fatalf("ReadXLSX: %v", err)
	}
	for _, tab := range tables {
		checkShape(t, tab)
	}
	return tables
}

func TestReadXLSXFindsHeaderUnderTitleRows(t *testing.T) {
	data := workbook(t, func(f *excelize.File) {
		set(t, f, "Sheet1", "A1", "Tenant register 2024 - CONFIDENTIAL")
		if err := f.MergeCell("Sheet1", "A1", "D1"); err != nil {
			t.Fatal(err)
		}
		set(t, f, "Sheet1", "A2", "Exported from the housing system")
		setRow(t, f, "Sheet1", 4, "Tenant ID", "Name", "Email", "Phone")
		setRow(t, f, "Sheet1", 5, 10001, "Ada Lovelace", "ada@example.org", "07700 900001")
		setRow(t, f, "Sheet1", 6, 10002, "Alan Turing", "alan@example.org", "07700 900002")
	})
	tables := readXLSX(t, data, Options{})
	if len(tables) != 1 {
		t.Fatalf("%d tables", len(tables))
	}
	tab := tables[0]
	if tab.Name != "Sheet1" || tab.Encoding != "" {
		t.Errorf("name %q encoding %q", tab.Name, tab.Encoding)
	}
	if tab.HeaderRow != 4 {
		t.Errorf("HeaderRow %d, want 4", tab.HeaderRow)
	}
	if want := []string{"Tenant ID", "Name", "Email", "Phone"}; !slices.Equal(tab.Header, want) {
		t.Errorf("header %q, want %q", tab.Header, want)
	}
	want := [][]string{{"10001", "Ada Lovelace", "ada@example.org", "07700 900001"}, {"10002", "Alan Turing", "alan@example.org", "07700 900002"}}
	if tab.TotalRows != 2 || !slices.EqualFunc(tab.Rows, want, slices.Equal) {
		t.Errorf("TotalRows %d rows %q, want %q", tab.TotalRows, tab.Rows, want)
	}
}

func TestReadXLSXSpreadsMergedCells(t *testing.T) {
	data := workbook(t, func(f *excelize.File) {
		setRow(t, f, "Sheet1", 1, "Name", "Address", nil, nil, "Team")
		setRow(t, f, "Sheet1", 2, nil, "Line 1", "Town", "Postcode", nil)
		setRow(t, f, "Sheet1", 3, "Ada Lovelace", "1 High St", "Leeds", "LS1 1AA", "North")
		setRow(t, f, "Sheet1", 4, "Alan Turing", "2 Low Rd", "York", "YO1 7HH", nil)
		setRow(t, f, "Sheet1", 5, "Grace Hopper", "No fixed abode", nil, nil, nil)
		for _, m := range [][2]string{{"B1", "D1"}, {"E3", "E5"}, {"B5", "D5"}} {
			if err := f.MergeCell("Sheet1", m[0], m[1]); err != nil {
				t.Fatal(err)
			}
		}
	})
	tab := readXLSX(t, data, Options{})[0]
	if want := []string{"Name", "Address", "Address_2", "Address_3", "Team"}; !slices.Equal(tab.Header, want) {
		t.Errorf("header %q, want %q", tab.Header, want)
	}
	want := [][]string{
		{"", "Line 1", "Town", "Postcode", ""},
		{"Ada Lovelace", "1 High St", "Leeds", "LS1 1AA", "North"},
		{"Alan Turing", "2 Low Rd", "York", "YO1 7HH", "North"},
		{"Grace Hopper", "No fixed abode", "No fixed abode", "No fixed abode", "North"},
	}
	if !slices.EqualFunc(tab.Rows, want, slices.Equal) {
		t.Errorf("rows\n%q\nwant\n%q", tab.Rows, want)
	}
}

func TestReadXLSXWritesDatesAsISO(t *testing.T) {
	const serial = 45352.0 // 2024-03-01
	const afternoon = 45352 + 14.5/24
	ddmmyyyy := "dd/mm/yyyy"
	ukDateTime := "dd/mm/yyyy hh:mm"
	longDate := `[$-F800]dddd\,\ mmmm\ dd\,\ yyyy`
	data := workbook(t, func(f *excelize.File) {
		setRow(t, f, "Sheet1", 1, "Built-in 14", "Custom dd/mm/yyyy", "Built-in 22", "Custom date time", "Built-in 20", "Long date", "Plain serial", "Text")
		setRow(t, f, "Sheet1", 2, serial, serial, afternoon, afternoon, 14.5/24, serial, serial, "01/03/2024")
		style(t, f, "Sheet1", "A2", &excelize.Style{NumFmt: 14})
		style(t, f, "Sheet1", "B2", &excelize.Style{CustomNumFmt: &ddmmyyyy})
		style(t, f, "Sheet1", "C2", &excelize.Style{NumFmt: 22})
		style(t, f, "Sheet1", "D2", &excelize.Style{CustomNumFmt: &ukDateTime})
		style(t, f, "Sheet1", "E2", &excelize.Style{NumFmt: 20})
		style(t, f, "Sheet1", "F2", &excelize.Style{CustomNumFmt: &longDate})
		style(t, f, "Sheet1", "H2", &excelize.Style{NumFmt: 14})
	})
	tab := readXLSX(t, data, Options{})[0]
	want := []string{"2024-03-01", "2024-03-01", "2024-03-01T14:30:00", "2024-03-01T14:30:00", "14:30:00", "2024-03-01", "45352", "01/03/2024"}
	if len(tab.Rows) != 1 || !slices.Equal(tab.Rows[0], want) {
		t.Errorf("rows %q, want %q", tab.Rows, want)
	}
}

func TestReadXLSXWritesDatesAsISOIn1904Workbooks(t *testing.T) {
	data := workbook(t, func(f *excelize.File) {
		on := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &on}); err != nil {
			t.Fatal(err)
		}
		setRow(t, f, "Sheet1", 1, "Name", "Date of birth")
		setRow(t, f, "Sheet1", 2, "Ada", 45352-1462) // 2024-03-01 counted from 1904
		style(t, f, "Sheet1", "B2", &excelize.Style{NumFmt: 14})
	})
	tab := readXLSX(t, data, Options{})[0]
	if len(tab.Rows) != 1 || tab.Rows[0][1] != "2024-03-01" {
		t.Errorf("rows %q, want 2024-03-01", tab.Rows)
	}
}

func TestReadXLSXKeepsNumbersWhole(t *testing.T) {
	sci := "0.00E+00"
	phone := "00000 000000"
	gbp := `"£"#,##0.00`
	hidden := ";;;"
	data := workbook(t, func(f *excelize.File) {
		setRow(t, f, "Sheet1", 1, "Account", "Account sci", "Card", "Card styled", "Phone", "Balance", "Share", "Active", "Hidden", "Sum")
		setRow(t, f, "Sheet1", 2, 9434765919, 9434765919, int64(4111111111111111), int64(5500000000000004), 7700900123, 1234.5, 0.125, true, 10042, 0.1+0.2)
		style(t, f, "Sheet1", "B2", &excelize.Style{CustomNumFmt: &sci})
		style(t, f, "Sheet1", "D2", &excelize.Style{NumFmt: 1})
		style(t, f, "Sheet1", "E2", &excelize.Style{CustomNumFmt: &phone})
		style(t, f, "Sheet1", "F2", &excelize.Style{CustomNumFmt: &gbp})
		style(t, f, "Sheet1", "G2", &excelize.Style{NumFmt: 10})
		style(t, f, "Sheet1", "I2", &excelize.Style{CustomNumFmt: &hidden})
	})
	tab := readXLSX(t, data, Options{})[0]
	want := []string{"9434765919", "9434765919", "4111111111111111", "5500000000000004", "07700 900123", "£1,234.50", "12.50%", "TRUE", "10042", "0.3"}
	if len(tab.Rows) != 1 || !slices.Equal(tab.Rows[0], want) {
		t.Errorf("rows %q, want %q", tab.Rows, want)
	}
}

func TestReadXLSXReadsEveryWorksheetInOrder(t *testing.T) {
	data := workbook(t, func(f *excelize.File) {
		setRow(t, f, "Sheet1", 1, "Name", "Town")
		setRow(t, f, "Sheet1", 2, "Ada", "Leeds")
		setRow(t, f, "Sheet1", 3, "Alan", "York")
		if _, err := f.NewSheet("Hidden notes"); err != nil {
			t.Fatal(err)
		}
		setRow(t, f, "Hidden notes", 3, "Note")
		setRow(t, f, "Hidden notes", 7, "Called ada@example.org")
		if err := f.SetSheetVisible("Hidden notes", false); err != nil {
			t.Fatal(err)
		}
		if err := f.AddChartSheet("Chart", &excelize.Chart{Type: excelize.Col, Series: []excelize.ChartSeries{
			{Name: "Sheet1!$B$1", Categories: "Sheet1!$A$2:$A$3", Values: "Sheet1!$B$2:$B$3"},
		}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.NewSheet("Empty"); err != nil {
			t.Fatal(err)
		}
	})
	tables := readXLSX(t, data, Options{})
	var names []string
	for _, tab := range tables {
		names = append(names, tab.Name)
	}
	if want := []string{"Sheet1", "Hidden notes", "Empty"}; !slices.Equal(names, want) {
		t.Fatalf("sheets %q, want %q (chart sheet skipped)", names, want)
	}
	if h := tables[1]; h.HeaderRow != 3 || h.TotalRows != 1 || h.Rows[0][0] != "Called ada@example.org" {
		t.Errorf("hidden sheet %+v", h)
	}
	if e := tables[2]; len(e.Header) != 0 || e.TotalRows != 0 {
		t.Errorf("empty sheet %+v", e)
	}
}

func TestReadXLSXSamplesWholeSheet(t *testing.T) {
	const n = 20000
	data := genXLSX(t, n)
	tab := readXLSX(t, data, Options{SampleRows: 50, Seed: 3})[0]
	if tab.TotalRows != n {
		t.Errorf("TotalRows %d, want %d", tab.TotalRows, n)
	}
	idx := sampledIndexes(t, tab)
	if len(idx) != 50 || !slices.IsSorted(idx) {
		t.Fatalf("sample %v", idx)
	}
	var deciles [10]int
	for _, i := range idx {
		deciles[i*10/n]++
	}
	if slices.Contains(deciles[:], 0) {
		t.Errorf("sample misses a decile: %v", deciles)
	}
}

func TestReadXLSXRejectsWhatIsNotAWorkbook(t *testing.T) {
	valid := workbook(t, func(f *excelize.File) { set(t, f, "Sheet1", "A1", "Ada Lovelace") })
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"text", []byte("Name,Email\nAda Lovelace,ada@example.org\n")},
		{"encrypted OLE container", ole},
		{"truncated zip", valid[:len(valid)/2]},
		{"zip without a workbook", zipOf(t, map[string]string{"notes.txt": "Ada Lovelace"})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tables, err := ReadXLSX(bytes.NewReader(tc.in), int64(len(tc.in)), Options{})
			if err == nil && len(tables) > 0 {
				t.Fatalf("read %d tables from a non-workbook", len(tables))
			}
			if err == nil {
				return // an empty zip with no sheets is not an error, just nothing to read
			}
			if msg := err.Error(); strings.Contains(msg, "Ada") || msg != strings.ToLower(msg[:1])+msg[1:] {
				t.Errorf("error %q: must start lower case and hold no cell values", msg)
			}
		})
	}
}

func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCodeKind(t *testing.T) {
	tests := []struct {
		code string
		want fmtKind
	}{
		{"dd/mm/yyyy", dateOnly},
		{"d-mmm-yy", dateOnly},
		{"mmmm", dateOnly},
		{"dd/mm/yyyy hh:mm", dateTime},
		{"h:mm AM/PM", timeOnly},
		{"mm:ss", timeOnly},
		{"[h]:mm:ss", elapsed},
		{`[$-F800]dddd\,\ mmmm\ dd\,\ yyyy`, dateOnly},
		{"General", plainNumber},
		{"0.00E+00", lossy},
		{"##0.0E+0", lossy},
		{";;;", lossy},
		{`"E+"0`, plainNumber},
		{`"£"#,##0.00;[Red]\-"£"#,##0.00`, plainNumber},
		{`0" days"`, plainNumber},
		{"00000 000000", plainNumber},
		{"@", plainNumber},
		{`#,##0_);[Red](#,##0)`, plainNumber},
	}
	for _, tc := range tests {
		if got := codeKind(tc.code); got != tc.want {
			t.Errorf("codeKind(%q) = %d, want %d", tc.code, got, tc.want)
		}
	}
}

func TestMayBeRounded(t *testing.T) {
	tests := []struct {
		v    string
		want bool
	}{
		{"4.11111111111111E+15", true},
		{"4111111111111110", true},
		{"4,111,111,111,111,110", true},
		{"£1,234.50", false},
		{"9434765919", false},
		{"07700 900123", false},
		{"called 07700 900123 and 07700 900456", false},
		{"Exeter", false},
		{"2024-03-01T14:30:00", false},
	}
	for _, tc := range tests {
		if got := mayBeRounded(tc.v); got != tc.want {
			t.Errorf("mayBeRounded(%q) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

func genXLSX(t testing.TB, n int) []byte {
	t.Helper()
	return workbook(t, func(f *excelize.File) {
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			t.Fatal(err)
		}
		if err := sw.SetRow("A1", []any{"Row", "Name", "Email", "Phone", "Opened"}); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			row := []any{i, "Person " + strconv.Itoa(i), "p" + strconv.Itoa(i) + "@example.org", fmt.Sprintf("07700 900%03d", i%1000), 45000 + i%3000}
			if err := sw.SetRow(cell, row); err != nil {
				t.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
	})
}

// ---- fuzz ----

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("Name,Email\nAda,ada@example.org\n"))
	f.Add([]byte("Title\n\nA;B;C\n1;2;3\n\"x;\"y\";z\n"))
	f.Add([]byte("\xef\xbb\xbfa\tb\r\n\"unclosed\tq\n"))
	f.Add(utf16Bytes("Name|Town\nAda|Leeds\n", false, true))
	f.Add([]byte("A,B\n\xa3,\xe9\n,,,,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := ReadCSV(bytes.NewReader(data), Options{SampleRows: 5, MaxCellBytes: 16, MaxColumns: 8})
		if tab == nil {
			if err == nil {
				t.Fatal("nil table without an error")
			}
			return
		}
		checkShape(t, tab)
		for _, r := range tab.Rows {
			for _, c := range r {
				if len(c) > 16 || !utf8.ValidString(c) {
					t.Fatalf("cell %q: over the limit or not UTF-8", c)
				}
			}
		}
		if len(tab.Header) > 8 {
			t.Fatalf("%d columns, limit 8", len(tab.Header))
		}
	})
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte("plain ascii"))
	f.Add([]byte("\xef\xbb\xbfbom"))
	f.Add([]byte("\xff\xfea\x00b\x00"))
	f.Add([]byte("\xfe\xff\x00a\x00b"))
	f.Add([]byte("a\x00b\x00c\x00"))
	f.Add([]byte("caf\xe9 \xa35"))
	f.Add([]byte("ok \xe2\x82"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, enc, err := Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(out) {
			t.Fatalf("%s decode yielded invalid UTF-8", enc)
		}
		if enc == encUTF8 && utf8.Valid(data) && !bytes.Equal(out, data) {
			t.Fatal("valid UTF-8 was changed")
		}
	})
}

func FuzzReadXLSX(f *testing.F) {
	f.Add(workbook(f, func(x *excelize.File) {
		setRow(f, x, "Sheet1", 1, "Title")
		setRow(f, x, "Sheet1", 2, "Name", "Born")
		setRow(f, x, "Sheet1", 3, "Ada", 45352)
		style(f, x, "Sheet1", "B3", &excelize.Style{NumFmt: 14})
		_ = x.MergeCell("Sheet1", "A1", "B1")
	}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tables, _ := ReadXLSX(bytes.NewReader(data), int64(len(data)), Options{SampleRows: 5, MaxCellBytes: 16, MaxColumns: 8})
		for _, tab := range tables {
			checkShape(t, tab)
		}
	})
}

// FuzzReadXLSXSheet fuzzes the worksheet XML inside an otherwise valid workbook, which FuzzReadXLSX rarely
// reaches past the zip checksums: rows, cells, styles, merged ranges.
func FuzzReadXLSXSheet(f *testing.F) {
	base := workbook(f, func(x *excelize.File) {
		setRow(f, x, "Sheet1", 1, "Name", "Born")
		style(f, x, "Sheet1", "B1", &excelize.Style{NumFmt: 14})
	})
	f.Add([]byte(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>Register</t></is></c></row>` +
		`<row r="3"><c r="A3" t="inlineStr"><is><t>Name</t></is></c><c r="B3" t="inlineStr"><is><t>Born</t></is></c></row>` +
		`<row r="4"><c r="A4" t="inlineStr"><is><t>Ada</t></is></c><c r="B4" s="1"><v>45352</v></c><c r="C4"><v>4111111111111111</v></c></row>` +
		`</sheetData><mergeCells count="2"><mergeCell ref="A1:B1"/><mergeCell ref="A4:A9"/></mergeCells></worksheet>`))
	f.Add([]byte(`<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` +
		`<x:row><x:c t="inlineStr"><x:is><x:t>A</x:t></x:is></x:c><x:c><x:v>1E+20</x:v></x:c></x:row>` +
		`</x:sheetData><x:mergeCells><x:mergeCell ref="B1:XFD1048576"/></x:mergeCells></x:worksheet>`))
	f.Fuzz(func(t *testing.T, sheetXML []byte) {
		data := replacePart(t, base, "xl/worksheets/sheet1.xml", sheetXML)
		tables, _ := ReadXLSX(bytes.NewReader(data), int64(len(data)), Options{SampleRows: 5, MaxCellBytes: 16, MaxColumns: 8})
		for _, tab := range tables {
			checkShape(t, tab)
			if len(tab.Header) > 8 {
				t.Fatalf("%d columns, limit 8", len(tab.Header))
			}
		}
	})
}

// replacePart rewrites a zip with one part's content replaced.
func replacePart(t testing.TB, zipped []byte, name string, content []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if zf.Name == name {
			_, err = w.Write(content)
		} else {
			var rc io.ReadCloser
			if rc, err = zf.Open(); err == nil {
				_, err = io.Copy(w, rc)
				rc.Close()
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ---- benchmarks ----

func BenchmarkReadCSV(b *testing.B) {
	data := genCSV(370000) // ~20 MB
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadCSV(bytes.NewReader(data), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadXLSX(b *testing.B) {
	const rows = 50000
	data := genXLSX(b, rows)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadXLSX(bytes.NewReader(data), int64(len(data)), Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// csvSource streams a generated CSV without holding it, sampling the heap as it goes: the header, then line(b,
// i) appended for i = 0, 1, ... until rows lines (when rows > 0) or about size bytes (when size > 0) are out.
type csvSource struct {
	header    string
	line      func(b []byte, i int) []byte
	rows      int
	size      int64
	row       int
	pending   []byte
	sent      int64
	sampledAt int64
	peakHeap  uint64
}

func (g *csvSource) Read(p []byte) (int, error) {
	if len(g.pending) == 0 {
		if (g.rows > 0 && g.row >= g.rows) || (g.size > 0 && g.sent >= g.size) {
			return 0, io.EOF
		}
		if g.row == 0 {
			g.pending = append(g.pending, g.header...)
		}
		for len(g.pending) < 32<<10 && (g.rows <= 0 || g.row < g.rows) {
			g.pending = g.line(g.pending, g.row)
			g.row++
		}
	}
	if g.sent-g.sampledAt >= 4<<20 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		g.peakHeap = max(g.peakHeap, ms.HeapAlloc)
		g.sampledAt = g.sent
	}
	n := copy(p, g.pending)
	g.pending = g.pending[n:]
	g.sent += int64(n)
	return n, nil
}

func streamLarge(tb testing.TB, size int64) (*Table, uint64) {
	runtime.GC()
	g := &csvSource{header: "Row,Name,Email,Phone,Notes\n", size: size, line: func(b []byte, i int) []byte {
		return fmt.Appendf(b, "%d,Person %d,p%d@example.org,07700 900%03d,\"called, left message\"\n", i, i, i, i%1000)
	}}
	tab, err := ReadCSV(g, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return tab, g.peakHeap
}

// BenchmarkReadCSVLarge streams a 200 MB CSV generated on the fly and reports the peak heap seen while reading.
func BenchmarkReadCSVLarge(b *testing.B) {
	const size = 200 << 20
	b.SetBytes(size)
	var peak uint64
	for b.Loop() {
		_, p := streamLarge(b, size)
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

func TestReadCSVStreamsLargeInputInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 200 MB")
	}
	const size = 200 << 20
	tab, peak := streamLarge(t, size)
	checkShape(t, tab)
	if len(tab.Rows) != defaultSampleRows || tab.TotalRows < 2_000_000 {
		t.Errorf("rows %d, TotalRows %d", len(tab.Rows), tab.TotalRows)
	}
	// The sample of 1000 rows and the reader's buffers need a few MiB; holding the input would need 200.
	if peak > 64<<20 {
		t.Errorf("peak heap %d MiB while streaming %d MiB", peak>>20, size>>20)
	}
	t.Logf("peak heap %.1f MiB over %d MiB", float64(peak)/(1<<20), size>>20)
}

// untouchable fails the test if anything reads it: a workbook over the size limit must be refused unread.
type untouchable struct{ t *testing.T }

func (u untouchable) ReadAt([]byte, int64) (int, error) {
	u.t.Error("oversized workbook was read")
	return 0, io.ErrUnexpectedEOF
}

func TestReadXLSXRefusesOversizedWorkbookWithoutReadingIt(t *testing.T) {
	tables, err := ReadXLSX(untouchable{t}, maxWorkbookBytes+1, Options{})
	if err == nil || len(tables) != 0 {
		t.Fatalf("tables %d, err %v; want none and an error", len(tables), err)
	}
	if !strings.Contains(err.Error(), "larger than 512 MiB") {
		t.Errorf("error %q does not give the limit", err)
	}
}
