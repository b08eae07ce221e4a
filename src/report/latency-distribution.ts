// One endpoint's latencies as a sorted list of (value, count) steps, read back from result.json's
// `histograms` (HDR histograms, microseconds, compressed base64), so `compare` can resample them.
// The key of an endpoint is `group/name` (phase or flow, then the request or step name).
import * as hdr from 'hdr-histogram-js';
import type { EndpointStats } from '../result/types.js';

/** Latencies of one endpoint: distinct values (ms, ascending) and the running count up to each. */
export interface LatencyDistribution {
  valuesMs: Float64Array;
  /** cumulative[i] = number of samples <= valuesMs[i]. */
  cumulative: Float64Array;
  total: number;
}

/** `browse/GET /api/movies`: how result.json's `histograms` names an endpoint. */
export function histogramKey(e: Pick<EndpointStats, 'group' | 'name'>): string {
  return e.group === undefined ? e.name : `${e.group}/${e.name}`;
}

/** Decodes one HDR compressed-base64 histogram; throws on anything that is not one. */
export function decodeHistogram(encoded: string): hdr.JsHistogram {
  // The JS implementation (not WebAssembly): it is the one whose recorded values can be walked.
  const h = hdr.decodeFromCompressedBase64(encoded, 32, false);
  if (!(h instanceof hdr.JsHistogram)) throw new Error('not a JS histogram');
  return h;
}

export function distributionOf(encoded: string): LatencyDistribution {
  const h = decodeHistogram(encoded);
  const values: number[] = [];
  const cumulative: number[] = [];
  const it = h.recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const step = it.next();
    // HDR reports a bucket by its highest equivalent value, as getValueAtPercentile does.
    values.push(step.valueIteratedTo / 1000);
    cumulative.push(step.totalCountToThisValue);
  }
  return {
    valuesMs: Float64Array.from(values),
    cumulative: Float64Array.from(cumulative),
    total: h.totalCount,
  };
}

/** The value of the sample at 1-based `rank` in sorted order (binary search over the steps). */
export function valueAtRank(d: LatencyDistribution, rank: number): number {
  const r = Math.min(Math.max(1, rank), d.total);
  let lo = 0;
  let hi = d.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((d.cumulative[mid] as number) >= r) hi = mid;
    else lo = mid + 1;
  }
  return d.valuesMs[lo] ?? 0;
}

/** The rank of percentile `p` (0..100) among `n` samples: the nearest-rank definition. */
export function rankOf(p: number, n: number): number {
  return Math.max(1, Math.ceil((p / 100) * n));
}
