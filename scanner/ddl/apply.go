package ddl

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// outcome of one statement.
type outcome int

const (
	applied  outcome = iota
	ignored          // cannot change a column
	rejected         // the parser did not understand it
)

// colDef is a column as a CREATE or ALTER defines it.
type colDef struct {
	name, typ, comment string
	key                bool
}

// created is what a CREATE TABLE says.
type created struct {
	sch, name string
	cols      []colDef
	pk        []string
	like      []string // schema, table of CREATE TABLE ... LIKE
	as        bool     // CREATE TABLE ... AS SELECT: the columns come from a query
}

// applier applies statements of one dialect to a schema.
type applier struct {
	mysql      bool
	schema     *schema
	my         *sqlparser.Parser
	skipped    []skipped
	statements int
	applied    int
	ignored    int
}

func newApplier(dialect, defSchema string) *applier {
	a := &applier{mysql: dialect == "mysql", schema: &schema{fold: dialect == "mysql", defSchema: defSchema}}
	if !a.mysql && defSchema == "" {
		a.schema.defSchema = "public"
	}
	if a.mysql {
		p, err := sqlparser.New(sqlparser.Options{MySQLServerVersion: "8.0.40"})
		if err != nil {
			p = sqlparser.NewTestParser()
		}
		a.my = p
	}
	return a
}

func (a *applier) file(rel, text string) {
	for _, st := range split(text, a.mysql) {
		a.statements++
		switch a.one(rel, st) {
		case applied:
			a.applied++
		case ignored:
			a.ignored++
		default:
			if harmless(st.text, a.mysql) {
				a.ignored++
				continue
			}
			a.skip(rel, st.line, "statement not understood: "+kind(st.text))
		}
	}
}

func (a *applier) skip(rel string, line int, detail string) {
	a.skipped = append(a.skipped, skipped{file: rel, line: line, detail: detail})
}

// one applies a statement. The parsers are large generated code: a panic is caught and the statement
// reported, never the run lost.
func (a *applier) one(rel string, st stmt) (o outcome) {
	defer func() {
		if r := recover(); r != nil {
			o = rejected
		}
	}()
	if a.mysql {
		return a.applyMySQL(rel, st)
	}
	return a.applyPostgres(rel, st)
}

// createTable applies a CREATE TABLE. The whole statement goes to the parser first; when it is rejected
// (PostgreSQL types the parser does not know, identity columns, collations), the table name and each column
// definition are parsed on their own so one unusual column does not hide the rest of the table.
func (a *applier) createTable(rel string, st stmt, parse func(string) (created, error)) outcome {
	els := elements(st, a.mysql)
	c, err := parse(st.text)
	if err != nil {
		head, ok := createHead(st.text, a.mysql)
		if !ok {
			return rejected
		}
		if c, err = parse("CREATE TABLE " + head + " (x int)"); err != nil {
			return rejected
		}
		c.cols, c.pk = nil, nil
		for _, e := range els {
			one, err := parse("CREATE TABLE t (" + e.text + ")")
			if err != nil {
				one, err = parse("CREATE TABLE t (" + simplify(e, a.mysql) + ")")
			}
			if err != nil {
				a.skip(rel, e.line, "column definition not understood: CREATE TABLE")
				continue
			}
			c.cols = append(c.cols, one.cols...)
			c.pk = append(c.pk, one.pk...)
		}
	}
	if c.as {
		a.skip(rel, st.line, "columns not known: CREATE TABLE AS")
		return ignored
	}
	var like *table
	if c.like != nil {
		like, _ = a.schema.find(c.like[0], c.like[1])
	}
	t := a.schema.create(c.sch, c.name)
	if like != nil {
		for _, col := range like.cols {
			cp := *col
			t.cols = append(t.cols, &cp)
		}
	}
	for _, d := range c.cols {
		a.addColumn(t, d, rel, st.line, els)
	}
	a.schema.setKey(t, c.pk)
	return applied
}

func (a *applier) addColumn(t *table, d colDef, rel string, line int, els []element) {
	col := &column{name: d.name, typ: d.typ, comment: d.comment, key: d.key, file: rel, line: line}
	for _, e := range els {
		if a.schema.same(e.name, d.name) {
			col.line = e.line
			if e.typ != "" {
				col.typ = e.typ
			}
			break
		}
	}
	a.schema.add(t, col)
}

// element is one top-level item of a CREATE TABLE or ALTER TABLE ADD list.
type element struct {
	text, name, typ string
	line            int
	toks            []token
}

// constraintWords end a column's type and start its constraints.
var constraintWords = map[string]bool{
	"CONSTRAINT": true, "NOT": true, "NULL": true, "DEFAULT": true, "PRIMARY": true, "REFERENCES": true,
	"CHECK": true, "UNIQUE": true, "COLLATE": true, "GENERATED": true, "COMMENT": true, "AUTO_INCREMENT": true,
	"CHARACTER": true, "CHARSET": true, "ON": true, "KEY": true, "AS": true, "INVISIBLE": true, "VISIBLE": true,
	"STORED": true, "VIRTUAL": true, "SRID": true, "IDENTITY": true, "FIRST": true, "AFTER": true,
}

