// result.json's `histograms`: the recorder's per-endpoint HDR histograms, keyed `group/name`,
// carried through assembleResult, written as JSON, read back by the schema and decoded by
// compare into the same counts and percentiles the endpoint summaries show.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { Recorder } from '../../../src/load/recorder.js';
import { distributionOf, rankOf, valueAtRank } from '../../../src/report/latency-distribution.js';
import { parseResult } from '../../../src/result/result-schema.js';
import { assembleResult } from '../../../src/run/assemble-result.js';
import { mulberry32 } from '../../../src/util/seeded-random.js';
import { aScenario } from '../../support/scenario.js';

function recordedResult() {
  const t0 = Date.parse('2026-12-01T10:00:00.000Z');
  let clock = t0;
  const recorder = new Recorder({ serverTimeoutMs: 30_000, warnAt: 0.5, criticalAt: 0.8, now: () => clock });
  recorder.start(t0);
  const u = mulberry32(3);
  for (let i = 0; i < 1000; i++) {
    clock = t0 + i * 10;
    recorder.record({
      endpoint: 'list',
      group: 'browse',
      method: 'GET',
      path: '/api/movies',
      startMs: clock,
      latencyMs: 20 + 80 * u() ** 3,
      status: 200,
    });
  }
  recorder.record({
    endpoint: 'import',
    group: 'import',
    method: 'POST',
    path: '/api/import',
    startMs: clock,
    latencyMs: 1234.5,
    status: 202,
  });
  recorder.declare({ group: 'browse', endpoint: 'never', method: 'GET', path: '/never' });
  const traffic = recorder.finish();
  return assembleResult({
    runId: 'r-hist',
    startedAt: new Date(t0),
    finishedAt: new Date(clock + 1000),
    scenario: aScenario('hist'),
    mode: 'url',
    baseUrl: 'http://127.0.0.1:1',
    server: { kind: 'unknown', timeoutS: 30, timeoutSource: 'server-default' },
    traffic,
    histograms: recorder.encodedHistograms(),
    serverEvents: [],
    mocks: [],
    integrity: [],
    status: 'passed',
  });
}

describe('result.json histograms', () => {
  it('holds one HDR histogram per endpoint that saw requests, keyed group/name', () => {
    const read = parseResult(JSON.parse(JSON.stringify(recordedResult())));
    expect(Object.keys(read.histograms ?? {}).sort()).toEqual(['browse/list', 'import/import']);
    for (const encoded of Object.values(read.histograms!)) expect(encoded).toMatch(/^HISTFAAA/);
    const list = read.requests.byEndpoint.find((e) => e.name === 'list')!;
    const d = distributionOf(read.histograms!['browse/list']!);
    expect(d.total).toBe(list.count);
    // The summary's p95 is the same HDR value (to the 0.01 ms the summary is rounded to).
    expect(valueAtRank(d, rankOf(95, d.total))).toBeCloseTo(list.latencyMs.p95, 1);
    expect(distributionOf(read.histograms!['import/import']!).valuesMs[0]).toBeCloseTo(1234.5, 0);
  });

  it('is left out when no request was recorded, and a broken one is a UsageError naming the field', () => {
    const empty = assembleResult({ ...baseInput(), histograms: {} });
    expect(empty.histograms).toBeUndefined();
    const broken = JSON.parse(JSON.stringify(recordedResult()));
    broken.histograms['browse/list'] = 'HISTFAAAnot-a-histogram';
    expect(() => parseResult(broken, 'r.json')).toThrow(UsageError);
    expect(() => parseResult(broken, 'r.json')).toThrow(
      /r\.json: histograms\.browse\/list: expected an HDR histogram/,
    );
  });
});

function baseInput() {
  return {
    runId: 'r0',
    startedAt: new Date('2026-12-01T10:00:00Z'),
    finishedAt: new Date('2026-12-01T10:00:01Z'),
    scenario: aScenario('hist'),
    mode: 'url' as const,
    baseUrl: '',
    server: { kind: 'unknown', timeoutS: 30, timeoutSource: 'server-default' as const },
    serverEvents: [],
    mocks: [],
    integrity: [],
    status: 'passed' as const,
  };
}
