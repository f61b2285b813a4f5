package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/datamap-uk/datamap/rules"
	"github.com/datamap-uk/datamap/scanner"
)

// encoderWriteJSON is writeJSON as it was before appendIndent: the standard encoder indenting its own output.
// It is the oracle the tests compare writeJSON with, and the benchmark's baseline.
func encoderWriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// largeInventory is a synthetic inventory the size of a 280-table database scan: about 300 containers and
// 1,400 fields, a third of them personal with evidence, rule scores and masked examples.
func largeInventory() *scanner.Inventory {
	at := time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC)
	inv := &scanner.Inventory{
		SchemaVersion: scanner.SchemaVersion, Tool: scanner.Tool{Name: "datamap", Version: "1.2.3"},
		GeneratedAt: at, Complete: true,
		Settings: scanner.Settings{SampleRows: 1000, MaxTextBytes: 1 << 20, DBSampleRows: 10000,
			StatementTimeoutSeconds: 30, AsOf: "2026-11-22", RulePack: []string{"default"}},
		Sources: []scanner.SourceResult{
			{Name: "housing", Kind: "postgres", Location: "postgres://datamap:xxxxx@db.example.org/housing",
				Status: scanner.StatusOK, Units: 280, Containers: 280},
			{Name: "share", Kind: "files", Location: "/srv/share", Status: scanner.StatusPartial, Units: 24,
				Containers: 20, Unreadable: 4, Failed: 1},
		},
	}
	columns := []struct {
		name, typ string
		finding   rules.Finding
	}{
		{"id", "bigint", rules.Finding{DataTypes: []string{}, SpecialCategory: []string{},
			Evidence: rules.Evidence{Sampled: 1000, NonEmpty: 1000, Method: "none", Names: []string{},
				Matched: map[string]int{}, Examples: []string{}, Rules: []rules.RuleScore{}}}},
		{"nhs_number", "text", rules.Finding{Personal: true, DataTypes: []string{"uk-nhs-number"},
			SpecialCategory: []string{"health"}, HighRisk: true, Confidence: 0.97,
			Evidence: rules.Evidence{Sampled: 1000, NonEmpty: 981, Method: "both", Names: []string{"uk-nhs-number"},
				Matched:  map[string]int{"uk-nhs-number": 978},
				Examples: []string{"943 *** ****", "401 *** ****", "485 *** ****"},
				Rules: []rules.RuleScore{{Rule: "uk-nhs-number", Confidence: 0.97, Method: "both"},
					{Rule: "special-health-field", Confidence: 0.6, Method: "name"}}}}},
		{"email", "varchar(255)", rules.Finding{Personal: true, DataTypes: []string{"email"},
			SpecialCategory: []string{}, Confidence: 0.95,
			Evidence: rules.Evidence{Sampled: 1000, NonEmpty: 944, Method: "value", Names: []string{},
				Matched:  map[string]int{"email": 944},
				Examples: []string{"a***@example.org", "j***@example.com", "s***@example.net"},
				Rules:    []rules.RuleScore{{Rule: "email", Confidence: 0.95, Method: "value"}}}}},
		{"notes", "text", rules.Finding{Personal: true, DataTypes: []string{"free-text"},
			SpecialCategory: []string{"health", "religious_beliefs"}, CriminalOffence: true, HighRisk: true,
			Confidence: 0.71,
			Evidence: rules.Evidence{Sampled: 48213, NonEmpty: 612, FreeText: true, Method: "value",
				Names:    []string{},
				Matched:  map[string]int{"special-health-cue": 41, "special-religion-cue": 3, "criminal-offence-cue": 7},
				Examples: []string{"\"visited by *** re: <repairs> & rent\"", "tenant said \\ ***"},
				Notes:    []string{"free text: matches are cues, not identifiers"},
				Rules: []rules.RuleScore{{Rule: "special-health-cue", Confidence: 0.71, Method: "value"},
					{Rule: "criminal-offence-cue", Confidence: 0.55, Method: "value"}}}}},
		{"created_at", "timestamp with time zone", rules.Finding{DataTypes: []string{}, SpecialCategory: []string{},
			Evidence: rules.Evidence{Sampled: 1000, NonEmpty: 1000, Method: "none", Names: []string{},
				Matched: map[string]int{}, Examples: []string{}, Rules: []rules.RuleScore{}}}},
	}
	for c := range 300 {
		source := "housing"
		if c >= 280 {
			source = "share"
		}
		container := fmt.Sprintf("public.table_%03d", c)
		modified := at.Add(-time.Duration(c) * time.Hour)
		inv.Containers = append(inv.Containers, scanner.ContainerResult{Source: source, Container: container,
			Kind: "table", Format: "postgres", RowsTotal: 1000 + c*37, RowsEstimate: c%3 == 0, RowsSampled: 1000,
			BytesTotal: int64(c) * 8192, BytesSampled: 65536, Fields: 5, Modified: &modified,
			SampleNote: "TABLESAMPLE SYSTEM"})
		// 1,400 fields over 300 containers: 100 containers hold four columns, the rest five.
		n := len(columns)
		if c < 100 {
			n--
		}
		for _, col := range columns[:n] {
			inv.Fields = append(inv.Fields, scanner.Field{Source: source, Container: container, Field: col.name,
				Fingerprint: scanner.Fingerprint(source, container, col.name), Type: col.typ,
				PrimaryKey: col.name == "id", Finding: col.finding})
		}
	}
	for i := range 4 {
		inv.Unreadable = append(inv.Unreadable, scanner.Unreadable{Source: "share",
			Path: fmt.Sprintf("archive/minutes-%d.pdf", i), Reason: "encrypted", Detail: "password protected",
			Size: int64(i) * 4096})
	}
	inv.Recount()
	return inv
}

// BenchmarkWriteJSON writes the large inventory with the standard encoder's indenter and with appendIndent.
// Throughput is of the indented output.
func BenchmarkWriteJSON(b *testing.B) {
	inv := largeInventory()
	var out bytes.Buffer
	if err := writeJSON(&out, inv); err != nil {
		b.Fatal(err)
	}
	size := int64(out.Len())
	for _, bb := range []struct {
		name  string
		write func(io.Writer, any) error
	}{
		{"encoding-json-indent", encoderWriteJSON},
		{"appendIndent", writeJSON},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				if err := bb.write(io.Discard, inv); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkIndent compares the indenters alone on the large inventory's compact JSON, without the marshal.
func BenchmarkIndent(b *testing.B) {
	src, err := json.Marshal(largeInventory())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("json.Indent", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		var dst bytes.Buffer
		for b.Loop() {
			dst.Reset()
			if err := json.Indent(&dst, src, "", "  "); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("appendIndent", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		var dst []byte
		for b.Loop() {
			dst = appendIndent(dst[:0], src)
		}
	})
}