var tableItemWords = map[string]bool{
	"CONSTRAINT": true, "PRIMARY": true, "UNIQUE": true, "CHECK": true, "FOREIGN": true, "EXCLUDE": true,
	"LIKE": true, "KEY": true, "INDEX": true, "FULLTEXT": true, "SPATIAL": true,
}

// elements splits the first parenthesised list of a CREATE TABLE at top-level commas.
func elements(st stmt, mysql bool) []element {
	toks := tokens(st.text, mysql)
	open := -1
	for i, t := range toks {
		if t.up == "(" {
			open = i
			break
		}
		if t.up == "AS" || t.up == "LIKE" {
			return nil
		}
	}
	if open < 0 {
		return nil
	}
	var out []element
	depth, from := 0, open+1
	for i := open; i < len(toks); i++ {
		switch toks[i].up {
		case "(":
			depth++
			continue
		case ")":
			depth--
			if depth > 0 {
				continue
			}
		case ",":
			if depth != 1 {
				continue
			}
		default:
			continue
		}
		if from < i {
			out = append(out, newElement(st, toks[from:i], toks[i].pos, mysql))
		}
		from = i + 1
		if depth == 0 {
			break
		}
	}
	return out
}

func newElement(st stmt, toks []token, end int, mysql bool) element {
	e := element{text: st.text[toks[0].pos:end], toks: toks,
		line: st.line + strings.Count(st.text[:toks[0].pos], "\n")}
	if toks[0].quote == 0 && tableItemWords[toks[0].up] {
		return e
	}
	e.name = identName(toks[0], mysql)
	stop := end
	depth := 0
	for i, t := range toks[1:] {
		if t.up == "(" {
			depth++
		} else if t.up == ")" {
			depth--
		} else if depth == 0 && t.quote == 0 && constraintWords[t.up] {
			if t.up == "CHARACTER" && (i+2 >= len(toks) || toks[i+2].up != "SET") {
				continue // character varying
			}
			stop = t.pos
			break
		}
	}
	if len(toks) > 1 && toks[1].pos < stop {
		e.typ = strings.Join(strings.Fields(st.text[toks[1].pos:stop]), " ")
	}
	return e
}

// identName is a column name as the database stores it: PostgreSQL folds unquoted names to lower case.
func identName(t token, mysql bool) string {
	switch t.quote {
	case '"', '`':
		q := string(t.quote)
		return strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(t.raw, q), q), q+q, q)
	}
	if mysql {
		return t.raw
	}
	return strings.ToLower(t.raw)
}

// simplify rewrites a column definition the parser rejected into one it accepts, keeping the name: the type
// becomes text (the original type is kept from the source), and collations and identity clauses go.
func simplify(e element, mysql bool) string {
	if e.name == "" || len(e.toks) == 0 {
		return e.text
	}
	var b strings.Builder
	b.WriteString(e.toks[0].raw)
	b.WriteString(" text")
	rest := e.toks[1:]
	for len(rest) > 0 && !(rest[0].quote == 0 && constraintWords[rest[0].up]) {
		rest = rest[1:]
	}
	for i := 0; i < len(rest); i++ {
		t := rest[i]
		switch {
		case t.up == "COLLATE":
			i++
			for i+2 < len(rest) && rest[i+1].up == "." {
				i += 2
			}
			continue
		case t.up == "DEFAULT":
			// A default may cast to a type the parser does not know; it cannot name a column.
			depth := 0
			for i+1 < len(rest) {
				n := rest[i+1]
				if n.up == "(" {
					depth++
				} else if n.up == ")" {
					depth--
				} else if depth == 0 && n.quote == 0 && constraintWords[n.up] && n.up != "ON" {
					break
				}
				i++
			}
			continue
		case t.up == "GENERATED" && containsUp(rest[i:], "IDENTITY"):
			for i < len(rest) && rest[i].up != "IDENTITY" {
				i++
			}
			if i+1 < len(rest) && rest[i+1].up == "(" {
				depth := 0
				for i++; i < len(rest); i++ {
					if rest[i].up == "(" {
						depth++
					} else if rest[i].up == ")" {
						if depth--; depth == 0 {
							break
						}
					}
				}
			}
			continue
		}
		b.WriteByte(' ')
		b.WriteString(t.raw)
	}
	return b.String()
}

func containsUp(toks []token, w string) bool {
	for _, t := range toks {
		if t.up == w {
			return true
		}
	}
	return false
}

// createHead returns the raw table name of a CREATE TABLE, between TABLE [IF NOT EXISTS] and the column list.
func createHead(text string, mysql bool) (string, bool) {
	toks := tokens(text, mysql)
	i := 0
	for i < len(toks) && toks[i].up != "TABLE" {
		i++
	}
	i++
	if i+2 < len(toks) && toks[i].up == "IF" && toks[i+1].up == "NOT" && toks[i+2].up == "EXISTS" {
		i += 3
	}
	j := i
	for j < len(toks) && toks[j].up != "(" {
		j++
	}
	if i >= len(toks) || j >= len(toks) || j == i {
		return "", false
	}
	return text[toks[i].pos:toks[j].pos], true
}
