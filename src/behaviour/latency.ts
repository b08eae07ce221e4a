// Latency specs of mocked dependencies: parse the text users write (`--latency`, scenario
// `latency:`), draw one delay from it, and write it back. Grammar (also in ./types.ts):
//   LATENCY := DIST ( ';' DIST 'after' DURATION )*
//   DIST    := DURATION                              fixed       `800ms`
//            | DURATION '..' DURATION                uniform     `200ms..2s`
//            | 'p50=' DURATION ',' 'p99=' DURATION   log-normal  `p50=400ms,p99=1.5s` (either order)
// `p50=400ms,p99=1.5s; 2s after 30s` degrades to a fixed 2 s from 30 s on. The sampler takes
// the random source as an argument so callers decide determinism (one seeded stream per call).

import { formatDurationSpec, parseDuration } from '../units/index.js';
import type { LatencyDist, LatencySpec } from './types.js';

const EXPECTED =
  'expected a latency like 800ms, 200ms..2s or p50=400ms,p99=1.5s, optionally changing later ("400ms; 2s after 30s")';

/** z-score of the 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;

/** Parses a latency spec; throws an Error saying what is expected, with examples. */
export function parseLatencySpec(text: string): LatencySpec {
  if (typeof text !== 'string' || text.trim() === '')
    throw new Error(`${EXPECTED}, got ${JSON.stringify(text)}`);
  const [first, ...rest] = text.split(';');
  const base = parseDist(first as string, text);
  const changes: LatencySpec['changes'] = [];
  for (const part of rest) {
    const m = /^(.*)\safter\s(.*)$/.exec(part.trim());
    if (!m) throw new Error(`${EXPECTED}: "${part.trim()}" needs "after" and a time, e.g. "2s after 30s"`);
    const afterMs = durationIn(m[2] as string, text);
    const previous = changes.at(-1)?.afterMs ?? 0;
    if (afterMs <= previous) {
      throw new Error(
        `latency changes must come in rising order of time: "${part.trim()}" in ${JSON.stringify(text)}`,
      );
    }
    changes.push({ afterMs, dist: parseDist(m[1] as string, text) });
  }
  return { base, changes };
}

function parseDist(part: string, whole: string): LatencyDist {
  const t = part.trim();
  if (t.includes('..')) {
    const [a, b, extra] = t.split('..');
    if (extra !== undefined) throw new Error(`${EXPECTED}, got ${JSON.stringify(whole)}`);
    const minMs = durationIn(a as string, whole);
    const maxMs = durationIn(b as string, whole);
    if (minMs > maxMs)
      throw new Error(`latency range ${t}: the lower bound is above the upper, e.g. 200ms..2s`);
    return { kind: 'uniform', minMs, maxMs };
  }
  if (t.includes('=')) {
    const values: Record<string, number> = {};
    for (const pair of t.split(',')) {
      const m = /^\s*(p50|p99)\s*=\s*(.+)$/.exec(pair);
      if (!m) throw new Error(`${EXPECTED}: "${pair.trim()}" is not p50=DURATION or p99=DURATION`);
      values[m[1] as string] = durationIn(m[2] as string, whole);
    }
    const p50Ms = values.p50;
    const p99Ms = values.p99;
    if (p50Ms === undefined || p99Ms === undefined)
      throw new Error(
        `latency percentiles need both p50 and p99, e.g. p50=400ms,p99=1.5s, got ${JSON.stringify(t)}`,
      );
    if (p50Ms <= 0 || p99Ms < p50Ms)
      throw new Error(
        `latency percentiles need 0 < p50 <= p99, e.g. p50=400ms,p99=1.5s, got ${JSON.stringify(t)}`,
      );
    return { kind: 'lognormal', p50Ms, p99Ms };
  }
  return { kind: 'fixed', ms: durationIn(t, whole) };
}

function durationIn(text: string, whole: string): number {
  try {
    return parseDuration(text);
  } catch {
    throw new Error(
      `${EXPECTED}, got ${JSON.stringify(whole)} ("${text.trim()}" is not a duration like 500ms or 2s)`,
    );
  }
}

/** The distribution in force `elapsedMs` after the mock's clock started. */
export function latencyAt(spec: LatencySpec, elapsedMs: number): LatencyDist {
  let dist = spec.base;
  for (const change of spec.changes) {
    if (elapsedMs < change.afterMs) break;
    dist = change.dist;
  }
  return dist;
}

/**
 * One delay in milliseconds. `rng` returns uniforms in [0, 1); exactly one is drawn per call
 * (the log-normal uses the inverse normal CDF), so u = 0.5 gives p50 and u = 0.99 gives p99.
 * Log-normal draws are capped at 10 x p99 so one unlucky draw cannot stall a run.
 */
export function sampleLatency(spec: LatencySpec, elapsedMs: number, rng: () => number): number {
  const dist = latencyAt(spec, elapsedMs);
  const u = rng();
  switch (dist.kind) {
    case 'fixed':
      return dist.ms;
    case 'uniform':
      return dist.minMs + u * (dist.maxMs - dist.minMs);
    case 'lognormal': {
      const mu = Math.log(dist.p50Ms);
      const sigma = (Math.log(dist.p99Ms) - mu) / Z99;
      return Math.min(Math.exp(mu + sigma * inverseNormal(u)), 10 * dist.p99Ms);
    }
  }
}

/** Writes a spec back in the grammar parseLatencySpec reads (round-trips). */
export function formatLatencySpec(spec: LatencySpec): string {
  const parts = [formatDist(spec.base)];
  for (const c of spec.changes) parts.push(`${formatDist(c.dist)} after ${formatDurationSpec(c.afterMs)}`);
  return parts.join('; ');
}

function formatDist(d: LatencyDist): string {
  if (d.kind === 'fixed') return formatDurationSpec(d.ms);
  if (d.kind === 'uniform') return `${formatDurationSpec(d.minMs)}..${formatDurationSpec(d.maxMs)}`;
  return `p50=${formatDurationSpec(d.p50Ms)},p99=${formatDurationSpec(d.p99Ms)}`;
}

// Acklam's rational approximation of the inverse standard normal CDF (relative error < 1.2e-9).
const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

export function inverseNormal(p: number): number {
  // Uniforms are in [0, 1): keep away from the infinite ends.
  const u = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
  if (u < P_LOW) return tail(Math.sqrt(-2 * Math.log(u)));
  if (u > 1 - P_LOW) return -tail(Math.sqrt(-2 * Math.log(1 - u)));
  const q = u - 0.5;
  const r = q * q;
  const num = poly(A, r) * q;
  const den = poly(B, r) * r + 1;
  return num / den;
}

function tail(q: number): number {
  return poly(C, q) / (poly(D, q) * q + 1);
}

/** Horner evaluation of c[0]*x^(n-1) + ... + c[n-1]. */
function poly(c: number[], x: number): number {
  let v = 0;
  for (const k of c) v = v * x + k;
  return v;
}
