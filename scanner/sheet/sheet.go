// Package sheet reads delimited text and xlsx workbooks as sampled tables for the file-share connector.
//
// Every reader streams: a table is read once, top to bottom, and only a bounded reservoir of rows is kept, so a
// 200 MB export costs the same memory as a small one while the sample still spans the whole sheet (a register
// sorted by surname or by date would otherwise be judged by its first page alone). Headers are found under title
// rows, merged cells are spread over the cells they cover, and Excel dates come out as ISO 8601 so the detectors
// see dates rather than serial numbers.
package sheet

import "errors"

// Table is one sampled sheet or delimited file. Cells are strings.
type Table struct {
	Name      string     // sheet name; "" for CSV
	Header    []string   // column names: trimmed header cells; blank -> "column_N" (N = 1-based column index); duplicates -> "name_2", "name_3"
	HeaderRow int        // 1-based row number of the header row in the file/sheet; 0 if the table has no header (then Header is column_1..column_N and every row is data)
	Rows      [][]string // sampled data rows, each exactly len(Header) cells (padded with "" / extra cells dropped), in file order
	TotalRows int        // every non-blank data row below the header, counted while streaming
	Encoding  string     // CSV: "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252"; xlsx: ""
	Delimiter rune       // CSV only
}

// Options bound what one table may cost. Zero values mean the defaults.
type Options struct {
	SampleRows   int    // rows kept per table (reservoir size); <=0 means 1000
	MaxCellBytes int    // longer cells are cut at a rune boundary; <=0 means 4096
	MaxColumns   int    // columns beyond are ignored; <=0 means 1024
	Seed         uint64 // reservoir PRNG seed (math/rand/v2 PCG) so samples are reproducible
}

// ErrNotTable reports content that cannot be read as a table at all, such as binary data handed to ReadCSV.
var ErrNotTable = errors.New("not a table")

const (
	defaultSampleRows   = 1000
	defaultMaxCellBytes = 4096
	defaultMaxColumns   = 1024
)

func (o Options) withDefaults() Options {
	if o.SampleRows <= 0 {
		o.SampleRows = defaultSampleRows
	}
	if o.MaxCellBytes <= 0 {
		o.MaxCellBytes = defaultMaxCellBytes
	}
	if o.MaxColumns <= 0 {
		o.MaxColumns = defaultMaxColumns
	}
	return o
}
