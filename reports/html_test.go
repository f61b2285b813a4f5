package reports

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/datamap-uk/datamap/rules"
	"github.com/datamap-uk/datamap/scanner"
)

func writeHTML(t testing.TB, inv *scanner.Inventory) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := (HTML{}).Write(&buf, inv); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func parseHTML(t testing.TB, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("report does not parse as HTML: %v", err)
	}
	return doc
}

// walk calls fn on every node under n, depth first, in document order.
func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func elements(doc *html.Node, tag string) []*html.Node {
	var out []*html.Node
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			out = append(out, n)
		}
	})
	return out
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func byID(doc *html.Node, id string) *html.Node {
	var found *html.Node
	walk(doc, func(n *html.Node) {
		if found == nil && n.Type == html.ElementNode {
			if v, ok := attr(n, "id"); ok && v == id {
				found = n
			}
		}
	})
	return found
}

// textOf is the node's text as a person reads it, each text node a word apart (a card's label and figure sit in
// separate boxes) and whitespace runs collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
			b.WriteByte(' ')
		}
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

func TestHTMLMatchesGolden(t *testing.T) {
	golden(t, "report.html", writeHTML(t, demoInventory(t)))
}

func TestHTMLIsDeterministic(t *testing.T) {
	a, b := writeHTML(t, demoInventory(t)), writeHTML(t, demoInventory(t))
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings of the same inventory differ")
	}
	inv := demoInventory(t)
	inv.GeneratedAt = inv.GeneratedAt.Add(24 * time.Hour)
	if bytes.Equal(a, writeHTML(t, inv)) {
		t.Fatal("the generated-at time does not reach the report")
	}
}

// urlLike finds an address a browser would fetch: a scheme URL or a protocol-relative one.
var urlLike = regexp.MustCompile(`(?i)(https?:|ftp:|//[a-z0-9.-]+\.[a-z]{2,})`)

func TestHTMLIsSelfContained(t *testing.T) {
	doc := parseHTML(t, writeHTML(t, demoInventory(t)))

	var csp, viewport bool
	for _, m := range elements(doc, "meta") {
		if v, _ := attr(m, "http-equiv"); strings.EqualFold(v, "Content-Security-Policy") {
			c, _ := attr(m, "content")
			csp = c == "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
		}
		if v, _ := attr(m, "name"); v == "viewport" {
			c, _ := attr(m, "content")
			viewport = strings.Contains(c, "width=device-width")
		}
	}
	if !csp {
		t.Error("no Content-Security-Policy meta forbidding network access")
	}
	if !viewport {
		t.Error("no viewport meta: phones would show the desktop layout shrunk")
	}
	for _, tag := range []string{"link", "img", "iframe", "object", "embed", "base"} {
		for _, n := range elements(doc, tag) {
			t.Errorf("report has a <%s> element: %v", tag, n.Attr)
		}
	}
	if n := len(elements(doc, "script")); n != 1 {
		t.Errorf("report has %d script elements, want the one inline script", n)
	}
	if n := len(elements(doc, "style")); n != 1 {
		t.Errorf("report has %d style elements, want the one inline stylesheet", n)
	}
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		for _, a := range n.Attr {
			if a.Key == "src" || (a.Key == "href" && !strings.HasPrefix(a.Val, "#")) {
				t.Errorf("<%s %s=%q> points outside the file", n.Data, a.Key, a.Val)
			}
			if urlLike.MatchString(a.Val) {
				t.Errorf("<%s %s=%q> holds an address", n.Data, a.Key, a.Val)
			}
		}
		if n.Data == "script" || n.Data == "style" {
			if s := textOf(n); urlLike.MatchString(s) || strings.Contains(s, "@import") || strings.Contains(s, "fetch(") || strings.Contains(s, "XMLHttpRequest") {
				t.Errorf("<%s> refers to something outside the file", n.Data)
			}
		}
	})
}

