package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
)

// Fixtures are synthetic and built at run time.

type entry struct {
	name    string
	body    string
	flags   uint16 // zip only
	tarType byte   // tar only; 0 means a regular file
	link    string
}

func zipOf(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Flags: e.flags}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func tarOf(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: 0o644, Typeflag: e.tarType, Linkname: e.link}
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Size > 0 {
			if _, err := io.WriteString(tw, e.body); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipOf(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withISIZE rewrites the gzip trailer's declared length, as a hostile file might.
func withISIZE(b []byte, n uint32) []byte {
	b = bytes.Clone(b)
	binary.LittleEndian.PutUint32(b[len(b)-4:], n)
	return b
}

type seen struct {
	Member
	body    string
	readErr error
}

var generous = Limits{MaxMemberBytes: 64 << 20, MaxTotalBytes: 1 << 30, MaxRatio: 100, MaxMembers: 10000}

// walkAll opens every member that can be opened and reads it to the end.
func walkAll(t testing.TB, data []byte, kind string, lim Limits) ([]seen, error) {
	t.Helper()
	var out []seen
	err := Walk(context.Background(), bytes.NewReader(data), int64(len(data)), kind, lim, nil, func(m Member, open func() (io.Reader, error)) error {
		s := seen{Member: m}
		if m.Skip == "" && !m.Encrypted {
			r, err := open()
			if err != nil {
				s.readErr = err
			} else {
				b, err := io.ReadAll(r)
				s.body, s.readErr = string(b), err
			}
		}
		out = append(out, s)
		return nil
	})
	return out, err
}

func TestWalkMembers(t *testing.T) {
	letter := "Dear tenant, your repair is booked.\n"
	tests := []struct {
		name string
		data func(t *testing.T) []byte
		kind string
		lim  Limits
		want []seen // Path, Skip (as a prefix), Encrypted, body and the read error are compared
	}{
		{
			name: "lists zip members in order with their content and passes over directories",
			data: func(t *testing.T) []byte {
				return zipOf(t, entry{name: "letters/"}, entry{name: "letters/a.txt", body: letter}, entry{name: "b.csv", body: "a,b\n1,2\n"})
			},
			kind: "zip", lim: generous,
			want: []seen{{Member: Member{Path: "letters/a.txt"}, body: letter}, {Member: Member{Path: "b.csv"}, body: "a,b\n1,2\n"}},
		},
		{
			name: "skips zip members whose paths escape or are absolute and cleans the rest",
			data: func(t *testing.T) []byte {
				return zipOf(t, entry{name: "../x", body: "x"}, entry{name: "a/../../y", body: "y"}, entry{name: "/etc/z", body: "z"},
					entry{name: `C:\temp\w`, body: "w"}, entry{name: "a/./../b.txt", body: "b"}, entry{name: `dir\file.txt`, body: "f"})
			},
			kind: "zip", lim: generous,
			want: []seen{
				{Member: Member{Path: "../x", Skip: "unsafe path"}},
				{Member: Member{Path: "a/../../y", Skip: "unsafe path"}},
				{Member: Member{Path: "/etc/z", Skip: "unsafe path"}},
				{Member: Member{Path: "C:/temp/w", Skip: "unsafe path"}},
				{Member: Member{Path: "b.txt"}, body: "b"},
				{Member: Member{Path: "dir/file.txt"}, body: "f"},
			},
		},
		{
			name: "marks zip members with the encryption flag as encrypted without opening them",
			data: func(t *testing.T) []byte {
				return zipOf(t, entry{name: "secret.xlsx", body: "not really encrypted", flags: 1}, entry{name: "open.txt", body: "hi"})
			},
			kind: "zip", lim: generous,
			want: []seen{{Member: Member{Path: "secret.xlsx", Encrypted: true}}, {Member: Member{Path: "open.txt"}, body: "hi"}},
		},
		{
			name: "skips a zip member whose declared size exceeds the member limit",
			data: func(t *testing.T) []byte {
				return zipOf(t, entry{name: "big.txt", body: strings.Repeat("abcdefgh", 256)}, entry{name: "small.txt", body: "ok"})
			},
			kind: "zip", lim: Limits{MaxMemberBytes: 1024},
			want: []seen{{Member: Member{Path: "big.txt", Skip: "member exceeds the 1 KiB size limit"}}, {Member: Member{Path: "small.txt"}, body: "ok"}},
		},
		{
			name: "skips a zip member whose declared compression ratio exceeds the limit",
			data: func(t *testing.T) []byte {
				return zipOf(t, entry{name: "bomb.txt", body: strings.Repeat("\x00", 8<<20)})
			},
			kind: "zip", lim: generous,
			want: []seen{{Member: Member{Path: "bomb.txt", Skip: "compression ratio 10"}}}, // about 1000:1; the exact figure depends on the compressor
		},
		{
			name: "does not hold small repetitive members to the ratio limit",
			data: func(t *testing.T) []byte {
				return zipOf(t, entry{name: "spaces.txt", body: strings.Repeat(" ", 64<<10)})
			},
			kind: "zip", lim: generous,
			want: []seen{{Member: Member{Path: "spaces.txt"}, body: strings.Repeat(" ", 64<<10)}},
		},
		{
			name: "lists tar members and skips links, devices and unsafe paths",
			data: func(t *testing.T) []byte {
				return tarOf(t, entry{name: "docs/", tarType: tar.TypeDir}, entry{name: "docs/a.txt", body: letter},
					entry{name: "docs/link", tarType: tar.TypeSymlink, link: "/etc/passwd"}, entry{name: "hard", tarType: tar.TypeLink, link: "docs/a.txt"},
					entry{name: "dev/tty", tarType: tar.TypeChar}, entry{name: "../../evil", body: "x"})
			},
			kind: "tar", lim: generous,
			want: []seen{
				{Member: Member{Path: "docs/a.txt"}, body: letter},
				{Member: Member{Path: "docs/link", Skip: "link not followed"}},
				{Member: Member{Path: "hard", Skip: "link not followed"}},
				{Member: Member{Path: "dev/tty", Skip: "device or special file not read"}},
				{Member: Member{Path: "../../evil", Skip: "unsafe path"}},
			},
		},
		{
			name: "skips a tar member whose declared size exceeds the member limit",
			data: func(t *testing.T) []byte { return tarOf(t, entry{name: "big", body: strings.Repeat("x", 2000)}) },
			kind: "tar", lim: Limits{MaxMemberBytes: 1000},
			want: []seen{{Member: Member{Path: "big", Skip: "member exceeds the 1000 bytes size limit"}}},
		},
		{
			name: "walks a tar.gz as the tar inside it",
			data: func(t *testing.T) []byte {
				return gzipOf(t, tarOf(t, entry{name: "export/tenants.csv", body: "a,b\n"}, entry{name: "export/notes.txt", body: letter}))
			},
			kind: "gzip", lim: generous,
			want: []seen{{Member: Member{Path: "export/tenants.csv"}, body: "a,b\n"}, {Member: Member{Path: "export/notes.txt"}, body: letter}},
		},
		{
			name: "hands a plain gzip over as one member with an empty path",
			data: func(t *testing.T) []byte { return gzipOf(t, []byte(letter)) },
			kind: "gzip", lim: generous,
			want: []seen{{Member: Member{Path: ""}, body: letter}},
		},
		{
			name: "skips a gzip member whose declared size exceeds the member limit",
			data: func(t *testing.T) []byte { return gzipOf(t, []byte(strings.Repeat(letter, 100))) },
			kind: "gzip", lim: Limits{MaxMemberBytes: 1024},
			want: []seen{{Member: Member{Skip: "member exceeds the 1 KiB size limit"}}},
		},
		{
			name: "stops reading a gzip member that lies about its size at the member limit",
			data: func(t *testing.T) []byte { return withISIZE(gzipOf(t, []byte(strings.Repeat(letter, 100))), 10) },
			kind: "gzip", lim: Limits{MaxMemberBytes: 1024},
			want: []seen{{Member: Member{}, body: strings.Repeat(letter, 100)[:1024], readErr: ErrLimit}},
		},
		{
			name: "stops reading a gzip bomb that lies about its size at the ratio limit",
			data: func(t *testing.T) []byte { return withISIZE(gzipOf(t, make([]byte, 8<<20)), 10) },
			kind: "gzip", lim: Limits{MaxRatio: 100},
			want: []seen{{Member: Member{}, readErr: ErrLimit}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := walkAll(t, tc.data(t), tc.kind, tc.lim)
			if err != nil {
				t.Fatalf("Walk: %v", err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d members %+v, want %d", len(got), got, len(tc.want))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Path != w.Path || !strings.HasPrefix(g.Skip, w.Skip) || (w.Skip == "") != (g.Skip == "") || g.Encrypted != w.Encrypted {
					t.Errorf("member %d = {%q skip %q enc %v}, want {%q skip %q enc %v}", i, g.Path, g.Skip, g.Encrypted, w.Path, w.Skip, w.Encrypted)
				}
				if w.readErr == nil && g.readErr != nil {
					t.Errorf("member %d: read error %v", i, g.readErr)
				}
				if w.readErr != nil && !errors.Is(g.readErr, w.readErr) {
					t.Errorf("member %d: read error %v, want one wrapping %v", i, g.readErr, w.readErr)
				}
				if w.body != "" && g.body != w.body {
					t.Errorf("member %d: body of %d bytes, want %d", i, len(g.body), len(w.body))
				}
			}
		})
	}
}

func TestWalkLimitsStopTheWalk(t *testing.T) {
	five := zipOf(t, entry{name: "1", body: "a"}, entry{name: "2", body: "b"}, entry{name: "3", body: "c"}, entry{name: "4", body: "d"}, entry{name: "5", body: "e"})
	chunk := strings.Repeat("0123456789", 60)
	three := zipOf(t, entry{name: "1", body: chunk}, entry{name: "2", body: chunk}, entry{name: "3", body: chunk})
	bigTar := gzipOf(t, tarOf(t, entry{name: "skipped.bin", body: strings.Repeat("z", 3<<20)}, entry{name: "after.txt", body: "x"}))
	tests := []struct {
		name      string
		data      []byte
		kind      string
		lim       Limits
		visited   int
		errSubstr string
	}{
		{"stops after the member limit, naming the count", five, "zip", Limits{MaxMembers: 3}, 3, "more than 3 members"},
		{"stops once the total decompressed bytes pass the limit", three, "zip", Limits{MaxTotalBytes: 1000}, 2, "more than 1000 bytes in total"},
		{"counts the bytes of skipped tar.gz members towards the total", bigTar, "gzip", Limits{MaxMemberBytes: 1 << 20, MaxTotalBytes: 2 << 20}, 1, "more than 2 MiB in total"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := walkAll(t, tc.data, tc.kind, tc.lim)
			if !errors.Is(err, ErrLimit) {
				t.Fatalf("Walk error = %v, want one wrapping ErrLimit", err)
			}
			if !strings.Contains(err.Error(), tc.errSubstr) {
				t.Errorf("Walk error = %q, want it to mention %q", err, tc.errSubstr)
			}
			if len(got) != tc.visited {
				t.Errorf("visited %d members, want %d", len(got), tc.visited)
			}
			var total int
			for _, s := range got {
				total += len(s.body)
			}
			if tc.lim.MaxTotalBytes > 0 && int64(total) > tc.lim.MaxTotalBytes {
				t.Errorf("read %d bytes, more than the total limit %d", total, tc.lim.MaxTotalBytes)
			}
		})
	}
}

func TestWalkReportsDamageAsPlainErrors(t *testing.T) {
	good := zipOf(t, entry{name: "a.txt", body: "hello"})
	badTar := tarOf(t, entry{name: "a.txt", body: "hello"})
	badTar[148] = '9' // corrupt the header checksum
	tests := []struct {
		name string
		data []byte
		kind string
	}{
		{"rejects a truncated zip", good[:len(good)-10], "zip"},
		{"rejects data that is not gzip", []byte("plain text, not gzip"), "gzip"},
		{"rejects a tar header with a bad checksum", badTar, "tar"},
		{"rejects an unknown kind", good, "rar"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := walkAll(t, tc.data, tc.kind, generous)
			if err == nil {
				t.Fatal("want an error")
			}
			if errors.Is(err, ErrLimit) {
				t.Fatalf("damage reported as a limit: %v", err)
			}
		})
	}
}

