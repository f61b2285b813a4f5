package scanner

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

const (
	maxJSONDepth     = 3   // "col.a.b.c": deeper values are kept as JSON text under the third key
	maxJSONSubfields = 200 // per column: a document store in one column must not explode the inventory; keys beyond go to "col.*"
	maxJSONBytes     = 1 << 20
	maxJSONNesting   = 10000 // encoding/json's own limit: deeper documents are invalid to it and to us
)

// jsonFields gathers the sub-fields of one column's JSON documents over the sampled rows: every connector
// flattens JSON through it, so one document gives the same sub-fields whether it sits in PostgreSQL, MySQL or
// SQLite. Object keys become sub-fields ("profile.nhs_no", "profile.contact.phone"), named by SubFieldKey
// (data used as keys never names a field); objects below maxJSONDepth keys are kept whole as compact JSON
// text; arrays of scalars are joined with newlines, so free-text detectors see one text a row, and the keys
// of objects inside arrays land on the same sub-fields ("profile.addresses.postcode"); a top-level array of
// scalars is the column's own text (Own). Past maxJSONSubfields sub-fields, further keys share "col.*": their
// values are still classified, never dropped. Values are kept as found, not lined up by row.
//
// Flattening runs for every sampled value of every JSON-looking column, so it parses the document itself
// rather than through encoding/json into maps: one pass over the text builds a flat list of nodes (reused
// from value to value), and values are substrings of the document, so a sampled value costs no allocation
// beyond the strings that must be built anyway (joined arrays, escaped strings). The result is the same as
// decoding with encoding/json (UseNumber) and walking the maps: the rare cases that need its exact rules
// (strings with escapes or invalid UTF-8, objects below the depth bound kept as JSON text) are handed to it.
type jsonFields struct {
	col    string
	values map[string][]string
	order  []string

	interned map[string]string // interned sub-field names, so a name met again costs no allocation
	keys     map[string]string // object key -> SubFieldKey of it: keys repeat from row to row
	p        jsonParser
	name     []byte   // the sub-field name being built
	parts    []string // scratch for joining arrays
}

// newJSONFields flattens the documents of the column named col.
func newJSONFields(col string) *jsonFields {
	return &jsonFields{col: col, values: map[string][]string{}, interned: map[string]string{}, keys: map[string]string{}}
}

// Add flattens one value. It reports whether the value was a JSON object or array (and so was taken
// apart); scalars and invalid JSON are left to the caller. The sub-field values are substrings of raw.
func (j *jsonFields) Add(raw string) bool {
	t := strings.TrimSpace(raw)
	if len(t) == 0 || len(t) > maxJSONBytes || (t[0] != '{' && t[0] != '[') {
		return false
	}
	root, ok := j.p.parse(t)
	if !ok {
		return false
	}
	j.name = append(j.name[:0], j.col...)
	if j.p.nodes[root].kind != jObject {
		// A top-level array: its strings are the column's own free text.
		if s, ok := j.joinScalars(root); ok {
			j.put(s)
			return true
		}
	}
	j.walk(root, 0)
	return true
}

// walk puts the values under node into the sub-field named j.name.
func (j *jsonFields) walk(node int32, depth int) {
	p := &j.p
	n := p.nodes[node]
	switch n.kind {
	case jObject:
		if depth >= maxJSONDepth {
			if s, ok := p.reencode(n); ok {
				j.put(s)
			}
			return
		}
		members, base := p.members(n)
		prefix := len(j.name)
		for i, m := range members {
			if i+1 < len(members) && members[i+1].key == m.key {
				continue // a repeated key: the last one wins, as in a decoded map
			}
			j.name = append(append(j.name[:prefix], '.'), j.subFieldKey(m.key)...) // data used as keys never names a field
			j.walk(m.node, depth+1)
		}
		j.name = j.name[:prefix]
		p.scratch = p.scratch[:base]
	case jArray:
		if s, ok := j.joinScalars(node); ok {
			j.put(s)
			return
		}
		// An array of objects: every element's keys land on the same sub-fields, so "col.addresses.postcode"
		// collects the postcodes of all addresses.
		for e := n.first; e >= 0; e = p.nodes[e].next {
			j.walk(e, depth)
		}
	default:
		j.put(p.scalar(n))
	}
}