func TestHTMLShowsWhatAPersonNeeds(t *testing.T) {
	inv := demoInventory(t)
	doc := parseHTML(t, writeHTML(t, inv))
	page := textOf(doc)
	for _, want := range []string{
		"Personal data 115", "Special category (Art. 9) 23", "Criminal offence (Art. 10) 11", "Unreadable 12",
		"Health 15", "Special-category fields by Art. 9 class", "Unreadable items by reason",
		"NHS Number", "support/referrals.xlsx!Referrals", "archive/locked.zip!secret.csv",
		"DPIA screening (draft for the DPO)", "Indicative outcome",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report does not show %q", want)
		}
	}
	rows := elements(byID(doc, "datamap-table"), "tr")
	if got, want := len(rows)-1, inv.Summary.PersonalFields; got != want {
		t.Errorf("data map has %d rows, want one per personal field (%d)", got, want)
	}
	// Without script every row shows; only the filter form waits for script.
	for _, tr := range rows {
		if _, hidden := attr(tr, "hidden"); hidden {
			t.Fatal("a data map row is hidden before any filter ran")
		}
	}
	if _, hidden := attr(byID(doc, "filters"), "hidden"); !hidden {
		t.Error("the filter form shows without script, where it would do nothing")
	}
	if n := len(elements(doc, "svg")); n != 2 {
		t.Errorf("report has %d charts, want 2", n)
	}
}

func hostileInventory() *scanner.Inventory {
	const (
		field     = `<script>alert(1)</script>`
		container = `x"onmouseover=alert(2) y="`
		source    = `s' onfocus='alert(3)`
	)
	inv := &scanner.Inventory{
		SchemaVersion: "1.0", Complete: true,
		Tool:        scanner.Tool{Name: "datamap", Version: `</title><script>alert(4)</script>`},
		GeneratedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Settings:    scanner.Settings{RulePack: []string{`default`, `<img src=x onerror=alert(5)>`}},
		Sources: []scanner.SourceResult{{Name: source, Kind: "files", Location: `javascript:alert(8)`,
			Status: scanner.StatusOK, Error: `</td><script>alert(9)</script>`}},
		Containers: []scanner.ContainerResult{{Source: source, Container: container, Kind: "table", RowsTotal: 3, RowsSampled: 3}},
		Fields: []scanner.Field{{Source: source, Container: container, Field: field,
			Fingerprint: scanner.Fingerprint(source, container, field),
			Finding: rules.Finding{Personal: true, DataTypes: []string{`</script><script>alert(10)</script>`},
				SpecialCategory: []string{"health", `"><svg onload=alert(6)>`}, CriminalOffence: true,
				Evidence: rules.Evidence{Method: "name", Names: []string{`<i>`}, Examples: []string{`"onmouseover=alert(11)`},
					Matched: map[string]int{`<u>`: 1}}}}},
		Unreadable: []scanner.Unreadable{{Source: source, Path: `<img src=x onerror=alert(12)>.csv`,
			Reason: `<b onclick=alert(7)>`, Detail: `"onmouseover=alert(13)`}},
	}
	inv.Recount()
	return inv
}

func TestHTMLEscapesNamesFromTheEstate(t *testing.T) {
	inv := hostileInventory()
	out := writeHTML(t, inv)
	for _, raw := range []string{`<script>alert`, `<img src=x`, `<svg onload`, `<b onclick`, `"onmouseover=`, `' onfocus='`, `</td><script>`} {
		if bytes.Contains(out, []byte(raw)) {
			t.Errorf("report holds %q unescaped", raw)
		}
	}
	doc := parseHTML(t, out)
	if n := len(elements(doc, "script")); n != 1 {
		t.Errorf("report has %d script elements, want only its own", n)
	}
	for _, tag := range []string{"img", "b", "i", "u"} {
		if n := len(elements(doc, tag)); n != 0 {
			t.Errorf("a name became a <%s> element", tag)
		}
	}
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("<%s> gained an event handler attribute %s=%q", n.Data, a.Key, a.Val)
			}
			if a.Key == "href" && !strings.HasPrefix(a.Val, "#") {
				t.Errorf("<%s> gained a link %q", n.Data, a.Val)
			}
		}
	})
	// Escaped, the names still read as they are.
	page := textOf(doc)
	for _, want := range []string{inv.Fields[0].Field, `x"onmouseover=alert(2) y="`, `<img src=x onerror=alert(12)>.csv`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page does not show the name %q as text", want)
		}
	}
	tr := elements(byID(doc, "datamap-table"), "tr")[1]
	if v, _ := attr(tr, "data-source"); v != inv.Fields[0].Source {
		t.Errorf("data-source = %q, want the source name unchanged", v)
	}
}

