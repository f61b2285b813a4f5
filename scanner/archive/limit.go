package archive

import (
	"fmt"
	"io"
)

// limited enforces the limits at read time, because declared sizes lie. It never hands out a byte beyond a
// size limit: it reads at most one byte past the limit to notice the overrun, drops it, and fails.
type limited struct {
	w          *walker
	r          io.Reader
	member     bool  // hold this reader to MaxMemberBytes
	charge     bool  // charge what is read against MaxTotalBytes
	ratio      bool  // hold this reader to MaxRatio against compressed (or counter)
	compressed int64 // compressed size of a zip member
	counter    *countReader
	n          int64
	err        error
}

func (l *limited) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if err := l.w.ctx.Err(); err != nil {
		return 0, err
	}
	lim := l.w.lim
	if l.charge && (l.w.budget.overrun || lim.MaxTotalBytes > 0 && l.w.budget.spent > lim.MaxTotalBytes) {
		// The second case is a budget spent by a walk that shared it under a larger limit.
		l.w.budget.overrun = true
		l.err = l.w.totalErr()
		return 0, l.err
	}
	want := int64(len(p))
	if l.member && lim.MaxMemberBytes > 0 {
		want = min(want, lim.MaxMemberBytes-l.n+1)
	}
	if l.charge && lim.MaxTotalBytes > 0 {
		want = min(want, lim.MaxTotalBytes-l.w.budget.spent+1)
	}
	n, err := l.r.Read(p[:max(want, 0)])
	l.n += int64(n)
	if l.charge {
		l.w.budget.spent += int64(n)
	}
	var over int64
	if l.member && lim.MaxMemberBytes > 0 && l.n > lim.MaxMemberBytes {
		over = l.n - lim.MaxMemberBytes
		l.err = fmt.Errorf("member exceeds the %s size limit: %w", human(lim.MaxMemberBytes), ErrLimit)
	}
	if l.charge && lim.MaxTotalBytes > 0 && l.w.budget.spent > lim.MaxTotalBytes {
		over = max(over, l.w.budget.spent-lim.MaxTotalBytes)
		l.w.budget.overrun = true
		l.err = l.w.totalErr()
	}
	if over > 0 {
		l.n -= over
		if l.charge {
			l.w.budget.spent -= over
		}
		return n - int(over), l.err
	}
	if l.ratio && lim.MaxRatio > 0 && l.n > ratioFloor {
		c := l.compressed
		if l.counter != nil {
			c = l.counter.n
		}
		if c <= 0 || float64(l.n) > lim.MaxRatio*float64(c) {
			l.err = fmt.Errorf("compression ratio exceeds the limit of %s:1: %w", ratioText(lim.MaxRatio), ErrLimit)
			return n, l.err
		}
	}
	return n, err
}

// countReader counts the compressed bytes a decompressor has consumed (read-ahead included, which errs on the
// side of a lower ratio).
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
