package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const reviewDir = "testdata/review"

func readDecisionsFile(t testing.TB, name string) *Decisions {
	t.Helper()
	f, err := os.Open(filepath.Join(reviewDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := ReadDecisions(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return d
}

func writeDecisions(t testing.TB, d *Decisions) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := d.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDecisionsRoundTripByteForByte(t *testing.T) {
	want, err := os.ReadFile(filepath.Join(reviewDir, "decisions.toml"))
	if err != nil {
		t.Fatal(err)
	}
	d := readDecisionsFile(t, "decisions.toml")
	if len(d.Decision) != 10 {
		t.Fatalf("read %d decisions, want 10", len(d.Decision))
	}
	if got := writeDecisions(t, d); !bytes.Equal(got, want) {
		t.Fatalf("rewritten decisions differ from the file:\n--- got ---\n%s\n--- want ---\n%s", got, want)
	}
	if !strings.HasPrefix(string(want), "# datamap decisions") {
		t.Error("decisions file lost its header comment")
	}
}

func TestReadDecisionsNormalisesAHandWrittenFile(t *testing.T) {
	d := readDecisionsFile(t, "handwritten.toml")
	want := []Decision{
		{Fingerprint: "estate/buildings/assets.csv#phone", Decision: DecisionNotPersonal,
			Notes: "Estate office switchboard number, not a person's", ReviewedBy: "A. Reviewer (DPO)", Reviewed: "2026-02-10"},
		{Fingerprint: "estate/crm/contacts_export.tsv#Email", Decision: DecisionConfirmed,
			Purpose: "Contacting tenants about their tenancy", LawfulBasis: "Contract", Reviewed: "2025-01-15", Expires: "2025-12-31"},
	}
	if len(d.Decision) != len(want) {
		t.Fatalf("read %d decisions, want %d", len(d.Decision), len(want))
	}
	for i := range want {
		if d.Decision[i] != want[i] {
			t.Errorf("decision %d = %+v, want %+v", i+1, d.Decision[i], want[i])
		}
	}
	// The canonical form reads back to the same and rewrites to the same bytes.
	first := writeDecisions(t, d)
	again, err := ReadDecisions(bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	if second := writeDecisions(t, again); !bytes.Equal(first, second) {
		t.Fatalf("rewriting is not stable:\n%s\n---\n%s", first, second)
	}
	if !strings.Contains(string(first), `reviewed = "2025-01-15"`) {
		t.Errorf("TOML date not written as a date string:\n%s", first)
	}
}

func TestReadDecisionsRejects(t *testing.T) {
	const fp = `fingerprint = "estate/a.csv#Name"` + "\n"
	tests := []struct {
		name, in, want string
		notWant        string // must not reach the error: an input value
	}{
		{"rejects a file without a version", "[[decision]]\n" + fp + `decision = "confirmed"`, "missing version", ""},
		{"rejects another version", "version = 2\n", "unsupported version 2", ""},
		{"rejects an unknown key", "version = 1\n[[decision]]\n" + fp + "decison = \"confirmed\"\n", "unknown keys: decision.decison", ""},
		{"rejects an unknown top-level key", "version = 1\nfields = []\n", "unknown keys: fields", ""},
		{"rejects an unknown decision naming the fingerprint", "version = 1\n[[decision]]\n" + fp + "decision = \"Smith maybe\"\n",
			`decision 1 ("estate/a.csv#Name"): unknown decision (valid: "confirmed", "not personal", "to delete")`, "Smith"},
		{"rejects a duplicate fingerprint", "version = 1\n[[decision]]\n" + fp + "decision = \"confirmed\"\n[[decision]]\n" + fp +
			"decision = \"to delete\"\n", `decision 2: duplicate fingerprint "estate/a.csv#Name"`, ""},
		{"rejects a decision without a fingerprint", "version = 1\n[[decision]]\ndecision = \"confirmed\"\n", "decision 1: missing fingerprint", ""},
		{"rejects an entry that records nothing", "version = 1\n[[decision]]\n" + fp + "decision = \"\"\n", "nothing else recorded", ""},
		{"rejects a malformed reviewed date", "version = 1\n[[decision]]\n" + fp + "decision = \"confirmed\"\nreviewed = \"31/13/2026\"\n",
			"reviewed: not a date", "31/13"},
		{"rejects a date and time as expiry", "version = 1\n[[decision]]\n" + fp + "decision = \"confirmed\"\nexpires = 2026-01-02T03:04:05Z\n",
			"expires: a date and time", ""},
		{"rejects a number as a date", "version = 1\n[[decision]]\n" + fp + "decision = \"confirmed\"\nreviewed = 20260102\n",
			"reviewed: not a date", ""},
		{"rejects a decision of the wrong type", "version = 1\n[[decision]]\n" + fp + "decision = true\n", "read decisions", ""},
		{"rejects TOML that does not parse", "version = \n", "read decisions", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadDecisions(strings.NewReader(tt.in))
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if tt.notWant != "" && strings.Contains(err.Error(), tt.notWant) {
				t.Errorf("error %q repeats the input value %q", err, tt.notWant)
			}
		})
	}
}

func TestReadDecisionsAcceptsAnEmptyFile(t *testing.T) {
	d, err := ReadDecisions(strings.NewReader("version = 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Decision == nil || len(d.Decision) != 0 {
		t.Fatalf("decisions = %#v, want an empty list", d.Decision)
	}
}

func TestMerge(t *testing.T) {
	old := &Decisions{Version: 1, Decision: []Decision{
		{Fingerprint: "s/a#kept", Decision: DecisionConfirmed, ReviewedBy: "Old", Reviewed: "2025-01-01"},
		{Fingerprint: "s/a#same", Decision: DecisionNotPersonal, Notes: "n", ReviewedBy: "Old", Reviewed: "2025-01-01", Expires: "2027-01-01"},
		{Fingerprint: "s/a#changed", Decision: DecisionConfirmed, ReviewedBy: "Old", Reviewed: "2025-01-01", Expires: "2027-01-01"},
	}}
	imported := &Decisions{Version: 1, Decision: []Decision{
		{Fingerprint: "s/a#same", Decision: DecisionNotPersonal, Notes: "n"},
		{Fingerprint: "s/a#changed", Decision: DecisionToDelete},
		{Fingerprint: "s/a#added", Decision: DecisionConfirmed, Purpose: "p"},
	}}
	got := Merge(old, imported)
	want := []Decision{
		{Fingerprint: "s/a#added", Decision: DecisionConfirmed, Purpose: "p"},
		{Fingerprint: "s/a#changed", Decision: DecisionToDelete},
		{Fingerprint: "s/a#kept", Decision: DecisionConfirmed, ReviewedBy: "Old", Reviewed: "2025-01-01"},
		{Fingerprint: "s/a#same", Decision: DecisionNotPersonal, Notes: "n", ReviewedBy: "Old", Reviewed: "2025-01-01", Expires: "2027-01-01"},
	}
	if len(got.Decision) != len(want) {
		t.Fatalf("merged %d decisions, want %d: %+v", len(got.Decision), len(want), got.Decision)
	}
	for i := range want {
		if got.Decision[i] != want[i] {
			t.Errorf("decision %d = %+v, want %+v", i+1, got.Decision[i], want[i])
		}
	}
	if got.Version != DecisionsVersion {
		t.Errorf("version %d", got.Version)
	}
	if n := len(Merge(nil, imported).Decision); n != 3 {
		t.Errorf("merge into no file kept %d decisions, want 3", n)
	}
	if n := len(Merge(old, nil).Decision); n != 3 {
		t.Errorf("merge of no import kept %d decisions, want 3", n)
	}
	if old.Decision[2].Decision != DecisionConfirmed {
		t.Error("merge changed its argument")
	}
}

func TestStampFillsOnlyWhatIsMissing(t *testing.T) {
	d := &Decisions{Version: 1, Decision: []Decision{
		{Fingerprint: "s/a#new", Decision: DecisionConfirmed},
		{Fingerprint: "s/a#old", Decision: DecisionConfirmed, ReviewedBy: "Old", Reviewed: "2025-01-01"},
	}}
	d.Stamp(" DPO ", time.Date(2026, 3, 1, 23, 0, 0, 0, time.UTC))
	if got := d.Decision[0]; got.ReviewedBy != "DPO" || got.Reviewed != "2026-03-01" {
		t.Errorf("new decision stamped %q %q", got.ReviewedBy, got.Reviewed)
	}
	if got := d.Decision[1]; got.ReviewedBy != "Old" || got.Reviewed != "2025-01-01" {
		t.Errorf("old decision restamped %q %q", got.ReviewedBy, got.Reviewed)
	}
}

func FuzzReadDecisions(f *testing.F) {
	for _, name := range []string{"decisions.toml", "handwritten.toml"} {
		b, err := os.ReadFile(filepath.Join(reviewDir, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("version = 1\n"))
	f.Add([]byte("version = 1\n[[decision]]\nfingerprint = \"a/b#c\"\ndecision = \"Not Personal\"\nnotes = \"x\\ty\\u0001\"\nexpires = 2026-01-01\n"))
	f.Add([]byte("version = 1\n[[decision]]\nfingerprint = \" a/b#c \"\ndecision = \"\"\npurpose = \"p\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ReadDecisions(bytes.NewReader(data))
		if err != nil {
			return
		}
		// Whatever was accepted survives a write and a read unchanged, and the written form is stable.
		first := writeDecisions(t, d)
		again, err := ReadDecisions(bytes.NewReader(first))
		if err != nil {
			t.Fatalf("written decisions do not read back: %v\n%s", err, first)
		}
		if len(again.Decision) != len(d.Decision) {
			t.Fatalf("%d decisions became %d", len(d.Decision), len(again.Decision))
		}
		for i := range d.Decision {
			if again.Decision[i] != d.Decision[i] {
				t.Fatalf("decision %d changed: %+v became %+v", i+1, d.Decision[i], again.Decision[i])
			}
		}
		if second := writeDecisions(t, again); !bytes.Equal(first, second) {
			t.Fatalf("rewrite is not stable:\n%s\n---\n%s", first, second)
		}
	})
}
