package gen

import (
	"strings"
	"time"
)

// Synthetic names: common UK forenames and surnames from many backgrounds, combined at random. No combination
// is meant to describe anyone.
var (
	femaleNames = []string{"Amara", "Aisha", "Bethany", "Chloe", "Deepa", "Ewa", "Fatima", "Grace", "Harpreet",
		"Ioana", "Jasmine", "Leah", "Mei", "Niamh", "Priya", "Rukhsana", "Saoirse", "Siobhan", "Zara", "Efua",
		"Agnieszka", "Ruth", "Hannah", "Nadia", "Olivia", "Yasmin", "Megan", "Chanelle", "Ayesha", "Katie"}
	maleNames = []string{"Ben", "Callum", "Daniel", "Hamza", "Imran", "Jack", "Kwame", "Mohammed", "Oliver",
		"Rhys", "Tomasz", "Yusuf", "Olumide", "Connor", "Kofi", "Gareth", "Declan", "Arjun", "Liam", "Samuel",
		"Marek", "Tariq", "Joseph", "Ewan", "Dylan", "Adebayo", "Luca", "Ryan", "Wei", "Patrick"}
	surnames = []string{"Ahmed", "Begum", "Campbell", "Chowdhury", "Davies", "Evans", "Hussain", "Jones", "Kaur",
		"Khan", "Kowalski", "Mensah", "Murphy", "Nowak", "O'Brien", "Okafor", "Patel", "Roberts", "Singh", "Smith",
		"Taylor", "Thompson", "Walsh", "Williams", "Wright", "Zhang", "Adeyemi", "Hughes", "Byrne", "Clarke",
		"MacLeod", "Sharma", "Osei", "Haddad", "Novak", "Brown", "Ali", "Lee", "Fox", "Iqbal"}
	// Names carrying Windows-1252 accented letters, for the legacy export.
	accentedForenames = []string{"José", "Zoë", "Chloé", "Siân", "Renée", "Seán", "Bríd", "Anaïs", "Iñaki", "Noël"}
	accentedSurnames  = []string{"Müller", "Ó Súilleabháin", "Núñez", "Ødegaard", "Lefèvre", "Gómez", "Ní Bhriain", "Çelik"}
	streets           = []string{"Cavendish Road", "Harehills Lane", "Moss Side Street", "Victoria Terrace", "Albion Street",
		"Beech Grove", "Chapel Street", "Mill Lane", "Park View", "Station Road", "Rosebank Way", "Heaton Avenue",
		"Oak Crescent", "Canal Walk", "Church Lane", "Brunswick Place"}
	towns = map[string]string{"LS": "Leeds", "M": "Manchester", "BD": "Bradford", "S": "Sheffield",
		"NE": "Newcastle upon Tyne", "WF": "Wakefield", "HD": "Huddersfield", "OL": "Oldham"}
)

type person struct {
	title, first, middle, surname string
	female                        bool
	dob                           time.Time
	nino                          string
	email                         string
	mobile                        string
	houseNo                       int
	street                        string
	postcode                      string
}

func (p *person) name() string { return p.first + " " + p.surname }

func (p *person) address() string {
	return itoa(p.houseNo) + " " + p.street
}

func (p *person) town() string {
	out := strings.Fields(p.postcode)[0]
	area := strings.TrimRight(out, "0123456789")
	return towns[area]
}

// newPerson draws one synthetic person. The order of draws is fixed, so the same seed gives the same people.
func (g ids) newPerson() *person {
	p := &person{female: g.r.IntN(2) == 0}
	if p.female {
		p.first = femaleNames[g.r.IntN(len(femaleNames))]
		p.title = []string{"Ms", "Mrs", "Miss", "Mx"}[g.r.IntN(4)]
	} else {
		p.first = maleNames[g.r.IntN(len(maleNames))]
		p.title = []string{"Mr", "Mr", "Mr", "Mx"}[g.r.IntN(4)]
	}
	if g.r.IntN(3) == 0 {
		if p.female {
			p.middle = femaleNames[g.r.IntN(len(femaleNames))]
		} else {
			p.middle = maleNames[g.r.IntN(len(maleNames))]
		}
	}
	p.surname = surnames[g.r.IntN(len(surnames))]
	p.dob = g.dob()
	g.note(kindDOB, p.dob.Format("2006-01-02"))
	p.nino = g.nino(false)
	p.email = g.email(p)
	p.mobile = g.mobile()
	p.houseNo = 1 + g.r.IntN(180)
	p.street = streets[g.r.IntN(len(streets))]
	p.postcode = g.postcode()
	return p
}

func (g ids) email(p *person) string {
	local := strings.ToLower(strings.NewReplacer("'", "", " ", "").Replace(p.first + "." + p.surname))
	switch g.r.IntN(3) {
	case 0:
		local = strings.ToLower(p.first[:1] + strings.ReplaceAll(p.surname, "'", ""))
	case 1:
		local += itoa(g.r.IntN(90) + 10)
	}
	domain := []string{"example.org", "example.com", "mail.example.net"}[g.r.IntN(3)]
	if domain == "mail.example.net" {
		domain = "example.net"
	}
	return g.note(kindEmail, local+"@"+domain)
}

// Census 2021 (England and Wales) ethnic group answers, with "Prefer not to say".
var ethnicGroups = []string{
	"White: English, Welsh, Scottish, Northern Irish or British", "White: Irish", "White: Gypsy or Irish Traveller",
	"White: Roma", "White: Other White", "Mixed: White and Black Caribbean", "Mixed: White and Black African",
	"Mixed: White and Asian", "Asian or Asian British: Indian", "Asian or Asian British: Pakistani",
	"Asian or Asian British: Bangladeshi", "Asian or Asian British: Chinese", "Black or Black British: African",
	"Black or Black British: Caribbean", "Other ethnic group: Arab", "Prefer not to say",
}

// Census 2021 religion answers.
var religions = []string{"No religion", "Christian", "Muslim", "Hindu", "Sikh", "Jewish", "Buddhist",
	"Any other religion", "Prefer not to say"}

var orientations = []string{"Straight or Heterosexual", "Straight or Heterosexual", "Straight or Heterosexual",
	"Gay or Lesbian", "Bisexual", "Prefer not to say"}

var conditions = []string{"mobility impairment (uses a wheelchair)", "COPD", "type 2 diabetes", "epilepsy",
	"depression and anxiety", "partially sighted", "deaf (BSL user)", "learning disability", "multiple sclerosis",
	"arthritis", "PTSD", "autism"}
