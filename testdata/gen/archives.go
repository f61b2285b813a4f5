package gen

import (
	"bytes"
	"fmt"
	"time"
)

func (e *estate) archives() error {
	if err := e.exports2019(); err != nil {
		return err
	}
	if err := e.oldNotes(); err != nil {
		return err
	}
	// archive/single.csv.gz: one gzipped CSV of direct debit mandates.
	const single = "archive/single.csv.gz"
	g := e.rng(single)
	t := &table{}
	t.col("Payer Name", pd(dtName))
	t.col("Sort Code", pd(dtSort))
	t.col("Account Number", pd(dtAccount))
	t.col("Reference", plain("rent account reference"))
	t.col("Collection Day", plain("day of month"))
	for i := range 50 {
		p := e.people[g.r.IntN(320)]
		sc, acc := g.sortAccount()
		t.add(p.name(), sc, acc, fmt.Sprintf("RA-%06d", 700000+i*5), pick(g, []int{1, 8, 15, 22, 28}))
	}
	b, err := gzipBytes("single.csv", t.csv())
	if err != nil {
		return fmt.Errorf("single.csv.gz: %w", err)
	}
	e.add(single, b)
	e.labelTable(gzMember(single), t)
	return nil
}

func (e *estate) exports2019() error {
	const outer = "archive/2019_exports.zip"
	g := e.rng(outer)
	t := &table{dateLayout: "2006-01-02"}
	t.col("TenantID", pd("tenancy_reference").why("a tenant's reference"))
	t.col("Name", pd(dtName))
	t.col("DateOfBirth", pd(dtDOB))
	t.col("Phone", pd(dtPhone))
	t.col("Postcode", pd(dtPostcode))
	t.col("Ethnicity", meta{}.sc(scEthnic))
	for i := range 60 {
		p := e.people[i*5]
		t.add(fmt.Sprintf("T%06d", 4000+i*5), p.name(), p.dob, g.landline(), p.postcode, pick(g, ethnicGroups))
	}
	// An aggregate equality table: counts by ethnic group, no person in it.
	sum := &table{}
	sum.col("Ethnic Group", decoy("aggregate counts by ethnic group; no person"))
	sum.col("Tenants", plain("count"))
	sum.col("Percent", plain("share"))
	for _, eg := range ethnicGroups {
		n := 5 + g.r.IntN(200)
		sum.add(eg, n, float64(n)/20)
	}
	oldNote := e.people[300]
	notes := fmt.Sprintf("Notes copied from the old housing system, 2019.\n\n"+
		"%s, %s, %s: tenancy ended in 2018 after a possession order on the grounds of drug dealing from the "+
		"property; police raid in March 2018, %s %s charged with possession with intent to supply.\n"+
		"Previous tenant's mother has dementia and moved to a care home; contact %s.\n",
		oldNote.name(), oldNote.address(), oldNote.postcode, oldNote.title, oldNote.surname, g.mobile())
	nested, err := zipBytes(member{"notes.txt", []byte(notes)})
	if err != nil {
		return fmt.Errorf("nested.zip: %w", err)
	}
	b, err := zipBytes(member{"tenants_2019.csv", t.csv()}, member{"reports/ethnicity_summary.csv", sum.csv()},
		member{"nested.zip", nested})
	if err != nil {
		return fmt.Errorf("2019_exports.zip: %w", err)
	}
	e.add(outer, b)
	e.labelTable(inside(outer, "tenants_2019.csv"), t)
	e.labelTable(inside(outer, "reports/ethnicity_summary.csv"), sum)
	e.label(inside(outer, "nested.zip", "notes.txt"), "*", pd(dtName, dtAddress, dtPostcode, dtPhone).sc(scHealth).crim())
	return nil
}

