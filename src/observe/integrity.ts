// The scenario's database checks after the run: each `integrity` entry's SQL (templated with what
// the mocks served) is run and the first column of its first row compared with equals / atLeast /
// atMost / zero. A failing check, a bad template or an SQL error is a failed result naming why;
// only an unreachable database is an error (InfraError, exit 3). Each check's SQL runs read-only
// with a statement timeout, all of them under one deadline, and Ctrl-C cancels the running one
// (read-only-query.ts).
// The built-in TMDB reconciliation and the settle wait live next door and are re-exported here.
import type pg from 'pg';
import { InterruptedError } from '../errors.js';
import type { IntegrityKind, IntegrityResult } from '../result/types.js';
import type { IntegrityCheck } from '../scenario/types.js';
import { hasTemplate, renderTemplate } from '../templates/values.js';
import { message, withDatabase } from './pg-session.js';
import { Deadline, QueryCut, type ReadOnlyOptions, readOnlyQuery } from './read-only-query.js';

export { reconcileServedMovies } from './reconcile.js';
export { type SettleOutcome, waitForSettle } from './settle.js';

export interface IntegrityOptions {
  databaseUrl: string;
  /** Template values, e.g. `{ mocks: { tmdb: { served: { movies: 1000 } } } }`. */
  values: Record<string, unknown>;
  /** Per check. Default 30 s. */
  statementTimeoutMs?: number;
  /** For all checks together. Default 2 min. */
  deadlineMs?: number;
  /** Ctrl-C: cancels the running check and rejects with InterruptedError. */
  signal?: AbortSignal;
}

export const CHECK_TIMEOUT_MS = 30_000;
export const CHECKS_DEADLINE_MS = 120_000;

export async function runIntegrityChecks(
  checks: IntegrityCheck[],
  options: IntegrityOptions,
): Promise<IntegrityResult[]> {
  if (checks.length === 0) return [];
  const statementTimeoutMs = options.statementTimeoutMs ?? CHECK_TIMEOUT_MS;
  const deadline = new Deadline(
    options.deadlineMs ?? CHECKS_DEADLINE_MS,
    options.databaseUrl,
    'the database checks',
    options.signal,
  );
  const readOnly: ReadOnlyOptions = { statementTimeoutMs, deadline };
  return withDatabase(
    options.databaseUrl,
    async (client) => {
      const results: IntegrityResult[] = [];
      for (const check of checks) results.push(await runCheck(client, check, options.values, readOnly));
      return results;
    },
    { readOnly: true, statementTimeoutMs },
  );
}

type Comparison = { op: 'equals' | 'atLeast' | 'atMost'; raw: string } | { op: 'zero'; raw: string };

async function runCheck(
  client: pg.Client,
  check: IntegrityCheck,
  values: Record<string, unknown>,
  readOnly: ReadOnlyOptions,
): Promise<IntegrityResult> {
  const comparison = comparisonOf(check);
  const sql = renderTemplate(check.sql, values);
  const expected = renderTemplate(comparison.raw, values);
  const expectedText = describeExpected(comparison.op, expected.ok ? expected.text : comparison.raw);
  if (!sql.ok || !expected.ok) {
    const problem = [sql, expected].flatMap((r) => (r.ok ? [] : [r.problem]));
    return {
      name: check.name,
      passed: false,
      expected: expectedText,
      actual: 'not run',
      detail: `unknown template ${problem.join('; ')}`,
      sql: check.sql,
      kind: 'error',
      origin: 'scenario',
    };
  }
  let value: unknown;
  try {
    const rows = await readOnlyQuery(client, sql.text, readOnly);
    if (rows.length === 0 || rows[0]!.length === 0) {
      return {
        name: check.name,
        passed: false,
        expected: expectedText,
        actual: 'no rows',
        detail: 'the query returned no rows',
        sql: sql.text,
        kind: 'error',
        origin: 'scenario',
      };
    }
    value = rows[0]![0];
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    if (error instanceof QueryCut) {
      return {
        name: check.name,
        passed: false,
        expected: expectedText,
        actual: error.why === 'deadline' ? 'not finished' : 'timed out',
        detail: error.message,
        sql: sql.text,
      };
    }
    return {
      name: check.name,
      passed: false,
      expected: expectedText,
      actual: 'SQL error',
      detail: `the database refused the query: ${message(error)}`,
      sql: sql.text,
      kind: 'error',
      origin: 'scenario',
    };
  }
  const actual = textOf(value);
  const verdict = compare(comparison.op, actual, expected.text);
  const source = hasTemplate(comparison.raw) ? ` (${comparison.raw})` : '';
  return {
    name: check.name,
    passed: verdict.passed,
    expected: expectedText,
    actual,
    ...(verdict.passed
      ? {}
      : { detail: verdict.detail ?? `expected ${expectedText}${source}, got ${actual}` }),
    sql: sql.text,
    kind: integrityKind(comparison.op, verdict.passed, actual, expected.text),
    origin: 'scenario',
  };
}

function comparisonOf(check: IntegrityCheck): Comparison {
  if (check.equals !== undefined) return { op: 'equals', raw: String(check.equals) };
  if (check.atLeast !== undefined) return { op: 'atLeast', raw: String(check.atLeast) };
  if (check.atMost !== undefined) return { op: 'atMost', raw: String(check.atMost) };
  // The schema demands exactly one comparison; `zero` is also what a check without one means.
  return { op: 'zero', raw: '0' };
}

function describeExpected(op: Comparison['op'], value: string): string {
  switch (op) {
    case 'equals':
      return value;
    case 'atLeast':
      return `>= ${value}`;
    case 'atMost':
      return `<= ${value}`;
    case 'zero':
      return '0';
  }
}

function compare(
  op: Comparison['op'],
  actual: string,
  expected: string,
): { passed: boolean; detail?: string } {
  const a = numberOf(actual);
  const e = numberOf(op === 'zero' ? '0' : expected);
  if (op === 'equals') return { passed: a !== undefined && e !== undefined ? a === e : actual === expected };
  if (a === undefined) return { passed: false, detail: `expected a number from the query, got ${actual}` };
  if (e === undefined) return { passed: false, detail: `the expected value ${expected} is not a number` };
  if (op === 'atLeast') return { passed: a >= e };
  if (op === 'atMost') return { passed: a <= e };
  return { passed: a === 0 };
}

/**
 * `partial` is the shape a request cut short leaves (some rows, not all): a count above zero but
 * below what equals / atLeast wanted. Zero where rows were wanted is `none`.
 */
export function integrityKind(
  op: 'equals' | 'atLeast' | 'atMost' | 'zero',
  passed: boolean,
  actual: string,
  expected: string,
): IntegrityKind {
  if (passed) return 'passed';
  const a = numberOf(actual);
  const e = numberOf(expected);
  if ((op === 'equals' || op === 'atLeast') && a !== undefined && e !== undefined && a < e)
    return a > 0 ? 'partial' : 'none';
  return 'mismatch';
}

function numberOf(text: string): number | undefined {
  if (!/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text.trim())) return undefined;
  return Number(text);
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
