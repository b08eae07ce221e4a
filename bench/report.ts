// `npm run bench report`: does report generation cost grow with the length of the run?
//   growth1Mvs100k  time to render index.html + junit.xml + summary.md from a synthetic result
//                   of 1,000,000 recorded requests over one of 100,000 (goal <= 1.3)
//   ms100k, ms1M    the two median times; bytes / bytes100k the index.html sizes
// Both results come from the same generator at 1,000 req/s (so 100 vs 1,000 timeline rows, one
// per second) and both hit the same 10,000 flagged-request cap (10% of requests flagged, the
// rest only counted): what result.json bounds stays bounded, what grows is the timeline.
// Sizes are measured side by side, alternating, medians of several rounds.
import { performance } from 'node:perf_hooks';
import { renderJunit } from '../src/report/junit.js';
import { renderHtml } from '../src/report/render-html.js';
import { renderSummaryMd } from '../src/report/summary-md.js';
import type { FlaggedRequest, FlagLevel, RunResult, ServerEvent } from '../src/result/types.js';

export interface SyntheticOptions {
  requests: number;
  /** Requests per second: sets the number of timeline rows. Default 1,000. */
  rps?: number;
  /** Kept flagged requests (the recorder's cap). Default 10,000. */
  flaggedCap?: number;
}

const ENDPOINTS = [
  'GET /api/movies',
  'GET /api/movies/{id}',
  'GET /api/search',
  'POST /api/import',
  'GET /healthz',
];
const T0 = Date.parse('2026-11-24T15:00:00.000Z');

