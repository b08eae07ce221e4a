// The built-in TMDB reconciliation: every movie the mock actually served must be stored, with its
// required columns filled: "560 of 1,000 served movies stored". An import killed halfway leaves
// the rows written so far (Django autocommits each save), which a green HTTP status never shows;
// whether a kill explains the gap is the verdict's to say, from the run's evidence (kind
// `partial`, the kill, the mock's calls), not this detail's. The served ids go into a temporary table so Postgres can hash-join
// them whatever the id column's type; the transaction is rolled back, nothing stays behind.
import pg from 'pg';
import type { IntegrityResult } from '../result/types.js';
import { message, withDatabase } from './pg-session.js';

export interface ReconcileOptions {
  databaseUrl: string;
  /** Distinct TMDB ids the mock served. */
  servedIds: number[];
  /** Default `movies_movie` (Django's table for a `Movie` model in a `movies` app). */
  table?: string;
  /** Default `tmdb_id`. */
  idColumn?: string;
  /** Columns that must be non-empty for a movie to count as stored. Default `title`. */
  requiredColumns?: string[];
  /** Default `every movie the TMDB mock served is stored`. */
  name?: string;
}

const EXAMPLES = 5;

/** Long because each of its outcomes (none stored, some, all, a bad table) is its own worded result. */
export async function reconcileServedMovies(options: ReconcileOptions): Promise<IntegrityResult> {
  const table = options.table ?? 'movies_movie';
  const idColumn = options.idColumn ?? 'tmdb_id';
  const required = options.requiredColumns ?? ['title'];
  const name = options.name ?? 'every movie the TMDB mock served is stored';
  const served = [...new Set(options.servedIds)];
  const total = served.length;
  const expected = `${count(total)} served movies stored`;
  const sqlShown = `SELECT ... FROM ${table} WHERE ${idColumn} IN (<${count(total)} served ids>)${required.map((c) => ` AND ${c} <> ''`).join('')}`;
  if (total === 0) {
    return {
      name,
      passed: true,
      expected,
      actual: '0 of 0',
      detail: 'nothing to reconcile: the TMDB mock served no movies',
      sql: sqlShown,
      kind: 'passed',
      origin: 'reconcile',
    };
  }

  const t = quoteName(table);
  const id = pg.escapeIdentifier(idColumn);
  const complete = required.map(
    (c) => `t.${pg.escapeIdentifier(c)} IS NOT NULL AND t.${pg.escapeIdentifier(c)}::text <> ''`,
  );
  const match = `t.${id}::text = s.id`;
  return withDatabase(options.databaseUrl, async (client) => {
    try {
      await client.query('BEGIN');
      await client.query('CREATE TEMP TABLE smokestack_served (id text PRIMARY KEY) ON COMMIT DROP');
      await client.query('INSERT INTO smokestack_served SELECT unnest($1::text[])', [served.map(String)]);
      await client.query('ANALYZE smokestack_served');
      const present = await scalar(
        client,
        `SELECT count(*) FROM smokestack_served s WHERE EXISTS (SELECT 1 FROM ${t} t WHERE ${match})`,
      );
      const stored = await scalar(
        client,
        `SELECT count(*) FROM smokestack_served s WHERE EXISTS (SELECT 1 FROM ${t} t WHERE ${[match, ...complete].join(' AND ')})`,
      );
      const missing = await client.query<{ id: string }>(
        `SELECT s.id FROM smokestack_served s WHERE NOT EXISTS (SELECT 1 FROM ${t} t WHERE ${match}) ORDER BY length(s.id), s.id LIMIT ${EXAMPLES}`,
      );
      const passed = stored === total;
      return {
        name,
        passed,
        expected,
        actual: `${count(stored)} of ${count(total)}`,
        ...(passed
          ? {}
          : {
              detail: describeGap({
                total,
                present,
                stored,
                examples: missing.rows.map((r) => r.id),
                required,
              }),
            }),
        sql: sqlShown,
        kind: passed ? 'passed' : stored > 0 ? 'partial' : 'none',
        origin: 'reconcile',
      };
    } catch (error) {
      return {
        name,
        passed: false,
        expected,
        actual: 'SQL error',
        detail: `the database refused the reconciliation query on ${table}.${idColumn}: ${message(error)}`,
        sql: sqlShown,
        kind: 'error',
        origin: 'reconcile',
      };
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
    }
  });
}

function describeGap(g: {
  total: number;
  present: number;
  stored: number;
  examples: string[];
  required: string[];
}): string {
  const missing = g.total - g.present;
  const parts = [`${count(g.stored)} of ${count(g.total)} served movies stored`];
  if (missing > 0) {
    const more = missing > g.examples.length ? ', ...' : '';
    parts.push(`${count(missing)} missing, e.g. tmdb ids ${g.examples.join(', ')}${more}`);
  }
  const incomplete = g.present - g.stored;
  if (incomplete > 0) parts.push(`${count(incomplete)} stored without ${g.required.join('/')}`);
  return parts.length === 1 ? parts[0]! : `${parts[0]} (${parts.slice(1).join('; ')})`;
}

async function scalar(client: pg.Client, sql: string): Promise<number> {
  const r = await client.query({ text: sql, rowMode: 'array' });
  return Number((r.rows[0] as unknown[])[0]);
}

/** `public.movies_movie` → `"public"."movies_movie"`. */
function quoteName(name: string): string {
  return name
    .split('.')
    .map((part) => pg.escapeIdentifier(part))
    .join('.');
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
