package gen

import (
	"encoding/xml"
	"fmt"
	"strings"
	"time"
)

// doc is a text document and its ground truth: one field "*".
type doc struct {
	text string
	meta meta
}

func (e *estate) addDoc(p string, d doc) {
	e.add(p, []byte(d.text))
	e.label(p, "*", d.meta)
}

func ukDate(t time.Time) string { return t.Format("02/01/2006") }

func (e *estate) notes() error {
	e.addDoc("notes/casework_2023.txt", e.casework())
	e.addDoc("notes/letter_arrears.md", e.arrearsLetter())
	e.addDoc("notes/email_export.eml", e.email())
	e.addDoc("notes/app.log", e.appLog())
	e.addDoc("notes/config.json", doc{text: configJSON, meta: decoy("service configuration: role mailbox, version strings, " +
		"race_condition and union flags; no person")})
	e.addDoc("notes/page.html", doc{text: pageHTML, meta: decoy("public web page: switchboard number, Elm Court, black mould, " +
		"a church hall; no person")})
	d, err := e.recordsXML()
	if err != nil {
		return err
	}
	e.addDoc("notes/records.xml", d)
	return nil
}

func (e *estate) casework() doc {
	g := e.rng("notes/casework_2023.txt")
	var b strings.Builder
	b.WriteString("CASEWORK LOG 2023 - Tenancy Sustainment Team, Northmoor Homes\n")
	b.WriteString("Restricted: contains health and safeguarding information.\n\n")
	for i := range 24 {
		p := e.people[200+i]
		if i%6 == 5 {
			p = e.find(200+i, mother) // the pregnancy entry
		}
		when := ukDate(day(d2023, i*15+g.r.IntN(10)))
		fmt.Fprintf(&b, "%s  Visit to %s at %s, %s. DOB %s. ", when, p.name(), p.address(), p.postcode, ukDate(p.dob))
		switch i % 6 {
		case 0:
			fmt.Fprintf(&b, "NI number %s. Tenant disclosed a diagnosis of bipolar disorder and is taking lithium; "+
				"the community mental health team is involved. NHS number %s. Agreed a referral to floating support.",
				g.nino(true), nhsSpaced(g.nhs()))
		case 1:
			fmt.Fprintf(&b, "Asked for a halal food parcel and said the family attend the mosque every Friday, so "+
				"visits should avoid Friday lunchtime. Contact on %s or %s.", p.mobile, p.email)
		case 2:
			fmt.Fprintf(&b, "Tenant's adult son was convicted of burglary in 2021 and is on licence; his probation "+
				"officer %s confirmed MAPPA level 1 management. Tenant worried about the tenancy.", g.newPerson().name())
		case 3:
			fmt.Fprintf(&b, "Uses a wheelchair after a stroke; occupational therapist assessment requested for a "+
				"level-access shower. Daughter's number %s.", g.mobile())
		case 4:
			fmt.Fprintf(&b, "Rent arrears linked to a benefits sanction. Tenant says they have been drinking heavily "+
				"since losing their job and were referred to the alcohol service. NI %s.", g.nino(false))
		default:
			fmt.Fprintf(&b, "Pregnant, due in %s; GP aware of anxiety and panic attacks. Requested a move to a "+
				"ground-floor flat. Email %s.", day(d2023, 200+i*3).Format("January"), p.email)
		}
		b.WriteString("\n\n")
	}
	return doc{text: b.String(), meta: pd(dtName, dtAddress, dtPostcode, dtDOB, dtNINO, dtNHS, dtPhone, dtEmail).
		sc(scHealth, scReligion).crim()}
}

func (e *estate) arrearsLetter() doc {
	g := e.rng("notes/letter_arrears.md")
	p := e.people[7]
	sc, acc := g.sortAccount()
	text := fmt.Sprintf(`# Notice of rent arrears

**Northmoor Homes** - Income Team
Customer hub: 0113 496 0000

**To:** %s %s
%s
%s
%s

Date: 01/03/2024
Rent account: RA-%06d

Dear %s %s,

Your rent account is **£%.2f** in arrears. Please contact your Income Officer within 14 days to agree a
payment plan. If we do not hear from you we may serve a Notice of Seeking Possession.

You can pay by bank transfer to *Northmoor Homes Ltd*, sort code %s, account %s, quoting your rent
account number.

Yours sincerely,

%s
Income Officer
`, p.title, p.name(), p.address(), p.town(), p.postcode, 700007, p.title, p.surname, money(g, 300, 1500),
		sc, acc, e.staff[3].name())
	return doc{text: text, meta: pd(dtName, dtAddress, dtPostcode).
		why("a letter to a tenant; the sort code and account are the association's own, not personal")}
}