/** A plausible incident-shaped result of the given size; deterministic (no Math.random). */
export function syntheticResult(options: SyntheticOptions): RunResult {
  const rps = options.rps ?? 1_000;
  const cap = options.flaggedCap ?? 10_000;
  const seconds = Math.ceil(options.requests / rps);
  const timeoutMs = 30_000;
  const flaggedCount = Math.round(options.requests * 0.1);
  const timeline = Array.from({ length: seconds }, (_, t) => ({
    t,
    rps,
    errors: t % 97 === 0 ? 3 : 0,
    p50: 40 + (t % 7),
    p99: 180 + ((t * 13) % 50),
    max: t % 50 === 0 ? 31_000 : 16_000 + ((t * 37) % 9_000),
  }));
  const events: ServerEvent[] = [];
  for (let t = 25; t < seconds; t += 100) {
    const at = new Date(T0 + t * 1_000).toISOString();
    const stamp = at.slice(0, 19).replace('T', ' ');
    events.push(
      {
        at,
        kind: 'worker-timeout',
        pid: 100 + t,
        line: `[${stamp} +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:${100 + t})`,
      },
      {
        at,
        kind: 'worker-boot',
        pid: 200 + t,
        line: `[${stamp} +0000] [${200 + t}] [INFO] Booting worker with pid: ${200 + t}`,
      },
    );
  }
  const flagged: FlaggedRequest[] = [];
  const kept = Math.min(cap, flaggedCount);
  for (let i = 0; i < kept; i++) {
    const latencyMs = 15_000 + ((i * 7919) % 16_000);
    const level: FlagLevel =
      latencyMs >= timeoutMs ? 'killed' : latencyMs >= 24_000 ? 'critical' : 'approaching';
    const event = level === 'killed' ? events[(i % Math.max(1, events.length / 2)) * 2] : undefined;
    flagged.push({
      at: new Date(T0 + (i * seconds * 1_000) / kept).toISOString(),
      endpoint: ENDPOINTS[i % ENDPOINTS.length]!,
      method: i % ENDPOINTS.length === 3 ? 'POST' : 'GET',
      path: `/api/movies/${1000 + (i % 5000)}?page=${i % 50}`,
      latencyMs,
      ...(level === 'killed' ? { error: 'ECONNRESET' } : { status: 200 }),
      level,
      ratio: latencyMs / timeoutMs,
      ...(event ? { serverEvent: event } : {}),
    });
  }
  const perLevel = { approaching: 0, critical: 0, killed: 0 };
  for (const f of flagged) perLevel[f.level] += 1;
  const scale = flaggedCount / Math.max(1, kept);
  const latency = { p50: 42, p90: 120, p95: 190, p99: 16_000, max: 31_000, mean: 900 };
  return {
    schemaVersion: 1,
    runId: `bench-${options.requests}`,
    startedAt: new Date(T0 - 5_000).toISOString(),
    finishedAt: new Date(T0 + seconds * 1_000 + 3_000).toISOString(),
    trafficStartedAt: new Date(T0).toISOString(),
    status: 'failed',
    scenario: { name: 'bench', file: 'scenarios/bench.yaml' },
    target: {
      mode: 'containers',
      baseUrl: 'http://127.0.0.1:32771',
      image: 'localmovies:incident',
      server: {
        kind: 'gunicorn',
        timeoutS: 30,
        timeoutSource: 'server-default',
        workers: 3,
        workerClass: 'sync',
      },
    },
    requests: {
      total: options.requests,
      ok: options.requests - Math.round(options.requests * 0.001),
      errors: Math.round(options.requests * 0.001),
      byEndpoint: ENDPOINTS.map((name) => ({
        name,
        method: name.split(' ')[0]!,
        path: name.split(' ')[1]!,
        count: Math.round(options.requests / ENDPOINTS.length),
        errors: Math.round(options.requests / ENDPOINTS.length / 1000),
        statusCodes: { '200': Math.round(options.requests / ENDPOINTS.length), 'error:ECONNRESET': 1 },
        latencyMs: latency,
      })),
    },
    timeline,
    flagged,
    flaggedDropped: flaggedCount - kept,
    flaggedTotal: {
      approaching: Math.round(perLevel.approaching * scale),
      critical: Math.round(perLevel.critical * scale),
      killed: Math.round(perLevel.killed * scale),
    },
    serverEvents: events,
    mocks: [
      {
        name: 'tmdb',
        calls: options.requests / 10,
        byRoute: [
          {
            route: '/3/movie/popular',
            method: 'GET',
            calls: options.requests / 10,
            statusCodes: { '200': 1 },
          },
        ],
        latencyMs: { p50: 400, p90: 1_200, p95: 1_300, p99: 1_500, max: 1_600, mean: 600 },
        faults: { rateLimit: 10, errors: 5 },
      },
    ],
    integrity: [{ name: 'every served movie stored', passed: false, expected: '600', actual: '580' }],
    findings: [
      {
        severity: 'fail',
        code: 'worker-timeout',
        title: `${events.length / 2} worker timeouts`,
        detail: 'WORKER TIMEOUT',
      },
      {
        severity: 'warn',
        code: 'approaching-requests',
        title: 'requests approaching the timeout',
        detail: '',
      },
    ],
    budgets: { warnAt: 0.5, criticalAt: 0.8, workerTimeouts: 0, errorRate: 0.01 },
    histogram: [50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 20_000, 30_000, 60_000].map((leMs, i) => ({
      leMs,
      count: Math.round(options.requests / 2 ** (i + 1)),
    })),
  };
}

async function renderAll(result: RunResult): Promise<number> {
  const html = await renderHtml(result);
  renderJunit(result);
  renderSummaryMd(result);
  return Buffer.byteLength(html);
}

async function timed(result: RunResult): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  const bytes = await renderAll(result);
  return { ms: performance.now() - start, bytes };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchReport(options: { rounds?: number } = {}): Promise<Record<string, number>> {
  const rounds = options.rounds ?? 7;
  const small = syntheticResult({ requests: 100_000 });
  const large = syntheticResult({ requests: 1_000_000 });
  // Warm up: template compile, asset reads, JIT.
  for (let i = 0; i < 2; i++) {
    await renderAll(small);
    await renderAll(large);
  }
  const a: number[] = [];
  const b: number[] = [];
  let bytes100k = 0;
  let bytes1M = 0;
  for (let i = 0; i < rounds; i++) {
    // Alternate which goes first so drift on a shared machine hits both alike.
    const order = i % 2 === 0 ? [small, large] : [large, small];
    for (const r of order) {
      (globalThis as { gc?: () => void }).gc?.();
      const { ms, bytes } = await timed(r);
      if (r === small) {
        a.push(ms);
        bytes100k = bytes;
      } else {
        b.push(ms);
        bytes1M = bytes;
      }
    }
  }
  const ms100k = median(a);
  const ms1M = median(b);
  return { growth1Mvs100k: ms1M / ms100k, ms100k, ms1M, bytes: bytes1M, bytes100k };
}
