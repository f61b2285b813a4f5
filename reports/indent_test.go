package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/datamap-uk/datamap/scanner"
)

// indentCases are values whose JSON exercises every path of appendIndent. Each is written by writeJSON and
// by the standard encoder, and the bytes must be the same.
func indentCases() []struct {
	name string
	v    any
} {
	at := time.Date(2026, 11, 22, 9, 30, 0, 123456789, time.FixedZone("BST", 3600))
	type inner struct {
		Name  string   `json:"name"`
		Tags  []string `json:"tags"`
		Empty struct{} `json:"empty"`
		Skip  string   `json:"skip,omitempty"`
	}
	return []struct {
		name string
		v    any
	}{
		{"empty object", map[string]any{}},
		{"empty array", []any{}},
		{"empty struct", struct{}{}},
		{"nil slice is null", []string(nil)},
		{"null", nil},
		{"true", true},
		{"false", false},
		{"top-level number", 42},
		{"top-level string", "hello"},
		{"numbers", []any{0, -1, 3.14159, -1.5e-7, 1e21, 123456789012345678, json.Number("1.50")}},
		{"nested empties", map[string]any{"a": map[string]any{}, "b": []any{}, "c": []any{[]any{}, map[string]any{}, []any{[]any{}}}}},
		{"deep nesting", []any{[]any{[]any{[]any{[]any{[]any{map[string]any{"k": []any{1, []any{2}}}}}}}}}},
		{"deeper than the spaces constant", nested(40)},
		{"strings holding punctuation", []string{"{", "}", "[", "]", ",", ":", `{"a":[1,2]}`, "a, b: c", "[]{}"}},
		{"keys holding punctuation", map[string]string{`{"k":`: "v", "a,b": "c:d", "]": "[", `"`: `"`}},
		{"quotes and backslashes", []string{`"`, `\`, `\\`, `\"`, `"\`, `a\`, `a\\`, `a\"`, `\\\"`, `"\"\\"`, `\u0041`, `C:\Users\`}},
		{"escaped quote at the end of a long string", strings.Repeat("x", 40) + `\"`},
		{"backslash before the closing quote of a long string", strings.Repeat("y", 40) + `\`},
		{"backslash as the sixteenth byte", strings.Repeat("z", 15) + `\"` + strings.Repeat("z", 20) + `\\`},
		{"control characters", "tab\there\nnewline\r\x00\x1f\x7f"},
		{"unicode", []string{"café", "Łódź", "日本語", "emoji 🏠", "line\u2028separator\u2029", "\ufffd", string([]byte{0xff, 0xfe})}},
		{"HTML characters", map[string]string{"<script>": "</script>", "a&b": "x > y < z"}},
		{"struct with omitempty and empties", []inner{{Name: "a"}, {Name: "b", Tags: []string{"x", "y"}}}},
		{"bytes are base64", []byte("synthetic\x00bytes")},
		{"time", at},
		{"nil pointer", (*scanner.Review)(nil)},
		{"raw message with whitespace", json.RawMessage(" { \"a\" : [ 1 , 2 ] , \"b\" : { } } ")},
		{"string that looks like JSON whitespace", "  \t{ \n } "},
		{"hostile inventory", hostileInventory()},
		{"empty inventory", &scanner.Inventory{}},
		{"large inventory", largeInventory()},
	}
}

// nested is an array n levels deep with a value at the bottom.
func nested(n int) any {
	var v any = map[string]any{"bottom": true}
	for range n {
		v = []any{v, map[string]any{}}
	}
	return v
}

func TestWriteJSONMatchesTheStandardEncoder(t *testing.T) {
	type testCase = struct {
		name string
		v    any
	}
	cases := indentCases()
	for _, name := range []string{"old.inventory.json", "new.inventory.json"} {
		cases = append(cases, testCase{"fixture " + name, readFixtureInventory(t, name)})
	}
	cases = append(cases, testCase{"demo inventory", demoInventory(t)}, testCase{"fixture check", fixtureCheck(t)})
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			var want, got bytes.Buffer
			if err := encoderWriteJSON(&want, tt.v); err != nil {
				t.Fatal(err)
			}
			if err := writeJSON(&got, tt.v); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("output differs from the standard encoder's at byte %d\n got: %q\nwant: %q",
					firstDifference(got.Bytes(), want.Bytes()), clip(got.Bytes()), clip(want.Bytes()))
			}
		})
	}
}

// firstDifference is the index of the first byte where a and b differ.
func firstDifference(a, b []byte) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// clip keeps a failure message readable when a large inventory differs.
func clip(b []byte) []byte {
	if len(b) > 400 {
		return b[:400]
	}
	return b
}

func TestWriteJSONWritesNothingWhenMarshallingFails(t *testing.T) {
	for _, tt := range []struct {
		name string
		v    any
	}{
		{"channel", make(chan int)},
		{"function inside an object", map[string]any{"ok": 1, "f": func() {}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := writeJSON(&b, tt.v); err == nil {
				t.Error("writeJSON succeeded, want an error")
			}
			if b.Len() != 0 {
				t.Errorf("wrote %d bytes before failing, want none", b.Len())
			}
		})
	}
}

