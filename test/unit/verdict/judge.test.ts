import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type {
  EndpointStats,
  FlaggedRequest,
  IntegrityResult,
  ServerConfig,
  ServerEvent,
} from '../../../src/result/types.js';
import { defaultBudgets } from '../../../src/scenario/defaults.js';
import type { Budgets } from '../../../src/scenario/types.js';
import { type JudgeInput, judge } from '../../../src/verdict/judge.js';
import { suggestedTimeoutS } from '../../../src/verdict/worker-time.js';

const budgets: Budgets = defaultBudgets();
const gunicorn: ServerConfig = {
  kind: 'gunicorn',
  timeoutS: 30,
  timeoutSource: 'server-default',
  workers: 3,
  workerClass: 'sync',
  keepAliveS: 2,
  gracefulTimeoutS: 30,
};

function endpoint(name: string, over: Partial<EndpointStats> = {}): EndpointStats {
  return {
    name,
    method: 'GET',
    path: '/api/movies',
    group: 'browse',
    count: 100,
    errors: 0,
    statusCodes: { '200': 100 },
    latencyMs: { p50: 40, p90: 80, p95: 100, p99: 180, max: 240, mean: 50 },
    ...over,
  };
}

const timeoutEvent: ServerEvent = {
  at: '2026-11-24T15:45:35.000Z',
  kind: 'worker-timeout',
  pid: 9,
  line: '[2026-11-24 15:45:35 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:9)',
};

const killedImport: FlaggedRequest = {
  at: '2026-11-24T15:45:04.288Z',
  endpoint: 'import all pages',
  method: 'POST',
  path: '/api/import',
  latencyMs: 30_712,
  error: 'ECONNRESET',
  level: 'killed',
  ratio: 1.024,
  serverEvent: timeoutEvent,
};

function flag(level: FlaggedRequest['level'], latencyMs: number, path = '/api/movies/550'): FlaggedRequest {
  return {
    at: '2026-11-24T15:45:09.000Z',
    endpoint: 'detail',
    method: 'GET',
    path,
    latencyMs,
    status: 200,
    level,
    ratio: latencyMs / 30_000,
  };
}

function input(over: Partial<JudgeInput> = {}): JudgeInput {
  const flagged = over.flagged ?? [];
  const count = (level: FlaggedRequest['level']) => flagged.filter((f) => f.level === level).length;
  return {
    scenario: { budgets },
    server: gunicorn,
    requests: { total: 100, ok: 100, errors: 0, byEndpoint: [endpoint('browse movies')] },
    flagged,
    flaggedTotal: { approaching: count('approaching'), critical: count('critical'), killed: count('killed') },
    serverEvents: [],
    integrity: [],
    ...over,
  };
}

const codes = (v: ReturnType<typeof judge>) => v.findings.map((f) => f.code);
const finding = (v: ReturnType<typeof judge>, code: string) => v.findings.find((f) => f.code === code)!;
const withBudgets = (b: Partial<Budgets>) => ({ budgets: { ...budgets, ...b } });

describe('judge: a clean run', () => {
  it('passes with no findings, and its checks all pass', () => {
    const v = judge(input());
    expect(v.status).toBe('passed');
    expect(v.findings).toEqual([]);
    expect(v.checks.map((c) => c.name)).toEqual([
      'worker timeouts <= 0',
      'no request killed by the server',
      'no request at or above 80% of the server timeout',
      'error rate <= 1%',
    ]);
    expect(v.checks.every((c) => c.passed)).toBe(true);
  });
});

