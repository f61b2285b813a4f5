// Package gen generates the synthetic demo estate of "Northmoor Homes", a fictional housing association, and
// the ground-truth labels the detection-quality test scores a scan against.
//
// Every file and every label comes from the same table and document definitions, so the labels cannot drift
// from the data. Output is byte-for-byte reproducible: a fixed PCG seed per file, fixed modification times on
// files, directories and archive headers, and no map iteration. Nothing in it describes a real person: names
// are random combinations from short lists, emails use example.org/.com/.net, phones come from Ofcom's drama
// ranges, and identifiers are random numbers built to pass their checksums.
package gen

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// fixedTime is the modification time of every file, directory and archive entry in the estate.
var fixedTime = time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)

const seed = 20240301

// Label is the ground truth for one field: a column of a table, or the text ("*") of a document.
type Label struct {
	Container       string   `json:"container"`
	Field           string   `json:"field"`
	Personal        bool     `json:"personal"`
	DataTypes       []string `json:"data_types"`
	SpecialCategory []string `json:"special_category"`
	Criminal        bool     `json:"criminal"`
	Decoy           bool     `json:"decoy"`
	Note            string   `json:"note"`
}

// UnreadableLabel is a file or archive member a scan must list as unreadable, with the expected reason.
type UnreadableLabel struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Labels is the content of labels.json.
type Labels struct {
	Fields     []Label           `json:"fields"`
	Unreadable []UnreadableLabel `json:"unreadable"`
}

// Unreadable reasons, spelled as scanner.Reason* (kept as literals: testdata must not import the scanner).
const (
	reasonEncrypted   = "encrypted"
	reasonCorrupt     = "corrupt"
	reasonLegacy      = "legacy_format"
	reasonNeedsOCR    = "needs_ocr"
	reasonUnsupported = "unsupported_format"
	reasonUnknown     = "unknown_binary"
	reasonLimit       = "archive_limit"
)

type outFile struct {
	path string
	data []byte
}

// estate collects files and labels before anything is written.
type estate struct {
	files      []outFile
	labels     []Label
	unreadable []UnreadableLabel
	planted    []planted
	people     []*person // tenants, shared by every file that names a tenant
	staff      []*person
}

// rng returns a generator for one file, seeded by its path: adding a file does not change the others.
func (e *estate) rng(name string) ids {
	h := fnv.New64a()
	h.Write([]byte(name))
	return ids{r: rand.New(rand.NewPCG(seed, h.Sum64())), planted: &e.planted}
}

func (e *estate) add(p string, data []byte) {
	e.files = append(e.files, outFile{path: p, data: data})
}

// labelTable records one label per column of t under container.
func (e *estate) labelTable(container string, t *table) {
	for i, h := range t.header {
		e.label(container, h, t.metas[i])
	}
}

func (e *estate) label(container, field string, m meta) {
	l := Label{Container: container, Field: field, Personal: m.personal, DataTypes: m.types,
		SpecialCategory: m.special, Criminal: m.criminal, Decoy: m.decoy, Note: m.note}
	if l.DataTypes == nil {
		l.DataTypes = []string{}
	}
	if l.SpecialCategory == nil {
		l.SpecialCategory = []string{}
	}
	e.labels = append(e.labels, l)
}

func (e *estate) unread(p, reason string) {
	e.unreadable = append(e.unreadable, UnreadableLabel{Path: p, Reason: reason})
}

// find returns the first tenant from index from on (wrapping round) for whom ok holds, so a document can
// describe someone its text fits.
func (e *estate) find(from int, ok func(*person) bool) *person {
	for i := range e.people {
		if p := e.people[(from+i)%len(e.people)]; ok(p) {
			return p
		}
	}
	panic("gen: no tenant fits")
}

// mother fits a pregnancy note.
func mother(p *person) bool { return p.female && p.dob.Year() >= 1985 }

// build assembles the whole estate in memory.
func build() (*estate, error) {
	e := &estate{}
	g := e.rng("people")
	for range 360 {
		e.people = append(e.people, g.newPerson())
	}
	gs := e.rng("staff")
	for range 48 {
		e.staff = append(e.staff, gs.newPerson())
	}
	steps := []func() error{e.crm, e.crmDatabase, e.finance, e.hr, e.support, e.asb, e.repairs, e.community, e.buildings,
		e.notes, e.letters, e.archives, e.unreadables}
	for _, s := range steps {
		if err := s(); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(e.files, func(i, j int) bool { return e.files[i].path < e.files[j].path })
	for i := 1; i < len(e.files); i++ {
		if e.files[i].path == e.files[i-1].path {
			return nil, fmt.Errorf("gen: two files named %s", e.files[i].path)
		}
	}
	sort.SliceStable(e.labels, func(i, j int) bool { return e.labels[i].Container < e.labels[j].Container })
	sort.SliceStable(e.unreadable, func(i, j int) bool { return e.unreadable[i].Path < e.unreadable[j].Path })
	return e, nil
}

// Write generates the estate under dir/estate and its labels as dir/labels.json. dir/estate must not exist
// yet: Write never deletes anything.
func Write(dir string) error {
	e, err := build()
	if err != nil {
		return fmt.Errorf("build estate: %w", err)
	}
	root := filepath.Join(dir, "estate")
	if _, err := os.Lstat(root); err == nil {
		return errors.New("estate folder already exists; remove it first")
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("check estate folder: %w", err)
	}
	for _, f := range e.files {
		p := filepath.Join(root, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("create folder: %w", err)
		}
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			return fmt.Errorf("write estate file: %w", err)
		}
	}
	b, err := json.MarshalIndent(Labels{Fields: e.labels, Unreadable: e.unreadable}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode labels: %w", err)
	}
	labels := filepath.Join(dir, "labels.json")
	if err := os.WriteFile(labels, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write labels: %w", err)
	}
	return stamp(root, labels)
}

// stamp sets the fixed time on every file and folder, deepest first, since writing into a folder changes its
// own modification time.
func stamp(root, labels string) error {
	var paths []string
	err := filepath.WalkDir(root, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		return fmt.Errorf("walk estate: %w", err)
	}
	slices.Reverse(paths)
	for _, p := range append(paths, labels) {
		if err := os.Chtimes(p, fixedTime, fixedTime); err != nil {
			return fmt.Errorf("set file time: %w", err)
		}
	}
	return nil
}

// inside names a container inside an archive: "a.zip!inner/path.csv".
func inside(outer string, inner ...string) string {
	return strings.Join(append([]string{outer}, inner...), "!")
}

// gzMember is the name the scanner gives the single member of a .gz file: the base name without ".gz".
func gzMember(p string) string {
	b := path.Base(p)
	return inside(p, strings.TrimSuffix(b, path.Ext(b)))
}

func itoa(n int) string { return strconv.Itoa(n) }
