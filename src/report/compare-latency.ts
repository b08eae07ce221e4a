// One endpoint's latency in `compare`: p95 and p99 judged against run-to-run noise, the max noted.
// A percentile changes the verdict only when (a) both runs have enough requests for it, and
// (b+c) the seeded bootstrap interval of the change (./bootstrap.ts) lies wholly beyond the
// practical tolerance (latencyPct, latencyMinMs): the change is beyond the noise and beyond the
// tolerance with 99 % confidence, not merely in its point estimate. Why the whole interval:
// requests of one run are not independent (a stall of the machine, the warm-up second, slows
// many at once), so the resampling interval is narrower than the true run-to-run spread; asking
// it to clear the tolerance, not just zero, keeps such runs from failing a deploy (measured in
// docs/compare.md). Without histograms on both sides (older results) no interval exists: (a) and
// the tolerance on the point estimate decide, and compare says so once.
import type { EndpointStats } from '../result/types.js';
import { formatDuration } from '../units/index.js';
import { DEFAULT_CONFIDENCE, percentileDifferenceInterval } from './bootstrap.js';
import type { Change, Tolerances } from './comparison.js';
import { formatInterval } from './format-comparison.js';
import type { LatencyDistribution } from './latency-distribution.js';

/** The percentiles judged, with the percentile each stands for. */
const PERCENTILES = [
  ['p95', 95],
  ['p99', 99],
] as const;

/**
 * A percentile needs this many requests beyond it on each side, so N = 5 / (1 − p): 100 for p95,
 * 500 for p99. With fewer, the percentile is one of the last few requests, and resampling those
 * few says little about the next run.
 */
export const MIN_TAIL_SAMPLES = 5;

export function minSamples(percentile: number, tail = MIN_TAIL_SAMPLES): number {
  return Math.ceil((tail * 100) / (100 - percentile));
}

export interface LatencyInput {
  baseline?: LatencyDistribution;
  current?: LatencyDistribution;
  /** The endpoint's `group/name`: seeds its resampling, so a pair of results always compares the same. */
  key: string;
}

export interface LatencyJudgement {
  regressions: Change[];
  improvements: Change[];
  notes: string[];
}

export function compareLatency(
  was: EndpointStats,
  now: EndpointStats,
  tol: Tolerances,
  input: LatencyInput,
): LatencyJudgement {
  const out: LatencyJudgement = { regressions: [], improvements: [], notes: [] };
  const change = (metric: 'p95' | 'p99' | 'max'): Change => {
    const b = was.latencyMs[metric];
    const c = now.latencyMs[metric];
    const entry: Change = { metric, endpoint: now.name, baseline: b, current: c, change: c - b, unit: 'ms' };
    if (b > 0) entry.changePct = ((c - b) / b) * 100;
    return entry;
  };
  const allowedFor = (b: number) => Math.max((b * tol.latencyPct) / 100, tol.latencyMinMs ?? 0);

  const lacking: { metric: string; need: number }[] = [];
  for (const [metric, p] of PERCENTILES) {
    const need = minSamples(p);
    if (was.count < need || now.count < need) {
      lacking.push({ metric, need });
      continue;
    }
    const entry = change(metric);
    entry.samples = { baseline: was.count, current: now.count };
    const allowed = allowedFor(entry.baseline);
    if (Math.abs(entry.change) <= allowed) continue;
    if (!input.baseline || !input.current) {
      if (entry.change > 0) out.regressions.push(entry);
      else out.improvements.push(entry);
      continue;
    }
    const interval = percentileDifferenceInterval(input.baseline, input.current, p, {
      seed: seedOf(`${input.key} ${metric}`),
    });
    entry.interval = { low: round2(interval.low), high: round2(interval.high) };
    if (entry.change > 0 && interval.low > allowed) out.regressions.push(entry);
    else if (entry.change < 0 && interval.high < -allowed) out.improvements.push(entry);
    else
      out.notes.push(
        `${metric} of ${now.name}: ${formatDuration(entry.baseline)} → ${formatDuration(entry.current)} is within run-to-run noise (${formatInterval(entry, DEFAULT_CONFIDENCE)}; tolerance ±${formatDuration(allowed)})`,
      );
  }
  // An endpoint no request reached on either side has nothing to say.
  if (lacking.length > 0 && was.count + now.count > 0) {
    const needs = lacking.map((l) => (lacking.length === 1 ? `${l.need}` : `${l.need} for ${l.metric}`));
    out.notes.push(
      `${lacking.map((l) => l.metric).join('/')} of ${now.name}: not enough samples (${was.count} and ${now.count}; need ${needs.join(', ')})`,
    );
  }
  const max = change('max');
  if (max.change > allowedFor(max.baseline))
    out.notes.push(
      `max of ${now.name}: ${formatDuration(max.baseline)} → ${formatDuration(max.current)}, one request: not judged (flagged counts and worker timeouts are)`,
    );
  return out;
}

/** FNV-1a of the text: a 32-bit seed. */
function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function round2(ms: number): number {
  return Math.round(ms * 100) / 100;
}
