package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/datamap-uk/datamap/scanner"
)

// BenchmarkSample10k samples 10,000 rows from tables of growing size: the time per sample should stay flat.
// The 10M-row table takes a while to build and runs only with DATAMAP_BENCH_10M=1.
func BenchmarkSample10k(b *testing.B) {
	sizes := []int{100_000, 1_000_000}
	if os.Getenv("DATAMAP_BENCH_10M") != "" {
		sizes = append(sizes, 10_000_000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			p := filepath.Join(b.TempDir(), "big.db")
			build(b, p, "PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF",
				"CREATE TABLE tenants (id INTEGER PRIMARY KEY, name TEXT, email TEXT, postcode TEXT, notes TEXT)",
				fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
					INSERT INTO tenants SELECT i, 'Tenant ' || i, 't' || i || '@example.org', 'LS6 ' || (i %% 9) || 'AB',
					'Visited on ' || (i %% 28 + 1) || '/03/2024; no concerns raised.' FROM n`, n))
			s, err := New("bench", p, Options{SampleRows: 10000})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			u := scanner.Unit{Name: "main.tenants"}
			var sampled int
			b.ResetTimer()
			for b.Loop() {
				rec := &recorder{}
				if err := s.Sample(context.Background(), u, rec); err != nil || len(rec.containers) != 1 {
					b.Fatalf("sample: %v %+v", err, rec.unreadable)
				}
				sampled = rec.containers[0].RowsSampled
			}
			b.ReportMetric(float64(sampled)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
