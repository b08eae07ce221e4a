// When did timeline second 0 start? The timeline counts seconds since the start of traffic,
// server events and flagged requests carry wall-clock times; charts need both on one axis.
// Results that record `trafficStartedAt` answer directly; older ones are estimated (below).
import type { RunResult } from '../result/types.js';

/** Time the log lines need after traffic ends before the result is assembled (run-scenario). */
const SETTLE_MS = 2_000;

export interface TrafficOrigin {
  /** Epoch ms of timeline t = 0. */
  ms: number;
  /** False when estimated: markers may sit a second or two off. */
  exact: boolean;
}

export function trafficOrigin(result: RunResult): TrafficOrigin {
  const recorded = result.trafficStartedAt ? Date.parse(result.trafficStartedAt) : Number.NaN;
  if (Number.isFinite(recorded)) return { ms: recorded, exact: true };
  return { ms: estimateFromSlowest(result) ?? estimateFromEnd(result), exact: false };
}

/**
 * The slowest flagged request shows up as the `max` of the timeline row it finished in: line
 * the two up. One pass over each list, so it stays linear.
 */
function estimateFromSlowest(result: RunResult): number | undefined {
  let slowest: RunResult['flagged'][number] | undefined;
  for (const f of result.flagged) if (!slowest || f.latencyMs > slowest.latencyMs) slowest = f;
  if (!slowest || result.timeline.length === 0) return undefined;
  let best: RunResult['timeline'][number] | undefined;
  for (const row of result.timeline) {
    if (!best || Math.abs(row.max - slowest.latencyMs) < Math.abs(best.max - slowest.latencyMs)) best = row;
  }
  if (!best || Math.abs(best.max - slowest.latencyMs) > Math.max(1, slowest.latencyMs * 0.01))
    return undefined;
  const finished = Date.parse(slowest.at) + slowest.latencyMs;
  return Number.isFinite(finished) ? finished - (best.t + 0.5) * 1_000 : undefined;
}

function estimateFromEnd(result: RunResult): number {
  const last = result.timeline.at(-1);
  const seconds = last ? last.t + 1 : 0;
  const end = Date.parse(result.finishedAt);
  const start = Date.parse(result.startedAt);
  return Math.max(start, end - seconds * 1_000 - SETTLE_MS);
}
