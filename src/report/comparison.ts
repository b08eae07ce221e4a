// What `compare` (and `run --baseline`) produces: the shapes only, so the comparer
// (./compare.ts), its latency test (./compare-latency.ts) and its wording (./format-comparison.ts)
// share them without importing one another in a circle.

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
  /** Latency: the requests each side's percentile was taken from. */
  samples?: { baseline: number; current: number };
  /** Latency: the bootstrap interval of `change` (ms); absent when a side has no histograms. */
  interval?: { low: number; high: number };
}

/** How latency changes were judged, so a reader of the comparison knows the rule. */
export interface LatencyTest {
  /** Both results had `histograms`: changes were tested against run-to-run noise. */
  histograms: boolean;
  /** Two-sided confidence of the bootstrap interval. */
  confidence: number;
  resamples: number;
  /** Requests needed beyond a percentile on each side: p95 needs 100 requests, p99 500. */
  minTailSamples: number;
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
  latencyTest?: LatencyTest;
}
