// Package scanner defines what a source is, runs the sample → detect → classify pipeline over sources, and
// builds the inventory that reports are written from.
package scanner

import (
	"fmt"
	"io"
	"log/slog"
)

const redacted = "[redacted]"

// Value is one sampled value: a cell, or a document's text. It never shows itself: fmt, slog and JSON all
// print "[redacted]". Only the detect step calls Reveal.
type Value struct{ raw string }

// NewValue wraps a sampled string.
func NewValue(s string) Value { return Value{raw: s} }

// Reveal returns the raw value for matching. Nothing else should call it.
func (v Value) Reveal() string { return v.raw }

// Len is the value's length in bytes.
func (v Value) Len() int { return len(v.raw) }

func (Value) String() string               { return redacted }
func (Value) GoString() string             { return redacted }
func (Value) Format(f fmt.State, _ rune)   { io.WriteString(f, redacted) }
func (Value) LogValue() slog.Value         { return slog.StringValue(redacted) }
func (Value) MarshalText() ([]byte, error) { return []byte(redacted), nil }
func (Value) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }
