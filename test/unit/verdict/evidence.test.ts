// Findings speak only from their own evidence: `partial-import` (and its TMDB/Django advice) only
// for a killed request that was writing plus a check that found some rows but not all; a number in
// timeout advice comes from time in the worker when the server's log gave it, with the margin
// said, and is labelled client latency otherwise; no "raise --timeout" when the time was queueing.
import { describe, expect, it } from 'vitest';
import type {
  FlaggedRequest,
  IntegrityResult,
  ServerConfig,
  ServerEvent,
} from '../../../src/result/types.js';
import { defaultBudgets } from '../../../src/scenario/defaults.js';
import { type JudgeInput, judge, type MockCall } from '../../../src/verdict/judge.js';

const budgets = defaultBudgets();
const gunicorn = (timeoutS: number, over: Partial<ServerConfig> = {}): ServerConfig => ({
  kind: 'gunicorn',
  timeoutS,
  timeoutSource: 'image',
  workers: 1,
  workerClass: 'sync',
  ...over,
});

function input(over: Partial<JudgeInput> = {}): JudgeInput {
  const flagged = over.flagged ?? [];
  const count = (level: FlaggedRequest['level']) => flagged.filter((f) => f.level === level).length;
  return {
    scenario: { budgets },
    server: gunicorn(30),
    requests: { total: 400, ok: 400, errors: 0, byEndpoint: [] },
    flagged,
    flaggedTotal: { approaching: count('approaching'), critical: count('critical'), killed: count('killed') },
    serverEvents: [],
    integrity: [],
    ...over,
  };
}

const codes = (v: ReturnType<typeof judge>) => v.findings.map((f) => f.code);
const finding = (v: ReturnType<typeof judge>, code: string) => v.findings.find((f) => f.code === code)!;
const allText = (v: ReturnType<typeof judge>) =>
  v.findings.map((f) => `${f.title}\n${f.detail}\n${f.advice ?? ''}`).join('\n');

/** A row count that found some rows, not all: what a throughput shortfall and a cut-short write both give. */
const shortCount: IntegrityResult = {
  name: 'one review stored per POST',
  passed: false,
  expected: '400',
  actual: '212',
  detail: 'expected 400, got 212',
  kind: 'partial',
  origin: 'scenario',
};

const timeoutAt = (at: string, pid = 9, path?: string): ServerEvent => ({
  at,
  kind: 'worker-timeout',
  pid,
  line: `[${at.slice(0, 10)} ${at.slice(11, 19)} +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:${pid})`,
  ...(path ? { path } : {}),
});

function killed(over: Partial<FlaggedRequest> & Pick<FlaggedRequest, 'method' | 'path'>): FlaggedRequest {
  return {
    at: '2026-12-01T10:00:00.000Z',
    endpoint: `${over.method} ${over.path}`,
    latencyMs: 30_600,
    error: 'ECONNRESET',
    level: 'killed',
    ratio: 1.02,
    ...over,
  };
}

const call = (mock: string, route: string, query: string, atMs: number): MockCall => ({
  mock,
  route,
  query,
  startedAt: atMs,
});
const t0 = Date.parse('2026-12-01T10:00:00.000Z');

