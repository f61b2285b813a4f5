package checksum

import (
	"testing"
)

// boolCase is one row of a table test for a func(string) bool validator.
type boolCase struct {
	name string
	in   string
	want bool
}

func runBool(t *testing.T, fn func(string) bool, fname string, tests []boolCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fn(tt.in); got != tt.want {
				t.Errorf("%s(%q) = %v, want %v", fname, tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalise(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"drops spaces from grouped NHS number", "943 476 5919", "9434765919"},
		{"drops hyphens", "401-023-2137", "4010232137"},
		{"drops dots and slashes", "08.99/99", "089999"},
		{"drops tabs", "AB\t12", "AB12"},
		{"upper-cases ASCII letters", "tw987654a", "TW987654A"},
		{"mixed separators and case", "sw1a 1aa", "SW1A1AA"},
		{"leaves clean input alone", "GB29NWBK60161331926819", "GB29NWBK60161331926819"},
		{"empty stays empty", "", ""},
		{"all separators give empty", " -./", ""},
		{"keeps non-ASCII bytes", "é 1", "é1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalise(tt.in); got != tt.want {
				t.Errorf("Normalise(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

var isDigitsCases = []boolCase{
	{"accepts digits", "0123456789", true},
	{"accepts one digit", "7", true},
	{"rejects empty", "", false},
	{"rejects letter", "12a4", false},
	{"rejects space", "12 34", false},
	{"rejects sign", "-1", false},
	{"rejects non-ASCII digit", "١٢", false},
}

func TestIsDigits(t *testing.T) {
	runBool(t, IsDigits, "IsDigits", isDigitsCases)
}

var placeholderCases = []boolCase{
	{"flags ten zeros", "0000000000", true},
	{"flags ten ones", "1111111111", true},
	{"flags ten nines", "9999999999", true},
	{"flags six-digit repdigit", "000000", true},
	{"flags sixteen-digit repdigit", "4444444444444444", true},
	{"flags ascending run from 0", "0123456789", true},
	{"flags ascending run from 1", "123456789", true},
	{"flags ascending run wrapping to 0", "1234567890", true},
	{"flags descending run", "9876543210", true},
	{"flags descending run of nine", "987654321", true},
	{"flags descending run wrapping from 0", "0987654321", true},
	{"flags six-digit ascending run", "123456", true},
	{"flags six-digit descending run", "654321", true},
	{"flags two-digit run", "12", true},
	{"keeps test card number", "4111111111111111", false},
	{"keeps real-looking NHS number", "9434765919", false},
	{"keeps UTR ending off the run", "1234567895", false},
	{"keeps sort code", "089999", false},
	{"keeps almost-repdigit", "1111111112", false},
	{"keeps run with a skip", "1234567899", false},
	{"one digit is no placeholder", "1", false},
	{"empty is no placeholder", "", false},
	{"non-digits are no placeholder", "AAAA", false},
}

func TestPlaceholder(t *testing.T) {
	runBool(t, Placeholder, "Placeholder", placeholderCases)
}

var nhsCases = []boolCase{
	// Reference §1.1 vectors, compact.
	{"accepts NHS worked example 943 476 5919", "9434765919", true},
	{"accepts Presidio example 401-023-2137", "4010232137", true},
	{"accepts FHIR example", "9449305552", true},
	{"accepts stdnum example 943-476-5870", "9434765870", true},
	{"accepts test-range number", "9990000018", true},
	{"rejects Presidio negative 401-023-2138", "4010232138", false},
	{"rejects stdnum negative", "9434765871", false},
	{"rejects quoted example with bad check digit 987 654 4321", "9876544321", false},
	{"rejects crate README example 999 123 4560", "9991234560", false},
	{"rejects number whose check would be 10", "9990000000", false},
	{"rejects all-zero placeholder", "0000000000", false},
	// Placeholders that pass the arithmetic.
	{"rejects repdigit 1111111111", "1111111111", false},
	{"rejects repdigit 9999999999", "9999999999", false},
	{"rejects ascending run", "0123456789", false},
	{"rejects descending run", "9876543210", false},
	// Shape.
	{"rejects nine digits", "943476591", false},
	{"rejects eleven digits", "94347659190", false},
	{"rejects spaced form", "943 476 5919", false},
	{"rejects letter", "94347659A9", false},
	{"rejects empty", "", false},
	{"accepts H&C number", "3200000015", true},
	{"accepts CHI number", "0101901216", true},
}

func TestNHS(t *testing.T) {
	runBool(t, NHS, "NHS", nhsCases)
}

var chiCases = []boolCase{
	{"accepts male example born 01/01/90", "0101901216", true},
	{"accepts female example born 15/06/85", "1506851223", true},
	{"rejects bad check digit", "0101901217", false},
	{"rejects day 32", "3213901234", false},
	{"rejects prefix whose check would be 10", "3112993420", false},
	// The rows below pass Modulus 11, so only the date can fail them.
	{"rejects 31 February", "3102901239", false},
	{"rejects month 13", "0113901232", false},
	{"rejects day 00", "0001901214", false},
	{"accepts 29 February 2000", "2902003455", true},
	{"rejects 29 February 2001 or 1901", "2902013450", false},
	{"rejects repdigit that is a date and passes mod 11", "1111111111", false},
	{"rejects NHS number that is no date", "9434765919", false},
	{"rejects nine digits", "010190121", false},
}

func TestCHI(t *testing.T) {
	runBool(t, CHI, "CHI", chiCases)
	// The date rows are only meaningful if they pass the checksum.
	for _, d := range []string{"3102901239", "0113901232", "0001901214", "2902013450"} {
		if !NHS(d) {
			t.Errorf("NHS(%q) = false; the CHI date row should pass Modulus 11", d)
		}
	}
}

var hcCases = []boolCase{
	{"accepts bottom of Northern Ireland range", "3200000015", true},
	{"accepts top of Northern Ireland range", "3999999993", true},
	{"rejects bad check digit", "3200000016", false},
	{"rejects England number", "9434765919", false},
	{"rejects just below the range", "3199999999", false},
	{"rejects prefix 320000000", "3200000007", false},
	{"rejects just above the range", "4000000004", false},
	{"rejects repdigit in range", "3333333333", false},
}

func TestHC(t *testing.T) {
	runBool(t, HC, "HC", hcCases)
	// The range rows are only meaningful if they pass the checksum.
	for _, d := range []string{"3199999999", "3200000007", "4000000004"} {
		if !NHS(d) {
			t.Errorf("NHS(%q) = false; the H&C range row should pass Modulus 11", d)
		}
	}
}

var utrCases = []boolCase{
	{"accepts stdnum example", "1955839661", true},
	{"accepts 1234567895", "1234567895", true},
	{"accepts Sage worked example", "3282497350", true},
	{"rejects wrong first (check) digit", "2955839661", false},
	{"rejects 1234567890", "1234567890", false},
	{"rejects trailing K, which the caller strips", "1234567895K", false},
	{"rejects repdigit that passes the check", "1111111111", false},
	{"rejects nine digits", "123456789", false},
	{"rejects spaced form", "12345 67895", false},
}

func TestUTR(t *testing.T) {
	runBool(t, UTR, "UTR", utrCases)
}

var luhnCases = []boolCase{
	{"accepts Visa test PAN", "4111111111111111", true},
	{"accepts Mastercard test PAN", "5555555555554444", true},
	{"accepts Amex test PAN", "371449635398431", true},
	{"accepts Discover test PAN", "6011000400000000", true},
	{"accepts JCB test PAN", "3528000700000000", true},
	{"accepts Diners test PAN", "30569309025904", true},
	{"accepts Visa debit test PAN", "4917300800000000", true},
	{"rejects 4012-8888-8888-1882", "4012888888881882", false},
	{"rejects Diners negative", "36168002586008", false},
	{"rejects 4111 1111 1111 1112", "4111111111111112", false},
	{"accepts textbook example", "79927398713", true},
	{"rejects textbook negative", "79927398710", false},
	{"accepts two zeros", "00", true},
	{"rejects single digit", "0", false},
	{"rejects empty", "", false},
	{"rejects grouped form", "4111 1111 1111 1111", false},
}

func TestLuhn(t *testing.T) {
	runBool(t, Luhn, "Luhn", luhnCases)
}

var cardBrandCases = []struct{ name, in, want string }{
	{"Visa 16", "4111111111111111", "visa"},
	{"Visa debit", "4917300800000000", "visa"},
	{"Visa legacy 13", "4222222222222", "visa"},
	{"Visa 19", "4111111111111111110", "visa"},
	{"Visa 17 is no length Visa issues", "41111111111111111", ""},
	{"Mastercard 5-series", "5555555555554444", "mastercard"},
	{"Mastercard 2-series low", "2221000000000009", "mastercard"},
	{"Mastercard 2-series high", "2720990000000000", "mastercard"},
	{"2721 is past Mastercard", "2721000000000000", ""},
	{"Mastercard 15 digits", "555555555555444", ""},
	{"Amex 34", "341111111111111", "amex"},
	{"Amex 37", "371449635398431", "amex"},
	{"Amex 16 digits", "3714496353984310", ""},
	{"Discover 6011", "6011000400000000", "discover"},
	{"Discover 644", "6445644564456445", "discover"},
	{"Discover 65 length 19", "6500000000000000000", "discover"},
	{"Discover prefix at 13 digits is nothing", "6011000400000", ""},
	{"JCB 3528", "3528000700000000", "jcb"},
	{"JCB 3566", "3566002020360505", "jcb"},
	{"JCB 2131", "2131000000000000", "jcb"},
	{"JCB 1800", "1800000000000000", "jcb"},
	{"Diners 305 length 14", "30569309025904", "diners"},
	{"Diners 36", "36227206271667", "diners"},
	{"Diners 38 length 16", "3800000000000000", "diners"},
	{"306 is not Diners", "30600000000000", ""},
	{"Maestro 493698 beats Visa", "4936980000000000", "maestro"},
	{"Maestro 50", "5018000000000009", "maestro"},
	{"Maestro gap 504175", "5041750000000000", ""},
	{"Maestro 56-59", "5600000000000000", "maestro"},
	{"Maestro 63", "6304000000000000", "maestro"},
	{"Maestro 67", "6759649826438453", "maestro"},
	{"Maestro 12 digits", "675964982643", "maestro"},
	{"Maestro catch-all 6", "6400000000000000", "maestro"},
	{"UnionPay 62", "6200000000000005", "unionpay"},
	{"UnionPay 81", "8100000000000000", "unionpay"},
	{"UnionPay 13 digits", "6200000000000", ""},
	{"unknown IIN", "9111111111111111", ""},
	{"non-digits", "4111-1111-1111-1111", ""},
	{"empty", "", ""},
}

func TestCardBrand(t *testing.T) {
	for _, tt := range cardBrandCases {
		t.Run(tt.name, func(t *testing.T) {
			if got := CardBrand(tt.in); got != tt.want {
				t.Errorf("CardBrand(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

var ibanCases = []boolCase{
	{"accepts SWIFT registry GB example", "GB29NWBK60161331926819", true},
	{"accepts textbook GB example", "GB82WEST12345698765432", true},
	{"rejects GB example with bad checksum", "GB29NWBK60161331926810", false},
	{"rejects GB example with digit in bank code", "GB291WBK60161331926819", false},
	// Checksums computed for the test, so only the format is wrong.
	{"rejects GB with letter in sort code although mod 97 passes", "GB42WESTA2345698765432", false},
	{"rejects GB with three-letter bank code although mod 97 passes", "GB93WES112345698765432", false},
	{"rejects GB one short although mod 97 passes", "GB88WEST1234569876543", false},
	{"rejects DE with letter in BBAN although mod 97 passes", "DE973704004405320130A0", false},
	{"accepts check digits 02", "GB02NWBK60161331900048", true},
	{"rejects check digits 99, congruent to 02", "GB99NWBK60161331900048", false},
	{"accepts check digits 98", "GB98NWBK60161331900066", true},
	{"rejects check digits 01, congruent to 98", "GB01NWBK60161331900066", false},
	{"accepts DE", "DE89370400440532013000", true},
	{"accepts FR with letters in BBAN", "FR1420041010050500013M02606", true},
	{"accepts NL", "NL91ABNA0417164300", true},
	{"accepts BE", "BE68539007547034", true},
	{"accepts IE", "IE29AIBK93115212345678", true},
	{"accepts ES", "ES9121000418450200051332", true},
	{"accepts IT", "IT60X0542811101000000123456", true},
	{"accepts CH", "CH9300762011623852957", true},
	{"accepts PL", "PL61109010140000071219812874", true},
	{"accepts shortest, NO", "NO9386011117947", true},
	{"accepts MT", "MT84MALT011000012345MTLCAST001S", true},
	{"accepts longest, LC", "LC55HEMM000100010012001200023015", true},
	{"rejects unknown country", "XX29NWBK60161331926819", false},
	{"rejects lower case", "gb29nwbk60161331926819", false},
	{"rejects grouped form", "GB29 NWBK 6016 1331 9268 19", false},
	{"rejects empty", "", false},
	{"rejects country only", "GB", false},
	{"rejects letters for check digits", "GBAANWBK60161331926819", false},
}

func TestIBAN(t *testing.T) {
	runBool(t, IBAN, "IBAN", ibanCases)
}

var ninoCases = []struct {
	name string
	in   string
	want NINOKind
}{
	// Reference §1.4 vectors, compact and upper case.
	{"accepts AB 12 34 56 C", "AB123456C", NINOValid},
	{"accepts AA123456B", "AA123456B", NINOValid},
	{"accepts tw987654a once upper-cased", "TW987654A", NINOValid},
	{"accepts Presidio PR 123612C", "PR123612C", NINOValid},
	{"rejects HMRC example QQ 12 34 56 A", "QQ123456A", NINOInvalid},
	{"rejects HMRC example QQ123456C", "QQ123456C", NINOInvalid},
	{"rejects never-allocated BG", "BG123612A", NINOInvalid},
	{"rejects never-allocated NT", "NT998877A", NINOInvalid},
	{"rejects O as second letter", "AO123456A", NINOInvalid},
	{"rejects D as first letter", "DA123456A", NINOInvalid},
	{"rejects suffix E", "AB123456E", NINOInvalid},
	{"rejects digit suffix", "AB1234561", NINOInvalid},
	{"reports OO as administrative", "OO123456A", NINOAdmin},
	{"reports PP999999P as administrative", "PP999999P", NINOAdmin},
	// Prefix rules.
	{"rejects never-allocated GB", "GB123456A", NINOInvalid},
	{"rejects never-allocated KN", "KN123456A", NINOInvalid},
	{"rejects never-allocated NK", "NK123456A", NINOInvalid},
	{"rejects never-allocated ZZ", "ZZ123456A", NINOInvalid},
	{"rejects F first", "FA123456A", NINOInvalid},
	{"rejects I second", "AI123456A", NINOInvalid},
	{"rejects U second", "AU123456A", NINOInvalid},
	{"rejects V first", "VA123456A", NINOInvalid},
	{"accepts O as first letter", "OA123456A", NINOValid},
	{"accepts Isle of Man MA", "MA123456D", NINOValid},
	// Administrative and temporary numbers.
	{"reports CR as administrative", "CR123456A", NINOAdmin},
	{"reports FY as administrative", "FY123456B", NINOAdmin},
	{"reports MW as administrative", "MW123456C", NINOAdmin},
	{"reports NC pension dummy with M", "NC010190M", NINOAdmin},
	{"reports NC pension dummy with F", "NC010190F", NINOAdmin},
	{"reports NC with suffix A", "NC123456A", NINOAdmin},
	{"reports PY as administrative", "PY123456A", NINOAdmin},
	{"reports PZ as administrative", "PZ123456D", NINOAdmin},
	{"rejects M suffix outside NC", "AB010190M", NINOInvalid},
	{"rejects P suffix outside PP", "PY999999P", NINOInvalid},
	{"reports temporary TN with birth date and M", "TN010190M", NINOTemporary},
	{"reports temporary TN born 29 February 2000", "TN290200F", NINOTemporary},
	{"rejects temporary TN with impossible date", "TN290201F", NINOInvalid},
	{"rejects temporary TN with day 32", "TN320190M", NINOInvalid},
	{"rejects TN with ordinary suffix", "TN123456A", NINOInvalid},
	// Without suffix.
	{"reports eight characters as no suffix", "AB123456", NINONoSuffix},
	{"reports a space for an unknown suffix as no suffix", "AB123456 ", NINONoSuffix},
	{"reports Companies House-like SC123456 as no suffix", "SC123456", NINONoSuffix},
	{"rejects eight characters with bad prefix", "QQ123456", NINOInvalid},
	{"rejects eight characters with OO", "OO123456", NINOInvalid},
	{"rejects eight characters never allocated", "TN010190", NINOInvalid},
	// Shape.
	{"rejects lower case", "ab123456c", NINOInvalid},
	{"rejects lower-case reference example", "tw987654a", NINOInvalid},
	{"rejects spaced form", "AB 12 34 56 C", NINOInvalid},
	{"rejects five digits", "AB12345C", NINOInvalid},
	{"rejects seven digits", "AB1234567C", NINOInvalid},
	{"rejects letter among digits", "AB12A456C", NINOInvalid},
	{"rejects digit in prefix", "A1123456C", NINOInvalid},
	{"rejects empty", "", NINOInvalid},
}

func TestNINO(t *testing.T) {
	for _, tt := range ninoCases {
		t.Run(tt.name, func(t *testing.T) {
			if got := NINO(tt.in); got != tt.want {
				t.Errorf("NINO(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

var postcodeCases = []boolCase{
	// Reference §1.5 vectors, compact.
	{"accepts AA9A SW1A 1AA", "SW1A1AA", true},
	{"accepts A9 M1 1AA", "M11AA", true},
	{"accepts A99 M60 1NW", "M601NW", true},
	{"accepts AA9 CR2 6XH", "CR26XH", true},
	{"accepts AA99 DN55 1PT", "DN551PT", true},
	{"accepts A9A W1A 1HQ", "W1A1HQ", true},
	{"accepts AA9A EC1A 1BB", "EC1A1BB", true},
	{"accepts Girobank GIR 0AA", "GIR0AA", true},
	{"rejects Q first", "QA11AA", false},
	{"rejects V first", "VA11AA", false},
	{"rejects X first", "XA11AA", false},
	{"rejects C in inward code", "M11CA", false},
	{"rejects I in inward code", "M11AI", false},
	{"rejects digit first", "1A11AA", false},
	{"rejects run-on ABCM11AADEF", "ABCM11AADEF", false},
	// Letter rules.
	{"rejects I second", "AI11AA", false},
	{"rejects J second", "AJ11AA", false},
	{"rejects Z second", "AZ11AA", false},
	{"rejects L third in A9A", "W1L1HQ", false},
	{"accepts P third in A9A", "N1P4AA", true},
	{"rejects C fourth in AA9A", "EC1C1BB", false},
	{"rejects K in inward code", "M11KA", false},
	{"rejects M, O and V in inward code", "M11MO", false},
	{"rejects V in inward code", "M11AV", false},
	{"accepts BFPO-area postcode", "BF10AA", true},
	{"accepts Crown dependency", "JE23AA", true},
	{"rejects Santa's XM4 5HQ", "XM45HQ", false},
	{"rejects legacy BFPO number", "BFPO123", false},
	// Shape.
	{"rejects spaced form", "SW1A 1AA", false},
	{"rejects lower case", "sw1a1aa", false},
	{"rejects inward code without digit", "SW1AAAA", false},
	{"rejects four characters", "M1AA", false},
	{"rejects eight characters", "SW1AA1AA", false},
	{"rejects GIR with other inward code", "GIR0AB", false},
	{"rejects three-letter area", "ABC1AA", false},
	{"rejects empty", "", false},
}

func TestPostcode(t *testing.T) {
	runBool(t, Postcode, "Postcode", postcodeCases)
}

var outcodeCases = []boolCase{
	{"accepts SK9", "SK9", true},
	{"accepts SW1A", "SW1A", true},
	{"accepts M1", "M1", true},
	{"accepts M60", "M60", true},
	{"accepts W1A", "W1A", true},
	{"accepts DN55", "DN55", true},
	{"accepts GIR", "GIR", true},
	{"rejects Q first", "QA1", false},
	{"rejects letters only", "SW", false},
	{"rejects five characters", "SW1AA", false},
	{"rejects digit first", "1A", false},
	{"rejects lower case", "sk9", false},
	{"rejects full postcode", "SW1A1AA", false},
	{"rejects empty", "", false},
}

func TestOutcode(t *testing.T) {
	runBool(t, Outcode, "Outcode", outcodeCases)
}

var drivingLicenceCases = []boolCase{
	// Reference §1.11 vectors.
	{"accepts female Morgan born 1964-07-05", "MORGA657054SM9IJ", true},
	{"accepts male variant", "MORGA607054SM9IJ", true},
	{"accepts short surname padded with 9", "FO999512018AA1AB", true},
	{"accepts four-letter surname", "SMIT9801015JK2CD", true},
	{"accepts single initial padded with 9", "JONES710153J99EF", true},
	{"rejects month 00", "MORGA600054SM9IJ", false},
	{"rejects month 13", "MORGA613054SM9IJ", false},
	{"rejects month 50", "MORGA650054SM9IJ", false},
	{"rejects month 63", "MORGA663054SM9IJ", false},
	{"rejects day 00", "MORGA601004SM9IJ", false},
	{"rejects day 32", "MORGA601324SM9IJ", false},
	{"rejects all-9 surname", "99999657054SM9IJ", false},
	{"rejects 9 inside surname", "MO9G9657054SM9IJ", false},
	{"rejects 15 characters", "MORGA657054SM9I", false},
	{"rejects 17 characters", "MORGA657054SM9IJ3", false},
	// Issue number and dates.
	{"accepts 18 characters with issue number", "MORGA657054SM9IJ35", true},
	{"rejects letter in issue number", "MORGA657054SM9IJ3A", false},
	{"rejects 31 February", "MORGA602314SM9IJ", false},
	{"accepts 29 February 1964", "MORGA602294SM9IJ", true},
	{"accepts female born 29 February 1964", "MORGA652294SM9IJ", true},
	{"rejects 29 February 1965", "MORGA602295SM9IJ", false},
	{"rejects initials all 9", "MORGA657054999IJ", false},
	{"rejects letter as arbitrary digit", "MORGA657054SMAIJ", false},
	{"rejects lower case", "morga657054sm9ij", false},
	{"rejects empty", "", false},
}

func TestDrivingLicence(t *testing.T) {
	runBool(t, DrivingLicence, "DrivingLicence", drivingLicenceCases)
}

var vrmCases = []boolCase{
	// Reference §1.18 vectors, compact.
	{"accepts AB51 ABC", "AB51ABC", true},
	{"accepts Z in random letters", "BD62XYZ", true},
	{"accepts LN14-HGT", "LN14HGT", true},
	{"accepts AB70 DEF", "AB70DEF", true},
	{"rejects I in memory tag", "IB51ABC", false},
	{"rejects Q in memory tag", "AQ51ABC", false},
	{"rejects age 00", "AB00ABC", false},
	{"rejects age in the 30-50 gap", "AB35ABC", false},
	{"rejects age 80", "AB80ABC", false},
	{"rejects I in random letters", "AB51AIB", false},
	// Current series edges.
	{"rejects Z in memory tag", "ZB51ABC", false},
	{"rejects Q in random letters", "AB51AQB", false},
	{"rejects never-issued age 01", "AB01ABC", false},
	{"accepts age 02", "AB02ABC", true},
	{"accepts age 29", "AB29ABC", true},
	{"rejects never-issued age 50", "AB50ABC", false},
	{"accepts age 79", "AB79ABC", true},
	// Prefix and suffix series.
	{"accepts prefix A123 BCD", "A123BCD", true},
	{"accepts prefix with one digit", "A1BCD", true},
	{"rejects prefix year letter I", "I123BCD", false},
	{"rejects prefix serial with leading zero", "A012BCD", false},
	{"accepts suffix ABC 123D", "ABC123D", true},
	{"accepts suffix with one digit", "ABC1D", true},
	{"rejects suffix year letter O", "ABC123O", false},
	{"rejects Q in suffix letters", "AQC123D", false},
	// Shape.
	{"rejects lower case", "ab51abc", false},
	{"rejects spaced form", "AB51 ABC", false},
	{"rejects four characters", "A1BC", false},
	{"rejects eight characters", "AB51ABCD", false},
	{"rejects dateless mark", "1ABC", false},
	{"rejects empty", "", false},
}

func TestVRM(t *testing.T) {
	runBool(t, VRM, "VRM", vrmCases)
}

var sortCodeCases = []boolCase{
	{"accepts MOD10 example 089999", "089999", true},
	{"accepts MOD11 example 107999", "107999", true},
	{"accepts DBLAL example 202959", "202959", true},
	{"accepts 203099", "203099", true},
	{"rejects all zeros", "000000", false},
	{"rejects repdigit", "111111", false},
	{"rejects ascending run", "123456", false},
	{"rejects descending run", "654321", false},
	{"rejects run from 0", "012345", false},
	{"rejects hyphenated form", "08-99-99", false},
	{"rejects five digits", "08999", false},
	{"rejects seven digits", "0899990", false},
	{"rejects empty", "", false},
}

func TestSortCode(t *testing.T) {
	runBool(t, SortCode, "SortCode", sortCodeCases)
}

var vatgbCases = []boolCase{
	// Reference §1.14 vectors, compact.
	{"accepts GB 980 7806 84", "GB980780684", true},
	{"accepts branch trader GB 242338087388", "GB242338087388", true},
	{"accepts 9755 series GB 100 1950 75", "GB100195075", true},
	{"accepts h2g2 worked example", "GB831495816", true},
	{"rejects bare digits 802311781", "802311781", false},
	{"rejects GB 802311781 by checksum", "GB802311781", false},
	{"rejects GB 123 4567 89", "GB123456789", false},
	// 9755 series boundaries, checksums computed for the test.
	{"accepts remainder 42 from 100 up", "GB123123469", true},
	{"accepts remainder 55 from 100 up", "GB123123482", true},
	{"accepts remainder 0 below 100", "GB099123447", true},
	{"rejects remainder 42 below 100", "GB099123489", false},
	{"rejects remainder 55 below 100", "GB099123405", false},
	// Prefixes and special ranges.
	{"accepts Northern Ireland XI prefix", "XI980780684", true},
	{"accepts government department GD001", "GBGD001", true},
	{"rejects government department GD500", "GBGD500", false},
	{"accepts health authority HA500", "GBHA500", true},
	{"rejects health authority HA499", "GBHA499", false},
	{"rejects unknown three-digit prefix", "GBXX001", false},
	// Shape.
	{"rejects lower case", "gb980780684", false},
	{"rejects spaced form", "GB 980 7806 84", false},
	{"rejects eight digits", "GB98078068", false},
	{"rejects ten digits", "GB9807806841", false},
	{"rejects other country", "DE980780684", false},
	{"rejects empty", "", false},
}

func TestVATGB(t *testing.T) {
	runBool(t, VATGB, "VATGB", vatgbCases)
}

var ipv4Cases = []boolCase{
	{"accepts TEST-NET-1", "192.0.2.1", true},
	{"accepts TEST-NET-2", "198.51.100.23", true},
	{"accepts TEST-NET-3", "203.0.113.7", true},
	{"accepts version-like but valid 1.2.3.4", "1.2.3.4", true},
	{"accepts all zeros", "0.0.0.0", true},
	{"accepts broadcast", "255.255.255.255", true},
	{"rejects octet 256", "256.1.1.1", false},
	{"rejects three octets", "1.2.3", false},
	{"rejects software version with octet > 255", "10.0.19045.2965", false},
	{"rejects five octets", "1.2.3.4.5", false},
	{"rejects leading zero", "01.2.3.4", false},
	{"rejects leading zero in last octet", "1.2.3.04", false},
	{"rejects double zero", "1.2.00.4", false},
	{"rejects empty octet", "1..2.3", false},
	{"rejects trailing dot", "1.2.3.4.", false},
	{"rejects leading dot", ".1.2.3.4", false},
	{"rejects CIDR suffix", "192.0.2.0/24", false},
	{"rejects surrounding space", " 192.0.2.1", false},
	{"rejects sign", "1.2.3.-1", false},
	{"rejects IPv6", "::1", false},
	{"rejects empty", "", false},
}

func TestIPv4(t *testing.T) {
	runBool(t, IPv4, "IPv4", ipv4Cases)
}

var ipv6Cases = []boolCase{
	{"accepts compressed documentation address", "2001:db8::1", true},
	{"accepts full form", "2001:db8:0:0:0:0:2:1", true},
	{"accepts IPv4-mapped", "::ffff:192.0.2.128", true},
	{"accepts loopback", "::1", true},
	{"accepts zone", "fe80::1%eth0", true},
	{"rejects double compression", "2001:db8::1::2", false},
	{"rejects IPv4", "192.0.2.1", false},
	{"rejects clock time", "12:30:45", false},
	{"rejects prefix", "2001:db8::/32", false},
	{"rejects bad hex", "2001:db8::g", false},
	{"rejects one colon", ":", false},
	{"rejects empty", "", false},
}

func TestIPv6(t *testing.T) {
	runBool(t, IPv6, "IPv6", ipv6Cases)
}

func TestDate(t *testing.T) {
	tests := []struct {
		name    string
		y, m, d int
		want    bool
	}{
		{"accepts ordinary date", 1980, 2, 1, true},
		{"accepts 29 February in a leap year", 2024, 2, 29, true},
		{"accepts 29 February 2000 (divisible by 400)", 2000, 2, 29, true},
		{"rejects 29 February 1900 (century)", 1900, 2, 29, false},
		{"rejects 29 February 2023", 2023, 2, 29, false},
		{"rejects 31 February", 1980, 2, 31, false},
		{"rejects 31 April", 1980, 4, 31, false},
		{"accepts 31 December", 1980, 12, 31, true},
		{"rejects day 32", 1980, 1, 32, false},
		{"rejects day 0", 1980, 1, 0, false},
		{"rejects month 0", 1980, 0, 1, false},
		{"rejects month 13", 1980, 13, 1, false},
		{"rejects year 0", 0, 1, 1, false},
		{"rejects negative year", -1, 1, 1, false},
		{"rejects year 10000", 10000, 1, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Date(tt.y, tt.m, tt.d); got != tt.want {
				t.Errorf("Date(%d, %d, %d) = %v, want %v", tt.y, tt.m, tt.d, got, tt.want)
			}
		})
	}
}

// TestPrintedFormsValidateAfterNormalise runs the reference's vectors as people print them (spaces,
// hyphens, lower case) through Normalise, which is how a non-hot caller uses the package.
func TestPrintedFormsValidateAfterNormalise(t *testing.T) {
	tests := []struct {
		name    string
		printed string
		valid   func(string) bool
		want    bool
	}{
		{"NHS spaced", "943 476 5919", NHS, true},
		{"NHS hyphenated", "401-023-2137", NHS, true},
		{"NHS hyphenated bad check", "401-023-2138", NHS, false},
		{"NHS quoted example", "987 654 4321", NHS, false},
		{"UTR 5-5", "12345 67895", UTR, true},
		{"IBAN grouped", "GB29 NWBK 6016 1331 9268 19", IBAN, true},
		{"IBAN textbook grouped", "GB82 WEST 1234 5698 7654 32", IBAN, true},
		{"IBAN grouped bad check", "GB29 NWBK 6016 1331 9268 10", IBAN, false},
		{"IBAN grouped bad format", "GB29 1WBK 6016 1331 9268 19", IBAN, false},
		{"card grouped bad Luhn", "4012-8888-8888-1882", Luhn, false},
		{"card grouped", "4111 1111 1111 1111", Luhn, true},
		{"postcode spaced", "SW1A 1AA", Postcode, true},
		{"postcode lower case", "sw1a 1aa", Postcode, true},
		{"postcode Girobank", "GIR 0AA", Postcode, true},
		{"VRM hyphenated", "LN14-HGT", VRM, true},
		{"VRM spaced prefix", "A123 BCD", VRM, true},
		{"VAT spaced", "GB 980 7806 84", VATGB, true},
		{"VAT branch spaced", "GB 242338087388", VATGB, true},
		{"VAT 9755 spaced", "GB 100 1950 75", VATGB, true},
		{"VAT bad spaced", "GB 123 4567 89", VATGB, false},
		{"sort code hyphenated", "08-99-99", SortCode, true},
		{"H&C spaced", "320 000 0015", HC, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.valid(Normalise(tt.printed)); got != tt.want {
				t.Errorf("validator(Normalise(%q)) = %v, want %v", tt.printed, got, tt.want)
			}
		})
	}
	ninos := []struct {
		printed string
		want    NINOKind
	}{
		{"AB 12 34 56 C", NINOValid},
		{"tw987654a", NINOValid},
		{"PR 123612C", NINOValid},
		{"QQ 12 34 56 A", NINOInvalid},
		{"nt 99 88 77 a", NINOInvalid},
		{"AB 12 34 56 1", NINOInvalid},
	}
	for _, tt := range ninos {
		if got := NINO(Normalise(tt.printed)); got != tt.want {
			t.Errorf("NINO(Normalise(%q)) = %v, want %v", tt.printed, got, tt.want)
		}
	}
}

// TestHotPathsDoNotAllocate guards the zero-allocation promise the scanner relies on.
func TestHotPathsDoNotAllocate(t *testing.T) {
	checks := map[string]func(){
		"IsDigits":       func() { IsDigits("9434765919") },
		"Placeholder":    func() { Placeholder("9434765919") },
		"NHS":            func() { NHS("9434765919") },
		"CHI":            func() { CHI("0101901216") },
		"HC":             func() { HC("3200000015") },
		"UTR":            func() { UTR("1955839661") },
		"Luhn":           func() { Luhn("4111111111111111") },
		"CardBrand":      func() { CardBrand("4111111111111111") },
		"IBAN":           func() { IBAN("GB29NWBK60161331926819") },
		"NINO":           func() { NINO("AB123456C") },
		"Postcode":       func() { Postcode("SW1A1AA") },
		"Outcode":        func() { Outcode("SW1A") },
		"DrivingLicence": func() { DrivingLicence("MORGA657054SM9IJ") },
		"VRM":            func() { VRM("AB51ABC") },
		"SortCode":       func() { SortCode("089999") },
		"VATGB":          func() { VATGB("GB980780684") },
		"IPv4":           func() { IPv4("192.0.2.1") },
		"Date":           func() { Date(2000, 2, 29) },
		"Normalise clean": func() {
			Normalise("9434765919")
		},
	}
	for name, fn := range checks {
		if n := testing.AllocsPerRun(100, fn); n != 0 {
			t.Errorf("%s allocates %.0f times per call, want 0", name, n)
		}
	}
}
