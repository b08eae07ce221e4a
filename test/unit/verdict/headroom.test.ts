// The margin of every run: the slowest request's headroom against the deadline in words, and
// where its work grows with its calls to a mock (pages of TMDB inside its time window) a
// projection of how many calls fit before the deadline.
import { describe, expect, it } from 'vitest';
import { formatConsoleSummary } from '../../../src/report/console-summary.js';
import { renderSummaryMd } from '../../../src/report/summary-md.js';
import type { FlaggedRequest, RunResult } from '../../../src/result/types.js';
import { assembleResult } from '../../../src/run/assemble-result.js';
import { parseScenario } from '../../../src/scenario/load-scenario.js';
import { headroom } from '../../../src/verdict/headroom.js';
import { judge } from '../../../src/verdict/judge.js';
import type { MockCall } from '../../../src/verdict/types.js';
import { slowestWork } from '../../../src/verdict/worker-time.js';

const START = Date.parse('2026-11-24T15:45:04.000Z');

function importRequest(over: Partial<FlaggedRequest> = {}): FlaggedRequest {
  return {
    at: new Date(START).toISOString(),
    endpoint: 'import all pages',
    method: 'POST',
    path: '/api/import',
    latencyMs: 4_300,
    workerMs: 4_100,
    latencyBasis: 'worker',
    status: 200,
    level: 'approaching',
    ratio: 0.41,
    ...over,
  };
}

/** `n` page calls to the tmdb mock, `everyMs` apart, from `START + 50 ms`. */
function pages(n: number, everyMs: number): MockCall[] {
  return Array.from({ length: n }, (_, i) => ({
    mock: 'tmdb',
    route: '/3/movie/popular',
    query: `api_key=[redacted]&page=${i + 1}`,
    startedAt: START + 50 + i * everyMs,
  }));
}

const slowest = (f: FlaggedRequest, deadlineMs: number, workerTimeouts = 0) =>
  slowestWork({ flagged: [f], workerTimeouts, timeoutMs: deadlineMs, endpointMaxMs: 0 });

describe('headroom', () => {
  it('states the slowest request against the deadline and projects the pages that fit', () => {
    // Calls of another request outside the window, and of another mock, do not count.
    const calls = [
      ...pages(20, 205),
      { mock: 'tmdb', route: '/3/movie/:id', query: '', startedAt: START + 9_000 },
    ];
    const h = headroom({ slowest: slowest(importRequest(), 10_000), deadlineMs: 10_000, mockCalls: calls })!;
    expect(h).toMatchObject({
      slowestMs: 4100,
      basis: 'worker',
      deadlineMs: 10_000,
      ratio: 0.41,
      headroomMs: 5900,
    });
    expect(h.summary).toBe(
      'The slowest request (POST /api/import (import all pages)) spent 4.1 s in a worker: 41% of the 10 s deadline, 5.9 s of headroom (it may take 2.4x as long before it is cut off).',
    );
    expect(h.projection).toEqual({
      mock: 'tmdb',
      unit: 'page',
      calls: 20,
      msPerCall: 205,
      fit: 48,
      words:
        'Its 20 pages from the tmdb mock took 4.1 s, 205 ms a page: past about 48 pages the worker is killed (a projection at that pace).',
    });
  });

  it('500 pages in 29 s under a 30 s timeout: past about 517 the worker is killed', () => {
    const f = importRequest({ latencyMs: 29_100, workerMs: 29_000 });
    const h = headroom({ slowest: slowest(f, 30_000), deadlineMs: 30_000, mockCalls: pages(500, 58) })!;
    expect(h.projection).toMatchObject({ calls: 500, msPerCall: 58, fit: 517 });
    expect(h.projection!.words).toMatch(
      /^Its 500 pages from the tmdb mock took 29 s, 58 ms a page: past about 517 pages/,
    );
  });

  it('a killed request has no headroom: how many pages it got through before the deadline', () => {
    const f = importRequest({
      latencyMs: 10_600,
      workerMs: undefined,
      latencyBasis: undefined,
      level: 'killed',
    });
    const h = headroom({ slowest: slowest(f, 10_000, 1), deadlineMs: 10_000, mockCalls: pages(24, 410) })!;
    expect(h).toMatchObject({ cutShort: true, headroomMs: 0, ratio: 1 });
    expect(h.summary).toMatch(/was cut off at the 10 s deadline: no headroom/);
    expect(h.projection!.words).toMatch(
      /had fetched 24 pages .* when it was cut off at 10 s, 417 ms a page: about 24 fit/,
    );
  });

  it('client latency is labelled, few calls give no projection, no timeout is said', () => {
    const f = importRequest({ workerMs: undefined, latencyBasis: undefined });
    const h = headroom({ slowest: slowest(f, 10_000), deadlineMs: 10_000, mockCalls: pages(2, 100) })!;
    expect(h.summary).toMatch(/took 4.3 s of client latency \(time queued for a worker included\): 43%/);
    expect(h.projection).toBeUndefined();
    expect(headroom({ slowest: slowest(f, 0), deadlineMs: 0 })!.summary).toMatch(/the server has no timeout/);
    expect(headroom({ deadlineMs: 10_000 })).toBeUndefined();
    // Nothing flagged: the slowest endpoint is named, and without a time window there is no projection.
    const unflagged = slowestWork({
      flagged: [],
      workerTimeouts: 0,
      timeoutMs: 30_000,
      endpointMaxMs: 7_700,
    });
    const u = headroom({
      slowest: unflagged,
      deadlineMs: 30_000,
      slowestEndpoint: 'import all pages',
      mockCalls: pages(20, 300),
    })!;
    expect(u.summary).toMatch(
      /^The slowest request \(import all pages\) took 7.7 s of client latency .*: 26% of the 30 s deadline/,
    );
    expect(u.projection).toBeUndefined();
  });
});

describe('headroom in every run', () => {
  it('judge states it for a passing run; result.json, the console and summary.md carry it', () => {
    const scenario = parseScenario('name: imp\n', 'imp.yaml');
    const server = { kind: 'gunicorn', timeoutS: 10, timeoutSource: 'scenario' as const };
    const flagged = [importRequest()];
    const requests: RunResult['requests'] = { total: 1, ok: 1, errors: 0, byEndpoint: [] };
    const verdict = judge({
      scenario,
      server,
      requests,
      flagged,
      flaggedTotal: { approaching: 1, critical: 0, killed: 0 },
      serverEvents: [],
      integrity: [],
      mockCalls: pages(20, 205),
    });
    expect(verdict.status).toBe('passed');
    expect(verdict.headroom?.projection?.fit).toBe(48);
    const result = assembleResult({
      runId: 'r1',
      startedAt: new Date(START),
      finishedAt: new Date(START + 6_000),
      scenario,
      mode: 'url',
      baseUrl: 'http://127.0.0.1:1',
      server,
      correlation: { flagged },
      serverEvents: [],
      mocks: [],
      integrity: [],
      verdict,
      status: verdict.status,
    });
    expect(result.headroom).toEqual(verdict.headroom);
    const console = formatConsoleSummary(result, { color: false });
    expect(console).toContain(
      '  headroom  The slowest request (POST /api/import (import all pages)) spent 4.1 s',
    );
    expect(console).toContain('past about 48 pages the worker is killed');
    expect(renderSummaryMd(result)).toMatch(/\| headroom \| The slowest request .*past about 48 pages/);
  });
});
