// A mock module whose top level never finishes cannot hold the harness: it is tried in a worker
// first, under a deadline, so the main thread (and with it the signal handlers) stays free.
// Real modules, real imports; the deadline is shortened so the file stays quick.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InterruptedError, UsageError } from '../../../src/errors.js';
import { startMocks } from '../../../src/mocks/index.js';
import type { MockSpec } from '../../../src/scenario/types.js';

const fixtures = path.dirname(fileURLToPath(new URL('./fixtures/payments.mjs', import.meta.url)));
const spec = (module: string): MockSpec => ({ name: 'payments', kind: 'handlers', module, seed: 1 });

/** Counts main-thread timer ticks while `work` runs: a blocked main thread ticks no more. */
async function ticksDuring<T>(work: Promise<T>): Promise<{ ticks: number; ms: number; outcome: T | Error }> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 50);
  const t0 = Date.now();
  const outcome = await work.catch((e: Error) => e);
  clearInterval(timer);
  return { ticks, ms: Date.now() - t0, outcome };
}

describe('mock modules load under a deadline', () => {
  it('a while(true) at top level is refused at the deadline, the main thread free meanwhile', async () => {
    const { ticks, ms, outcome } = await ticksDuring(
      startMocks([spec('./busy-loop.mjs')], { scenarioDir: fixtures, moduleDeadlineMs: 1_500 }),
    );
    expect(outcome).toBeInstanceOf(UsageError);
    expect((outcome as UsageError).message).toMatch(
      /mocks\.payments\.module: .*busy-loop\.mjs did not finish loading within 1\.5s/,
    );
    expect((outcome as UsageError).fix).toMatch(/top level/);
    expect(ms).toBeLessThan(5_000);
    // 1.5 s at one tick per 50 ms is 30; a main thread held by the loop would tick none.
    expect(ticks).toBeGreaterThan(10);
  });

  it('a top-level await that never settles is refused as soon as nothing is left to wait for', async () => {
    const { ms, outcome } = await ticksDuring(
      startMocks([spec('./await-forever.mjs')], { scenarioDir: fixtures, moduleDeadlineMs: 8_000 }),
    );
    expect((outcome as UsageError).message).toMatch(/await-forever\.mjs never finished loading/);
    expect(ms).toBeLessThan(5_000);
  });

  it('one that never settles while a timer keeps it busy is refused at the deadline', async () => {
    const { ms, outcome } = await ticksDuring(
      startMocks([spec('./await-ticking.mjs')], { scenarioDir: fixtures, moduleDeadlineMs: 1_000 }),
    );
    expect((outcome as UsageError).message).toMatch(/await-ticking\.mjs did not finish loading within 1s/);
    expect(ms).toBeLessThan(5_000);
  });

  it('the run signal ends a busy module at once (Ctrl-C during starting mocks)', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 300);
    const { ms, outcome } = await ticksDuring(
      startMocks([spec('./busy-loop.mjs')], { scenarioDir: fixtures, signal: controller.signal }),
    );
    expect(outcome).toBeInstanceOf(InterruptedError);
    expect(ms).toBeLessThan(2_000);
  });

  it('a module that loads slowly but finishes is served', async () => {
    const [mock] = await startMocks([spec('./slow-start.mjs')], { scenarioDir: fixtures, host: '127.0.0.1' });
    try {
      const r = await fetch(`${mock!.url}/v1/ping`);
      expect(await r.json()).toEqual({ pong: true });
    } finally {
      await mock!.stop();
    }
  }, 30_000);

  it('a module that throws at import still reads as its own error', async () => {
    const error = await startMocks([spec('./broken.mjs')], { scenarioDir: fixtures }).catch((e) => e);
    expect(error.message).toMatch(/failed to load: this module fails at import/);
  });
});
