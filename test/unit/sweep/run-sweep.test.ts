// A whole sweep with a fake step runner (no stack): each step is one run of the scenario with the
// one value changed, sweep.json has the contract's shape, and the words say the answer.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../../src/errors.js';
import type { RunResult } from '../../../src/result/types.js';
import { parseScenario } from '../../../src/scenario/load-scenario.js';
import type { Scenario } from '../../../src/scenario/types.js';
import { runSweep, type StepRunner } from '../../../src/sweep/run-sweep.js';
import { parseVary, scaleLatency } from '../../../src/sweep/target.js';

const sample = JSON.parse(readFileSync('test/fixtures/results/sample-result.json', 'utf8')) as RunResult;
const scenario = parseScenario(
  'name: imp\nserver: { timeout: 10s }\nmocks: { tmdb: { latency: 200ms } }\nflows:\n  - { name: import, steps: [{ method: POST, path: /import }] }\n',
  'scenarios/imp.yaml',
);

/** A run whose one import takes 20 pages x the mock's per-page delay, against T = 10 s. */
function fakeRun(seen: { ms: number; seed?: number }[]) {
  let n = 0;
  return async (s: Scenario, options: Parameters<StepRunner>[1]) => {
    const latency = s.mocks[0]!.latency!.base;
    const pageMs = latency.kind === 'fixed' ? latency.ms : 0;
    seen.push({ ms: pageMs, seed: options.seed });
    const importMs = 20 * pageMs;
    const ratio = importMs / 10_000;
    const level = ratio >= 1 ? 'killed' : ratio >= 0.8 ? 'critical' : 'approaching';
    const failed = ratio >= 0.8;
    const runId = `run-${++n}`;
    const result: RunResult = {
      ...sample,
      runId,
      status: failed ? 'failed' : 'passed',
      target: { ...sample.target, server: { ...sample.target.server, timeoutS: 10 } },
      flagged: [
        {
          ...sample.flagged[0]!,
          latencyMs: importMs + 300,
          workerMs: importMs,
          latencyBasis: 'worker',
          level,
          ratio,
        },
      ],
      findings: failed
        ? [
            {
              severity: 'fail',
              code: 'critical-requests',
              title: '1 request reached the critical level',
              detail: '',
            },
          ]
        : [],
    };
    const reportDir = path.join(options.outRoot, runId);
    return { result, reportDir };
  };
}

describe('runSweep', () => {
  it('finds the cliff of a 20-page import under T = 10 s (critical at 8 s = 2x) and writes sweep.json', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'smokestack-sweep-'));
    const seen: { ms: number; seed?: number }[] = [];
    const { sweep, dir, answer } = await runSweep(scenario, {
      vary: parseVary('mocks.tmdb.latency=1x..4x', scenario),
      precision: 0.1,
      maxRuns: 12,
      repeats: 1,
      outRoot: out,
      signal: new AbortController().signal,
      run: { seed: 7 },
      runStep: fakeRun(seen),
    });
    expect(seen.every((s) => s.seed === 7)).toBe(true);
    expect(seen[0]!.ms).toBe(200);
    expect(sweep).toMatchObject({
      schemaVersion: 1,
      scenario: { name: 'imp', file: 'scenarios/imp.yaml' },
      vary: { target: 'mocks.tmdb.latency', from: 1, to: 4 },
      lastPassing: 1.9,
      firstFailing: 2,
      margin: 1.9,
      end: 'boundary',
    });
    const step = sweep.steps.find((s) => s.value === 1.9)!;
    expect(step).toEqual({
      value: 1.9,
      status: 'passed',
      worstMs: 7600,
      deadlineMs: 10_000,
      ratio: 0.76,
      result: expect.stringMatching(/^steps\/run-\d+\/result\.json$/),
      runId: expect.any(String),
    });
    expect(sweep.steps.map((s) => s.value)).toEqual(
      [...sweep.steps.map((s) => s.value)].sort((a, b) => a - b),
    );
    const onDisk = JSON.parse(readFileSync(path.join(dir, 'sweep.json'), 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(sweep)));
    expect(answer).toBe(
      'TMDB may slow to 1.9x (380 ms a call) and the scenario still passes (the worst request took 7.6 s, 76% of the 10 s deadline); at 2x (400 ms a call) it fails: 1 request reached the critical level.',
    );
    const md = readFileSync(path.join(dir, 'summary.md'), 'utf8');
    expect(md).toContain('| 1.9x | passed (last passing) | 7.6 s | 76% |');
    const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|https?:\/\//);
    expect(html).toContain('class="point pass last-passing"');
    expect(html).toContain('class="point fail first-failing"');
    expect(html).toMatch(/href="steps\/run-\d+\/index\.html"/);
  });

  it('fails at FROM: one step, no margin', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'smokestack-sweep-'));
    const { sweep, answer } = await runSweep(scenario, {
      vary: parseVary('mocks.tmdb.latency=2.5x..4x', scenario),
      precision: 0.1,
      maxRuns: 12,
      repeats: 1,
      outRoot: out,
      signal: new AbortController().signal,
      runStep: fakeRun([]),
    });
    expect(sweep).toMatchObject({
      lastPassing: null,
      firstFailing: 2.5,
      margin: null,
      end: 'failed-at-from',
    });
    expect(sweep.steps).toHaveLength(1);
    expect(answer).toMatch(/^At 2.5x \(500 ms a call\) \(FROM\) the scenario already fails/);
  });

  it('an interrupt keeps the steps done and rethrows (exit 130)', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'smokestack-sweep-'));
    const controller = new AbortController();
    const run = fakeRun([]);
    let n = 0;
    const error = await runSweep(scenario, {
      vary: parseVary('mocks.tmdb.latency=1x..4x', scenario),
      precision: 0.1,
      maxRuns: 12,
      repeats: 1,
      outRoot: out,
      signal: controller.signal,
      runStep: async (s, o) => {
        if (++n === 3) {
          controller.abort('SIGINT');
          throw new InterruptedError('SIGINT');
        }
        return run(s, o);
      },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    const written = JSON.parse(readFileSync(path.join(error.sweepDir, 'sweep.json'), 'utf8'));
    expect(written.steps).toHaveLength(2);
    expect(written.end).toBe('interrupted');
  });
});