describe('judge: budgets', () => {
  it('an endpoint over its p99 and max budget fails once, naming both; each metric is a check', () => {
    const v = judge(
      input({
        scenario: withBudgets({ endpoints: { 'browse movies': { p99Ms: 150, maxMs: 200, p50Ms: 100 } } }),
      }),
    );
    expect(v.status).toBe('failed');
    expect(finding(v, 'endpoint-budget')).toMatchObject({
      severity: 'fail',
      title: 'browse movies: p99 180 ms over 150 ms (and 1 more)',
      detail: 'browse movies over its budget: p99 180 ms over 150 ms; max 240 ms over 200 ms (100 requests).',
    });
    expect(v.checks.filter((c) => c.name.startsWith('budget '))).toEqual([
      { name: 'budget browse movies p50 <= 100 ms', passed: true, message: 'p50 40 ms <= 100 ms' },
      { name: 'budget browse movies p99 <= 150 ms', passed: false, message: 'p99 180 ms > 150 ms' },
      { name: 'budget browse movies max <= 200 ms', passed: false, message: 'max 240 ms > 200 ms' },
    ]);
  });

  it('a budget may name a phase or flow (the recorder`s per-group stats)', () => {
    const v = judge(
      input({
        scenario: withBudgets({ endpoints: { browse: { p95Ms: 50 } } }),
        byGroup: [
          endpoint('browse', { latencyMs: { p50: 40, p90: 80, p95: 90, p99: 180, max: 240, mean: 50 } }),
        ],
      }),
    );
    expect(finding(v, 'endpoint-budget').title).toBe('browse: p95 90 ms over 50 ms');
  });

  it('a per-endpoint error rate budget', () => {
    const v = judge(
      input({
        scenario: withBudgets({ endpoints: { 'browse movies': { errorRate: 0.05 } }, errorRate: 1 }),
        requests: { total: 100, ok: 90, errors: 10, byEndpoint: [endpoint('browse movies', { errors: 10 })] },
      }),
    );
    expect(finding(v, 'endpoint-budget').detail).toContain('error rate 10% over 5%');
  });

  it('a budget for a name that sent nothing warns and its check is skipped', () => {
    const v = judge(input({ scenario: withBudgets({ endpoints: { checkout: { p99Ms: 100 } } }) }));
    expect(v.status).toBe('passed');
    expect(finding(v, 'budget-unused').severity).toBe('warn');
    expect(v.checks.find((c) => c.name === 'budget checkout')).toMatchObject({ skipped: true });
  });

  it('the overall error rate fails over budget, naming the worst endpoints and their codes', () => {
    const v = judge(
      input({
        requests: {
          total: 100,
          ok: 95,
          errors: 5,
          byEndpoint: [
            endpoint('browse movies', {
              errors: 5,
              statusCodes: { '200': 95, '502': 3, 'error:ECONNRESET': 2 },
            }),
          ],
        },
      }),
    );
    expect(finding(v, 'error-rate')).toMatchObject({
      severity: 'fail',
      title: 'Error rate 5% over the 1% budget',
      detail: '5 of 100 requests failed (5%); most: browse movies 5 (3× 502, 2× error:ECONNRESET).',
    });
    expect(v.checks.find((c) => c.name === 'error rate <= 1%')?.passed).toBe(false);
  });

  it('no requests at all is a warning, not a pass of every budget in silence', () => {
    const v = judge(input({ requests: { total: 0, ok: 0, errors: 0, byEndpoint: [] } }));
    expect(v.status).toBe('passed');
    expect(codes(v)).toEqual(['no-requests']);
  });
});

