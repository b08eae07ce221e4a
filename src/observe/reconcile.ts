// The built-in TMDB reconciliation: every movie the mock actually served must be stored, with its
// required columns filled: "560 of 1,000 served movies stored". An import killed halfway leaves
// the rows written so far (Django autocommits each save), which a green HTTP status never shows;
// whether a kill explains the gap is the verdict's to say, from the run's evidence (kind
// `partial`, the kill, the mock's calls), not this detail's.
// It runs under the rules of the scenario's own SQL (docs/integrity-sql.md): one statement in a
// READ ONLY transaction on a read-only session, a statement timeout set by us, a deadline, and
// cancelled on the server on Ctrl-C. The served ids are one text[] parameter (compared as text,
// whatever the id column's type), so nothing is written, not even a temporary table.
import pg from 'pg';
import { InterruptedError } from '../errors.js';
import type { IntegrityResult } from '../result/types.js';
import { message, withDatabase } from './pg-session.js';
import { Deadline, QueryCut, readOnlyQuery } from './read-only-query.js';

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
  /** Default 30 s, as a check's. */
  statementTimeoutMs?: number;
  /** Default 2 min, as all checks'. */
  deadlineMs?: number;
  /** Ctrl-C: cancels the query on the server and rejects with InterruptedError. */
  signal?: AbortSignal;
}

export const RECONCILE_TIMEOUT_MS = 30_000;
export const RECONCILE_DEADLINE_MS = 120_000;

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
  const has = (conditions: string[]) => `EXISTS (SELECT 1 FROM ${t} t WHERE ${conditions.join(' AND ')})`;
  // One statement (the extended protocol takes no more): present, stored, and a few missing ids.
  const sql = `WITH s(id) AS (SELECT DISTINCT unnest($1::text[]))
SELECT (SELECT count(*) FROM s WHERE ${has([match])}),
       (SELECT count(*) FROM s WHERE ${has([match, ...complete])}),
       ARRAY(SELECT s.id FROM s WHERE NOT ${has([match])} ORDER BY length(s.id), s.id LIMIT ${EXAMPLES})`;
  const statementTimeoutMs = options.statementTimeoutMs ?? RECONCILE_TIMEOUT_MS;
  const deadline = new Deadline(
    options.deadlineMs ?? RECONCILE_DEADLINE_MS,
    options.databaseUrl,
    'the reconciliation',
    options.signal,
  );
  const failed = (actual: string, detail: string): IntegrityResult => ({
    name,
    passed: false,
    expected,
    actual,
    detail,
    sql: sqlShown,
    kind: 'error',
    origin: 'reconcile',
  });
  return withDatabase(
    options.databaseUrl,
    async (client) => {
      let row: unknown[];
      try {
        [row = []] = await readOnlyQuery(client, sql, {
          statementTimeoutMs,
          deadline,
          params: [served.map(String)],
        });
      } catch (error) {
        if (error instanceof InterruptedError) throw error;
        if (error instanceof QueryCut)
          return failed(error.why === 'deadline' ? 'not finished' : 'timed out', error.message);
        return failed(
          'SQL error',
          `the database refused the reconciliation query on ${table}.${idColumn}: ${message(error)}`,
        );
      }
      const present = Number(row[0]);
      const stored = Number(row[1]);
      const examples = (row[2] as string[] | null) ?? [];
      const passed = stored === total;
      return {
        name,
        passed,
        expected,
        actual: `${count(stored)} of ${count(total)}`,
        ...(passed ? {} : { detail: describeGap({ total, present, stored, examples, required }) }),
        sql: sqlShown,
        kind: passed ? 'passed' : stored > 0 ? 'partial' : 'none',
        origin: 'reconcile',
      };
    },
    { readOnly: true, statementTimeoutMs },
  );
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