describe('partial-import only from its own evidence', () => {
  it('a row count short for lack of throughput, with a worker timeout tied to no request: no partial-import', () => {
    // The real-app case: nothing imports; a worker was killed (no request of the run tied to it)
    // while the POSTs queued; the count is short because too few POSTs got through.
    const v = judge(
      input({
        integrity: [shortCount],
        serverEvents: [timeoutAt('2026-12-01T10:00:31.000Z')],
      }),
    );
    expect(codes(v)).toContain('integrity-failed');
    expect(codes(v)).not.toContain('partial-import');
    expect(allText(v)).not.toMatch(/transaction\.atomic|TMDB|page per job|import/i);
    expect(finding(v, 'integrity-failed').detail).toContain('no request of this run is tied to it');
  });

  it('a killed read (GET, no mock called while it ran) and a short count: no partial-import', () => {
    const v = judge(
      input({
        integrity: [shortCount],
        flagged: [killed({ method: 'GET', path: '/api/reviews?page=3' })],
        mockCalls: [call('tmdb', '/3/movie/popular', 'page=1', t0 - 5_000)],
      }),
    );
    expect(codes(v)).not.toContain('partial-import');
    expect(finding(v, 'integrity-failed').detail).toContain(
      'GET /api/reviews?page=3 was killed, but nothing shows it writing',
    );
  });

  it('no kill at all: the short count says no kill cut the writes short (never a partial-import)', () => {
    const v = judge(input({ integrity: [shortCount] }));
    expect(codes(v)).not.toContain('partial-import');
    expect(finding(v, 'integrity-failed').detail).toContain(
      'No request was killed in this run (400 requests sent, 0 failed)',
    );
  });

  it('a count of zero is not a partial write, even after a killed POST', () => {
    const none = { ...shortCount, actual: '0', detail: 'expected 400, got 0', kind: 'none' as const };
    const v = judge(
      input({ integrity: [none], flagged: [killed({ method: 'POST', path: '/api/reviews' })] }),
    );
    expect(codes(v)).not.toContain('partial-import');
  });

  it('a killed request during which the app called a mock, and a short count: partial-import, generic advice', () => {
    const v = judge(
      input({
        integrity: [shortCount],
        flagged: [killed({ method: 'POST', path: '/api/orders/sync' })],
        mockCalls: [
          call('payments', '/v1/charges', 'limit=100', t0 + 1_000),
          call('payments', '/v1/charges', 'limit=100&after=ch_9', t0 + 9_000),
          call('payments', '/v1/charges', 'limit=100', t0 + 40_000), // after the kill: not counted
        ],
      }),
    );
    const f = finding(v, 'partial-import');
    expect(f.severity).toBe('fail');
    expect(f.title).toBe('Partial write: the killed request left some of its rows behind');
    expect(f.detail).toContain('POST /api/orders/sync was killed after 30.6 s');
    expect(f.detail).toContain('while it ran, the app called the payments mock 2 times');
    expect(f.detail).toContain('"one review stored per POST": expected 400, got 212');
    expect(f.advice).toContain('one database transaction so a kill rolls them back');
    // No TMDB mock, no pages: none of the sample app's shape.
    expect(`${f.title} ${f.detail} ${f.advice}`).not.toMatch(
      /TMDB|tmdb|page|transaction\.atomic|Django|import/,
    );
  });

  it('a killed POST with no mock calls is evidence of writing by its method alone', () => {
    const v = judge(
      input({ integrity: [shortCount], flagged: [killed({ method: 'POST', path: '/api/reviews/bulk' })] }),
    );
    expect(finding(v, 'partial-import').detail).toContain('it is a POST, a method that writes');
  });

  it('a killed import that fetched TMDB pages: partial-import with the pages and the transaction/page-per-job advice', () => {
    const pages = Array.from({ length: 12 }, (_, i) =>
      call('tmdb', '/3/movie/popular', `language=en-US&page=${i + 1}&api_key=***`, t0 + 500 + i * 2_400),
    );
    const v = judge(
      input({
        integrity: [
          {
            ...shortCount,
            name: 'the import stored the whole TMDB dataset',
            expected: '2000',
            actual: '240',
            detail: 'expected 2000, got 240',
          },
        ],
        flagged: [
          killed({
            method: 'POST',
            path: '/api/import',
            endpoint: 'import all pages',
            serverEvent: timeoutAt('2026-12-01T10:00:30.100Z'),
          }),
        ],
        serverEvents: [timeoutAt('2026-12-01T10:00:30.100Z')],
        mockCalls: pages,
      }),
    );
    const f = finding(v, 'partial-import');
    expect(f.title).toBe('Partial import: the killed request left some of its rows behind');
    expect(f.detail).toContain(
      'POST /api/import (import all pages) was killed after 30.6 s by a worker timeout at 10:00:30',
    );
    expect(f.detail).toContain('the app fetched 12 pages (1–12) from the tmdb mock');
    expect(f.advice).toMatch(/transaction\.atomic\(\)/);
    expect(f.advice).toMatch(/one page per job/);
  });

  it('a worker timeout naming the path (gunicorn >= 22) ties the kill to a request the client saw answered', () => {
    const event = timeoutAt('2026-12-01T10:00:30.000Z', 9, '/api/orders/sync');
    const v = judge(
      input({
        integrity: [shortCount],
        serverEvents: [event],
        mockCalls: [call('payments', '/v1/charges', 'limit=100', t0 + 4_000)],
      }),
    );
    expect(finding(v, 'partial-import').detail).toContain(
      "The request /api/orders/sync (named in the server's log) was killed at 10:00:30",
    );
  });
});

