// `smokestack compare` and `run --baseline`: what got worse between two results. Latency per
// endpoint (p95/p99/max) by a relative tolerance, the error rate in percentage points, flagged
// counts by level and worker timeouts by absolute counts. Plain data in, plain data out.
import type { EndpointStats, FlagLevel, RunResult } from '../result/types.js';

export interface Tolerances {
  /** Allowed latency growth, percent of the baseline. */
  latencyPct: number;
  /** Allowed error-rate growth, percentage points. */
  errorRatePts: number;
  /** Allowed growth of each flagged level's count. */
  flagged: number;
  /** Allowed growth of the worker-timeout count. */
  workerTimeouts: number;
  /** Latency changes smaller than this are noise, whatever their percentage (default 5 ms). */
  latencyMinMs?: number;
}

export const DEFAULT_TOLERANCES: Tolerances = {
  latencyPct: 10,
  errorRatePts: 0.5,
  flagged: 0,
  workerTimeouts: 0,
  latencyMinMs: 5,
};

export type Unit = 'ms' | 'pts' | 'count';

export interface Change {
  metric: string;
  endpoint?: string;
  baseline: number;
  current: number;
  /** current − baseline, in `unit`. */
  change: number;
  /** Relative change in percent, for latencies. */
  changePct?: number;
  unit: Unit;
}

export interface Comparison {
  baseline: { runId: string; startedAt: string };
  current: { runId: string; startedAt: string };
  tolerances: Tolerances;
  regressions: Change[];
  improvements: Change[];
  /** Endpoints present on one side only, and similar remarks that are not regressions. */
  notes: string[];
  ok: boolean;
}

const LATENCY_METRICS = ['p95', 'p99', 'max'] as const;
const LEVELS: FlagLevel[] = ['approaching', 'critical', 'killed'];

export function compareResults(
  baseline: RunResult,
  current: RunResult,
  tolerances: Tolerances = DEFAULT_TOLERANCES,
): Comparison {
  const tol = { ...DEFAULT_TOLERANCES, ...tolerances };
  const regressions: Change[] = [];
  const improvements: Change[] = [];
  const notes: string[] = [];
  const sort = (c: Change, worseIfAbove: number, betterIfBelow: number) => {
    if (c.change > worseIfAbove) regressions.push(c);
    else if (c.change < betterIfBelow) improvements.push(c);
  };

  const before = new Map<string, EndpointStats>();
  for (const e of baseline.requests.byEndpoint) if (!before.has(e.name)) before.set(e.name, e);
  const seen = new Set<string>();
  for (const now of current.requests.byEndpoint) {
    const was = before.get(now.name);
    if (!was) {
      notes.push(`new endpoint (not in the baseline): ${now.name}`);
      continue;
    }
    seen.add(now.name);
    for (const metric of LATENCY_METRICS) {
      const b = was.latencyMs[metric];
      const c = now.latencyMs[metric];
      const change = c - b;
      const entry: Change = { metric, endpoint: now.name, baseline: b, current: c, change, unit: 'ms' };
      if (b > 0) entry.changePct = (change / b) * 100;
      const allowed = Math.max((b * tol.latencyPct) / 100, tol.latencyMinMs ?? 0);
      sort(entry, allowed, -allowed);
    }
  }
  for (const name of before.keys())
    if (!seen.has(name)) notes.push(`endpoint missing from this run: ${name}`);

  const rate = (r: RunResult) => (r.requests.total > 0 ? (r.requests.errors / r.requests.total) * 100 : 0);
  const b = rate(baseline);
  const c = rate(current);
  sort(
    { metric: 'error rate', baseline: b, current: c, change: c - b, unit: 'pts' },
    tol.errorRatePts,
    -tol.errorRatePts,
  );

  for (const level of LEVELS) {
    const bl = baseline.flaggedTotal[level];
    const cl = current.flaggedTotal[level];
    sort(
      { metric: `flagged ${level}`, baseline: bl, current: cl, change: cl - bl, unit: 'count' },
      tol.flagged,
      -tol.flagged,
    );
  }

  const wt = (r: RunResult) => r.serverEvents.filter((e) => e.kind === 'worker-timeout').length;
  const bw = wt(baseline);
  const cw = wt(current);
  sort(
    { metric: 'worker timeouts', baseline: bw, current: cw, change: cw - bw, unit: 'count' },
    tol.workerTimeouts,
    -tol.workerTimeouts,
  );

  return {
    baseline: { runId: baseline.runId, startedAt: baseline.startedAt },
    current: { runId: current.runId, startedAt: current.startedAt },
    tolerances: tol,
    regressions,
    improvements,
    notes,
    ok: regressions.length === 0,
  };
}

/** A `comparison` field read back from a result.json (typed `unknown` there). */
export function isComparison(value: unknown): value is Comparison {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Partial<Comparison>;
  return Array.isArray(v.regressions) && Array.isArray(v.improvements) && typeof v.ok === 'boolean';
}
