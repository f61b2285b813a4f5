package scanner

import (
	"context"
	"errors"
	"fmt"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/datamap-uk/datamap/detectors"
	"github.com/datamap-uk/datamap/rules"
)

// Options configure a run.
type Options struct {
	Engine   *rules.Engine
	Workers  int                    // units sampled at once; <=0 means GOMAXPROCS
	Clock    func() time.Time       // nil means time.Now; tests fix it
	Tool     Tool                   // name and version for the inventory
	Settings Settings               // recorded as given
	Progress func(done, listed int) // optional; calls are serialised
	// Retention, when set, decides which retention rules govern each table and folder; sources that can
	// count (StaleCounter) then count the stale records.
	Retention RetentionPlanner
}

// Run scans every source and returns the inventory. Failures of units and sources are recorded in the
// inventory, never returned: the error is only for a cancelled context, and even then the inventory is
// returned, marked incomplete, with what was done.
func Run(ctx context.Context, sources []Source, opt Options) (*Inventory, error) {
	clock := opt.Clock
	if clock == nil {
		clock = time.Now
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	start := clock()
	inv := &Inventory{
		SchemaVersion: SchemaVersion,
		Tool:          opt.Tool,
		GeneratedAt:   start.UTC(),
		Settings:      opt.Settings,
		Sources:       []SourceResult{},
		Containers:    []ContainerResult{},
		Fields:        []Field{},
		Unreadable:    []Unreadable{},
	}
	order := map[string]int{}
	for i, src := range sources {
		order[src.Info().Name] = i
	}
	var runErr error
	for _, src := range sources {
		if runErr != nil {
			// Honest coverage: a source the interruption kept us from is listed, not left out.
			info := src.Info()
			src.Close()
			inv.Sources = append(inv.Sources, SourceResult{Name: info.Name, Kind: info.Kind, Location: info.Location,
				Status: StatusFailed, Error: "not scanned: the scan was interrupted"})
			continue
		}
		res := runSource(ctx, src, opt.Engine, opt.Retention, workers, inv, opt.Progress)
		inv.Sources = append(inv.Sources, res)
		runErr = ctx.Err()
	}
	inv.Complete = runErr == nil
	inv.finalise(order)
	inv.Summary.DurationSeconds = clock().Sub(start).Round(time.Millisecond).Seconds()
	return inv, runErr
}

type result struct {
	container  *ContainerResult
	fields     []Field
	unreadable *Unreadable
	retention  *RetentionResult
}

// sink classifies each container in the worker that sampled it, so raw values never cross a channel. There is
// one per unit: it also collects the unit's retention jobs, counted once the unit's sampling is done.
type sink struct {
	ctx         context.Context
	source      string
	unit        string
	notFollowed bool // the source would not read the unit itself (a link, a device)
	engine      *rules.Engine
	planner     RetentionPlanner
	out         chan<- result
	jobs        []RetentionJob
}

func (s *sink) send(r result) { sendResult(s.ctx, s.out, r) }

func sendResult(ctx context.Context, out chan<- result, r result) {
	select {
	case out <- r:
	case <-ctx.Done():
	}
}

// countJobs counts the unit's retention jobs once its sampling is done, and reports whether any of its records
// were counted row by row.
func (s *sink) countJobs(ctx context.Context, c StaleCounter) (counted bool) {
	for _, j := range s.jobs {
		if c == nil && !j.Held && j.Problem == "" {
			j.Problem = "not counted: this kind of source cannot count stale records yet"
		}
		r := countStale(ctx, c, s.source, j)
		counted = counted || r.Method == MethodExact || r.Method == MethodEstimate
		s.send(result{retention: r})
	}
	return counted
}

// countStale runs one retention job against a source that can count.
func countStale(ctx context.Context, c StaleCounter, source string, j RetentionJob) *RetentionResult {
	r := &RetentionResult{Source: source, Container: j.Query.Container, Rule: j.Rule, RecordType: j.RecordType,
		Period: j.Period, DateField: j.Field, Held: j.Held, Why: j.Why, Error: j.Problem}
	if j.Kind == KindConsent {
		r.Kind = KindConsent
	}
	switch {
	case len(j.Query.Conditions) > 0:
		r.Cutoff = j.Query.Conditions[0].Cutoff.Format(time.DateOnly)
	case !j.Query.Cutoff.IsZero():
		r.Cutoff = j.Query.Cutoff.Format(time.DateOnly)
		r.DateField = "(file modification time)"
	}
	if j.Held || j.Problem != "" {
		return r
	}
	n, err := safeCount(ctx, c, j.Query)
	if err != nil {
		r.Error = "not counted: " + err.Error()
		return r
	}
	r.StaleRows, r.TotalRows, r.Oldest, r.Method, r.Note = n.Stale, n.Total, n.Oldest, n.Method, n.Note
	if r.Kind == KindConsent {
		r.MissingRows = n.Missing // without a consent basis, an empty date is an open record, not a gap
	}
	if r.Oldest != nil {
		t := r.Oldest.UTC()
		r.Oldest = &t
	}
	return r
}

// safeCount turns a panic in a counter into that count's failure, as sample does for a unit: counting runs
// outside sample, and one bad file must not lose the whole inventory. The panic's value may quote the data.
func safeCount(ctx context.Context, c StaleCounter, q StaleQuery) (n StaleCount, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New(panicDetail)
		}
	}()
	return c.CountStale(ctx, q)
}

