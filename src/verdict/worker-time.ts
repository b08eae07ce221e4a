// Time in the worker: what a worker timeout counts. The server's access log gives it per request
// (FlaggedRequest.workerMs, latencyBasis `worker`); without it only the client's latency is known,
// which also holds the time a request waited for a free worker. Every rule that names a duration
// against the timeout, or recommends a --timeout, takes its figure from here and says which of the
// two it is, so a number in advice is never a queue-inflated latency passed off as work.
import type { FlaggedRequest } from '../result/types.js';
import { formatDuration } from '../units/index.js';

export type Basis = 'worker' | 'client';

/** A recommended timeout is this many times the time it is computed from. */
export const TIMEOUT_MARGIN = 1.5;

export interface Duration {
  ms: number;
  basis: Basis;
}

/** One request's time against the timeout: in the worker when the server's log gave it. */
export function timeOf(f: FlaggedRequest): Duration {
  return f.workerMs !== undefined && f.latencyBasis !== 'client'
    ? { ms: f.workerMs, basis: 'worker' }
    : { ms: f.latencyMs, basis: 'client' };
}

/** The slowest work the run saw: the figure a recommended timeout is computed from. */
export interface SlowestWork extends Duration {
  /** The work was killed: `ms` is how long it had run when cut short, less than it needs. */
  cutShort: boolean;
  /** The request it was seen on, when one is known. */
  request?: FlaggedRequest;
}

export interface SlowestWorkInput {
  flagged: FlaggedRequest[];
  /** Worker-timeout events in the server's log: the server's own word that work ran past T. */
  workerTimeouts: number;
  timeoutMs: number;
  /** The worst client latency over all endpoints, for runs that flagged nothing. */
  endpointMaxMs: number;
}

export function slowestWork(input: SlowestWorkInput): SlowestWork | undefined {
  const responded = input.flagged
    .filter((f) => f.level !== 'killed')
    .map((f) => ({ ...timeOf(f), cutShort: false, request: f }))
    .sort((a, b) => b.ms - a.ms)[0];
  const killed = input.flagged.filter((f) => f.level === 'killed').sort((a, b) => b.latencyMs - a.latencyMs);
  let cut: SlowestWork | undefined;
  if (input.workerTimeouts > 0 && input.timeoutMs > 0) {
    // The server killed a worker that had been busy for T: that much is time in the worker.
    const tied = killed.find((f) => f.serverEvent?.kind === 'worker-timeout') ?? killed[0];
    cut = { ms: input.timeoutMs, basis: 'worker', cutShort: true, ...(tied ? { request: tied } : {}) };
  } else if (killed[0]) {
    cut = { ms: killed[0].latencyMs, basis: 'client', cutShort: true, request: killed[0] };
  }
  if (cut && (!responded || responded.ms <= cut.ms)) return cut;
  if (responded) return responded;
  return input.endpointMaxMs > 0 ? { ms: input.endpointMaxMs, basis: 'client', cutShort: false } : undefined;
}

/**
 * The slowest work as a clause with its subject: `the slowest request spent 6.2 s in a worker`,
 * `the slowest request took 6.6 s of client latency, which includes time queued for a worker`.
 */
export function describeWork(w: SlowestWork): string {
  if (w.cutShort && w.basis === 'worker')
    return w.request
      ? `the slowest request was killed after ${formatDuration(w.ms)} in a worker (the server's timeout), so the work needs longer than that`
      : `a worker was killed after ${formatDuration(w.ms)} on one request (the server's timeout), so that work needs longer`;
  if (w.cutShort)
    return `the slowest request got no response after ${formatDuration(w.ms)} of client latency (which includes time queued for a worker), so the work needs longer than that`;
  if (w.basis === 'worker') return `the slowest request spent ${formatDuration(w.ms)} in a worker`;
  return `the slowest request took ${formatDuration(w.ms)} of client latency, which includes time queued for a worker`;
}

/** The margin over the slowest work, rounded up to whole seconds so the margin holds. */
export function suggestedTimeoutS(ms: number): number {
  return Math.max(1, Math.ceil((ms * TIMEOUT_MARGIN) / 1000 - 1e-9));
}

/**
 * The stopgap sentence: `As a stopgap, --timeout 10 leaves a 1.5x margin over the 6.2 s the
 * slowest request spent in a worker.`, with the basis said: a floor when the work was cut short,
 * a latency that may include queueing when the server's log gave no time in the worker.
 */
export function recommendTimeout(w: SlowestWork, setting: string): string {
  const value = suggestedTimeoutS(w.ms);
  const named = setting === '--timeout' ? `--timeout ${value}` : `${setting} = ${value}`;
  const margin = `${TIMEOUT_MARGIN}x`;
  if (w.cutShort && w.basis === 'worker')
    return `As a stopgap, set ${setting} to at least ${value}: ${margin} the ${formatDuration(w.ms)} the work had run in a worker when it was killed. That is a floor, not a fit, since the kill cut the work short: measure its real duration first.`;
  if (w.cutShort)
    return `As a stopgap, set ${setting} to at least ${value}: ${margin} the ${formatDuration(w.ms)} of client latency (which includes time queued for a worker) after which the request got no response. That is a floor, not a fit, since it was cut short: measure the real duration first.`;
  if (w.basis === 'worker')
    return `As a stopgap, ${named} leaves a ${margin} margin over the ${formatDuration(w.ms)} the slowest request spent in a worker.`;
  return `As a stopgap, ${named} leaves a ${margin} margin over the slowest request's ${formatDuration(w.ms)} of client latency, which includes time queued for a worker (the server's log gave no time in the worker), so it may be more than the work needs.`;
}

/**
 * The slowest request spent little of its time in a worker: what made it slow was the wait for
 * one, which the worker timeout does not count, so a longer timeout is no fix.
 */
export function queueExplains(w: SlowestWork, warnAt: number, timeoutMs: number): boolean {
  return w.basis === 'worker' && !w.cutShort && timeoutMs > 0 && w.ms < warnAt * timeoutMs;
}
