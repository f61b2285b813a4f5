// Package fileshare scans a folder tree or single files: delimited text, spreadsheets, text documents, docx,
// SQLite databases, and archives opened in place. File types are decided by content. Everything it cannot read is reported with
// a reason; nothing is skipped silently. It never writes to the tree it scans.
package fileshare

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/datamap-uk/datamap/scanner"
	"github.com/datamap-uk/datamap/scanner/archive"
	"github.com/datamap-uk/datamap/scanner/docx"
	"github.com/datamap-uk/datamap/scanner/sheet"
	"github.com/datamap-uk/datamap/scanner/sniff"
	"github.com/datamap-uk/datamap/scanner/sqlite"
)

// Options bound what one file may cost.
type Options struct {
	SampleRows      int   // rows sampled per table, spread over the whole table
	MaxTextBytes    int64 // text read per document
	MaxFileBytes    int64 // larger files are reported too_large, not read
	MaxArchiveDepth int   // archives inside archives, counting the outermost as 1
	Archive         archive.Limits
	Seed            uint64
	// AsOf is the date two-digit years in dates stored as text are read against when counting stale rows
	// (00 to its two-digit year are 20xx): pass the run's --as-of so counts are reproducible. Zero means today.
	AsOf time.Time
}

// Defaults are the limits used when a field of Options is zero.
func Defaults() Options {
	return Options{
		SampleRows:      1000,
		MaxTextBytes:    1 << 20,
		MaxFileBytes:    2 << 30,
		MaxArchiveDepth: 3,
		Archive: archive.Limits{
			MaxMemberBytes: 64 << 20,
			MaxTotalBytes:  1 << 30,
			MaxRatio:       100,
			MaxMembers:     10000,
		},
	}
}

func (o Options) withDefaults() Options {
	d := Defaults()
	if o.SampleRows <= 0 {
		o.SampleRows = d.SampleRows
	}
	if o.MaxTextBytes <= 0 {
		o.MaxTextBytes = d.MaxTextBytes
	}
	if o.MaxFileBytes <= 0 {
		o.MaxFileBytes = d.MaxFileBytes
	}
	if o.MaxArchiveDepth <= 0 {
		o.MaxArchiveDepth = d.MaxArchiveDepth
	}
	if o.Archive == (archive.Limits{}) {
		o.Archive = d.Archive
	}
	return o
}

// Source is a folder tree or a single file.
type Source struct {
	name string
	root string
	file bool
	opt  Options
}

// New returns a source for path, named as the path. A missing path is not an error here: the scan records the
// source as failed.
func New(p string, opt Options) *Source { return NewNamed(p, p, opt) }

// NewNamed returns a source for path with a name of the user's choosing (a [[source]] of datamap.toml).
func NewNamed(name, p string, opt Options) *Source {
	s := &Source{name: name, root: filepath.Clean(p), opt: opt.withDefaults()}
	if fi, err := os.Stat(s.root); err == nil && !fi.IsDir() {
		s.file = true
	}
	return s
}

// Info implements scanner.Source.
func (s *Source) Info() scanner.SourceInfo {
	abs, err := filepath.Abs(s.root)
	if err != nil {
		abs = s.root
	}
	return scanner.SourceInfo{Name: s.name, Kind: "files", Location: filepath.ToSlash(abs)}
}

// Close implements scanner.Source.
func (s *Source) Close() error { return nil }

