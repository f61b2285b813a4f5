package gen

import (
	"fmt"
	"time"
)

// Data types, as rules/pack/personal.toml spells them.
const (
	dtName     = "person_name"
	dtDOB      = "date_of_birth"
	dtNINO     = "nino"
	dtEmail    = "email"
	dtPhone    = "phone"
	dtAddress  = "address"
	dtPostcode = "postcode"
	dtNHS      = "nhs_number"
	dtSort     = "sort_code"
	dtAccount  = "bank_account"
	dtIBAN     = "iban"
	dtCard     = "payment_card"
	dtUTR      = "utr"
	dtDL       = "driving_licence"
	dtIP       = "ip_address"
)

func pick[T any](g ids, list []T) T { return list[g.r.IntN(len(list))] }

// day returns a date n days after start.
func day(start time.Time, n int) time.Time { return start.AddDate(0, 0, n) }

var (
	d2015 = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	d2023 = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
)

func money(g ids, lo, hi int) float64 {
	return float64(lo*100+g.r.IntN((hi-lo)*100)) / 100
}

func (e *estate) crm() error {
	// crm/tenants.csv: the main CRM export, UTF-8.
	g := e.rng("crm/tenants.csv")
	t := &table{}
	t.col("tenant_id", pd("tenancy_reference").why("a tenant's reference: an identifier of a person"))
	t.col("title", plain("courtesy title"))
	t.col("first_name", pd(dtName))
	t.col("surname", pd(dtName))
	t.col("DOB", pd(dtDOB))
	t.col("NI_No", pd(dtNINO))
	t.col("email", pd(dtEmail))
	t.col("mobile", pd(dtPhone))
	t.col("address_line_1", pd(dtAddress))
	t.col("town", plain("town alone does not identify anyone"))
	t.col("postcode", pd(dtPostcode))
	t.col("tenancy_start", pd("tenancy_history").why("a tenant's tenancy date (not a date of birth)"))
	t.col("tenancy_end", pd("tenancy_history").why("end of a former tenant's tenancy: the retention trigger; empty while the tenancy runs"))
	t.col("ethnicity", meta{}.sc(scEthnic).why("ONS 2021 ethnic group answers"))
	t.col("religion", meta{}.sc(scReligion).why("ONS 2021 religion answers"))
	t.col("sexual_orientation", meta{}.sc(scSexOr))
	t.col("disability", meta{}.sc(scHealth).why("Yes/No: reveals disability"))
	t.col("disability_detail", meta{}.sc(scHealth))
	t.col("rent_account", plain("rent account reference, not a bank account"))
	t.col("weekly_rent", plain("amount"))
	for i, p := range e.people[:320] {
		dis, detail := "No", ""
		if g.r.IntN(4) == 0 {
			dis, detail = "Yes", pick(g, conditions)
		}
		start := day(d2015, g.r.IntN(3000))
		var end any = "" // a third of the tenancies have ended: former tenants, for the retention check
		if i%3 == 0 {
			if e := day(start, 200+(i*53)%2800); e.Before(fixedTime) {
				end = e
			}
		}
		t.add(fmt.Sprintf("T%06d", 4000+i), p.title, p.first, p.surname, p.dob, p.nino, p.email, p.mobile,
			p.address(), p.town(), p.postcode, start, end, pick(g, ethnicGroups), pick(g, religions),
			pick(g, orientations), dis, detail, fmt.Sprintf("RA-%06d", 700000+i), money(g, 85, 160))
	}
	e.add("crm/tenants.csv", t.csv())
	e.labelTable("crm/tenants.csv", t)

	// crm/contacts_export.tsv: next of kin and other contacts, UTF-16LE with BOM as Excel's "Unicode text".
	g = e.rng("crm/contacts_export.tsv")
	t = &table{dateLayout: "2006-01-02"}
	t.col("ContactID", plain("internal key"))
	t.col("FullName", pd(dtName))
	t.col("Relationship", plain("relationship to the tenant"))
	t.col("HomePhone", pd(dtPhone))
	t.col("Email", pd(dtEmail))
	t.col("Postcode", pd(dtPostcode))
	t.col("TenantRef", pd("tenancy_reference").why("a tenant's reference"))
	t.col("LastContacted", plain("contact date"))
	for i := range 120 {
		p := g.newPerson()
		t.add(fmt.Sprintf("C%05d", 10000+i), p.name(), pick(g, []string{"Next of kin", "Daughter", "Son", "Neighbour",
			"Sister", "Friend", "Advocate"}), g.landline(), p.email, p.postcode, fmt.Sprintf("T%06d", 4000+g.r.IntN(320)),
			day(d2023, g.r.IntN(420)))
	}
	e.add("crm/contacts_export.tsv", t.delimited(delimited{comma: '\t', crlf: true, enc: encUTF16LE}))
	e.labelTable("crm/contacts_export.tsv", t)

	// crm/legacy_applicants.csv: the old waiting-list system, Windows-1252, semicolon-delimited.
	g = e.rng("crm/legacy_applicants.csv")
	t = &table{}
	t.col("ApplicantNo", plain("internal key"))
	t.col("Forename", pd(dtName))
	t.col("Surname", pd(dtName))
	t.col("DateOfBirth", pd(dtDOB))
	t.col("CurrentAddress", pd(dtAddress))
	t.col("Postcode", pd(dtPostcode))
	t.col("Band", plain("allocation band"))
	t.col("PriorityReason", meta{}.sc(scHealth).crim().why("medical grounds; some rows record release from prison"))
	t.col("Deposit", plain("amount in pounds"))
	t.col("WeeklyIncome", plain("amount in pounds"))
	t.col("Registered", plain("registration date"))
	reasons := []string{"Overcrowding", "Overcrowding", "Medical - COPD", "Medical - mental health (schizophrenia)",
		"Homeless - sofa surfing", "Leaving prison (released from HMP Leeds)", "Medical - wheelchair user",
		"Domestic abuse - fleeing", "Under-occupying", "Discharged from prison, on licence"}
	for i := range 90 {
		p := g.newPerson()
		if g.r.IntN(3) == 0 {
			p.first = pick(g, accentedForenames)
		}
		if g.r.IntN(4) == 0 {
			p.surname = pick(g, accentedSurnames)
		}
		t.add(fmt.Sprintf("A%05d", 30000+i), p.first, p.surname, p.dob, p.address(), p.postcode,
			pick(g, []string{"A", "B", "C", "D"}), pick(g, reasons), fmt.Sprintf("£%d.00", 50*(1+g.r.IntN(8))),
			fmt.Sprintf("£%.2f", money(g, 90, 600)), day(time.Date(2009, 1, 1, 0, 0, 0, 0, time.UTC), g.r.IntN(3600)))
	}
	e.add("crm/legacy_applicants.csv", t.delimited(delimited{comma: ';', crlf: true, enc: enc1252}))
	e.labelTable("crm/legacy_applicants.csv", t)
	return nil
}

