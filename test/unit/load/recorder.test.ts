// The recorder: percentiles that match a brute-force computation within HDR precision, flag levels
// at their exact boundaries, bounded lists with honest counts, one timeline row per second.
import { describe, expect, it } from 'vitest';
import { flagLevel, Recorder, type RequestSample } from '../../../src/load/recorder.js';
import { mulberry32 } from '../../../src/util/seeded-random.js';

const T = 30_000;
const thresholds = { serverTimeoutMs: T, warnAt: 0.5, criticalAt: 0.8 };

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, set: (ms: number) => (now = start + ms), start };
}

function sample(over: Partial<RequestSample> & { startMs: number }): RequestSample {
  return {
    endpoint: 'GET /a',
    group: 'browse',
    method: 'GET',
    path: '/a',
    latencyMs: 10,
    status: 200,
    ...over,
  };
}

/** Nearest-rank percentile, the definition HDR histograms follow. */
function bruteForce(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

describe('flagLevel', () => {
  it.each([
    [14_999.99, true, undefined],
    [15_000, true, 'approaching'],
    [23_999.99, true, 'approaching'],
    [24_000, true, 'critical'],
    [29_999.99, false, 'critical'],
    [30_000, true, 'critical'],
    [30_000, false, 'killed'],
    [45_000, false, 'killed'],
    [100, false, undefined],
  ] as const)('%s ms, responded %s → %s', (latencyMs, responded, level) => {
    expect(flagLevel(latencyMs, { ...thresholds, responded })).toBe(level);
  });

  it('flags nothing when the server has no timeout (T = 0)', () => {
    expect(flagLevel(10 * 60_000, { ...thresholds, serverTimeoutMs: 0, responded: false })).toBeUndefined();
    expect(flagLevel(10 * 60_000, { ...thresholds, serverTimeoutMs: 0, responded: true })).toBeUndefined();
  });
});

describe('Recorder', () => {
  it('gives percentiles equal to a brute-force computation within HDR precision (0.1 %)', () => {
    const c = clock();
    const rec = new Recorder({ ...thresholds, now: c.now });
    const rnd = mulberry32(11);
    const latencies: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      // Log-normal-ish: most requests fast, a long tail up to tens of seconds.
      const ms = Math.exp(Math.log(40) + 1.6 * (rnd() + rnd() + rnd() - 1.5) * 1.4);
      latencies.push(ms);
      rec.record(sample({ startMs: c.start + i, latencyMs: ms }));
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const stats = rec.finish().requests.byEndpoint[0]!;
    for (const p of [50, 90, 95, 99] as const) {
      const exact = bruteForce(sorted, p);
      expect(Math.abs(stats.latencyMs[`p${p}`] - exact), `p${p}`).toBeLessThanOrEqual(exact * 0.001 + 0.01);
    }
    expect(stats.latencyMs.max).toBeCloseTo(sorted.at(-1)!, 2);
    expect(stats.latencyMs.mean).toBeCloseTo(latencies.reduce((a, b) => a + b) / latencies.length, 1);
    expect(stats.count).toBe(20_000);
  });

  it('counts requests without a response as samples at their observed latency', () => {
    const c = clock();
    const rec = new Recorder({ ...thresholds, now: c.now });
    for (let i = 0; i < 98; i++) rec.record(sample({ startMs: c.start, latencyMs: 10 }));
    rec.record(sample({ startMs: c.start, latencyMs: 30_712, status: undefined, error: 'ECONNRESET' }));
    rec.record(sample({ startMs: c.start, latencyMs: 31_000, status: undefined, error: 'empty reply' }));
    const t = rec.finish();
    const stats = t.requests.byEndpoint[0]!;
    expect(stats.latencyMs.p99).toBeGreaterThan(30_000);
    expect(stats.latencyMs.max).toBe(31_000);
    expect(stats.statusCodes).toEqual({ 200: 98, 'error:ECONNRESET': 1, 'error:empty reply': 1 });
    expect(t.requests).toMatchObject({ total: 100, ok: 98, errors: 2 });
    expect(t.flaggedTotal).toEqual({ approaching: 0, critical: 0, killed: 2 });
    expect(t.failures.map((f) => f.error)).toEqual(['ECONNRESET', 'empty reply']);
  });

  it("a 4xx a flow step expected (the 403 of 'an anonymous write is refused') is no error; an unexpected one is", () => {
    const c = clock();
    const rec = new Recorder({ ...thresholds, now: c.now });
    rec.record(sample({ startMs: c.start, method: 'POST', status: 403, expected: true }));
    rec.record(sample({ startMs: c.start, method: 'POST', status: 403 }));
    rec.record(sample({ startMs: c.start, status: 200 }));
    const t = rec.finish();
    expect(t.requests).toMatchObject({ total: 3, ok: 2, errors: 1 });
    expect(t.requests.byEndpoint[0]!.statusCodes).toEqual({ 200: 1, 403: 2 });
  });

  it('keeps flagged requests one by one up to the cap, then only counts them', () => {
    const c = clock();
    const rec = new Recorder({ ...thresholds, flaggedCap: 3, failureCap: 2, now: c.now });
    rec.record(sample({ startMs: c.start, latencyMs: 15_800, path: '/api/movies/27205' }));
    rec.record(sample({ startMs: c.start + 1, latencyMs: 25_000, status: 500 }));
    rec.record(sample({ startMs: c.start + 2, latencyMs: 30_712, status: undefined, error: 'ECONNRESET' }));
    rec.record(sample({ startMs: c.start + 3, latencyMs: 16_000 }));
    rec.record(sample({ startMs: c.start + 4, latencyMs: 5, status: 502 }));
    const t = rec.finish();
    expect(t.flagged).toEqual([
      {
        at: new Date(c.start).toISOString(),
        endpoint: 'GET /a',
        method: 'GET',
        path: '/api/movies/27205',
        latencyMs: 15_800,
        status: 200,
        level: 'approaching',
        ratio: 0.527,
      },
      expect.objectContaining({ level: 'critical', status: 500, ratio: 0.833 }),
      expect.objectContaining({ level: 'killed', error: 'ECONNRESET', ratio: 1.024 }),
    ]);
    expect(t.flagged[2]).not.toHaveProperty('status');
    expect(t.flaggedDropped).toBe(1);
    expect(t.flaggedTotal).toEqual({ approaching: 2, critical: 1, killed: 1 });
    expect(t.failures.map((f) => f.status ?? f.error)).toEqual([500, 'ECONNRESET']);
    expect(t.failuresDropped).toBe(1);
  });

  it('writes one timeline row per second, empty seconds included', () => {
    const c = clock();
    const rec = new Recorder({ ...thresholds, now: c.now });
    rec.record(sample({ startMs: c.start + 100, latencyMs: 10 }));
    rec.record(sample({ startMs: c.start + 200, latencyMs: 30, status: 503 }));
    rec.record(sample({ startMs: c.start + 1500, latencyMs: 20 }));
    rec.record(sample({ startMs: c.start + 3100, latencyMs: 40 }));
    c.set(3500);
    const t = rec.finish();
    // Percentiles are HDR bucket edges: within 0.1 % of the value (10 ms reads 10.01).
    const near = (ms: number) => expect.closeTo(ms, 1);
    expect(t.timeline).toEqual([
      { t: 0, rps: 2, errors: 1, p50: near(10), p99: 30, max: 30 },
      { t: 1, rps: 1, errors: 0, p50: 20, p99: 20, max: 20 },
      { t: 2, rps: 0, errors: 0, p50: 0, p99: 0, max: 0 },
      { t: 3, rps: 1, errors: 0, p50: 40, p99: 40, max: 40 },
    ]);
    expect(t.startedAt).toBe(c.start);
    expect(t.finishedAt).toBe(c.start + 3500);
  });

  it('reports live figures: last full second, p99 so far, errors, flagged', () => {
    const c = clock();
    const rec = new Recorder({ ...thresholds, now: c.now });
    for (let i = 0; i < 50; i++) rec.record(sample({ startMs: c.start + i * 10, latencyMs: 5 }));
    rec.record(sample({ startMs: c.start + 600, latencyMs: 20_000, status: 500 }));
    c.set(21_000);
    // The slow request completed in second 20, the last full one.
    expect(rec.snapshot()).toEqual({
      elapsedMs: 21_000,
      total: 51,
      rps: 1,
      p99: 20_000,
      errors: 1,
      flaggedTotal: { approaching: 1, critical: 0, killed: 0 },
    });
    const early = new Recorder({ ...thresholds, now: c.now });
    c.set(22_000);
    early.start();
    for (let i = 0; i < 7; i++) early.record(sample({ startMs: c.now() + 100, latencyMs: 1 }));
    c.set(23_100);
    expect(early.snapshot()).toMatchObject({ elapsedMs: 1_100, total: 7, rps: 7 });
  });

  it('lists endpoints by group in declared order, with groups summarised', () => {
    const c = clock();
    const rec = new Recorder({ ...thresholds, now: c.now });
    rec.declare({
      group: 'browse',
      endpoint: 'list',
      method: 'GET',
      path: '/api/movies?page={{random 1 50}}',
    });
    rec.declare({
      group: 'browse',
      endpoint: 'detail',
      method: 'GET',
      path: '/api/movies/{{pick tmdb.ids}}',
    });
    rec.declare({ group: 'import', endpoint: 'import all pages', method: 'POST', path: '/api/import' });
    rec.record(sample({ startMs: c.start, endpoint: 'detail', path: '/api/movies/550', latencyMs: 20 }));
    rec.record(
      sample({ startMs: c.start, endpoint: 'detail', path: '/api/movies/603', latencyMs: 40, status: 404 }),
    );
    rec.record(
      sample({
        startMs: c.start,
        endpoint: 'import all pages',
        group: 'import',
        method: 'POST',
        latencyMs: 100,
      }),
    );
    const t = rec.finish();
    expect(t.requests.byEndpoint.map((e) => [e.group, e.name, e.path, e.count, e.errors])).toEqual([
      ['browse', 'list', '/api/movies?page={{random 1 50}}', 0, 0],
      ['browse', 'detail', '/api/movies/{{pick tmdb.ids}}', 2, 1],
      ['import', 'import all pages', '/api/import', 1, 0],
    ]);
    expect(t.requests.byEndpoint[0]!.latencyMs).toEqual({ p50: 0, p90: 0, p95: 0, p99: 0, max: 0, mean: 0 });
    expect(t.byGroup.map((g) => [g.name, g.method, g.count, g.errors, g.latencyMs.max])).toEqual([
      ['browse', 'GET', 2, 1, 40],
      ['import', 'POST', 1, 0, 100],
    ]);
    expect(t.requests).toMatchObject({ total: 3, ok: 2, errors: 1 });
  });

  it('buckets the latency distribution, with the warn, critical and timeout marks as bounds', () => {
    const c = clock();
    const rec = new Recorder({ ...thresholds, now: c.now });
    for (const ms of [3, 40, 45, 50, 51, 14_000, 15_000, 24_001, 31_000, 700_000])
      rec.record(sample({ startMs: c.start, latencyMs: ms }));
    const h = rec.finish().histogram;
    const at = (le: number) => h.find((b) => b.leMs === le)?.count;
    expect(h[0]).toEqual({ leMs: 5, count: 1 });
    expect(at(50)).toBe(3);
    expect(at(100)).toBe(1);
    expect(at(15_000)).toBe(2);
    expect(at(24_000)).toBe(0);
    expect(at(30_000)).toBe(1);
    expect(h.at(-1)).toEqual({ leMs: 700_000, count: 1 });
    expect(h.reduce((n, b) => n + b.count, 0)).toBe(10);
  });
});

describe('Recorder: open-model rates', () => {
  it('puts the target and the achieved rate on the timeline, also for seconds with no answer', () => {
    let now = 1_000_000;
    const r = new Recorder({ serverTimeoutMs: 30_000, warnAt: 0.5, criticalAt: 0.8, now: () => now });
    r.start(now);
    for (let i = 0; i < 10; i++) r.planned(now + i * 100);
    for (let i = 0; i < 4; i++) r.sent(now + i * 100);
    // Second 1: planned, nothing sent, nothing answered (a stall).
    for (let i = 0; i < 10; i++) r.planned(now + 1000 + i * 100);
    r.record({
      endpoint: 'e',
      group: 'g',
      method: 'GET',
      path: '/',
      startMs: now,
      latencyMs: 50,
      status: 200,
    });
    now += 2000;
    const t = r.finish();
    expect(t.timeline.map((row) => [row.t, row.target, row.sent, row.rps])).toEqual([
      [0, 10, 4, 1],
      [1, 10, 0, 0],
    ]);
  });

  it('leaves target and sent off the rows of a closed-model run', () => {
    const r = new Recorder({ serverTimeoutMs: 30_000, warnAt: 0.5, criticalAt: 0.8 });
    r.record({
      endpoint: 'e',
      group: 'g',
      method: 'GET',
      path: '/',
      startMs: Date.now(),
      latencyMs: 5,
      status: 200,
    });
    const row = r.finish().timeline[0]!;
    expect(row.target).toBeUndefined();
    expect(row.sent).toBeUndefined();
  });
});