func TestWalkStopsWhenTheContextIsCancelled(t *testing.T) {
	data := zipOf(t, entry{name: "1", body: "a"}, entry{name: "2", body: "b"})
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	err := Walk(ctx, bytes.NewReader(data), int64(len(data)), "zip", generous, nil, func(Member, func() (io.Reader, error)) error {
		calls++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Fatalf("Walk = %v after %d calls, want context.Canceled after 1", err, calls)
	}
}

func TestWalkReturnsTheCallbackError(t *testing.T) {
	data := tarOf(t, entry{name: "1", body: "a"}, entry{name: "2", body: "b"})
	stop := errors.New("stop")
	calls := 0
	err := Walk(context.Background(), bytes.NewReader(data), int64(len(data)), "tar", generous, nil, func(Member, func() (io.Reader, error)) error {
		calls++
		return stop
	})
	if err != stop || calls != 1 {
		t.Fatalf("Walk = %v after %d calls, want the callback's error after 1", err, calls)
	}
}

func TestWalkOpensATarMemberOnce(t *testing.T) {
	data := tarOf(t, entry{name: "1", body: "a"})
	err := Walk(context.Background(), bytes.NewReader(data), int64(len(data)), "tar", generous, nil, func(_ Member, open func() (io.Reader, error)) error {
		if _, err := open(); err != nil {
			return err
		}
		if _, err := open(); err == nil {
			t.Error("second open succeeded")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func FuzzWalk(f *testing.F) {
	f.Add(zipOf(f, entry{name: "a.txt", body: "hello"}, entry{name: "../b", body: "x"}, entry{name: "c", body: "y", flags: 1}), uint8(0))
	f.Add(zipOf(f, entry{name: "zeros", body: strings.Repeat("\x00", 1<<16)}), uint8(0))
	f.Add(tarOf(f, entry{name: "a.txt", body: "hello"}, entry{name: "l", tarType: tar.TypeSymlink, link: "a.txt"}), uint8(1))
	f.Add(gzipOf(f, tarOf(f, entry{name: "a.txt", body: strings.Repeat("hello", 2000)})), uint8(2))
	f.Add(gzipOf(f, []byte(strings.Repeat("hello ", 3000))), uint8(2))
	lim := Limits{MaxMemberBytes: 4096, MaxTotalBytes: 10000, MaxRatio: 100, MaxMembers: 8}
	f.Fuzz(func(t *testing.T, data []byte, k uint8) {
		kind := []string{"zip", "tar", "gzip"}[int(k)%3]
		var total int64
		members := 0
		_ = Walk(context.Background(), bytes.NewReader(data), int64(len(data)), kind, lim, nil, func(m Member, open func() (io.Reader, error)) error {
			members++
			if members > lim.MaxMembers {
				t.Fatalf("member %d visited past the limit of %d", members, lim.MaxMembers)
			}
			if strings.HasPrefix(m.Path, "/") || m.Path == ".." || strings.HasPrefix(m.Path, "../") {
				if m.Skip == "" {
					t.Fatalf("unsafe path %q not skipped", m.Path)
				}
			}
			if m.Skip != "" || m.Encrypted {
				return nil
			}
			r, err := open()
			if err != nil {
				return nil
			}
			n, _ := io.Copy(io.Discard, r)
			if n > lim.MaxMemberBytes {
				t.Fatalf("member gave %d bytes, over the limit of %d", n, lim.MaxMemberBytes)
			}
			total += n
			if total > lim.MaxTotalBytes {
				t.Fatalf("archive gave %d bytes, over the limit of %d", total, lim.MaxTotalBytes)
			}
			return nil
		})
	})
}

func TestWalkSharedBudgetSpansNestedArchives(t *testing.T) {
	chunk := strings.Repeat("0123456789", 60) // 600 bytes
	inner := zipOf(t, entry{name: "1.txt", body: chunk}, entry{name: "2.txt", body: chunk})
	outer := zipOf(t, entry{name: "a.zip", body: string(inner)}, entry{name: "b.zip", body: string(inner)})
	// Each walk alone spends at most 2×len(inner) or 1200 bytes; the outer members and the inner contents
	// together spend 2×len(inner) + 2400.
	lim := Limits{MaxTotalBytes: int64(max(2*len(inner), 1200) + 100)}
	tests := []struct {
		name    string
		share   bool
		wantErr bool
	}{
		{"a fresh budget per nested walk lets nesting restart the count", false, false},
		{"a shared budget holds the nested walks to the outer limit", true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var budget *Budget
			if tc.share {
				budget = new(Budget)
			}
			var innerErrs []error
			err := Walk(context.Background(), bytes.NewReader(outer), int64(len(outer)), "zip", lim, budget, func(m Member, open func() (io.Reader, error)) error {
				r, err := open()
				if err != nil {
					return err
				}
				b, err := io.ReadAll(r)
				if err != nil {
					innerErrs = append(innerErrs, err)
					return nil
				}
				innerErrs = append(innerErrs, Walk(context.Background(), bytes.NewReader(b), int64(len(b)), "zip", lim, budget, func(_ Member, open func() (io.Reader, error)) error {
					r, err := open()
					if err != nil {
						return err
					}
					_, err = io.Copy(io.Discard, r)
					return err
				}))
				return nil
			})
			gotErr := errors.Is(errors.Join(append(innerErrs, err)...), ErrLimit)
			if gotErr != tc.wantErr {
				t.Errorf("limit error %v (outer %v, inner %v), want one: %v", gotErr, err, innerErrs, tc.wantErr)
			}
			if tc.share && !errors.Is(err, ErrLimit) {
				t.Errorf("outer walk ended with %v, want it stopped by the spent budget", err)
			}
		})
	}
}