func TestHTMLReportsAnEmptyScan(t *testing.T) {
	inv := &scanner.Inventory{SchemaVersion: "1.0", Complete: false,
		GeneratedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	page := textOf(parseHTML(t, writeHTML(t, inv)))
	for _, want := range []string{"The scan did not complete", "No personal data found.", "Everything found could be read.",
		"No special-category data found.", "The scan found no personal data.", "a DPIA may not be needed"} {
		if !strings.Contains(page, want) {
			t.Errorf("an empty scan's report does not say %q", want)
		}
	}
}

func TestHTMLHoldsNoPlantedValue(t *testing.T) {
	tests := []struct {
		name      string
		plant     bool
		wantLeaks bool
	}{
		{"a scan of planted values shows none of them", false, false},
		{"the search finds a planted value written as a field name", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := plantedInventory(t)
			if tt.plant {
				inv.Fields[0].Field = "Zebedee Quonk"
			}
			out := writeHTML(t, inv)
			// Escaping could hide a value from a byte search (O'Brien is O&#39;Brien), so the page's text is
			// searched too.
			parts := map[string][]byte{"html": out, "html text": []byte(html.UnescapeString(string(out)))}
			got := leaks(parts)
			if (len(got) > 0) != tt.wantLeaks {
				t.Fatalf("leaks = %v, want leaks: %v", got, tt.wantLeaks)
			}
		})
	}
}

// The HTML report drafts the same DPIA screening as the Markdown one: the questions, answers and outcome agree.
func TestHTMLDPIAAgreesWithMarkdown(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	large := &scanner.Inventory{SchemaVersion: "1.0", GeneratedAt: at, Complete: true,
		Sources:    []scanner.SourceResult{{Name: "s", Kind: "files", Status: scanner.StatusOK}},
		Containers: []scanner.ContainerResult{{Source: "s", Container: "support.csv", Kind: "table", RowsTotal: 5000}},
		Fields: []scanner.Field{{Source: "s", Container: "support.csv", Field: "condition", Finding: rules.Finding{
			Personal: true, DataTypes: []string{"health_condition", "safeguarding"}, SpecialCategory: []string{"health"}}}}}
	large.Recount()
	tests := []struct {
		name string
		inv  *scanner.Inventory
	}{
		{"demo estate", demoInventory(t)},
		{"large-scale health data", large},
		{"empty scan", &scanner.Inventory{SchemaVersion: "1.0", GeneratedAt: at, Complete: true}},
	}
	mdRow := regexp.MustCompile(`(?m)^\| (.+\?) \| (Yes|No) \| (.*) \|$`)
	mdOutcome := regexp.MustCompile(`\*\*(Indicative outcome: [^*]+)\*\*`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md := writeMarkdown(t, tt.inv)
			d := screenDPIA(tt.inv)
			var mdAnswers, htmlAnswers []string
			for _, m := range mdRow.FindAllStringSubmatch(md, -1) {
				mdAnswers = append(mdAnswers, m[1]+" "+m[2])
			}
			for _, a := range d.Answers {
				htmlAnswers = append(htmlAnswers, a.Question+" "+yesNoCap(a.Yes))
			}
			if len(mdAnswers) == 0 || strings.Join(mdAnswers, "\n") != strings.Join(htmlAnswers, "\n") {
				t.Errorf("screening answers differ:\nmarkdown:\n%s\nhtml:\n%s", strings.Join(mdAnswers, "\n"), strings.Join(htmlAnswers, "\n"))
			}
			m := mdOutcome.FindStringSubmatch(md)
			if m == nil || m[1] != d.OutcomeTitle {
				t.Errorf("outcome: markdown %q, html %q", m, d.OutcomeTitle)
			}
			if got, want := d.Caveat != "", strings.Contains(md, "Coverage caveat"); got != want {
				t.Errorf("coverage caveat in html: %v, in markdown: %v", got, want)
			}
		})
	}
}

