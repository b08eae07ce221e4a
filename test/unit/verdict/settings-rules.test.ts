// The settings finding (issue 16, item 4) from fixtures of what a run measured: a --timeout of
// 1.5x the slowest work in the worker, rounded up; no timeout past 60 s but the work moved out
// of the request; the layer in front; workers from the most slow requests in flight at once.
import { describe, expect, it } from 'vitest';
import type { FlaggedRequest, ServerConfig } from '../../../src/result/types.js';
import { defaultBudgets } from '../../../src/scenario/defaults.js';
import type { JudgeInput } from '../../../src/verdict/judge.js';
import { recommendedSettings } from '../../../src/verdict/settings-rules.js';
import type { Evidence } from '../../../src/verdict/types.js';
import { slowestWork } from '../../../src/verdict/worker-time.js';

const gunicorn: ServerConfig = {
  kind: 'gunicorn',
  timeoutS: 30,
  timeoutSource: 'server-default',
  workers: 3,
  workerClass: 'sync',
};

function slow(ms: number, over: Partial<FlaggedRequest> = {}): FlaggedRequest {
  return {
    at: '2026-12-02T04:00:00.000Z',
    endpoint: 'import all pages',
    method: 'POST',
    path: '/api/import',
    latencyMs: ms + 20,
    workerMs: ms,
    latencyBasis: 'worker',
    status: 200,
    level: ms >= 24_000 ? 'critical' : 'approaching',
    ratio: ms / 30_000,
    ...over,
  };
}

function run(flagged: FlaggedRequest[], over: Partial<JudgeInput> = {}) {
  const input: JudgeInput = {
    scenario: { budgets: defaultBudgets() },
    server: gunicorn,
    requests: { total: 10, ok: 10, errors: 0, byEndpoint: [] },
    flagged,
    flaggedTotal: { approaching: flagged.length, critical: 0, killed: 0 },
    serverEvents: [],
    integrity: [],
    cores: 2,
    ...over,
  };
  const timeoutMs = input.server.timeoutS * 1000;
  const evidence: Evidence = {
    timeoutMs,
    workerTimeouts: input.serverEvents.filter((e) => e.kind === 'worker-timeout'),
    killed: flagged.filter((f) => f.level === 'killed'),
    worstMs: 0,
    slowest: slowestWork({
      flagged,
      workerTimeouts: input.serverEvents.filter((e) => e.kind === 'worker-timeout').length,
      timeoutMs,
      endpointMaxMs: 0,
    }),
  };
  return recommendedSettings(input, evidence).findings?.[0];
}

