// The open model against loopback servers whose behaviour is known: the rate is held whatever the
// latency, a stall shows in the percentiles, a connection cap is counted as dropped requests, and
// requests still in flight when a phase ends are awaited and recorded (both models).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPhase } from '../../../src/load/phases.js';
import { Recorder } from '../../../src/load/recorder.js';
import type { LoadPhase } from '../../../src/scenario/types.js';
import { startTestServer, type TestServer } from './test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

function phase(path: string, over: Partial<LoadPhase>): LoadPhase {
  return {
    name: 'p',
    connections: 5,
    pipelining: 1,
    requests: [{ name: 'r', weight: 1, method: 'GET', path, headers: {} }],
    ...over,
  };
}

async function run(baseUrl: string, p: LoadPhase, clientTimeoutMs?: number) {
  const recorder = new Recorder({ serverTimeoutMs: 30_000, warnAt: 0.5, criticalAt: 0.8 });
  const started = Date.now();
  const account = await runPhase(p, {
    baseUrl,
    values: {},
    recorder,
    signal: new AbortController().signal,
    clientTimeoutMs,
  });
  return { account, traffic: recorder.finish(), wallMs: Date.now() - started };
}

describe('open model (rate:)', () => {
  it('holds 50/s against a 500 ms server with 5 connections: sends the plan, p50 is the server time', async () => {
    const { account, traffic } = await run(
      server.baseUrl,
      phase('/slow?ms=500', { durationMs: 10_000, ratePerSecond: 50 }),
    );
    expect(account.model).toBe('open');
    expect(account.planned).toBe(500);
    expect(account.sent).toBeGreaterThanOrEqual(475);
    expect(account.dropped).toBe(0);
    // Every request sent was awaited and recorded, none thrown away at the phase's end.
    expect(traffic.requests.total).toBe(account.sent);
    expect(traffic.requests.errors).toBe(0);
    const ep = traffic.requests.byEndpoint[0]!;
    expect(ep.latencyFrom).toBe('intended');
    expect(ep.latencyMs.p50).toBeGreaterThanOrEqual(500);
    expect(ep.latencyMs.p50).toBeLessThan(700);
    // 50/s against 500 ms answers needs ~25 connections: more were opened than the initial 5.
    expect(account.connectionsOpened).toBeGreaterThan(20);
    // The timeline carries the target and the achieved rate per second.
    const full = traffic.timeline.filter((r) => r.t >= 1 && r.t < 9);
    for (const row of full) {
      // Seconds count from the recorder's start, a moment before the phase's: one due time may fall either side.
      expect(Math.abs((row.target ?? 0) - 50)).toBeLessThanOrEqual(1);
      // A short pause of this shared machine moves a few sends into the next second, never many.
      expect(Math.abs((row.sent ?? 0) - 50)).toBeLessThanOrEqual(10);
    }
  }, 30_000);

  it('counts requests due while maxConnections are all busy as dropped', async () => {
    const { account, traffic } = await run(
      server.baseUrl,
      phase('/slow?ms=500', { durationMs: 4_000, ratePerSecond: 50, maxConnections: 5 }),
    );
    expect(account.planned).toBe(200);
    // 5 connections of 500 ms requests carry ~10/s: about 40 of 200.
    expect(account.sent).toBeLessThan(60);
    expect(account.dropped).toBe(account.planned - account.sent);
    expect(account.firstDroppedAfterMs).toBeLessThan(1000);
    expect(traffic.requests.total).toBe(account.sent);
    const row = traffic.timeline.find((r) => r.t === 2)!;
    expect(Math.abs((row.target ?? 0) - 50)).toBeLessThanOrEqual(1);
    expect(row.sent!).toBeLessThan(20);
  }, 30_000);

  it('awaits and records requests longer than their phase', async () => {
    const { account, traffic, wallMs } = await run(
      server.baseUrl,
      phase('/slow?ms=2500', { durationMs: 1_000, ratePerSecond: 5 }),
    );
    expect(account.planned).toBe(5);
    expect(traffic.requests.total).toBe(5);
    expect(traffic.requests.byEndpoint[0]!.latencyMs.p50).toBeGreaterThanOrEqual(2500);
    expect(wallMs).toBeGreaterThanOrEqual(2500 + 800);
  }, 30_000);

  it('records a server that never answers as client timeouts, not as nothing', async () => {
    const { traffic } = await run(
      server.baseUrl,
      phase('/hang', { durationMs: 1_000, ratePerSecond: 4 }),
      1_500,
    );
    expect(traffic.requests.total).toBe(4);
    expect(traffic.requests.errors).toBe(4);
    expect(traffic.requests.byEndpoint[0]!.statusCodes).toEqual({ 'error:client timeout': 4 });
  }, 30_000);

  it('shows a 1 s stall at 100/s in p99 (latency from the intended send time)', async () => {
    // Answers at once, except that everything arriving in [2 s, 3 s) of the run is held until 3 s:
    // a server that stalls for a second, as a stop-the-world pause or a blocked worker does.
    let first = 0;
    const stalling: Server = createServer((req, res) => {
      req.resume();
      const now = Date.now();
      first ||= now;
      const t = now - first;
      if (t >= 2000 && t < 3000) setTimeout(() => res.end('late'), 3000 - t);
      else res.end('ok');
    });
    await new Promise<void>((r) => stalling.listen(0, '127.0.0.1', r));
    const baseUrl = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}`;
    try {
      // Two connections hold 100/s against a fast server, so a closed client would have had just two
      // requests in the stall (p99 untouched); the open model keeps sending and counts all of them.
      const open = await run(baseUrl, phase('/', { durationMs: 10_000, ratePerSecond: 100, connections: 2 }));
      const p99 = open.traffic.requests.byEndpoint[0]!.latencyMs.p99;
      expect(open.account.sent).toBeGreaterThanOrEqual(950);
      expect(p99).toBeGreaterThan(700);
    } finally {
      stalling.closeAllConnections();
      await new Promise<void>((r) => stalling.close(() => r()));
    }
  }, 30_000);
});

describe('closed model (no rate:)', () => {
  it('awaits the requests in flight when the duration is up', async () => {
    const { account, traffic } = await run(
      server.baseUrl,
      phase('/slow?ms=2000', { durationMs: 1_000, connections: 3 }),
    );
    expect(account.model).toBe('closed');
    // Three connections, each with one 2 s request in flight at 1 s: all three recorded.
    expect(traffic.requests.total).toBe(3);
    expect(account.sent).toBe(3);
    expect(account.cutOff).toBe(0);
    expect(traffic.requests.byEndpoint[0]!.latencyMs.p50).toBeGreaterThanOrEqual(2000);
    expect(traffic.requests.byEndpoint[0]!.latencyFrom).toBe('sent');
  }, 30_000);
});
