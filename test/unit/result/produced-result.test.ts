// A result.json as the run produces it (recorder → log observer → correlation → verdict →
// assembleResult), written as JSON and read back: it must pass the schema `report` and
// `compare` validate with, and keep the incident's story (killed import tied to the timeout).
import { describe, expect, it } from 'vitest';
import { Recorder, type RequestSample } from '../../../src/load/recorder.js';
import { correlate } from '../../../src/observe/correlate.js';
import { createLogObserver } from '../../../src/observe/log-observer.js';
import { parseResult } from '../../../src/result/result-schema.js';
import type { ServerConfig } from '../../../src/result/types.js';
import { assembleResult, countByLevel } from '../../../src/run/assemble-result.js';
import { judge } from '../../../src/verdict/judge.js';
import { aScenario } from '../../support/scenario.js';

const t0 = Date.parse('2026-11-25T06:29:20.000Z');
const scenario = aScenario('incident-small', {
  file: 'scenarios/incident-small.yaml',
  stack: { services: [], app: { port: 8000, env: {}, ready: { path: '/healthz', withinMs: 60_000 } } },
});
const server: ServerConfig = {
  kind: 'gunicorn',
  timeoutS: 30,
  timeoutSource: 'server-default',
  workers: 3,
  workerClass: 'sync',
};

describe('a produced result.json', () => {
  it('passes the schema and tells the incident', () => {
    let clock = t0;
    const recorder = new Recorder({
      serverTimeoutMs: 30_000,
      warnAt: 0.5,
      criticalAt: 0.8,
      now: () => clock,
    });
    recorder.start(t0);
    for (let i = 0; i < 300; i += 1) {
      clock = t0 + i * 100 + 40;
      recorder.record({
        endpoint: 'browse',
        group: 'browse',
        method: 'GET',
        path: `/api/movies?page=${(i % 5) + 1}`,
        startMs: t0 + i * 100,
        latencyMs: 40,
        status: 200,
      });
    }
    const killedImport: RequestSample = {
      endpoint: 'import all pages',
      group: 'import',
      method: 'POST',
      path: '/api/import?pages=100',
      startMs: Date.parse('2026-11-25T06:29:23.400Z'),
      latencyMs: 30_750,
      error: 'ECONNRESET',
    };
    clock = killedImport.startMs + killedImport.latencyMs;
    recorder.record(killedImport);
    const traffic = recorder.finish();

    const logs = createLogObserver();
    const arrive = (at: string, line: string) => logs.push({ at: Date.parse(at), source: 'app', line });
    arrive('2026-11-25T06:29:21.010Z', '[2026-11-25 06:29:21 +0000] [9] [INFO] Booting worker with pid: 9');
    arrive('2026-11-25T06:29:54.120Z', '[2026-11-25 06:29:54 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:9)');
    arrive('2026-11-25T06:29:54.160Z', '[2026-11-25 06:29:54 +0000] [9] [INFO] Worker exiting (pid: 9)');
    arrive('2026-11-25T06:29:54.400Z', '[2026-11-25 06:29:54 +0000] [16] [INFO] Booting worker with pid: 16');

    const correlation = correlate({
      flagged: traffic.flagged,
      failures: traffic.failures,
      events: logs.events(),
      serverTimeoutMs: 30_000,
    });
    const flaggedTotal = countByLevel(correlation.flagged, traffic.flaggedTotal);
    const integrity = [
      {
        name: 'every served movie stored completely',
        passed: false,
        expected: '2000',
        actual: '560',
        detail: 'expected 2000, got 560',
        kind: 'partial' as const,
        origin: 'scenario' as const,
      },
    ];
    const verdict = judge({
      scenario,
      server,
      requests: traffic.requests,
      flagged: correlation.flagged,
      flaggedTotal,
      serverEvents: logs.events(),
      integrity,
      flowOutcomes: [
        {
          flow: 'import',
          copy: 1,
          iteration: 1,
          ok: false,
          failedStep: 'import all pages',
          message: 'no response',
        },
      ],
      byGroup: traffic.byGroup,
    });
    const result = assembleResult({
      runId: '20261125-062919Z-incident-small-abc123',
      startedAt: new Date(t0 - 5_000),
      finishedAt: new Date(t0 + 40_000),
      scenario,
      mode: 'containers',
      baseUrl: 'http://127.0.0.1:32768',
      image: 'localmovies:incident',
      server,
      traffic,
      correlation,
      serverEvents: logs.events(),
      mocks: [],
      integrity,
      verdict,
      status: verdict.status,
    });

    const read = parseResult(JSON.parse(JSON.stringify(result)), 'result.json');
    expect(read.status).toBe('failed');
    expect(read.flagged.filter((f) => f.level === 'killed')).toEqual([
      expect.objectContaining({
        endpoint: 'import all pages',
        latencyMs: 30_750,
        serverEvent: expect.objectContaining({ kind: 'worker-timeout', pid: 9 }),
      }),
    ]);
    expect(read.flaggedTotal.killed).toBe(1);
    expect(read.integrity).toEqual(integrity);
    expect(read.findings.map((f) => f.code)).toEqual(
      expect.arrayContaining([
        'worker-timeout',
        'killed-requests',
        'integrity-failed',
        'partial-import',
        'flow-failed',
      ]),
    );
    expect(read.findings.find((f) => f.code === 'worker-timeout')?.advice).toMatch(
      /--timeout to at least 45/,
    );
  });
});