// Units walks the tree in lexical order. Directories it cannot list and links it will not follow are
// reported through the unit stream as units that Sample turns into unreadable entries.
func (s *Source) Units(ctx context.Context, fn func(scanner.Unit) error) error {
	if _, err := os.Lstat(s.root); err != nil {
		return fmt.Errorf("cannot open %s: %w", s.name, describe(err))
	}
	if s.file {
		fi, err := os.Stat(s.root)
		if err != nil {
			return err
		}
		return fn(scanner.Unit{Name: filepath.Base(s.root), Size: fi.Size(), ModTime: fi.ModTime()})
	}
	return filepath.WalkDir(s.root, func(p string, d fs.DirEntry, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		rel, rerr := filepath.Rel(s.root, p)
		if rerr != nil {
			return rerr
		}
		rel = filepath.ToSlash(rel)
		if err != nil {
			if p == s.root {
				return err
			}
			// A directory we may not list: hand it on so Sample records it.
			if ferr := fn(scanner.Unit{Name: rel + "/"}); ferr != nil {
				return ferr
			}
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		info, ierr := d.Info()
		if ierr != nil {
			return fn(scanner.Unit{Name: rel})
		}
		return fn(scanner.Unit{Name: rel, Size: info.Size(), ModTime: info.ModTime()})
	})
}

// Sample implements scanner.Source.
func (s *Source) Sample(ctx context.Context, u scanner.Unit, out scanner.Sink) error {
	p := s.root
	if !s.file {
		p = filepath.Join(s.root, filepath.FromSlash(strings.TrimSuffix(u.Name, "/")))
	}
	if strings.HasSuffix(u.Name, "/") {
		_, err := os.ReadDir(p)
		out.Unreadable(scanner.Unreadable{Path: u.Name, Reason: reasonFor(err), Detail: "folder could not be listed: " + describe(err).Error()})
		return nil
	}
	fi, err := os.Lstat(p)
	if err != nil {
		out.Unreadable(scanner.Unreadable{Path: u.Name, Reason: reasonFor(err), Detail: describe(err).Error()})
		return nil
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		out.Unreadable(scanner.Unreadable{Path: u.Name, Reason: scanner.ReasonNotFollowed, Detail: "symbolic link not followed"})
		return nil
	}
	if !fi.Mode().IsRegular() {
		out.Unreadable(scanner.Unreadable{Path: u.Name, Reason: scanner.ReasonNotFollowed, Detail: "not a regular file: " + fi.Mode().Type().String()})
		return nil
	}
	if fi.Size() > s.opt.MaxFileBytes {
		out.Unreadable(scanner.Unreadable{Path: u.Name, Reason: scanner.ReasonTooLarge, Size: fi.Size(),
			Detail: fmt.Sprintf("file is %d bytes; the limit is %d", fi.Size(), s.opt.MaxFileBytes)})
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		out.Unreadable(scanner.Unreadable{Path: u.Name, Reason: reasonFor(err), Size: fi.Size(), Detail: describe(err).Error()})
		return nil
	}
	defer f.Close()
	return s.read(ctx, file{name: u.Name, disk: p, ra: f, size: fi.Size(), mod: fi.ModTime()}, 0, out)
}

// file is something to read: a file on disk or an archive member held in memory.
type file struct {
	name string
	disk string // the file's path on disk; empty for an archive member
	ra   io.ReaderAt
	size int64
	mod  time.Time
	// budget is the decompressed bytes of the archive a member came from, shared with the archives inside it so
	// that nesting cannot start MaxTotalBytes again at every level; nil outside archives.
	budget *archive.Budget
}

func (f file) reader() io.Reader { return io.NewSectionReader(f.ra, 0, f.size) }

// read decides what f is by its content and reads it. depth counts the archives f is inside.
func (s *Source) read(ctx context.Context, f file, depth int, out scanner.Sink) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	unreadable := func(reason, detail string) error {
		out.Unreadable(scanner.Unreadable{Path: f.name, Reason: reason, Detail: detail, Size: f.size})
		return nil
	}
	kind, err := sniff.Detect(f.ra, f.size, path.Base(f.name))
	if err != nil {
		return unreadable(scanner.ReasonReadError, "could not read the start of the file: "+describe(err).Error())
	}
	switch kind.Kind {
	case sniff.Empty:
		out.Container(&scanner.Container{Name: f.name, Unit: f.name, Kind: "empty", Format: "empty", ModTime: f.mod})
		return nil
	case sniff.Text:
		return s.readText(f, out)
	case sniff.Delimited:
		t, err := sheet.ReadCSV(f.reader(), s.sheetOptions())
		if err != nil && t == nil {
			return unreadable(scanner.ReasonCorrupt, "delimited text could not be parsed: "+safe(err))
		}
		out.Container(tableContainer(f, f.name, "csv", t))
		if err != nil {
			return unreadable(scanner.ReasonCorrupt, "read stopped part way: "+safe(err))
		}
		return nil
	case sniff.XLSX:
		tables, err := sheet.ReadXLSX(f.ra, f.size, s.sheetOptions())
		if err != nil && len(tables) == 0 {
			return unreadable(scanner.ReasonCorrupt, "workbook could not be opened: "+safe(err))
		}
		for _, t := range tables {
			out.Container(tableContainer(f, f.name+"!"+t.Name, "xlsx", t))
		}
		if err != nil {
			return unreadable(scanner.ReasonCorrupt, "some sheets could not be read: "+safe(err))
		}
		return nil
	case sniff.DOCX:
		text, truncated, err := docx.Text(f.ra, f.size, s.opt.MaxTextBytes)
		if err != nil {
			return unreadable(scanner.ReasonCorrupt, "document could not be read: "+safe(err))
		}
		c := &scanner.Container{Name: f.name, Unit: f.name, Kind: "text", Format: "docx", Text: scanner.NewValue(text),
			BytesTotal: int64(len(text)), BytesSampled: int64(len(text)), ModTime: f.mod}
		if truncated {
			c.BytesTotal = -1 // unknown: we stopped reading
		}
		out.Container(c)
		return nil
	case sniff.SQLite:
		if f.disk == "" {
			return unreadable(scanner.ReasonUnsupported, "SQLite database inside an archive: extract it to scan it")
		}
		err := sqlite.Tables(ctx, f.disk, sqlite.Options{SampleRows: s.opt.SampleRows, Seed: s.opt.Seed}, out, f.name)
		if err != nil && ctx.Err() == nil {
			return unreadable(scanner.ReasonCorrupt, "SQLite database could not be opened: "+safe(err))
		}
		return ctx.Err()
	case sniff.ZIP, sniff.Tar, sniff.Gzip:
		return s.readArchive(ctx, f, string(kind.Kind), depth, out)
	case sniff.PDF:
		hasText, err := sniff.PDFHasText(f.ra, f.size, 16<<20)
		switch {
		case err != nil:
			return unreadable(scanner.ReasonCorrupt, "PDF could not be read: "+safe(err))
		case !hasText:
			return unreadable(scanner.ReasonNeedsOCR, "image-only PDF: needs OCR")
		default:
			return unreadable(scanner.ReasonUnsupported, "PDF text extraction is not supported yet")
		}
	case sniff.Encrypted:
		return unreadable(scanner.ReasonEncrypted, kind.Detail)
	case sniff.Legacy:
		return unreadable(scanner.ReasonLegacyFormat, kind.Detail)
	case sniff.Image:
		return unreadable(scanner.ReasonNeedsOCR, kind.Detail)
	case sniff.Unsupported:
		return unreadable(scanner.ReasonUnsupported, kind.Detail)
	default:
		detail := kind.Detail
		if detail == "" {
			detail = "unrecognised binary content"
			if kind.MIME != "" {
				detail += " (" + kind.MIME + ")"
			}
		}
		return unreadable(scanner.ReasonUnknownBinary, detail)
	}
}

