package fileshare

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datamap-uk/datamap/rules"
	"github.com/datamap-uk/datamap/scanner"
	"github.com/datamap-uk/datamap/scanner/sheet"
)

// Fixtures are synthetic: generated names and references, example.org addresses.

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

var runDate = date("2026-06-30")

// formerTenants has, against a cutoff of 2020-03-01 and a hold on "Hold" = yes: stale F1 (ISO), F2 (UK),
// F5 (leap day), F6 (+01:00 just after midnight on 1 March is 29 February in UTC), F8 (01/06/27 read as 1927
// with a 2026 run date); F3 open; F4 unreadable; F7 on the cutoff day; F9 held. Oldest: 1927-06-01.
const formerTenants = "Former tenants\n\nRef,Tenant,Email,Tenancy end,Hold\n" +
	"F1,Person One,p1@example.org,2019-01-15,\n" +
	"F2,Person Two,p2@example.org,15/01/2019,no\n" +
	"F3,Person Three,p3@example.org,,\n" +
	"F4,Person Four,p4@example.org,unknown,\n" +
	"F5,Person Five,p5@example.org,29/02/2020,\n" +
	"F6,Person Six,p6@example.org,2020-03-01T00:30:00+01:00,\n" +
	"F7,Person Seven,p7@example.org,2020-03-01,\n" +
	"F8,Person Eight,p8@example.org,01/06/27,\n" +
	"F9,Person Nine,p9@example.org,5 July 2018,YES\n"

func tableTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write(t, dir, map[string][]byte{
		"housing/former.csv": []byte(formerTenants),
		"housing/book.xlsx": xlsxOf(t, map[string][][]any{
			"Former": {
				{"Ref", "Tenant", "Tenancy end"},
				{"B1", "Person One", time.Date(2019, 1, 15, 0, 0, 0, 0, time.UTC)},
				{"B2", "Person Two", 43831}, // serial: 2020-01-01
				{"B3", "Person Three", "5 Jul 2021"},
				{"B4", "Person Four", ""},
			},
		}),
		"archive.zip": zipOf(t, map[string][]byte{"old.csv": []byte(formerTenants)}),
		"notes.txt":   []byte("Call back on Tuesday about the repair.\n"),
	})
	return dir
}

func endBefore(cutoff string) []scanner.Condition {
	return []scanner.Condition{{Field: "Tenancy end", Cutoff: date(cutoff)}}
}

var holdYes = &scanner.Hold{Field: "Hold", Values: []string{"yes"}}

func TestCountStaleCountsTablesOnDisk(t *testing.T) {
	dir := tableTree(t)
	s := New(dir, Options{AsOf: runDate})
	tests := []struct {
		name          string
		q             scanner.StaleQuery
		stale, total  int64
		oldest, note  string
		noteMentions  []string
		alsoAsOf2030  int64 // stale when two-digit years are read against 2030 (F8 becomes 2027)
		checkAsOf2030 bool
	}{
		{name: "counts a CSV with UK dates, leap day, offsets, open and unreadable rows and a hold",
			q:     scanner.StaleQuery{Unit: "housing/former.csv", Container: "housing/former.csv", Conditions: endBefore("2020-03-01"), Hold: holdYes},
			stale: 5, total: 9, oldest: "1927-06-01",
			noteMentions:  []string{"1 row has a date the count could not read", "1 row past the cutoff under legal hold"},
			alsoAsOf2030:  4,
			checkAsOf2030: true},
		{name: "leaves the leap day and the offset timestamp out with a 28 February cutoff",
			q:     scanner.StaleQuery{Unit: "housing/former.csv", Container: "housing/former.csv", Conditions: endBefore("2020-02-28"), Hold: holdYes},
			stale: 3, total: 9, oldest: "1927-06-01"},
		{name: "counts held rows when no hold is asked for",
			q:     scanner.StaleQuery{Unit: "housing/former.csv", Container: "housing/former.csv", Conditions: endBefore("2020-03-01")},
			stale: 6, total: 9, oldest: "1927-06-01"},
		{name: "counts an xlsx sheet with a date cell and a serial",
			q:     scanner.StaleQuery{Unit: "housing/book.xlsx", Container: "housing/book.xlsx!Former", Conditions: endBefore("2020-03-01")},
			stale: 2, total: 4, oldest: "2019-01-15"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.CountStale(context.Background(), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if got.Stale != tc.stale || got.Total != tc.total || got.Method != scanner.MethodExact {
				t.Errorf("got %d/%d %s, want %d/%d exact", got.Stale, got.Total, got.Method, tc.stale, tc.total)
			}
			if got.Oldest == nil || got.Oldest.Format(time.DateOnly) != tc.oldest {
				t.Errorf("oldest %v, want %s", got.Oldest, tc.oldest)
			}
			for _, m := range tc.noteMentions {
				if !strings.Contains(got.Note, m) {
					t.Errorf("note %q does not say %q", got.Note, m)
				}
			}
			if tc.checkAsOf2030 {
				later, err := New(dir, Options{AsOf: date("2030-01-01")}).CountStale(context.Background(), tc.q)
				if err != nil || later.Stale != tc.alsoAsOf2030 {
					t.Errorf("as of 2030: stale %d, err %v; want %d", later.Stale, err, tc.alsoAsOf2030)
				}
			}
		})
	}
}

