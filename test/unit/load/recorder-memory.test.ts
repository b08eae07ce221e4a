// A declared endpoint (one request entry of a scenario) costs bytes until a request is sent to it:
// its latency histogram (~75 KB at this range) is made on the first request. Before, 20,000
// entries cost 1.5 GB of RSS before any traffic.
import { describe, expect, it } from 'vitest';
import { Recorder } from '../../../src/load/recorder.js';

/** JS heap plus typed arrays (histogram counts live in ArrayBuffers, outside heapUsed). */
function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

describe('Recorder memory per declared endpoint', () => {
  it('2,000 declared endpoints, one of them used, cost well under 10 MB of memory', () => {
    const recorder = new Recorder({ serverTimeoutMs: 30_000, warnAt: 0.5, criticalAt: 0.8 });
    const before = used();
    for (let i = 0; i < 2_000; i++)
      recorder.declare({ group: 'browse', endpoint: `e${i}`, method: 'GET', path: `/items/${i}` });
    recorder.record({
      group: 'browse',
      endpoint: 'e7',
      method: 'GET',
      path: '/items/7',
      startMs: 0,
      latencyMs: 12,
      status: 200,
    });
    const grown = used() - before;
    // 2,000 histograms made up front were ~150 MB; declared entries now ~350 bytes each.
    expect(grown).toBeLessThan(10 * 1024 * 1024);
    const result = recorder.finish();
    expect(result.requests.byEndpoint).toHaveLength(2_000);
    const sent = result.requests.byEndpoint.find((e) => e.name === 'e7')!;
    expect(sent.count).toBe(1);
    expect(sent.latencyMs.p50).toBeCloseTo(12, 0);
    expect(result.requests.byEndpoint.find((e) => e.name === 'e8')!.latencyMs.p99).toBe(0);
    expect(Object.keys(recorder.encodedHistograms())).toEqual(['browse/e7']);
  });
});
