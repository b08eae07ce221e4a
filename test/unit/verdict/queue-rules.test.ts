// The queueing finding: requests that waited for a free worker, with advice on capacity or a
// background job, never a longer worker timeout.
import { describe, expect, it } from 'vitest';
import type { WorkerWait } from '../../../src/observe/relevel.js';
import type { ServerConfig } from '../../../src/result/types.js';
import { defaultBudgets } from '../../../src/scenario/defaults.js';
import { type JudgeInput, judge } from '../../../src/verdict/judge.js';

const oneSync: ServerConfig = {
  kind: 'gunicorn',
  timeoutS: 3,
  timeoutSource: 'scenario',
  workers: 1,
  workerClass: 'sync',
};

function wait(queueMs: number, workerMs = 1_100): WorkerWait {
  return {
    at: '2026-12-01T23:09:17.136Z',
    endpoint: 'POST /api/import?pages=1',
    method: 'POST',
    path: '/api/import?pages=1',
    latencyMs: queueMs + workerMs,
    workerMs,
    queueMs,
  };
}

function input(waits: WorkerWait[], server = oneSync): JudgeInput {
  return {
    scenario: { budgets: defaultBudgets() },
    server,
    requests: { total: 6, ok: 6, errors: 0, byEndpoint: [] },
    flagged: [],
    flaggedTotal: { approaching: 0, critical: 0, killed: 0 },
    serverEvents: [],
    integrity: [],
    queue: { waits, mostInFlight: 6 },
  };
}

const queueing = (i: JudgeInput) => judge(i).findings.find((f) => f.code === 'queueing');

describe('queueing', () => {
  it('says how long, with how many workers, how many at once; a warning, so the run passes', () => {
    const verdict = judge(input([wait(1_000), wait(2_200), wait(5_100)]));
    const finding = verdict.findings.find((f) => f.code === 'queueing')!;
    expect(verdict.status).toBe('passed');
    expect(finding.severity).toBe('warn');
    expect(finding.title).toBe('Requests waited up to 5.1 s for a free worker: 1 sync worker, 6 at once');
    expect(finding.detail).toMatch(/^2 requests waited 1\.5 s or more/);
    expect(finding.advice).toMatch(/more workers/);
    expect(finding.advice).toMatch(/gthread --threads/);
    expect(finding.advice).toMatch(/background job/);
    expect(finding.advice).not.toMatch(/(raise|set) --timeout|--timeout \d/i);
  });

  it('offers no threads to gthread workers, still no timeout', () => {
    const finding = queueing(input([wait(4_000)], { ...oneSync, workers: 4, workerClass: 'gthread' }))!;
    expect(finding.title).toContain('4 gthread workers');
    expect(finding.advice).not.toMatch(/--threads|--timeout \d/);
  });

  it('is quiet for short waits, without access-log data, and with no timeout', () => {
    expect(queueing(input([wait(1_400)]))).toBeUndefined();
    expect(queueing({ ...input([]), queue: undefined })).toBeUndefined();
    expect(queueing(input([wait(5_000)], { ...oneSync, timeoutS: 0 }))).toBeUndefined();
  });
});
