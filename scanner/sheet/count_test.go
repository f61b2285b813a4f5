package sheet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// Fixtures are synthetic: generated names and references, example.org addresses.

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// asOf is the fixed run date of these tests: two-digit years up to 26 are 20xx.
var asOf = day("2026-06-30")

// register is a tenancy register under two title rows. By construction, against the cutoffs below:
//
// so with a hold: T01 T02 T10 T12 are stale against any cutoff from 2019-01-16; T05 and T06 join them only
// with cutoff 2020-03-01; a 2020-02-29 cutoff leaves both out (they fall on the cutoff day).
//
//	T01 2019-01-15              stale
//	T02 15/01/2019              stale (UK date)
//	T03 (empty)                 open: never stale
//	T04 tbc                     unreadable
//	T05 29/02/2020              leap day: stale only with cutoff 2020-03-01
//	T06 2020-03-01T00:30+01:00  UTC date 2020-02-29: stale only with cutoff 2020-03-01
//	T07 2020-03-01              on the cutoff day 2020-03-01: not stale
//	T08 5 July 2018             held (Yes)
//	T09 2017-01-01              held ( yes , trimmed and any case)
//	T10 1/2/18                  stale (2018-02-01)
//	T11 13/13/2019              unreadable
//	T12 5 Jul 2016              hold column says No: stale; the oldest stale date
const register = "Tenancy register\r\nExported for the retention review\r\n\r\n" +
	"Ref,Tenant,Email,Tenancy end,Legal hold\r\n" +
	"T01,Person One,p1@example.org,2019-01-15,\r\n" +
	"T02,Person Two,p2@example.org,15/01/2019,\r\n" +
	"T03,Person Three,p3@example.org,,\r\n" +
	"T04,Person Four,p4@example.org,tbc,\r\n" +
	"T05,Person Five,p5@example.org,29/02/2020,\r\n" +
	"T06,Person Six,p6@example.org,2020-03-01T00:30:00+01:00,\r\n" +
	"T07,Person Seven,p7@example.org,2020-03-01,\r\n" +
	"T08,Person Eight,p8@example.org,5 July 2018,Yes\r\n" +
	"T09,Person Nine,p9@example.org,2017-01-01, yes \r\n" +
	"T10,Person Ten,p10@example.org,1/2/18,\r\n" +
	"T11,Person Eleven,p11@example.org,13/13/2019,\r\n" +
	"T12,Person Twelve,p12@example.org,5 Jul 2016,No\r\n"

func holdYes() (string, []string) { return "Legal hold", []string{"yes", "true"} }

func TestCountCSVCountsKnownRegister(t *testing.T) {
	hc, hv := holdYes()
	tests := []struct {
		name       string
		cutoff     string
		hold       bool
		wantStale  int64
		wantOldest string
		wantHeld   int64
	}{
		{"counts leap day and the +01:00 timestamp before a 1 March cutoff", "2020-03-01", true, 6, "2016-07-05", 2},
		{"leaves the leap day and the timestamp out with a 28 February cutoff", "2020-02-28", true, 4, "2016-07-05", 2},
		{"leaves dates on the cutoff day out", "2020-02-29", true, 4, "2016-07-05", 2},
		{"counts held rows when there is no hold", "2020-03-01", false, 8, "2016-07-05", 0},
		{"counts nothing before the oldest date, held or not", "2016-07-05", true, 0, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opt := CountOptions{Conditions: []DateCondition{{Column: "Tenancy end", Cutoff: day(tc.cutoff)}}, AsOf: asOf}
			if tc.hold {
				opt.HoldColumn, opt.HoldValues = hc, hv
			}
			res, err := CountCSV(context.Background(), strings.NewReader(register), opt)
			if err != nil {
				t.Fatal(err)
			}
			if res.Stale != tc.wantStale || res.Total != 12 || res.Unreadable != 2 || res.Held != tc.wantHeld {
				t.Errorf("stale %d total %d unreadable %d held %d; want %d 12 2 %d", res.Stale, res.Total, res.Unreadable, res.Held, tc.wantStale, tc.wantHeld)
			}
			if res.Missing != 1 { // T03: no end date; "tbc" is unreadable, not missing
				t.Errorf("missing %d, want 1", res.Missing)
			}
			if got := res.Oldest.Format(time.DateOnly); (tc.wantOldest == "") != res.Oldest.IsZero() || (tc.wantOldest != "" && got != tc.wantOldest) {
				t.Errorf("oldest %s, want %q", got, tc.wantOldest)
			}
		})
	}
}