func (e *estate) finance() error {
	g := e.rng("finance/rent_arrears.xlsx")
	arrears := &table{titles: []string{"Northmoor Homes - Rent arrears report",
		"Run date 01/03/2024 - Income team - OFFICIAL-SENSITIVE"}}
	arrears.col("Tenant Ref", pd("tenancy_reference").why("a tenant's reference"))
	arrears.col("Tenant Name", pd(dtName))
	arrears.col("Property", pd(dtAddress))
	arrears.col("Postcode", pd(dtPostcode))
	arrears.col("Arrears", pd("rent_arrears").why("a named tenant's debt"))
	arrears.col("Last Payment Date", plain("payment date"))
	arrears.col("Sort Code", pd(dtSort))
	arrears.col("Account Number", pd(dtAccount))
	arrears.col("IBAN", pd(dtIBAN))
	arrears.col("Stage", pd("possession_action").why("civil possession stage of a tenant's arrears (court hearing): personal, not criminal proceedings"))
	for i, p := range e.people[:150] {
		sc, acc := g.sortAccount()
		arrears.add(fmt.Sprintf("T%06d", 4000+i), p.name(), p.address(), p.postcode, money(g, 20, 2400),
			day(d2023, 200+g.r.IntN(200)), sc, acc, ibanGroups(g.iban(sc, acc)),
			pick(g, []string{"Letter 1", "Letter 2", "NOSP served", "Court hearing listed", "Payment plan agreed"}))
	}
	pay := &table{}
	pay.col("Payment ID", plain("internal key"))
	pay.col("Date", plain("payment date"))
	pay.col("Tenant Ref", pd("tenancy_reference").why("a tenant's reference"))
	pay.col("Payer Name", pd(dtName))
	pay.col("Card Number", pd(dtCard))
	pay.col("Card Type", plain("card scheme"))
	pay.col("Amount", plain("amount"))
	pay.col("Channel", plain("payment channel"))
	for i := range 120 {
		p := e.people[g.r.IntN(320)]
		c := g.card()
		typ := "Visa Debit"
		if c[0] == '5' {
			typ = "Mastercard"
		}
		pay.add(fmt.Sprintf("P%07d", 5100000+i), day(d2023, 300+g.r.IntN(120)), fmt.Sprintf("T%06d", 4000+g.r.IntN(320)),
			p.name(), c, typ, money(g, 10, 400), pick(g, []string{"Telephone", "Online portal", "Kiosk"}))
	}
	b, err := workbook(sheet{"Arrears", arrears}, sheet{"Payments", pay})
	if err != nil {
		return fmt.Errorf("rent_arrears.xlsx: %w", err)
	}
	e.add("finance/rent_arrears.xlsx", b)
	e.labelTable("finance/rent_arrears.xlsx!Arrears", arrears)
	e.labelTable("finance/rent_arrears.xlsx!Payments", pay)

	// CIS subcontractors: sole traders, so their UTRs and bank details are personal data.
	g = e.rng("finance/cis_subcontractors.csv")
	t := &table{}
	t.col("SubcontractorID", plain("internal key"))
	t.col("Trader Name", pd(dtName).why("sole traders"))
	t.col("Trading As", plain("business name"))
	t.col("UTR", pd(dtUTR))
	t.col("Sort Code", pd(dtSort))
	t.col("Account No", pd(dtAccount))
	t.col("Mobile", pd(dtPhone))
	t.col("Email", pd(dtEmail))
	t.col("CIS Rate", plain("tax deduction rate"))
	t.col("Verified", plain("verification date"))
	trades := []string{"Pennine Plumbing", "Aire Valley Electrical", "Moorside Roofing", "Calder Joinery",
		"Northern Glazing", "Irwell Plastering", "Ridge Line Gutters", "Dales Decorating"}
	for i := range 30 {
		p := g.newPerson()
		sc, acc := g.sortAccount()
		t.add(fmt.Sprintf("S%04d", 200+i), p.name(), pick(g, trades), g.utr(), sc, acc, p.mobile, p.email,
			pick(g, []string{"20%", "20%", "30%", "0% (gross)"}), day(d2023, g.r.IntN(400)))
	}
	e.add("finance/cis_subcontractors.csv", t.csv())
	e.labelTable("finance/cis_subcontractors.csv", t)
	return nil
}

