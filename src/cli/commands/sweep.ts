// `smokestack sweep <scenario> --vary TARGET=FROM..TO [--precision P] [--max-runs N]`: checks the
// scenario and the target before anything starts (exit 2), runs the sweep (../../sweep/), prints
// one line per step and the answer in words. Exit 0 when the scenario passes at FROM (the margin
// is then the answer), 1 when it fails at FROM; 2, 3 and 130 as everywhere.
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { loadScenario } from '../../scenario/load-scenario.js';
import { runSweep } from '../../sweep/run-sweep.js';
import { DEFAULT_MAX_RUNS, DEFAULT_REPEATS, defaultPrecision } from '../../sweep/search.js';
import { formatValue, parseVary } from '../../sweep/target.js';
import { formatDuration, formatShare, parseDuration } from '../../units/index.js';
import type { CliContext } from '../context.js';
import { runWithReports } from '../run-with-reports.js';
import type { RunCommandOptions } from './run.js';

/** run's options (each step is a run) without those a sweep has no use for, plus the search's own. */
export type SweepCommandOptions = Omit<RunCommandOptions, 'baseline' | 'keep' | 'progress'> & {
  vary?: string;
  precision?: string;
  maxRuns?: string;
  repeats?: string;
  reuseStack?: boolean;
  progress?: boolean;
};

export async function sweepCommand(
  file: string,
  raw: Record<string, unknown>,
  ctx: CliContext,
): Promise<number> {
  const opts = raw as unknown as SweepCommandOptions;
  if (!opts.vary)
    throw new UsageError('sweep needs --vary TARGET=FROM..TO', {
      fix: 'e.g. smokestack sweep scenarios/tmdb-import-incident.yaml --vary mocks.tmdb.latency=1x..4x',
    });
  const serverTimeoutMs = opts.serverTimeout === undefined ? undefined : duration(opts.serverTimeout);
  const seed = opts.seed === undefined ? undefined : whole('--seed', opts.seed, 0);
  const maxRuns = whole('--max-runs', opts.maxRuns ?? String(DEFAULT_MAX_RUNS), 1);
  const repeats = whole('--repeats', opts.repeats ?? String(DEFAULT_REPEATS), 1);
  if (opts.databaseUrl && !opts.url)
    throw new UsageError('--database-url goes with --url', { fix: 'add --url URL, or drop --database-url' });
  const scenario = await loadScenario(file);
  const vary = parseVary(opts.vary, scenario);
  const precision =
    opts.precision === undefined
      ? defaultPrecision(vary.kind, vary.from, vary.to, vary.integer)
      : positive('--precision', opts.precision.replace(/x$|\/s$/, ''));
  const show = (v: number) => formatValue(vary, v);
  const say = (line: string) => {
    if (opts.progress !== false) ctx.stderr.write(`${line}\n`);
  };

  say(
    `sweep ${scenario.name}: ${vary.target} from ${show(vary.from)} to ${show(vary.to)}, precision ${show(precision)}, ${repeats} ${repeats === 1 ? 'run' : 'runs'} of each end, at most ${maxRuns} runs`,
  );
  const { sweep, dir, answer } = await runSweep(scenario, {
    vary,
    precision,
    maxRuns,
    repeats,
    reuseStack: opts.reuseStack === true,
    onStack: (s) =>
      say(
        s.reused
          ? '  one stack for every step: database from a template, mocks restarted'
          : `  a fresh stack per step: ${s.why}`,
      ),
    outRoot: opts.out,
    signal: ctx.signal,
    runStep: runWithReports,
    run: {
      image: opts.image,
      url: opts.url,
      databaseUrl: opts.databaseUrl,
      allowRemote: opts.allowRemote,
      serverTimeoutMs,
      seed,
    },
    onStepStart: (value, i) => say(`  step ${i + 1}  ${vary.target} = ${show(value)} …`),
    onStep: (s, i) =>
      say(
        `  step ${i + 1}  ${show(s.value).padEnd(8)} ${s.status.toUpperCase().padEnd(7)} worst ${formatDuration(s.worstMs)}` +
          (s.deadlineMs > 0
            ? ` = ${formatShare(s.ratio)} of the ${formatDuration(s.deadlineMs)} deadline`
            : '') +
          (s.reason ? ` · ${s.reason}` : ''),
      ),
  });
  if (opts.json) ctx.stdout.write(`${JSON.stringify(sweep, null, 2)}\n`);
  else ctx.stdout.write(`${answer}\n  sweep     ${path.join(dir, 'index.html')}\n`);
  // The margin is the answer only when FROM itself passes.
  return sweep.steps.some((s) => s.value === vary.from && s.status === 'passed') ? 0 : 1;
}

function duration(value: string): number {
  try {
    return parseDuration(value);
  } catch (error) {
    throw new UsageError(`--server-timeout: ${(error as Error).message}`, {
      fix: 'e.g. --server-timeout 30s',
    });
  }
}

function whole(option: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(
      `${option}: expected a whole number of at least ${min}, got ${JSON.stringify(value)}`,
      {
        fix: `e.g. ${option} ${option === '--max-runs' ? DEFAULT_MAX_RUNS : option === '--repeats' ? DEFAULT_REPEATS : 1}`,
      },
    );
  return n;
}

function positive(option: string, value: string): number {
  const n = Number(value);
  if (!(Number.isFinite(n) && n > 0))
    throw new UsageError(`${option}: expected a number above 0, got ${JSON.stringify(value)}`, {
      fix: `e.g. ${option} 0.1`,
    });
  return n;
}
