package detectors

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// hitsOf returns s's hits for cell, with the shortcut on or off.
func hitsOf(s *Scanner, cell string, quick bool) []Hit {
	saved := s.quick
	defer func() { s.quick = saved }()
	s.quick = quick
	var hs []Hit
	s.Cell(cell, func(h Hit) { hs = append(hs, h) })
	return hs
}

// The shortcut must give exactly the scan's hits, on every short number and on every day of 1900-2030 in
// many timestamp layouts, and on the shapes either side of its limits (which the scan must take).
func TestQuickCellAgreesWithScan(t *testing.T) {
	s := testScanner("date of birth", "born", "section 136")
	s.today = 20261130
	s.year = 2026
	if !s.quick {
		t.Fatal("shortcut off with no phrase starting with a digit")
	}
	answered := 0
	check := func(cell string) {
		t.Helper()
		if s.quickCell(cell, func(Hit) {}) {
			answered++
		}
		if q, slow := hitsOf(s, cell, true), hitsOf(s, cell, false); !slices.Equal(q, slow) {
			t.Fatalf("%q: shortcut gives %v, scan gives %v", cell, q, slow)
		}
	}
	for n := 0; n < 1000000; n++ {
		check(fmt.Sprint(n))
		check(fmt.Sprint(-n))
		if n < 100000 {
			check(fmt.Sprintf("%05d", n))
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		frac := fmt.Sprint(r.IntN(1000000))
		frac = frac[:1+r.IntN(len(frac))]
		check(fmt.Sprintf("%d.%s", r.IntN(1000000), frac))
		check(fmt.Sprintf("-%d.%s", r.IntN(100000), frac))
	}
	layouts := []string{"2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05Z", "2006-01-02 15:04:05.000",
		"2006-01-02 15:04:05.000000", "2006-01-02 15:04:05.000000-07", "2006-01-02T15:04:05.999999999-07:00",
		"2006-01-02T15:04:05+0700", "2006-01-02 15:04:05.0000000000", "2006-01-02 15:04:05 ", "2006-01-02 15:4:05",
		"2006-01-02T15:04:05+07:0", "2006-01-02", "2006-1-2 15:04:05"}
	zone := time.FixedZone("", -(5*3600 + 30*60))
	for d := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() <= 2030; d = d.AddDate(0, 0, 1) {
		at := d.Add(time.Duration(r.Int64N(int64(24 * time.Hour)))).In(zone)
		check(at.Format(layouts[r.IntN(len(layouts))]))
	}
	for _, odd := range []string{"0000-00-00 00:00:00", "2024-13-45 99:99:99", "2024-02-30 10:00", "9999-12-31 23:59:59",
		"2024-03-01 10:30:00.", "2024-03-01 10:30:00Z ", "2024-03-01_10:30", "-", "-.5", "1.", ".5", "123456", "12345.123456"} {
		check(odd)
	}
	if answered < 400000 {
		t.Errorf("the shortcut answered only %d cells: the test proves little", answered)
	}
}

func TestQuickCellIsOffWhenAPhraseCouldStartInsideANumber(t *testing.T) {
	for _, phrase := range []string{"999 call", "t10", "z", "2024"} {
		s := testScanner(phrase)
		if s.quick {
			t.Errorf("phrase %q must turn the shortcut off: it could start inside a number or a timestamp", phrase)
			continue
		}
		// And the scan does find it there: the reason the shortcut is off.
		if phrase == "t10" {
			var hits []Hit
			s.Cell("2024-03-01T10:30:00Z", func(h Hit) { hits = append(hits, h) })
			if !slices.ContainsFunc(hits, func(h Hit) bool { return h.Detector == "" }) {
				t.Errorf("the scan does not find %q in a timestamp: %v", phrase, hits)
			}
		}
	}
	if s := testScanner("tenancy", "zero hours"); !s.quick {
		t.Error("ordinary phrases must leave the shortcut on")
	}
}
