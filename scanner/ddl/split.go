package ddl

import (
	"strings"
)

// stmt is one SQL statement of a migration file, with the line it starts on.
type stmt struct {
	text string
	line int
}

// dropDownSections blanks the down half of goose (-- +goose Down) and dbmate (-- migrate:down) files, keeping
// line numbers, so a rollback written in the same file is not applied after the migration.
func dropDownSections(src string) string {
	lines := strings.Split(src, "\n")
	down := false
	for i, l := range lines {
		t := strings.ToLower(strings.Join(strings.Fields(l), " "))
		switch t {
		case "-- +goose down", "-- migrate:down":
			down = true
		case "-- +goose up", "-- migrate:up":
			down = false
		}
		if down {
			lines[i] = ""
		}
	}
	return strings.Join(lines, "\n")
}

// split cuts src into statements the way psql and the mysql client do: semicolons outside quotes, comments and
// (PostgreSQL) dollar-quoted bodies end a statement; mysql's DELIMITER changes the terminator; psql
// meta-commands and COPY ... FROM stdin data are skipped. Comments never start a statement, so DDL inside a
// comment is never applied.
func split(src string, mysql bool) []stmt {
	src = dropDownSections(src)
	var out []stmt
	delim := ";"
	line := 1
	start, startLine := -1, 0 // start of the current statement, -1 before its first token
	block := false            // inside goose StatementBegin/End
	emit := func(end int) {
		if start >= 0 {
			if t := strings.TrimSpace(src[start:end]); t != "" {
				out = append(out, stmt{text: t, line: startLine})
			}
		}
		start = -1
	}
	begin := func(i int) {
		if start < 0 {
			start, startLine = i, line
		}
	}
	// skipLine moves i to the newline ending the current line (or the end of src).
	skipLine := func(i int) int {
		for i < len(src) && src[i] != '\n' {
			i++
		}
		return i
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == '-' && strings.HasPrefix(src[i:], "--"), mysql && c == '#':
			j := skipLine(i)
			marker := strings.ToLower(strings.Join(strings.Fields(src[i:j]), " "))
			switch marker {
			case "-- +goose statementbegin":
				block = true
			case "-- +goose statementend":
				block = false
				emit(i)
			}
			i = j
		case c == '/' && strings.HasPrefix(src[i:], "/*"):
			depth := 0
			for i < len(src) {
				if strings.HasPrefix(src[i:], "/*") {
					depth++
					i += 2
					continue
				}
				if strings.HasPrefix(src[i:], "*/") {
					i += 2
					// MySQL comments do not nest; PostgreSQL's do.
					if depth--; depth == 0 || mysql {
						break
					}
					continue
				}
				if src[i] == '\n' {
					line++
				}
				i++
			}
		case start < 0 && !mysql && c == '\\':
			i = skipLine(i) // a psql meta-command: \connect, \restrict
		case start < 0 && mysql && isWordAt(src, i, "delimiter"):
			j := skipLine(i)
			if f := strings.Fields(src[i:j]); len(f) > 1 {
				delim = f[1]
			}
			i = j
		case c == '\'' || c == '"' || (mysql && c == '`'):
			begin(i)
			backslash := c != '`' && (mysql || (c == '\'' && i > 0 && (src[i-1] == 'E' || src[i-1] == 'e')))
			i++
			for i < len(src) {
				ch := src[i]
				if ch == '\n' {
					line++
				}
				if backslash && ch == '\\' {
					if i+1 < len(src) && src[i+1] == '\n' {
						line++
					}
					i += 2
					continue
				}
				i++
				if ch == c {
					if i < len(src) && src[i] == c {
						i++
						continue
					}
					break
				}
			}
		case !mysql && c == '$':
			begin(i)
			tag, ok := dollarTag(src, i)
			if !ok {
				i++
				continue
			}
			i += len(tag)
			end := strings.Index(src[i:], tag)
			if end < 0 {
				end = len(src) - i
			}
			line += strings.Count(src[i:i+end], "\n")
			i += end + len(tag)
			if i > len(src) {
				i = len(src)
			}
		case !block && strings.HasPrefix(src[i:], delim):
			text := ""
			if start >= 0 {
				text = src[start:i]
			}
			emit(i)
			i += len(delim)
			if isCopyFromStdin(text) {
				// The data rows of a dump's COPY run to a line holding only \.
				for i < len(src) {
					j := skipLine(i)
					if strings.TrimSpace(src[i:j]) == `\.` {
						i = j
						break
					}
					if j < len(src) {
						line++
						j++
					}
					i = j
				}
			}
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			i++
		default:
			begin(i)
			i++
		}
	}
	emit(len(src))
	return out
}