// maxKeyMemo bounds the keys remembered per column: a document used as a map keyed by data has new keys in
// every row.
const maxKeyMemo = 1024

// subFieldKey is SubFieldKey, remembered.
func (j *jsonFields) subFieldKey(k string) string {
	if f, ok := j.keys[k]; ok {
		return f
	}
	f := SubFieldKey(k)
	if len(j.keys) < maxKeyMemo {
		// k (and f, when it is k) is a substring of the document: the memo keeps copies, not the document.
		ck := strings.Clone(k)
		if f == k {
			f = ck
		}
		j.keys[ck] = f
	}
	return f
}

// joinScalars joins an array of scalars with newlines so free-text detectors see one text per row; nulls are
// left out.
func (j *jsonFields) joinScalars(node int32) (string, bool) {
	p := &j.p
	n := p.nodes[node]
	if n.kind != jArray {
		return "", false
	}
	parts := j.parts[:0]
	for e := n.first; e >= 0; e = p.nodes[e].next {
		switch en := p.nodes[e]; en.kind {
		case jNull:
		case jObject, jArray:
			j.parts = parts
			return "", false
		default:
			parts = append(parts, p.scalar(en))
		}
	}
	j.parts = parts
	return strings.Join(parts, "\n"), true
}

func (j *jsonFields) put(value string) {
	name, ok := j.interned[string(j.name)]
	if !ok && len(j.order) >= maxJSONSubfields && string(j.name) != j.col { // the column's own text is no sub-field
		// Past the limit, keys share one sub-field: their values are still classified, never dropped. (j.name
		// is the path being walked and is not touched.)
		name = j.col + ".*"
		if _, seen := j.values[name]; !seen {
			j.order = append(j.order, name)
		}
		j.values[name] = append(j.values[name], value)
		return
	}
	if !ok {
		name = string(j.name)
		j.interned[name] = name
		j.order = append(j.order, name)
	}
	j.values[name] = append(j.values[name], value)
}

// names lists the sub-fields found, sorted so the inventory is stable across runs.
func (j *jsonFields) names() []string {
	out := append([]string(nil), j.order...)
	sort.Strings(out)
	return out
}

// Own returns the values that belong to the column itself: its top-level arrays of scalars, joined.
func (j *jsonFields) Own() []string { return j.values[j.col] }

// Columns returns the sub-fields found, sorted by name, each of type typ and with the column's comment: a
// comment describes what the whole document holds ("tenant health profile"), so it is a name cue for each
// sub-field too.
func (j *jsonFields) Columns(typ, comment string) []Column {
	var out []Column
	for _, name := range j.names() {
		if name == j.col {
			continue
		}
		vals := j.values[name]
		c := Column{Name: name, Type: typ, Comment: comment, Values: make([]Value, len(vals))}
		for i, v := range vals {
			c.Values[i] = NewValue(v)
		}
		out = append(out, c)
	}
	return out
}

// maxTextJSON bounds how many values of a text column are looked at for JSON objects: the text is kept whole
// for every row, and classifying a sub-field by its values needs far fewer than a whole sample.
const maxTextJSON = 1000

// TextJSONColumns flattens the JSON objects held in a text column's values into sub-fields of type "json";
// the column keeps its text whole, for the free-text detectors. It looks at every k-th value, at most
// maxTextJSON of them, so they come from the whole sample, not its first rows.
func TextJSONColumns(col, comment string, vals []Value) []Column {
	var objects []string // the values that may be objects: the stride runs over these, however sparse
	for _, v := range vals {
		if t := strings.TrimSpace(v.Reveal()); t != "" && t[0] == '{' {
			objects = append(objects, t)
		}
	}
	if len(objects) == 0 {
		return nil
	}
	j := newJSONFields(col)
	for i := 0; i < len(objects); i += max(1, (len(objects)+maxTextJSON-1)/maxTextJSON) {
		j.Add(objects[i])
	}
	return j.Columns("json", comment)
}

