package checksum

import "net/netip"

// IPv4 reports whether s is a dotted-quad IPv4 address: four decimal octets 0-255 with no leading zeros
// ("01" is refused, as net/netip does, because some parsers read it as octal). Prefixes and zones are
// not accepted.
func IPv4(s string) bool {
	octets, val, digits := 0, 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			if digits == 1 && val == 0 {
				return false // leading zero
			}
			val = val*10 + int(c-'0')
			digits++
			if val > 255 {
				return false
			}
		case c == '.':
			if digits == 0 || octets == 3 {
				return false
			}
			octets++
			val, digits = 0, 0
		default:
			return false
		}
	}
	return octets == 3 && digits > 0
}

// IPv6 reports whether s is an IPv6 address as net/netip parses it, including :: compression, embedded
// IPv4 (::ffff:192.0.2.128) and zones (fe80::1%eth0). A plain IPv4 address is not IPv6. Prefix lengths
// are not accepted.
func IPv6(s string) bool {
	// Every IPv6 text form has at least two colons; checking first keeps netip off most tokens.
	colons := 0
	for i := 0; i < len(s) && colons < 2; i++ {
		if s[i] == ':' {
			colons++
		}
	}
	if colons < 2 {
		return false
	}
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is6()
}
