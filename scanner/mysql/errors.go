package mysql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	mysqldriver "github.com/go-sql-driver/mysql"

	"github.com/datamap-uk/datamap/detectors"
	"github.com/datamap-uk/datamap/scanner"
)

// errTimeout marks a query that our own client-side deadline stopped: the server never answered in time.
var errTimeout = errors.New("the query did not return within the statement timeout")

// canned holds a safe detail for the server errors we classify: their own messages name users, hosts and,
// for some errors, data values, so none of their text is kept.
var canned = map[uint16]struct{ reason, detail string }{
	1044: {scanner.ReasonPermissionDenied, "access denied to the database"},
	1045: {scanner.ReasonPermissionDenied, "access denied for the user"},
	1142: {scanner.ReasonPermissionDenied, "SELECT denied on the table"},
	1143: {scanner.ReasonPermissionDenied, "SELECT denied on a column of the table"},
	1227: {scanner.ReasonPermissionDenied, "the operation needs a privilege the user lacks"},
	1317: {scanner.ReasonTimeout, "query interrupted"},
	1969: {scanner.ReasonTimeout, "query exceeded max_statement_time"},
	3024: {scanner.ReasonTimeout, "query exceeded max_execution_time"},
	1205: {scanner.ReasonTimeout, "lock wait timeout exceeded"},
	1356: {scanner.ReasonReadError, "the view references invalid objects or its definer/invoker lacks rights"},
	1927: {scanner.ReasonConnectionLost, "the connection was killed"},
	2006: {scanner.ReasonConnectionLost, "the server has gone away"},
	2013: {scanner.ReasonConnectionLost, "lost connection to the server during a query"},
}

// classify maps a failure to an Unreadable reason and a detail that quotes no data value and no secret.
func classify(err error, scrub scrubber) (reason, detail string) {
	var me *mysqldriver.MySQLError
	switch {
	case errors.As(err, &me):
		if c, ok := canned[me.Number]; ok {
			return c.reason, fmt.Sprintf("mysql error %d: %s", me.Number, c.detail)
		}
		return scanner.ReasonReadError, fmt.Sprintf("mysql error %d (SQLSTATE %s): %s", me.Number, me.SQLState[:], shorten(scrub.clean(detectors.Unquote(me.Message))))
	case errors.Is(err, errTimeout), errors.Is(err, context.DeadlineExceeded):
		return scanner.ReasonTimeout, "the query did not return within the statement timeout"
	case lost(err):
		return scanner.ReasonConnectionLost, "the connection to the server was lost: " + shorten(scrub.clean(detectors.Unquote(err.Error())))
	}
	return scanner.ReasonReadError, shorten(scrub.clean(detectors.Unquote(err.Error())))
}

// lost reports whether err means the server or the network went away.
func lost(err error) bool {
	var ne net.Error
	var oe *net.OpError
	return errors.Is(err, driver.ErrBadConn) || errors.Is(err, errBadConn) || errors.Is(err, mysqldriver.ErrInvalidConn) ||
		errors.Is(err, sql.ErrConnDone) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.As(err, &oe) || errors.As(err, &ne)
}

func shorten(s string) string {
	const max = 160
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
