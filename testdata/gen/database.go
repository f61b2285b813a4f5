package gen

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // pure Go: the generator builds without cgo
)

// dbTable is one table of an SQLite file: the shared table definition (header, labels, rows) plus the SQL
// type of each column.
type dbTable struct {
	name  string
	t     *table
	types []string
}

func (d *dbTable) col(name, sqlType string, m meta) {
	d.t.col(name, m)
	d.types = append(d.types, sqlType)
}

// dbView is a view over the tables: its columns are labelled like a table's.
type dbView struct {
	name   string
	t      *table // header and labels only
	source string // the SELECT the view runs
}

// quoteID quotes an SQLite identifier.
func quoteID(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// sqliteFile writes tables and views to a fresh SQLite database and returns its bytes. The same statements
// in the same order give the same file: a fixed page size, no journal, rows inserted in slice order, dates
// stored as ISO text, and a final VACUUM that lays the pages out afresh.
func sqliteFile(tables []*dbTable, views []*dbView) ([]byte, error) {
	dir, err := os.MkdirTemp("", "gen-sqlite-")
	if err != nil {
		return nil, fmt.Errorf("temporary folder: %w", err)
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "db.sqlite")
	db, err := sql.Open("sqlite", p)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	exec := func(q string, args ...any) error {
		if _, err := db.Exec(q, args...); err != nil {
			return fmt.Errorf("%.40s: %w", q, err)
		}
		return nil
	}
	for _, q := range []string{"PRAGMA page_size = 4096", "PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF"} {
		if err := exec(q); err != nil {
			return nil, err
		}
	}
	for _, d := range tables {
		cols := make([]string, len(d.t.header))
		marks := make([]string, len(d.t.header))
		for i, h := range d.t.header {
			cols[i] = quoteID(h) + " " + d.types[i]
			marks[i] = "?"
		}
		if err := exec(fmt.Sprintf("CREATE TABLE %s (%s)", quoteID(d.name), strings.Join(cols, ", "))); err != nil {
			return nil, err
		}
		tx, err := db.Begin()
		if err != nil {
			return nil, err
		}
		ins, err := tx.Prepare(fmt.Sprintf("INSERT INTO %s VALUES (%s)", quoteID(d.name), strings.Join(marks, ", ")))
		if err != nil {
			tx.Rollback()
			return nil, err
		}
		for _, row := range d.t.rows {
			args := make([]any, len(row))
			for i, c := range row {
				switch x := c.(type) {
				case time.Time:
					args[i] = x.Format("2006-01-02")
				case nil:
					args[i] = nil
				default:
					args[i] = x
				}
			}
			if _, err := ins.Exec(args...); err != nil {
				tx.Rollback()
				return nil, fmt.Errorf("insert into %s: %w", d.name, err)
			}
		}
		ins.Close()
		if err := tx.Commit(); err != nil {
			return nil, err
		}
	}
	for _, v := range views {
		if err := exec(fmt.Sprintf("CREATE VIEW %s AS %s", quoteID(v.name), v.source)); err != nil {
			return nil, err
		}
	}
	if err := exec("VACUUM"); err != nil {
		return nil, err
	}
	if err := db.Close(); err != nil {
		return nil, err
	}
	return os.ReadFile(p)
}

// crmDatabase writes crm/housing_crm.db: the CRM's own database, as a small SQLite file. The same tenants as
// crm/tenants.csv, their support needs (health), anti-social behaviour cases (criminal allegations) and a
// property table that holds no personal data.
func (e *estate) crmDatabase() error {
	const file = "crm/housing_crm.db"
	g := e.rng(file)

	tenants := &dbTable{name: "tenants", t: &table{}}
	tenants.col("id", "INTEGER PRIMARY KEY", plain("internal key"))
	tenants.col("tenant_ref", "TEXT NOT NULL", pd("tenancy_reference").why("a tenant's reference: an identifier of a person"))
	tenants.col("full_name", "TEXT", pd(dtName))
	tenants.col("dob", "DATE", pd(dtDOB))
	tenants.col("nino", "TEXT", pd(dtNINO))
	tenants.col("email", "TEXT", pd(dtEmail))
	tenants.col("phone", "TEXT", pd(dtPhone))
	tenants.col("postcode", "TEXT", pd(dtPostcode))
	tenants.col("ethnicity", "TEXT", meta{}.sc(scEthnic).why("ONS 2021 ethnic group answers"))
	tenants.col("religion", "TEXT", meta{}.sc(scReligion).why("ONS 2021 religion answers"))
	const nTenants = 80
	for i, p := range e.people[:nTenants] {
		tenants.t.add(i+1, fmt.Sprintf("T%06d", 4000+i), p.name(), p.dob, p.nino, p.email, p.mobile, p.postcode,
			pick(g, ethnicGroups), pick(g, religions))
	}

	needs := &dbTable{name: "support_needs", t: &table{}}
	needs.col("id", "INTEGER PRIMARY KEY", plain("internal key"))
	needs.col("tenant_id", "TEXT", pd("tenancy_reference").why("the tenant's reference"))
	needs.col("need", "TEXT", meta{}.sc(scHealth).why("a named tenant's disability or condition"))
	needs.col("notes", "TEXT", meta{}.sc(scHealth).why("health detail of a named tenant"))
	needs.col("recorded", "DATE", plain("record date"))
	needList := []string{"Mobility", "Mental health", "Hearing impairment", "Visual impairment", "Learning disability",
		"Long-term condition", "Substance misuse"}
	needNotes := []string{
		"Uses a wheelchair; needs a level-access shower and a ground-floor flat.",
		"Diagnosed with schizophrenia; CPN visits fortnightly, prompt for depot injection.",
		"Deaf, BSL user: book an interpreter for every visit.",
		"Registered blind; letters in large print or audio.",
		"Type 1 diabetes; insulin kept in the fridge, power cut is an emergency.",
		"In recovery from alcohol dependency; attends a weekly support group.",
		"Severe COPD, on home oxygen: no smoking signage at the door.",
		"Depression and anxiety after bereavement; GP has prescribed sertraline.",
	}
	for i := range 70 {
		needs.t.add(i+1, fmt.Sprintf("T%06d", 4000+g.r.IntN(nTenants)), pick(g, needList), pick(g, needNotes),
			day(d2023, g.r.IntN(420)))
	}

	asb := &dbTable{name: "asb_cases", t: &table{}}
	asb.col("case_ref", "TEXT PRIMARY KEY", pd("asb").why("reference of an ASB case about named people"))
	asb.col("tenant_id", "TEXT", pd("tenancy_reference").why("the tenant the case is about"))
	asb.col("opened", "DATE", plain("case date"))
	asb.col("category", "TEXT", meta{}.crim().why("several categories are alleged offences"))
	asb.col("notes", "TEXT", pd(dtName).crim().why("arrests, cautions, convictions and police involvement, with names"))
	cats := []string{"Drug dealing", "Criminal damage", "Harassment", "Assault", "Noise nuisance"}
	for i := range 40 {
		n := g.r.IntN(nTenants)
		p := e.people[n]
		var note string
		switch g.r.IntN(4) {
		case 0:
			note = fmt.Sprintf("%s %s was arrested after a disturbance; police crime reference 13/%06d/24. Received a caution.",
				p.first, p.surname, g.r.IntN(1000000))
		case 1:
			note = fmt.Sprintf("Neighbour reports %s %s was convicted of criminal damage and is on probation.", p.first, p.surname)
		case 2:
			note = fmt.Sprintf("Suspected drug dealing from %s's flat; police executed a warrant, closure order applied for.", p.surname)
		default:
			note = fmt.Sprintf("Loud music reported; %s %s signed an acceptable behaviour contract.", p.title, p.surname)
		}
		asb.t.add(fmt.Sprintf("ASB-DB-%04d", 100+i), fmt.Sprintf("T%06d", 4000+n), day(d2023, g.r.IntN(420)),
			pick(g, cats), note)
	}

	props := &dbTable{name: "properties", t: &table{}}
	props.col("property_ref", "TEXT PRIMARY KEY", plain("property key"))
	props.col("uprn", "TEXT", plain("property identifier"))
	props.col("block", "TEXT", decoy("block names such as Elm Court, Manor Court"))
	props.col("postcode", "TEXT", decoy("postcode of a block of flats, not of a person"))
	props.col("bedrooms", "INTEGER", plain("count"))
	for i := range 40 {
		name, _, pc := e.blockAddr(i)
		props.t.add(fmt.Sprintf("PRP%04d", 1000+i), "7200"+g.digits(8), name, pc, 1+g.r.IntN(4))
	}

	contacts := &dbView{name: "v_tenant_contacts", t: &table{},
		source: "SELECT tenant_ref, full_name, email, phone FROM tenants ORDER BY full_name"}
	contacts.t.col("tenant_ref", pd("tenancy_reference").why("a tenant's reference"))
	contacts.t.col("full_name", pd(dtName))
	contacts.t.col("email", pd(dtEmail))
	contacts.t.col("phone", pd(dtPhone))

	tables := []*dbTable{tenants, needs, asb, props}
	views := []*dbView{contacts}
	b, err := sqliteFile(tables, views)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	e.add(file, b)
	for _, d := range tables {
		e.labelTable(inside(file, d.name), d.t)
	}
	for _, v := range views {
		e.labelTable(inside(file, v.name), v.t)
	}
	return nil
}