func (e *estate) hr() error {
	g := e.rng("hr/staff.xlsx")
	st := &table{titles: []string{"Northmoor Homes - staff list (HR only)"}}
	st.col("Employee No", plain("internal key"))
	st.col("Full Name", pd(dtName))
	st.col("Job Title", plain("role"))
	st.col("Department", plain("team"))
	st.col("Start Date", plain("employment start date"))
	st.col("Date of Birth", pd(dtDOB))
	st.col("NI Number", pd(dtNINO))
	st.col("Home Postcode", pd(dtPostcode))
	st.col("Personal Email", pd(dtEmail))
	st.col("Driving Licence No", pd(dtDL))
	st.col("Trade Union", meta{}.sc(scUnion))
	st.col("Sickness Absence Reason", meta{}.sc(scHealth))
	st.col("Days Absent", plain("count"))
	st.col("DBS Outcome", meta{}.crim().why("disclosures record cautions and convictions"))
	st.col("Probation Review", decoy("employee probationary period, not criminal probation"))
	jobs := []string{"Housing Officer", "Income Officer", "Repairs Planner", "Tenancy Sustainment Worker",
		"Customer Hub Adviser", "Finance Assistant", "Surveyor", "ASB Caseworker", "HR Adviser"}
	depts := []string{"Housing", "Income", "Assets", "Support", "Customer Hub", "Finance", "Corporate"}
	sick := []string{"", "", "", "Stress and anxiety", "Back pain", "Migraine", "Covid-19", "Surgery - knee",
		"Pregnancy-related sickness", "Depression", "Cancer treatment"}
	dbs := []string{"Clear", "Clear", "Clear", "Clear", "Disclosed: police caution for possession of cannabis (2016)",
		"Disclosed: conviction for drink driving (2012), spent", "Not required"}
	for i, p := range e.staff {
		dl := ""
		if g.r.IntN(3) != 0 {
			dl = g.drivingLicence(p)
		}
		absent := 0
		reason := pick(g, sick)
		if reason != "" {
			absent = 1 + g.r.IntN(40)
		}
		st.add(fmt.Sprintf("E%04d", 1000+i), p.name(), pick(g, jobs), pick(g, depts), day(d2015, g.r.IntN(3200)),
			p.dob, g.nino(true), p.postcode, p.email, dl, pick(g, []string{"UNISON", "Unite", "GMB", "None", "None"}),
			reason, absent, pick(g, dbs), pick(g, []string{"Passed", "Passed", "Extended to 9 months", "Not applicable"}))
	}
	ded := &table{}
	ded.col("Employee No", plain("internal key"))
	ded.col("Deduction Code", meta{}.sc(scUnion).why("union subscriptions reveal membership; credit union rows do not"))
	ded.col("Amount", plain("amount"))
	ded.col("Period", plain("payroll period"))
	for i := range 60 {
		ded.add(fmt.Sprintf("E%04d", 1000+g.r.IntN(len(e.staff))),
			pick(g, []string{"UNISON SUBS", "UNITE SUBS", "GMB SUBS", "CREDIT UNION", "CYCLE SCHEME", "PENSION AVC"}),
			money(g, 5, 40), fmt.Sprintf("2024-%02d", 1+i%2))
	}
	b, err := workbook(sheet{"Staff", st}, sheet{"Payroll Deductions", ded})
	if err != nil {
		return fmt.Errorf("staff.xlsx: %w", err)
	}
	e.add("hr/staff.xlsx", b)
	e.labelTable("hr/staff.xlsx!Staff", st)
	e.labelTable("hr/staff.xlsx!Payroll Deductions", ded)
	return nil
}