func (e *estate) email() doc {
	g := e.rng("notes/email_export.eml")
	p, s := e.find(42, mother), e.staff[5]
	due := ukDate(time.Date(2024, 5, 20, 0, 0, 0, 0, time.UTC))
	text := strings.ReplaceAll(fmt.Sprintf(`From: %s <%s>
To: Floating Support Referrals <referrals@example.net>
Subject: Referral - %s
Date: Fri, 01 Dec 2023 10:14:00 +0000
Message-ID: <20231201101400.4417@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hi team,

I'd like to refer %s (DOB %s, NHS no. %s) who lives at %s, %s.

She is pregnant (due %s) and has told me she is experiencing severe anxiety and panic attacks; her GP has
recently prescribed sertraline. She is struggling to manage her money and is at risk of losing her tenancy.

Best number for her is %s. She is happy to be contacted by email at %s.

Thanks,
%s
Tenancy Sustainment Worker, Northmoor Homes
`, s.name(), s.email, p.name(), p.name(), ukDate(p.dob), nhsSpaced(g.nhs()), p.address(), p.postcode, due, p.mobile,
		p.email, s.name()), "\n", "\r\n")
	return doc{text: text, meta: pd(dtName, dtEmail, dtDOB, dtNHS, dtAddress, dtPostcode, dtPhone).sc(scHealth)}
}

func (e *estate) appLog() doc {
	g := e.rng("notes/app.log")
	var b strings.Builder
	t := time.Date(2024, 2, 12, 7, 58, 0, 0, time.UTC)
	ip := func() string {
		switch g.r.IntN(3) {
		case 0:
			return fmt.Sprintf("203.0.113.%d", 1+g.r.IntN(254))
		case 1:
			return fmt.Sprintf("198.51.100.%d", 1+g.r.IntN(254))
		}
		return fmt.Sprintf("192.0.2.%d", 1+g.r.IntN(254))
	}
	for i := range 80 {
		t = t.Add(time.Duration(20+g.r.IntN(400)) * time.Second)
		p := e.people[g.r.IntN(320)]
		ts := t.Format(time.RFC3339)
		switch i % 8 {
		case 0, 3:
			fmt.Fprintf(&b, "%s INFO auth login ok user_id=T%06d email=%s ip=%s\n", ts, 4000+g.r.IntN(320), p.email, ip())
		case 1:
			fmt.Fprintf(&b, "%s WARN auth login failed email=%s ip=%s attempts=%d\n", ts, p.email, ip(), 1+g.r.IntN(4))
		case 2, 5:
			fmt.Fprintf(&b, "%s INFO repairs request created job=%d%s user_id=T%06d ip=%s\n", ts, 1+g.r.IntN(9),
				g.digits(9), 4000+g.r.IntN(320), ip())
		case 4:
			fmt.Fprintf(&b, "%s DEBUG db query=\"SELECT id FROM jobs UNION ALL SELECT id FROM archived_jobs\" ms=%d\n",
				ts, 3+g.r.IntN(90))
		case 6:
			fmt.Fprintf(&b, "%s WARN cache race condition detected key=session:%d retrying\n", ts, g.r.IntN(99999))
		default:
			fmt.Fprintf(&b, "%s INFO payments callback status=ok ref=P%07d ip=%s\n", ts, 5100000+g.r.IntN(120), ip())
		}
	}
	return doc{text: b.String(), meta: pd(dtIP, dtEmail).why("tenant portal log: logins by email from public addresses")}
}

const configJSON = `{
  "service": "tenant-portal",
  "version": "4.2.1",
  "build": "10.0.19045.2965",
  "listen": "0.0.0.0:8443",
  "smtp": {
    "host": "smtp.example.org",
    "port": 587,
    "from": "noreply@example.org",
    "reply_to": "repairs@example.org"
  },
  "features": {
    "race_condition_guard": true,
    "union_queries": false,
    "disabled_modules": ["chat", "surveys"]
  },
  "customer_hub_phone": "0113 496 0000",
  "retention_days": 365
}
`

const pageHTML = `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Elm Court regeneration - Northmoor Homes</title>
</head>
<body>
<header><h1>Elm Court regeneration</h1></header>
<main>
<p>Work starts in April on the Elm Court and Manor Court blocks. Contractors will treat black mould in the
communal areas, replace the white goods in the laundry and reline the disabled parking bays.</p>
<p>The labour and materials are funded by the Social Housing Decarbonisation Fund. The stock condition survey
rated both roofs in poor condition.</p>
<h2>Drop-in sessions</h2>
<ul>
<li>Tuesday 5 March, St Mary's Church hall, 10am to 1pm</li>
<li>Thursday 7 March, Quaker Meeting House, 4pm to 7pm</li>
</ul>
<p>Questions? Call our customer hub on 0113 496 0000 or email <a href="mailto:regeneration@example.org">regeneration@example.org</a>.</p>
</main>
<footer>Northmoor Homes is a registered provider of social housing.</footer>
</body>
</html>
`

