// The open model's plan: exact counts and due times for rate, amount and ramps, and the default
// connection cap.
import { describe, expect, it } from 'vitest';
import {
  arrivalOffsets,
  arrivalSchedule,
  defaultMaxConnections,
  MAX_CONNECTIONS_CAP,
} from '../../../src/load/schedule.js';
import type { LoadPhase } from '../../../src/scenario/types.js';

const base: LoadPhase = { name: 'p', connections: 5, pipelining: 1, requests: [] };

describe('arrivalSchedule', () => {
  it('is undefined for a closed-model phase', () => {
    expect(arrivalSchedule({ ...base, durationMs: 10_000 })).toBeUndefined();
  });

  it('plans rate x duration, evenly spaced, whatever the connections', () => {
    const s = arrivalSchedule({ ...base, durationMs: 10_000, ratePerSecond: 50 })!;
    expect(s.total).toBe(500);
    const offsets = [...arrivalOffsets(s)];
    expect(offsets).toHaveLength(500);
    expect(offsets.slice(0, 3)).toEqual([0, 20, 40]);
    expect(offsets.at(-1)).toBe(9980);
  });

  it('plans an amount at a rate over amount / rate seconds', () => {
    const s = arrivalSchedule({ ...base, amount: 30, ratePerSecond: 10 })!;
    expect(s.total).toBe(30);
    expect(s.durationMs).toBe(3000);
  });

  it('chains ramp steps, each at its own rate', () => {
    const s = arrivalSchedule({
      ...base,
      ramp: [
        { durationMs: 1000, ratePerSecond: 10 },
        { durationMs: 2000, ratePerSecond: 100 },
      ],
    })!;
    expect(s.total).toBe(210);
    expect(s.peakRatePerSecond).toBe(100);
    const offsets = [...arrivalOffsets(s)];
    expect(offsets[10]).toBe(1000);
    expect(offsets[11]).toBe(1010);
    // Due times never go backwards.
    for (let i = 1; i < offsets.length; i++) expect(offsets[i]!).toBeGreaterThan(offsets[i - 1]!);
  });
});

describe('defaultMaxConnections', () => {
  const s = arrivalSchedule({ ...base, durationMs: 1000, ratePerSecond: 5 })!;
  it('holds the peak rate for the whole client timeout', () => {
    expect(defaultMaxConnections(s, 2, 60_000)).toBe(300);
  });
  it('never below connections, never above the cap', () => {
    expect(defaultMaxConnections(s, 400, 1000)).toBe(400);
    expect(defaultMaxConnections(s, 2, 3_600_000)).toBe(MAX_CONNECTIONS_CAP);
  });
});
