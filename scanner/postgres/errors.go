package postgres

import (
	"errors"
	"io"
	"net"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/datamap-uk/datamap/scanner"
)

// classify maps a driver error to an Unreadable reason and a detail that holds no data value and no password.
func (s *Source) classify(err error) (reason, detail string) {
	reason, detail = classify(err)
	return reason, s.scrub(detail)
}

func classify(err error) (reason, detail string) {
	if errors.Is(err, errLost) {
		return scanner.ReasonConnectionLost, errLost.Error()
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pgReason(pg.Code), pgDetail(pg)
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return scanner.ReasonConnectionLost, "could not connect: " + shorten(unwrapAll(err).Error())
	}
	if connectionLost(err) {
		return scanner.ReasonConnectionLost, "the connection to the server was lost: " + shorten(err.Error())
	}
	return scanner.ReasonReadError, shorten(err.Error())
}

// pgReason maps a SQLSTATE to a reason.
func pgReason(code string) string {
	switch {
	case code == "42501": // insufficient_privilege
		return scanner.ReasonPermissionDenied
	case code == "57014", code == "55P03", code == "25P03": // statement, lock and idle-in-transaction timeouts
		return scanner.ReasonTimeout
	case strings.HasPrefix(code, "08"), code == "57P01", code == "57P02", code == "57P03":
		return scanner.ReasonConnectionLost // connection exceptions, admin/crash shutdown, cannot connect now
	}
	return scanner.ReasonReadError
}

// safeClasses are the SQLSTATE classes whose messages name objects and settings but never quote row values.
// Data exceptions (22), integrity violations (23) and the rest may quote a value, so their text is withheld.
// PgError.Detail, Where and Hint are never used: Detail in particular can hold a row.
var safeClasses = map[string]bool{"08": true, "25": true, "28": true, "3D": true, "42": true, "53": true, "54": true, "55": true, "57": true}

func pgDetail(pg *pgconn.PgError) string {
	code := pg.Code
	if len(code) >= 2 && safeClasses[code[:2]] {
		return shorten(firstLine(pg.Message)) + " (SQLSTATE " + code + ")"
	}
	return "the server reported an error; its message is withheld because it may quote data (SQLSTATE " + code + ")"
}

// connectionLost recognises a broken connection from the errors pgx and the network return.
func connectionLost(err error) bool {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	if pgconn.SafeToRetry(err) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "broken pipe") ||
		strings.Contains(msg, "connection reset")
}

// unwrapAll finds the innermost cause: ConnectError's own text names the user and database, which is fine,
// but the innermost message is the useful part.
func unwrapAll(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// shorten keeps a driver message to its first line and 300 bytes, never cutting a character in two.
func shorten(s string) string {
	s = firstLine(s)
	if len(s) > 300 {
		cut := 300
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}
