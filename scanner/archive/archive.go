// Package archive walks zip, tar and gzip files in place, handing each member to the caller with a reader that
// enforces the limits, so that a hostile archive (a zip bomb, a path that climbs out, a million entries)
// costs a bounded amount of memory and time. It never writes anything to disk.
//
// A gzip file whose content is a tar archive (.tar.gz, .tgz) is walked as that tar: members carry their paths
// inside the tar, and the gzip stream as a whole is held to MaxTotalBytes and MaxRatio, including the bytes of
// members that are skipped.
package archive

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/datamap-uk/datamap/scanner/sniff"
)

// Limits bound what one archive may cost. A zero or negative field means no limit.
type Limits struct {
	MaxMemberBytes int64   // decompressed bytes of one member
	MaxTotalBytes  int64   // decompressed bytes over the whole archive
	MaxRatio       float64 // decompressed to compressed bytes, for members larger than ratioFloor
	MaxMembers     int     // entries of any type, directories included
}

// Member is one entry of an archive. Skip, when set, is the reason the caller should record instead of opening
// it; Encrypted members cannot be opened either.
type Member struct {
	Path      string // cleaned, slash-separated; "" for the one member of a plain gzip file
	Size      int64  // declared decompressed size: a hint, since archives can lie
	Encrypted bool
	Skip      string
}

// Budget is the decompressed bytes spent against MaxTotalBytes. The walk of an archive found inside another
// archive should share the outer walk's Budget, so that nesting cannot start the count again: with a fresh
// budget at every level, each level could expand to MaxTotalBytes per member archive of the level above. The
// zero value is an unspent budget; it is not safe for concurrent walks.
type Budget struct {
	spent   int64
	overrun bool // spent went past MaxTotalBytes
}

// ErrLimit is wrapped by every error caused by a limit rather than by damage.
var ErrLimit = errors.New("archive limit exceeded")

// ratioFloor exempts small members from MaxRatio: a few KiB of repetitive text compresses far beyond 100:1 and
// is no threat, while a bomb has to expand to something large to do harm.
const ratioFloor = 1 << 20

// Walk calls fn for each member of the archive of the given kind ("zip", "tar" or "gzip") in archive order.
// Directories are passed over; links, devices and unsafe paths come with Skip set. open returns a reader for
// the member's content that fails with an error wrapping ErrLimit once a limit is crossed; for tar it is valid
// only until fn returns. An error from fn stops the walk and is returned as is. Other errors are damage to the
// archive, or limits (wrapping ErrLimit), or the context's error. budget is charged with the decompressed bytes
// and held to lim.MaxTotalBytes; nil gives the walk a budget of its own.
func Walk(ctx context.Context, ra io.ReaderAt, size int64, kind string, lim Limits, budget *Budget, fn func(m Member, open func() (io.Reader, error)) error) error {
	if budget == nil {
		budget = new(Budget)
	}
	w := &walker{ctx: ctx, lim: lim, fn: fn, budget: budget}
	switch kind {
	case "zip":
		return w.zip(ra, size)
	case "tar":
		return w.tar(io.NewSectionReader(ra, 0, size), false)
	case "gzip":
		return w.gzip(ra, size)
	}
	return fmt.Errorf("archive: unknown kind %q", kind)
}

type walker struct {
	ctx     context.Context
	lim     Limits
	fn      func(Member, func() (io.Reader, error)) error
	members int
	budget  *Budget // decompressed bytes charged against MaxTotalBytes, shared with nested walks
}

// next counts a member and checks the context and the member limit before it is handled.
func (w *walker) next() error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	if w.budget.overrun {
		return w.totalErr()
	}
	w.members++
	if w.lim.MaxMembers > 0 && w.members > w.lim.MaxMembers {
		return fmt.Errorf("archive has more than %d members: %w", w.lim.MaxMembers, ErrLimit)
	}
	return nil
}

func (w *walker) totalErr() error {
	return fmt.Errorf("archive expands to more than %s in total: %w", human(w.lim.MaxTotalBytes), ErrLimit)
}

// call hands a member to fn and stops the walk once the total limit has been crossed, since every later
// member would fail the same way.
func (w *walker) call(m Member, open func() (io.Reader, error)) error {
	if err := w.fn(m, open); err != nil {
		return err
	}
	if w.budget.overrun {
		return w.totalErr()
	}
	return nil
}

func (w *walker) zip(ra io.ReaderAt, size int64) error {
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		// Insecure paths are handled member by member below; anything else is damage.
		return fmt.Errorf("archive: open zip: %w", err)
	}
	for _, f := range zr.File {
		if err := w.next(); err != nil {
			return err
		}
		mode := f.Mode()
		if mode.IsDir() || strings.HasSuffix(f.Name, "/") {
			continue
		}
		m := Member{Size: int64(min(f.UncompressedSize64, 1<<63-1))}
		m.Path, m.Skip = clean(f.Name)
		switch {
		case m.Skip != "":
		case mode&fs.ModeSymlink != 0:
			m.Skip = "symbolic link not followed"
		case !mode.IsRegular():
			m.Skip = "not a regular file"
		case f.Flags&1 != 0:
			m.Encrypted = true
		default:
			m.Skip = w.declared(m.Size, int64(min(f.CompressedSize64, 1<<63-1)))
		}
		open := func() (io.Reader, error) { return nil, errors.New("archive: member cannot be opened") }
		if m.Skip == "" && !m.Encrypted {
			open = func() (io.Reader, error) {
				rc, err := f.Open()
				if err != nil {
					return nil, fmt.Errorf("archive: open member: %w", err)
				}
				// The stdlib reader needs no Close beyond releasing the decompressor; it is dropped with r.
				return &limited{w: w, r: rc, member: true, charge: true, compressed: int64(min(f.CompressedSize64, 1<<63-1)), ratio: true}, nil
			}
		}
		if err := w.call(m, open); err != nil {
			return err
		}
	}
	return nil
}