var referralSources = []string{"Community mental health team", "Probation service", "Self-referral",
	"Hospital discharge team", "Drug and alcohol service", "Police", "GP", "Adult social care"}

func (e *estate) support() error {
	g := e.rng("support/referrals.xlsx")
	t := &table{titles: []string{"Tenancy sustainment referrals 2023-24", "CONFIDENTIAL - safeguarding"}}
	t.col("Referral ID", plain("internal key"))
	t.col("Client Name", pd(dtName))
	t.col("DOB", pd(dtDOB))
	t.col("NHS Number", pd(dtNHS))
	t.col("Referral Source", meta{}.sc(scHealth).crim().why("mental health, drug service and probation referrers"))
	t.col("Safeguarding Concern", meta{}.sc(scHealth))
	t.col("Mental Health Notes", meta{}.sc(scHealth))
	t.col("Substance Misuse", meta{}.sc(scHealth))
	t.col("MAPPA Level", meta{}.crim())
	t.col("Probation Officer", pd(dtName).crim().why("names the client's offender manager"))
	t.col("Support Worker", pd(dtName))
	t.col("Next Review", plain("review date"))
	notes := []string{
		"Diagnosed with bipolar disorder, takes lithium; CMHT care coordinator involved.",
		"Low mood and anxiety since bereavement; GP has prescribed sertraline.",
		"History of psychosis, sectioned under the Mental Health Act in 2021; on depot injection.",
		"PTSD after domestic abuse; attending trauma counselling weekly.",
		"Self-harm risk noted; crisis plan shared with the crisis team.",
		"Hoarding disorder; fire service home safety visit booked.",
		"No mental health concerns reported.",
		"Early-onset dementia; daughter holds lasting power of attorney.",
	}
	substance := []string{"None", "None", "Alcohol - in recovery", "Heroin - on methadone script",
		"Cannabis - daily use", "Cocaine - referred to Forward Leeds"}
	safeguarding := []string{"No", "No", "Yes - self-neglect", "Yes - financial abuse", "Yes - cuckooing risk"}
	for i := range 90 {
		p := e.people[100+i]
		src := pick(g, referralSources)
		mappa, officer := "", ""
		if src == "Probation service" || g.r.IntN(8) == 0 {
			mappa = pick(g, []string{"N/A", "Level 1", "Level 1", "Level 2"})
			officer = g.newPerson().name()
		}
		t.add(fmt.Sprintf("R%05d", 800+i), p.name(), p.dob, nhsSpaced(g.nhs()), src, pick(g, safeguarding),
			pick(g, notes), pick(g, substance), mappa, officer, pick(g, e.staff).name(), day(d2023, 400+g.r.IntN(90)))
	}
	look := &table{}
	look.col("Code", plain("lookup code"))
	look.col("Referral Source", decoy("a lookup list of referrers: special-category words, no person"))
	for i, s := range referralSources {
		look.add(fmt.Sprintf("RS%02d", i+1), s)
	}
	b, err := workbook(sheet{"Referrals", t}, sheet{"Lookups", look})
	if err != nil {
		return fmt.Errorf("referrals.xlsx: %w", err)
	}
	e.add("support/referrals.xlsx", b)
	e.labelTable("support/referrals.xlsx!Referrals", t)
	e.labelTable("support/referrals.xlsx!Lookups", look)
	return nil
}

