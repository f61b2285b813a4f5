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
	"time"

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

// mtimeNote tells the DPO what a folder count means: a file's modification time is when it was last saved, not
// when the record it holds was closed.
const mtimeNote = "judged by file modification time"

// CountStale implements scanner.StaleCounter.
//
// With conditions, the container is a table as Sample names it ("rents.csv", "book.xlsx!Sheet") and every row
// of the file on disk is read in one streaming pass (see sheet.CountCSV and sheet.CountXLSX); the method is
// exact. Containers inside archives return ErrInArchive.
//
// Without conditions, the container is a folder relative to the root ("letters/", or "" for the root) or a
// single file, and the regular files under it, at any depth, are stale when their modification time falls on
// a UTC calendar day before Cutoff's. Links are not followed.
func (s *Source) CountStale(ctx context.Context, q scanner.StaleQuery) (scanner.StaleCount, error) {
	if len(q.Conditions) == 0 {
		return s.countByMtime(ctx, q.Container, q.Cutoff, q.Exclude)
	}
	return s.countTable(ctx, q)
}

// mtimeTally accumulates the files of one count by modification time.
type mtimeTally struct {
	stale, total int64
	oldest       time.Time
	unlisted     int64 // folders that could not be listed
	links        int64 // links and other non-regular files not followed
}

func (t *mtimeTally) count() scanner.StaleCount {
	c := scanner.StaleCount{Stale: t.stale, Total: t.total, Method: scanner.MethodMtime, Note: mtimeNote}
	if t.stale > 0 {
		o := t.oldest
		c.Oldest = &o
	}
	if t.unlisted > 0 {
		c.Note += "; " + scanner.Plural(t.unlisted, "folder", "folders") + " could not be listed"
	}
	if t.links > 0 {
		c.Note += "; " + scanner.Plural(t.links, "link or special file", "links or special files") + " not followed"
	}
	return c
}

func (t *mtimeTally) addFile(day, cutoff time.Time) {
	t.total++
	if day.Before(cutoff) {
		t.stale++
		if t.oldest.IsZero() || day.Before(t.oldest) {
			t.oldest = day
		}
	}
}

func (s *Source) countByMtime(ctx context.Context, container string, cutoff time.Time, exclude []string) (scanner.StaleCount, error) {
	cut := utcDate(cutoff)
	if s.file || (container != "" && !strings.HasSuffix(container, "/")) {
		p, err := s.diskPath(container)
		if err != nil {
			return scanner.StaleCount{}, err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return scanner.StaleCount{}, fmt.Errorf("count file: %w", describe(err))
		}
		var t mtimeTally
		if fi.Mode().IsRegular() {
			t.addFile(utcDate(fi.ModTime()), cut)
		} else {
			t.links++
		}
		return t.count(), nil
	}
	t, err := s.walkFiles(ctx, container, cut, exclude)
	if err != nil {
		return scanner.StaleCount{}, err
	}
	c := t.count()
	if len(exclude) > 0 {
		c.Note += "; files whose records were counted row by row, and subfolders under another rule, are left out"
	}
	return c, nil
}

// excluded reports a file or folder (relative, folders ending in "/") that a count leaves out.
func excluded(rel string, exclude []string) bool {
	for _, x := range exclude {
		if rel == x || (strings.HasSuffix(x, "/") && strings.HasPrefix(rel, x)) {
			return true
		}
	}
	return false
}

// walkFiles tallies every regular file under the folder start (relative, "" or ending in "/"), at any depth,
// leaving out what exclude names.
func (s *Source) walkFiles(ctx context.Context, start string, cutoff time.Time, exclude []string) (mtimeTally, error) {
	var t mtimeTally
	if s.file {
		fi, err := os.Lstat(s.root)
		if err != nil {
			return t, fmt.Errorf("count files: %w", describe(err))
		}
		if fi.Mode().IsRegular() {
			t.addFile(utcDate(fi.ModTime()), cutoff)
		} else {
			t.links++
		}
		return t, nil
	}
	base, err := s.diskPath(strings.TrimSuffix(start, "/"))
	if err != nil {
		return t, err
	}
	if fi, err := os.Stat(base); err != nil {
		return t, fmt.Errorf("count folder: %w", describe(err))
	} else if !fi.IsDir() {
		return t, fmt.Errorf("count folder: %w", ErrNotCountable)
	}
	err = filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		rel, rerr := filepath.Rel(s.root, p)
		if rerr != nil {
			return rerr
		}
		rel = filepath.ToSlash(rel)
		if rel == "." {
			rel = ""
		}
		if err != nil {
			if p == base {
				return fmt.Errorf("count folder: %w", describe(err))
			}
			t.unlisted++
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if rel != "" && excluded(rel+"/", exclude) {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case excluded(rel, exclude):
		case !d.Type().IsRegular():
			t.links++
		default:
			if info, ierr := d.Info(); ierr == nil { // else gone since it was listed
				t.addFile(utcDate(info.ModTime()), cutoff)
			}
		}
		return nil
	})
	return t, err
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
	r := io.NewSectionReader(f, 0, fi.Size())
	var res sheet.CountResult
	switch kind.Kind {
	case sniff.Delimited:
		if q.Container != q.Unit {
			return scanner.StaleCount{}, fmt.Errorf("count table: %w", ErrNotCountable)
		}
		res, err = sheet.CountCSV(ctx, r, opt)
	case sniff.XLSX:
		name, ok := strings.CutPrefix(q.Container, q.Unit+"!")
		if !ok {
			return scanner.StaleCount{}, fmt.Errorf("count table: %w", ErrNotCountable)
		}
		res, err = sheet.CountXLSX(ctx, r, name, opt)
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

func utcDate(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
