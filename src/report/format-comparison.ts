// A comparison as plain text for the terminal (`smokestack compare`, and the end of `run
// --baseline`), one line per change, plus the wording of the latency rule shared by every report.

import { formatDuration } from '../units/index.js';
import type { Change, Comparison } from './comparison.js';

export function formatComparison(c: Comparison): string {
  const lines = [`compare ${c.baseline.runId} (baseline) → ${c.current.runId}`];
  const t = c.tolerances;
  lines.push(
    `  tolerances: latency +${t.latencyPct}% (min ${t.latencyMinMs ?? 0} ms), error rate +${t.errorRatePts} pts, flagged +${t.flagged}, worker timeouts +${t.workerTimeouts}`,
  );
  const rule = latencyRule(c);
  if (rule) lines.push(`  latency: ${rule}`);
  if (c.regressions.length === 0) lines.push('  no regressions');
  else {
    lines.push(`  ${c.regressions.length} regression${c.regressions.length === 1 ? '' : 's'}:`);
    for (const r of c.regressions) lines.push(`    ✗ ${describeChange(r, c.latencyTest?.confidence)}`);
  }
  if (c.improvements.length > 0) {
    lines.push(`  ${c.improvements.length} improvement${c.improvements.length === 1 ? '' : 's'}:`);
    for (const r of c.improvements) lines.push(`    ✓ ${describeChange(r, c.latencyTest?.confidence)}`);
  }
  for (const n of c.notes) lines.push(`  note: ${n}`);
  return lines.join('\n');
}

/** "p99 of GET /api/movies: 120 ms → 180 ms (+50%, +60 ms; 99% interval +41 ms … +77 ms)". */
export function describeChange(c: Change, confidence?: number): string {
  const what = c.endpoint ? `${c.metric} of ${c.endpoint}` : c.metric;
  const interval = c.interval ? `; ${formatInterval(c, confidence)}` : '';
  return `${what}: ${formatValue(c.baseline, c)} → ${formatValue(c.current, c)} (${formatDelta(c)}${interval})`;
}

/** "99% interval +41 ms … +77 ms": the bootstrap interval of a latency change. */
export function formatInterval(c: Pick<Change, 'interval'>, confidence = 0.99): string {
  if (!c.interval) return '';
  return `${Math.round(confidence * 100)}% interval ${signedMs(c.interval.low)} … ${signedMs(c.interval.high)}`;
}

/** How latency was judged, in one line; undefined for comparisons written before the rule. */
export function latencyRule(c: Comparison): string | undefined {
  const t = c.latencyTest;
  if (!t) return undefined;
  const need = (p: number) => Math.ceil((t.minTailSamples * 100) / (100 - p));
  const needs = `needs ${need(95)} requests a side for p95, ${need(99)} for p99`;
  return t.histograms
    ? `p95/p99 count when the whole ${Math.round(t.confidence * 100)}% bootstrap interval of the change (${t.resamples} resamples of the histograms) is beyond the tolerance; ${needs}; max is only noted`
    : `p95/p99 by the tolerance alone (a result without histograms); ${needs}; max is only noted`;
}

export function signedMs(ms: number): string {
  return `${ms > 0 ? '+' : ms < 0 ? '−' : '±'}${formatDuration(Math.abs(ms))}`;
}

export function formatValue(v: number, c: Pick<Change, 'unit'>): string {
  if (c.unit === 'ms') return formatDuration(v);
  if (c.unit === 'pts') return `${v.toFixed(2)}%`;
  return String(v);
}

export function formatDelta(c: Change): string {
  const sign = c.change > 0 ? '+' : c.change < 0 ? '−' : '±';
  const abs = Math.abs(c.change);
  if (c.unit === 'ms')
    return c.changePct === undefined
      ? `${sign}${formatDuration(abs)}`
      : `${sign}${Math.abs(c.changePct).toFixed(0)}%, ${sign}${formatDuration(abs)}`;
  if (c.unit === 'pts') return `${sign}${abs.toFixed(2)} pts`;
  return `${sign}${abs}`;
}
