//go:build !linux

package mysql

func peakRSSMB() (float64, bool) { return 0, false }
