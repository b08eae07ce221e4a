import { describe, expect, it } from 'vitest';
import { newPhaseAccount } from '../../../src/load/phase-account.js';
import type { FlaggedRequest } from '../../../src/result/types.js';
import { assembleResult, countByLevel } from '../../../src/run/assemble-result.js';
import { aScenario } from '../../support/scenario.js';

const scenario = aScenario('unit', {
  file: 'scenarios/unit.yaml',
  stack: {
    services: [],
    app: { port: 8000, env: { TMDB_API_KEY: 'k' }, ready: { path: '/', withinMs: 1000 } },
  },
});
const flag = (level: FlaggedRequest['level']): FlaggedRequest => ({
  at: '2026-11-25T06:00:00.000Z',
  endpoint: 'e',
  method: 'GET',
  path: '/',
  latencyMs: 20_000,
  level,
  ratio: 0.66,
});

describe('assembleResult', () => {
  it('builds a schemaVersion 1 result with the contract fields even when no traffic ran', () => {
    const r = assembleResult({
      runId: 'r1',
      startedAt: new Date('2026-11-25T06:00:00Z'),
      finishedAt: new Date('2026-11-25T06:00:05Z'),
      scenario,
      mode: 'containers',
      baseUrl: '',
      server: { kind: 'gunicorn', timeoutS: 30, timeoutSource: 'server-default' },
      serverEvents: [],
      mocks: [],
      integrity: [],
      status: 'error',
      error: { code: 'IMAGE_MISSING', message: 'image x not found' },
    });
    expect(r).toMatchObject({
      schemaVersion: 1,
      status: 'error',
      requests: { total: 0, ok: 0, errors: 0, byEndpoint: [] },
      flaggedTotal: { approaching: 0, critical: 0, killed: 0 },
      timeline: [],
      meta: { durationMs: 5000 },
    });
    expect(r.findings[0]).toMatchObject({ severity: 'fail', code: 'run-error', detail: 'image x not found' });
  });

  it('marks an aborted run with an info finding', () => {
    const r = assembleResult({
      runId: 'r2',
      startedAt: new Date(),
      finishedAt: new Date(),
      scenario,
      mode: 'url',
      baseUrl: 'http://127.0.0.1:1',
      server: { kind: 'unknown', timeoutS: 30, timeoutSource: 'server-default' },
      serverEvents: [],
      mocks: [],
      integrity: [],
      status: 'aborted',
    });
    expect(r.findings.map((f) => f.code)).toEqual(['run-aborted']);
  });

  it('says how many requests an interrupt cut off in flight and how many were never sent', () => {
    const r = assembleResult({
      runId: 'r3',
      startedAt: new Date(),
      finishedAt: new Date(),
      scenario,
      mode: 'url',
      baseUrl: 'http://127.0.0.1:1',
      server: { kind: 'unknown', timeoutS: 30, timeoutSource: 'server-default' },
      phases: [
        newPhaseAccount({
          name: 'browse',
          model: 'open',
          planned: 500,
          connections: 5,
          sent: 120,
          completed: 113,
          cutOff: 7,
          unsent: 380,
        }),
      ],
      serverEvents: [],
      mocks: [],
      integrity: [],
      status: 'aborted',
    });
    expect(r.findings[0]?.detail).toContain(
      '7 requests in flight were cut off and 380 planned were never sent',
    );
    expect(r.phases?.[0]).toMatchObject({ cutOff: 7, unsent: 380 });
  });
});

describe('countByLevel', () => {
  it('counts the kept list, correlation upgrades included', () => {
    expect(countByLevel([flag('approaching'), flag('killed'), flag('critical')])).toEqual({
      approaching: 1,
      critical: 1,
      killed: 1,
    });
  });

  it('keeps the recorder totals for requests beyond the cap', () => {
    const kept = [flag('approaching'), flag('killed')];
    expect(countByLevel(kept, { approaching: 5000, critical: 3, killed: 0 })).toEqual({
      approaching: 5000,
      critical: 3,
      killed: 1,
    });
  });
});