describe('recommended settings: the timeout', () => {
  it('20.1 s in the worker under a 10 s timeout: --timeout 31 (1.5x, rounded up), and the proxy in front', () => {
    const f = run([slow(20_100)], { server: { ...gunicorn, timeoutS: 10, timeoutSource: 'image' } });
    expect(f).toMatchObject({ severity: 'info', code: 'recommended-settings' });
    expect(f!.title).toBe("Settings from this run's numbers: --timeout 31");
    expect(f!.detail).toContain('--timeout 31 is 1.5x the 20.1 s the slowest request spent in a worker');
    expect(f!.advice).toContain('Set --timeout 31.');
    expect(f!.advice).toContain("a load balancer's idle timeout ≥ 31 s");
  });

  it("T read from the image's gunicorn.conf.py: the advice names `timeout = N` there, not a --timeout flag", () => {
    const fromFile: ServerConfig = {
      ...gunicorn,
      timeoutS: 20,
      timeoutSource: 'image',
      detectedFrom: ['gunicorn (Cmd)', 'timeout 20 (/app/gunicorn.conf.py: timeout = 20)'],
    };
    const f = run([slow(20_100)], { server: fromFile });
    expect(f!.title).toBe("Settings from this run's numbers: `timeout = 31` in /app/gunicorn.conf.py");
    expect(f!.advice).toContain('Set `timeout = 31` in /app/gunicorn.conf.py (where the image sets it).');
    expect(f!.advice).not.toContain('--timeout');
    const fromEnv = { ...gunicorn, detectedFrom: ['timeout 20 (GUNICORN_CMD_ARGS: --timeout 20)'] };
    expect(run([slow(20_100)], { server: { ...fromEnv, timeoutS: 20 } })!.advice).toContain(
      'Set --timeout 31 in GUNICORN_CMD_ARGS (where the image sets it).',
    );
  });

  it('the server already has more than 1.5x: it says the timeout holds', () => {
    const f = run([slow(17_500)]);
    expect(f!.title).toBe("Settings from this run's numbers: --timeout 30 holds");
    expect(f!.detail).toContain('--timeout 27 would leave a 1.5x margin');
  });

  it('past 60 s no timeout is advised: the work moves out of the request', () => {
    const f = run([slow(45_000)], { server: { ...gunicorn, timeoutS: 120, timeoutSource: 'image' } });
    expect(f!.title).toBe("Settings from this run's numbers: the work out of the request");
    expect(f!.detail).toContain('is 68 s, past 60 s');
    expect(f!.advice).toMatch(/background job/);
    expect(f!.advice).not.toMatch(/Set --timeout/);
  });

  it('a killed request gives a floor, said so', () => {
    const killed = slow(30_700, {
      level: 'killed',
      workerMs: undefined,
      latencyBasis: 'client',
      status: undefined,
    });
    const f = run([killed], {
      serverEvents: [
        { at: '2026-12-02T04:00:30.000Z', kind: 'worker-timeout', pid: 9, line: 'WORKER TIMEOUT (pid:9)' },
      ],
    });
    expect(f!.advice).toMatch(/Set --timeout to at least \d+, after measuring/);
    expect(f!.detail).toContain('That is a floor');
  });

  it('a run with nothing slow gets no settings finding; nor does a server that is not gunicorn', () => {
    expect(run([])).toBeUndefined();
    expect(run([slow(20_000)], { server: { ...gunicorn, kind: 'unknown' } })).toBeUndefined();
  });
});

describe('recommended settings: workers', () => {
  const wait = (queueMs: number) => ({
    at: '2026-12-02T04:00:00.000Z',
    endpoint: 'detail',
    method: 'GET',
    path: '/api/movies/1',
    latencyMs: 16_000 + queueMs,
    workerMs: 16_000,
    queueMs,
  });

  it('5 in flight at once on 3 sync workers, two waited: --workers 5 (within 2 x 2 cores + 1)', () => {
    const f = run([slow(16_000)], {
      queue: { waits: [wait(0), wait(9_000), wait(15_000)], mostInFlight: 5 },
    });
    expect(f!.title).toBe("Settings from this run's numbers: --timeout 30 holds, --workers 5");
    expect(f!.detail).toContain(
      'Up to 5 of the slow requests were in flight at once and 2 requests waited 15 s at most',
    );
    expect(f!.advice).toContain(
      "Run --workers 5 so each of them gets a worker at once (within gunicorn's 2 × cores + 1 = 5 for 2 cores)",
    );
  });

  it('12 at once on 2 cores: 5 workers x 3 threads, for I/O waits only', () => {
    const f = run([slow(16_000)], { queue: { waits: [wait(20_000)], mostInFlight: 12 } });
    expect(f!.title).toContain('--workers 5 --threads 3');
    expect(f!.advice).toContain('--workers 5 --worker-class gthread --threads 3 (15 at once)');
    expect(f!.advice).toContain('CPU-bound work needs more cores or instances');
  });

  it('no waits and no more in flight than workers: the workers hold', () => {
    const f = run([slow(16_000)], { queue: { waits: [wait(0)], mostInFlight: 2 } });
    expect(f!.title).toBe("Settings from this run's numbers: --timeout 30 holds, --workers 3 hold");
    expect(f!.detail).toContain('none waited for a worker');
  });
});
