package detectors

import "testing"

func TestUnquote(t *testing.T) {
	cases := map[string]string{
		"Duplicate entry 'AB123456C' for key 'PRIMARY'": "Duplicate entry '…' for key '…'",
		"no quotes":                      "no quotes",
		"unterminated 'secret":           "unterminated '…",
		"table `hr`.`staff` and \"x y\"": "table `…`.`…` and \"…\"",
	}
	for in, want := range cases {
		if got := Unquote(in); got != want {
			t.Errorf("Unquote(%q) = %q, want %q", in, got, want)
		}
	}
}
