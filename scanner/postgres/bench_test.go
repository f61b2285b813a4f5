package postgres

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/datamap-uk/datamap/scanner"
)

// discard is a Sink that keeps only counts, so the benchmark measures sampling, not classification.
type discard struct{ rows, unreadable int }

func (d *discard) Container(c *scanner.Container) { d.rows += c.RowsSampled }
func (d *discard) Unreadable(scanner.Unreadable)  { d.unreadable++ }

// BenchmarkSample samples 10,000 rows from a 1M and a 10M row table: the time per sample should stay flat as
// the table grows tenfold. It builds the tables once (about a minute on two cores) in a database named
// datamap_bench, so it runs only when DATAMAP_BENCH_POSTGRES=1 (scripts/bench-postgres sets it), never from
// scripts/test. Metrics: rows/s sampled; db-ms, the server's own execution time for the same query (EXPLAIN
// ANALYZE); bare-ms, the same query read by a bare client loop (the floor for "our matching is never the
// bottleneck"); peak-RSS-MB, the process's high-water mark.
func BenchmarkSample(b *testing.B) {
	dsn := os.Getenv(dsnEnv)
	if dsn == "" || os.Getenv("DATAMAP_BENCH_POSTGRES") != "1" {
		b.Skip(dsnEnv + " and DATAMAP_BENCH_POSTGRES=1 not set: run scripts/bench-postgres")
	}
	ctx := context.Background()
	benchDSN := prepareBench(b, ctx, dsn)
	for _, tc := range []struct {
		name, table string
		rows        int
	}{{"rows=1M", "t1m", 1_000_000}, {"rows=10M", "t10m", 10_000_000}} {
		b.Run(tc.name, func(b *testing.B) {
			s, err := New("bench", benchDSN, Options{Include: []string{"bench." + tc.table}})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			var last string
			s.onQuery = func(q string) { last = q }
			var unit scanner.Unit
			if err := s.Units(ctx, func(u scanner.Unit) error { unit = u; return nil }); err != nil || unit.Name == "" {
				b.Fatalf("listing: %v", err)
			}
			replay, err := pgx.Connect(ctx, benchDSN)
			if err != nil {
				b.Fatal(err)
			}
			defer replay.Close(ctx)
			var sampled int
			var wall, db, bare time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s.opt.Seed = uint64(i) // fresh pages each time, as a real scan would see
				d := &discard{}
				start := time.Now()
				if err := s.Sample(ctx, unit, d); err != nil || d.unreadable > 0 || d.rows == 0 {
					b.Fatalf("sample: %v, %d unreadable, %d rows", err, d.unreadable, d.rows)
				}
				wall += time.Since(start)
				sampled += d.rows
				b.StopTimer()
				db += explainAnalyze(b, ctx, replay, last)
				bare += bareRead(b, ctx, replay, last)
				b.StartTimer()
			}
			b.StopTimer()
			n := float64(b.N)
			b.ReportMetric(float64(sampled)/wall.Seconds(), "rows/s")
			b.ReportMetric(float64(sampled)/n, "rows/op")
			b.ReportMetric(float64(db.Microseconds())/1000/n, "db-ms")
			b.ReportMetric(float64(bare.Microseconds())/1000/n, "bare-ms")
			b.ReportMetric(peakRSSMB(), "peak-RSS-MB")
		})
	}
}

// prepareBench creates datamap_bench with the two tables unless they are already there, and returns its DSN.
func prepareBench(b *testing.B, ctx context.Context, dsn string) string {
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close(ctx)
	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'datamap_bench')").Scan(&exists); err != nil {
		b.Fatal(err)
	}
	if !exists {
		if _, err := admin.Exec(ctx, "CREATE DATABASE datamap_bench"); err != nil {
			b.Fatal(err)
		}
	}
	u := withDatabase(&testing.T{}, dsn, "datamap_bench", "", "")
	db, err := pgx.Connect(ctx, u)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close(ctx)
	for _, t := range []struct {
		name string
		rows int
	}{{"t1m", 1_000_000}, {"t10m", 10_000_000}} {
		var have bool
		if err := db.QueryRow(ctx, "SELECT to_regclass('bench."+t.name+"') IS NOT NULL").Scan(&have); err != nil {
			b.Fatal(err)
		}
		if have {
			continue
		}
		start := time.Now()
		// Synthetic housing-CRM rows: example.org addresses, drama-range phone numbers, a free-text note.
		for _, q := range []string{
			"CREATE SCHEMA IF NOT EXISTS bench",
			"CREATE UNLOGGED TABLE bench." + t.name + ` (id bigint, email text, phone text, postcode text, note text)`,
			"INSERT INTO bench." + t.name + ` SELECT i, 'tenant' || i || '@example.org', '07700 900' || lpad((i % 1000)::text, 3, '0'),
				'SW1A ' || (i % 9) || 'AA', 'rent arrears call ' || i FROM generate_series(1, ` + strconv.Itoa(t.rows) + `) i`,
			"ANALYZE bench." + t.name,
		} {
			if _, err := db.Exec(ctx, q); err != nil {
				b.Fatalf("building bench.%s: %v", t.name, err)
			}
		}
		b.Logf("built bench.%s (%d rows) in %v", t.name, t.rows, time.Since(start).Round(time.Second))
	}
	return u
}

// explainAnalyze is the server's execution time for q.
func explainAnalyze(b *testing.B, ctx context.Context, c *pgx.Conn, q string) time.Duration {
	var out string
	if err := c.QueryRow(ctx, "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) "+q).Scan(&out); err != nil {
		b.Fatalf("explain: %v", err)
	}
	var doc []struct {
		Ms float64 `json:"Execution Time"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc) == 0 {
		b.Fatalf("explain output: %v", err)
	}
	return time.Duration(doc[0].Ms * float64(time.Millisecond))
}

// bareRead times q read by a client that does nothing with the rows.
func bareRead(b *testing.B, ctx context.Context, c *pgx.Conn, q string) time.Duration {
	start := time.Now()
	rows, err := c.Query(ctx, q)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		_ = rows.RawValues()
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// peakRSSMB is the process's resident-set high-water mark (Linux), or 0 where /proc is missing.
func peakRSSMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
