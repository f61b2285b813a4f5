package scanner

import "time"

// Defaults for database sources: what one table's sample and one source may cost.
const (
	DefaultTableSample      = 10000
	DefaultStatementTimeout = 30 * time.Second
	DefaultMaxConns         = 2
)

// DBOptions bound what a scan of one database may cost. Every database connector takes them.
type DBOptions struct {
	SampleRows       int           // rows sampled per table (default DefaultTableSample)
	Include, Exclude []string      // globs over "schema.table" (path.Match syntax); empty Include = all
	StatementTimeout time.Duration // longest any query may run (default DefaultStatementTimeout)
	MaxConns         int           // concurrent queries against the database (default DefaultMaxConns)
	Seed             uint64        // makes sampling reproducible
}

// WithDefaults fills what is unset, and checks the include and exclude globs.
func (o DBOptions) WithDefaults() (DBOptions, error) {
	if o.SampleRows <= 0 {
		o.SampleRows = DefaultTableSample
	}
	if o.StatementTimeout <= 0 {
		o.StatementTimeout = DefaultStatementTimeout
	}
	if o.MaxConns <= 0 {
		o.MaxConns = DefaultMaxConns
	}
	return o, (Selection{Include: o.Include, Exclude: o.Exclude}).Check()
}

// Selected reports whether the include and exclude globs select a unit ("schema.table").
func (o DBOptions) Selected(name string) bool {
	return Selection{Include: o.Include, Exclude: o.Exclude}.Selected(name)
}