// declared checks what an archive claims about a member before any of it is decompressed.
func (w *walker) declared(size, compressed int64) string {
	if w.lim.MaxMemberBytes > 0 && size > w.lim.MaxMemberBytes {
		return fmt.Sprintf("member exceeds the %s size limit", human(w.lim.MaxMemberBytes))
	}
	if w.lim.MaxRatio > 0 && compressed >= 0 && size > ratioFloor {
		if compressed == 0 {
			return fmt.Sprintf("compression ratio is unbounded, beyond the limit of %s:1", ratioText(w.lim.MaxRatio))
		}
		if r := float64(size) / float64(compressed); r > w.lim.MaxRatio {
			return fmt.Sprintf("compression ratio %s:1 exceeds the limit of %s:1", ratioText(r), ratioText(w.lim.MaxRatio))
		}
	}
	return ""
}

// tar walks a tar stream. inGzip means the bytes come out of a gzip stream that is already charged against
// the total, so member readers must not charge them again.
func (w *walker) tar(r io.Reader, inGzip bool) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			if errors.Is(err, ErrLimit) || w.ctx.Err() != nil {
				return err
			}
			return fmt.Errorf("archive: read tar: %w", err)
		}
		if err := w.next(); err != nil {
			return err
		}
		m := Member{Size: h.Size}
		m.Path, m.Skip = clean(h.Name)
		switch h.Typeflag {
		case tar.TypeDir:
			continue
		case tar.TypeReg, tar.TypeRegA, tar.TypeGNUSparse:
			if m.Skip == "" {
				m.Skip = w.declared(h.Size, -1)
			}
		case tar.TypeSymlink, tar.TypeLink:
			m.Skip = "link not followed"
		case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
			m.Skip = "device or special file not read"
		default:
			m.Skip = "unsupported tar entry type"
		}
		open := func() (io.Reader, error) { return nil, errors.New("archive: member cannot be opened") }
		if m.Skip == "" {
			opened := false
			open = func() (io.Reader, error) {
				if opened {
					return nil, errors.New("archive: tar member can be opened once")
				}
				opened = true
				return &limited{w: w, r: tr, member: true, charge: !inGzip}, nil
			}
		}
		if err := w.call(m, open); err != nil {
			return err
		}
	}
}

// gzip walks a gzip file: as a tar when its content is one, else as a single member with an empty path.
func (w *walker) gzip(ra io.ReaderAt, size int64) error {
	cr := &countReader{r: io.NewSectionReader(ra, 0, size)}
	zr, err := gzip.NewReader(bufio.NewReader(cr))
	if err != nil {
		return fmt.Errorf("archive: open gzip: %w", err)
	}
	// The whole decompressed stream is charged here, so bytes that tar skips over count too.
	stream := &limited{w: w, r: zr, charge: true, ratio: true, counter: cr}
	br := bufio.NewReaderSize(stream, 4096)
	head, err := br.Peek(512)
	if err != nil && !errors.Is(err, io.EOF) {
		if errors.Is(err, ErrLimit) {
			return err
		}
		return fmt.Errorf("archive: read gzip: %w", err)
	}
	if sniff.IsTar(head) {
		return w.tar(br, true)
	}
	if err := w.next(); err != nil {
		return err
	}
	var m Member
	if size >= 18 {
		// ISIZE, the trailer's length modulo 4 GiB: a hint only, and honest files never exaggerate it.
		var t [4]byte
		if _, err := ra.ReadAt(t[:], size-4); err == nil {
			m.Size = int64(binary.LittleEndian.Uint32(t[:]))
			m.Skip = w.declared(m.Size, size)
		}
	}
	open := func() (io.Reader, error) { return nil, errors.New("archive: member cannot be opened") }
	if m.Skip == "" {
		opened := false
		open = func() (io.Reader, error) {
			if opened {
				return nil, errors.New("archive: gzip member can be opened once")
			}
			opened = true
			// The per-member limit applies on top of the stream's total and ratio limits.
			return &limited{w: w, r: br, member: true}, nil
		}
	}
	return w.call(m, open)
}

// clean makes a member name a safe relative slash path, or explains why it cannot be one.
func clean(name string) (string, string) {
	p := strings.ReplaceAll(name, "\\", "/")
	switch {
	case strings.HasPrefix(p, "/"), len(p) >= 2 && p[1] == ':':
		return p, "unsafe path"
	}
	c := path.Clean(p)
	if c == ".." || strings.HasPrefix(c, "../") {
		return p, "unsafe path"
	}
	if c == "." {
		return p, "unsafe path"
	}
	return c, ""
}

func human(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func ratioText(r float64) string {
	if r >= 10 {
		return fmt.Sprintf("%.0f", r)
	}
	return fmt.Sprintf("%.1f", r)
}
