// The statistics of `compare` on real HDR histograms: the same load twice is no regression, a 2x
// slower server is one, a handful of requests is "not enough samples", a change beyond the
// tolerance but inside run-to-run noise is a note, and older results without histograms still
// compare (by the tolerances, with the sample rule).
import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { newHistogram } from '../../../src/load/recorder.js';
import { betaSampler, percentileDifferenceInterval } from '../../../src/report/bootstrap.js';
import { compareResults, minSamples } from '../../../src/report/compare.js';
import { formatComparison } from '../../../src/report/format-comparison.js';
import { distributionOf } from '../../../src/report/latency-distribution.js';
import type { RunResult } from '../../../src/result/types.js';
import { mulberry32 } from '../../../src/util/seeded-random.js';
import { sampleResult } from './fixtures.js';

const ENDPOINT = 'GET /api/movies';

/** `n` latencies (ms) of a server that answers in about `medianMs`, a long right tail (log-normal). */
function latencies(n: number, seed: number, medianMs = 40, sigma = 0.5): number[] {
  const u = mulberry32(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    out.push(medianMs * Math.exp(sigma * z));
  }
  return out;
}

function encode(valuesMs: number[]): string {
  const h = newHistogram();
  for (const v of valuesMs) h.recordValue(Math.max(1, Math.round(v * 1000)));
  return hdr.encodeIntoCompressedBase64(h);
}

/** A result whose one endpoint (group browse) saw exactly these latencies. */
function resultOf(valuesMs: number[], runId: string, withHistograms = true): RunResult {
  const r = sampleResult();
  const sorted = [...valuesMs].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  const round = (v: number) => Math.round(v * 100) / 100;
  r.runId = runId;
  r.requests = {
    total: valuesMs.length,
    ok: valuesMs.length,
    errors: 0,
    byEndpoint: [
      {
        name: ENDPOINT,
        method: 'GET',
        path: '/api/movies',
        group: 'browse',
        count: valuesMs.length,
        errors: 0,
        statusCodes: { '200': valuesMs.length },
        latencyMs: {
          p50: round(at(50)),
          p90: round(at(90)),
          p95: round(at(95)),
          p99: round(at(99)),
          max: round(sorted.at(-1) ?? 0),
          mean: round(valuesMs.reduce((a, b) => a + b, 0) / Math.max(1, valuesMs.length)),
        },
      },
    ],
  };
  if (withHistograms) r.histograms = { [`browse/${ENDPOINT}`]: encode(valuesMs) };
  else delete r.histograms;
  return r;
}

