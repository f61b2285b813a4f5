package sheet

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

// delimiters are the candidates ReadCSV sniffs, in the order that wins a tie: a delimiter that splits every
// sampled line consistently is stronger evidence the rarer it is in ordinary text, and semicolon files written
// by European Excel often carry decimal commas that split just as consistently.
var delimiters = []rune{'\t', '|', ';', ','}

// sniffRecords is how many records of the head vote on the delimiter.
const sniffRecords = 20

// errRecordTooLarge stops encoding/csv from buffering a runaway record: an unbalanced quote under LazyQuotes
// swallows the rest of the file into one field, and a file without line breaks is one line.
var errRecordTooLarge = errors.New("record too large")

// ReadCSV decodes r, sniffs the delimiter among , ; \t | from the first lines (consistent field counts win) and
// streams every record once, keeping a sample spread over the whole file.
//
// A record that cannot be parsed (in practice one that grows past the record limit because of an unbalanced
// quote) is skipped and counted in TotalRows; reading resumes at the next line. If reading cannot continue, the
// rows read so far are returned with an error wrapping the cause.
func ReadCSV(r io.Reader, opt Options) (*Table, error) {
	opt = opt.withDefaults()
	dec, enc, err := Decode(r)
	if err != nil {
		return nil, fmt.Errorf("read csv: %w", err)
	}
	pre := bufio.NewReaderSize(dec, sniffBytes)
	head, err := pre.Peek(sniffBytes)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("read csv: %w", err)
	}
	if bytes.Count(head, []byte{0})*100 > len(head) {
		return nil, fmt.Errorf("read csv: %w: binary content", ErrNotTable)
	}
	var src io.Reader = pre
	if bytes.IndexByte(head, '\r') >= 0 && bytes.IndexByte(head, '\n') < 0 {
		// Classic Mac line ends (Excel for Mac "CSV (Macintosh)"): encoding/csv only splits on \n.
		src = &crToLF{r: pre}
		head = bytes.ReplaceAll(head, []byte{'\r'}, []byte{'\n'})
	}
	delim := sniffDelimiter(head, errors.Is(err, io.EOF))

	lim := &recordLimiter{r: src, max: maxRecordBytes(opt)}
	br := bufio.NewReaderSize(lim, sniffBytes)
	newReader := func() *csv.Reader {
		cr := csv.NewReader(br) // br is already a large *bufio.Reader, so csv reads it directly
		cr.Comma = delim
		cr.LazyQuotes = true
		cr.FieldsPerRecord = -1
		cr.ReuseRecord = true
		return cr
	}
	cr := newReader()
	b := newBuilder(opt)
	lineBase, lastLine, skipped := 0, 0, 0
	var readErr error
	for {
		lim.n = 0
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			skipped++
			continue
		}
		if errors.Is(err, errRecordTooLarge) {
			skipped++
			if err := lim.skipLine(br); err != nil {
				if !errors.Is(err, io.EOF) {
					readErr = err
				}
				break
			}
			// The skipped record's own line count is unknown; header row numbers after it are approximate.
			lineBase, lastLine = lineBase+lastLine+1, 0
			cr = newReader()
			continue
		}
		if err != nil {
			readErr = err
			break
		}
		line, _ := cr.FieldPos(0)
		lastLine = line
		if len(rec) > opt.MaxColumns {
			rec = rec[:opt.MaxColumns]
		}
		if isBlank(rec) {
			continue
		}
		if b.take(lineBase + line) {
			b.put(rec)
		}
	}
	t := b.finish()
	t.TotalRows += skipped
	t.Encoding = enc
	t.Delimiter = delim
	if readErr != nil {
		return t, fmt.Errorf("read csv: %w", readErr)
	}
	return t, nil
}

// maxRecordBytes bounds one record: twice what the kept cells of a full-width row could hold, within 1 to 64 MiB.
func maxRecordBytes(opt Options) int64 {
	n := 2 * int64(opt.MaxColumns) * int64(opt.MaxCellBytes)
	return min(max(n, 1<<20), 64<<20)
}

// sniffDelimiter parses the head with each candidate and picks the one whose field count is most consistent
// over the first records (with at least two fields). A file no candidate splits is one column; ',' is
// reported for it.
func sniffDelimiter(head []byte, atEOF bool) rune {
	if !atEOF {
		if i := bytes.LastIndexByte(head, '\n'); i >= 0 {
			head = head[:i+1]
		}
	}
	best, bestFreq := ',', 0
	for _, d := range delimiters {
		cr := csv.NewReader(bytes.NewReader(head))
		cr.Comma = d
		cr.LazyQuotes = true
		cr.FieldsPerRecord = -1
		cr.ReuseRecord = true
		counts := map[int]int{}
		for n := 0; n < sniffRecords; {
			rec, err := cr.Read()
			if err != nil {
				break
			}
			if isBlank(rec) {
				continue
			}
			counts[len(rec)]++
			n++
		}
		mode, freq := 0, 0
		for c, f := range counts {
			if f > freq || (f == freq && c > mode) {
				mode, freq = c, f
			}
		}
		if mode < 2 {
			continue
		}
		if freq > bestFreq {
			best, bestFreq = d, freq
		}
	}
	return best
}

// recordLimiter sits under the csv reader's buffer and fails once more than max bytes have been pulled since
// the last record, bounding the memory encoding/csv spends on one record. The count includes read-ahead, so
// the bound is approximate by one buffer.
type recordLimiter struct {
	r   io.Reader
	n   int64
	max int64
	off bool
}

func (l *recordLimiter) Read(p []byte) (int, error) {
	if !l.off {
		if l.n >= l.max {
			return 0, errRecordTooLarge
		}
		if rest := l.max - l.n; int64(len(p)) > rest {
			p = p[:rest]
		}
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	return n, err
}

// skipLine discards input up to and including the next line break, without the limit and without buffering.
func (l *recordLimiter) skipLine(br *bufio.Reader) error {
	l.off = true
	defer func() { l.off, l.n = false, 0 }()
	for {
		_, err := br.ReadSlice('\n')
		if err == nil {
			return nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}

// crToLF turns lone carriage returns into line feeds. It is only used for files whose head has no \n at all.
type crToLF struct{ r io.Reader }

func (c *crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}