func (e *estate) oldNotes() error {
	const outer = "archive/old_notes.tar.gz"
	g := e.rng(outer)
	var members []member
	for i, year := range []int{2018, 2019} {
		p := e.people[310+i]
		var b bytes.Buffer
		fmt.Fprintf(&b, "Home visit notes %d\n\n", year)
		fmt.Fprintf(&b, "%s  Visited %s at %s, %s. Tel %s.\n", ukDate(time.Date(year, 6, 3+i, 0, 0, 0, 0, time.UTC)),
			p.name(), p.address(), p.postcode, g.landline())
		if i == 0 {
			b.WriteString("Tenant has COPD and uses home oxygen: fire risk flag added. Hoarding in back bedroom.\n")
		} else {
			b.WriteString("Tenant is a practising Sikh and asked that the visiting officer remove shoes. " +
				"Mentioned his diabetes is well controlled.\n")
		}
		members = append(members, member{fmt.Sprintf("visit_%d.txt", year), b.Bytes()})
	}
	tb, err := tarBytes(members...)
	if err != nil {
		return fmt.Errorf("old_notes.tar: %w", err)
	}
	gz, err := gzipBytes("old_notes.tar", tb)
	if err != nil {
		return fmt.Errorf("old_notes.tar.gz: %w", err)
	}
	e.add(outer, gz)
	e.label(inside(outer, "visit_2018.txt"), "*", pd(dtName, dtAddress, dtPostcode, dtPhone).sc(scHealth))
	e.label(inside(outer, "visit_2019.txt"), "*", pd(dtName, dtAddress, dtPostcode, dtPhone).sc(scHealth, scReligion))
	return nil
}

// unreadables are the files a scan must list rather than read, each with the reason it should give.
func (e *estate) unreadables() error {
	g := e.rng("unreadable")

	// A password-protected OOXML workbook is an OLE2 compound file with these two streams.
	info := append([]byte{4, 0, 4, 0, 0x40, 0, 0, 0}, []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
		`<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16" blockSize="16" `+
		`keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512"/></encryption>`)...)
	pkg := append([]byte{0x00, 0x30, 0, 0, 0, 0, 0, 0}, randomBytes(g.r, 4100)...)
	e.add("finance/protected.xlsx", cfb(cfbStream{"EncryptionInfo", info}, cfbStream{"EncryptedPackage", pkg}))
	e.unread("finance/protected.xlsx", reasonEncrypted)

	locked, err := lockedZip(g.r, "secret.csv")
	if err != nil {
		return fmt.Errorf("locked.zip: %w", err)
	}
	e.add("archive/locked.zip", locked)
	e.unread("archive/locked.zip!secret.csv", reasonEncrypted)

	// A member that inflates more than 100:1 trips the archive ratio limit.
	bomb, err := zipBytes(member{"zeros.csv", bytes.Repeat([]byte("0,0,0,0\n"), 256<<10)})
	if err != nil {
		return fmt.Errorf("zipbomb.zip: %w", err)
	}
	e.add("archive/zipbomb.zip", bomb)
	e.unread("archive/zipbomb.zip!zeros.csv", reasonLimit)

	// Legacy Office formats: BIFF8 workbook (BOF record), Word 97 (FIB magic 0xA5EC), Outlook message.
	bof := []byte{0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00}
	e.add("legacy/old_rent.xls", cfb(cfbStream{"Workbook", bof}))
	e.unread("legacy/old_rent.xls", reasonLegacy)
	e.add("legacy/letter.doc", cfb(cfbStream{"WordDocument", []byte{0xEC, 0xA5, 0xC1, 0x00}}, cfbStream{"1Table", nil}))
	e.unread("legacy/letter.doc", reasonLegacy)
	e.add("legacy/complaint.msg", cfb(
		cfbStream{"__properties_version1.0", make([]byte, 32)},
		cfbStream{"__substg1.0_0037001F", utf16le("Complaint about repair delays, Elm Court")},
		cfbStream{"__substg1.0_1000001F", utf16le("The extractor fan has been broken for six weeks.")}))
	e.unread("legacy/complaint.msg", reasonLegacy)

	png, err := scanPNG(g.r)
	if err != nil {
		return fmt.Errorf("id_scan.png: %w", err)
	}
	e.add("scans/id_scan.png", png)
	e.unread("scans/id_scan.png", reasonNeedsOCR)
	e.add("scans/signed_form.pdf", imagePDF(g.r))
	e.unread("scans/signed_form.pdf", reasonNeedsOCR)
	e.add("scans/encrypted.pdf", encryptedPDF(g.r))
	e.unread("scans/encrypted.pdf", reasonEncrypted)
	e.add("scans/policy.pdf", textPDF("Northmoor Homes tenancy policy 2024"))
	e.unread("scans/policy.pdf", reasonUnsupported)

	e.add("misc/corrupt.xlsx", corruptXLSX(g.r))
	e.unread("misc/corrupt.xlsx", reasonCorrupt)
	blob := randomBytes(g.r, 4096)
	blob[0], blob[1] = 0x8E, 0x11 // not the start of any known signature
	e.add("misc/blob.bin", blob)
	e.unread("misc/blob.bin", reasonUnknown)
	return nil
}