func (s *Source) sheetOptions() sheet.Options {
	return sheet.Options{SampleRows: s.opt.SampleRows, Seed: s.opt.Seed}
}

func (s *Source) readText(f file, out scanner.Sink) error {
	r, enc, err := sheet.Decode(io.LimitReader(f.reader(), s.opt.MaxTextBytes*2+4))
	if err != nil {
		out.Unreadable(scanner.Unreadable{Path: f.name, Reason: scanner.ReasonReadError, Size: f.size, Detail: "text could not be decoded: " + safe(err)})
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(r, s.opt.MaxTextBytes))
	if err != nil {
		out.Unreadable(scanner.Unreadable{Path: f.name, Reason: scanner.ReasonReadError, Size: f.size, Detail: "text could not be read: " + safe(err)})
		return nil
	}
	sampled := int64(len(b))
	if f.size <= s.opt.MaxTextBytes {
		sampled = f.size
	}
	out.Container(&scanner.Container{Name: f.name, Unit: f.name, Kind: "text", Format: "text", Encoding: enc,
		Text: scanner.NewValue(string(b)), BytesTotal: f.size, BytesSampled: sampled, ModTime: f.mod})
	return nil
}

func tableContainer(f file, name, format string, t *sheet.Table) *scanner.Container {
	c := &scanner.Container{Name: name, Unit: f.name, Kind: "table", Format: format, Encoding: t.Encoding,
		RowsTotal: t.TotalRows, RowsSampled: len(t.Rows), BytesTotal: f.size, BytesSampled: f.size, ModTime: f.mod}
	c.Columns = make([]scanner.Column, len(t.Header))
	for i, h := range t.Header {
		vals := make([]scanner.Value, len(t.Rows))
		for j, row := range t.Rows {
			if i < len(row) {
				vals[j] = scanner.NewValue(row[i])
			}
		}
		c.Columns[i] = scanner.Column{Name: h, Values: vals}
	}
	return c
}