// JSONColumn takes apart a declared JSON column (json, jsonb) whose values are its sampled documents: every
// object or array goes to sub-fields of type subType (jsonFields), which follow the column; a scalar stays on
// the column as its text ("Jane", not "\"Jane\""), and a value that is not JSON as it is.
func JSONColumn(col Column, subType string) []Column {
	j := newJSONFields(col.Name)
	own := make([]Value, 0, len(col.Values))
	for _, v := range col.Values {
		d := v.Reveal()
		if j.Add(d) {
			continue
		}
		if s, ok := j.scalar(d); ok {
			d = s
		}
		own = append(own, NewValue(d))
	}
	for _, v := range j.Own() {
		own = append(own, NewValue(v))
	}
	col.Values = own
	return append([]Column{col}, j.Columns(subType, col.Comment)...)
}

// scalar gives the text of v when it is one JSON scalar ("\"Jane\"" is Jane, null is ""), as the scalars
// inside documents are given; anything else (an object, an array, a document too big, not JSON) is not one.
func (j *jsonFields) scalar(v string) (string, bool) {
	t := strings.TrimSpace(v)
	if t == "" || len(t) > maxJSONBytes {
		return "", false
	}
	root, ok := j.p.parse(t)
	if !ok {
		return "", false
	}
	switch n := j.p.nodes[root]; n.kind {
	case jObject, jArray:
		return "", false
	default:
		return j.p.scalar(n), true
	}
}

const (
	jObject uint8 = iota + 1
	jArray
	jString
	jNumber
	jTrue
	jFalse
	jNull
)

// jsonNode is one value of a parsed document. Children of an object or array are linked through first and
// next; an object member's key is kept on the member's value node.
type jsonNode struct {
	kind             uint8
	esc, keyEsc      bool  // the string (or key) has escapes or invalid UTF-8: encoding/json decodes it
	start, end       int32 // the value's text, quotes included for strings
	keyStart, keyEnd int32 // the member's key with its quotes
	first, next      int32 // -1: none
}

type jsonMember struct {
	key  string
	node int32
}

// jsonParser is a strict RFC 8259 parser (as strict as encoding/json) that only records where values are.
type jsonParser struct {
	s       string
	i       int
	nodes   []jsonNode
	scratch []jsonMember
}

// parse parses one document with nothing after it but whitespace and returns its root node.
func (p *jsonParser) parse(s string) (int32, bool) {
	p.s, p.i, p.nodes = s, 0, p.nodes[:0]
	root, ok := p.value(0)
	if !ok {
		return 0, false
	}
	p.space()
	return root, p.i == len(p.s)
}

func (p *jsonParser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (int32, bool) {
	p.space()
	if p.i >= len(p.s) {
		return 0, false
	}
	idx := int32(len(p.nodes))
	p.nodes = append(p.nodes, jsonNode{start: int32(p.i), first: -1, next: -1})
	var kind uint8
	switch c := p.s[p.i]; {
	case c == '{' || c == '[':
		if depth >= maxJSONNesting {
			return 0, false
		}
		kind = jArray
		if c == '{' {
			kind = jObject
		}
		if !p.container(idx, kind, depth) {
			return 0, false
		}
	case c == '"':
		kind = jString
		esc, ok := p.str()
		if !ok {
			return 0, false
		}
		p.nodes[idx].esc = esc
	case c == '-' || (c >= '0' && c <= '9'):
		kind = jNumber
		if !p.number() {
			return 0, false
		}
	case strings.HasPrefix(p.s[p.i:], "true"):
		kind, p.i = jTrue, p.i+4
	case strings.HasPrefix(p.s[p.i:], "false"):
		kind, p.i = jFalse, p.i+5
	case strings.HasPrefix(p.s[p.i:], "null"):
		kind, p.i = jNull, p.i+4
	default:
		return 0, false
	}
	p.nodes[idx].kind = kind
	p.nodes[idx].end = int32(p.i)
	return idx, true
}

// container parses an object or array starting at p.i and links its children under idx.
func (p *jsonParser) container(idx int32, kind uint8, depth int) bool {
	closer := byte(']')
	if kind == jObject {
		closer = '}'
	}
	p.i++ // the opening bracket
	p.space()
	if p.i < len(p.s) && p.s[p.i] == closer {
		p.i++
		return true
	}
	last := int32(-1)
	for {
		var keyStart, keyEnd int32
		var keyEsc bool
		if kind == jObject {
			p.space()
			if p.i >= len(p.s) || p.s[p.i] != '"' {
				return false
			}
			keyStart = int32(p.i)
			esc, ok := p.str()
			if !ok {
				return false
			}
			keyEnd, keyEsc = int32(p.i), esc
			p.space()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return false
			}
			p.i++
		}
		child, ok := p.value(depth + 1)
		if !ok {
			return false
		}
		p.nodes[child].keyStart, p.nodes[child].keyEnd, p.nodes[child].keyEsc = keyStart, keyEnd, keyEsc
		if last < 0 {
			p.nodes[idx].first = child
		} else {
			p.nodes[last].next = child
		}
		last = child
		p.space()
		if p.i >= len(p.s) {
			return false
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case closer:
			p.i++
			return true
		default:
			return false
		}
	}
}