// dollarTag reports the PostgreSQL dollar-quote tag ($$ or $name$) starting at i.
func dollarTag(s string, i int) (string, bool) {
	if i > 0 && isIdent(s[i-1]) {
		return "", false
	}
	j := i + 1
	for j < len(s) && isIdent(s[j]) {
		if j == i+1 && s[j] >= '0' && s[j] <= '9' {
			return "", false // $1 is a parameter
		}
		j++
	}
	if j < len(s) && s[j] == '$' {
		return s[i : j+1], true
	}
	return "", false
}

func isIdent(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isWordAt(s string, i int, w string) bool {
	if len(s)-i < len(w) || !strings.EqualFold(s[i:i+len(w)], w) {
		return false
	}
	return i+len(w) == len(s) || !isIdent(s[i+len(w)])
}

func isCopyFromStdin(text string) bool {
	w := words(text)
	return len(w) > 3 && w[0] == "COPY" && w[len(w)-1] == "STDIN" && w[len(w)-2] == "FROM"
}

// token is a lexical token of a statement: a word (upper-cased in up), a quoted identifier or string, or one
// punctuation byte.
type token struct {
	raw   string
	up    string
	quote byte // ', ", ` or 0
	pos   int
}

// tokens is a small lexer, enough to find statement kinds, top-level commas and column names; the SQL
// parsers do the real work.
func tokens(s string, mysql bool) []token {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
		case strings.HasPrefix(s[i:], "--") || mysql && c == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				i = len(s)
			} else {
				i += end + 4
			}
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for j < len(s) {
				if mysql && c != '`' && s[j] == '\\' {
					j += 2
					continue
				}
				if s[j] == c {
					if j+1 < len(s) && s[j+1] == c {
						j += 2
						continue
					}
					break
				}
				j++
			}
			if j >= len(s) {
				j = len(s) - 1
			}
			out = append(out, token{raw: s[i : j+1], quote: c, pos: i})
			i = j + 1
		case !mysql && c == '$':
			if tag, ok := dollarTag(s, i); ok {
				end := strings.Index(s[i+len(tag):], tag)
				j := len(s)
				if end >= 0 {
					j = i + len(tag) + end + len(tag)
				}
				out = append(out, token{raw: s[i:j], quote: '$', pos: i})
				i = j
				continue
			}
			out = append(out, token{raw: "$", up: "$", pos: i})
			i++
		case isIdent(c):
			j := i
			for j < len(s) && (isIdent(s[j]) || s[j] == '$') {
				j++
			}
			out = append(out, token{raw: s[i:j], up: strings.ToUpper(s[i:j]), pos: i})
			i = j
		default:
			out = append(out, token{raw: s[i : i+1], up: s[i : i+1], pos: i})
			i++
		}
	}
	return out
}

// words returns the upper-cased bare words of a statement (quoted tokens as "").
func words(s string) []string {
	var w []string
	for _, t := range tokens(s, false) {
		w = append(w, t.up)
	}
	return w
}

// keywords may appear in a statement kind; anything else (a name) never reaches a report.
var keywords = map[string]bool{
	"CREATE": true, "ALTER": true, "DROP": true, "COMMENT": true, "DO": true, "SET": true, "INSERT": true,
	"UPDATE": true, "DELETE": true, "SELECT": true, "GRANT": true, "REVOKE": true, "RENAME": true,
	"TRUNCATE": true, "COPY": true, "LOCK": true, "UNLOCK": true, "BEGIN": true, "COMMIT": true, "ROLLBACK": true,
	"WITH": true, "CALL": true, "USE": true, "EXECUTE": true, "PREPARE": true, "VACUUM": true, "ANALYZE": true,
	"REFRESH": true, "REINDEX": true, "CLUSTER": true, "SECURITY": true, "LABEL": true, "IMPORT": true,
	"TABLE": true, "INDEX": true, "UNIQUE": true, "VIEW": true, "FUNCTION": true, "PROCEDURE": true,
	"TRIGGER": true, "TYPE": true, "SEQUENCE": true, "EXTENSION": true, "SCHEMA": true, "DATABASE": true,
	"DOMAIN": true, "MATERIALIZED": true, "POLICY": true, "RULE": true, "EVENT": true, "ROLE": true, "USER": true,
	"AGGREGATE": true, "OPERATOR": true, "CAST": true, "COLUMN": true, "TEMPORARY": true, "TEMP": true,
	"UNLOGGED": true, "FOREIGN": true, "PUBLICATION": true, "SUBSCRIPTION": true, "STATISTICS": true,
	"COLLATION": true, "DEFAULT": true, "PRIVILEGES": true, "CONSTRAINT": true, "ON": true, "START": true,
	"TRANSACTION": true, "SERVER": true, "TABLESPACE": true, "LANGUAGE": true, "CONVERSION": true, "TEXT": true,
	"SEARCH": true, "ACCESS": true, "METHOD": true, "DEFINER": true, "ALGORITHM": true, "REPLACE": true,
}

