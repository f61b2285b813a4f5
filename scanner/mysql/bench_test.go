package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/datamap-uk/datamap/scanner"
)

const benchEnv = "DATAMAP_BENCH_MYSQL_BIG"

// countSink counts what a sample produced and drops it.
type countSink struct{ rows, unreadable int }

func (c *countSink) Container(ct *scanner.Container) { c.rows += ct.RowsSampled }
func (c *countSink) Unreadable(scanner.Unreadable)   { c.unreadable++ }

// benchTable creates schema.name with n synthetic tenant rows unless it already holds them, so reruns of
// the bench script skip the slow part. Keyed by id, or with coded by a string code ("T00000001"), which
// leadRanges samples.
func benchTable(b *testing.B, srv *server, schema, name string, n int, coded bool) {
	b.Helper()
	full := quote(schema) + "." + quote(name)
	// MAX of the key is an index lookup: a COUNT(*) would scan the table and flush the buffer pool.
	var have string
	maxKey, want := "MAX(id)", strconv.Itoa(n)
	if coded {
		maxKey, want = "MAX(code)", fmt.Sprintf("T%08d", n)
	}
	if err := srv.admin.QueryRow("SELECT " + maxKey + " FROM " + full).Scan(&have); err == nil && have == want {
		return
	}
	src := quote(schema) + ".seq_0_to_" + strconv.Itoa(n-1) // MariaDB's SEQUENCE engine
	col := "seq"
	if !srv.mariadb {
		// MySQL: a cross join of digits, one level per power of ten.
		var parts, sum []string
		for i := 0; int(pow10(i)) < n; i++ {
			parts = append(parts, fmt.Sprintf("(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d%d", i))
			sum = append(sum, fmt.Sprintf("d%d.d*%d", i, pow10(i)))
		}
		src = "(SELECT " + strings.Join(sum, "+") + " AS seq FROM " + strings.Join(parts, ", ") + ") g WHERE seq < " + strconv.Itoa(n)
	}
	start := time.Now()
	key, keyCol, keyVal := "", "id INT PRIMARY KEY", ""
	if coded {
		key, keyCol, keyVal = "code, ", "code CHAR(9) NOT NULL PRIMARY KEY, id INT NOT NULL", "CONCAT('T', LPAD("+col+"+1, 8, '0')), "
	}
	srv.exec(b,
		"DROP TABLE IF EXISTS "+full,
		"CREATE TABLE "+full+" ("+keyCol+", full_name VARCHAR(60) COMMENT 'tenant name', email VARCHAR(80), "+
			"postcode VARCHAR(8), nino CHAR(9), notes VARCHAR(200), profile LONGTEXT, created DATE)",
		"INSERT INTO "+full+" ("+key+"id, full_name, email, postcode, nino, notes, profile, created) SELECT "+keyVal+col+"+1, CONCAT('Tenant ', "+col+"), CONCAT('tenant', "+col+", '@example.org'), "+
			"CONCAT('M', "+col+" % 99, ' ', "+col+" % 9, 'AE'), CONCAT('AB', LPAD("+col+" % 1000000, 6, '0'), 'C'), "+
			"CONCAT('Repair request ', "+col+", ': boiler not working, tenant asked for a call back'), "+
			"CONCAT('{\"phone\":\"07700900', LPAD("+col+" % 1000, 3, '0'), '\",\"needs\":[\"none\"]}'), "+
			"DATE_ADD('2000-01-01', INTERVAL "+col+" % 9000 DAY) FROM "+src,
		"ANALYZE TABLE "+full,
	)
	b.Logf("created %s (%d rows) in %s", name, n, time.Since(start).Round(time.Second))
}

func pow10(i int) int64 {
	p := int64(1)
	for range i {
		p *= 10
	}
	return p
}

// replayer replays the statements of one sample on a plain connection, to time the server alone (SHOW
// PROFILES, the server's own clock) and the bare queries from Go: the floor for any client.
type replayer struct {
	conn    *sql.Conn
	queries []string
}

func newReplayer(b *testing.B, db *sql.DB, queries []string) *replayer {
	conn, err := db.Conn(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "SET SESSION profiling = 1, SESSION profiling_history_size = 100"); err != nil {
		b.Fatal(err)
	}
	return &replayer{conn: conn, queries: queries}
}