// str checks a string starting at the quote at p.i and moves past it. esc reports escapes or invalid UTF-8,
// which need decoding rather than slicing.
func (p *jsonParser) str() (esc, ok bool) {
	start := p.i
	p.i++
	high := false
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			if high && !esc && !utf8.ValidString(p.s[start:p.i]) {
				esc = true // encoding/json replaces invalid UTF-8 with U+FFFD
			}
			return esc, true
		case c < 0x20:
			return false, false
		case c == '\\':
			esc = true
			if p.i+1 >= len(p.s) {
				return false, false
			}
			switch p.s[p.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.i += 2
			case 'u':
				if p.i+6 > len(p.s) {
					return false, false
				}
				for _, h := range []byte(p.s[p.i+2 : p.i+6]) {
					if !isHex(h) {
						return false, false
					}
				}
				p.i += 6
			default:
				return false, false
			}
		default:
			high = high || c >= utf8.RuneSelf
			p.i++
		}
	}
	return false, false
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// number checks a number in RFC 8259 syntax: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *jsonParser) number() bool {
	s, i := p.s, p.i
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	p.i = i
	return true
}

// scalar renders a string, number, boolean or null node as text.
func (p *jsonParser) scalar(n jsonNode) string {
	switch n.kind {
	case jString:
		return p.text(n.start, n.end, n.esc)
	case jNumber:
		return p.s[n.start:n.end]
	case jTrue:
		return "true"
	case jFalse:
		return "false"
	}
	return ""
}

// text returns the contents of the string literal s[start:end].
func (p *jsonParser) text(start, end int32, esc bool) string {
	if !esc {
		return p.s[start+1 : end-1]
	}
	var out string
	if err := json.Unmarshal([]byte(p.s[start:end]), &out); err != nil {
		return "" // not reached: the literal was checked
	}
	return out
}

// members lists an object's members sorted by key, stably, so the last of repeated keys comes last. They
// live in a scratch slice shared by nested objects, after those of the enclosing objects: the caller cuts it
// back to base when done with them, and the returned slice is capped, so nested objects never overwrite it.
func (p *jsonParser) members(n jsonNode) ([]jsonMember, int) {
	base := len(p.scratch)
	sorted := true
	for e := n.first; e >= 0; e = p.nodes[e].next {
		c := p.nodes[e]
		k := jsonMember{key: p.text(c.keyStart, c.keyEnd, c.keyEsc), node: e}
		if len(p.scratch) > base && p.scratch[len(p.scratch)-1].key > k.key {
			sorted = false
		}
		p.scratch = append(p.scratch, k)
	}
	ms := p.scratch[base:len(p.scratch):len(p.scratch)]
	if !sorted {
		slices.SortStableFunc(ms, func(a, b jsonMember) int { return strings.Compare(a.key, b.key) })
	}
	return ms, base
}

// reencode renders an object below the depth bound as compact JSON text with sorted keys, as encoding/json
// encodes the decoded map, but with <, > and & left as they are: the text goes to the detectors, which must
// see "H&C number", not "H\u0026C number".
func (p *jsonParser) reencode(n jsonNode) (string, bool) {
	dec := json.NewDecoder(strings.NewReader(p.s[n.start:n.end]))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", false
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", false
	}
	return strings.TrimSuffix(b.String(), "\n"), true
}
