// One sweep: the scenario run again and again with one value changed, to find where its verdict
// first fails (./search.ts decides the values, ./confirm.ts repeats the two ends of the bracket
// until each holds on every run, beyond the run-to-run spread). Each step is exactly one runScenario of the
// scenario with that value (same seed, same options), so its verdict is the one `smokestack run`
// gives at that value; each starts a fresh stack (a stack reused across steps would carry the
// database rows and mock state of the step before) and writes its own report folder under
// `<out>/<sweep-id>/steps/`. sweep.json, index.html and summary.md are rewritten after every
// step, so an interrupt or an infrastructure error keeps the steps done.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { InterruptedError } from '../errors.js';
import { writeFileAtomic } from '../report/atomic-write.js';
import type { RunResult } from '../result/types.js';
import { newRunId } from '../run/run-id.js';
import type { RunOptions } from '../run/run-scenario.js';
import type { Scenario } from '../scenario/types.js';
import { type ConfirmedSearch, searchConfirmed } from './confirm.js';
import { renderSweepHtml } from './render-html.js';
import { renderSweepMd } from './render-md.js';
import { createStackReuse, whyNotReusable } from './reuse-stack.js';
import { type SweepJson, type SweepStep, stepOf, sweepJson } from './sweep-json.js';
import { applyValue, type Vary } from './target.js';
import { type AnswerContext, sweepAnswer } from './words.js';

export type StepRunOptions = Omit<RunOptions, 'signal' | 'beforeTeardown'>;

/** One step: a run of the scenario at one value, its reports under `outRoot` (the CLI's runWithReports). */
export type StepRunner = (
  scenario: Scenario,
  options: StepRunOptions & { outRoot: string; signal: AbortSignal },
) => Promise<{ result: RunResult; reportDir: string; failure?: Error }>;

export interface SweepOptions {
  vary: Vary;
  precision: number;
  maxRuns: number;
  /** Runs each end of the answer needs, all agreeing (1: the search's one run a value). */
  repeats: number;
  /** The sweep writes `<outRoot>/<sweep-id>/`. */
  outRoot: string;
  signal: AbortSignal;
  /** Passed to every step's runScenario (image, url, seed, server timeout...). */
  run?: StepRunOptions;
  /** Called before each step starts and after it ends, for progress lines. */
  onStepStart?: (value: number, index: number) => void;
  onStep?: (step: SweepStep, index: number) => void;
  /** Runs one step and writes its reports. */
  runStep: StepRunner;
  /** One stack for all steps, reset between them, where the scenario allows (./reuse-stack.ts). */
  reuseStack?: boolean;
  /** Told once, before the first step, whether the stack is reused and if not why. */
  onStack?: (stack: { reused: boolean; why?: string }) => void;
}

export interface SweepOutcome {
  sweep: SweepJson;
  dir: string;
  /** The answer in words (./words.ts). */
  answer: string;
}

export async function runSweep(scenario: Scenario, options: SweepOptions): Promise<SweepOutcome> {
  const { vary } = options;
  const { runStep } = options;
  const sweepId = newRunId(`sweep-${scenario.name}`);
  const dir = path.join(options.outRoot, sweepId);
  const stepsDir = path.join(dir, 'steps');
  await mkdir(stepsDir, { recursive: true });
  const startedAt = new Date();
  const steps: SweepStep[] = [];
  const notReusable = options.reuseStack
    ? whyNotReusable(scenario, options.run ?? {})
    : 'a fresh stack per step unless --reuse-stack: a plain run starts with cold workers';
  const reuse = notReusable === undefined ? createStackReuse() : undefined;
  const stack = reuse ? { reused: true } : { reused: false, why: notReusable };
  options.onStack?.(stack);
  const ctx: AnswerContext = {
    kind: vary.kind,
    name: vary.name,
    latency: scenario.mocks.find((m) => m.name === vary.name)?.latency,
  };
  let found: ConfirmedSearch = {
    lastPassing: null,
    firstFailing: null,
    end: 'interrupted',
    confirmed: false,
    mixed: [],
    spread: 0,
  };

  const write = async (): Promise<SweepOutcome> => {
    const sweep = sweepJson({
      sweepId,
      startedAt,
      finishedAt: new Date(),
      scenario,
      vary,
      precision: options.precision,
      maxRuns: options.maxRuns,
      repeats: options.repeats,
      stack,
      steps,
      ...found,
      warnAt: scenario.budgets.warnAt,
      criticalAt: scenario.budgets.criticalAt,
    });
    const answer = sweepAnswer(sweep, ctx);
    await writeFileAtomic(path.join(dir, 'sweep.json'), `${JSON.stringify(sweep, null, 2)}\n`);
    await writeFileAtomic(path.join(dir, 'summary.md'), renderSweepMd(sweep, ctx, answer));
    await writeFileAtomic(path.join(dir, 'index.html'), await renderSweepHtml(sweep, ctx, answer));
    return { sweep, dir, answer };
  };

  const run = async (value: number) => {
    options.onStepStart?.(value, steps.length);
    const { result, reportDir, failure } = await runStep(applyValue(scenario, vary, value), {
      ...options.run,
      ...(reuse ? { reuse } : {}),
      outRoot: stepsDir,
      signal: options.signal,
    });
    // A step that could not run (an infrastructure error, Ctrl-C) ends the sweep with that error.
    if (failure) throw failure;
    const step = stepOf(value, result, path.relative(dir, path.join(reportDir, 'result.json')));
    steps.push(step);
    // The answer so far (not confirmed), so an interrupt between steps still has it.
    found = {
      ...found,
      lastPassing: step.status === 'passed' ? Math.max(value, found.lastPassing ?? value) : found.lastPassing,
      firstFailing:
        step.status === 'passed' ? found.firstFailing : Math.min(value, found.firstFailing ?? value),
      end: 'interrupted',
      confirmed: false,
    };
    options.onStep?.(step, steps.length - 1);
    await write();
    return { passed: step.status === 'passed', ratio: step.ratio };
  };

  try {
    found = await searchConfirmed(run, {
      from: vary.from,
      to: vary.to,
      precision: options.precision,
      maxRuns: options.maxRuns,
      integer: vary.integer,
      signal: options.signal,
      repeats: options.repeats,
      criticalAt: scenario.budgets.criticalAt,
    });
  } catch (error) {
    // The steps done stay on disk with the reason the sweep stopped; the error decides the exit.
    found = { ...found, end: error instanceof InterruptedError ? 'interrupted' : 'error' };
    const outcome = await write();
    throw Object.assign(error as object, { sweep: outcome.sweep, sweepDir: dir });
  } finally {
    await reuse?.close();
  }
  const outcome = await write();
  if (found.end === 'interrupted')
    throw Object.assign(new InterruptedError(String(options.signal.reason ?? 'SIGINT')), {
      sweep: outcome.sweep,
      sweepDir: dir,
    });
  return outcome;
}
