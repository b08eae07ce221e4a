// The noise test of `compare`: a seeded bootstrap interval of the difference of one percentile
// (current − baseline) between two latency histograms.
//
// Why a bootstrap of the percentile difference (and not Mann-Whitney or Kolmogorov-Smirnov):
// the claim `compare` makes is "p95 went from A to B", a statement about one tail quantile. Rank
// tests answer another question (is one distribution shifted overall?), are dominated by the
// bulk of the requests, and say nothing about how far the p95 moved. The bootstrap interval is
// in milliseconds of the very number that is reported, so the terminal can show it.
//
// Why it is cheap: resampling n values from a histogram and taking the k-th smallest gives the
// same distribution as reading the histogram at rank ceil(n·U), U ~ Beta(k, n + 1 − k) (the k-th
// of n uniforms). One Beta draw and one binary search per resample, whatever n is, so a run of
// millions of requests compares as fast as one of hundreds.
import { mulberry32 } from '../util/seeded-random.js';
import { type LatencyDistribution, rankOf, valueAtRank } from './latency-distribution.js';

export interface BootstrapOptions {
  /** Number of resamples (default 4000). */
  resamples?: number;
  /** Two-sided confidence of the interval (default 0.99). */
  confidence?: number;
  /** Seed of the resampling: the same inputs always give the same interval. */
  seed: number;
}

export interface Interval {
  /** Lower and upper bound of current − baseline, ms. */
  low: number;
  high: number;
}

export const DEFAULT_RESAMPLES = 4000;
export const DEFAULT_CONFIDENCE = 0.99;

/** The bootstrap interval of percentile `p` (0..100) of `current` minus that of `baseline`. */
export function percentileDifferenceInterval(
  baseline: LatencyDistribution,
  current: LatencyDistribution,
  p: number,
  options: BootstrapOptions,
): Interval {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const draw = betaSampler(mulberry32(options.seed));
  const resampled = (d: LatencyDistribution) => {
    const k = rankOf(p, d.total);
    return valueAtRank(d, Math.ceil(draw(k, d.total + 1 - k) * d.total));
  };
  const diffs = new Float64Array(resamples);
  for (let i = 0; i < resamples; i++) diffs[i] = resampled(current) - resampled(baseline);
  diffs.sort();
  const tail = (1 - confidence) / 2;
  const at = (q: number) => diffs[Math.min(resamples - 1, Math.max(0, Math.floor(q * resamples)))] as number;
  return { low: at(tail), high: at(1 - tail) };
}

/** Beta(a, b) draws from a uniform source, as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function betaSampler(uniform: () => number): (a: number, b: number) => number {
  let spare: number | undefined;
  const normal = (): number => {
    // Box-Muller, keeping the second value of each pair.
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(1 - uniform()));
    const t = 2 * Math.PI * uniform();
    spare = r * Math.sin(t);
    return r * Math.cos(t);
  };
  // Marsaglia and Tsang (2000), for shape >= 1: the only shapes a rank k >= 1 of n gives.
  const gamma = (shape: number): number => {
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      if (Math.log(uniform()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  return (a, b) => {
    const x = gamma(a);
    return x / (x + gamma(b));
  };
}
