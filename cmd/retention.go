package cmd

import (
	"fmt"
	"time"

	"github.com/datamap-uk/datamap/rules"
	"github.com/datamap-uk/datamap/scanner"
)

// retentionPlanner adapts the retention schedule to the scanner: it picks the winning retention rule for each
// table and folder, and every consent rule that matched, and turns their conditions into count queries.
type retentionPlanner struct {
	schedule *rules.Schedule
	asOf     time.Time
}

func (p retentionPlanner) Plan(container string, cols []scanner.Column) []scanner.RetentionJob {
	infos := make([]rules.ColumnInfo, len(cols))
	for i, c := range cols {
		vals := make([]string, len(c.Values))
		for j, v := range c.Values {
			vals[j] = v.Reveal() // in process only: discovery looks at whether sampled values are dates
		}
		infos[i] = rules.ColumnInfo{Name: c.Name, Type: c.Type, Values: vals}
	}
	return p.jobs(p.schedule.Match(container, infos, p.asOf), false)
}

func (p retentionPlanner) PlanFolder(folder string) []scanner.RetentionJob {
	return p.jobs(p.schedule.MatchFolder(folder, p.asOf), true)
}

func (p retentionPlanner) jobs(ms []rules.Match, folder bool) []scanner.RetentionJob {
	var out []scanner.RetentionJob
	for _, m := range ms {
		kind := scanner.KindRetention
		if m.Kind == rules.KindConsent {
			kind = scanner.KindConsent // each consent match is its own question
		} else if !m.Winner {
			continue // the longest-keeping rule speaks for the container
		}
		j := scanner.RetentionJob{Kind: kind, Rule: m.Rule.ID, RecordType: m.Rule.RecordType, Field: m.Field, Period: m.Rule.Period,
			Why: m.Why, Held: m.Held}
		for _, c := range m.Conditions {
			j.Query.Conditions = append(j.Query.Conditions, scanner.Condition{Field: c.Field, Cutoff: c.Cutoff})
		}
		if m.Hold != nil {
			j.Query.Hold = &scanner.Hold{Field: m.Hold.Field, Values: m.Hold.Values}
		}
		switch {
		case folder:
			j.Query.Cutoff = m.Cutoff // judged by modification time
		case !m.Countable() && !m.Held:
			j.Problem = "not counted: " + m.Why
		}
		out = append(out, j)
	}
	return out
}

// loadSchedule is the default retention schedule with the user's file laid over it.
func loadSchedule(file string) (*rules.Schedule, error) {
	base, err := rules.DefaultSchedule()
	if err != nil {
		return nil, fmt.Errorf("default retention schedule: %w", err)
	}
	if file == "" {
		return base, nil
	}
	user, err := rules.LoadSchedule(file)
	if err != nil {
		return nil, err
	}
	return rules.MergeSchedule(base, user)
}

// parseAsOf reads --as-of (YYYY-MM-DD); empty means today by the clock.
func parseAsOf(s string, clock func() time.Time) (time.Time, error) {
	if s == "" {
		n := clock().UTC()
		return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--as-of %q: want a date like 2026-03-31", s)
	}
	return t, nil
}