// countFolders judges folders by their files' modification times, from the listing the scan already made (no
// second walk of the share). A folder under one that already matched the same rule is left to it; a folder
// leaves out the files whose records were counted row by row and the subfolders another rule judges, so no
// file is counted twice. notFollowed are the units the source would not read (links, devices).
func countFolders(planner RetentionPlanner, source string, units []Unit, rowCounted, notFollowed map[string]bool) []*RetentionResult {
	names := make([]string, len(units))
	for i, u := range units {
		names[i] = u.Name
	}
	type folderJob struct {
		dir string
		job RetentionJob
	}
	var jobs []folderJob
	matched := map[string][]string{} // rule -> folders
	for _, dir := range folderSet(names) {
		for _, j := range planner.PlanFolder(dir) {
			if coveredBy(dir, matched[j.Rule]) {
				continue
			}
			matched[j.Rule] = append(matched[j.Rule], dir)
			jobs = append(jobs, folderJob{dir, j})
		}
	}
	var out []*RetentionResult
	for _, fj := range jobs {
		j := fj.job
		j.Query.Container = fj.dir
		var others []string // subfolders another rule judges
		for _, o := range jobs {
			if o.dir != fj.dir && strings.HasPrefix(o.dir, fj.dir) && o.job.Rule != j.Rule {
				others = append(others, o.dir)
			}
		}
		r := countStale(context.Background(), mtimeCounter{units, rowCounted, notFollowed, others}, source, j)
		out = append(out, r)
	}
	return out
}

// mtimeCounter counts a folder's listed files by modification time.
type mtimeCounter struct {
	units       []Unit
	rowCounted  map[string]bool
	notFollowed map[string]bool
	others      []string
}

// mtimeNote says how a folder was judged.
const mtimeNote = "judged by file modification time"

func (m mtimeCounter) CountStale(_ context.Context, q StaleQuery) (StaleCount, error) {
	cutoff := detectors.UTCDay(q.Cutoff)
	var c StaleCount
	var unlisted, links int64
	left := false
	for _, u := range m.units {
		if !strings.HasPrefix(u.Name, q.Container) {
			continue
		}
		switch {
		case strings.HasSuffix(u.Name, "/"):
			unlisted++ // a folder the source could not list
			continue
		case m.notFollowed[u.Name]:
			links++
			continue
		case m.rowCounted[u.Name] || coveredBy(u.Name, m.others):
			left = true
			continue
		}
		c.Total++
		if day := detectors.UTCDay(u.ModTime); day.Before(cutoff) {
			c.Stale++
			if c.Oldest == nil || day.Before(*c.Oldest) {
				c.Oldest = &day
			}
		}
	}
	c.Method, c.Note = MethodMtime, mtimeNote
	if unlisted > 0 {
		c.Note += "; " + Plural(unlisted, "folder", "folders") + " could not be listed"
	}
	if links > 0 {
		c.Note += "; " + Plural(links, "link or special file", "links or special files") + " not followed"
	}
	if left {
		c.Note += "; files whose records were counted row by row, and subfolders under another rule, are left out"
	}
	return c, nil
}