describe('compare against run-to-run noise', () => {
  it('the same load twice (different seeds) is never a regression', () => {
    // 600 requests with a long tail: judged by the 10 % tolerance alone, about 2 pairs in 5 of
    // these differ "significantly" in p95 or p99.
    for (let seed = 1; seed <= 20; seed++) {
      const c = compareResults(
        resultOf(latencies(600, seed, 40, 1), 'a'),
        resultOf(latencies(600, seed + 1000, 40, 1), 'b'),
      );
      expect(c.regressions, formatComparison(c)).toEqual([]);
      expect(c.ok).toBe(true);
    }
  });

  it('a 2x slower server is a p95 and a p99 regression, with an interval above zero', () => {
    const baseline = resultOf(latencies(2000, 1), 'a');
    const current = resultOf(
      latencies(2000, 2).map((v) => v * 2),
      'b',
    );
    const c = compareResults(baseline, current);
    expect(c.ok).toBe(false);
    expect(c.regressions.map((r) => r.metric)).toEqual(['p95', 'p99']);
    for (const r of c.regressions) {
      expect(r.interval!.low).toBeGreaterThan(0);
      expect(r.interval!.high).toBeGreaterThanOrEqual(r.interval!.low);
      expect(r.samples).toEqual({ baseline: 2000, current: 2000 });
      expect(r.changePct!).toBeGreaterThan(50);
    }
    expect(c.latencyTest).toMatchObject({ histograms: true, minTailSamples: 5 });
    const text = formatComparison(c);
    expect(text).toMatch(/✗ p95 of GET \/api\/movies: \S+ ms → \S+ ms \(\+\d+%, \+\S+ ms; 99% interval \+/);
    expect(text).toContain(
      'latency: p95/p99 count when the whole 99% bootstrap interval of the change (4000 resamples of the histograms) is beyond the tolerance',
    );
    expect(text).toContain('needs 100 requests a side for p95, 500 for p99; max is only noted');
    // And the other way round it is an improvement.
    const back = compareResults(current, baseline);
    expect(back.ok).toBe(true);
    expect(back.improvements.map((r) => r.metric)).toEqual(['p95', 'p99']);
  });

  it('4 samples each are "not enough samples", never a regression (the issue: p95 418 ms → 654 ms)', () => {
    const c = compareResults(resultOf([380, 395, 410, 418], 'a'), resultOf([600, 620, 640, 654], 'b'));
    expect(c.regressions).toEqual([]);
    expect(c.ok).toBe(true);
    expect(c.notes).toContain(
      `p95/p99 of ${ENDPOINT}: not enough samples (4 and 4; need 100 for p95, 500 for p99)`,
    );
    expect(formatComparison(c)).toContain('not enough samples (4 and 4;');
  });

  it('N is 5 requests beyond the percentile: 100 for p95, 500 for p99', () => {
    expect(minSamples(95)).toBe(100);
    expect(minSamples(99)).toBe(500);
    const c = compareResults(
      resultOf(latencies(300, 1), 'a'),
      resultOf(
        latencies(300, 2).map((v) => v * 2),
        'b',
      ),
    );
    expect(c.regressions.map((r) => r.metric)).toEqual(['p95']);
    expect(c.notes).toContain(`p99 of ${ENDPOINT}: not enough samples (300 and 300; need 500)`);
  });

  it('a change beyond the tolerance but inside the noise of the tail is a note, not a regression', () => {
    // Few requests and a heavy tail: p95 moves by more than 10 % from one sample to the next.
    const noisy = (seed: number) => latencies(120, seed, 40, 1.2);
    let found: { a: number; b: number } | undefined;
    for (let a = 1; a <= 50 && !found; a++) {
      const c = compareResults(resultOf(noisy(a), 'a'), resultOf(noisy(a + 500), 'b'));
      const p95 = c.notes.find((n) => n.startsWith('p95 of') && n.includes('within run-to-run noise'));
      if (p95) found = { a, b: a + 500 };
      expect(
        c.regressions.filter((r) => r.metric === 'p95'),
        formatComparison(c),
      ).toEqual([]);
    }
    expect(found).toBeDefined();
    const c = compareResults(resultOf(noisy(found!.a), 'a'), resultOf(noisy(found!.b), 'b'));
    // The same numbers judged by the tolerance alone (no histograms) would be a regression or
    // an improvement: that is the noise this test removes.
    const byTolerance = compareResults(
      resultOf(noisy(found!.a), 'a', false),
      resultOf(noisy(found!.b), 'b', false),
    );
    expect([...byTolerance.regressions, ...byTolerance.improvements].map((r) => r.metric)).toContain('p95');
    expect(c.notes.some((n) => /^p95 of .*within run-to-run noise \(99% interval −/.test(n))).toBe(true);
  });

  it('a change whose interval clears zero but not the tolerance is a note: the whole interval must be beyond it', () => {
    // 12 % slower on 2000 requests: the point estimate passes the 10 % tolerance, the interval
    // of the change starts below it. Requests of a run are not independent, so such a change
    // is not enough to fail a deploy.
    let seen = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const c = compareResults(
        resultOf(latencies(2000, seed), 'a'),
        resultOf(
          latencies(2000, seed + 1000).map((v) => v * 1.12),
          'b',
        ),
      );
      for (const r of c.regressions) {
        const allowed = (r.baseline * 10) / 100;
        expect(r.interval!.low).toBeGreaterThan(allowed);
      }
      const note = c.notes.find((n) => /within run-to-run noise \(99% interval \+[^;]+; tolerance ±/.test(n));
      if (note) seen++;
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('is deterministic: the same two results always give the same intervals', () => {
    const a = resultOf(latencies(1000, 7), 'a');
    const b = resultOf(
      latencies(1000, 8).map((v) => v * 1.5),
      'b',
    );
    expect(compareResults(a, b)).toEqual(compareResults(a, b));
  });

  it('a longer max is one request: a note, not a regression', () => {
    const base = latencies(2000, 3);
    const worse = [...latencies(2000, 3).slice(1), 5_000];
    const c = compareResults(resultOf(base, 'a'), resultOf(worse, 'b'));
    expect(c.regressions).toEqual([]);
    expect(c.notes.some((n) => n.startsWith(`max of ${ENDPOINT}:`) && n.includes('not judged'))).toBe(true);
  });

  it('older results without histograms compare by the tolerances, with the sample rule', () => {
    const baseline = resultOf(latencies(2000, 1), 'a', false);
    const current = resultOf(
      latencies(2000, 2).map((v) => v * 2),
      'b',
    );
    const c = compareResults(baseline, current);
    expect(c.regressions.map((r) => r.metric)).toEqual(['p95', 'p99']);
    expect(c.regressions[0]!.interval).toBeUndefined();
    expect(c.latencyTest?.histograms).toBe(false);
    expect(c.notes[0]).toMatch(/^no latency histograms in the baseline \(an older result\)/);
    const few = compareResults(resultOf([1, 2, 3, 4], 'a', false), resultOf([10, 20, 30, 40], 'b', false));
    expect(few.regressions).toEqual([]);
    expect(few.notes).toContain(
      `p95/p99 of ${ENDPOINT}: not enough samples (4 and 4; need 100 for p95, 500 for p99)`,
    );
  });
});

describe('the bootstrap', () => {
  it('draws Beta(a, b) with the right mean and spread', () => {
    const beta = betaSampler(mulberry32(42));
    for (const [a, b] of [
      [1, 1],
      [3, 7],
      [95, 6],
      [9500, 501],
    ] as const) {
      const draws = Array.from({ length: 20_000 }, () => beta(a, b));
      const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
      const variance = draws.reduce((s, x) => s + (x - mean) ** 2, 0) / draws.length;
      const n = a + b;
      expect(mean).toBeCloseTo(a / n, 2);
      expect(variance / ((a * b) / (n * n * (n + 1)))).toBeGreaterThan(0.9);
      expect(variance / ((a * b) / (n * n * (n + 1)))).toBeLessThan(1.1);
    }
  });

  it('gives the interval a resample-every-request bootstrap gives', () => {
    const a = latencies(400, 11);
    const b = latencies(400, 12).map((v) => v * 1.3);
    const fast = percentileDifferenceInterval(distributionOf(encode(a)), distributionOf(encode(b)), 95, {
      seed: 1,
      confidence: 0.9,
    });
    // The textbook way: resample n requests with replacement, sort, take the p95.
    const u = mulberry32(2);
    const p95 = (xs: number[]) => {
      const r = Array.from({ length: xs.length }, () => xs[Math.floor(u() * xs.length)] as number);
      r.sort((x, y) => x - y);
      return r[Math.ceil(0.95 * r.length) - 1] as number;
    };
    const diffs = Array.from({ length: 4000 }, () => p95(b) - p95(a)).sort((x, y) => x - y);
    const slow = { low: diffs[200] as number, high: diffs[3800] as number };
    const width = slow.high - slow.low;
    expect(Math.abs(fast.low - slow.low) / width).toBeLessThan(0.15);
    expect(Math.abs(fast.high - slow.high) / width).toBeLessThan(0.15);
  });
});
