// Re-levels the flagged requests against the worker timeout on the time they spent in the worker
// (from the server's access log), not on the client's latency: gunicorn's --timeout counts only
// time in the worker, so a request that waited in the listen queue for a free worker and then
// ran 1 s is not near a 3 s timeout. Requests without a matched line keep their client-latency
// level, labelled `latencyBasis: 'client'`; killed requests stay killed. Requests whose time in
// the worker is below warnAt x T leave the flagged list: they are the queue's finding instead.
// Pure: runs right after ./correlate.ts.
import { flagLevel, timeoutRatio } from '../load/flag-level.js';
import type { FlaggedRequest, FlagLevel, RunResult } from '../result/types.js';
import type { AccessEntry } from './access-log.js';
import { type MatchOptions, matchWorkerTimes } from './worker-time.js';

export interface RelevelInput extends MatchOptions {
  /** After correlation. */
  flagged: FlaggedRequest[];
  entries: AccessEntry[];
  serverTimeoutMs: number;
  warnAt: number;
  criticalAt: number;
}

/** One request whose time in the worker is known: what the queue rule reads. */
export interface WorkerWait {
  at: string;
  endpoint: string;
  method: string;
  path: string;
  latencyMs: number;
  workerMs: number;
  queueMs: number;
}

export interface QueueObservation {
  /** Every flagged request with a matched access line, flagged still or not. */
  waits: WorkerWait[];
  /** The most of the flagged requests in flight at the same moment (client side). */
  mostInFlight: number;
}

export interface Relevelled {
  flagged: FlaggedRequest[];
  queue: QueueObservation;
  /** Level before → after (undefined after: no longer flagged), for recounting totals. */
  changes: { from: FlagLevel; to?: FlagLevel }[];
}

export function relevel(input: RelevelInput): Relevelled {
  const matched = matchWorkerTimes(input.flagged, input.entries, input);
  const flagged: FlaggedRequest[] = [];
  const waits: WorkerWait[] = [];
  const changes: Relevelled['changes'] = [];
  input.flagged.forEach((f, i) => {
    const entry = f.level === 'killed' ? undefined : matched[i];
    if (!entry) {
      flagged.push({ ...f, latencyBasis: 'client' });
      return;
    }
    const workerMs = round2(Math.min(entry.workerMs, f.latencyMs));
    const queueMs = round2(Math.max(0, f.latencyMs - workerMs));
    waits.push({
      at: f.at,
      endpoint: f.endpoint,
      method: f.method,
      path: f.path,
      latencyMs: f.latencyMs,
      workerMs,
      queueMs,
    });
    const level = flagLevel(workerMs, { ...input, responded: true });
    if (level !== f.level) changes.push({ from: f.level, ...(level ? { to: level } : {}) });
    if (!level) return;
    flagged.push({
      ...f,
      level,
      ratio: timeoutRatio(workerMs, input.serverTimeoutMs),
      workerMs,
      queueMs,
      latencyBasis: 'worker',
    });
  });
  return { flagged, queue: { waits, mostInFlight: mostInFlight(input.flagged) }, changes };
}

/** The recorder's totals with the re-levelled requests moved (they may be more than the kept list). */
export function recount(
  recorded: RunResult['flaggedTotal'],
  changes: Relevelled['changes'],
): RunResult['flaggedTotal'] {
  const out = { ...recorded };
  for (const c of changes) {
    out[c.from] = Math.max(0, out[c.from] - 1);
    if (c.to) out[c.to] += 1;
  }
  return out;
}

/** Sweep over start/end points: the most intervals open at once. */
function mostInFlight(requests: readonly Pick<FlaggedRequest, 'at' | 'latencyMs'>[]): number {
  const points: [number, number][] = [];
  for (const r of requests) {
    const start = Date.parse(r.at);
    points.push([start, 1], [start + r.latencyMs, -1]);
  }
  // Ends before starts at the same instant: back-to-back requests are not concurrent.
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, d] of points) {
    open += d;
    most = Math.max(most, open);
  }
  return most;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
