package gen

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// meta is the ground truth about one column or document: exactly what labels.json records for it.
type meta struct {
	personal bool
	types    []string
	special  []string
	criminal bool
	decoy    bool
	note     string
}

// plain is a column that holds no personal data.
func plain(note string) meta { return meta{note: note} }

// pd is a personal column holding the given data types (data_type values of rules/pack/personal.toml).
func pd(types ...string) meta { return meta{personal: true, types: types} }

// decoy is a column built to look personal or special to a naive scanner while holding neither.
func decoy(note string) meta { return meta{decoy: true, note: note} }

func (m meta) sc(cats ...string) meta {
	m.personal = true
	m.special = append(append([]string(nil), m.special...), cats...)
	return m
}

func (m meta) crim() meta {
	m.personal = true
	m.criminal = true
	return m
}

func (m meta) why(note string) meta {
	m.note = note
	return m
}

// Special-category classes, as the inventory spells them.
const (
	scEthnic   = "racial_ethnic_origin"
	scReligion = "religious_beliefs"
	scUnion    = "trade_union"
	scHealth   = "health"
	scSexOr    = "sexual_orientation"
)

// table is one sheet or delimited file. Cells are strings, time.Time (dates) or numbers.
type table struct {
	header []string
	metas  []meta
	rows   [][]any
	// dateLayout formats time.Time cells in delimited text; xlsx stores them as Excel dates.
	dateLayout string
	// titles are rows above the header in a sheet, each merged across the table's width.
	titles []string
}

func (t *table) col(name string, m meta) {
	t.header = append(t.header, name)
	t.metas = append(t.metas, m)
}

func (t *table) add(cells ...any) {
	if len(cells) != len(t.header) {
		panic(fmt.Sprintf("gen: row has %d cells, table has %d columns", len(cells), len(t.header)))
	}
	t.rows = append(t.rows, cells)
}

func (t *table) cellText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case time.Time:
		layout := t.dateLayout
		if layout == "" {
			layout = "02/01/2006"
		}
		return x.Format(layout)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
	panic(fmt.Sprintf("gen: unexpected cell type %T", v))
}

// Text encodings for delimited files.
const (
	encUTF8 = iota
	encUTF16LE
	enc1252
)

type delimited struct {
	comma rune
	crlf  bool
	enc   int
}

func (t *table) delimited(d delimited) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = d.comma
	w.UseCRLF = d.crlf
	_ = w.Write(t.header)
	for _, row := range t.rows {
		rec := make([]string, len(row))
		for i, c := range row {
			rec[i] = t.cellText(c)
		}
		_ = w.Write(rec)
	}
	w.Flush()
	switch d.enc {
	case encUTF16LE:
		u := utf16.Encode([]rune(buf.String()))
		out := make([]byte, 2, 2+2*len(u))
		out[0], out[1] = 0xFF, 0xFE
		for _, c := range u {
			out = append(out, byte(c), byte(c>>8))
		}
		return out
	case enc1252:
		b, err := charmap.Windows1252.NewEncoder().Bytes(buf.Bytes())
		if err != nil {
			panic("gen: text not representable in Windows-1252: " + err.Error())
		}
		return b
	}
	return buf.Bytes()
}

func (t *table) csv() []byte { return t.delimited(delimited{comma: ','}) }

type sheet struct {
	name string
	t    *table
}

// fixedDocTime keeps docProps/core.xml identical from run to run.
const fixedDocTime = "2024-03-01T09:00:00Z"

// workbook writes an xlsx with excelize. Title rows are merged across the table, dates are date-formatted
// serials, and long digit strings (cards, accounts) are text cells as exports write them.
func workbook(sheets ...sheet) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "Northmoor Homes", LastModifiedBy: "Northmoor Homes",
		Created: fixedDocTime, Modified: fixedDocTime, Title: "Northmoor Homes export"}); err != nil {
		return nil, fmt.Errorf("doc props: %w", err)
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return nil, err
	}
	titleStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return nil, err
	}
	moneyFmt := "£#,##0.00"
	moneyStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &moneyFmt})
	if err != nil {
		return nil, err
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return nil, err
		}
		t := s.t
		last, _ := excelize.ColumnNumberToName(len(t.header))
		row := 1
		for _, title := range t.titles {
			a := "A" + strconv.Itoa(row)
			if err := f.SetCellStr(s.name, a, title); err != nil {
				return nil, err
			}
			if err := f.MergeCell(s.name, a, last+strconv.Itoa(row)); err != nil {
				return nil, err
			}
			if err := f.SetCellStyle(s.name, a, a, titleStyle); err != nil {
				return nil, err
			}
			row++
		}
		if len(t.titles) > 0 {
			row++ // a blank row between the title block and the header, as reports have
		}
		for c, h := range t.header {
			cell, _ := excelize.CoordinatesToCellName(c+1, row)
			if err := f.SetCellStr(s.name, cell, h); err != nil {
				return nil, err
			}
		}
		for _, r := range t.rows {
			row++
			for c, v := range r {
				cell, _ := excelize.CoordinatesToCellName(c+1, row)
				switch x := v.(type) {
				case string:
					err = f.SetCellStr(s.name, cell, x)
				case time.Time:
					if err = f.SetCellValue(s.name, cell, x); err == nil {
						err = f.SetCellStyle(s.name, cell, cell, dateStyle)
					}
				case int:
					err = f.SetCellInt(s.name, cell, int64(x))
				case float64:
					if err = f.SetCellFloat(s.name, cell, x, 2, 64); err == nil {
						err = f.SetCellStyle(s.name, cell, cell, moneyStyle)
					}
				default:
					err = fmt.Errorf("unexpected cell type %T", v)
				}
				if err != nil {
					return nil, err
				}
			}
		}
	}
	f.SetActiveSheet(0)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