describe('runSweep with repeats', () => {
  it('tops each end up to three runs, each a plain run of that value, and says the ends held', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'smokestack-sweep-'));
    const seen: { ms: number; seed?: number }[] = [];
    const { sweep, answer } = await runSweep(scenario, {
      vary: parseVary('mocks.tmdb.latency=1x..4x', scenario),
      precision: 0.1,
      maxRuns: 30,
      repeats: 3,
      outRoot: out,
      signal: new AbortController().signal,
      run: { seed: 7 },
      runStep: fakeRun(seen),
    });
    // No spread between runs, but the guard assumes at least 15 %: 1.9x (76 %) and 1.8x (72 %)
    // are too close to the critical 80 %, 1.6x (64 %) is not; 2x and 2.1x fail too narrowly,
    // 2.3x (92 %) does not.
    expect(sweep).toMatchObject({
      lastPassing: 1.6,
      firstFailing: 2.3,
      repeats: 3,
      confirmed: true,
      mixed: [],
      spread: 0,
      end: 'boundary',
    });
    expect(sweep.steps.filter((s) => s.value === 1.6)).toHaveLength(3);
    expect(sweep.steps.filter((s) => s.value === 2.3)).toHaveLength(3);
    expect(new Set(sweep.steps.map((s) => s.runId)).size).toBe(sweep.steps.length);
    expect(seen.every((s) => s.seed === 7)).toBe(true);
    expect(answer).toMatch(
      /^TMDB may slow to 1\.6x .*; at 2\.3x .* it fails: 1 request reached the critical level\. Each end held on all 3 of its runs, clear of the critical level by 15% \(the least the sweep assumes; runs of one value moved by 0%\)\. Between them 1\.8x passed 3 of 3, 1\.9x passed 3 of 3, 2x passed 0 of 3, 2\.1x passed 0 of 3: too close/,
    );
  });

  it('a noisy machine: the end whose runs spread past the critical level moves down', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'smokestack-sweep-'));
    const plain = fakeRun([]);
    // Every third run of a value at or above 1.8x is 12 % slower: 1.8x's 72 % becomes 81 %.
    const count = new Map<number, number>();
    const { sweep, answer } = await runSweep(scenario, {
      vary: parseVary('mocks.tmdb.latency=1x..4x', scenario),
      precision: 0.1,
      maxRuns: 30,
      repeats: 3,
      outRoot: out,
      signal: new AbortController().signal,
      runStep: async (s, o) => {
        const ms = (s.mocks[0]!.latency!.base as { ms: number }).ms;
        const n = (count.get(ms) ?? 0) + 1;
        count.set(ms, n);
        const slow = n % 3 === 0 && ms >= 360 ? 1.12 : 1;
        const scaled = {
          ...s,
          mocks: [{ ...s.mocks[0]!, latency: scaleLatency(s.mocks[0]!.latency!, slow) }],
        };
        return plain(scaled, o);
      },
    });
    expect(sweep.confirmed).toBe(true);
    expect(sweep.spread).toBeGreaterThan(0.1);
    // 1.9x and 1.8x each failed one run (mixed); 1.6x (64 %, 72 % slowed) clears 80 % by 12 %.
    expect(sweep.lastPassing).toBeLessThan(1.8);
    expect(sweep.mixed).toEqual(expect.arrayContaining([1.9]));
    expect(answer).toContain('Between them 1.8x passed 2 of 3, 1.9x passed 2 of 3');
  });
});