func (e *estate) asb() error {
	g := e.rng("asb/cases.csv")
	t := &table{}
	t.col("case_ref", pd("asb").why("reference of an ASB case about named people"))
	t.col("opened", plain("case date"))
	t.col("complainant", pd(dtName))
	t.col("complainant_phone", pd(dtPhone))
	t.col("alleged_perpetrator", pd(dtName).crim())
	t.col("perpetrator_address", pd(dtAddress).crim())
	t.col("category", meta{}.crim().why("several categories are alleged offences"))
	t.col("case_notes", pd(dtName).crim().why("convictions, cautions and police involvement"))
	t.col("status", plain("case status"))
	t.col("officer", pd(dtName).why("staff member"))
	cats := []string{"Noise nuisance", "Drug dealing", "Criminal damage", "Harassment", "Verbal abuse", "Assault",
		"Untidy garden", "Pets and animals"}
	for i := range 70 {
		c, a := e.people[g.r.IntN(160)], e.people[160+g.r.IntN(160)]
		cat := pick(g, cats)
		var note string
		switch g.r.IntN(6) {
		case 0:
			note = fmt.Sprintf("%s %s reported %s late at night. Police attended; crime reference 13/%06d/23. "+
				"%s %s was arrested and later received a police caution.", c.title, c.surname, lower(cat),
				g.r.IntN(1000000), a.title, a.surname)
		case 1:
			note = fmt.Sprintf("Neighbour states %s %s was convicted of assault in 2022 and is on licence. "+
				"Probation informed. Warning letter sent.", a.first, a.surname)
		case 2:
			note = fmt.Sprintf("Reports of people visiting flat at all hours, suspected drug dealing. "+
				"Police intelligence shared under s.115; closure order being considered for %s's flat.", a.surname)
		case 3:
			note = fmt.Sprintf("%s says loud music most evenings. Diary sheets issued; noise app installed.", c.first)
		case 4:
			note = fmt.Sprintf("CCTV shows %s %s damaging the communal door. Criminal damage reported to police; "+
				"court date set for May.", a.first, a.surname)
		default:
			note = fmt.Sprintf("Acceptable behaviour contract signed by %s %s. Case to be reviewed in 3 months.",
				a.first, a.surname)
		}
		t.add(fmt.Sprintf("ASB-%04d", 300+i), day(d2023, g.r.IntN(400)), c.name(), c.mobile, a.name(), a.address(),
			cat, note, pick(g, []string{"Open", "Closed", "Monitoring"}), pick(g, e.staff).name())
	}
	e.add("asb/cases.csv", t.csv())
	e.labelTable("asb/cases.csv", t)
	return nil
}