describe('judge: flag levels and the server', () => {
  it('a killed request fails, naming the request, the answer and the server event', () => {
    const v = judge(input({ flagged: [killedImport], serverEvents: [timeoutEvent] }));
    expect(v.status).toBe('failed');
    expect(finding(v, 'killed-requests')).toMatchObject({
      title: '1 request killed by the server',
      detail:
        'POST /api/import (import all pages) got no response (ECONNRESET) after 30.7 s: WORKER TIMEOUT (pid:9) at 15:45:35.',
    });
  });

  it('a killed request without any server log (a --url run) carries the timeout advice itself', () => {
    const noEvent = { ...killedImport, serverEvent: undefined };
    const v = judge(input({ flagged: [noEvent] }));
    expect(finding(v, 'killed-requests').advice).toMatch(/background job/);
  });

  it('critical requests fail by default and warn with failOnCritical: false', () => {
    const flagged = [flag('critical', 25_310)];
    const v = judge(input({ flagged }));
    expect(finding(v, 'critical-requests')).toMatchObject({
      severity: 'fail',
      title: '1 request at or above 80% of the 30 s timeout',
      detail: 'Slowest: GET /api/movies/550 (detail) took 25.3 s (client latency, 84% of the timeout).',
    });
    expect(finding(v, 'critical-requests').advice).toMatch(/--timeout 38/);
    const lenient = judge(input({ flagged, scenario: withBudgets({ failOnCritical: false }) }));
    expect(finding(lenient, 'critical-requests').severity).toBe('warn');
    expect(lenient.checks.find((c) => c.name.startsWith('no request at or above'))?.passed).toBe(true);
  });

  it('approaching requests only warn', () => {
    const v = judge(
      input({ flagged: [flag('approaching', 15_820), flag('approaching', 17_944, '/api/movies/1')] }),
    );
    expect(v.status).toBe('passed');
    expect(finding(v, 'approaching-requests')).toMatchObject({
      severity: 'warn',
      title: '2 requests at or above 50% of the 30 s timeout',
      detail:
        'Slowest: GET /api/movies/1 (detail) took 17.9 s (client latency, 60% of the timeout); then GET /api/movies/550 (detail) 15.8 s.',
    });
  });

  it('a worker timeout fails by default, with advice naming a background job and a --timeout number', () => {
    const v = judge(input({ flagged: [killedImport], serverEvents: [timeoutEvent] }));
    const f = finding(v, 'worker-timeout');
    expect(f).toMatchObject({
      severity: 'fail',
      title: '1 worker timeout: gunicorn killed a worker (allowed: 0)',
      detail: timeoutEvent.line,
    });
    expect(f.advice).toContain(
      "The server runs with gunicorn's default timeout of 30 s (nothing in the image sets --timeout)",
    );
    expect(f.advice).toContain(
      "the slowest request was killed after 30 s in a worker (the server's timeout)",
    );
    expect(f.advice).toMatch(/background job \(Celery or RQ\).*202 Accepted/);
    expect(f.advice).toContain('set --timeout to at least 45: 1.5x the 30 s the work had run in a worker');
    expect(v.findings[0]!.code).toBe('worker-timeout');
  });

  it('worker timeouts within the allowance only warn', () => {
    const v = judge(input({ scenario: withBudgets({ workerTimeouts: 1 }), serverEvents: [timeoutEvent] }));
    expect(finding(v, 'worker-timeout').severity).toBe('warn');
    expect(v.checks.find((c) => c.name === 'worker timeouts <= 1')?.passed).toBe(true);
  });

  it('a timeout no request matched is its own warning', () => {
    const v = judge(input({ serverEvents: [timeoutEvent] }));
    expect(finding(v, 'unmatched-timeout')).toMatchObject({
      severity: 'warn',
      title: '1 worker timeout matched no request of this run',
      detail: expect.stringMatching(/^WORKER TIMEOUT \(pid:9\) at 15:45:35: /),
    });
    const matched = judge(input({ flagged: [killedImport], serverEvents: [timeoutEvent] }));
    expect(codes(matched)).not.toContain('unmatched-timeout');
  });

  it('the timeout path the server logged is shown with the event', () => {
    const v = judge(input({ serverEvents: [{ ...timeoutEvent, path: '/api/import?pages=100' }] }));
    expect(finding(v, 'worker-timeout').detail).toContain('(request /api/import?pages=100)');
  });

  it('a worker SIGKILLed with no timeout before it warns of memory; the SIGKILL after a timeout does not', () => {
    const oom: ServerEvent = {
      at: '2026-11-24T15:50:00.000Z',
      kind: 'worker-killed',
      pid: 12,
      line: 'Worker (pid:12) was sent SIGKILL! Perhaps out of memory?',
    };
    const afterTimeout: ServerEvent = { ...oom, at: '2026-11-24T15:45:36.000Z', pid: 9 };
    const v = judge(
      input({
        serverEvents: [timeoutEvent, afterTimeout, oom],
        scenario: withBudgets({ workerTimeouts: 5 }),
      }),
    );
    expect(finding(v, 'worker-killed')).toMatchObject({
      severity: 'warn',
      title: '1 worker killed without a timeout (out of memory?)',
      detail: oom.line,
    });
  });

  it('errors in the server log warn, each distinct line once', () => {
    const err = (line: string): ServerEvent => ({ at: '2026-11-24T15:45:12.000Z', kind: 'error', line });
    const v = judge(
      input({
        serverEvents: [
          err("[2026-11-24 15:45:12 +0000] [10] [ERROR] Error handling request /x — KeyError: 'results'"),
          err("[2026-11-24 15:45:13 +0000] [11] [ERROR] Error handling request /x — KeyError: 'results'"),
        ],
      }),
    );
    expect(finding(v, 'server-errors')).toMatchObject({
      severity: 'warn',
      title: "2 errors in the server's log",
    });
    expect(finding(v, 'server-errors').detail.split('\n')).toHaveLength(1);
  });

  it('uWSGI: the advice names harakiri, the scenario`s timeout source is said', () => {
    const harakiri = { ...timeoutEvent, line: '*** HARAKIRI ON WORKER 1 (pid: 9, try: 1) ***' };
    const v = judge(
      input({
        server: { kind: 'uwsgi', timeoutS: 20, timeoutSource: 'scenario' },
        flagged: [{ ...killedImport, latencyMs: 20_400, serverEvent: harakiri }],
        serverEvents: [harakiri],
      }),
    );
    const f = finding(v, 'worker-timeout');
    expect(f.title).toBe('1 worker timeout: uwsgi killed a worker (allowed: 0)');
    expect(f.advice).toContain("The server's timeout is 20 s (from the scenario's server.timeout)");
    expect(f.advice).toContain('set harakiri to at least 30');
    expect(finding(v, 'killed-requests').detail).toContain('HARAKIRI ON WORKER 1 (pid: 9)');
  });
});

