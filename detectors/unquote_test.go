package detectors

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestUnquote(t *testing.T) {
	cases := map[string]string{
		"Duplicate entry 'AB123456C' for key 'PRIMARY'": "Duplicate entry '…' for key '…'",
		"no quotes":                      "no quotes",
		"unterminated 'secret":           "unterminated '…",
		"table `hr`.`staff` and \"x y\"": "table `…`.`…` and \"…\"",
		// An apostrophe inside a value or a word is not a quote mark.
		"Duplicate entry 'O'Brien' for key 'name'":      "Duplicate entry '…' for key '…'",
		"Can't find record in 'tenants'":                "Can't find record in '…'",
		"Incorrect value: 'Jane's flat' for column 'x'": "Incorrect value: '…' for column '…'",
		"'O'":  "'…'",
		"x''y": "x'…'y",
	}
	for in, want := range cases {
		if got := Unquote(in); got != want {
			t.Errorf("Unquote(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzUnquote(f *testing.F) {
	for _, s := range []string{"Duplicate entry 'AB123456C' for key 'PRIMARY'", "unterminated 'secret", "table `hr`.`staff`",
		"Can't find 'O'Brien'", "x''y", "\"a'b\"", "é'é 'ü'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Unquote(s)
		if again := Unquote(out); again != out {
			t.Fatalf("Unquote(%q) = %q, but Unquote of that = %q", s, out, again)
		}
		if utf8.ValidString(s) && !strings.ContainsAny(s, "'\"`") && out != s {
			t.Fatalf("Unquote(%q) = %q changed a message with no quotes", s, out)
		}
		// A value quoted in a message never comes out, whatever it holds but its own quote mark.
		v := strings.Trim(strings.ReplaceAll(s, "'", ""), " ")
		if v != "" {
			if got := Unquote("Can't read '" + v + "' here"); got != "Can't read '…' here" {
				t.Fatalf("value %q: Unquote gives %q", v, got)
			}
		}
	})
}