// Blocks of flats: names that look like court cases and addresses that belong to buildings, not people.
var blocks = []struct{ name, street, outward string }{
	{"Elm Court", "Cavendish Road", "LS6"}, {"Manor Court", "Harehills Lane", "LS8"},
	{"Chapel House", "Chapel Street", "M40"}, {"Temple View", "Temple Road", "BD5"},
	{"Albion Court", "Albion Street", "LS11"}, {"Victoria Mills", "Canal Walk", "M12"},
	{"Heaton Court", "Heaton Avenue", "NE6"}, {"Abbey Gardens", "Church Lane", "S2"},
}

func (e *estate) blockAddr(i int) (name, addr, postcode string) {
	b := blocks[i%len(blocks)]
	// One postcode per block, drawn from a stream of its own so both files agree.
	pg := e.rng("block:" + b.name)
	return b.name, b.name + ", " + b.street, pg.postcodeIn(b.outward)
}

func (e *estate) repairs() error {
	g := e.rng("repairs/jobs.csv")
	t := &table{}
	t.col("job_number", decoy("10-digit job numbers: about one in eleven passes the NHS mod 11 check by chance"))
	t.col("property_ref", plain("property key"))
	t.col("uprn", plain("property identifier"))
	t.col("block", decoy("block names such as Elm Court, Manor Court"))
	t.col("address", decoy("communal address of a block; no occupant"))
	t.col("postcode", decoy("postcode of a block of flats, not of a person"))
	t.col("job_description", decoy("black mould, labour, condition, white goods: repair vocabulary"))
	t.col("trade", plain("trade"))
	t.col("priority", plain("priority"))
	t.col("labour_cost", decoy("labour costs, not political opinion"))
	t.col("materials_cost", plain("amount"))
	t.col("contractor", plain("company"))
	t.col("DNA", decoy("did not attend (Y/N), not genetic data"))
	t.col("reported", plain("repair date"))
	t.col("completed", plain("repair date"))
	jobs := []string{"Treat black mould in communal drying room", "Replace extractor fan - black mould to bin store ceiling",
		"Repair door entry system", "Labour only - clear blocked gully", "Condition survey follow-up: roof condition C3",
		"White goods removed from bin store", "Mixed waste clearance from loading bay", "Reline disabled parking bays",
		"Replace communal lighting on stairwell", "Lift out of service - engineer call-out", "Graffiti removal from gable end",
		"Repoint brickwork, labour and materials"}
	trades := []string{"Multi-trade", "Electrical", "Plumbing", "Roofing", "Cleansing", "Lift engineer"}
	contractors := []string{"Pennine Building Services Ltd", "Northmoor Direct Works", "Aire Lifts Ltd", "Calder Roofing Ltd"}
	for i := range 200 {
		name, addr, pc := e.blockAddr(g.r.IntN(len(blocks)))
		rep := day(d2023, g.r.IntN(400))
		t.add(fmt.Sprintf("%d%s", 1+g.r.IntN(9), g.digits(9)), fmt.Sprintf("BLK%03d", 10+i%len(blocks)),
			"7200"+g.digits(8), name, addr, pc, pick(g, jobs), pick(g, trades),
			pick(g, []string{"Emergency", "Urgent", "Routine"}), money(g, 30, 900), money(g, 0, 600),
			pick(g, contractors), pick(g, []string{"N", "N", "N", "Y"}), rep, day(rep, 1+g.r.IntN(30)))
	}
	e.add("repairs/jobs.csv", t.csv())
	e.labelTable("repairs/jobs.csv", t)
	return nil
}