describe('judge: database and flows', () => {
  const partial: IntegrityResult = {
    name: 'every movie the TMDB mock served is stored',
    passed: false,
    expected: '600 served movies stored',
    actual: '580 of 600',
    detail: '580 of 600 served movies stored (20 missing, e.g. tmdb ids 581, 582, ...)',
    kind: 'partial',
    origin: 'reconcile',
  };
  const ok: IntegrityResult = { name: 'no duplicates', passed: true, expected: '0', actual: '0' };

  it('a failed check fails the run; each check is a JUnit case', () => {
    const v = judge(input({ integrity: [ok, partial] }));
    expect(finding(v, 'integrity-failed')).toMatchObject({
      severity: 'fail',
      title: '1 of 2 database checks failed',
      detail: `every movie the TMDB mock served is stored: ${partial.detail}\nNo request was killed in this run (100 requests sent, 0 failed), so no kill cut these writes short.`,
    });
    expect(v.checks.filter((c) => c.name.startsWith('integrity: ')).map((c) => c.passed)).toEqual([
      true,
      false,
    ]);
    expect(codes(v)).not.toContain('partial-import');
  });

  it('a failed check after a kill is a partial import, with the transaction and batching advice', () => {
    const v = judge(input({ integrity: [partial], flagged: [killedImport], serverEvents: [timeoutEvent] }));
    const f = finding(v, 'partial-import');
    expect(f.detail).toContain('580 of 600 served movies stored');
    expect(f.advice).toMatch(/transaction\.atomic\(\)/);
    expect(f.advice).toMatch(/bulk upserts/);
    expect(f.advice).toMatch(/one page per job/);
  });

  it('a failed flow fails the run, naming the step', () => {
    const v = judge(
      input({
        flowOutcomes: [
          {
            flow: 'import',
            ok: false,
            failedStep: 'import all pages',
            message: 'POST /api/import: no response (ECONNRESET) after 30.7 s',
          },
          { flow: 'browse', ok: true },
        ],
      }),
    );
    expect(finding(v, 'flow-failed')).toMatchObject({
      title: 'Flow import failed at step "import all pages"',
      detail: 'POST /api/import: no response (ECONNRESET) after 30.7 s',
    });
    expect(v.checks.filter((c) => c.name.startsWith('flow ')).map((c) => [c.name, c.passed])).toEqual([
      ['flow import', false],
      ['flow browse', true],
    ]);
  });

  it('a flow run in copies is one finding, saying how many runs failed; each run is a check', () => {
    const v = judge(
      input({
        flowOutcomes: [
          { flow: 'import', copy: 1, iteration: 1, ok: true },
          {
            flow: 'import',
            copy: 2,
            iteration: 1,
            ok: false,
            failedStep: 'poll',
            message: 'status stayed running for 10 min',
          },
        ],
      }),
    );
    expect(v.findings.filter((f) => f.code === 'flow-failed')).toEqual([
      {
        severity: 'fail',
        code: 'flow-failed',
        title: 'Flow import failed at step "poll" (1 of 2 runs)',
        detail: 'status stayed running for 10 min',
      },
    ]);
    expect(v.checks.filter((c) => c.name.startsWith('flow ')).map((c) => c.name)).toEqual([
      'flow import #1.1',
      'flow import #2.1',
    ]);
  });

  it('background work that did not settle warns', () => {
    const v = judge(
      input({ settle: { settled: false, waitedMs: 60_000, detail: 'the settle query returned false' } }),
    );
    expect(v.status).toBe('passed');
    expect(finding(v, 'not-settled')).toMatchObject({
      severity: 'warn',
      title: 'Background work had not settled after 1 min',
    });
  });
});

