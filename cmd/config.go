package cmd

import (
	"fmt"
	"os"
	"time"

	"github.com/datamap-uk/datamap/rules"
)

// config is datamap.toml. Unknown keys are an error: a misspelt setting must not be silently ignored.
type config struct {
	Scan    scanConfig     `toml:"scan"`
	Sources []sourceConfig `toml:"source"`
	Rules   rules.Pack     `toml:"rules"`
}

type scanConfig struct {
	SampleRows       int           `toml:"sample_rows"`
	MaxTextBytes     int64         `toml:"max_text_bytes"`
	MaxFileBytes     int64         `toml:"max_file_bytes"`
	Workers          int           `toml:"workers"`
	DBSampleRows     int           `toml:"db_sample_rows"`
	StatementTimeout time.Duration `toml:"statement_timeout"`
	MaxDBConnections int           `toml:"max_db_connections"`
	Retention        string        `toml:"retention"` // a retention schedule file laid over the default
}

func loadConfig(path string) (*config, error) {
	var c config
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	if _, err := rules.DecodeTOML(f, &c); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	for i := range c.Rules.Rules {
		c.Rules.Rules[i].Origin = path
	}
	seen := map[string]bool{}
	for i, sc := range c.Sources {
		if sc.Name == "" {
			return nil, fmt.Errorf("config %s: source %d has no name", path, i+1)
		}
		if seen[sc.Name] {
			return nil, fmt.Errorf("config %s: two sources are named %q", path, sc.Name)
		}
		seen[sc.Name] = true
		if (sc.Path == "") == (sc.DSN == "" && sc.DSNEnv == "") {
			return nil, fmt.Errorf("config %s: source %q needs exactly one of path, dsn or dsn_env", path, sc.Name)
		}
	}
	return &c, nil
}

// ruleSet holds the flags that choose the rule pack, shared by scan and rules.
type ruleSet struct {
	config string
	files  []string
}

// load merges the default pack, the config file's [rules] and each --rules file, in that order.
func (rs ruleSet) load() (*rules.Pack, *config, []string, error) {
	base, err := rules.Default()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("default rule pack: %w", err)
	}
	origins := []string{"default"}
	var users []*rules.Pack
	var cfg *config
	if rs.config != "" {
		cfg, err = loadConfig(rs.config)
		if err != nil {
			return nil, nil, nil, err
		}
		users = append(users, &cfg.Rules)
		if len(cfg.Rules.Rules)+len(cfg.Rules.Disable)+len(cfg.Rules.Aliases) > 0 {
			origins = append(origins, rs.config)
		}
	}
	for _, f := range rs.files {
		p, err := rules.LoadFile(f)
		if err != nil {
			return nil, nil, nil, err
		}
		users = append(users, p)
		origins = append(origins, f)
	}
	merged, err := rules.Merge(base, users...)
	if err != nil {
		return nil, nil, nil, err
	}
	return merged, cfg, origins, nil
}