func (e *estate) community() error {
	g := e.rng("community/events.csv")
	t := &table{}
	t.col("runner_number", plain("bib number of an unnamed runner"))
	t.col("event", plain("event name"))
	t.col("race", decoy("fun-run races, not ethnicity"))
	t.col("distance_km", plain("distance"))
	t.col("age_category", decoy("age category of an unnamed runner"))
	t.col("finish_time", plain("time"))
	t.col("venue", plain("venue"))
	t.col("religion", decoy("venue hire: church halls and meeting houses, not anyone's faith"))
	t.col("date", plain("event date"))
	races := []struct {
		name string
		km   float64
	}{{"Junior 2k", 2}, {"Northmoor 5k Fun Run", 5}, {"Canal 10k", 10}, {"Family Relay", 3}}
	halls := []string{"St Mary's Church hall", "Methodist Chapel rooms", "Quaker Meeting House", "Community centre",
		"St Aidan's parish hall"}
	for i := range 40 {
		rc := pick(g, races)
		t.add(100+i, "Northmoor Summer Fun Day", rc.name, rc.km, pick(g, []string{"Under 11", "Under 16", "Senior", "V40", "V50"}),
			fmt.Sprintf("%02d:%02d", 8+g.r.IntN(60), g.r.IntN(60)), "Roundhay Park", pick(g, halls),
			time.Date(2023, 7, 15, 0, 0, 0, 0, time.UTC))
	}
	e.add("community/events.csv", t.csv())
	e.labelTable("community/events.csv", t)
	return nil
}

func (e *estate) buildings() error {
	g := e.rng("buildings/assets.csv")
	t := &table{}
	t.col("block_name", decoy("block names such as Elm Court"))
	t.col("address", decoy("address of a building"))
	t.col("postcode", decoy("postcode of a building"))
	t.col("build_year", plain("year"))
	t.col("storeys", plain("count"))
	t.col("units", plain("count"))
	t.col("heating", plain("heating type"))
	t.col("boiler_type", plain("boiler"))
	t.col("epc_rating", plain("energy rating"))
	t.col("condition", decoy("stock condition rating, not health"))
	t.col("disabled_bays", decoy("disabled parking bays: an asset count"))
	t.col("tenure", decoy("mixed tenure"))
	t.col("phone", decoy("concierge phone column holding n/a"))
	t.col("last_fra", plain("fire risk assessment date"))
	for i := range blocks {
		name, addr, pc := e.blockAddr(i)
		t.add(name, addr, pc, 1960+g.r.IntN(50), 3+g.r.IntN(12), 12+g.r.IntN(80),
			pick(g, []string{"Communal gas", "Individual gas", "Electric storage", "District heat network"}),
			pick(g, []string{"Combi", "System", "None"}), pick(g, []string{"B", "C", "C", "D"}),
			pick(g, []string{"Good", "Fair", "Poor", "C2", "C3"}), g.r.IntN(5),
			pick(g, []string{"General needs", "Mixed tenure", "Sheltered", "Mixed use"}), "n/a",
			day(d2023, g.r.IntN(300)))
	}
	e.add("buildings/assets.csv", t.csv())
	e.labelTable("buildings/assets.csv", t)
	return nil
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}