type xmlMember struct {
	Name         string `xml:"name"`
	DOB          string `xml:"dateOfBirth"`
	NINO         string `xml:"niNumber"`
	Relationship string `xml:"relationship"`
	Medical      string `xml:"medicalPriority,omitempty"`
}

type xmlHousehold struct {
	Ref      string      `xml:"ref,attr"`
	Postcode string      `xml:"postcode"`
	Members  []xmlMember `xml:"member"`
}

func (e *estate) recordsXML() (doc, error) {
	g := e.rng("notes/records.xml")
	type households struct {
		XMLName    xml.Name       `xml:"households"`
		Exported   string         `xml:"exported,attr"`
		Households []xmlHousehold `xml:"household"`
	}
	medical := []string{"", "", "", "Band B - wheelchair user", "Band A - terminal illness", "Band C - asthma",
		"Band B - severe depression"}
	var h households
	h.Exported = "2024-03-01"
	for i := range 40 {
		lead := e.people[240+i]
		hh := xmlHousehold{Ref: fmt.Sprintf("H%04d", i+1), Postcode: lead.postcode}
		hh.Members = append(hh.Members, xmlMember{Name: lead.name(), DOB: lead.dob.Format("2006-01-02"),
			NINO: lead.nino, Relationship: "Lead tenant", Medical: pick(g, medical)})
		if g.r.IntN(2) == 0 {
			m := g.newPerson()
			hh.Members = append(hh.Members, xmlMember{Name: m.first + " " + lead.surname, DOB: m.dob.Format("2006-01-02"),
				NINO: m.nino, Relationship: pick(g, []string{"Partner", "Son", "Daughter"})})
		}
		h.Households = append(h.Households, hh)
	}
	b, err := xml.MarshalIndent(h, "", "  ")
	if err != nil {
		return doc{}, fmt.Errorf("records.xml: %w", err)
	}
	return doc{text: xml.Header + string(b) + "\n", meta: pd(dtName, dtDOB, dtNINO, dtPostcode).sc(scHealth)}, nil
}

// docx assembles a minimal WordprocessingML package by hand: content types, the package relationship and
// the main document part.
func docx(body string) ([]byte, error) {
	const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`
	const rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`
	document := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body +
		`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>`
	return zipBytes(member{"[Content_Types].xml", []byte(contentTypes)}, member{"_rels/.rels", []byte(rels)},
		member{"word/document.xml", []byte(document)})
}

func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func para(s string) string {
	return `<w:p><w:r><w:t xml:space="preserve">` + xmlText(s) + `</w:t></w:r></w:p>`
}

func wordTable(rows [][2]string) string {
	var b strings.Builder
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>`)
	for _, r := range rows {
		b.WriteString("<w:tr>")
		for _, c := range r {
			b.WriteString("<w:tc>" + para(c) + "</w:tc>")
		}
		b.WriteString("</w:tr>")
	}
	b.WriteString("</w:tbl>")
	return b.String()
}

func (e *estate) letters() error {
	g := e.rng("letters/tenancy_offer.docx")
	p := e.people[11]
	body := para("Northmoor Homes") + para("Offer of an assured tenancy") + para("Dear "+p.title+" "+p.surname+",") +
		para("We are pleased to offer you the tenancy of Flat 3, Elm Court, Cavendish Road. Please check the details "+
			"we hold about you and bring photo identification to the sign-up appointment.") +
		wordTable([][2]string{
			{"Name", p.name()},
			{"Current address", p.address() + ", " + p.town()},
			{"Postcode", p.postcode},
			{"National Insurance number", g.nino(true)},
			{"Date of birth", p.dob.Format("2 January 2006")},
			{"Weekly rent", fmt.Sprintf("£%.2f", money(g, 90, 140))},
		}) +
		para("Yours sincerely,") + para(e.staff[0].name()+", Lettings Officer")
	b, err := docx(body)
	if err != nil {
		return fmt.Errorf("tenancy_offer.docx: %w", err)
	}
	e.add("letters/tenancy_offer.docx", b)
	e.label("letters/tenancy_offer.docx", "*", pd(dtName, dtAddress, dtPostcode, dtNINO, dtDOB))
	return nil
}
