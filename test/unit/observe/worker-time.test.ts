// The matcher: each access line to at most one client request — same method, path and status,
// arriving within the tolerance of the request's end, and no longer in the worker than in all.
import { describe, expect, it } from 'vitest';
import type { AccessEntry } from '../../../src/observe/access-log.js';
import { matchWorkerTimes } from '../../../src/observe/worker-time.js';

const T0 = Date.parse('2026-12-01T23:09:17.136Z');
const request = (
  startMs: number,
  latencyMs: number,
  over: Partial<{ path: string; status: number }> = {},
) => ({
  at: new Date(T0 + startMs).toISOString(),
  method: 'POST',
  path: over.path ?? '/api/import?pages=1',
  latencyMs,
  status: 'status' in over ? over.status : 200,
});
const line = (endMs: number, workerMs: number, over: Partial<AccessEntry> = {}): AccessEntry => ({
  at: T0 + endMs,
  method: 'POST',
  path: '/api/import?pages=1',
  status: 200,
  workerMs,
  ...over,
});

describe('matchWorkerTimes', () => {
  it('six requests sent at once to one sync worker: each gets the line logged when it ended', () => {
    // As in test/fixtures/gunicorn/one-sync-worker.log: served one after another, ~1.2 s each.
    const workers = [1196, 1708, 1139, 1202, 1518, 1764];
    let end = 0;
    const ends = workers.map((w) => (end += w));
    const requests = ends.map((e, i) => request(i, e - i + 3));
    const lines = ends.map((e, i) => line(e + 5, workers[i]!));
    const matched = matchWorkerTimes(requests, [...lines].reverse());
    expect(matched.map((m) => m?.workerMs)).toEqual(workers);
  });

  it('one line goes to one request only', () => {
    const matched = matchWorkerTimes([request(0, 2000), request(1, 1999)], [line(2000, 900)]);
    expect(matched.filter(Boolean)).toHaveLength(1);
  });

  it('needs the same method, path and status', () => {
    const r = request(0, 2000);
    expect(matchWorkerTimes([r], [line(2000, 900, { method: 'GET' })])).toEqual([undefined]);
    expect(matchWorkerTimes([r], [line(2000, 900, { path: '/api/import?pages=2' })])).toEqual([undefined]);
    expect(matchWorkerTimes([r], [line(2000, 900, { status: 500 })])).toEqual([undefined]);
  });

  it('a request without a response has no line (a killed sync worker logs none)', () => {
    expect(matchWorkerTimes([request(0, 3500, { status: undefined })], [line(3500, 3400)])).toEqual([
      undefined,
    ]);
  });

  it('a line far from the end, or longer in the worker than the request took, does not match', () => {
    expect(matchWorkerTimes([request(0, 2000)], [line(3500, 900)])).toEqual([undefined]);
    expect(matchWorkerTimes([request(0, 2000)], [line(2000, 2500)])).toEqual([undefined]);
    expect(matchWorkerTimes([request(0, 2000)], [line(3500, 900)], { toleranceMs: 2000 })[0]?.workerMs).toBe(
      900,
    );
  });

  it('among lines within 100 ms of the end, takes the longer time in the worker (doubt never hides a slow request)', () => {
    expect(matchWorkerTimes([request(0, 2000)], [line(2000, 15), line(2060, 1900)])[0]?.workerMs).toBe(1900);
    // Farther out, nearest first.
    expect(matchWorkerTimes([request(0, 2000)], [line(2150, 15), line(2400, 1900)])[0]?.workerMs).toBe(15);
  });

  it('two requests ending together, one queued: each keeps its own line', () => {
    const inWorker = request(0, 2000);
    const queued = request(0, 2050);
    const matched = matchWorkerTimes([queued, inWorker], [line(2000, 2000), line(2050, 300)]);
    expect(matched.map((m) => m?.workerMs)).toEqual([300, 2000]);
  });
});

describe('matchWorkerTimes on a busy endpoint', () => {
  it('finds each request its own line among many of the same path', () => {
    // 20 000 fast lines, one a millisecond, and 50 slow requests ending among them.
    const lines = Array.from({ length: 20_000 }, (_, k) => line(k, 5));
    const requests = Array.from({ length: 50 }, (_, k) => request(k * 400, 2_000));
    const slow = requests.map((_, k) => line(k * 400 + 2_000 + 0.5, 1_900));
    const matched = matchWorkerTimes(requests, [...lines, ...slow]);
    expect(matched.map((m) => m?.workerMs)).toEqual(Array(50).fill(1_900));
  });
});
