package gen

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"sort"
	"strings"
	"unicode/utf16"
)

type member struct {
	name string
	data []byte
}

// zipBytes writes a deflated zip with a fixed modification time on every entry.
func zipBytes(members ...member) ([]byte, error) {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, m := range members {
		f, err := w.CreateHeader(&zip.FileHeader{Name: m.name, Method: zip.Deflate, Modified: fixedTime})
		if err != nil {
			return nil, err
		}
		if _, err := f.Write(m.data); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// lockedZip holds one member with the traditional PKWARE encryption flag set. The payload is random bytes in
// place of ciphertext: nothing can decrypt it, which is the point.
func lockedZip(r *rand.Rand, name string) ([]byte, error) {
	payload := randomBytes(r, 12+220)
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	fh := &zip.FileHeader{Name: name, Method: zip.Store, Modified: fixedTime, Flags: 0x1,
		CRC32: crc32.ChecksumIEEE(payload[12:]), CompressedSize64: uint64(len(payload)),
		UncompressedSize64: uint64(len(payload) - 12)}
	f, err := w.CreateRaw(fh)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(payload); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// gzipBytes compresses data with a fixed header: name and modification time, so output is byte-stable.
func gzipBytes(name string, data []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	w.Name = name
	w.ModTime = fixedTime
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// tarBytes writes a ustar archive of regular files with fixed times and owners.
func tarBytes(members ...member) ([]byte, error) {
	var buf bytes.Buffer
	w := tar.NewWriter(&buf)
	for _, m := range members {
		h := &tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.data)), ModTime: fixedTime,
			Typeflag: tar.TypeReg, Uname: "housing", Gname: "housing", Format: tar.FormatUSTAR}
		if err := w.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := w.Write(m.data); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func randomBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// Compound File Binary (OLE2) constants, [MS-CFB].
const (
	cfbSector   = 512
	cfbFree     = 0xFFFFFFFF
	cfbEnd      = 0xFFFFFFFE
	cfbFATSect  = 0xFFFFFFFD
	cfbNoStream = 0xFFFFFFFF
)

type cfbStream struct {
	name string
	data []byte
}

// cfb builds a minimal version 3 compound file holding the given streams in the root storage: what
// password-protected OOXML, .xls, .doc and .msg files are. Streams are padded to the 4096-byte mini-stream
// cutoff so that every stream lives in ordinary sectors and no mini FAT is needed.
func cfb(streams ...cfbStream) []byte {
	const cutoff = 4096
	for i := range streams {
		if len(streams[i].data) < cutoff {
			streams[i].data = append(streams[i].data, make([]byte, cutoff-len(streams[i].data))...)
		}
	}
	nEntries := 1 + len(streams)
	dirSectors := (nEntries*128 + cfbSector - 1) / cfbSector
	// Sector 0 is the FAT, then the directory, then the streams.
	fat := []uint32{cfbFATSect}
	chain := func(n int) uint32 {
		start := uint32(len(fat))
		for i := 0; i < n; i++ {
			if i == n-1 {
				fat = append(fat, cfbEnd)
			} else {
				fat = append(fat, uint32(len(fat)+1))
			}
		}
		return start
	}
	dirStart := chain(dirSectors)
	starts := make([]uint32, len(streams))
	for i, s := range streams {
		starts[i] = chain((len(s.data) + cfbSector - 1) / cfbSector)
	}
	if len(fat) > cfbSector/4 {
		panic("gen: compound file too large for one FAT sector")
	}
	for len(fat) < cfbSector/4 {
		fat = append(fat, cfbFree)
	}

	le := binary.LittleEndian
	out := make([]byte, cfbSector)
	copy(out, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le.PutUint16(out[24:], 0x003E)
	le.PutUint16(out[26:], 0x0003)
	le.PutUint16(out[28:], 0xFFFE)
	le.PutUint16(out[30:], 9)
	le.PutUint16(out[32:], 6)
	le.PutUint32(out[44:], 1) // FAT sectors
	le.PutUint32(out[48:], dirStart)
	le.PutUint32(out[56:], cutoff)
	le.PutUint32(out[60:], cfbEnd) // no mini FAT
	le.PutUint32(out[68:], cfbEnd) // no DIFAT sectors
	le.PutUint32(out[76:], 0)      // the FAT is sector 0
	for i := 1; i < 109; i++ {
		le.PutUint32(out[76+4*i:], cfbFree)
	}

	fatSector := make([]byte, cfbSector)
	for i, v := range fat {
		le.PutUint32(fatSector[4*i:], v)
	}
	out = append(out, fatSector...)

	// Children of the root form a binary search tree ordered by name length, then upper-cased name.
	order := make([]int, len(streams))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		x, y := streams[order[a]].name, streams[order[b]].name
		if len(utf16.Encode([]rune(x))) != len(utf16.Encode([]rune(y))) {
			return len(utf16.Encode([]rune(x))) < len(utf16.Encode([]rune(y)))
		}
		return strings.ToUpper(x) < strings.ToUpper(y)
	})
	left := make([]uint32, nEntries)
	right := make([]uint32, nEntries)
	for i := range left {
		left[i], right[i] = cfbNoStream, cfbNoStream
	}
	var build func(lo, hi int) uint32
	build = func(lo, hi int) uint32 {
		if lo >= hi {
			return cfbNoStream
		}
		mid := (lo + hi) / 2
		id := uint32(order[mid] + 1)
		left[id] = build(lo, mid)
		right[id] = build(mid+1, hi)
		return id
	}
	rootChild := build(0, len(order))

	dir := make([]byte, dirSectors*cfbSector)
	entry := func(i int, name string, typ byte, l, r, child, start uint32, size int) {
		e := dir[i*128 : (i+1)*128]
		u := utf16.Encode([]rune(name))
		for j, c := range u {
			le.PutUint16(e[2*j:], c)
		}
		le.PutUint16(e[64:], uint16(2*len(u)+2))
		e[66] = typ
		e[67] = 1 // black
		le.PutUint32(e[68:], l)
		le.PutUint32(e[72:], r)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], start)
		le.PutUint32(e[120:], uint32(size))
	}
	entry(0, "Root Entry", 5, cfbNoStream, cfbNoStream, rootChild, cfbEnd, 0)
	for i, s := range streams {
		entry(i+1, s.name, 2, left[i+1], right[i+1], cfbNoStream, starts[i], len(s.data))
	}
	for i := nEntries; i < dirSectors*4; i++ {
		e := dir[i*128 : (i+1)*128]
		le.PutUint32(e[68:], cfbNoStream)
		le.PutUint32(e[72:], cfbNoStream)
		le.PutUint32(e[76:], cfbNoStream)
	}
	out = append(out, dir...)
	for _, s := range streams {
		d := s.data
		if pad := len(d) % cfbSector; pad != 0 {
			d = append(d[:len(d):len(d)], make([]byte, cfbSector-pad)...)
		}
		out = append(out, d...)
	}
	return out
}

