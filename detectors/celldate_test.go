package detectors

import (
	"testing"
	"time"
)

// testPivot is the pivot of a run on 2026-06-30: two-digit years up to 26 are 20xx.
const testPivot = 26

// cellDateCases gathers the cases of the two parsers ParseCellDate replaced: retention's ParseDate (rules) and
// the stale counter's (scanner/sheet), with the agreed behaviour. want "" means refused.
var cellDateCases = []struct {
	name, in, want string
}{
	// ISO.
	{"reads ISO date", "2019-07-05", "2019-07-05"},
	{"reads ISO date with slashes", "2019/07/05", "2019-07-05"},
	{"reads ISO date with slashes and two-digit parts", "2019/06/01", "2019-06-01"},
	{"reads ISO date with one-digit month and day", "2019-7-5", "2019-07-05"}, // the counter refused it
	{"reads ISO date time without zone as written", "2019-07-05T14:30:00", "2019-07-05"},
	{"reads ISO date time just after midnight without zone as UTC", "2019-06-01T00:30:00", "2019-06-01"},
	{"reads microseconds", "2019-07-05 14:30:00.123456", "2019-07-05"},
	{"reads Z", "2019-07-05T14:30:00Z", "2019-07-05"},
	{"reads Z just after midnight", "2019-06-01T00:30:00Z", "2019-06-01"},
	{"reads PostgreSQL timestamptz text in UTC", "2019-06-01 00:30:00+01", "2019-05-31"},
	{"moves a +01:00 timestamp just after midnight to the previous UTC day", "2019-06-01T00:30:00+01:00", "2019-05-31"},
	{"reads space-separated timestamp with offset", "2019-06-01 00:30+01:00", "2019-05-31"},
	{"reads compact offset and fractions", "2019-06-01T00:30:00.123+0100", "2019-05-31"},
	{"reads Go's offset with abbreviation", "2019-06-01 00:30:00 +0100 BST", "2019-05-31"}, // the counter refused it
	{"moves a negative offset late in the day to the next UTC day", "2019-05-31T23:30:00-01:00", "2019-06-01"},
	{"reads U+2212 minus in an offset", "2019-05-31T23:30:00−01:00", "2019-06-01"}, // retention refused it
	{"reads U+2212 minus after a space", "2019-06-01 00:30 −01:00", "2019-06-01"},
	{"reads UTC suffix", "2019-06-01 00:30:00 UTC", "2019-06-01"},
	{"reads UTC suffix in any case", "2019-06-01 00:30:00 utc", "2019-06-01"}, // retention refused it
	{"reads GMT suffix", "2019-06-01 00:30 GMT", "2019-06-01"},
	{"reads time without seconds as written", "2019-06-01 00:30", "2019-06-01"},
	{"reads one-digit hour", "2019-06-01 9:30", "2019-06-01"}, // the counter refused it
	{"trims surrounding spaces", "  2019-07-05  ", "2019-07-05"},

	// UK day first.
	{"reads UK day-first date", "05/07/2019", "2019-07-05"},
	{"reads UK day-first 1 June", "01/06/2019", "2019-06-01"},
	{"reads UK date with dashes", "05-07-2019", "2019-07-05"},
	{"reads UK 1 June with dashes", "01-06-2019", "2019-06-01"},
	{"reads UK date with dots", "05.07.2019", "2019-07-05"},
	{"reads UK 1 June with dots", "01.06.2019", "2019-06-01"},
	{"reads short UK date in this century", "5/7/19", "2019-07-05"},
	{"reads short UK 1 June in this century", "1/6/19", "2019-06-01"},
	{"reads two-digit year well past the pivot as 19xx", "5/7/45", "1945-07-05"},
	{"reads two-digit year equal to the as-of year as 20xx", "1/6/26", "2026-06-01"},
	{"reads two-digit year after the as-of year as 19xx", "1/6/27", "1927-06-01"},
	{"reads 29 as 1929 where Excel would say 2029", "5/7/29", "1929-07-05"}, // retention read 2029
	{"reads UK date with time", "05/07/2019 14:30", "2019-07-05"},
	{"reads UK 1 June with time", "01/06/2019 14:30", "2019-06-01"},
	{"reads UK date with pm time", "05/07/2019 2:30 pm", "2019-07-05"}, // the counter refused it
	{"reads 12 am as midnight", "05/07/2019 12:30 am +01:00", "2019-07-04"},
	{"reads UK date with zoned time", "01/06/2019 00:30:00 +01:00", "2019-05-31"},
	{"reads leap day", "29/02/2020", "2020-02-29"},

	// Month names.
	{"reads long month name", "5 July 2019", "2019-07-05"},
	{"reads abbreviated month", "5 Jul 2019", "2019-07-05"},
	{"reads ordinal day", "5th July 2019", "2019-07-05"},
	{"reads Oracle dd-MON-yyyy", "05-JUL-2019", "2019-07-05"},
	{"reads Excel dd-mmm-yyyy", "05-Jul-2019", "2019-07-05"},
	{"reads dd-mmm-yy", "5-Jul-19", "2019-07-05"},
	{"reads two-digit year with month name", "5 Jul 19", "2019-07-05"},
	{"reads Sept", "5 Sept 2019", "2019-09-05"},
	{"reads weekday prefix", "Friday 5 July 2019", "2019-07-05"},
	{"reads abbreviated weekday with comma", "Fri, 5 Jul 2019", "2019-07-05"},
	{"reads month-first with month name", "July 5, 2019", "2019-07-05"},
	{"reads month name with time", "5 July 2019 09:15", "2019-07-05"},
	{"reads month name with time after a comma", "Friday, 5 July 2019, 09:15", "2019-07-05"}, // retention refused it
	{"reads month name with one-digit hour", "5 Sept 2019 9:00", "2019-09-05"},
	{"reads Sept with time", "5 Sept 2019 10:00", "2019-09-05"},
	{"reads month name with zoned time", "1 June 2019 00:30 +01:00", "2019-05-31"}, // the counter refused it

	// Refused.
	{"refuses empty", "", ""},
	{"refuses text", "to be confirmed", ""},
	{"refuses yes", "yes", ""},
	{"refuses bare year", "2019", ""},
	{"refuses bare number", "43651", ""},
	{"refuses bare serial-sized number", "43831", ""},
	{"refuses 30 February", "30/02/2020", ""},
	{"refuses 29 February in a common year", "29/02/2019", ""},
	{"refuses 31 April", "31/04/2019", ""},
	{"refuses 31 June by name", "31 June 2019", ""},
	{"refuses month 13", "2019-13-01", ""},
	{"refuses 30 February in ISO", "2019-02-30", ""},
	{"refuses month 13 day first", "13/13/2019", ""},
	{"refuses US month-first date", "06/13/2019", ""},
	{"refuses three-digit year", "5/7/019", ""},
	{"refuses three-digit year on 1 June", "1/6/019", ""},
	{"refuses one-digit year", "1/2/3", ""},
	{"refuses trailing letter", "2019-07-05X", ""},
	{"refuses trailing text", "2019-06-01 nonsense", ""},
	{"refuses hour 25", "2019-07-05T25:00", ""},
	{"refuses hour 25 on 1 June", "2019-06-01T25:00", ""},
	{"refuses offset beyond 14 hours", "2019-07-05T10:00+15:00", ""},
	{"refuses offset beyond 14 hours with seconds", "2019-06-01T00:30:00+15:00", ""},
	{"refuses offset colon without minutes", "2019-07-05T10:00+01:", ""},
	{"refuses made-up month", "5 Julember 2019", ""},
	{"refuses foreign month name", "5 Juli 2019", ""},
	{"refuses date without year", "5 July", ""},
	{"refuses phone number", "0117 496 0123", ""},
	{"refuses postcode", "SW1A 1AA", ""},
	{"refuses year before 1800", "1799-12-31", ""},
	{"refuses year after 2200", "2201-01-01", ""},
	{"refuses a typo year", "0219-01-01", ""}, // the counter read it as the year 219
	{"refuses a long zone name", "2019-07-05 10:00 +0100 British Summer Time", ""},
	{"refuses 13 pm", "05/07/2019 13:00 pm", ""},
	{"refuses pm after an ISO T", "2019-07-05T02:30 pm", ""},
	{"refuses words around a year", "may be 2019", ""},
	{"refuses mixed separators", "01/06-2019", ""},
	{"refuses a doubled suffix", "5ndst July 2019", ""},
}

