// A comparison as plain text for the terminal (`smokestack compare`), one line per change.
import type { Change, Comparison } from './compare.js';
import { formatMs } from './format.js';

export function formatComparison(c: Comparison): string {
  const lines = [`compare ${c.baseline.runId} (baseline) → ${c.current.runId}`];
  const t = c.tolerances;
  lines.push(
    `  tolerances: latency +${t.latencyPct}% (min ${t.latencyMinMs ?? 0} ms), error rate +${t.errorRatePts} pts, flagged +${t.flagged}, worker timeouts +${t.workerTimeouts}`,
  );
  if (c.regressions.length === 0) lines.push('  no regressions');
  else {
    lines.push(`  ${c.regressions.length} regression${c.regressions.length === 1 ? '' : 's'}:`);
    for (const r of c.regressions) lines.push(`    ✗ ${describeChange(r)}`);
  }
  if (c.improvements.length > 0) {
    lines.push(`  ${c.improvements.length} improvement${c.improvements.length === 1 ? '' : 's'}:`);
    for (const r of c.improvements) lines.push(`    ✓ ${describeChange(r)}`);
  }
  for (const n of c.notes) lines.push(`  note: ${n}`);
  return lines.join('\n');
}

/** "p99 of GET /api/movies: 120 ms → 180 ms (+50%)". */
export function describeChange(c: Change): string {
  const what = c.endpoint ? `${c.metric} of ${c.endpoint}` : c.metric;
  return `${what}: ${formatValue(c.baseline, c)} → ${formatValue(c.current, c)} (${formatDelta(c)})`;
}

export function formatValue(v: number, c: Pick<Change, 'unit'>): string {
  if (c.unit === 'ms') return formatMs(v);
  if (c.unit === 'pts') return `${v.toFixed(2)}%`;
  return String(v);
}

export function formatDelta(c: Change): string {
  const sign = c.change > 0 ? '+' : c.change < 0 ? '−' : '±';
  const abs = Math.abs(c.change);
  if (c.unit === 'ms')
    return c.changePct === undefined
      ? `${sign}${formatMs(abs)}`
      : `${sign}${Math.abs(c.changePct).toFixed(0)}%, ${sign}${formatMs(abs)}`;
  if (c.unit === 'pts') return `${sign}${abs.toFixed(2)} pts`;
  return `${sign}${abs}`;
}
