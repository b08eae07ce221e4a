// The search for the cliff against a fake runner whose verdict is a function of the value: it
// finds the boundary within the precision, respects --max-runs, and ends right at both edges.
import { describe, expect, it } from 'vitest';
import { defaultPrecision, searchCliff } from '../../../src/sweep/search.js';

/** Passes below `cliff`; records the values it was asked to run. */
function fake(cliff: number) {
  const asked: number[] = [];
  const run = async (value: number) => {
    asked.push(value);
    return { passed: value < cliff, outcome: value };
  };
  return { run, asked };
}

describe('searchCliff', () => {
  for (const cliff of [1.05, 1.37, 2.04, 2.95, 3.99]) {
    it(`finds a cliff at ${cliff}x within the precision (1x..4x, 0.1)`, async () => {
      const { run, asked } = fake(cliff);
      const r = await searchCliff(run, { from: 1, to: 4, precision: 0.1, maxRuns: 20, integer: false });
      expect(r.end).toBe('boundary');
      expect(r.lastPassing!).toBeLessThan(cliff);
      expect(r.firstFailing!).toBeGreaterThanOrEqual(cliff);
      expect(r.firstFailing! - r.lastPassing!).toBeLessThanOrEqual(0.1 + 1e-9);
      expect(new Set(asked).size).toBe(asked.length);
      expect(asked[0]).toBe(1);
      expect(asked.length).toBeLessThanOrEqual(10);
    });
  }

  it('integer targets step in whole numbers and end one apart', async () => {
    const { run, asked } = fake(6);
    const r = await searchCliff(run, { from: 1, to: 8, precision: 1, maxRuns: 20, integer: true });
    expect(asked.every(Number.isInteger)).toBe(true);
    expect(r).toMatchObject({ lastPassing: 5, firstFailing: 6, end: 'boundary' });
  });

  it('fails at FROM: one run, no headroom', async () => {
    const { run, asked } = fake(0.5);
    const r = await searchCliff(run, { from: 1, to: 4, precision: 0.1, maxRuns: 12, integer: false });
    expect(asked).toEqual([1]);
    expect(r).toMatchObject({ lastPassing: null, firstFailing: 1, end: 'failed-at-from' });
  });

  it('passes at TO: TO is run, the cliff is further out', async () => {
    const { run, asked } = fake(100);
    const r = await searchCliff(run, { from: 1, to: 4, precision: 0.1, maxRuns: 12, integer: false });
    expect(asked.at(-1)).toBe(4);
    expect(r).toMatchObject({ lastPassing: 4, firstFailing: null, end: 'passed-at-to' });
  });

  it('respects --max-runs and keeps the bracket found so far', async () => {
    const { run, asked } = fake(2.04);
    const r = await searchCliff(run, { from: 1, to: 4, precision: 0.01, maxRuns: 5, integer: false });
    expect(asked).toHaveLength(5);
    expect(r.end).toBe('max-runs');
    expect(r.lastPassing!).toBeLessThan(2.04);
    expect(r.firstFailing!).toBeGreaterThanOrEqual(2.04);
  });

  it('stops at an abort with the steps done', async () => {
    const controller = new AbortController();
    const asked: number[] = [];
    const r = await searchCliff(
      async (v) => {
        asked.push(v);
        if (asked.length === 2) controller.abort('SIGINT');
        return { passed: v < 3, outcome: v };
      },
      { from: 1, to: 4, precision: 0.1, maxRuns: 12, integer: false, signal: controller.signal },
    );
    expect(asked).toHaveLength(2);
    expect(r.end).toBe('interrupted');
    expect(r.steps).toHaveLength(2);
  });
});

describe('defaultPrecision', () => {
  it('0.1x for latency, a round 16th of the range otherwise, whole for integers', () => {
    expect(defaultPrecision('latency', 1, 4, false)).toBe(0.1);
    expect(defaultPrecision('movies', 1000, 20000, true)).toBe(2000);
    expect(defaultPrecision('rate', 10, 80, false)).toBe(5);
    expect(defaultPrecision('copies', 1, 8, true)).toBe(1);
  });
});