// kind names a statement by its leading keywords ("CREATE TRIGGER"), for reports that must not quote SQL.
func kind(text string) string {
	var k []string
	for _, w := range words(text) {
		if w == "OR" || w == "REPLACE" || w == "IF" || w == "NOT" || w == "EXISTS" || w == "GLOBAL" || w == "LOCAL" {
			continue
		}
		if !keywords[w] || len(k) == 3 {
			break
		}
		k = append(k, w)
		if len(k) == 2 && k[0] != "CREATE" && k[0] != "COMMENT" {
			break
		}
		if len(k) == 2 && k[1] != "UNIQUE" && k[1] != "MATERIALIZED" && k[1] != "TEMPORARY" && k[1] != "TEMP" && k[1] != "UNLOGGED" && k[1] != "ON" && k[1] != "FOREIGN" {
			break
		}
	}
	if len(k) == 0 {
		return "statement"
	}
	return strings.Join(k, " ")
}

// harmless reports whether a statement the parser rejected cannot add, rename or drop a column or table:
// ownership, sequences, extensions, types, grants and session settings in schema dumps. Functions, DO blocks,
// triggers and anything else may run DDL and are reported instead.
func harmless(text string, mysql bool) bool {
	w := words(text)
	if len(w) == 0 {
		return true
	}
	switch w[0] {
	case "SET", "SELECT", "LOCK", "UNLOCK", "BEGIN", "COMMIT", "START", "ROLLBACK", "GRANT", "REVOKE", "ANALYZE",
		"VACUUM", "USE", "REFRESH", "REINDEX", "CLUSTER", "SECURITY", "INSERT", "UPDATE", "DELETE", "COPY":
		return true
	case "COMMENT":
		return !(len(w) > 2 && w[1] == "ON" && w[2] == "COLUMN")
	case "CREATE", "ALTER", "DROP":
	default:
		return false
	}
	obj := ""
	for _, x := range w[1:] {
		if x != "OR" && x != "REPLACE" && x != "UNIQUE" && x != "GLOBAL" && x != "LOCAL" && x != "TEMP" &&
			x != "TEMPORARY" && x != "UNLOGGED" && x != "DEFAULT" {
			obj = x
			break
		}
	}
	switch obj {
	case "SEQUENCE", "EXTENSION", "TYPE", "DOMAIN", "INDEX", "SCHEMA", "ROLE", "USER", "AGGREGATE", "OPERATOR",
		"COLLATION", "TEXT", "PUBLICATION", "SUBSCRIPTION", "POLICY", "STATISTICS", "CAST", "VIEW",
		"MATERIALIZED", "PRIVILEGES", "DATABASE", "SERVER", "TABLESPACE", "LANGUAGE", "CONVERSION", "ACCESS":
		return true
	case "TABLE":
		if w[0] != "ALTER" {
			return false
		}
	default:
		return false
	}
	// ALTER TABLE: harmless when no subcommand adds, renames or drops a column.
	for i, x := range w {
		next := ""
		if i+1 < len(w) {
			next = w[i+1]
		}
		switch x {
		case "RENAME", "CHANGE", "MODIFY":
			return false
		case "ADD":
			switch next {
			case "CONSTRAINT", "PRIMARY", "FOREIGN", "UNIQUE", "CHECK", "EXCLUDE", "INDEX", "KEY", "GENERATED":
			default:
				return false
			}
		case "DROP":
			switch next {
			case "CONSTRAINT", "DEFAULT", "NOT", "INDEX", "KEY", "PRIMARY", "FOREIGN", "IDENTITY", "EXPRESSION", "CHECK":
			default:
				return false
			}
		}
	}
	return true
}