describe('judge: advice from the server configuration', () => {
  it('sync workers with long requests: gthread/gevent will not save CPU-bound work', () => {
    const v = judge(input({ flagged: [flag('critical', 25_000)] }));
    const f = finding(v, 'sync-worker-long-requests');
    expect(f.severity).toBe('info');
    expect(f.detail).toContain('gunicorn runs 3 sync workers');
    expect(f.advice).toMatch(/gthread or gevent.*will not save CPU-bound work/);
    expect(
      codes(
        judge(
          input({ server: { ...gunicorn, workerClass: 'gthread' }, flagged: [flag('critical', 25_000)] }),
        ),
      ),
    ).not.toContain('sync-worker-long-requests');
  });

  it('requests near --graceful-timeout are cut at every deploy', () => {
    const v = judge(input({ flagged: [flag('critical', 25_000)] }));
    expect(finding(v, 'graceful-timeout').detail).toContain('--graceful-timeout (30 s)');
    expect(codes(judge(input({ flagged: [flag('approaching', 16_000)] })))).not.toContain('graceful-timeout');
  });

  it('--keep-alive shorter than a load balancer idle timeout, for non-sync workers only', () => {
    const v = judge(input({ server: { ...gunicorn, workerClass: 'gthread', keepAliveS: 5 } }));
    expect(finding(v, 'keep-alive')).toMatchObject({
      severity: 'info',
      title: "--keep-alive 5 s is shorter than a load balancer's idle timeout",
      advice: expect.stringContaining('--keep-alive 65'),
    });
    expect(finding(v, 'keep-alive').detail).toContain('AWS ALB: 60 s');
    expect(codes(judge(input()))).not.toContain('keep-alive');
    expect(
      codes(judge(input({ server: { ...gunicorn, workerClass: 'gevent', keepAliveS: 75 } }))),
    ).not.toContain('keep-alive');
  });

  it('workers vs cores: too few under slow requests, far too many', () => {
    const few = judge(input({ cores: 2, flagged: [flag('approaching', 16_000)] }));
    expect(finding(few, 'workers-vs-cores')).toMatchObject({
      title: '3 workers on 2 cores',
      advice: expect.stringContaining('--workers 5'),
    });
    expect(codes(judge(input({ cores: 2 })))).not.toContain('workers-vs-cores');
    const many = judge(input({ cores: 2, server: { ...gunicorn, workers: 17 } }));
    expect(finding(many, 'workers-vs-cores').detail).toMatch(/More workers than the cores can run/);
  });

  it('suggests the worst case × 1.5, rounded up to whole seconds so the margin holds', () => {
    expect(suggestedTimeoutS(30_712)).toBe(47);
    expect(suggestedTimeoutS(6_200)).toBe(10);
    expect(suggestedTimeoutS(30_000)).toBe(45);
    expect(suggestedTimeoutS(400)).toBe(1);
    expect(suggestedTimeoutS(100_000)).toBe(150);
  });

  it('orders findings fail, warn, info', () => {
    const v = judge(
      input({
        flagged: [killedImport, flag('approaching', 16_000)],
        serverEvents: [timeoutEvent],
        integrity: [{ name: 'x', passed: false, expected: '2', actual: '1', kind: 'partial' }],
      }),
    );
    const order = v.findings.map((f) => f.severity);
    expect(order).toEqual(
      [...order].sort((a, b) => ['fail', 'warn', 'info'].indexOf(a) - ['fail', 'warn', 'info'].indexOf(b)),
    );
    expect(codes(v).slice(0, 4)).toEqual([
      'worker-timeout',
      'killed-requests',
      'integrity-failed',
      'partial-import',
    ]);
  });
});

describe('judge: the committed sample result', () => {
  it('its findings and checks are what the verdict says for its observations', () => {
    const r = JSON.parse(readFileSync('test/fixtures/results/sample-result.json', 'utf8'));
    const v = judge({
      scenario: { budgets: { ...r.budgets, failOnCritical: true, endpoints: {} } },
      server: r.target.server,
      requests: r.requests,
      flagged: r.flagged,
      flaggedTotal: r.flaggedTotal,
      serverEvents: r.serverEvents,
      integrity: r.integrity,
      flowOutcomes: [
        {
          flow: 'import',
          ok: false,
          failedStep: 'import all pages',
          message: 'POST /api/import: no response (ECONNRESET) after 30.7 s',
        },
      ],
    });
    expect(v.status).toBe(r.status);
    expect(v.findings).toEqual(r.findings);
    expect(v.checks).toEqual(r.checks);
  });
});