// folderSet turns unit names ("letters/2019/a.docx") into the folders that hold them and their ancestors,
// sorted, the root as "".
func folderSet(units []string) []string {
	seen := map[string]bool{"": true}
	for _, u := range units {
		for d := path.Dir(strings.TrimSuffix(u, "/")); d != "." && d != "/" && d != ""; d = path.Dir(d) {
			seen[d+"/"] = true
		}
	}
	out := make([]string, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

func coveredBy(dir string, tops []string) bool {
	for _, t := range tops {
		if t == "" || strings.HasPrefix(dir, t) {
			return true
		}
	}
	return false
}

func (s *sink) Container(c *Container) {
	cr := &ContainerResult{
		Source: s.source, Container: c.Name, Kind: c.Kind, Format: c.Format, Encoding: c.Encoding,
		RowsTotal: c.RowsTotal, RowsEstimate: c.RowsEstimate, RowsSampled: c.RowsSampled, BytesTotal: c.BytesTotal, BytesSampled: c.BytesSampled,
		SampleNote: c.SampleNote,
	}
	if !c.ModTime.IsZero() {
		t := c.ModTime.UTC()
		cr.Modified = &t
	}
	var fields []Field
	switch c.Kind {
	case "table":
		headerless := (c.Format == "csv" || c.Format == "xlsx") && headerIsData(s.engine, c.Columns)
		if headerless {
			// The reader took a record for the header: put it back as data, and never let it name a field.
			for i := range c.Columns {
				first := c.Columns[i].Name
				c.Columns[i].Name = fmt.Sprintf("column_%d", i+1)
				c.Columns[i].Values = append([]Value{NewValue(first)}, c.Columns[i].Values...)
			}
			cr.RowsTotal++
			cr.RowsSampled++
		}
		findings := make([]*rules.Finding, len(c.Columns))
		longest := 0
		for _, col := range c.Columns {
			longest = max(longest, len(col.Values))
		}
		vals := make([]string, 0, longest) // one buffer for every column: Column keeps none of it
		for i, col := range c.Columns {
			vals = vals[:0]
			for _, v := range col.Values {
				vals = append(vals, v.Reveal())
			}
			name := col.Name
			if col.Comment != "" {
				name += " " + col.Comment // the comment is a name cue: "nhs_no" -- "Patient's NHS number"
			}
			f := s.engine.Column(name, vals)
			if headerless {
				f.Evidence.Notes = append(f.Evidence.Notes, "the table has no header row: its columns are numbered")
			}
			findings[i] = &f
		}
		rules.Table(findings, func(i int) bool { return allDistinct(c.Columns[i].Values) })
		if s.planner != nil {
			for _, j := range s.planner.Plan(c.Name, c.Columns) {
				j.Query.Unit, j.Query.Container = c.Unit, c.Name
				s.jobs = append(s.jobs, j)
			}
		}
		for i, col := range c.Columns {
			f := s.field(c.Name, col.Name, i, *findings[i])
			f.Type, f.PrimaryKey = col.Type, col.Key
			fields = append(fields, f)
		}
	case "text":
		fields = append(fields, s.field(c.Name, "*", 0, s.engine.Text("*", c.Text.Reveal())))
	}
	cr.Fields = len(fields)
	s.send(result{container: cr, fields: fields})
}

// headerIsData reports a header row that is really a record: a cell of it holds a person's name, an e-mail
// address, an identifier or a date of birth, as proven by its value alone. Special-category words do not count:
// "Mental health" is a fine column name.
func headerIsData(e *rules.Engine, cols []Column) bool {
	for _, c := range cols {
		if strings.TrimSpace(c.Name) == "" {
			continue
		}
		f := e.Column("value", []string{c.Name})
		if f.Personal && f.Evidence.Method == "value" && rules.Identifying(f.DataTypes) {
			return true
		}
	}
	return false
}

// panicDetail is what a recovered panic is reported as: never the panic's value, which may quote the data.
const panicDetail = "internal error while reading this item (a bug in datamap: please report it)"

// sample reads one unit, turning a panic in a reader or in classification into that unit's failure: one bad
// file must not lose the whole inventory. The panic's value is not reported: it may quote the data.
func sample(ctx context.Context, src Source, u Unit, out Sink) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New(panicDetail)
		}
	}()
	return src.Sample(ctx, u, out)
}

