package rules

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// prose builds deterministic case-note style text of about n bytes with identifiers and sensitive terms
// scattered through it, roughly one every few hundred bytes, as in real housing notes.
func prose(n int) string {
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields(`the tenant called about the repair to the kitchen window and asked when the
		operative would attend; we agreed a visit next week and noted that the rent account is up to date.
		Neighbour reported noise late at night, officer will write to both households. Damp and black mould in
		the bathroom, labour costs quoted by the contractor, service charge query passed to income team.
		Elm Court block inspection complete, communal lighting fixed, bins moved, garden tidy, key safe checked`)
	inserts := []string{"NHS number 943 476 5919", "call 07700 900123", "jane.doe@example.org",
		"NI AB 12 34 56 C", "SW1A 1AA", "type 2 diabetes", "schizophrenia", "probation officer", "Mrs Okafor",
		"14 Station Road", "born 01/02/1980", "4111 1111 1111 1111"}
	var b strings.Builder
	b.Grow(n + 100)
	for b.Len() < n {
		if r.IntN(40) == 0 {
			b.WriteString(inserts[r.IntN(len(inserts))])
		} else {
			b.WriteString(words[r.IntN(len(words))])
		}
		if r.IntN(15) == 0 {
			b.WriteString(".\n")
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// BenchmarkTextDefaultPack measures the whole default pack over free text: MB/s is the figure the README quotes.
func BenchmarkTextDefaultPack(b *testing.B) {
	e := defaultEngine(b)
	text := prose(4 << 20)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f := e.Text("*", text)
		if !f.Personal {
			b.Fatal("prose not classified personal")
		}
	}
}

// BenchmarkColumnDefaultPack measures structured columns: 1,000 sampled cells of mixed shapes per column.
func BenchmarkColumnDefaultPack(b *testing.B) {
	e := defaultEngine(b)
	cols := map[string][]string{}
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 1000; i++ {
		cols["Email"] = append(cols["Email"], fmt.Sprintf("person%d@example.org", i))
		cols["NHS No"] = append(cols["NHS No"], "943 476 5919")
		cols["Ethnic Group"] = append(cols["Ethnic Group"], []string{"White British", "Pakistani", "Indian"}[r.IntN(3)])
		cols["Arrears"] = append(cols["Arrears"], fmt.Sprintf("%d.%02d", r.IntN(3000), r.IntN(100)))
		cols["Notes"] = append(cols["Notes"], prose(120))
	}
	var bytes int64
	for _, vs := range cols {
		for _, v := range vs {
			bytes += int64(len(v))
		}
	}
	b.SetBytes(bytes)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for name, vs := range cols {
			e.Column(name, vs)
		}
	}
}

// BenchmarkColumnShapes measures one 10,000-value column of each shape a database sample is full of (keys,
// amounts, dates, timestamps, names), in ns per value: most of a whole-schema scan's matching is these.
func BenchmarkColumnShapes(b *testing.B) {
	e := defaultEngine(b)
	r := rand.New(rand.NewPCG(3, 4))
	surnames := []string{"Smith", "Jones", "Okafor", "Patel", "Williams", "Brown"}
	forenames := []string{"Olivia", "Amelia", "Isla", "Oliver", "George", "Aisha", "Priya", "Kwame"}
	shapes := []struct {
		name string
		gen  func(i int) string
	}{
		{"int", func(i int) string { return fmt.Sprint(i + 1) }},
		{"bigint", func(int) string { return fmt.Sprint(1000000 + r.IntN(9000000)) }},
		{"decimal", func(int) string { return fmt.Sprintf("%d.%02d", r.IntN(3000), r.IntN(100)) }},
		{"date", func(int) string { return fmt.Sprintf("20%02d-%02d-%02d", r.IntN(25), 1+r.IntN(12), 1+r.IntN(28)) }},
		{"datetime", func(int) string {
			return fmt.Sprintf("20%02d-%02d-%02d %02d:%02d:%02d", r.IntN(25), 1+r.IntN(12), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60))
		}},
		{"name", func(i int) string { return surnames[r.IntN(len(surnames))] + fmt.Sprint(i) }},
		// The shapes that cost most in scripts/bench-crm's CRM: a person's full name, an e-mail address, a
		// postcode, a short free-text description.
		{"full_name", func(int) string { return forenames[r.IntN(len(forenames))] + " " + surnames[r.IntN(len(surnames))] }},
		{"email", func(i int) string {
			return strings.ToLower(forenames[r.IntN(len(forenames))]+"."+surnames[r.IntN(len(surnames))]) + fmt.Sprint(i%1000) + "@example.org"
		}},
		{"postcode", func(i int) string {
			return []string{"LS6", "M14", "B29", "CF24", "SE15"}[i%5] + " " + fmt.Sprint(1+i%9) + string(rune('A'+i%20)) + string(rune('B'+i%19))
		}},
		{"description", func(i int) string {
			return []string{"Leaking tap in kitchen", "No heating or hot water", "Broken window latch"}[i%3] + " - job " + fmt.Sprint(i)
		}},
	}
	for _, sh := range shapes {
		vals := make([]string, 10000)
		for i := range vals {
			vals[i] = sh.gen(i)
		}
		b.Run(sh.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				e.Column("value", vals)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(vals)), "ns/value")
		})
	}
}
