// `npm run bench sweep`: what a sweep costs (issue 16, item 5), measured side by side in one run.
//   1. Runs per sweep against the precision, and how often a plain run at an end disagrees,
//      with the search and the confirmation (src/sweep/confirm.ts) against a fake runner whose
//      worst request moves by ±15 % from run to run (what this shared machine showed); pure, so
//      200 sweeps a setting. Figures: runs{1,3}AtP{0.05,0.1,0.2,0.4}, wrong{1,3}AtP0.1.
//   2. A real sweep of the small incident sample (test/fixtures/scenarios/sweep/import-dataset.yaml,
//      mocks.tmdb.movies=40..400, precision 40, one run a value) with one stack reset between
//      steps (A) and a fresh stack per step (B), alternating A B A B, and one plain run of the
//      scenario between them. Figures: medians of the wall times, msPerStep of each, the gain
//      (fresh / reused per step), and a sweep's wall time against one plain run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWithReports } from '../src/cli/run-with-reports.js';
import { loadScenario } from '../src/scenario/load-scenario.js';
import { searchConfirmed } from '../src/sweep/confirm.js';
import { runSweep } from '../src/sweep/run-sweep.js';
import { parseVary } from '../src/sweep/target.js';
import { mulberry32 } from '../src/util/seeded-random.js';

const SAMPLE = fileURLToPath(
  new URL('../../test/fixtures/scenarios/sweep/import-dataset.yaml', import.meta.url),
);
const NOISE = 0.15;

export async function benchSweep(options: { rounds?: number; log?: (line: string) => void } = {}) {
  const log = options.log ?? ((line: string) => process.stderr.write(`  ${line}\n`));
  const figures: Record<string, number> = {};
  for (const precision of [0.05, 0.1, 0.2, 0.4])
    for (const repeats of [1, 3]) {
      const { runs, wrong } = await simulate(precision, repeats, 200);
      figures[`runs${repeats}AtP${precision}`] = runs;
      if (precision === 0.1) figures[`wrong${repeats}AtP0.1`] = wrong;
    }
  log(`search and confirmation (±${NOISE * 100} % noise): ${JSON.stringify(figures)}`);

  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  process.env.SMOKESTACK_POSTGRES_IMAGE ??= 'smokestack/postgres:15';
  const scenario = await loadScenario(SAMPLE);
  const vary = parseVary('mocks.tmdb.movies=40..400', scenario);
  const out = mkdtempSync(path.join(tmpdir(), 'smokestack-bench-sweep-'));
  const signal = new AbortController().signal;
  const sweep = async (reuseStack: boolean) => {
    const started = performance.now();
    const { sweep: s } = await runSweep(scenario, {
      vary,
      precision: 40,
      maxRuns: 12,
      repeats: 1,
      outRoot: out,
      signal,
      runStep: runWithReports,
      reuseStack,
    });
    return {
      ms: performance.now() - started,
      steps: s.steps.length,
      answer: `${s.lastPassing}/${s.firstFailing}`,
    };
  };
  const plain = async () => {
    const started = performance.now();
    const r = await runWithReports(scenario, { outRoot: out, signal });
    if (r.failure) throw r.failure;
    return performance.now() - started;
  };
  const reused: { ms: number; steps: number }[] = [];
  const fresh: { ms: number; steps: number }[] = [];
  const single: number[] = [];
  for (let round = 0; round < (options.rounds ?? 2); round++) {
    const a = await sweep(true);
    reused.push(a);
    single.push(await plain());
    const b = await sweep(false);
    fresh.push(b);
    log(
      `round ${round + 1}: reused ${Math.round(a.ms)} ms / ${a.steps} steps (${a.answer}), fresh ${Math.round(b.ms)} ms / ${b.steps} steps (${b.answer}), one run ${Math.round(single.at(-1)!)} ms`,
    );
  }
  const reusedPerStep = median(reused.map((r) => r.ms / r.steps));
  const freshPerStep = median(fresh.map((r) => r.ms / r.steps));
  const runMs = median(single);
  return {
    ...figures,
    reusedSweepMs: Math.round(median(reused.map((r) => r.ms))),
    freshSweepMs: Math.round(median(fresh.map((r) => r.ms))),
    reusedMsPerStep: Math.round(reusedPerStep),
    freshMsPerStep: Math.round(freshPerStep),
    oneRunMs: Math.round(runMs),
    reuseGain: Number((freshPerStep / reusedPerStep).toFixed(2)),
    reusedSweepVsOneRun: Number((median(reused.map((r) => r.ms)) / runMs).toFixed(2)),
    freshSweepVsOneRun: Number((median(fresh.map((r) => r.ms)) / runMs).toFixed(2)),
    stepsPerSweep: median([...reused, ...fresh].map((r) => r.steps)),
  };
}

/** Mean runs per sweep and the share of plain runs at the two ends that go the other way. */
async function simulate(precision: number, repeats: number, seeds: number) {
  let runs = 0;
  let plain = 0;
  let wrong = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const random = mulberry32(seed);
    const ratio = (v: number) => (0.8 * v * (1 + NOISE * (2 * random() - 1))) / 2.04;
    const r = await searchConfirmed(
      async (v) => {
        runs++;
        const x = ratio(v);
        return { passed: x < 0.8, ratio: x };
      },
      { from: 1, to: 4, precision, maxRuns: 60, integer: false, repeats, criticalAt: 0.8 },
    );
    for (let k = 0; k < 4; k++) {
      if (r.lastPassing !== null) {
        plain++;
        if (ratio(r.lastPassing) >= 0.8) wrong++;
      }
      if (r.firstFailing !== null) {
        plain++;
        if (ratio(r.firstFailing) < 0.8) wrong++;
      }
    }
  }
  return { runs: Number((runs / seeds).toFixed(1)), wrong: Number((wrong / Math.max(1, plain)).toFixed(3)) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