// allDistinct reports whether the non-empty values are all different.
func allDistinct(vals []Value) bool {
	seen := make(map[string]struct{}, len(vals))
	for _, x := range vals {
		v := x.Reveal()
		if v == "" {
			continue
		}
		if _, dup := seen[v]; dup {
			return false
		}
		seen[v] = struct{}{}
	}
	return true
}

func (s *sink) field(container, name string, pos int, f rules.Finding) Field {
	return Field{
		Source: s.source, Container: container, Field: name,
		Fingerprint: Fingerprint(s.source, container, name), Finding: f, position: pos,
	}
}

func (s *sink) Unreadable(u Unreadable) {
	u.Source = s.source
	if u.Path == s.unit && u.Reason == ReasonNotFollowed {
		s.notFollowed = true
	}
	s.send(result{unreadable: &u})
}

func runSource(ctx context.Context, src Source, engine *rules.Engine, planner RetentionPlanner, workers int, inv *Inventory, progress func(int, int)) SourceResult {
	info := src.Info()
	res := SourceResult{Name: info.Name, Kind: info.Kind, Location: info.Location, Status: StatusOK}
	defer src.Close()

	results := make(chan result, workers*2)
	var listed, done int
	var mu sync.Mutex
	var consumer sync.WaitGroup
	consumer.Add(1)
	go func() {
		defer consumer.Done()
		for r := range results {
			switch {
			case r.container != nil:
				inv.Containers = append(inv.Containers, *r.container)
				inv.Fields = append(inv.Fields, r.fields...)
				res.Containers++
			case r.retention != nil:
				inv.Retention = append(inv.Retention, *r.retention)
			case r.unreadable != nil:
				inv.Unreadable = append(inv.Unreadable, *r.unreadable)
				res.Unreadable++
				if r.unreadable.Failure() {
					res.Failed++
				}
			}
		}
	}()

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	counter, _ := src.(StaleCounter)
	var units []Unit                 // listed, for judging their folders by modification time
	rowCounted := map[string]bool{}  // units whose records were counted row by row
	notFollowed := map[string]bool{} // units the source would not read (links, devices)
	listErr := src.Units(gctx, func(u Unit) error {
		if err := gctx.Err(); err != nil {
			return err
		}
		mu.Lock()
		listed++
		units = append(units, u)
		mu.Unlock()
		g.Go(func() error {
			sk := &sink{ctx: ctx, source: info.Name, unit: u.Name, engine: engine, planner: planner, out: results}
			if err := sample(gctx, src, u, sk); err != nil {
				reason := ReasonReadError
				if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
					reason = ReasonCancelled
				}
				sk.Unreadable(Unreadable{Path: u.Name, Reason: reason, Detail: err.Error(), Size: u.Size})
			} else if sk.countJobs(gctx, counter) {
				mu.Lock()
				rowCounted[u.Name] = true // its records were counted: its file is not judged by date too
				mu.Unlock()
			}
			mu.Lock()
			if sk.notFollowed {
				notFollowed[u.Name] = true
			}
			done++
			if progress != nil {
				progress(done, listed) // under the lock: one line at a time
			}
			mu.Unlock()
			return nil // one unit never stops the others
		})
		return nil
	})
	_ = g.Wait()
	if planner != nil && info.Kind == "files" && listErr == nil && ctx.Err() == nil {
		for _, r := range countFolders(planner, info.Name, units, rowCounted, notFollowed) {
			sendResult(ctx, results, result{retention: r})
		}
	}
	close(results)
	consumer.Wait()

	res.Units = listed
	switch {
	case listErr != nil && listed == 0:
		res.Status = StatusFailed
		res.Error = listErr.Error()
	case listErr != nil:
		res.Status = StatusPartial
		res.Error = fmt.Sprintf("listing stopped early: %v", listErr)
	case res.Failed > 0:
		// Files that are encrypted, legacy or images are findings, listed in the unreadable register; files
		// the scan failed to read (permissions, I/O errors) mean this source was only partly scanned.
		res.Status = StatusPartial
		res.Error = fmt.Sprintf("%d items could not be read because of errors (see unreadable)", res.Failed)
	}
	if ctx.Err() != nil && res.Status == StatusOK {
		res.Status = StatusPartial
		res.Error = "scan interrupted"
	}
	return res
}
