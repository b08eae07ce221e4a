import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../src/behaviour/faults.js';
import { createFaultPlan, createRateWindow } from '../../../src/mocks/fault-plan.js';
import { STREAM, streamFor } from '../../../src/mocks/rng.js';

const N = 50_000;

/** Decides N calls the way the server does: one stream per call number. */
function tally(spec: string, seed = 1): Record<string, number> {
  const plan = createFaultPlan(parseFaultSpec(spec));
  const counts: Record<string, number> = { none: 0 };
  for (let i = 1; i <= N; i++) {
    const d = plan.decide(i, streamFor(seed, STREAM.call, i)(), i);
    const key = d ? (d.kind === 'error' ? `error${d.status}` : d.kind) : 'none';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('fault plan', () => {
  it('injects each fault at its share, within sampling error', () => {
    const c = tally('errors=0.05,status=503,reset=0.02,hang=0.01');
    // Binomial standard deviation sqrt(N p (1-p)): ~49, ~31, ~22; allow 4 of them.
    expect(Math.abs((c.error503 ?? 0) - 0.05 * N)).toBeLessThan(200);
    expect(Math.abs((c.reset ?? 0) - 0.02 * N)).toBeLessThan(125);
    expect(Math.abs((c.hang ?? 0) - 0.01 * N)).toBeLessThan(90);
    expect(c.error500).toBeUndefined();
  });

  it('answers errors with 500 unless a status is given', () => {
    expect(tally('errors=1').error500).toBe(N);
  });

  it('is the same for the same seed and differs for another', () => {
    const spec = parseFaultSpec('errors=0.1');
    const pattern = (seed: number) => {
      const plan = createFaultPlan(spec);
      return Array.from({ length: 200 }, (_, i) =>
        plan.decide(i + 1, streamFor(seed, STREAM.call, i + 1)(), 0) ? 1 : 0,
      ).join('');
    };
    expect(pattern(5)).toBe(pattern(5));
    expect(pattern(5)).not.toBe(pattern(6));
  });

  it('puts faults on exact call numbers, before any draw', () => {
    const plan = createFaultPlan(parseFaultSpec('hangAt=2,resetAt=3,errorAt=4,status=502,rateLimitAt=5'));
    expect(plan.decide(1, 0, 0)).toBeUndefined();
    expect(plan.decide(2, 0.99, 0)).toEqual({ kind: 'hang' });
    expect(plan.decide(3, 0.99, 0)).toEqual({ kind: 'reset' });
    expect(plan.decide(4, 0.99, 0)).toEqual({ kind: 'error', status: 502 });
    expect(plan.decide(5, 0.99, 0)).toMatchObject({ kind: 'rateLimit', retryAfterS: 1 });
  });

  it('rate-limits over a sliding second with Retry-After', () => {
    const plan = createFaultPlan(parseFaultSpec('rateLimit=40/s'));
    // 100 calls in the first 500 ms: 40 pass, 60 are refused until the window slides.
    const first = Array.from({ length: 100 }, (_, i) => plan.decide(i + 1, 0.5, i * 5));
    expect(first.filter((d) => d === undefined)).toHaveLength(40);
    const refused = first.find((d) => d !== undefined);
    expect(refused).toEqual({ kind: 'rateLimit', retryAfterS: 1, limitPerSecond: 40 });
    // At 1000 ms the first admitted call (t=0) leaves the window: one more passes.
    expect(plan.decide(101, 0.5, 1000)).toBeUndefined();
    expect(plan.decide(102, 0.5, 1001)).toMatchObject({ kind: 'rateLimit' });
  });
});

describe('rate window', () => {
  it('admits at most the rate in any second, counting only admitted calls', () => {
    const w = createRateWindow(10);
    let admitted = 0;
    // A client hammering at 1 call per ms for 5 s gets 10 per second through, no more.
    for (let t = 0; t < 5000; t++) if (w.admit(t) === 0) admitted++;
    expect(admitted).toBe(50);
  });

  it('says how long until there is room', () => {
    const w = createRateWindow(2);
    expect(w.admit(0)).toBe(0);
    expect(w.admit(100)).toBe(0);
    expect(w.admit(300)).toBe(700);
    expect(w.admit(1000)).toBe(0);
  });

  it('widens the window for rates under one a second', () => {
    const w = createRateWindow(0.5);
    expect(w.admit(0)).toBe(0);
    expect(w.admit(1500)).toBe(500);
    expect(w.admit(2000)).toBe(0);
  });
});
