package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/datamap-uk/datamap/scanner"
)

// relation is what the catalogue says about one table-like object.
type relation struct {
	schema, table, name string
	kind                string // pg_class.relkind: r table, v view, m materialised view, p partitioned, f foreign
	oid                 int64
	usable, readable    bool    // USAGE on the schema, SELECT on the relation
	rows                float64 // the planner's estimate scaled to the current size; < 0 when unknown
	size                int64   // bytes on disk, indexes and TOAST included; partitions summed
	cols                []column
}

// column is one attribute of a relation.
type column struct {
	name, typ, comment string // typ from format_type, comment from col_description
	base               string // the type's name after unwrapping a domain: json, jsonb, bytea, _text...
	userType           bool   // base is not PostgreSQL's own (it lives outside pg_catalog): see builtin
	array              bool
	elem               string // element type of an array, when it is PostgreSQL's own
	readable           bool   // SELECT on the column (column grants count)
	key                bool   // part of the primary key
}

// binary reports whether the column holds bytes, not text: it is listed but not sampled.
func (c column) binary() bool { return c.builtin() == "bytea" || (c.array && c.elem == "bytea") }

// builtin is the base type's name when the type is PostgreSQL's own, "" otherwise: a user's crm.uuid or
// app.date is not the built-in, whatever the session's search_path shows.
func (c column) builtin() string {
	if c.userType {
		return ""
	}
	return c.base
}

// json reports whether the column's values are JSON documents to look inside.
func (c column) json() bool { return c.builtin() == "json" || c.builtin() == "jsonb" }

// text reports a character column (not an array), which may hold JSON objects as text.
func (c column) text() bool {
	b := c.builtin()
	return !c.array && (b == "text" || b == "varchar" || b == "bpchar")
}

// The catalogue query lists every table-like object outside the system schemas, readable or not, so the
// inventory can say what was not read. Partitions are not listed: the parent is sampled, and its estimate is
// the sum over its leaves. The estimate scales reltuples by the relation's current size, as the planner does,
// so a table that has grown since its last ANALYZE is not mistaken for a small one.
const listSQL = `
SELECT n.nspname, c.relname, c.relkind::text, c.oid::int8,
       pg_catalog.has_schema_privilege(n.oid, 'USAGE'),
       pg_catalog.has_table_privilege(c.oid, 'SELECT'),
       coalesce(est.rows, -1)::float8, coalesce(est.bytes, 0)::int8
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (
    SELECT CASE WHEN count(*) = 0 OR bool_or(l.est IS NULL) THEN NULL ELSE sum(l.est) END AS rows,
           sum(l.bytes) AS bytes
    FROM (
        SELECT CASE
                 WHEN lc.reltuples < 0 THEN NULL
                 WHEN lc.relpages = 0 AND pg_catalog.pg_relation_size(lc.oid) > 0 THEN NULL
                 WHEN lc.relpages = 0 THEN lc.reltuples
                 ELSE lc.reltuples / lc.relpages
                      * (pg_catalog.pg_relation_size(lc.oid) / current_setting('block_size')::float8)
               END AS est,
               pg_catalog.pg_total_relation_size(lc.oid) AS bytes
        FROM pg_catalog.pg_class lc
        WHERE (c.relkind IN ('r', 'm') AND lc.oid = c.oid)
           OR (c.relkind = 'p' AND lc.relkind IN ('r', 'm') AND lc.oid IN
                (SELECT relid FROM pg_catalog.pg_partition_tree(c.oid) WHERE isleaf))
    ) l
) est
WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f')
  AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_)'
ORDER BY n.nspname, c.relname`