// The planner chooses a date column with detectors.ParseCellDate; the counter must read the same formats, or
// a chosen column is counted unreadable. These are formats only the planner's old parser knew.
func TestCountCSVReadsWhatThePlannerReads(t *testing.T) {
	in := "Ref,Ended\r\n" +
		"A,2019-7-5\r\n" +
		"B,05/07/2019 2:30 pm\r\n" +
		"C,2019-06-01 00:30:00 +0100 BST\r\n" +
		"D,1/6/27\r\n" + // 1927 with an as-of date in 2026
		"E,0219-01-01\r\n" + // a typo, not the year 219
		"F,1/6/26\r\n" // 2026: not stale
	opt := CountOptions{Conditions: []DateCondition{{Column: "Ended", Cutoff: day("2020-01-01")}}, AsOf: asOf}
	res, err := CountCSV(context.Background(), strings.NewReader(in), opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stale != 4 || res.Unreadable != 1 || res.Total != 6 || !res.Oldest.Equal(day("1927-06-01")) {
		t.Errorf("stale %d unreadable %d total %d oldest %s; want 4 1 6 1927-06-01", res.Stale, res.Unreadable, res.Total, res.Oldest.Format(time.DateOnly))
	}
}

func TestCountCSVAgreesWithReadCSVOnRowsAndHeader(t *testing.T) {
	inputs := map[string]struct {
		in    string
		stale int64
	}{
		"register":  {register, 6}, // T01 T02 T08 T09 T10 T12 before 2020, no hold
		"no header": {"1,2019-01-01\n2,2030-01-01\n3,\n", 1},
		"semicolon": {"Ref;End\nA;01/01/2019\nB;01/01/2030\n\n;;\nC;x\n", 1},
	}
	for name, tc := range inputs {
		in := tc.in
		t.Run(name, func(t *testing.T) {
			tab, err := ReadCSV(strings.NewReader(in), Options{})
			if err != nil {
				t.Fatal(err)
			}
			col := tab.Header[len(tab.Header)-1]
			if name == "register" {
				col = "Tenancy end"
			}
			res, err := CountCSV(context.Background(), strings.NewReader(in), CountOptions{Conditions: []DateCondition{{Column: col, Cutoff: day("2020-01-01")}}, AsOf: asOf})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != int64(tab.TotalRows) || res.Encoding != tab.Encoding || res.Delimiter != tab.Delimiter {
				t.Errorf("total %d %s %q, ReadCSV %d %s %q", res.Total, res.Encoding, res.Delimiter, tab.TotalRows, tab.Encoding, tab.Delimiter)
			}
			if res.Stale != tc.stale {
				t.Errorf("stale %d, want %d", res.Stale, tc.stale)
			}
		})
	}
}

func TestCountCSVDecodesUTF16AndMatchesColumnsIgnoringCase(t *testing.T) {
	in := utf16Bytes("Ref\tTENANCY END\nA\t01/01/2019\nB\t01/01/2021\n", false, true)
	res, err := CountCSV(context.Background(), bytes.NewReader(in), CountOptions{Conditions: []DateCondition{{Column: "tenancy end", Cutoff: day("2020-01-01")}}, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stale != 1 || res.Total != 2 || res.Encoding != encUTF16LE {
		t.Errorf("stale %d total %d encoding %s; want 1 2 utf-16le", res.Stale, res.Total, res.Encoding)
	}
}

// caseFile has a later-of rule: case closed + 6 years (cutoff 2020-01-01) and the child's 25th birthday
// (born before 2001-01-01). By construction only C1 and C6 have passed both.
const caseFile = "Case,Closed,Child DOB\n" +
	"C1,2015-05-01,1990-01-01\n" + // both passed: stale
	"C2,2015-05-01,2005-01-01\n" + // child under 25
	"C3,2021-01-01,1990-01-01\n" + // closed too recently
	"C4,,1990-01-01\n" + // still open
	"C5,2015-05-01,\n" + // birth date missing: not stale
	"C6,2013-02-01,2000-12-31\n" + // both passed: stale, the oldest closure
	"C7,2013-02-01,garbage\n" // unreadable

func TestCountCSVLaterOfNeedsEveryCondition(t *testing.T) {
	opt := CountOptions{Conditions: []DateCondition{
		{Column: "Closed", Cutoff: day("2020-01-01")},
		{Column: "Child DOB", Cutoff: day("2001-01-01")},
	}, AsOf: asOf}
	res, err := CountCSV(context.Background(), strings.NewReader(caseFile), opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stale != 2 || res.Total != 7 || res.Unreadable != 1 || res.Oldest.Format(time.DateOnly) != "2013-02-01" {
		t.Errorf("stale %d total %d unreadable %d oldest %s; want 2 7 1 2013-02-01", res.Stale, res.Total, res.Unreadable, res.Oldest.Format(time.DateOnly))
	}
}

func TestCountCSVRefusesMissingColumns(t *testing.T) {
	tests := []struct {
		name string
		opt  CountOptions
	}{
		{"refuses a missing date column", CountOptions{Conditions: []DateCondition{{Column: "Closed date", Cutoff: day("2020-01-01")}}}},
		{"refuses a missing hold column rather than ignore the hold", CountOptions{Conditions: []DateCondition{{Column: "Closed", Cutoff: day("2020-01-01")}}, HoldColumn: "Legal hold", HoldValues: []string{"yes"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CountCSV(context.Background(), strings.NewReader(caseFile), tc.opt)
			if !errors.Is(err, ErrColumnNotFound) {
				t.Fatalf("err %v, want ErrColumnNotFound", err)
			}
			if strings.Contains(err.Error(), "Closed") || strings.Contains(err.Error(), "hold") && strings.Contains(err.Error(), "Legal") {
				t.Errorf("error %q names a column", err)
			}
		})
	}
	if _, err := CountCSV(context.Background(), strings.NewReader(caseFile), CountOptions{}); err == nil {
		t.Error("no conditions: want an error")
	}
}

func TestCountCSVRejectsBinaryAndStopsOnCancel(t *testing.T) {
	opt := CountOptions{Conditions: []DateCondition{{Column: "column_1", Cutoff: day("2020-01-01")}}}
	if _, err := CountCSV(context.Background(), bytes.NewReader(make([]byte, 4096)), opt); !errors.Is(err, ErrNotTable) {
		t.Errorf("binary: err %v, want ErrNotTable", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := CountCSV(ctx, strings.NewReader("2019-01-01\n"), opt); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err %v, want context.Canceled", err)
	}
}

// ---- xlsx ----

// registerBook builds a sheet "Tenancies" with a title row merged above the header. By construction, against
// a cutoff of 2020-03-01: R1 (date cell), R2 (plain serial), R3 (UK text date), R8 (date-time cell on the leap
// day) are stale; R4 is open; R5 and R7 are unreadable (text, a bare year); R6 is after the cutoff; R9 is held.
func registerBook(t testing.TB, date1904 bool) []byte {
	base := 0.0
	if date1904 {
		base = 1462 // the 1904 system counts from 1904-01-01
	}
	return workbook(t, func(f *excelize.File) {
		if date1904 {
			on := true
			if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &on}); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.SetSheetName("Sheet1", "Tenancies"); err != nil {
			t.Fatal(err)
		}
		const s = "Tenancies"
		set(t, f, s, "A1", "Tenancy register 2025")
		if err := f.MergeCell(s, "A1", "D1"); err != nil {
			t.Fatal(err)
		}
		setRow(t, f, s, 2, "Ref", "Tenant", "Tenancy end", "Hold")
		setRow(t, f, s, 3, "R1", "Person One", 43480-base) // 2019-01-15
		style(t, f, s, "C3", &excelize.Style{NumFmt: 14})
		setRow(t, f, s, 4, "R2", "Person Two", 43831-base) // 2020-01-01, plain number
		setRow(t, f, s, 5, "R3", "Person Three", "29/02/2020")
		setRow(t, f, s, 6, "R4", "Person Four", "")
		setRow(t, f, s, 7, "R5", "Person Five", "unknown")
		setRow(t, f, s, 8, "R6", "Person Six", 44321-base) // 2021-05-05
		custom := "dd/mm/yyyy"
		style(t, f, s, "C8", &excelize.Style{CustomNumFmt: &custom})
		setRow(t, f, s, 9, "R7", "Person Seven", 2019)
		setRow(t, f, s, 10, "R8", "Person Eight", 43890-base+23.0/24) // 2020-02-29 23:00
		style(t, f, s, "C10", &excelize.Style{NumFmt: 22})
		setRow(t, f, s, 11, "R9", "Person Nine", 43480-base, "LEGAL HOLD")
		style(t, f, s, "C11", &excelize.Style{NumFmt: 14})
		if _, err := f.NewSheet("Other"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCountXLSXCountsKnownSheet(t *testing.T) {
	for _, date1904 := range []bool{false, true} {
		t.Run(fmt.Sprintf("1904 system %v", date1904), func(t *testing.T) {
			data := registerBook(t, date1904)
			opt := CountOptions{Conditions: []DateCondition{{Column: "Tenancy end", Cutoff: day("2020-03-01")}},
				HoldColumn: "Hold", HoldValues: []string{"legal hold"}, AsOf: asOf}
			res, err := CountXLSX(context.Background(), bytes.NewReader(data), int64(len(data)), "Tenancies", opt)
			if err != nil {
				t.Fatal(err)
			}
			if res.Stale != 4 || res.Total != 9 || res.Unreadable != 2 || res.Held != 1 || res.Oldest.Format(time.DateOnly) != "2019-01-15" {
				t.Errorf("stale %d total %d unreadable %d held %d oldest %s; want 4 9 2 1 2019-01-15",
					res.Stale, res.Total, res.Unreadable, res.Held, res.Oldest.Format(time.DateOnly))
			}
			// Same header, same row count as the sampler.
			tables := readXLSX(t, data, Options{})
			if tables[0].TotalRows != int(res.Total) || tables[0].Header[2] != "Tenancy end" {
				t.Errorf("ReadXLSX: %d rows, header %q", tables[0].TotalRows, tables[0].Header)
			}
			opt.Conditions[0].Cutoff = day("2020-02-29") // the leap-day date-time is on the cutoff day
			res, err = CountXLSX(context.Background(), bytes.NewReader(data), int64(len(data)), "Tenancies", opt)
			if err != nil || res.Stale != 2 {
				t.Errorf("cutoff 2020-02-29: stale %d, err %v; want 2", res.Stale, err)
			}
		})
	}
}

func TestCountXLSXRefusesWhatItCannotCount(t *testing.T) {
	data := registerBook(t, false)
	opt := CountOptions{Conditions: []DateCondition{{Column: "Tenancy end", Cutoff: day("2020-03-01")}}}
	if _, err := CountXLSX(context.Background(), bytes.NewReader(data), int64(len(data)), "Missing", opt); err == nil {
		t.Error("missing sheet: want an error")
	}
	if _, err := CountXLSX(context.Background(), bytes.NewReader(data), int64(len(data)), "Other", opt); !errors.Is(err, ErrColumnNotFound) {
		t.Errorf("empty sheet: err %v, want ErrColumnNotFound", err)
	}
	if _, err := CountXLSX(context.Background(), strings.NewReader("not a zip"), int64(len("not a zip")), "Tenancies", opt); err == nil {
		t.Error("not a workbook: want an error")
	}
}

// ---- large input ----

// datedRow is row i of a generated tenancy CSV: the end date is an ISO date in 2018 (i%4 == 0), a UK date in
// 2022 (1), empty (2) or "5 July 2019" (3), so against a 2020 cutoff exactly the rows with i%4 in {0, 3} are
// stale.
func datedRow(b []byte, i int) []byte {
	var end string
	switch i % 4 {
	case 0:
		end = fmt.Sprintf("2018-%02d-%02d", i%12+1, i%28+1)
	case 1:
		end = fmt.Sprintf("%02d/%02d/2022", i%28+1, i%12+1)
	case 3:
		end = "5 July 2019"
	}
	return fmt.Appendf(b, "T%d,Person %d,p%d@example.org,%s\n", i, i, i, end)
}

func countLarge(tb testing.TB, n int) (CountResult, *csvSource) {
	runtime.GC()
	g := &csvSource{header: "Ref,Name,Email,Tenancy end\n", line: datedRow, rows: n}
	res, err := CountCSV(context.Background(), g, CountOptions{Conditions: []DateCondition{{Column: "Tenancy end", Cutoff: day("2020-01-01")}}, AsOf: asOf})
	if err != nil {
		tb.Fatal(err)
	}
	return res, g
}

func TestCountCSVCountsLargeInputExactly(t *testing.T) {
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	res, g := countLarge(t, n)
	if res.Total != int64(n) || res.Stale != int64(n/2) || res.Unreadable != 0 || res.Oldest.Format(time.DateOnly) != "2018-01-01" {
		t.Errorf("total %d stale %d unreadable %d oldest %s; want %d %d 0 2018-01-01", res.Total, res.Stale, res.Unreadable, res.Oldest.Format(time.DateOnly), n, n/2)
	}
	t.Logf("%d rows, %.1f MiB, peak heap %.1f MiB", n, float64(g.sent)/(1<<20), float64(g.peakHeap)/(1<<20))
}

// BenchmarkCountCSVLarge counts 2 million generated rows (~100 MB) in one streaming pass and reports the peak
// heap seen while reading.
func BenchmarkCountCSVLarge(b *testing.B) {
	const rows = 2_000_000
	var peak uint64
	var sent int64
	for b.Loop() {
		_, g := countLarge(b, rows)
		peak, sent = max(peak, g.peakHeap), g.sent
	}
	b.SetBytes(sent)
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkCountXLSX(b *testing.B) {
	const rows = 50000
	data := genXLSX(b, rows)
	b.SetBytes(int64(len(data)))
	opt := CountOptions{Conditions: []DateCondition{{Column: "Opened", Cutoff: day("2025-01-01")}}, AsOf: asOf}
	for b.Loop() {
		if _, err := CountXLSX(context.Background(), bytes.NewReader(data), int64(len(data)), "Sheet1", opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// ---- fuzz ----

func FuzzCountCSV(f *testing.F) {
	f.Add([]byte(register))
	f.Add([]byte(caseFile))
	f.Add([]byte("Ref;End\nA;01/01/2019\nB;01/01/2030\n\n;;\nC;x\n"))
	f.Add(utf16Bytes("Ref\tEnd\nA\t2019-06-01T00:30+01:00\n", false, true))
	f.Add([]byte("End\n\"unclosed,29/02/2020\n5 Jul 19\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, rerr := ReadCSV(bytes.NewReader(data), Options{})
		if rerr != nil || len(tab.Header) == 0 {
			return
		}
		// Condition on the last column and hold on the first, so every input exercises the judging.
		opt := CountOptions{Conditions: []DateCondition{{Column: tab.Header[len(tab.Header)-1], Cutoff: day("2020-03-01")}},
			HoldColumn: tab.Header[0], HoldValues: []string{"yes"}, AsOf: asOf}
		res, err := CountCSV(context.Background(), bytes.NewReader(data), opt)
		if err != nil {
			t.Fatalf("ReadCSV read it, CountCSV did not: %v", err)
		}
		if res.Stale < 0 || res.Stale+res.Unreadable+res.Held > res.Total {
			t.Fatalf("stale %d + unreadable %d + held %d > total %d", res.Stale, res.Unreadable, res.Held, res.Total)
		}
		if res.Total != int64(tab.TotalRows) {
			t.Fatalf("total %d, ReadCSV counted %d", res.Total, tab.TotalRows)
		}
		if res.Stale > 0 && !res.Oldest.Before(day("2020-03-01")) {
			t.Fatalf("oldest %s not before the cutoff", res.Oldest)
		}
	})
}

func TestCountXLSXRefusesOversizedWorkbookWithoutReadingIt(t *testing.T) {
	opt := CountOptions{Conditions: []DateCondition{{Column: "Tenancy end", Cutoff: day("2020-01-01")}}, AsOf: asOf}
	if _, err := CountXLSX(context.Background(), untouchable{t}, maxWorkbookBytes+1, "Sheet1", opt); err == nil {
		t.Error("CountXLSX counted an oversized workbook")
	}
}
