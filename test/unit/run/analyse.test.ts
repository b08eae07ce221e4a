// Analysis is a pure function of the run's facts: these tests feed it a recorded traffic (a real
// Recorder fed with samples), a real gunicorn 20.1 log (test/fixtures/server-logs) read by the
// real log observer, and mock records, and read the result. No container, no clock.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Recorder, type RequestSample } from '../../../src/load/recorder.js';
import { createAccessLog } from '../../../src/observe/access-log.js';
import { createLogObserver } from '../../../src/observe/log-observer.js';
import { createMasker } from '../../../src/redact/rules.js';
import { type AnalyseInput, analyse } from '../../../src/run/analyse.js';
import type { Driven } from '../../../src/run/drive.js';
import type { Snapshot } from '../../../src/run/snapshot.js';
import { aScenario } from '../../support/scenario.js';

const LOG = readFileSync('test/fixtures/server-logs/gunicorn-20.1.log', 'utf8').trim().split('\n');
const at = (hms: string) => Date.parse(`2026-11-24T${hms}Z`);
const scenario = aScenario('analyse', {
  stack: {
    services: [],
    app: { port: 8000, env: { TMDB_API_KEY: 'sekrit-key-123' }, ready: { path: '/', withinMs: 1000 } },
  },
});
const server = { kind: 'gunicorn', timeoutS: 30, timeoutSource: 'server-default' } as const;

function recorded(samples: RequestSample[]): Driven {
  const recorder = new Recorder({
    serverTimeoutMs: 30_000,
    warnAt: 0.5,
    criticalAt: 0.8,
    now: () => at('15:45:00'),
  });
  recorder.start(at('15:45:00'));
  for (const s of samples) recorder.record(s);
  return { traffic: recorder.finish(), flows: [], phases: [], histograms: recorder.encodedHistograms() };
}

function snapshotOf(lines: string[]): Snapshot {
  const logs = createLogObserver();
  for (const line of lines)
    logs.push({ at: Date.parse(line.slice(1, 20).replace(' ', 'T') + 'Z'), source: 'app', line });
  return {
    serverEvents: logs.events(),
    accessEntries: createAccessLog().entries(),
    mocks: [],
    integrity: [],
  };
}

const request = (start: string, latencyMs: number, status?: number): RequestSample => ({
  endpoint: 'import',
  group: 'import',
  method: 'POST',
  path: '/api/import?pages=500',
  startMs: at(start),
  latencyMs,
  status,
  error: status === undefined ? 'ECONNRESET' : undefined,
});

function input(parts: Partial<AnalyseInput>): AnalyseInput {
  return {
    runId: 'analyse-1',
    startedAt: new Date(at('15:44:50')),
    finishedAt: new Date(at('15:47:02')),
    scenario,
    target: { mode: 'containers', baseUrl: 'http://127.0.0.1:1', server },
    snapshot: snapshotOf(LOG),
    ended: { aborted: false },
    mask: createMasker(['sekrit-key-123']),
    ...parts,
  };
}

describe('analyse', () => {
  it('ties a request with an empty reply to the WORKER TIMEOUT that killed it, and fails the run', () => {
    // Started 15:45:05, reset 30 s later: the log's WORKER TIMEOUT (pid:9) at 15:45:35.
    const driven = recorded([request('15:45:05', 30_400), request('15:45:06', 120, 200)]);
    const result = analyse(input({ driven }));
    expect(result.status).toBe('failed');
    expect(result.flaggedTotal.killed).toBe(1);
    const killed = result.flagged.find((f) => f.level === 'killed')!;
    expect(killed.serverEvent?.line).toMatch(/WORKER TIMEOUT \(pid:9\)/);
    expect(result.findings.map((f) => f.code)).toContain('killed-requests');
    expect(result.checks?.some((c) => !c.passed)).toBe(true);
  });

  it('passes the same traffic when every request answered fast and the log has no timeout', () => {
    const driven = recorded([request('15:45:05', 300, 200), request('15:45:06', 120, 200)]);
    const result = analyse(input({ driven, snapshot: snapshotOf(LOG.slice(0, 6)) }));
    expect(result.status).toBe('passed');
    expect(result.flaggedTotal).toEqual({ approaching: 0, critical: 0, killed: 0 });
    expect(result.checks?.every((c) => c.passed || c.skipped)).toBe(true);
  });

  it('makes an error a status with its code, and lists the unfinished run as the one failed check', () => {
    const result = analyse(
      input({
        ended: {
          aborted: false,
          error: { code: 'CONTAINER_DIED', message: 'container app exited with code 137' },
        },
      }),
    );
    expect(result.status).toBe('error');
    expect(result.error).toEqual({ code: 'CONTAINER_DIED', message: 'container app exited with code 137' });
    expect(result.findings[0]).toMatchObject({ code: 'run-error' });
    expect(result.checks).toEqual([
      {
        name: 'the run completed',
        passed: false,
        message: 'did not complete: container app exited with code 137',
      },
    ]);
  });

  it('keeps what an interrupted run recorded, as aborted', () => {
    const driven = recorded([request('15:45:06', 120, 200)]);
    const result = analyse(input({ driven, ended: { aborted: true } }));
    expect(result.status).toBe('aborted');
    expect(result.requests.total).toBe(1);
    expect(result.findings[0]).toMatchObject({ code: 'run-aborted' });
  });

  it("masks the run's secret values wherever they appear, the server's log lines included", () => {
    const lines = [
      ...LOG.slice(0, 6),
      '[2026-11-24 15:45:20 +0000] [9] [ERROR] calling TMDB with api_key sekrit-key-123 failed',
    ];
    const result = analyse(
      input({ driven: recorded([request('15:45:06', 120, 200)]), snapshot: snapshotOf(lines) }),
    );
    expect(JSON.stringify(result)).not.toContain('sekrit-key-123');
    expect(result.serverEvents.some((e) => e.line.includes('calling TMDB'))).toBe(true);
  });

  it('is pure: the same facts give the same result', () => {
    const facts = input({ driven: recorded([request('15:45:05', 30_400), request('15:45:06', 120, 200)]) });
    expect(analyse(facts)).toEqual(analyse(facts));
  });
});