func (r *replayer) run(b *testing.B) (server, bare time.Duration) {
	ctx := context.Background()
	start := time.Now()
	for _, q := range r.queries {
		rows, err := r.conn.QueryContext(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
		}
		rows.Close()
	}
	bare = time.Since(start)
	rows, err := r.conn.QueryContext(ctx, "SHOW PROFILES")
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var durations []float64
	for rows.Next() {
		var id int
		var d float64
		var q string
		if err := rows.Scan(&id, &d, &q); err != nil {
			b.Fatal(err)
		}
		durations = append(durations, d)
	}
	// The history is cumulative: this replay's statements are the last ones.
	var sum float64
	for _, d := range durations[max(0, len(durations)-len(r.queries)):] {
		sum += d
	}
	return time.Duration(sum * float64(time.Second)), bare
}

// BenchmarkSampleLarge samples 10,000 rows from a 1M and a 10M row table, keyed by an integer and by a string
// code (both through leadRanges): the time per sample should not grow with the table. It needs a server and
// DATAMAP_BENCH_MYSQL_BIG=1 (scripts/bench-mysql sets both), because building the tables takes a few minutes.
func BenchmarkSampleLarge(b *testing.B) {
	if os.Getenv(benchEnv) == "" {
		b.Skip(benchEnv + " not set: run scripts/bench-mysql, which builds the 1M and 10M row tables")
	}
	srv := startServer(b)
	const schema = "datamap_bench"
	srv.exec(b, "CREATE DATABASE IF NOT EXISTS "+schema)
	for _, size := range []struct {
		name  string
		rows  int
		coded bool
	}{{"1M", 1_000_000, false}, {"10M", 10_000_000, false}, {"1M", 1_000_000, true}, {"10M", 10_000_000, true}} {
		table, key := "tenants_"+strings.ToLower(size.name), "int"
		if size.coded {
			table, key = "coded_"+strings.ToLower(size.name), "code"
		}
		benchTable(b, srv, schema, table, size.rows, size.coded)
		b.Run("key="+key+"/rows="+size.name, func(b *testing.B) {
			cfg := srv.adminCfg.Clone()
			cfg.DBName = schema
			cfg.Params = nil
			s, err := New("bench", cfg.FormatDSN(), Options{SampleRows: 10000, MaxConns: 1, Include: []string{schema + "." + table}, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			us := units(b, s)
			if len(us) != 1 {
				b.Fatalf("units = %v", us)
			}
			var queries []string
			s.trace = func(q string) { queries = append(queries, q) }
			sink := &countSink{}
			if err := s.Sample(context.Background(), us[0], sink); err != nil || sink.rows != 10000 {
				b.Fatalf("warm-up sample: %v, %d rows, %d unreadable", err, sink.rows, sink.unreadable)
			}
			s.trace = nil
			rep := newReplayer(b, srv.admin, queries)
			defer rep.conn.Close()
			rep.run(b) // warm the same pages the samples read
			if dir := os.Getenv("DATAMAP_BENCH_MYSQL_QUERIES"); dir != "" {
				os.WriteFile(filepath.Join(dir, table+".sql"), []byte("USE "+schema+";\n"+strings.Join(queries, ";\n")+";\n"), 0o600)
			}
			// Sample and replay alternate, so both see the same load on a shared machine.
			var wall, dbTime, bare time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				start := time.Now()
				if err := s.Sample(context.Background(), us[0], sink); err != nil {
					b.Fatal(err)
				}
				wall += time.Since(start)
				b.StopTimer()
				sv, br := rep.run(b)
				dbTime += sv
				bare += br
				b.StartTimer()
			}
			n := time.Duration(b.N)
			wall, dbTime, bare = wall/n, dbTime/n, bare/n
			b.ReportMetric(float64(dbTime.Microseconds())/1000, "db-ms/op")
			b.ReportMetric(float64(bare.Microseconds())/1000, "bare-ms/op")
			b.ReportMetric(float64(wall.Microseconds())/1000, "wall-ms/op")
			b.ReportMetric(float64(wall)/float64(dbTime), "wall/db")
			b.ReportMetric(float64(wall)/float64(bare), "wall/bare")
			b.ReportMetric(10000/wall.Seconds(), "rows/s")
			b.ReportMetric(float64(len(queries)), "queries/op")
			if mb, ok := peakRSSMB(); ok {
				b.ReportMetric(mb, "peak-rss-MB")
			}
		})
	}
}
