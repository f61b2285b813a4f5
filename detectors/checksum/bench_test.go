package checksum

import "testing"

// sink keeps the compiler from discarding the calls under benchmark.
var sink bool

func BenchmarkNHS(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = NHS("9434765919")
	}
}

func BenchmarkCHI(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = CHI("0101901216")
	}
}

func BenchmarkUTR(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = UTR("1955839661")
	}
}

func BenchmarkNINO(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = NINO("AB123456C") == NINOValid
	}
}

func BenchmarkPostcode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = Postcode("SW1A1AA")
	}
}

func BenchmarkIBAN(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = IBAN("GB29NWBK60161331926819")
	}
}

func BenchmarkLuhn(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = Luhn("4111111111111111")
	}
}

func BenchmarkCardBrand(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = CardBrand("4111111111111111") != ""
	}
}

func BenchmarkDrivingLicence(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = DrivingLicence("MORGA657054SM9IJ")
	}
}

func BenchmarkVRM(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = VRM("AB51ABC")
	}
}

func BenchmarkIPv4(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = IPv4("203.0.113.7")
	}
}

func BenchmarkIPv6(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = IPv6("2001:db8::1")
	}
}
