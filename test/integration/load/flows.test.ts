// Flows against a loopback server: capture a job id, poll until done, expectations, failures as
// outcomes (not exceptions), every call recorded under the step's name, copies, repeat and start.
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlow } from '../../../src/load/flows.js';
import { Recorder, type RequestSample } from '../../../src/load/recorder.js';
import type { Flow, FlowStep } from '../../../src/scenario/types.js';
import { startTestServer, type TestServer } from './test-server.js';

let server: TestServer;
const dispatcher = new Agent({ headersTimeout: 60_000, bodyTimeout: 60_000 });
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await dispatcher.close();
  await server.close();
});

const step = (method: string, path: string, over: Partial<FlowStep> = {}): FlowStep => ({
  name: `${method} ${path}`,
  method,
  path,
  headers: {},
  follow: false,
  capture: {},
  ...over,
});

const importFlow = (over: Partial<Flow> = {}): Flow => ({
  name: 'import',
  startMs: 0,
  copies: 1,
  repeat: 1,
  steps: [
    step('POST', '/api/import', {
      name: 'start import',
      expect: { status: [202] },
      capture: { job: { json: 'id' }, state: { json: 'job.state' } },
    }),
    step('GET', '/api/import/{{job}}', {
      name: 'poll import',
      until: "status == 'done'",
      everyMs: 50,
      withinMs: 5000,
    }),
  ],
  ...over,
});

async function run(flow: Flow, signal = new AbortController().signal) {
  const recorder = new Recorder({ serverTimeoutMs: 30_000, warnAt: 0.5, criticalAt: 0.8 });
  const samples: RequestSample[] = [];
  const record = recorder.record.bind(recorder);
  recorder.record = (s) => {
    samples.push(s);
    record(s);
  };
  const startedAt = Date.now();
  const outcomes = await runFlow(flow, {
    baseUrl: server.baseUrl,
    values: {},
    recorder,
    signal,
    dispatcher,
    startedAt,
  });
  return { outcomes, traffic: recorder.finish(), startedAt, samples };
}