func TestCountStaleAcceptsTheContainersSampleNames(t *testing.T) {
	dir := tableTree(t)
	s := New(dir, Options{AsOf: runDate})
	r := scan(t, s)
	tables := 0
	for name, c := range r.containers {
		if c.Kind != "table" || strings.Contains(name, ".zip!") {
			continue
		}
		tables++
		got, err := s.CountStale(context.Background(), scanner.StaleQuery{Unit: c.Unit, Container: c.Name, Conditions: endBefore("2020-03-01")})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got.Total != int64(c.RowsTotal) {
			t.Errorf("%s: total %d, Sample counted %d", name, got.Total, c.RowsTotal)
		}
	}
	if tables != 2 {
		t.Errorf("%d tables on disk, want 2: %v", tables, keys(r.containers))
	}
	single := New(filepath.Join(dir, "housing", "former.csv"), Options{AsOf: runDate})
	got, err := single.CountStale(context.Background(), scanner.StaleQuery{Unit: "former.csv", Container: "former.csv", Conditions: endBefore("2020-03-01")})
	if err != nil || got.Stale != 6 || got.Total != 9 {
		t.Errorf("single-file source: %+v, %v; want 6/9", got, err)
	}
}

func TestCountStaleRefusesWhatItCannotCount(t *testing.T) {
	dir := tableTree(t)
	s := New(dir, Options{AsOf: runDate})
	tests := []struct {
		name string
		q    scanner.StaleQuery
		want error
	}{
		{"refuses a table inside an archive", scanner.StaleQuery{Unit: "archive.zip", Container: "archive.zip!old.csv"}, ErrInArchive},
		{"refuses an archive member named as its own unit", scanner.StaleQuery{Unit: "archive.zip!old.csv", Container: "archive.zip!old.csv"}, ErrInArchive},
		{"refuses a text document", scanner.StaleQuery{Unit: "notes.txt", Container: "notes.txt"}, ErrNotCountable},
		{"refuses a path outside the root", scanner.StaleQuery{Unit: "../former.csv", Container: "../former.csv"}, ErrNotCountable},
		{"refuses a sheet of another workbook", scanner.StaleQuery{Unit: "housing/book.xlsx", Container: "other.xlsx!Former"}, ErrNotCountable},
		{"refuses a CSV named as another container", scanner.StaleQuery{Unit: "housing/former.csv", Container: "housing/other.csv"}, ErrNotCountable},
		{"reports a missing date column", scanner.StaleQuery{Unit: "housing/former.csv", Container: "housing/former.csv",
			Conditions: []scanner.Condition{{Field: "Closed", Cutoff: date("2020-01-01")}}}, sheet.ErrColumnNotFound},
		{"reports a missing hold column", scanner.StaleQuery{Unit: "housing/book.xlsx", Container: "housing/book.xlsx!Former",
			Conditions: endBefore("2020-01-01"), Hold: holdYes}, sheet.ErrColumnNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			if q.Conditions == nil {
				q.Conditions = endBefore("2020-01-01")
			}
			_, err := s.CountStale(context.Background(), q)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if strings.Contains(err.Error(), "Person") || strings.Contains(err.Error(), "example.org") {
				t.Errorf("error %q quotes the data", err)
			}
		})
	}
	if _, err := s.CountStale(context.Background(), scanner.StaleQuery{Unit: "housing/missing.sheet.xlsx", Container: "housing/book.xlsx!Nope",
		Conditions: endBefore("2020-01-01")}); err == nil {
		t.Error("missing file: want an error")
	}
}

