// Background work (a Celery import, a queue draining) finishes after the traffic stops. Before the
// database checks run, wait until the scenario's settle query says so (first column of the first
// row truthy) or its deadline passes; without a query, the deadline is a plain wait. Running out
// of time is an outcome (a warning in the verdict), not an error. The query is the scenario's own
// SQL: it runs read-only, each poll in its own READ ONLY transaction, cut at the deadline.
import { InterruptedError } from '../errors.js';
import type { SettleSpec } from '../scenario/types.js';
import { pause } from '../util/pause.js';
import { message, withDatabase } from './pg-session.js';
import { Deadline, QueryCut, readOnlyQuery } from './read-only-query.js';

const NO_ANSWER = 'no answer yet';

/** One poll of the settle query. */
const POLL_TIMEOUT_MS = 30_000;

export interface SettleOutcome {
  settled: boolean;
  waitedMs: number;
  /** Why it did not settle: the last value or SQL error seen. */
  detail?: string;
}

export async function waitForSettle(
  settle: SettleSpec,
  databaseUrl: string,
  signal: AbortSignal,
): Promise<SettleOutcome> {
  const started = Date.now();
  const deadline = started + settle.withinMs;
  const waited = () => Date.now() - started;
  if (!settle.sql) {
    await pause(settle.withinMs, signal);
    return { settled: !signal.aborted, waitedMs: waited() };
  }
  const sql = settle.sql;
  const cut = new Deadline(settle.withinMs, databaseUrl, 'the settle wait', signal);
  const readOnly = { statementTimeoutMs: POLL_TIMEOUT_MS, deadline: cut };
  return withDatabase(
    databaseUrl,
    async (client) => {
      let last = NO_ANSWER;
      for (;;) {
        try {
          const rows = await readOnlyQuery(client, sql, readOnly);
          const value = rows[0]?.[0];
          if (truthy(value)) return { settled: true, waitedMs: waited() };
          last = `the settle query returned ${rows.length === 0 ? 'no rows' : String(value)}`;
        } catch (error) {
          if (error instanceof InterruptedError)
            return { settled: false, waitedMs: waited(), detail: 'interrupted' };
          if (error instanceof QueryCut && error.why === 'deadline')
            return {
              settled: false,
              waitedMs: waited(),
              // The last answer says why; a query that never answered says it was cut.
              detail: last === NO_ANSWER ? `the settle query was ${error.message}` : last,
            };
          // A table the app creates late (migrations in a worker) is not there yet: keep polling.
          last = `the settle query failed: ${message(error)}`;
        }
        const left = deadline - Date.now();
        if (left <= 0 || signal.aborted) {
          return { settled: false, waitedMs: waited(), detail: signal.aborted ? 'interrupted' : last };
        }
        await pause(Math.min(settle.everyMs, left), signal);
      }
    },
    { readOnly: true, statementTimeoutMs: POLL_TIMEOUT_MS },
  );
}

/** Postgres truth as a person reads it: true, 't', a non-zero number, a non-empty string. */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  const text = String(value).trim().toLowerCase();
  return !['', '0', 'f', 'false', 'no', 'off'].includes(text);
}
