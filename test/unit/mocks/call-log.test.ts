import { describe, expect, it } from 'vitest';
import { type CallRecord, createCallLog } from '../../../src/mocks/call-log.js';

function record(index: number, over: Partial<CallRecord> = {}): CallRecord {
  return {
    index,
    route: '/3/movie/:id',
    key: 'get-3-movie-id',
    method: 'GET',
    path: `/3/movie/${index}`,
    query: 'api_key=secret&language=en',
    outcome: 'pending',
    delayMs: 0,
    startedAt: performance.timeOrigin + performance.now(),
    ...over,
  };
}

describe('call log', () => {
  it('counts calls by route and outcome, faults by kind, and in-flight calls as pending', () => {
    const log = createCallLog({ sampleCap: 10, seed: 1 });
    const calls = Array.from({ length: 6 }, (_, i) => record(i + 1));
    for (const c of calls) log.begin(c);
    log.end(calls[0]!, '200', 200);
    log.end(calls[1]!, '200', 200);
    log.end(calls[2]!, '404', 404);
    const limited = record(7, { route: '/3/movie/popular', key: 'get-3-movie-popular', fault: 'rateLimit' });
    log.begin(limited);
    log.end(limited, '429', 429);
    const reset = record(8, { fault: 'reset' });
    log.begin(reset);
    log.end(reset, 'reset');
    log.end(reset, 'closed'); // a second end is ignored
    const s = log.summary();
    expect(s.calls).toBe(8);
    expect(s.byRoute).toEqual([
      {
        route: '/3/movie/:id',
        key: 'get-3-movie-id',
        method: 'GET',
        calls: 7,
        statusCodes: { 200: 2, 404: 1, reset: 1, pending: 3 },
      },
      {
        route: '/3/movie/popular',
        key: 'get-3-movie-popular',
        method: 'GET',
        calls: 1,
        statusCodes: { 429: 1 },
      },
    ]);
    expect(s.faults).toEqual({ rateLimit: 1, error: 0, reset: 1, hang: 0 });
    expect(log.inFlight()).toHaveLength(3);
  });

  it('keeps a capped, uniform sample and bounded memory however many calls', () => {
    const log = createCallLog({ sampleCap: 100, seed: 3 });
    for (let i = 1; i <= 20_000; i++) {
      const r = record(i);
      log.begin(r);
      log.end(r, '200', 200);
    }
    const sample = log.calls();
    expect(sample).toHaveLength(100);
    expect(sample.map((c) => c.index)).toEqual([...sample.map((c) => c.index)].sort((a, b) => a - b));
    // Reservoir sampling: the kept calls span the whole run, not just its start.
    expect(sample.filter((c) => c.index > 10_000).length).toBeGreaterThan(30);
    expect(log.summary().calls).toBe(20_000);
  });

  it('redacts secrets in the sampled query strings', () => {
    const log = createCallLog({ sampleCap: 5, seed: 1 });
    const r = record(1, { query: 'api_key=secret&page=2&access_token=t' });
    log.begin(r);
    log.end(r, '200', 200);
    expect(log.calls()[0]?.query).toBe('api_key=••••&page=2&access_token=••••');
  });

  it('summarises latency from start to end of each call', async () => {
    const log = createCallLog({ sampleCap: 5, seed: 1 });
    const r = record(1);
    log.begin(r);
    await new Promise((resolve) => setTimeout(resolve, 30));
    log.end(r, '200', 200);
    const { latencyMs } = log.summary();
    expect(latencyMs.max).toBeGreaterThanOrEqual(29);
    expect(latencyMs.max).toBeLessThan(500);
    expect(Math.abs(latencyMs.p50 - latencyMs.max)).toBeLessThanOrEqual(0.2);
    expect(log.calls()[0]?.durationMs).toBeCloseTo(latencyMs.max, 0);
  });

  it('reports zeros before any call ends', () => {
    expect(createCallLog({ sampleCap: 5, seed: 1 }).summary().latencyMs).toEqual({
      p50: 0,
      p90: 0,
      p95: 0,
      p99: 0,
      max: 0,
      mean: 0,
    });
  });
});