func TestParseCellDate(t *testing.T) {
	for _, tc := range cellDateCases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ParseCellDate(tc.in, testPivot)
			if tc.want == "" {
				if ok {
					t.Fatalf("ParseCellDate(%q) = %s, want refused", tc.in, got.Format(time.DateOnly))
				}
				return
			}
			want, err := time.Parse(time.DateOnly, tc.want)
			if err != nil {
				t.Fatal(err)
			}
			if !ok || !got.Equal(want) || got.Location() != time.UTC {
				t.Fatalf("ParseCellDate(%q) = %s, %v; want %s UTC", tc.in, got, ok, tc.want)
			}
		})
	}
}

func TestParseCellDateTwoDigitYearsFollowThePivot(t *testing.T) {
	for _, tc := range []struct {
		in    string
		pivot int
		want  int
	}{
		{"1/6/00", 0, 2000}, {"1/6/01", 0, 1901}, {"1/6/99", 99, 2099}, {"1/6/99", 98, 1999},
		{"1 June 30", 30, 2030}, {"1 June 30", 29, 1930}, {"1-Jun-26", 26, 2026}, {"1-Jun-27", 26, 1927},
	} {
		got, ok := ParseCellDate(tc.in, tc.pivot)
		if !ok || got.Year() != tc.want {
			t.Errorf("ParseCellDate(%q, %d) = %s, %v; want year %d", tc.in, tc.pivot, got, ok, tc.want)
		}
	}
}