// folderTree lays out files with set modification times. Against a cutoff of 2020-01-01:
//
//	a.txt                     2015-01-01  stale
//	letters/l1.docx           2016-05-05  stale
//	letters/l2.txt            2024-01-01
//	letters/2019/older.txt    2019-12-31 23:30 UTC  stale
//	letters/2019/old.txt      2019-12-31 23:30 -01:00 = 2020-01-01 00:30 UTC: the cutoff day, not stale
//	empty/                    no files
func folderTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	west := time.FixedZone("-01:00", -3600)
	mtimes := map[string]time.Time{
		"a.txt":                  time.Date(2015, 1, 1, 12, 0, 0, 0, time.UTC),
		"letters/l1.docx":        time.Date(2016, 5, 5, 9, 0, 0, 0, time.UTC),
		"letters/l2.txt":         time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC),
		"letters/2019/older.txt": time.Date(2019, 12, 31, 23, 30, 0, 0, time.UTC),
		"letters/2019/old.txt":   time.Date(2019, 12, 31, 23, 30, 0, 0, west),
	}
	for name, mt := range mtimes {
		write(t, dir, map[string][]byte{name: []byte("x")})
		if err := os.Chtimes(filepath.Join(dir, filepath.FromSlash(name)), mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCountStaleCountsRowsWithNoFirstDate(t *testing.T) {
	s := New(tableTree(t), Options{AsOf: runDate})
	tests := []struct {
		name    string
		q       scanner.StaleQuery
		missing int64
	}{
		{name: "counts the CSV row with an empty date and not the unreadable one",
			q: scanner.StaleQuery{Unit: "housing/former.csv", Container: "housing/former.csv", Conditions: endBefore("2020-03-01"), Hold: holdYes}, missing: 1},
		{name: "counts the xlsx row with an empty date cell",
			q: scanner.StaleQuery{Unit: "housing/book.xlsx", Container: "housing/book.xlsx!Former", Conditions: endBefore("2020-03-01")}, missing: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.CountStale(context.Background(), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if got.Missing != tc.missing {
				t.Errorf("missing %d, want %d", got.Missing, tc.missing)
			}
		})
	}
}

// folderPlanner judges the folders it is given by modification time, each under its own rule.
type folderPlanner map[string]string // folder -> rule

func (folderPlanner) Plan(string, []scanner.Column) []scanner.RetentionJob { return nil }

func (p folderPlanner) PlanFolder(folder string) []scanner.RetentionJob {
	rule, ok := p[folder]
	if !ok {
		return nil
	}
	return []scanner.RetentionJob{{Rule: rule, Period: "P6Y", Query: scanner.StaleQuery{Cutoff: date("2020-01-01")}}}
}

// folderCount scans src and returns the retention line of one folder, judged by modification time from the
// scan's own listing.
func folderCount(t *testing.T, src *Source, folders folderPlanner, folder string) scanner.RetentionResult {
	t.Helper()
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	e, err := rules.Compile(p, rules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	inv, err := scanner.Run(context.Background(), []scanner.Source{src}, scanner.Options{Engine: e, Retention: folders})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range inv.Retention {
		if r.Container == folder {
			return r
		}
	}
	t.Fatalf("no retention line for folder %q in %+v", folder, inv.Retention)
	return scanner.RetentionResult{}
}

func TestFoldersAreJudgedByModificationTime(t *testing.T) {
	dir := folderTree(t)
	want := map[string]struct {
		stale, total int64
		oldest       string
	}{
		"":              {3, 5, "2015-01-01"},
		"letters/":      {2, 4, "2016-05-05"},
		"letters/2019/": {1, 2, "2019-12-31"},
	}
	for folder, w := range want {
		t.Run("folder "+folder, func(t *testing.T) {
			got := folderCount(t, New(dir, Options{}), folderPlanner{folder: "r"}, folder)
			if got.StaleRows != w.stale || got.TotalRows != w.total || got.Method != scanner.MethodMtime || !strings.Contains(got.Note, "modification time") {
				t.Errorf("%+v, want %d/%d mtime", got, w.stale, w.total)
			}
			if (w.oldest == "") != (got.Oldest == nil) || (got.Oldest != nil && got.Oldest.Format(time.DateOnly) != w.oldest) {
				t.Errorf("oldest %v, want %q", got.Oldest, w.oldest)
			}
		})
	}
	// An empty folder holds nothing to judge: the listing has no file under it, and there is no line for it.
	p, _ := rules.Default()
	e, _ := rules.Compile(p, rules.Options{})
	inv, err := scanner.Run(context.Background(), []scanner.Source{New(dir, Options{})}, scanner.Options{Engine: e, Retention: folderPlanner{"empty/": "r"}})
	if err != nil || len(inv.Retention) != 0 {
		t.Errorf("empty folder: %v, %+v; want no line", err, inv.Retention)
	}
	single := folderCount(t, New(filepath.Join(dir, "a.txt"), Options{}), folderPlanner{"": "r"}, "")
	if single.StaleRows != 1 || single.TotalRows != 1 {
		t.Errorf("single-file source: %+v; want 1/1 at the root", single)
	}
}

func TestFolderCountsNoteLinksAndUnlistableFolders(t *testing.T) {
	dir := folderTree(t)
	if err := os.Symlink(filepath.Join(dir, "a.txt"), filepath.Join(dir, "letters", "link.txt")); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	for _, folder := range []string{"", "letters/"} {
		c := folderCount(t, New(dir, Options{}), folderPlanner{folder: "r"}, folder)
		if c.TotalRows != map[string]int64{"": 5, "letters/": 4}[folder] || !strings.Contains(c.Note, "1 link or special file not followed") {
			t.Errorf("folder %q: %+v, want the link noted and not counted", folder, c)
		}
	}
	if c := folderCount(t, New(dir, Options{}), folderPlanner{"letters/2019/": "r"}, "letters/2019/"); strings.Contains(c.Note, "link") {
		t.Errorf("a subfolder without the link notes it: %q", c.Note)
	}
	if os.Geteuid() == 0 {
		t.Log("running as root: permissions are not enforced, so unlistable folders are not exercised here")
		return
	}
	private := filepath.Join(dir, "letters", "2019")
	if err := os.Chmod(private, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(private, 0o755) })
	if c := folderCount(t, New(dir, Options{}), folderPlanner{"letters/": "r"}, "letters/"); c.TotalRows != 2 || !strings.Contains(c.Note, "1 folder could not be listed") {
		t.Errorf("unlistable subfolder: %+v", c)
	}
}

func TestAFolderLeavesOutSubfoldersJudgedByAnotherRule(t *testing.T) {
	dir := folderTree(t)
	got := folderCount(t, New(dir, Options{}), folderPlanner{"": "root-rule", "letters/2019/": "other-rule"}, "")
	// Left at the root: a.txt (stale), letters/l1.docx (stale), letters/l2.txt (not).
	if got.StaleRows != 2 || got.TotalRows != 3 || !strings.Contains(got.Note, "left out") {
		t.Errorf("count %+v, want 2 of 3 with a note saying what was left out", got)
	}
}
