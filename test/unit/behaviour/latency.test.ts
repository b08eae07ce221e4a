import { describe, expect, it } from 'vitest';
import {
  formatLatencySpec,
  inverseNormal,
  latencyAt,
  parseLatencySpec,
  sampleLatency,
} from '../../../src/behaviour/latency.js';
import type { LatencySpec } from '../../../src/behaviour/types.js';
import { mulberry32 } from '../../../src/util/seeded-random.js';

const N = 20_000;

function samples(spec: LatencySpec, elapsedMs = 0, seed = 7): number[] {
  const rng = mulberry32(seed);
  return Array.from({ length: N }, () => sampleLatency(spec, elapsedMs, rng)).sort((a, b) => a - b);
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

describe('parseLatencySpec', () => {
  it.each([
    ['800ms', { base: { kind: 'fixed', ms: 800 }, changes: [] }],
    ['1.5s', { base: { kind: 'fixed', ms: 1500 }, changes: [] }],
    ['200ms..2s', { base: { kind: 'uniform', minMs: 200, maxMs: 2000 }, changes: [] }],
    [' p50=400ms , p99=1.5s ', { base: { kind: 'lognormal', p50Ms: 400, p99Ms: 1500 }, changes: [] }],
    ['p99=1.5s,p50=400ms', { base: { kind: 'lognormal', p50Ms: 400, p99Ms: 1500 }, changes: [] }],
    [
      'p50=400ms,p99=1.5s; 2s after 30s',
      {
        base: { kind: 'lognormal', p50Ms: 400, p99Ms: 1500 },
        changes: [{ afterMs: 30_000, dist: { kind: 'fixed', ms: 2000 } }],
      },
    ],
    [
      '100ms; 200ms..300ms after 10s; p50=1s,p99=3s after 1m',
      {
        base: { kind: 'fixed', ms: 100 },
        changes: [
          { afterMs: 10_000, dist: { kind: 'uniform', minMs: 200, maxMs: 300 } },
          { afterMs: 60_000, dist: { kind: 'lognormal', p50Ms: 1000, p99Ms: 3000 } },
        ],
      },
    ],
  ])('parses %j', (text, expected) => {
    expect(parseLatencySpec(text)).toEqual(expected);
  });

  it.each([
    ['', /expected a latency like 800ms, 200ms\.\.2s or p50=400ms,p99=1\.5s/],
    ['fast', /expected a latency like .*"fast" is not a duration/],
    ['800', /not a duration like 500ms/],
    ['2s..200ms', /lower bound is above the upper, e\.g\. 200ms\.\.2s/],
    ['1s..2s..3s', /expected a latency like/],
    ['p50=400ms', /need both p50 and p99, e\.g\. p50=400ms,p99=1\.5s/],
    ['p50=2s,p99=1s', /0 < p50 <= p99/],
    ['p90=1s,p99=2s', /"p90=1s" is not p50=DURATION/],
    ['100ms; 2s', /needs "after" and a time, e\.g\. "2s after 30s"/],
    ['100ms; 2s after 30s; 3s after 10s', /rising order of time/],
  ])('rejects %j saying what is expected', (text, message) => {
    expect(() => parseLatencySpec(text)).toThrow(message);
  });

  it.each([
    '800ms',
    '1.5s',
    '200ms..2s',
    'p50=400ms,p99=1.5s',
    'p50=400ms,p99=1.5s; 2s after 30s',
    '0ms; 250ms..1.25s after 1.5s',
  ])('formats %j back to an equal spec', (text) => {
    const spec = parseLatencySpec(text);
    expect(parseLatencySpec(formatLatencySpec(spec))).toEqual(spec);
  });
});

describe('sampleLatency', () => {
  it('gives the fixed value every time', () => {
    expect(new Set(samples(parseLatencySpec('800ms')))).toEqual(new Set([800]));
  });

  it('spreads a uniform range evenly over its bounds', () => {
    const s = samples(parseLatencySpec('200ms..2s'));
    expect(s[0]).toBeGreaterThanOrEqual(200);
    expect(s.at(-1)).toBeLessThan(2000);
    const mean = s.reduce((a, b) => a + b, 0) / N;
    // Standard error of the mean: 1800/sqrt(12 N) ~ 3.7 ms; allow ~5 standard errors.
    expect(Math.abs(mean - 1100)).toBeLessThan(20);
    for (const q of [0.1, 0.25, 0.5, 0.75, 0.9])
      expect(Math.abs(quantile(s, q) - (200 + 1800 * q))).toBeLessThan(30);
  });

  it('fits the log-normal to the two percentiles given', () => {
    const s = samples(parseLatencySpec('p50=400ms,p99=1.5s'));
    expect(quantile(s, 0.5) / 400).toBeGreaterThan(0.97);
    expect(quantile(s, 0.5) / 400).toBeLessThan(1.03);
    expect(quantile(s, 0.99) / 1500).toBeGreaterThan(0.9);
    expect(quantile(s, 0.99) / 1500).toBeLessThan(1.1);
    // Log-normal: the logs are normal, so about 68 % fall within one sigma of mu.
    const mu = Math.log(400);
    const sigma = (Math.log(1500) - mu) / 2.3263478740408408;
    const within = s.filter((v) => Math.abs(Math.log(v) - mu) < sigma).length / N;
    expect(within).toBeGreaterThan(0.66);
    expect(within).toBeLessThan(0.7);
    // Capped at 10 x p99.
    expect(s.at(-1)).toBeLessThanOrEqual(15_000);
  });

  it('draws p50 at u = 0.5 and p99 at u = 0.99 exactly', () => {
    const spec = parseLatencySpec('p50=300ms,p99=2s');
    expect(sampleLatency(spec, 0, () => 0.5)).toBeCloseTo(300, 6);
    expect(sampleLatency(spec, 0, () => 0.99)).toBeCloseTo(2000, 3);
  });

  it('switches distribution at the times given', () => {
    const spec = parseLatencySpec('100ms; 2s after 30s; 200ms..300ms after 1m');
    expect(latencyAt(spec, 0)).toEqual({ kind: 'fixed', ms: 100 });
    expect(sampleLatency(spec, 29_999, Math.random)).toBe(100);
    expect(sampleLatency(spec, 30_000, Math.random)).toBe(2000);
    const late = samples(spec, 90_000);
    expect(late[0]).toBeGreaterThanOrEqual(200);
    expect(late.at(-1)).toBeLessThan(300);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const spec = parseLatencySpec('p50=400ms,p99=1.5s');
    const a = samples(spec, 0, 42);
    expect(samples(spec, 0, 42)).toEqual(a);
    expect(samples(spec, 0, 43)).not.toEqual(a);
  });
});

describe('inverseNormal', () => {
  it.each([
    [0.5, 0],
    [0.975, 1.959964],
    [0.99, 2.326348],
    [0.01, -2.326348],
    [0.001, -3.090232],
    [0.8413447, 1],
  ])('inverts the normal CDF at %f', (p, z) => {
    expect(inverseNormal(p)).toBeCloseTo(z, 5);
  });
});