func FuzzParseCellDate(f *testing.F) {
	for _, tc := range cellDateCases {
		f.Add(tc.in, testPivot)
	}
	f.Add("5/7/19", 0)
	f.Add("1/6/99", 99)
	f.Fuzz(func(t *testing.T, s string, pivot int) {
		d, ok := ParseCellDate(s, pivot)
		if !ok {
			return
		}
		if d.Location() != time.UTC || !d.Equal(d.Truncate(24*time.Hour)) {
			t.Fatalf("ParseCellDate(%q) = %s, not a UTC midnight", s, d)
		}
		if d.Year() < minCellYear || d.Year() > maxCellYear {
			t.Fatalf("ParseCellDate(%q) = %s, out of range", s, d)
		}
		// A date's ISO and UK forms read back as itself.
		for _, layout := range []string{time.DateOnly, "02/01/2006", "2 January 2006"} {
			if again, ok := ParseCellDate(d.Format(layout), pivot); !ok || !again.Equal(d) {
				t.Fatalf("ParseCellDate(%q) = %s: its form %q does not read back", s, d, d.Format(layout))
			}
		}
	})
}

func TestExcelSerial(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		date1904 bool
		want     string
	}{
		{"reads 1900-system serial", "43831", false, "2020-01-01"},
		{"drops the time of day", "43831.99", false, "2020-01-01"},
		{"reads 1904-system serial", "42369", true, "2020-01-01"},
		{"reads the leap day", "43890", false, "2020-02-29"},
		{"reads the floor", "3000", false, "1908-03-18"},
		{"trims spaces", " 43651 ", false, "2019-07-05"},
		{"refuses a year", "2019", false, ""},
		{"refuses below the floor", "59", false, ""},
		{"refuses negative", "-43831", false, ""},
		{"refuses beyond 9999", "2958466", false, ""},
		{"refuses text", "43831x", false, ""},
		{"refuses a bare dot", "43831.", false, ""},
		{"refuses an exponent", "4e4", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ExcelSerial(tc.in, tc.date1904)
			if tc.want == "" {
				if ok {
					t.Fatalf("ExcelSerial(%q) = %s, want refused", tc.in, got)
				}
				return
			}
			if !ok || got.Format(time.DateOnly) != tc.want || got.Location() != time.UTC {
				t.Fatalf("ExcelSerial(%q) = %s, %v; want %s", tc.in, got, ok, tc.want)
			}
		})
	}
}
