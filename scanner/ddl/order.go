package ddl

import (
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// migration is one file to apply, with its version read from the name.
type migration struct {
	rel     string // slash path relative to the source root
	version []string
}

// listMigrations finds the .sql files under root in the order a migration tool applies them: by the version
// at the start of the file (or of its folder, as Prisma and Diesel lay them out), compared as numbers, so
// 2_ precedes 10_ and Flyway's V2 precedes V10; files without a version (a schema dump, Flyway's repeatable
// R__ files) come after. Rollbacks (*.down.sql, down.sql, Flyway U__ undo files) are left out.
func listMigrations(root string) ([]migration, error) {
	var out []migration
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != root && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.EqualFold(path.Ext(name), ".sql") || isRollback(name) {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		out = append(out, migration{rel: rel, version: versionOf(rel)})
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return less(out[i], out[j]) })
	return out, err
}

func less(a, b migration) bool {
	if (len(a.version) == 0) != (len(b.version) == 0) {
		return len(a.version) > 0
	}
	if c := compareVersions(a.version, b.version); c != 0 {
		return c < 0
	}
	return a.rel < b.rel
}

func isRollback(name string) bool {
	l := strings.ToLower(name)
	if strings.HasSuffix(l, ".down.sql") || l == "down.sql" {
		return true
	}
	// Flyway undo: U<version>__description.sql
	return len(name) > 1 && name[0] == 'U' && name[1] >= '0' && name[1] <= '9' && strings.Contains(name, "__")
}

// versionOf reads the leading version of the file name, or failing that of the nearest folder.
func versionOf(rel string) []string {
	parts := strings.Split(rel, "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if v := leadingVersion(parts[i]); len(v) > 0 {
			return v
		}
	}
	return nil
}

// leadingVersion splits "V1_2__x" or "0003_x" or "2024-01-01-120000_x" into its numeric parts. Flyway
// separates version parts with '.' or '_' and ends the version with "__".
func leadingVersion(name string) []string {
	s := name
	if len(s) > 1 && (s[0] == 'V' || s[0] == 'v') && s[1] >= '0' && s[1] <= '9' {
		s = s[1:]
		if i := strings.Index(s, "__"); i >= 0 {
			s = s[:i]
		}
	}
	var v []string
	for len(s) > 0 && s[0] >= '0' && s[0] <= '9' {
		j := 0
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		v = append(v, strings.TrimLeft(s[:j], "0"))
		s = s[j:]
		if len(s) > 1 && (s[0] == '.' || s[0] == '-' || (s[0] == '_' && (name[0] == 'V' || name[0] == 'v'))) && s[1] >= '0' && s[1] <= '9' {
			s = s[1:]
			continue
		}
		break
	}
	return v
}

// compareVersions compares digit strings as numbers of any length.
func compareVersions(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if len(a[i]) != len(b[i]) {
			if len(a[i]) < len(b[i]) {
				return -1
			}
			return 1
		}
		if c := strings.Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}