describe('runFlow', () => {
  it('captures a job id and polls until the condition holds', async () => {
    const { outcomes, traffic } = await run(importFlow());
    expect(outcomes).toEqual([{ flow: 'import', copy: 1, iteration: 1, ok: true }]);
    const [start, poll] = traffic.requests.byEndpoint;
    expect(start).toMatchObject({
      name: 'start import',
      group: 'import',
      method: 'POST',
      count: 1,
      statusCodes: { 202: 1 },
    });
    expect(poll).toMatchObject({
      name: 'poll import',
      path: '/api/import/{{job}}',
      count: 3,
      statusCodes: { 200: 3 },
    });
    const polled = server.seen.filter((s) => s.method === 'GET' && s.url.startsWith('/api/import/'));
    expect(new Set(polled.map((s) => s.url)).size).toBe(1);
    expect(polled.at(-1)?.url).toMatch(/^\/api\/import\/job-\d+$/);
  });

  it('fails an iteration (without throwing) when the status is not the expected one', async () => {
    const { outcomes, traffic } = await run({
      ...importFlow(),
      steps: [
        step('POST', '/fail', { name: 'start', expect: { status: [200, 202] } }),
        step('GET', '/never'),
      ],
    });
    expect(outcomes).toEqual([
      {
        flow: 'import',
        copy: 1,
        iteration: 1,
        ok: false,
        failedStep: 'start',
        message: 'expected status 200 or 202, got 500 (response: {"error":"boom"})',
      },
    ]);
    expect(traffic.requests.byEndpoint.find((e) => e.name === 'GET /never')?.count).toBe(0);
    expect(traffic.failures).toHaveLength(1);
  });

  it('fails when the condition does not hold in time', async () => {
    const { outcomes } = await run({
      ...importFlow(),
      steps: [
        step('POST', '/api/import', { capture: { job: { json: 'id' } } }),
        step('GET', '/api/import/{{job}}', {
          name: 'poll',
          until: "status == 'never'",
          everyMs: 50,
          withinMs: 300,
        }),
      ],
    });
    expect(outcomes[0]).toMatchObject({ ok: false, failedStep: 'poll' });
    expect(outcomes[0]?.message).toMatch(
      /^"status == 'never'" did not hold within 300 ms \(response: \{"id":"job-\d+","status":"(running|done)"/,
    );
  });

  it('records a request the server drops as an empty reply with its latency, and fails the step', async () => {
    const { outcomes, traffic } = await run({
      ...importFlow(),
      steps: [step('POST', '/kill', { name: 'import all pages' })],
    });
    expect(outcomes[0]).toMatchObject({ ok: false, failedStep: 'import all pages' });
    expect(outcomes[0]?.message).toMatch(/^empty reply after \d+ ms$/);
    const [failure] = traffic.failures;
    expect(failure).toMatchObject({
      endpoint: 'import all pages',
      group: 'import',
      method: 'POST',
      path: '/kill',
      error: 'empty reply',
    });
    expect(failure?.latencyMs).toBeGreaterThanOrEqual(25);
    expect(failure).not.toHaveProperty('status');
  });

  it('names a reset, a missing capture and a non-JSON response', async () => {
    const reset = await run({ ...importFlow(), steps: [step('GET', '/reset')] });
    expect(reset.outcomes[0]?.message).toMatch(/^ECONNRESET after \d+ ms$/);
    const capture = await run({
      ...importFlow(),
      steps: [step('POST', '/api/import', { capture: { job: { json: 'nope.id' } } })],
    });
    expect(capture.outcomes[0]?.message).toMatch(
      /^capture job \(nope\.id\): the response has no field nope\.id \(response: \{"id":"job-\d+"/,
    );
    const text = await run({
      ...importFlow(),
      steps: [step('GET', '/text', { capture: { x: { json: 'y' } } })],
    });
    expect(text.outcomes[0]?.message).toBe(
      'capture x (y): expected a JSON response with a field y (response: not json)',
    );
  });

  it('runs copies in parallel, repeats, and waits for its start', async () => {
    const { outcomes, traffic, startedAt, samples } = await run(
      importFlow({ copies: 3, repeat: 2, startMs: 300 }),
    );
    expect(outcomes).toHaveLength(6);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(outcomes.map((o) => `${o.copy}.${o.iteration}`).sort()).toEqual([
      '1.1',
      '1.2',
      '2.1',
      '2.2',
      '3.1',
      '3.2',
    ]);
    expect(traffic.requests.byEndpoint[0]?.count).toBe(6);
    expect(new Set(samples.filter((s) => s.method === 'GET').map((s) => s.path)).size).toBe(6);
    const firstStart = Math.min(...samples.map((s) => s.startMs));
    expect(firstStart - startedAt).toBeGreaterThanOrEqual(299);
    // The three copies ran side by side: their first POSTs started within a few ms of each other.
    const posts = samples
      .filter((s) => s.method === 'POST')
      .map((s) => s.startMs)
      .sort((a, b) => a - b);
    expect((posts[2] as number) - (posts[0] as number)).toBeLessThan(100);
  });

  it('stops when the signal aborts, without an outcome for the cut iteration', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const { outcomes } = await run({ ...importFlow(), steps: [step('GET', '/hang')] }, controller.signal);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(outcomes).toEqual([]);
  });
});

describe('runFlow: secrets in failure snippets', () => {
  it('masks a secret the response echoes before the snippet is cut short', async () => {
    const secret = 'sk_live_0123456789abcdefghij';
    const { createMasker } = await import('../../../src/redact/rules.js');
    const mask = createMasker([secret]);
    // /echo answers 200 with the URL in its JSON: the secret sits across the 120-character cut.
    const path = `/echo?pad=${'x'.repeat(60)}&k=${secret}`;
    const outcomes = await runFlow(
      {
        name: 'f',
        startMs: 0,
        copies: 1,
        repeat: 1,
        steps: [step('GET', path, { name: 'e', expect: { status: [201] } })],
      },
      {
        baseUrl: server.baseUrl,
        values: {},
        recorder: new Recorder({ serverTimeoutMs: 30_000, warnAt: 0.5, criticalAt: 0.8 }),
        signal: new AbortController().signal,
        dispatcher,
        mask,
      },
    );
    const message = outcomes[0]?.message ?? '';
    expect(message).toContain('expected status 201, got 200');
    expect(message).toContain('••••');
    expect(message).not.toContain(secret.slice(0, 6));
  });
});
