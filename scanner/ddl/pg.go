package ddl

import (
	"errors"

	pgparser "github.com/auxten/postgresql-parser/pkg/sql/parser"
	"github.com/auxten/postgresql-parser/pkg/sql/sem/tree"
)

var errNotCreate = errors.New("not a single CREATE TABLE")

func pgCreate(text string) (created, error) {
	stmts, err := pgparser.Parse(text)
	if err != nil {
		return created{}, err
	}
	if len(stmts) != 1 {
		return created{}, errNotCreate
	}
	n, ok := stmts[0].AST.(*tree.CreateTable)
	if !ok {
		return created{}, errNotCreate
	}
	c := created{sch: pgSchema(n.Table.SchemaName, n.Table.ExplicitSchema), name: string(n.Table.TableName), as: n.As()}
	for _, d := range n.Defs {
		switch d := d.(type) {
		case *tree.ColumnTableDef:
			typ := ""
			if d.Type != nil {
				typ = d.Type.SQLString()
			}
			c.cols = append(c.cols, colDef{name: string(d.Name), typ: typ, key: d.PrimaryKey.IsPrimaryKey})
		case *tree.UniqueConstraintTableDef:
			if d.PrimaryKey {
				for _, e := range d.Columns {
					c.pk = append(c.pk, string(e.Column))
				}
			}
		}
	}
	return c, nil
}

func pgSchema(n tree.Name, explicit bool) string {
	if !explicit {
		return ""
	}
	return string(n)
}

// objName splits a parsed object name into schema and table.
func objName(u *tree.UnresolvedObjectName) (string, string) {
	if u == nil {
		return "", ""
	}
	if u.NumParts > 1 {
		return u.Parts[1], u.Parts[0]
	}
	return "", u.Parts[0]
}

func (a *applier) applyPostgres(rel string, st stmt) outcome {
	stmts, err := pgparser.Parse(st.text)
	if err != nil {
		if w := words(st.text); len(w) > 1 && w[0] == "CREATE" && containsWord(w[:min(len(w), 6)], "TABLE") {
			return a.createTable(rel, st, pgCreate)
		}
		return rejected
	}
	o := ignored
	for _, s := range stmts {
		switch n := s.AST.(type) {
		case *tree.CreateTable:
			return a.createTable(rel, st, pgCreate)
		case *tree.AlterTable:
			sch, name := objName(n.Table)
			t := a.schema.alter(sch, name)
			for _, cmd := range n.Cmds {
				switch c := cmd.(type) {
				case *tree.AlterTableAddColumn:
					d := c.ColumnDef
					typ := ""
					if d.Type != nil {
						typ = d.Type.SQLString()
					}
					a.addColumn(t, colDef{name: string(d.Name), typ: typ, key: d.PrimaryKey.IsPrimaryKey}, rel, st.line, addElements(st, false))
				case *tree.AlterTableDropColumn:
					a.schema.dropCol(t, string(c.Column))
				case *tree.AlterTableRenameColumn:
					a.schema.renameCol(t, string(c.Column), string(c.NewName), rel, st.line)
				case *tree.AlterTableAlterColumnType:
					if col, _ := a.schema.col(t, string(c.Column)); col != nil && c.ToType != nil {
						col.typ = c.ToType.SQLString()
					}
				case *tree.AlterTableAddConstraint:
					if u, ok := c.ConstraintDef.(*tree.UniqueConstraintTableDef); ok && u.PrimaryKey {
						for _, e := range u.Columns {
							a.schema.setKey(t, []string{string(e.Column)})
						}
					}
				}
			}
			o = applied
		case *tree.RenameColumn:
			t := a.schema.alter(pgSchema(n.Table.SchemaName, n.Table.ExplicitSchema), string(n.Table.TableName))
			a.schema.renameCol(t, string(n.Name), string(n.NewName), rel, st.line)
			o = applied
		case *tree.RenameTable:
			if n.IsView || n.IsSequence {
				continue
			}
			sch, name := objName(n.Name)
			nsch, nname := objName(n.NewName)
			a.schema.rename(sch, name, nsch, nname)
			o = applied
		case *tree.DropTable:
			for _, tn := range n.Names {
				a.schema.drop(pgSchema(tn.SchemaName, tn.ExplicitSchema), string(tn.TableName))
			}
			o = applied
		case *tree.CommentOnColumn:
			if n.ColumnItem == nil {
				continue
			}
			sch, name := objName(n.ColumnItem.TableName)
			if t, _ := a.schema.find(sch, name); t != nil {
				if col, _ := a.schema.col(t, string(n.ColumnItem.ColumnName)); col != nil {
					col.comment = ""
					if n.Comment != nil {
						col.comment = *n.Comment
					}
				}
			}
			o = applied
		}
	}
	return o
}

// addElements finds the column definitions of ALTER TABLE ... ADD [COLUMN] for their source type text.
func addElements(st stmt, mysql bool) []element {
	toks := tokens(st.text, mysql)
	var out []element
	depth := 0
	for i := 0; i < len(toks); i++ {
		switch toks[i].up {
		case "(":
			depth++
		case ")":
			depth--
		case "ADD":
			if depth != 0 {
				continue
			}
			j := i + 1
			if j < len(toks) && toks[j].up == "COLUMN" {
				j++
			}
			if j+2 < len(toks) && toks[j].up == "IF" && toks[j+1].up == "NOT" && toks[j+2].up == "EXISTS" {
				j += 3
			}
			k, d := j, 0
			for k < len(toks) && !(d == 0 && toks[k].up == ",") {
				if toks[k].up == "(" {
					d++
				} else if toks[k].up == ")" {
					d--
				}
				k++
			}
			if j < k {
				end := len(st.text)
				if k < len(toks) {
					end = toks[k].pos
				}
				out = append(out, newElement(st, toks[j:k], end, mysql))
			}
			i = k - 1
		}
	}
	return out
}

func containsWord(w []string, x string) bool {
	for _, y := range w {
		if y == x {
			return true
		}
	}
	return false
}
