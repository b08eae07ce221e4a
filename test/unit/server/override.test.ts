import { describe, expect, it } from 'vitest';
import { newRunId } from '../../../src/run/run-id.js';
import { timeoutOverride, urlTargetServer } from '../../../src/server/override.js';

describe('server timeout precedence without an image', () => {
  it('takes --server-timeout over the scenario, the scenario over the default', () => {
    expect(timeoutOverride(5_000, { server: { timeoutMs: 60_000 } })).toEqual({ ms: 5_000, source: 'flag' });
    expect(timeoutOverride(undefined, { server: { timeoutMs: 60_000 } })).toEqual({
      ms: 60_000,
      source: 'scenario',
    });
    expect(timeoutOverride(undefined, { server: {} })).toBeUndefined();
  });

  it('falls back to gunicorn’s 30 s default and says so', () => {
    expect(urlTargetServer(undefined)).toEqual({
      kind: 'unknown',
      timeoutS: 30,
      timeoutSource: 'server-default',
    });
    expect(urlTargetServer({ ms: 2_500, source: 'flag' })).toMatchObject({
      timeoutS: 2.5,
      timeoutSource: 'flag',
    });
  });
});

describe('run ids', () => {
  it('sort by time, carry the scenario name and are unique', () => {
    const a = newRunId('smoke', new Date('2026-11-25T06:00:00.123Z'));
    const b = newRunId('smoke', new Date('2026-11-25T06:00:00.123Z'));
    expect(a).toMatch(/^20261125-060000Z-smoke-[0-9a-f]{6}$/);
    expect(a).not.toBe(b);
  });
});
