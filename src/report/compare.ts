// `smokestack compare` and `run --baseline`: what got worse between two results, beyond the noise
// of a run. Latency per endpoint (p95, p99) is judged in ./compare-latency.ts: enough samples on
// both sides, and a seeded bootstrap interval of the change, drawn from the two runs' HDR
// histograms, wholly beyond the tolerance. The max is one request: only noted. The error rate
// (percentage points), flagged counts by level and worker timeouts keep their absolute rules:
// each is a failure event the verdict already judges one by one, normally zero in a passing run.
// Plain data in, plain data out.
import type { EndpointStats, FlagLevel, RunResult } from '../result/types.js';
import { DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES } from './bootstrap.js';
import { compareLatency, MIN_TAIL_SAMPLES } from './compare-latency.js';
import type { Change, Comparison, Tolerances } from './comparison.js';
import { distributionOf, histogramKey, type LatencyDistribution } from './latency-distribution.js';

export { MIN_TAIL_SAMPLES, minSamples } from './compare-latency.js';

export type { Change, Comparison, LatencyTest, Tolerances, Unit } from './comparison.js';

export const DEFAULT_TOLERANCES: Tolerances = {
  latencyPct: 10,
  errorRatePts: 0.5,
  flagged: 0,
  workerTimeouts: 0,
  latencyMinMs: 5,
};

const LEVELS: FlagLevel[] = ['approaching', 'critical', 'killed'];

/** Long because it walks the result's fields in the order the comparison reads: run, endpoints, flags, timeouts. */
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

  const distributions = { baseline: histogramsOf(baseline), current: histogramsOf(current) };
  const tested = distributions.baseline !== undefined && distributions.current !== undefined;
  if (!tested) {
    const which =
      !distributions.baseline && !distributions.current
        ? 'either result (older results)'
        : distributions.baseline
          ? 'this run (an older result)'
          : 'the baseline (an older result)';
    notes.push(
      `no latency histograms in ${which}: latency judged by the tolerances alone, not tested against run-to-run noise`,
    );
  }

  const before = new Map<string, EndpointStats>();
  for (const e of baseline.requests.byEndpoint) {
    const key = histogramKey(e);
    if (!before.has(key)) before.set(key, e);
  }
  const seen = new Set<string>();
  for (const now of current.requests.byEndpoint) {
    const key = histogramKey(now);
    const was = before.get(key);
    if (!was) {
      notes.push(`new endpoint (not in the baseline): ${now.name}`);
      continue;
    }
    seen.add(key);
    const judged = compareLatency(was, now, tol, {
      baseline: distributions.baseline?.get(key),
      current: distributions.current?.get(key),
      key,
    });
    regressions.push(...judged.regressions);
    improvements.push(...judged.improvements);
    notes.push(...judged.notes);
  }
  for (const [key, e] of before) if (!seen.has(key)) notes.push(`endpoint missing from this run: ${e.name}`);

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

  const wt = (r: RunResult) =>
    r.serverEvents.filter((e) => e.kind === 'worker-timeout' && !e.beforeTraffic).length;
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
    latencyTest: {
      histograms: tested,
      confidence: DEFAULT_CONFIDENCE,
      resamples: DEFAULT_RESAMPLES,
      minTailSamples: MIN_TAIL_SAMPLES,
    },
  };
}

/** Each endpoint's latency distribution by `group/name`, or undefined when the result has none. */
function histogramsOf(r: RunResult): Map<string, LatencyDistribution> | undefined {
  if (!r.histograms) return undefined;
  const out = new Map<string, LatencyDistribution>();
  for (const [key, encoded] of Object.entries(r.histograms)) out.set(key, distributionOf(encoded));
  return out;
}

/** A `comparison` field read back from a result.json (typed `unknown` there). */
export function isComparison(value: unknown): value is Comparison {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Partial<Comparison>;
  return Array.isArray(v.regressions) && Array.isArray(v.improvements) && typeof v.ok === 'boolean';
}