describe('a recommended --timeout comes from time in the worker, with the margin said', () => {
  const critical = (over: Partial<FlaggedRequest>): FlaggedRequest => ({
    at: '2026-12-01T10:00:05.000Z',
    endpoint: 'POST /api/reviews',
    method: 'POST',
    path: '/api/reviews',
    latencyMs: 9_100,
    status: 201,
    level: 'critical',
    ratio: 0.886,
    ...over,
  });
  const endpointMax = (maxMs: number) => ({
    total: 40,
    ok: 40,
    errors: 0,
    byEndpoint: [
      {
        name: 'POST /api/reviews',
        method: 'POST',
        path: '/api/reviews',
        count: 40,
        errors: 0,
        statusCodes: { '201': 40 },
        latencyMs: { p50: 900, p90: 5_000, p95: 8_000, p99: 9_000, max: maxMs, mean: 2_000 },
      },
    ],
  });

  it('from workerMs: "spent 6.2 s in a worker; --timeout 10 leaves a 1.5x margin", not from the 9.1 s client latency', () => {
    const v = judge(
      input({
        server: gunicorn(7),
        requests: endpointMax(9_100),
        flagged: [critical({ workerMs: 6_200, queueMs: 2_900, latencyBasis: 'worker' })],
      }),
    );
    const f = finding(v, 'critical-requests');
    expect(f.detail).toBe('Slowest: POST /api/reviews spent 6.2 s in a worker (89% of the timeout).');
    expect(f.advice).toContain('the slowest request spent 6.2 s in a worker');
    expect(f.advice).toContain(
      'As a stopgap, --timeout 10 leaves a 1.5x margin over the 6.2 s the slowest request spent in a worker.',
    );
    expect(f.advice).not.toContain('9.1 s');
    expect(f.advice).not.toContain('--timeout 14');
  });

  it('from client latency only: the number is labelled as client latency, queueing included', () => {
    const v = judge(
      input({
        server: gunicorn(7),
        requests: endpointMax(6_600),
        flagged: [critical({ latencyMs: 6_600, ratio: 0.943, latencyBasis: 'client' })],
      }),
    );
    const f = finding(v, 'critical-requests');
    expect(f.detail).toBe('Slowest: POST /api/reviews took 6.6 s (client latency, 94% of the timeout).');
    expect(f.advice).toContain(
      "--timeout 10 leaves a 1.5x margin over the slowest request's 6.6 s of client latency, which includes time queued for a worker",
    );
  });

  it('a request that waited for a worker, not in one, gets no "raise --timeout" advice', () => {
    // The real-app case: 201 after 6.6 s under --timeout 3, of which 1 s in the worker.
    const v = judge(
      input({
        server: gunicorn(3),
        requests: endpointMax(6_600),
        flagged: [
          critical({ latencyMs: 6_600, ratio: 2.2, workerMs: 1_000, queueMs: 5_600, latencyBasis: 'worker' }),
        ],
      }),
    );
    const advice = finding(v, 'critical-requests').advice!;
    expect(advice).toContain('spent only 1 s of its 6.6 s in a worker');
    expect(advice).toContain('a longer --timeout is no fix');
    expect(advice).not.toMatch(/--timeout \d/);
  });

  it('a kill by the worker timeout: the floor is 1.5x the timeout the work ran in the worker, said to be a floor', () => {
    const v = judge(
      input({
        flagged: [
          killed({ method: 'POST', path: '/api/import', serverEvent: timeoutAt('2026-12-01T10:00:30.100Z') }),
        ],
        serverEvents: [timeoutAt('2026-12-01T10:00:30.100Z')],
      }),
    );
    const advice = finding(v, 'worker-timeout').advice!;
    expect(advice).toContain(
      'set --timeout to at least 45: 1.5x the 30 s the work had run in a worker when it was killed',
    );
    expect(advice).toContain('a floor, not a fit');
  });

  it('a request killed with no server log: client latency, said so', () => {
    const v = judge(input({ flagged: [killed({ method: 'POST', path: '/api/import' })] }));
    const f = finding(v, 'killed-requests');
    expect(f.title).toBe('1 request with no response at or past the 30 s timeout (killed)');
    expect(f.detail).toContain('after 30.6 s (client latency; no server log line ties it to a kill)');
    expect(f.advice).toContain('30.6 s of client latency (which includes time queued for a worker)');
  });

  it('--graceful-timeout and the sync-worker note use time in the worker, not queue-inflated latency', () => {
    const v = judge(
      input({
        server: gunicorn(60, { workers: 3, gracefulTimeoutS: 30 }),
        flagged: [
          critical({
            latencyMs: 50_000,
            ratio: 0.83,
            workerMs: 9_000,
            queueMs: 41_000,
            latencyBasis: 'worker',
          }),
        ],
      }),
    );
    expect(codes(v)).not.toContain('graceful-timeout');
    expect(finding(v, 'sync-worker-long-requests').detail).toContain(
      'the slowest request spent 9 s in a worker',
    );
  });

  it('workers vs cores says what was seen (slow requests), not that requests queued', () => {
    const v = judge(
      input({
        cores: 2,
        server: gunicorn(30, { workers: 3 }),
        flagged: [critical({ latencyMs: 16_000, level: 'approaching', ratio: 0.53 })],
      }),
    );
    const f = finding(v, 'workers-vs-cores');
    expect(f.detail).toContain('1 request ran at or past 50% of the timeout');
    expect(f.detail).not.toMatch(/queued/);
  });
});
