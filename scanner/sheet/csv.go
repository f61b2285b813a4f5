package sheet

import (
	"bufio"
	"bytes"
	"context"
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
	s, err := openCSV(r, opt)
	if err != nil {
		return nil, fmt.Errorf("read csv: %w", err)
	}
	b := newBuilder(opt)
	readErr := s.each(context.Background(), func(line int, rec []string) error {
		if b.take(line) {
			b.put(rec)
		}
		return nil
	})
	t := b.finish()
	t.TotalRows += int(s.skipped)
	t.Encoding = s.enc
	t.Delimiter = s.delim
	if readErr != nil {
		return t, fmt.Errorf("read csv: %w", readErr)
	}
	return t, nil
}

// csvStream is a delimited file set up for one streaming pass: decoded, its delimiter sniffed, each record
// bounded. ReadCSV samples it and CountCSV counts it, so both see the same records.
type csvStream struct {
	enc     string
	delim   rune
	maxCols int
	lim     *recordLimiter
	br      *bufio.Reader
	skipped int64 // records that could not be parsed
}

// openCSV decodes r and sniffs the delimiter from the head. Content that is mostly NUL bytes is ErrNotTable.
func openCSV(r io.Reader, opt Options) (*csvStream, error) {
	opt = opt.withDefaults()
	dec, enc, err := Decode(r)
	if err != nil {
		return nil, err
	}
	pre := bufio.NewReaderSize(dec, sniffBytes)
	head, err := pre.Peek(sniffBytes)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	if bytes.Count(head, []byte{0})*100 > len(head) {
		return nil, fmt.Errorf("%w: binary content", ErrNotTable)
	}
	var src io.Reader = pre
	if bytes.IndexByte(head, '\r') >= 0 && bytes.IndexByte(head, '\n') < 0 {
		// Classic Mac line ends (Excel for Mac "CSV (Macintosh)"): encoding/csv only splits on \n.
		src = &crToLF{r: pre}
		head = bytes.ReplaceAll(head, []byte{'\r'}, []byte{'\n'})
	}
	s := &csvStream{enc: enc, delim: sniffDelimiter(head, errors.Is(err, io.EOF)), maxCols: opt.MaxColumns}
	s.lim = &recordLimiter{r: src, max: maxRecordBytes(opt)}
	s.br = bufio.NewReaderSize(s.lim, sniffBytes)
	return s, nil
}

func (s *csvStream) reader() *csv.Reader {
	cr := csv.NewReader(s.br) // br is already a large *bufio.Reader, so csv reads it directly
	cr.Comma = s.delim
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return cr
}

// each hands fn every non-blank record, cut to the column limit, with the line it starts on (approximate
// after a skipped record, whose own line count is unknown). fn must not keep the record; an error from fn
// stops the pass and is returned. Records that cannot be parsed are skipped and counted in s.skipped. ctx is
// checked between records.
func (s *csvStream) each(ctx context.Context, fn func(line int, rec []string) error) error {
	cr := s.reader()
	lineBase, lastLine := 0, 0
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		s.lim.n = 0
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			s.skipped++
			continue
		}
		if errors.Is(err, errRecordTooLarge) {
			s.skipped++
			if err := s.lim.skipLine(s.br); err != nil {
				if errors.Is(err, io.EOF) {
					return nil
				}
				return err
			}
			lineBase, lastLine = lineBase+lastLine+1, 0
			cr = s.reader()
			continue
		}
		if err != nil {
			return err
		}
		line, _ := cr.FieldPos(0)
		lastLine = line
		if len(rec) > s.maxCols {
			rec = rec[:s.maxCols]
		}
		if isBlank(rec) {
			continue
		}
		if err := fn(lineBase+line, rec); err != nil {
			return err
		}
	}
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
