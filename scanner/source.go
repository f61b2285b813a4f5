package scanner

import (
	"context"
	"time"
)

// Source is one place to scan: a folder or file share, a database. It lists cheap units from metadata, then
// samples one unit on demand. Sample may be called from several goroutines at once.
type Source interface {
	Info() SourceInfo
	// Units calls fn for every unit, in a stable order. An error means the listing stopped early.
	Units(ctx context.Context, fn func(Unit) error) error
	// Sample reads one unit and reports what it holds to out: sampled containers and anything it could not
	// read. A returned error means the whole unit could not be read; the pipeline records it as unreadable.
	Sample(ctx context.Context, u Unit, out Sink) error
	Close() error
}

// SourceInfo describes a source for the inventory.
type SourceInfo struct {
	Name     string // as the user named it
	Kind     string // files, postgres, mysql, ...
	Location string // redacted: never a password
}

// Unit is a cheap handle: a file, a table.
type Unit struct {
	Name    string // path relative to the source root, or schema.table
	Size    int64
	ModTime time.Time
}

// Sink receives what a source samples.
type Sink interface {
	Container(c *Container)
	Unreadable(u Unreadable)
}

// Container is a sampled table, sheet or document. Raw values stay inside it and never leave the worker that
// classifies it.
type Container struct {
	Name         string // "finance/rent.xlsx!Payments", "letters/a.txt"
	Unit         string
	Kind         string // "table", "text" or "empty"
	Format       string // csv, xlsx, text, docx, ...
	Columns      []Column
	Text         Value
	RowsTotal    int
	RowsEstimate bool // RowsTotal is the database's estimate, not a count
	RowsSampled  int
	BytesTotal   int64
	BytesSampled int64
	ModTime      time.Time
	Encoding     string
	SampleNote   string // how the sample was drawn, when it is not spread over the whole table
}

// Column is one field of a table with its sampled values.
type Column struct {
	Name    string
	Type    string // the database's type name, when there is one
	Comment string // a database column comment: a name cue for the rules
	Key     bool   // part of the table's primary key
	Values  []Value
}

// Reasons a unit could not be read. They are a public contract: the inventory schema lists them.
const (
	ReasonEncrypted        = "encrypted"
	ReasonCorrupt          = "corrupt"
	ReasonLegacyFormat     = "legacy_format"
	ReasonNeedsOCR         = "needs_ocr"
	ReasonTooLarge         = "too_large"
	ReasonPermissionDenied = "permission_denied"
	ReasonUnknownBinary    = "unknown_binary"
	ReasonUnsupported      = "unsupported_format"
	ReasonArchiveLimit     = "archive_limit"
	ReasonReadError        = "read_error"
	ReasonNotFollowed      = "not_followed"
	ReasonCancelled        = "cancelled"
	ReasonTimeout          = "timeout"         // a query hit the statement timeout
	ReasonConnectionLost   = "connection_lost" // the server went away mid-scan
)

// Unreadable is something the scan could not read, with the reason.
type Unreadable struct {
	Source string `json:"source"`
	Path   string `json:"path"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
	Size   int64  `json:"size"`
}

// Failure reports whether the scan failed to read the item (permissions, I/O errors, interruption), as
// opposed to the item being unreadable by nature (encrypted, legacy format, an image): only failures make a
// source's scan partial.
func (u Unreadable) Failure() bool {
	switch u.Reason {
	case ReasonPermissionDenied, ReasonReadError, ReasonCancelled, ReasonTimeout, ReasonConnectionLost:
		return true
	}
	return false
}
