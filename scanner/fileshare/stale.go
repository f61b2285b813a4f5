package fileshare

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/datamap-uk/datamap/scanner"
	"github.com/datamap-uk/datamap/scanner/sheet"
	"github.com/datamap-uk/datamap/scanner/sniff"
	"github.com/datamap-uk/datamap/scanner/sqlite"
)

var _ scanner.StaleCounter = (*Source)(nil)

// ErrInArchive reports a container inside an archive: its rows are not counted (the member would have to be
// unpacked again for every rule). The caller records the container as not assessed.
var ErrInArchive = errors.New("not counted inside archives")

// ErrNotCountable reports a container that is not a table or folder this source can count: a document, a
// SQLite database, a file that has gone, or a name that is not one of the source's containers.
var ErrNotCountable = errors.New("not a countable container")

// CountStale implements scanner.StaleCounter for tables: the container is a table as Sample names it
// ("rents.csv", "book.xlsx!Sheet", "crm.db!tenants") and every row of the file on disk is read in one
// streaming pass (see sheet.CountCSV and sheet.CountXLSX), or counted by the SQLite counter; the method is
// exact. Containers inside archives return ErrInArchive. Folders are judged by the scanner itself, from the
// modification times in the listing.
func (s *Source) CountStale(ctx context.Context, q scanner.StaleQuery) (scanner.StaleCount, error) {
	if len(q.Conditions) == 0 {
		return scanner.StaleCount{}, fmt.Errorf("count: %w (folders are judged from the listing)", ErrNotCountable)
	}
	return s.countTable(ctx, q)
}

// diskPath maps a relative name to a path under the root, refusing names that would leave it.
func (s *Source) diskPath(rel string) (string, error) {
	if s.file {
		if rel != "" && rel != filepath.Base(s.root) {
			return "", ErrNotCountable
		}
		return s.root, nil
	}
	if rel == "" {
		return s.root, nil
	}
	if !filepath.IsLocal(filepath.FromSlash(rel)) {
		return "", ErrNotCountable
	}
	return filepath.Join(s.root, filepath.FromSlash(rel)), nil
}

func (s *Source) countTable(ctx context.Context, q scanner.StaleQuery) (scanner.StaleCount, error) {
	p, err := s.diskPath(q.Unit)
	if err != nil {
		return scanner.StaleCount{}, fmt.Errorf("count table: %w", err)
	}
	fi, err := os.Lstat(p)
	if err != nil {
		// Sample names an archive member's unit "a.zip!x.csv"; the file on disk is a.zip.
		if outer, _, ok := strings.Cut(q.Unit, "!"); ok && errors.Is(err, fs.ErrNotExist) {
			if op, perr := s.diskPath(outer); perr == nil {
				if _, serr := os.Lstat(op); serr == nil {
					return scanner.StaleCount{}, ErrInArchive
				}
			}
		}
		return scanner.StaleCount{}, fmt.Errorf("count table: %w", describe(err))
	}
	if !fi.Mode().IsRegular() {
		return scanner.StaleCount{}, fmt.Errorf("count table: %w", ErrNotCountable)
	}
	f, err := os.Open(p)
	if err != nil {
		return scanner.StaleCount{}, fmt.Errorf("count table: %w", describe(err))
	}
	defer f.Close()
	kind, err := sniff.Detect(f, fi.Size(), path.Base(q.Unit))
	if err != nil {
		return scanner.StaleCount{}, fmt.Errorf("count table: %w", describe(err))
	}
	opt := sheet.CountOptions{AsOf: s.opt.AsOf}
	for _, c := range q.Conditions {
		opt.Conditions = append(opt.Conditions, sheet.DateCondition{Column: c.Field, Cutoff: c.Cutoff})
	}
	if q.Hold != nil {
		opt.HoldColumn, opt.HoldValues = q.Hold.Field, q.Hold.Values
	}
	var res sheet.CountResult
	switch kind.Kind {
	case sniff.Delimited:
		if q.Container != q.Unit {
			return scanner.StaleCount{}, fmt.Errorf("count table: %w", ErrNotCountable)
		}
		res, err = sheet.CountCSV(ctx, io.NewSectionReader(f, 0, fi.Size()), opt)
	case sniff.XLSX:
		name, ok := strings.CutPrefix(q.Container, q.Unit+"!")
		if !ok {
			return scanner.StaleCount{}, fmt.Errorf("count table: %w", ErrNotCountable)
		}
		res, err = sheet.CountXLSX(ctx, f, fi.Size(), name, opt)
	case sniff.ZIP, sniff.Tar, sniff.Gzip:
		return scanner.StaleCount{}, ErrInArchive
	case sniff.SQLite:
		// A database in the share: its own counter pushes the count down, as for a database source.
		return sqlite.CountTable(ctx, p, sqlite.Options{}, q, q.Unit)
	default:
		return scanner.StaleCount{}, fmt.Errorf("count table: %w", ErrNotCountable)
	}
	if err != nil {
		if ctx.Err() != nil {
			return scanner.StaleCount{}, ctx.Err()
		}
		if errors.Is(err, sheet.ErrColumnNotFound) {
			return scanner.StaleCount{}, fmt.Errorf("count table: %w", err) // names the condition by position only
		}
		// Parsers quote what they choke on; safe keeps the file's contents out of the message.
		return scanner.StaleCount{}, fmt.Errorf("count table: %w", errors.New(safe(err)))
	}
	return tableCount(res), nil
}

func tableCount(res sheet.CountResult) scanner.StaleCount {
	c := scanner.StaleCount{Stale: res.Stale, Total: res.Total, Missing: res.Missing, Method: scanner.MethodExact}
	if !res.Oldest.IsZero() {
		o := res.Oldest
		c.Oldest = &o
	}
	c.Note = scanner.CountNote{Unreadable: res.Unreadable, Skipped: res.Skipped, Held: res.Held}.String()
	return c
}
