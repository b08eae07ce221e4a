// Re-levels the flagged requests against the worker timeout on the time they spent in the worker
// (from the server's access log), not on the client's latency: gunicorn's --timeout counts only
// time in the worker, so a request that waited in the listen queue for a free worker and then
// ran 1 s is not near a 3 s timeout. Requests without a matched line keep their client-latency
// level, labelled `latencyBasis: 'client'`; killed requests stay killed. Requests whose time in
// the worker is below warnAt x T leave the flagged list: they are the queue's finding instead.
// Pure: runs right after ./correlate.ts.
//
// With the timeout chain (a proxy or an edge layer in front, docs/timeout-chain.md), the layers in
// front are held against the client's latency (they count from when the request reached them,
// queue included) and the worker timeout against the time in the worker; a request gets the more
// severe level, its ratio is against the layer nearer to cutting it, and `deadline` names that layer.
import { flagLevel, timeoutRatio } from '../load/flag-level.js';
import type { ChainLayer, FlaggedRequest, FlagLevel, RunResult } from '../result/types.js';
import { type Deadline, frontLimitFor, workerLimit } from '../server/chain.js';
import type { AccessEntry } from './access-log.js';
import { type MatchOptions, matchWorkerTimes } from './worker-time.js';

export interface RelevelInput extends MatchOptions {
  /** After correlation. */
  flagged: FlaggedRequest[];
  entries: AccessEntry[];
  serverTimeoutMs: number;
  warnAt: number;
  criticalAt: number;
  /** The timeout chain (target.chain); without it only the worker timeout counts. */
  chain?: ChainLayer[];
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
    if (input.chain && (f.level === 'killed' || !entry)) {
      const along = f.level === 'killed' ? cutter(f, input.chain) : alongChain(f, undefined, input);
      if (along.level !== f.level)
        changes.push({ from: f.level, ...(along.level ? { to: along.level } : {}) });
      if (along.level) flagged.push({ ...f, ...along, level: along.level, latencyBasis: 'client' });
      return;
    }
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
    const along = input.chain
      ? alongChain(f, workerMs, input)
      : {
          level: flagLevel(workerMs, { ...input, responded: true }),
          ratio: timeoutRatio(workerMs, input.serverTimeoutMs),
        };
    const level = along.level;
    if (level !== f.level) changes.push({ from: f.level, ...(level ? { to: level } : {}) });
    if (!level) return;
    flagged.push({ ...f, ...along, level, workerMs, queueMs, latencyBasis: 'worker' });
  });
  return { flagged, queue: { waits, mostInFlight: mostInFlight(input.flagged) }, changes };
}

const SEVERITY: Record<FlagLevel, number> = { approaching: 1, critical: 2, killed: 3 };

/**
 * The level against each limit the request met: the layers in front on client latency, the
 * worker timeout on the time in the worker (client latency when it is not known).
 */
function alongChain(
  f: FlaggedRequest,
  workerMs: number | undefined,
  input: RelevelInput & { chain?: ChainLayer[] },
): { level?: FlagLevel; ratio: number; deadline?: Deadline } {
  const responded = workerMs !== undefined || f.status !== undefined;
  const limits: { d: Deadline; ms: number }[] = [];
  const front = frontLimitFor(input.chain!, f.path);
  if (front) limits.push({ d: front, ms: f.latencyMs });
  const worker = workerLimit(input.chain!);
  if (worker) limits.push({ d: worker, ms: workerMs ?? f.latencyMs });
  let best: { level?: FlagLevel; ratio: number; deadline?: Deadline } = { ratio: 0 };
  for (const { d, ms } of limits) {
    const limitMs = d.timeoutS * 1000;
    const level = flagLevel(ms, {
      serverTimeoutMs: limitMs,
      warnAt: input.warnAt,
      criticalAt: input.criticalAt,
      responded,
    });
    const ratio = timeoutRatio(ms, limitMs);
    const worse = (level ? SEVERITY[level] : 0) - (best.level ? SEVERITY[best.level] : 0);
    if (worse > 0 || (worse === 0 && ratio > best.ratio))
      best = { ...(level ? { level } : {}), ratio, deadline: d };
  }
  return best;
}

/** A killed request: the layer whose event cut it, else the limit its latency reached first. */
function cutter(
  f: FlaggedRequest,
  chain: ChainLayer[],
): { level: FlagLevel; ratio: number; deadline?: Deadline } {
  const front = frontLimitFor(chain, f.path);
  const worker = workerLimit(chain);
  const kind = f.serverEvent?.kind;
  // The edge emulator's own line names its layer, whichever limit in front is smaller.
  const edge = f.serverEvent?.source === 'edge' ? chain.find((l) => l.layer === 'edge') : undefined;
  const byFront =
    kind === 'proxy-timeout' || kind === 'upstream-closed'
      ? edge
        ? { layer: edge.layer, kind: edge.kind, timeoutS: edge.timeoutS }
        : front
      : undefined;
  const byWorker = kind === 'worker-timeout' || kind === 'worker-killed' ? worker : undefined;
  const reached = front && f.latencyMs >= front.timeoutS * 1000 * 0.98 ? front : (worker ?? front);
  // An upstream that closed (502) was cut behind the proxy: by the worker when its limit was reached.
  const closedBehind =
    kind === 'upstream-closed' && worker && f.latencyMs >= worker.timeoutS * 1000 * 0.98 ? worker : undefined;
  const deadline = byWorker ?? closedBehind ?? byFront ?? reached;
  return {
    level: 'killed',
    ratio: deadline ? timeoutRatio(f.latencyMs, deadline.timeoutS * 1000) : f.ratio,
    ...(deadline ? { deadline } : {}),
  };
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
