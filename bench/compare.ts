// `npm run bench compare`: how often does `compare` cry wolf, and does it still see a slowdown?
// Pure statistics on simulated runs (no timing, so the figures are the same on any machine):
// 50 pairs of runs of one endpoint whose latencies are log-normal (median 40 ms, a long tail),
// each pair from different seeds.
//   falseAlarmsTolerance   share of same-load pairs the 10 % tolerance alone calls a p95/p99
//                          regression or improvement (what `compare` did before the noise test)
//   falseAlarms            the same pairs with the noise test (goal <= 0.05)
//   detected2x             share of pairs with the second run 2x slower that are regressions (goal 1)
//   detected1_2x           the same for 1.2x slower
import * as hdr from 'hdr-histogram-js';
import { compareResults } from '../src/report/compare.js';
import type { RunResult } from '../src/result/types.js';
import { mulberry32 } from '../src/util/seeded-random.js';

const PAIRS = 50;
/** 600 requests with σ = 1: a short smoke run, where the tail moves most between runs. */
const REQUESTS = 600;
const SIGMA = 1;

export async function benchCompare(): Promise<Record<string, number>> {
  let tolerance = 0;
  let noise = 0;
  let twice = 0;
  let fifth = 0;
  for (let seed = 1; seed <= PAIRS; seed++) {
    const a = latencies(seed);
    const b = latencies(seed + 1000);
    if (!compareResults(result(a, false), result(b, false)).ok) tolerance++;
    if (!compareResults(result(a, true), result(b, true)).ok) noise++;
    if (
      !compareResults(
        result(a, true),
        result(
          b.map((v) => v * 2),
          true,
        ),
      ).ok
    )
      twice++;
    if (
      !compareResults(
        result(a, true),
        result(
          b.map((v) => v * 1.2),
          true,
        ),
      ).ok
    )
      fifth++;
  }
  return {
    falseAlarmsTolerance: tolerance / PAIRS,
    falseAlarms: noise / PAIRS,
    detected2x: twice / PAIRS,
    detected1_2x: fifth / PAIRS,
  };
}

function latencies(seed: number): number[] {
  const u = mulberry32(seed);
  return Array.from({ length: REQUESTS }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    return 40 * Math.exp(SIGMA * z);
  });
}

/** A minimal result of one endpoint (`browse/GET /api/movies`) that saw these latencies. */
function result(valuesMs: number[], withHistograms: boolean): RunResult {
  const sorted = [...valuesMs].sort((x, y) => x - y);
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  const h = hdr.build({
    numberOfSignificantValueDigits: 3,
    highestTrackableValue: 60_000_000,
    autoResize: true,
    useWebAssembly: false,
  });
  for (const v of valuesMs) h.recordValue(Math.max(1, Math.round(v * 1000)));
  const n = valuesMs.length;
  return {
    schemaVersion: 1,
    runId: 'bench',
    startedAt: '2026-12-01T00:00:00.000Z',
    finishedAt: '2026-12-01T00:01:00.000Z',
    status: 'passed',
    scenario: { name: 'bench', file: 'bench.yaml' },
    target: {
      mode: 'url',
      baseUrl: '',
      server: { kind: 'unknown', timeoutS: 30, timeoutSource: 'server-default' },
    },
    requests: {
      total: n,
      ok: n,
      errors: 0,
      byEndpoint: [
        {
          name: 'GET /api/movies',
          method: 'GET',
          path: '/api/movies',
          group: 'browse',
          count: n,
          errors: 0,
          statusCodes: { '200': n },
          latencyMs: { p50: at(50), p90: at(90), p95: at(95), p99: at(99), max: at(100), mean: 0 },
        },
      ],
    },
    ...(withHistograms
      ? { histograms: { 'browse/GET /api/movies': hdr.encodeIntoCompressedBase64(h) } }
      : {}),
    timeline: [],
    flagged: [],
    flaggedTotal: { approaching: 0, critical: 0, killed: 0 },
    serverEvents: [],
    mocks: [],
    integrity: [],
    findings: [],
  };
}
