// Background work (a Celery import, a queue draining) finishes after the traffic stops. Before the
// database checks run, wait until the scenario's settle query says so (first column of the first
// row truthy) or its deadline passes; without a query, the deadline is a plain wait. Running out
// of time is an outcome (a warning in the verdict), not an error.
import { setTimeout as sleep } from 'node:timers/promises';
import type { SettleSpec } from '../scenario/types.js';
import { message, withDatabase } from './pg-session.js';

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
  return withDatabase(databaseUrl, async (client) => {
    let last = 'no answer yet';
    for (;;) {
      try {
        const r = await client.query({ text: sql, rowMode: 'array' });
        const value = (r.rows[0] as unknown[] | undefined)?.[0];
        if (truthy(value)) return { settled: true, waitedMs: waited() };
        last = `the settle query returned ${r.rows.length === 0 ? 'no rows' : String(value)}`;
      } catch (error) {
        // A table the app creates late (migrations in a worker) is not there yet: keep polling.
        last = `the settle query failed: ${message(error)}`;
      }
      const left = deadline - Date.now();
      if (left <= 0 || signal.aborted) {
        return { settled: false, waitedMs: waited(), detail: signal.aborted ? 'interrupted' : last };
      }
      await pause(Math.min(settle.everyMs, left), signal);
    }
  });
}

/** Postgres truth as a person reads it: true, 't', a non-zero number, a non-empty string. */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  const text = String(value).trim().toLowerCase();
  return !['', '0', 'f', 'false', 'no', 'off'].includes(text);
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}
