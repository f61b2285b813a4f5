package ddl

import "strings"

// column is a column of the schema being built, with where it was last added or renamed.
type column struct {
	name, typ, comment string
	key                bool
	file               string
	line               int
}

type table struct {
	schema, name string
	cols         []*column
}

// schema is the state the migrations build, statement by statement.
type schema struct {
	fold      bool // MySQL: names match case-insensitively
	defSchema string
	tables    []*table
}

func (s *schema) same(a, b string) bool {
	if s.fold {
		return strings.EqualFold(a, b)
	}
	return a == b
}

func (s *schema) qualify(sch string) string {
	if sch == "" {
		return s.defSchema
	}
	return sch
}

func (s *schema) find(sch, name string) (*table, int) {
	sch = s.qualify(sch)
	for i, t := range s.tables {
		if s.same(t.schema, sch) && s.same(t.name, name) {
			return t, i
		}
	}
	return nil, -1
}

// create starts a table afresh: CREATE TABLE after a DROP, or over a table the dump recreates.
func (s *schema) create(sch, name string) *table {
	s.drop(sch, name)
	t := &table{schema: s.qualify(sch), name: name}
	s.tables = append(s.tables, t)
	return t
}

// alter returns the table an ALTER names, creating it when the migrations never did: a column added to a
// table made elsewhere is still a column the DPO should hear about.
func (s *schema) alter(sch, name string) *table {
	if t, _ := s.find(sch, name); t != nil {
		return t
	}
	t := &table{schema: s.qualify(sch), name: name}
	s.tables = append(s.tables, t)
	return t
}

func (s *schema) drop(sch, name string) {
	if _, i := s.find(sch, name); i >= 0 {
		s.tables = append(s.tables[:i], s.tables[i+1:]...)
	}
}

func (s *schema) rename(sch, name, newSch, newName string) {
	t, _ := s.find(sch, name)
	if t == nil {
		return
	}
	s.drop(newSch, newName)
	if newSch != "" {
		t.schema = newSch
	}
	t.name = newName
}

func (s *schema) col(t *table, name string) (*column, int) {
	for i, c := range t.cols {
		if s.same(c.name, name) {
			return c, i
		}
	}
	return nil, -1
}

// add adds a column, replacing one of the same name (ADD COLUMN IF NOT EXISTS, a repeated dump).
func (s *schema) add(t *table, c *column) {
	if _, i := s.col(t, c.name); i >= 0 {
		t.cols[i] = c
		return
	}
	t.cols = append(t.cols, c)
}

func (s *schema) dropCol(t *table, name string) {
	if _, i := s.col(t, name); i >= 0 {
		t.cols = append(t.cols[:i], t.cols[i+1:]...)
	}
}

func (s *schema) renameCol(t *table, old, name, file string, line int) {
	if c, _ := s.col(t, old); c != nil {
		s.dropCol(t, name)
		c.name, c.file, c.line = name, file, line
	}
}

func (s *schema) setKey(t *table, names []string) {
	for _, n := range names {
		if c, _ := s.col(t, n); c != nil {
			c.key = true
		}
	}
}

func (t *table) unit() string {
	if t.schema == "" {
		return t.name
	}
	return t.schema + "." + t.name
}