func TestHTMLBarChart(t *testing.T) {
	tests := []struct {
		name      string
		in        []htmlChartInput
		wantW     []int
		wantEmpty bool
	}{
		{"the largest bar takes the full width", []htmlChartInput{{"a", 10}, {"b", 5}, {"c", 0}}, []int{chartBarMax, chartBarMax / 2, 0}, false},
		{"a tiny count still shows a sliver", []htmlChartInput{{"a", 1000}, {"b", 1}}, []int{chartBarMax, 2}, false},
		{"all zero says so instead of drawing", []htmlChartInput{{"a", 0}}, []int{0}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := barChart("t", "s", tt.in, "none")
			if (c.Empty != "") != tt.wantEmpty {
				t.Errorf("empty = %q, want empty: %v", c.Empty, tt.wantEmpty)
			}
			for i, b := range c.Bars {
				if b.BarW != tt.wantW[i] {
					t.Errorf("bar %d width = %d, want %d", i, b.BarW, tt.wantW[i])
				}
				if b.CountY > c.Height {
					t.Errorf("bar %d's count is below the chart (%d > %d)", i, b.CountY, c.Height)
				}
			}
		})
	}
}

func TestByteSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 bytes"}, {1, "1 byte"}, {999, "999 bytes"}, {1000, "1.0 kB"}, {4909, "4.9 kB"},
		{2097152, "2.1 MB"}, {5e12, "5.0 TB"}, {7e15, "7000.0 TB"},
	}
	for _, tt := range tests {
		if got := byteSize(tt.n); got != tt.want {
			t.Errorf("byteSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

// chromium finds a headless-capable Chromium, or says why there is none.
func chromium() (string, error) {
	if p := os.Getenv("DATAMAP_TEST_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("DATAMAP_TEST_CHROMIUM: %w", err)
		}
		return p, nil
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("chromium not found: scripts/test installs it when run as root")
}

// runChromium runs a headless Chromium that reaches nothing beyond the file it is given.
func runChromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--hide-scrollbars", "--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	// Chromium's helpers can keep the pipes open after the browser exits; do not wait on them for ever.
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, tail(stderr.String(), 2000))
	}
	return stdout.Bytes()
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("DATAMAP_TEST_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestHTMLInChromium opens the demo report in a real browser, with its script running, and checks what a person
// sees: the headline figures, a known field, the filter, a filter applied from the address, and a phone-sized
// screenshot that is kept as an artefact.
func TestHTMLInChromium(t *testing.T) {
	bin, err := chromium()
	if err != nil {
		t.Skip(err)
	}
	inv := demoInventory(t)
	art := artifactDir(t)
	page := filepath.Join(art, "report.html")
	if err := os.WriteFile(page, writeHTML(t, inv), 0o644); err != nil {
		t.Fatal(err)
	}
	url := "file://" + filepath.ToSlash(page)

	dump := func(t *testing.T, u string) *html.Node {
		out := runChromium(t, bin, "--virtual-time-budget=2000", "--dump-dom", u)
		if !bytes.Contains(out, []byte("datamap-table")) {
			t.Fatalf("dumped DOM has no data map:\n%s", tail(string(out), 500))
		}
		return parseHTML(t, out)
	}
	visibleRows := func(doc *html.Node) (shown, hidden []string) {
		for _, tr := range elements(byID(doc, "datamap-table"), "tr")[1:] {
			if _, h := attr(tr, "hidden"); h {
				hidden = append(hidden, textOf(tr))
			} else {
				shown = append(shown, textOf(tr))
			}
		}
		return shown, hidden
	}

	t.Run("shows the figures, the data map and a working filter", func(t *testing.T) {
		doc := dump(t, url)
		text := textOf(byID(doc, "summary"))
		for _, want := range []string{"Sources 1", "Fields classified 202", "Personal data 115",
			"Special category (Art. 9) 23", "Criminal offence (Art. 10) 11", "Unreadable 12"} {
			if !strings.Contains(text, want) {
				t.Errorf("summary does not show %q: %s", want, text)
			}
		}
		form := byID(doc, "filters")
		if _, hidden := attr(form, "hidden"); hidden {
			t.Error("the filter form is still hidden: the script did not run")
		}
		if byID(doc, "filter-q") == nil {
			t.Error("no search box")
		}
		shown, hidden := visibleRows(doc)
		if len(hidden) != 0 || len(shown) != inv.Summary.PersonalFields {
			t.Errorf("unfiltered: %d rows shown, %d hidden; want all %d shown", len(shown), len(hidden), inv.Summary.PersonalFields)
		}
		if got, want := textOf(byID(doc, "filter-count")), "Showing 115 of 115 personal fields"; got != want {
			t.Errorf("count = %q, want %q", got, want)
		}
		var known bool
		for _, r := range shown {
			known = known || strings.HasPrefix(r, "NHS Number support/referrals.xlsx!Referrals NHS number")
		}
		if !known {
			t.Error("the NHS Number field of support/referrals.xlsx is not shown")
		}
	})

	t.Run("a filter in the address hides the rows that do not match", func(t *testing.T) {
		doc := dump(t, url+"#filter=NHS")
		if v, _ := attr(byID(doc, "filter-q"), "value"); v != "" {
			// The DOM dump shows attributes, not the live value; the count below is the real check.
			t.Logf("search box value attribute: %q", v)
		}
		shown, hidden := visibleRows(doc)
		if len(shown) == 0 || len(hidden) == 0 {
			t.Fatalf("filter NHS: %d rows shown, %d hidden; want some of each", len(shown), len(hidden))
		}
		for _, r := range shown {
			if !strings.Contains(strings.ToLower(r), "nhs") {
				t.Errorf("row shown that does not mention NHS: %s", r)
			}
		}
		for _, r := range hidden {
			if strings.Contains(strings.ToLower(r), "nhs") {
				t.Errorf("row hidden that mentions NHS: %s", r)
			}
		}
		want := fmt.Sprintf("Showing %d of %d personal fields", len(shown), inv.Summary.PersonalFields)
		if got := textOf(byID(doc, "filter-count")); got != want {
			t.Errorf("count = %q, want %q", got, want)
		}
	})

	t.Run("the special-category and criminal filters combine", func(t *testing.T) {
		doc := dump(t, url+"#special=health&criminal=1")
		shown, hidden := visibleRows(doc)
		if len(shown) == 0 || len(hidden) == 0 {
			t.Fatalf("%d rows shown, %d hidden; want some of each", len(shown), len(hidden))
		}
		for _, tr := range elements(byID(doc, "datamap-table"), "tr")[1:] {
			if _, h := attr(tr, "hidden"); h {
				continue
			}
			sp, _ := attr(tr, "data-special")
			cr, _ := attr(tr, "data-criminal")
			if !strings.Contains(" "+sp+" ", " health ") || cr != "yes" {
				t.Errorf("row shown that is not criminal health data: %s", textOf(tr))
			}
		}
	})

	for _, shot := range []struct {
		name          string
		width, height int
	}{
		{"phone", 412, 915},
		{"desktop", 1280, 900},
	} {
		t.Run("screenshot on a "+shot.name, func(t *testing.T) {
			path := filepath.Join(art, "report-"+shot.name+".png")
			os.Remove(path)
			runChromium(t, bin, fmt.Sprintf("--window-size=%d,%d", shot.width, shot.height), "--screenshot="+path, url)
			f, err := os.Open(path)
			if err != nil {
				t.Fatalf("no screenshot: %v", err)
			}
			defer f.Close()
			img, err := png.Decode(f)
			if err != nil {
				t.Fatalf("screenshot is not a PNG: %v", err)
			}
			if b := img.Bounds(); b.Dx() != shot.width || b.Dy() != shot.height {
				t.Errorf("screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), shot.width, shot.height)
			}
			if sd, colours := luminanceSpread(img); sd < 20 || colours < 50 {
				t.Errorf("screenshot looks blank: luminance deviation %.1f, %d colours", sd, colours)
			}
			t.Logf("screenshot kept at %s", path)
		})
	}
}

// luminanceSpread is a blank-page check: the standard deviation of the pixels' luminance (0-255) and the number
// of distinct colours.
func luminanceSpread(img image.Image) (float64, int) {
	b := img.Bounds()
	var sum, sq float64
	colours := map[[3]uint32]bool{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			l := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / 257
			sum += l
			sq += l * l
			if len(colours) < 10000 {
				colours[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
			}
		}
	}
	n := float64(b.Dx() * b.Dy())
	mean := sum / n
	return math.Sqrt(max(0, sq/n-mean*mean)), len(colours)
}