// pieces is a writer that records the size of each Write, and fails the one numbered failAt (from 1).
type pieces struct {
	sizes  []int
	out    bytes.Buffer
	failAt int
}

var errDiskFull = errors.New("disk full")

func (p *pieces) Write(b []byte) (int, error) {
	p.sizes = append(p.sizes, len(b))
	if len(p.sizes) == p.failAt {
		return 0, errDiskFull
	}
	return p.out.Write(b)
}

func TestWriteJSONPassesALargeDocumentOnInPieces(t *testing.T) {
	inv := largeInventory()
	var want bytes.Buffer
	if err := encoderWriteJSON(&want, inv); err != nil {
		t.Fatal(err)
	}
	var p pieces
	if err := writeJSON(&p, inv); err != nil {
		t.Fatal(err)
	}
	if least := want.Len() / (2 * indentChunk); len(p.sizes) < least {
		t.Errorf("%d bytes came in %d writes, want at least %d", want.Len(), len(p.sizes), least)
	}
	for i, n := range p.sizes {
		if n > 2*indentChunk {
			t.Errorf("write %d is %d bytes, want at most %d", i+1, n, 2*indentChunk)
		}
	}
	if !bytes.Equal(p.out.Bytes(), want.Bytes()) {
		t.Errorf("pieces differ from the standard encoder's output at byte %d", firstDifference(p.out.Bytes(), want.Bytes()))
	}
}

func TestWriteJSONStopsAtTheWritersError(t *testing.T) {
	var all pieces
	if err := writeJSON(&all, largeInventory()); err != nil {
		t.Fatal(err)
	}
	n := len(all.sizes)
	for _, tt := range []struct {
		name   string
		v      any
		failAt int
	}{
		{"small document, its one write", map[string]int{"a": 1}, 1},
		{"large document, the first piece", largeInventory(), 1},
		{"large document, a middle piece", largeInventory(), n / 2},
		{"large document, the last piece", largeInventory(), n},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := pieces{failAt: tt.failAt}
			if err := writeJSON(&p, tt.v); !errors.Is(err, errDiskFull) {
				t.Errorf("writeJSON returned %v, want the writer's error", err)
			}
			if len(p.sizes) != tt.failAt {
				t.Errorf("made %d writes, want none after the one that failed (%d)", len(p.sizes), tt.failAt)
			}
		})
	}
}

func TestAppendIndentLaysOutCompactJSON(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
	}{
		{"keeps empty object on one line", `{}`, `{}`},
		{"keeps empty array on one line", `[]`, `[]`},
		{"puts each member on its own line", `{"a":1,"b":[true,null]}`, "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ]\n}"},
		{"keeps nested empties closed", `[{},[]]`, "[\n  {},\n  []\n]"},
		{"copies punctuation inside strings", `["{,:}[]"]`, "[\n  \"{,:}[]\"\n]"},
		{"sees an escaped quote as part of the string", `["a\",b"]`, "[\n  \"a\\\",b\"\n]"},
		{"sees a quote after an escaped backslash as closing", `["a\\",1]`, "[\n  \"a\\\\\",\n  1\n]"},
		{"carries the encoder's trailing newline", "{\"a\":{}}\n", "{\n  \"a\": {}\n}\n"},
		{"writes an empty input as nothing", ``, ``},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(appendIndent(nil, []byte(tt.in))); got != tt.want {
				t.Errorf("appendIndent(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestAppendIndentAppends(t *testing.T) {
	got := string(appendIndent([]byte("prefix:"), []byte(`[1]`)))
	if want := "prefix:[\n  1\n]"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// FuzzIndent checks appendIndent against json.Indent on the compact form of every valid input, with and
// without the encoder's trailing newline; on any input at all it must not panic.
func FuzzIndent(f *testing.F) {
	for _, tt := range indentCases() {
		if tt.name == "large inventory" {
			continue // a megabyte seed slows every mutation; the oracle test covers it
		}
		b, err := json.Marshal(tt.v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{``, `"`, `"\`, `["a\"`, `}}]]`, `[[[[`, `{"a":}`, `"\\\"`, " [ 1 , { } ] "} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		got := appendIndent(nil, in) // invalid input: only that it returns
		if !json.Valid(in) {
			return
		}
		var compact, want bytes.Buffer
		if err := json.Compact(&compact, in); err != nil {
			t.Fatalf("compact of valid input: %v", err)
		}
		if err := json.Indent(&want, compact.Bytes(), "", "  "); err != nil {
			t.Fatalf("indent of valid input: %v", err)
		}
		if got = appendIndent(got[:0], compact.Bytes()); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("appendIndent(%q)\n got: %q\nwant: %q", compact.Bytes(), got, want.Bytes())
		}
		src := append(compact.Bytes(), '\n')
		if got = appendIndent(got[:0], src); !bytes.Equal(got, append(want.Bytes(), '\n')) {
			t.Fatalf("appendIndent(%q) lost or moved the trailing newline: %q", src, got)
		}
	})
}
