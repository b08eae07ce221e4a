// Re-levelling against the worker timeout on the time in the worker: a request that waited for a
// free worker is not critical (it was, on client latency, before this step existed).
import { describe, expect, it } from 'vitest';
import { flagLevel, timeoutRatio } from '../../../src/load/flag-level.js';
import type { AccessEntry } from '../../../src/observe/access-log.js';
import { recount, relevel } from '../../../src/observe/relevel.js';
import type { FlaggedRequest } from '../../../src/result/types.js';

const T = 3_000;
const thresholds = { serverTimeoutMs: T, warnAt: 0.5, criticalAt: 0.8 };
const T0 = Date.parse('2026-12-01T23:09:17.136Z');

/** A flagged request as the recorder levels it: on client latency. */
function flagged(startMs: number, latencyMs: number, over: Partial<FlaggedRequest> = {}): FlaggedRequest {
  const level = flagLevel(latencyMs, {
    ...thresholds,
    responded: over.status !== undefined || !('status' in over),
  })!;
  return {
    at: new Date(T0 + startMs).toISOString(),
    endpoint: 'POST /api/import',
    method: 'POST',
    path: '/api/import?pages=1',
    latencyMs,
    status: 200,
    level,
    ratio: timeoutRatio(latencyMs, T),
    ...over,
  };
}
const line = (endMs: number, workerMs: number): AccessEntry => ({
  at: T0 + endMs,
  method: 'POST',
  path: '/api/import?pages=1',
  status: 200,
  workerMs,
});

describe('relevel', () => {
  it('a request that queued 3 s and ran 1 s is not critical against a 3 s timeout', () => {
    const queued = flagged(0, 4_000);
    expect(queued.level).toBe('critical');
    const out = relevel({ flagged: [queued], entries: [line(4_000, 1_000)], ...thresholds });
    expect(out.flagged).toEqual([]);
    expect(out.changes).toEqual([{ from: 'critical' }]);
    expect(out.queue.waits).toEqual([
      expect.objectContaining({ latencyMs: 4_000, workerMs: 1_000, queueMs: 3_000 }),
    ]);
  });

  it('levels and ratio on the time in the worker when it is known, and says so', () => {
    const out = relevel({ flagged: [flagged(0, 5_000)], entries: [line(5_000, 2_000)], ...thresholds });
    expect(out.flagged).toEqual([
      expect.objectContaining({
        level: 'approaching',
        ratio: 0.667,
        workerMs: 2_000,
        queueMs: 3_000,
        latencyBasis: 'worker',
      }),
    ]);
    const slowInWorker = relevel({
      flagged: [flagged(0, 2_700)],
      entries: [line(2_700, 2_600)],
      ...thresholds,
    });
    expect(slowInWorker.flagged[0]).toMatchObject({
      level: 'critical',
      latencyBasis: 'worker',
      queueMs: 100,
    });
    expect(slowInWorker.changes).toEqual([]);
  });

  it('without a matching line keeps the client-latency level, labelled client', () => {
    const out = relevel({ flagged: [flagged(0, 2_600)], entries: [], ...thresholds });
    expect(out.flagged).toEqual([expect.objectContaining({ level: 'critical', latencyBasis: 'client' })]);
    expect(out.flagged[0]!.workerMs).toBeUndefined();
  });

  it('killed requests stay killed, even with a line nearby', () => {
    const killed = flagged(0, 3_900, { status: 500, level: 'killed' });
    const out = relevel({
      flagged: [killed],
      entries: [{ ...line(3_900, 3_800), status: 500 }],
      ...thresholds,
    });
    expect(out.flagged).toEqual([expect.objectContaining({ level: 'killed', latencyBasis: 'client' })]);
  });

  it('counts the most flagged requests in flight at once', () => {
    const requests = [flagged(0, 2_000), flagged(5, 3_000), flagged(10, 4_000), flagged(4_500, 1_600)];
    expect(relevel({ flagged: requests, entries: [], ...thresholds }).queue.mostInFlight).toBe(3);
  });
});

describe('recount', () => {
  it("moves the re-levelled requests in the recorder's totals", () => {
    const totals = { approaching: 2, critical: 5, killed: 1 };
    expect(recount(totals, [{ from: 'critical' }, { from: 'critical', to: 'approaching' }])).toEqual({
      approaching: 3,
      critical: 3,
      killed: 1,
    });
  });
});