func (s *Source) readArchive(ctx context.Context, f file, kind string, depth int, out scanner.Sink) error {
	if depth+1 > s.opt.MaxArchiveDepth {
		out.Unreadable(scanner.Unreadable{Path: f.name, Reason: scanner.ReasonArchiveLimit, Size: f.size,
			Detail: fmt.Sprintf("archive nested deeper than %d levels", s.opt.MaxArchiveDepth)})
		return nil
	}
	budget := f.budget
	if budget == nil {
		budget = new(archive.Budget)
	}
	err := archive.Walk(ctx, f.ra, f.size, kind, s.opt.Archive, budget, func(m archive.Member, open func() (io.Reader, error)) error {
		name := f.name + "!" + m.Path
		if m.Path == "" {
			name = f.name + "!" + strings.TrimSuffix(path.Base(f.name), path.Ext(f.name))
		}
		if m.Encrypted {
			out.Unreadable(scanner.Unreadable{Path: name, Reason: scanner.ReasonEncrypted, Size: m.Size, Detail: "encrypted archive member"})
			return nil
		}
		if m.Skip != "" {
			out.Unreadable(scanner.Unreadable{Path: name, Reason: scanner.ReasonArchiveLimit, Size: m.Size, Detail: m.Skip})
			return nil
		}
		r, err := open()
		if err != nil {
			out.Unreadable(scanner.Unreadable{Path: name, Reason: scanner.ReasonCorrupt, Size: m.Size, Detail: "member could not be opened: " + safe(err)})
			return nil
		}
		// Members are read into memory (bounded by MaxMemberBytes) because spreadsheets and nested archives
		// need random access.
		b, err := io.ReadAll(io.LimitReader(r, s.opt.Archive.MaxMemberBytes+1))
		switch {
		case errors.Is(err, archive.ErrLimit):
			out.Unreadable(scanner.Unreadable{Path: name, Reason: scanner.ReasonArchiveLimit, Size: m.Size, Detail: safe(err)})
			return nil
		case err != nil:
			out.Unreadable(scanner.Unreadable{Path: name, Reason: scanner.ReasonCorrupt, Size: m.Size, Detail: "member could not be read: " + safe(err)})
			return nil
		case int64(len(b)) > s.opt.Archive.MaxMemberBytes:
			out.Unreadable(scanner.Unreadable{Path: name, Reason: scanner.ReasonArchiveLimit, Size: m.Size, Detail: "member exceeds the size limit"})
			return nil
		}
		return s.read(ctx, file{name: name, ra: bytes.NewReader(b), size: int64(len(b)), mod: f.mod, budget: budget}, depth+1, out)
	})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		reason := scanner.ReasonCorrupt
		if errors.Is(err, archive.ErrLimit) {
			reason = scanner.ReasonArchiveLimit
		}
		out.Unreadable(scanner.Unreadable{Path: f.name, Reason: reason, Size: f.size, Detail: "archive could not be read to the end: " + safe(err)})
	}
	return nil
}

// safe describes a reader's error for the inventory without quoting the file: parsers put what they choke on
// in their messages (encoding/xml quotes the entity after a stray '&', excelize the cell it could not place,
// strconv the attribute). XML errors keep only their line; any message that quotes something is replaced.
func safe(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("malformed XML at line %d", se.Line)
	}
	var ne *strconv.NumError
	if errors.As(err, &ne) {
		return "a number or cell reference could not be parsed"
	}
	msg := describe(err).Error()
	if strings.ContainsAny(msg, "\"'`&«»“”‘’") {
		return "the file's structure could not be read (the parser's message is not shown because it may quote the file)"
	}
	return msg
}

func reasonFor(err error) string {
	if errors.Is(err, fs.ErrPermission) {
		return scanner.ReasonPermissionDenied
	}
	return scanner.ReasonReadError
}

// describe strips the path from an *fs.PathError: the inventory already names the path.
func describe(err error) error {
	if err == nil {
		return errors.New("unknown error")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