func utf16le(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 0, 2*len(u)+2)
	for _, c := range u {
		b = append(b, byte(c), byte(c>>8))
	}
	return append(b, 0, 0)
}

// pdf assembles objects into a PDF with a correct cross-reference table. Object n is objs[n-1].
func pdf(objs [][]byte, trailerExtra string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n", i+1)
		b.Write(o)
		b.WriteString("\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailerExtra, xref)
	return b.Bytes()
}

func pdfStream(dict string, data []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<< %s /Length %d >>\nstream\n", dict, len(data))
	b.Write(data)
	b.WriteString("\nendstream")
	return b.Bytes()
}

// imagePDF is a one-page scan: an image XObject and a content stream that only paints it. No fonts, no text.
func imagePDF(r *rand.Rand) []byte {
	const w, h = 32, 32
	pix := make([]byte, w*h)
	for i := range pix {
		pix[i] = 0x80 | byte(r.IntN(0x80)) // high bytes: never mistaken for text operators
	}
	content := []byte("q 595 0 0 842 0 0 cm /Im1 Do Q")
	return pdf([][]byte{
		[]byte("<< /Type /Catalog /Pages 2 0 R >>"),
		[]byte("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
		[]byte("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>"),
		pdfStream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8", w, h), pix),
		pdfStream("", content),
	}, "")
}

// textPDF is a born-digital PDF with a font and a line of text.
func textPDF(line string) []byte {
	content := []byte("BT /F1 12 Tf 72 770 Td (" + line + ") Tj ET")
	return pdf([][]byte{
		[]byte("<< /Type /Catalog /Pages 2 0 R >>"),
		[]byte("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
		[]byte("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"),
		[]byte("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
		pdfStream("", content),
	}, "")
}

// encryptedPDF carries a Standard security handler dictionary; its content stream is random bytes standing
// in for RC4 ciphertext.
func encryptedPDF(r *rand.Rand) []byte {
	hex := func(n int) string {
		var s strings.Builder
		for range n {
			fmt.Fprintf(&s, "%02X", r.IntN(256))
		}
		return s.String()
	}
	id := hex(16)
	return pdf([][]byte{
		[]byte("<< /Type /Catalog /Pages 2 0 R >>"),
		[]byte("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
		[]byte("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"),
		pdfStream("", randomBytes(r, 96)),
		[]byte("<< /Filter /Standard /V 1 /R 2 /O <" + hex(32) + "> /U <" + hex(32) + "> /P -44 >>"),
	}, " /Encrypt 5 0 R /ID [<"+id+"> <"+id+">]")
}

// scanPNG is a small grey "scan" of an ID document.
func scanPNG(r *rand.Rand) ([]byte, error) {
	img := image.NewGray(image.Rect(0, 0, 48, 32))
	for y := 0; y < 32; y++ {
		for x := 0; x < 48; x++ {
			v := uint8(200 + r.IntN(40))
			if y > 8 && y < 24 && x > 4 && x < 18 {
				v = uint8(90 + r.IntN(30)) // the photo block
			}
			img.SetGray(x, y, color.Gray{Y: v})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// corruptXLSX starts like a workbook (a zip local header for [Content_Types].xml) and then breaks off into
// noise with no central directory: what a half-copied file looks like.
func corruptXLSX(r *rand.Rand) []byte {
	name := "[Content_Types].xml"
	h := make([]byte, 30)
	le := binary.LittleEndian
	le.PutUint32(h[0:], 0x04034b50)
	le.PutUint16(h[4:], 20)
	le.PutUint16(h[8:], 8) // deflate
	le.PutUint32(h[14:], r.Uint32())
	le.PutUint32(h[18:], 1187)
	le.PutUint32(h[22:], 4096)
	le.PutUint16(h[26:], uint16(len(name)))
	out := append(h, name...)
	return append(out, randomBytes(r, 700)...)
}
