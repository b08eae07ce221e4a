import { describe, expect, it } from 'vitest';
import type { RequestSample } from '../../../src/load/recorder.js';
import { Recorder } from '../../../src/load/recorder.js';
import { correlate } from '../../../src/observe/correlate.js';
import type { FlaggedRequest, ServerEvent } from '../../../src/result/types.js';

const T = 30_000;
const t0 = Date.parse('2026-11-24T15:45:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

function sample(startOffset: number, latencyMs: number, extra: Partial<RequestSample> = {}): RequestSample {
  return {
    endpoint: 'import all pages',
    group: 'import',
    method: 'POST',
    path: '/api/import?pages=100',
    startMs: t0 + startOffset,
    latencyMs,
    error: 'ECONNRESET',
    ...extra,
  };
}

/** What the recorder flags from latency alone. */
function flagOf(s: RequestSample): FlaggedRequest {
  const ratio = s.latencyMs / T;
  const level = s.status === undefined && ratio >= 1 ? 'killed' : ratio >= 0.8 ? 'critical' : 'approaching';
  return {
    at: iso(s.startMs),
    endpoint: s.endpoint,
    method: s.method,
    path: s.path,
    latencyMs: s.latencyMs,
    ...(s.status !== undefined ? { status: s.status } : {}),
    ...(s.error !== undefined ? { error: s.error } : {}),
    level,
    ratio,
  };
}

function timeout(offset: number, pid: number, path?: string): ServerEvent {
  return {
    at: iso(t0 + offset),
    kind: 'worker-timeout',
    pid,
    line: `[2026-11-24 15:45:35 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:${pid})`,
    source: 'app',
    ...(path ? { path } : {}),
  };
}

describe('correlate', () => {
  it('a request with no response ending at the WORKER TIMEOUT is killed, with the event attached', () => {
    const s = sample(4_288, 30_712);
    const r = correlate({
      flagged: [flagOf(s)],
      failures: [s],
      events: [timeout(35_000, 9)],
      serverTimeoutMs: T,
    });
    expect(r.killed).toBe(1);
    expect(r.unmatchedTimeouts).toEqual([]);
    expect(r.flagged).toEqual([
      expect.objectContaining({
        level: 'killed',
        latencyMs: 30_712,
        ratio: 1.024,
        error: 'ECONNRESET',
        serverEvent: expect.objectContaining({ pid: 9 }),
      }),
    ]);
  });

  it("a killed request on both of the recorder's lists (flagged and failures) is one killed entry", () => {
    const recorder = new Recorder({ serverTimeoutMs: T, warnAt: 0.5, criticalAt: 0.8, now: () => t0 });
    // A fractional start (the client's clock) and a raw latency, as the load runner records them.
    const s = sample(1_000.7, 30_106.329099, { error: 'empty reply' });
    recorder.record(s);
    const traffic = recorder.finish();
    expect(traffic.flagged[0]!.latencyMs).not.toBe(s.latencyMs);
    const r = correlate({
      flagged: traffic.flagged,
      failures: traffic.failures,
      events: [timeout(31_200, 14)],
      serverTimeoutMs: T,
    });
    expect(r.killed).toBe(1);
    expect(r.flagged).toEqual([
      expect.objectContaining({ level: 'killed', latencyMs: 30_106.33, serverEvent: expect.anything() }),
    ]);
  });

  it('a request killed before T (UvicornWorker) is killed too, though latency alone never flagged it', () => {
    const s = sample(0, 2_300, { endpoint: 'async', path: '/a' });
    const r = correlate({ flagged: [], failures: [s], events: [timeout(2_400, 12)], serverTimeoutMs: 3_000 });
    expect(r.flagged).toMatchObject([{ level: 'killed', ratio: 0.767, serverEvent: { pid: 12 } }]);
  });

  it('two workers killed together: two events kill two requests, one each', () => {
    const a = sample(5_000, 30_100, { path: '/api/import?pages=100' });
    const b = sample(5_050, 30_020, { path: '/api/import?pages=200' });
    const events = [timeout(35_000, 7), timeout(35_000, 8)];
    const r = correlate({ flagged: [flagOf(a), flagOf(b)], failures: [a, b], events, serverTimeoutMs: T });
    expect(r.killed).toBe(2);
    expect(r.unmatchedTimeouts).toEqual([]);
    expect(new Set(r.flagged.map((f) => f.serverEvent?.pid))).toEqual(new Set([7, 8]));
  });

  it('one event kills one request on a sync worker: the other failure nearby is not blamed on it', () => {
    const killedOne = sample(5_000, 30_000);
    const other = sample(34_000, 1_050, { endpoint: 'browse', method: 'GET', path: '/api/movies' });
    const r = correlate({
      flagged: [flagOf(killedOne)],
      failures: [killedOne, other],
      events: [timeout(35_000, 9)],
      serverTimeoutMs: T,
    });
    expect(r.flagged).toHaveLength(1);
    expect(r.flagged[0]).toMatchObject({ endpoint: 'import all pages', level: 'killed' });
  });

  it('a gthread worker takes all its in-flight requests with it when allowed', () => {
    const a = sample(5_000, 30_000, { path: '/a' });
    const b = sample(5_500, 29_600, { path: '/b' });
    const r = correlate({
      flagged: [],
      failures: [a, b],
      events: [timeout(35_000, 9)],
      serverTimeoutMs: T,
      requestsPerWorker: 4,
    });
    expect(r.killed).toBe(2);
  });

  it('a kill with no matching request stays unmatched (a finding of its own)', () => {
    const ok = sample(0, 1_000, { status: 200, error: undefined });
    const event = timeout(35_000, 9);
    const r = correlate({ flagged: [], failures: [ok], events: [event], serverTimeoutMs: T });
    expect(r).toEqual({ flagged: [], killed: 0, unmatchedTimeouts: [event] });
  });

  it('gunicorn 22 style: a 500 at the timeout is killed; a 500 elsewhere, and a 404, are not', () => {
    const killed500 = sample(5_000, 30_010, { status: 500, error: undefined });
    const plain500 = sample(1_000, 80, { status: 500, error: undefined, path: '/boom' });
    const notFound = sample(34_990, 20, { status: 404, error: undefined, path: '/nope' });
    const r = correlate({
      flagged: [flagOf(killed500)],
      failures: [killed500, plain500, notFound],
      events: [timeout(35_000, 9)],
      serverTimeoutMs: T,
    });
    expect(r.flagged).toMatchObject([{ level: 'killed', status: 500, serverEvent: { pid: 9 } }]);
  });

  it('clock skew within tolerance still matches; beyond it does not', () => {
    const s = sample(5_000, 30_000); // ends at 35.0 s
    const matches = (eventAt: number) =>
      correlate({ flagged: [], failures: [s], events: [timeout(eventAt, 9)], serverTimeoutMs: T }).killed;
    expect(matches(36_900)).toBe(1); // logged 1.9 s after the client saw the reset (log delay, skew)
    expect(matches(32_100)).toBe(1); // reset 2.9 s after the log line: SIGKILL 1 s later + 1.9 s skew
    expect(matches(37_500)).toBe(0);
    expect(matches(31_500)).toBe(0);
    const loose = correlate({
      flagged: [],
      failures: [s],
      events: [timeout(37_500, 9)],
      serverTimeoutMs: T,
      toleranceMs: 3_000,
    });
    expect(loose.killed).toBe(1);
  });

  it('a request with no response after T and no event keeps the recorder`s killed level, without an event', () => {
    const s = sample(0, 31_000);
    const r = correlate({ flagged: [flagOf(s)], failures: [s], events: [], serverTimeoutMs: T });
    expect(r.killed).toBe(1);
    expect(r.flagged[0]!.serverEvent).toBeUndefined();
  });

  it('requests that returned stay approaching/critical even near a kill', () => {
    const slowOk = sample(5_000, 25_000, { status: 200, error: undefined, path: '/slow' });
    const killed = sample(5_000, 30_000);
    const r = correlate({
      flagged: [flagOf(slowOk), flagOf(killed)],
      failures: [killed],
      events: [timeout(35_000, 9)],
      serverTimeoutMs: T,
    });
    expect(r.flagged.map((f) => [f.path, f.level])).toEqual([
      ['/slow', 'critical'],
      ['/api/import?pages=100', 'killed'],
    ]);
  });

  it('the path the server named picks the request, even when another failure is nearer in time', () => {
    const importReq = sample(5_000, 30_400, { path: '/api/import?pages=100' });
    const nearer = sample(34_900, 100, { path: '/api/movies', method: 'GET', endpoint: 'browse' });
    const r = correlate({
      flagged: [],
      failures: [importReq, nearer],
      events: [timeout(35_000, 9, '/api/import?pages=100')],
      serverTimeoutMs: T,
    });
    expect(r.flagged).toMatchObject([{ path: '/api/import?pages=100', level: 'killed' }]);
  });

  it('the SIGKILL after a timeout is the same kill; an OOM kill with no timeout kills too', () => {
    const a = sample(5_000, 31_000);
    const b = sample(50_000, 4_000, { path: '/heavy' });
    const sigkill: ServerEvent = {
      at: iso(t0 + 36_000),
      kind: 'worker-killed',
      pid: 9,
      line: 'Worker (pid:9) was sent SIGKILL!',
    };
    const oom: ServerEvent = {
      at: iso(t0 + 54_100),
      kind: 'worker-killed',
      pid: 11,
      line: 'Worker (pid:11) was sent SIGKILL!',
    };
    const r = correlate({
      flagged: [],
      failures: [a, b],
      events: [timeout(35_000, 9), sigkill, oom],
      serverTimeoutMs: T,
    });
    expect(r.flagged.map((f) => f.serverEvent?.kind)).toEqual(['worker-timeout', 'worker-killed']);
    expect(r.unmatchedTimeouts).toEqual([]);
  });

  it('keeps the list sorted by time and within the cap, dropping the least severe first', () => {
    const slow = [1, 2, 3].map((i) =>
      flagOf(sample(i * 1_000, 16_000, { status: 200, error: undefined, path: `/s${i}` })),
    );
    const k = sample(40_000, 30_000);
    const r = correlate({
      flagged: slow,
      failures: [k],
      events: [timeout(70_000, 9)],
      serverTimeoutMs: T,
      maxFlagged: 3,
    });
    expect(r.flagged).toHaveLength(3);
    expect(r.flagged.at(-1)!.level).toBe('killed');
    expect(r.flagged.map((f) => f.at)).toEqual([...r.flagged.map((f) => f.at)].sort());
  });
});
