package docx

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fixtures are synthetic and built at run time.

const ns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"`

func doc(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document ` + ns + `><w:body>` + body + `</w:body></w:document>`
}

func para(runs ...string) string {
	var b strings.Builder
	b.WriteString("<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr>")
	for _, r := range runs {
		b.WriteString("<w:r><w:rPr><w:b/></w:rPr>" + r + "</w:r>")
	}
	b.WriteString("</w:p>")
	return b.String()
}

func wt(s string) string { return `<w:t xml:space="preserve">` + s + `</w:t>` }

func table(rows ...[]string) string {
	var b strings.Builder
	b.WriteString("<w:tbl><w:tblPr/>")
	for _, r := range rows {
		b.WriteString("<w:tr>")
		for _, c := range r {
			b.WriteString("<w:tc><w:tcPr/>")
			for _, p := range strings.Split(c, "|") {
				b.WriteString(para(wt(p)))
			}
			b.WriteString("</w:tc>")
		}
		b.WriteString("</w:tr>")
	}
	b.WriteString("</w:tbl>")
	return b.String()
}

type part struct {
	name, body string
	encrypted  bool
}

func docxOf(t testing.TB, parts ...part) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		h := &zip.FileHeader{Name: p.name, Method: zip.Deflate}
		if p.encrypted {
			h.Flags |= 1
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, p.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var letter = doc(
	para(wt("Dear Ada Example,")) +
		para(wt("Your tenancy at "), wt("1 Example Road"), "<w:tab/>", wt("starts soon."), "<w:br/>", wt("Call 020 7946 0018.")) +
		table([]string{"Name", "Email"}, []string{"Ada Example", "ada@example.org|second line"}) +
		para(wt("Regards")))

const letterText = "Dear Ada Example,\n" +
	"Your tenancy at 1 Example Road\tstarts soon.\nCall 020 7946 0018.\n" +
	"Name\tEmail\n" +
	"Ada Example\tada@example.org second line\n" +
	"Regards\n"

func TestText(t *testing.T) {
	tests := []struct {
		name          string
		parts         []part
		max           int64
		want          string
		wantTruncated bool
	}{
		{
			name:  "reads paragraphs, tabs, breaks and table cells in order",
			parts: []part{{name: "[Content_Types].xml", body: "<Types/>"}, {name: "word/document.xml", body: letter}},
			max:   1 << 20, want: letterText,
		},
		{
			name: "adds comments, footnotes, headers and footers after the body",
			parts: []part{
				{name: "word/footer1.xml", body: `<w:ftr ` + ns + `>` + para(wt("Footer text")) + `</w:ftr>`},
				{name: "word/document.xml", body: doc(para(wt("Body")))},
				{name: "word/header1.xml", body: `<w:hdr ` + ns + `>` + para(wt("Header text")) + `</w:hdr>`},
				{name: "word/comments.xml", body: `<w:comments ` + ns + `><w:comment>` + para(wt("Check her NI number")) + `</w:comment></w:comments>`},
				{name: "word/styles.xml", body: `<w:styles ` + ns + `>` + para(wt("not text")) + `</w:styles>`},
			},
			max: 1 << 20, want: "Body\n\nCheck her NI number\n\nHeader text\n\nFooter text\n",
		},
		{
			name:  "includes deleted text but not field codes or fallback copies",
			parts: []part{{name: "word/document.xml", body: doc(para(`<w:del><w:r><w:delText>old address</w:delText></w:r></w:del>`, `<w:instrText> PAGE </w:instrText>`, `<mc:AlternateContent><mc:Choice Requires="wps">`+wt("box")+`</mc:Choice><mc:Fallback>`+wt("box")+`</mc:Fallback></mc:AlternateContent>`))}},
			max:   1 << 20, want: "old addressbox\n",
		},
		{
			name:  "stops at the output limit and reports truncation",
			parts: []part{{name: "word/document.xml", body: letter}},
			max:   20, want: letterText[:20], wantTruncated: true,
		},
		{
			name:  "cuts the output on a character boundary",
			parts: []part{{name: "word/document.xml", body: doc(para(wt("£££")))}},
			max:   3, want: "£", wantTruncated: true,
		},
		{
			name: "stops reading XML after the input budget and reports truncation",
			parts: []part{{name: "word/document.xml", body: doc(para(wt("Early")) +
				strings.Repeat(`<w:r><w:rPr><w:b/></w:rPr></w:r>`, 80000) + para(wt("Late")))}},
			max: 100, want: "Early\n", wantTruncated: true,
		},
		{
			name:  "skips an encrypted extra part",
			parts: []part{{name: "word/document.xml", body: doc(para(wt("Body")))}, {name: "word/footnotes.xml", body: "x", encrypted: true}},
			max:   1 << 20, want: "Body\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := docxOf(t, tc.parts...)
			got, truncated, err := Text(bytes.NewReader(data), int64(len(data)), tc.max)
			if err != nil {
				t.Fatalf("Text: %v", err)
			}
			if got != tc.want {
				t.Errorf("Text =\n%q\nwant\n%q", got, tc.want)
			}
			if truncated != tc.wantTruncated {
				t.Errorf("truncated = %v, want %v", truncated, tc.wantTruncated)
			}
		})
	}
}

func TestTextErrors(t *testing.T) {
	secret := "Ada Example 943 476 5919"
	tests := []struct {
		name string
		data []byte
	}{
		{"rejects data that is not a zip", []byte("plain text " + secret)},
		{"rejects a zip without word/document.xml", docxOf(t, part{name: "xl/workbook.xml", body: "<workbook/>"})},
		{"rejects malformed XML without quoting it", docxOf(t, part{name: "word/document.xml", body: doc(para(wt(secret))) + "<" + secret + "</oops>"})},
		{"rejects an encrypted document part", docxOf(t, part{name: "word/document.xml", body: letter, encrypted: true})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Text(bytes.NewReader(tc.data), int64(len(tc.data)), 1<<20)
			if err == nil {
				t.Fatal("want an error")
			}
			if strings.Contains(err.Error(), "Ada") || strings.Contains(err.Error(), "943") {
				t.Fatalf("error quotes the document: %v", err)
			}
		})
	}
}

func BenchmarkText(b *testing.B) {
	var body strings.Builder
	for i := range 2000 {
		body.WriteString(para(wt("Tenant reference "), wt(strings.Repeat("x", i%50))))
		if i%100 == 0 {
			body.WriteString(table([]string{"a", "b", "c"}, []string{"1", "2", "3"}))
		}
	}
	xml := doc(body.String())
	data := docxOf(b, part{name: "word/document.xml", body: xml})
	b.SetBytes(int64(len(xml))) // throughput of decompressed XML
	for b.Loop() {
		if _, _, err := Text(bytes.NewReader(data), int64(len(data)), 1<<20); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzDocxText(f *testing.F) {
	f.Add([]byte(letter), int64(1<<20), false)
	f.Add([]byte(letter), int64(7), false)
	f.Add([]byte(doc(para(wt("£££")))), int64(3), false)
	f.Add(docxOf(f, part{name: "word/document.xml", body: letter}), int64(100), true)
	f.Fuzz(func(t *testing.T, data []byte, max int64, raw bool) {
		max %= 1 << 16
		if !raw {
			// Most inputs are better spent on the XML than on the zip around it.
			data = docxOf(t, part{name: "word/document.xml", body: string(data)}, part{name: "word/header1.xml", body: string(data)})
		}
		got, truncated, err := Text(bytes.NewReader(data), int64(len(data)), max)
		if err != nil {
			return
		}
		if max >= 0 && int64(len(got)) > max || max < 0 && got != "" {
			t.Fatalf("%d bytes of text, over the limit of %d", len(got), max)
		}
		if !utf8.ValidString(got) {
			t.Fatal("text is not valid UTF-8")
		}
		if int64(len(got)) == max && max > 0 && !truncated {
			// Not an error in itself, but the text must then be complete: reading again with more room
			// must give the same.
			again, _, err := Text(bytes.NewReader(data), int64(len(data)), max+1024)
			if err != nil || again != got {
				t.Fatalf("text at exactly the limit was not complete")
			}
		}
	})
}
