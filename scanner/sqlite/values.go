package sqlite

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// text renders one scanned value. NULL is "" (an empty cell, not counted); a BLOB that is not UTF-8 text is
// binary and skipped the same way.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		if utf8.Valid(x) {
			return string(x)
		}
		return ""
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.Format(time.RFC3339Nano)
	}
	return ""
}
