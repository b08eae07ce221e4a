// rate-not-reached: an open-model phase that could not send its plan says how many of how many,
// from when and what to raise; beyond budgets.rateShortfall it fails the verdict.
import { describe, expect, it } from 'vitest';
import type { EndpointStats, PhaseAccount, ServerConfig } from '../../../src/result/types.js';
import { defaultBudgets } from '../../../src/scenario/defaults.js';
import { type JudgeInput, judge } from '../../../src/verdict/judge.js';

const server: ServerConfig = { kind: 'gunicorn', timeoutS: 30, timeoutSource: 'server-default' };

function account(over: Partial<PhaseAccount>): PhaseAccount {
  return {
    name: 'browse',
    model: 'open',
    planned: 500,
    sent: 500,
    completed: 500,
    dropped: 0,
    unsent: 0,
    cutOff: 0,
    late: 0,
    connections: 5,
    maxConnections: 5,
    connectionsOpened: 5,
    peakInFlight: 5,
    peakRatePerSecond: 50,
    startedAt: '2026-12-01T10:00:00.000Z',
    ...over,
  };
}

const group: EndpointStats = {
  name: 'browse',
  method: 'GET',
  path: '*',
  group: 'browse',
  count: 96,
  errors: 0,
  statusCodes: { '200': 96 },
  latencyMs: { p50: 500, p90: 510, p95: 512, p99: 520, max: 530, mean: 502 },
};

function input(phases: PhaseAccount[], rateShortfall = 0.05): JudgeInput {
  return {
    scenario: { budgets: { ...defaultBudgets(), rateShortfall } },
    server,
    requests: { total: 96, ok: 96, errors: 0, byEndpoint: [] },
    flagged: [],
    flaggedTotal: { approaching: 0, critical: 0, killed: 0 },
    serverEvents: [],
    integrity: [],
    byGroup: [group],
    phases,
  };
}

describe('rate-not-reached', () => {
  it('fails a phase that sent 96 of 500 because its connections were all busy', () => {
    const v = judge(input([account({ sent: 96, completed: 96, dropped: 404, firstDroppedAfterMs: 120 })]));
    expect(v.status).toBe('failed');
    const f = v.findings.find((x) => x.code === 'rate-not-reached')!;
    expect(f.severity).toBe('fail');
    expect(f.title).toContain('96 of 500');
    expect(f.detail).toContain('404');
    expect(f.detail).toContain('120 ms');
    // Little's law: 50/s x 502 ms = 25.1 connections, plus 20 %.
    expect(f.advice).toContain('maxConnections to at least 31');
    expect(v.checks.find((c) => c.name.startsWith('rate browse'))?.passed).toBe(false);
  });

  it('warns within the allowed shortfall and passes', () => {
    const v = judge(input([account({ sent: 490, completed: 490, dropped: 10 })]));
    expect(v.status).toBe('passed');
    expect(v.findings.find((x) => x.code === 'rate-not-reached')?.severity).toBe('warn');
  });

  it('names a client that fell behind its own schedule', () => {
    const v = judge(input([account({ late: 100 })]));
    const f = v.findings.find((x) => x.code === 'rate-not-reached')!;
    expect(f.severity).toBe('fail');
    expect(f.detail).toContain('load generator itself could not keep up');
  });

  it('says nothing of a phase that held its rate, or of a closed-model phase', () => {
    const v = judge(input([account({}), account({ name: 'c', model: 'closed', planned: 0, sent: 10 })]));
    expect(v.findings.find((x) => x.code === 'rate-not-reached')).toBeUndefined();
    expect(v.status).toBe('passed');
  });

  it('does not blame the load for requests an interrupt kept from going out', () => {
    const v = judge(input([account({ sent: 100, completed: 80, cutOff: 20, unsent: 400 })]));
    expect(v.findings.find((x) => x.code === 'rate-not-reached')).toBeUndefined();
  });
});
