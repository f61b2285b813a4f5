package checksum

// mod11Check returns the NHS Modulus 11 check digit for the first nine digits of d (weights 10 down to 2),
// or -1 when the remainder makes the check 10, a value never issued.
func mod11Check(d string) int {
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(d[i]-'0') * (10 - i)
	}
	check := 11 - sum%11
	switch check {
	case 11:
		return 0
	case 10:
		return -1
	}
	return check
}

// mod11 is the shared NHS/CHI/H&C test: ten digits, not a placeholder, and the tenth digit is the
// Modulus 11 check of the first nine. Placeholders are refused here because every repdigit and both full
// digit runs pass the arithmetic.
func mod11(d string) bool {
	if len(d) != 10 || !IsDigits(d) || Placeholder(d) {
		return false
	}
	return mod11Check(d) == int(d[9]-'0')
}

// NHS reports whether digits is a well-formed NHS number: ten digits whose last is the Modulus 11 check
// digit of the first nine, and not a repdigit or digit run. The 999 test range passes (it is a valid
// number that is never issued); CHI and H&C numbers pass too, since they share the algorithm, and are
// told apart by CHI and HC.
func NHS(digits string) bool {
	return mod11(digits)
}

// CHI reports whether digits is a well-formed Scottish CHI number: ten digits starting with a real DDMMYY
// date of birth and carrying the NHS Modulus 11 check digit.
func CHI(digits string) bool {
	if !mod11(digits) {
		return false
	}
	return dateYY(num2(digits[4:6]), num2(digits[2:4]), num2(digits[0:2]))
}

// HC reports whether digits is a well-formed Northern Ireland Health and Care number: an NHS-valid number
// whose first nine digits fall in the range reserved for Northern Ireland, 320000001 to 399999999.
func HC(digits string) bool {
	if !mod11(digits) {
		return false
	}
	// Nine digits fit an int on every platform Go supports.
	n := 0
	for i := 0; i < 9; i++ {
		n = n*10 + int(digits[i]-'0')
	}
	return n >= 320000001 && n <= 399999999
}
