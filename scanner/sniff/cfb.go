package sniff

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
)

// cfbSignature starts every OLE2 compound file: legacy Office documents, Outlook .msg, and the envelope that
// Office puts around a password-protected .xlsx or .docx.
var cfbSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// Bounds on the directory walk: a corrupt or hostile FAT may loop or point anywhere.
const (
	maxDirSectors   = 1024
	maxDIFATSectors = 1024
	cfbScanBytes    = 512 << 10
)

const (
	cfbEndOfChain = 0xFFFFFFFE
	cfbMaxRegSect = 0xFFFFFFFA
)

func detectCFB(ra io.ReaderAt, size int64) (Result, error) {
	names, err := cfbNames(ra, size)
	if err != nil {
		// A directory we cannot walk: fall back to searching the start of the file for the stream names.
		names, err = cfbScanNames(ra, size)
		if err != nil {
			return Result{}, err
		}
	}
	return classifyCFB(names), nil
}

func classifyCFB(names []string) Result {
	has := func(want string) bool {
		for _, n := range names {
			if strings.EqualFold(n, want) {
				return true
			}
		}
		return false
	}
	const mimeOLE = "application/x-ole-storage"
	switch {
	case has("EncryptedPackage") || has("EncryptionInfo"):
		return Result{Kind: Encrypted, MIME: mimeOLE, Detail: "password-protected Office document"}
	case has("Workbook") || has("Book"):
		return Result{Kind: Legacy, MIME: "application/vnd.ms-excel", Detail: "legacy Excel .xls"}
	case has("WordDocument"):
		return Result{Kind: Legacy, MIME: "application/msword", Detail: "legacy Word .doc"}
	case has("PowerPoint Document"):
		return Result{Kind: Legacy, MIME: "application/vnd.ms-powerpoint", Detail: "legacy PowerPoint .ppt"}
	}
	for _, n := range names {
		if strings.HasPrefix(n, "__substg1.0_") {
			return Result{Kind: Legacy, MIME: "application/vnd.ms-outlook", Detail: "Outlook .msg"}
		}
	}
	return Result{Kind: Legacy, MIME: mimeOLE, Detail: "legacy Office (OLE2) file"}
}

var errCFB = errors.New("malformed compound file")

// cfbNames walks the directory sector chain through the FAT and returns the names of the directory entries.
func cfbNames(ra io.ReaderAt, size int64) ([]string, error) {
	hdr, err := readAt(ra, 0, 512)
	if err != nil {
		return nil, fmt.Errorf("sniff: read compound file header: %w", err)
	}
	if len(hdr) < 512 {
		return nil, errCFB
	}
	le := binary.LittleEndian
	shift := le.Uint16(hdr[30:])
	if shift != 9 && shift != 12 {
		return nil, errCFB
	}
	ssz := int64(1) << shift
	c := &cfb{ra: ra, size: size, ssz: ssz, hdr: hdr}
	var names []string
	seen := map[uint32]bool{}
	for sect := le.Uint32(hdr[48:]); sect != cfbEndOfChain; {
		if sect > cfbMaxRegSect || seen[sect] || len(seen) >= maxDirSectors {
			return nil, errCFB
		}
		seen[sect] = true
		buf, err := c.sector(sect)
		if err != nil {
			return nil, err
		}
		for off := 0; off+128 <= len(buf); off += 128 {
			e := buf[off : off+128]
			if e[66] == 0 { // unallocated entry
				continue
			}
			n := int(le.Uint16(e[64:]))
			if n < 2 || n > 64 || n%2 != 0 {
				continue
			}
			u := make([]uint16, n/2-1) // the length counts the terminating NUL
			for i := range u {
				u[i] = le.Uint16(e[2*i:])
			}
			names = append(names, string(utf16.Decode(u)))
		}
		if sect, err = c.next(sect); err != nil {
			return nil, err
		}
	}
	if len(names) == 0 {
		return nil, errCFB
	}
	return names, nil
}

type cfb struct {
	ra    io.ReaderAt
	size  int64
	ssz   int64
	hdr   []byte
	difat []uint32 // FAT sector locations beyond the 109 in the header, read on first need
	more  bool     // difat has been read
}

func (c *cfb) sector(n uint32) ([]byte, error) {
	off := (int64(n) + 1) * c.ssz
	if off+c.ssz > c.size {
		return nil, errCFB
	}
	b, err := readAt(c.ra, off, c.ssz)
	if err != nil {
		return nil, fmt.Errorf("sniff: read compound file sector: %w", err)
	}
	if int64(len(b)) < c.ssz {
		return nil, errCFB
	}
	return b, nil
}

// next follows the FAT from sector n.
func (c *cfb) next(n uint32) (uint32, error) {
	perSect := uint32(c.ssz / 4)
	idx := n / perSect
	fatSect, err := c.fatSector(idx)
	if err != nil {
		return 0, err
	}
	b, err := c.sector(fatSect)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b[(n%perSect)*4:]), nil
}

// fatSector returns the location of the idx'th FAT sector, from the header's DIFAT array or the DIFAT chain.
func (c *cfb) fatSector(idx uint32) (uint32, error) {
	le := binary.LittleEndian
	if idx < 109 {
		s := le.Uint32(c.hdr[76+4*idx:])
		if s > cfbMaxRegSect {
			return 0, errCFB
		}
		return s, nil
	}
	if !c.more {
		c.more = true
		perSect := int(c.ssz/4) - 1
		seen := map[uint32]bool{}
		for s := le.Uint32(c.hdr[68:]); s <= cfbMaxRegSect; {
			if seen[s] || len(seen) >= maxDIFATSectors {
				return 0, errCFB
			}
			seen[s] = true
			b, err := c.sector(s)
			if err != nil {
				return 0, err
			}
			for i := range perSect {
				c.difat = append(c.difat, le.Uint32(b[4*i:]))
			}
			s = le.Uint32(b[4*perSect:])
		}
	}
	i := int(idx - 109)
	if i >= len(c.difat) || c.difat[i] > cfbMaxRegSect {
		return 0, errCFB
	}
	return c.difat[i], nil
}

// cfbScanNames looks for the UTF-16LE spelling of the names classifyCFB cares about in the start of the file.
func cfbScanNames(ra io.ReaderAt, size int64) ([]string, error) {
	b, err := readAt(ra, 0, min(size, cfbScanBytes))
	if err != nil {
		return nil, fmt.Errorf("sniff: read compound file: %w", err)
	}
	var names []string
	for _, n := range []string{"EncryptedPackage", "EncryptionInfo", "Workbook", "Book", "WordDocument",
		"PowerPoint Document", "__substg1.0_"} {
		// Directory names end in a NUL; matching it keeps "Book" from matching "BookMarks" and the like.
		want := utf16LE(n)
		if n != "__substg1.0_" {
			want = append(want, 0, 0)
		}
		if bytes.Contains(b, want) {
			names = append(names, n)
		}
	}
	return names, nil
}

func utf16LE(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}