const columnsSQL = `
SELECT a.attrelid::int8, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
       coalesce(pg_catalog.col_description(a.attrelid, a.attnum), ''),
       coalesce(bt.typname, t.typname)::text,
       coalesce(bt.typnamespace, t.typnamespace) <> 'pg_catalog'::pg_catalog.regnamespace,
       coalesce(bt.typcategory, t.typcategory) = 'A',
       CASE WHEN e.typnamespace = 'pg_catalog'::pg_catalog.regnamespace THEN e.typname::text ELSE '' END,
       pg_catalog.has_column_privilege(a.attrelid, a.attnum, 'SELECT'),
       coalesce(a.attnum = ANY (i.indkey), false)
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_type e ON e.oid = coalesce(bt.typelem, t.typelem)
     AND coalesce(bt.typcategory, t.typcategory) = 'A'
LEFT JOIN pg_catalog.pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
WHERE a.attrelid::int8 = ANY ($1::int8[]) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`

// Units implements scanner.Source. It connects on the first call; a failure to connect or to read the
// catalogue is returned (the source is then failed), with the password never in the message.
func (s *Source) Units(ctx context.Context, fn func(scanner.Unit) error) error {
	rels, err := s.list(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("listing tables: %w", ctx.Err())
		}
		_, detail := s.classify(err)
		return fmt.Errorf("listing tables in %s: %s", s.location, detail)
	}
	byName := make(map[string]*relation, len(rels))
	for _, r := range rels {
		byName[r.name] = r
	}
	s.mu.Lock()
	s.rels = byName
	s.mu.Unlock()
	for _, r := range rels {
		if err := fn(scanner.Unit{Name: r.name, Size: r.size}); err != nil {
			return err
		}
	}
	return nil
}

// list reads the catalogue in one read-only transaction and keeps the included relations.
func (s *Source) list(ctx context.Context) ([]*relation, error) {
	conn, err := s.pool.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer s.pool.release(conn)
	var rels []*relation
	err = s.readOnly(ctx, conn, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, listSQL)
		if err != nil {
			return err
		}
		for rows.Next() {
			r := &relation{}
			if err := rows.Scan(&r.schema, &r.table, &r.kind, &r.oid, &r.usable, &r.readable, &r.rows, &r.size); err != nil {
				rows.Close()
				return err
			}
			r.name = unitName(r.schema, r.table)
			if s.included(r.name) {
				rels = append(rels, r)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(rels) == 0 {
			return nil
		}
		byOID := make(map[int64]*relation, len(rels))
		oids := make([]int64, len(rels))
		for i, r := range rels {
			byOID[r.oid], oids[i] = r, r.oid
		}
		rows, err = tx.Query(ctx, columnsSQL, oids)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var oid int64
			var c column
			if err := rows.Scan(&oid, &c.name, &c.typ, &c.comment, &c.base, &c.userType, &c.array, &c.elem, &c.readable, &c.key); err != nil {
				return err
			}
			if r := byOID[oid]; r != nil {
				r.cols = append(r.cols, c)
			}
		}
		return rows.Err()
	})
	return rels, err
}

// readOnly runs fn in a READ ONLY transaction with its own statement, lock and idle timeouts, and always
// rolls back: there is never anything to keep.
//
// The startup packet (New) sets the same guards for the whole session, which alone would make every statement
// a read-only transaction and save three round trips a transaction (BEGIN, the timeouts, ROLLBACK: ~6% of a
// scan of many small tables; measured, and not taken): a pooler in transaction mode (PgBouncer) drops or ignores
// startup parameters and gives each transaction whichever server connection is free, so only what a
// transaction sets for itself is sure to hold.
func (s *Source) readOnly(ctx context.Context, conn *pgx.Conn, fn func(pgx.Tx) error) error {
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.Background(), 2*s.opt.StatementTimeout)
		defer cancel()
		_ = tx.Rollback(rctx)
	}()
	ms := fmt.Sprintf("%dms", s.opt.StatementTimeout.Milliseconds())
	if _, err := tx.Exec(ctx, `SELECT pg_catalog.set_config('statement_timeout', $1, true),
	        pg_catalog.set_config('lock_timeout', '1s', true),
	        pg_catalog.set_config('idle_in_transaction_session_timeout', $1, true)`, ms); err != nil {
		return err
	}
	if s.inTx != nil {
		if err := s.inTx(ctx, tx); err != nil {
			return err
		}
	}
	return fn(tx)
}
