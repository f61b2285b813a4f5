package ddl

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

func myType(ct *sqlparser.ColumnType) string {
	if ct == nil {
		return ""
	}
	return strings.ToLower(ct.Type)
}

func myComment(ct *sqlparser.ColumnType) string {
	if ct == nil || ct.Options == nil || ct.Options.Comment == nil {
		return ""
	}
	return ct.Options.Comment.Val
}

func myKey(ct *sqlparser.ColumnType) bool {
	return ct != nil && ct.Options != nil && ct.Options.KeyOpt == sqlparser.ColKeyPrimary
}

func myColumn(d *sqlparser.ColumnDefinition) colDef {
	return colDef{name: d.Name.String(), typ: myType(d.Type), comment: myComment(d.Type), key: myKey(d.Type)}
}

func myPrimary(ix *sqlparser.IndexDefinition) []string {
	if ix == nil || ix.Info == nil || ix.Info.Type != sqlparser.IndexTypePrimary {
		return nil
	}
	var out []string
	for _, c := range ix.Columns {
		out = append(out, c.Column.String())
	}
	return out
}

func (a *applier) myCreate(text string) (created, error) {
	s, err := a.my.ParseStrictDDL(text)
	if err != nil {
		return created{}, err
	}
	n, ok := s.(*sqlparser.CreateTable)
	if !ok {
		return created{}, errNotCreate
	}
	c := created{sch: n.Table.Qualifier.String(), name: n.Table.Name.String(), as: n.Select != nil}
	if n.OptLike != nil {
		c.like = []string{n.OptLike.LikeTable.Qualifier.String(), n.OptLike.LikeTable.Name.String()}
	}
	if n.TableSpec != nil {
		for _, d := range n.TableSpec.Columns {
			c.cols = append(c.cols, myColumn(d))
		}
		for _, ix := range n.TableSpec.Indexes {
			c.pk = append(c.pk, myPrimary(ix)...)
		}
	}
	return c, nil
}

func (a *applier) applyMySQL(rel string, st stmt) outcome {
	s, err := a.my.ParseStrictDDL(st.text)
	if err != nil {
		if w := words(st.text); len(w) > 1 && w[0] == "CREATE" && containsWord(w[:min(len(w), 4)], "TABLE") {
			return a.createTable(rel, st, a.myCreate)
		}
		return rejected
	}
	switch n := s.(type) {
	case *sqlparser.CreateTable:
		return a.createTable(rel, st, a.myCreate)
	case *sqlparser.AlterTable:
		t := a.schema.alter(n.Table.Qualifier.String(), n.Table.Name.String())
		els := addElements(st, true)
		for _, opt := range n.AlterOptions {
			switch o := opt.(type) {
			case *sqlparser.AddColumns:
				for _, d := range o.Columns {
					a.addColumn(t, myColumn(d), rel, st.line, els)
				}
			case *sqlparser.DropColumn:
				a.schema.dropCol(t, o.Name.Name.String())
			case *sqlparser.RenameColumn:
				a.schema.renameCol(t, o.OldName.Name.String(), o.NewName.Name.String(), rel, st.line)
			case *sqlparser.ChangeColumn:
				old := o.OldColumn.Name.String()
				d := myColumn(o.NewColDefinition)
				if col, _ := a.schema.col(t, old); col != nil {
					if !a.schema.same(old, d.name) {
						a.schema.renameCol(t, old, d.name, rel, st.line)
					}
					col.typ, col.comment = d.typ, d.comment
				} else {
					a.addColumn(t, d, rel, st.line, nil)
				}
			case *sqlparser.ModifyColumn:
				d := myColumn(o.NewColDefinition)
				if col, _ := a.schema.col(t, d.name); col != nil {
					col.typ, col.comment = d.typ, d.comment
				}
			case *sqlparser.AddIndexDefinition:
				a.schema.setKey(t, myPrimary(o.IndexDefinition))
			case *sqlparser.RenameTableName:
				a.schema.rename(n.Table.Qualifier.String(), n.Table.Name.String(), o.Table.Qualifier.String(), o.Table.Name.String())
			}
		}
		return applied
	case *sqlparser.RenameTable:
		for _, p := range n.TablePairs {
			a.schema.rename(p.FromTable.Qualifier.String(), p.FromTable.Name.String(), p.ToTable.Qualifier.String(), p.ToTable.Name.String())
		}
		return applied
	case *sqlparser.DropTable:
		for _, tn := range n.FromTables {
			a.schema.drop(tn.Qualifier.String(), tn.Name.String())
		}
		return applied
	case *sqlparser.Use:
		if db := n.DBName.String(); db != "" {
			a.schema.defSchema = db
		}
		return applied
	}
	return ignored
}
