import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { compareResults, DEFAULT_TOLERANCES, isComparison } from '../../../src/report/compare.js';
import { formatComparison } from '../../../src/report/format-comparison.js';
import { parseTolerance } from '../../../src/report/tolerance.js';
import { sampleResult } from './fixtures.js';

describe('compareResults', () => {
  it('passes a result against itself', () => {
    const r = sampleResult();
    const c = compareResults(r, r);
    expect(c.ok).toBe(true);
    expect(c.regressions).toEqual([]);
    expect(c.improvements).toEqual([]);
    expect(formatComparison(c)).toContain('no regressions');
    expect(isComparison(JSON.parse(JSON.stringify(c)))).toBe(true);
  });

  it('detects an injected latency regression on one endpoint, a new worker timeout and more flagged requests', () => {
    // The fixture has no histograms (an older result): latency by the tolerances, and its 311
    // requests are enough for a p95 (100), not for a p99 (500).
    const baseline = sampleResult();
    const current = sampleResult();
    const browse = current.requests.byEndpoint[0]!;
    browse.latencyMs.p95 = Math.round(browse.latencyMs.p95 * 1.5);
    current.serverEvents.push({ ...current.serverEvents.find((e) => e.kind === 'worker-timeout')! });
    current.flaggedTotal.critical += 2;
    const c = compareResults(baseline, current);
    expect(c.ok).toBe(false);
    expect(c.regressions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ metric: 'p95', endpoint: browse.name, unit: 'ms' }),
        expect.objectContaining({ metric: 'worker timeouts', baseline: 1, current: 2, change: 1 }),
        expect.objectContaining({ metric: 'flagged critical', change: 2 }),
      ]),
    );
    expect(c.regressions.find((x) => x.metric === 'p95')!.changePct).toBeCloseTo(50, 0);
    expect(c.regressions).toHaveLength(3);
    const text = formatComparison(c);
    expect(text).toContain('3 regressions');
    expect(text).toMatch(/p95 of GET \/api\/movies\?page=:page: 112 ms → 168 ms \(\+50%/);
  });

  it('respects tolerances: small relative and tiny absolute changes are not regressions', () => {
    const baseline = sampleResult();
    const current = sampleResult();
    current.requests.byEndpoint[0]!.latencyMs.p95 *= 1.09; // within 10%
    current.requests.byEndpoint[0]!.latencyMs.p50 *= 3; // p50 is not compared
    baseline.requests.byEndpoint[0]!.latencyMs.max = 2;
    current.requests.byEndpoint[0]!.latencyMs.max = 4; // +100% but 2 ms
    expect(compareResults(baseline, current).ok).toBe(true);
    current.requests.errors += 3; // +0.76 pts
    const c = compareResults(baseline, current);
    expect(c.regressions.map((x) => x.metric)).toEqual(['error rate']);
    expect(compareResults(baseline, current, { ...DEFAULT_TOLERANCES, errorRatePts: 1 }).ok).toBe(true);
  });

  it('reports improvements and endpoints present on one side only', () => {
    const baseline = sampleResult();
    const current = sampleResult();
    current.serverEvents = current.serverEvents.filter((e) => e.kind !== 'worker-timeout');
    current.flaggedTotal.killed = 0;
    current.requests.byEndpoint.pop();
    const c = compareResults(baseline, current);
    expect(c.ok).toBe(true);
    expect(c.improvements.map((x) => x.metric)).toEqual(['flagged killed', 'worker timeouts']);
    expect(c.notes).toContain('endpoint missing from this run: import all pages');
  });
});

describe('parseTolerance', () => {
  it('reads the CLI spec', () => {
    expect(parseTolerance('latency=20%,errors=1,flagged=2,workerTimeouts=1,latencyMin=50ms')).toEqual({
      latencyPct: 20,
      errorRatePts: 1,
      flagged: 2,
      workerTimeouts: 1,
      latencyMinMs: 50,
    });
    expect(parseTolerance(undefined)).toEqual(DEFAULT_TOLERANCES);
  });

  it.each(['latency', 'latency=abc', 'speed=1', 'flagged=-1', 'latencyMin=fast'])('rejects %s', (spec) => {
    expect(() => parseTolerance(spec)).toThrow(UsageError);
  });
});
