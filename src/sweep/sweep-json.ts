// sweep.json (schemaVersion 1, its fields in README.md "smokestack sweep"): one row per run of the sweep, read from
// that run's result.json, and the answer: the last passing and first failing value, and the margin
// (the last passing value relative to FROM). Pure: results in, plain data out.
import type { RunResult, RunStatus } from '../result/types.js';
import type { SearchEnd } from './search.js';
import type { Vary } from './target.js';

export interface SweepStep {
  value: number;
  status: RunStatus;
  /** The worst time against the deadline: time in the worker where the server's log gave it. */
  worstMs: number;
  deadlineMs: number;
  /** worstMs / deadlineMs (0 when there is no deadline). */
  ratio: number;
  /** That step's result.json, relative to sweep.json. */
  result: string;
  /** The step's runId (its report folder is `steps/<runId>/`). */
  runId: string;
  /** The first failing finding's title, for the lines that say why a step failed. */
  reason?: string;
}

export interface SweepJson {
  schemaVersion: 1;
  sweepId: string;
  startedAt: string;
  finishedAt: string;
  scenario: { name: string; file: string };
  vary: { target: string; from: number; to: number };
  precision: number;
  maxRuns: number;
  /** Runs each end of the answer needed, all with its verdict (--repeats). */
  repeats: number;
  /** One stack reset between steps, or a fresh stack per step and why. */
  stack: { reused: boolean; why?: string };
  steps: SweepStep[];
  /** The highest value every run of which passed, clear of the critical level by the spread. */
  lastPassing: number | null;
  /** The lowest value every run of which failed (on the ratio: still critical less the spread). */
  firstFailing: number | null;
  /** Both ends held on all their repeats (false: runs ran out or Ctrl-C, the ends are the search's). */
  confirmed: boolean;
  /** Values that passed on one run and failed on another: the noise band between the ends. */
  mixed: number[];
  /** The largest relative spread of the worst request between runs of one value (0.12 = 12 %). */
  spread: number;
  /** lastPassing / from: 2.1 = the value may grow 2.1x. Null when FROM failed (or FROM is 0). */
  margin: number | null;
  /** Why the search stopped. */
  end: SearchEnd;
  /** Levels of the deadline ratio (budgets of the scenario), for the chart's lines. */
  warnAt: number;
  criticalAt: number;
}

/** One run as a sweep step. */
export function stepOf(value: number, result: RunResult, resultPath: string): SweepStep {
  const deadlineMs = deadlineMsOf(result);
  const worstMs = worstMsOf(result);
  const reason = result.findings.find((f) => f.severity === 'fail')?.title;
  return {
    value,
    status: result.status,
    worstMs: Math.round(worstMs),
    deadlineMs,
    ratio: deadlineMs > 0 ? Number((worstMs / deadlineMs).toFixed(4)) : 0,
    result: resultPath,
    runId: result.runId,
    ...(reason ? { reason } : {}),
  };
}

/** The smallest limit on a request's way (`target.deadlineS`, when the chain is known), else T. */
export function deadlineMsOf(result: RunResult): number {
  const deadlineS = (result.target as { deadlineS?: number }).deadlineS;
  return Math.max(0, (deadlineS ?? result.target.server.timeoutS) * 1000);
}

/**
 * The worst request against the deadline: over flagged requests, time in the worker where the
 * access log matched one (what the worker timeout counts), else its client latency; a run that
 * flagged nothing has its slowest client latency over all endpoints.
 */
export function worstMsOf(result: RunResult): number {
  let worst = 0;
  for (const f of result.flagged) {
    const ms = f.workerMs !== undefined && f.latencyBasis !== 'client' ? f.workerMs : f.latencyMs;
    worst = Math.max(worst, ms);
  }
  if (result.flagged.length > 0) return worst;
  for (const e of result.requests.byEndpoint) worst = Math.max(worst, e.latencyMs.max);
  return worst;
}

export interface SweepJsonInput {
  sweepId: string;
  startedAt: Date;
  finishedAt: Date;
  scenario: { name: string; file: string };
  vary: Vary;
  precision: number;
  maxRuns: number;
  repeats: number;
  stack: { reused: boolean; why?: string };
  steps: SweepStep[];
  lastPassing: number | null;
  firstFailing: number | null;
  confirmed: boolean;
  mixed: number[];
  spread: number;
  end: SearchEnd;
  warnAt: number;
  criticalAt: number;
}

export function sweepJson(input: SweepJsonInput): SweepJson {
  const { vary } = input;
  return {
    schemaVersion: 1,
    sweepId: input.sweepId,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    scenario: { name: input.scenario.name, file: input.scenario.file },
    vary: { target: vary.target, from: vary.from, to: vary.to },
    precision: input.precision,
    maxRuns: input.maxRuns,
    repeats: input.repeats,
    stack: input.stack,
    // In the order of the value, so the table and chart read left to right.
    steps: [...input.steps].sort((a, b) => a.value - b.value),
    lastPassing: input.lastPassing,
    firstFailing: input.firstFailing,
    confirmed: input.confirmed,
    mixed: input.mixed,
    spread: input.spread,
    margin:
      input.lastPassing !== null && vary.from > 0 ? Number((input.lastPassing / vary.from).toFixed(3)) : null,
    end: input.end,
    warnAt: input.warnAt,
    criticalAt: input.criticalAt,
  };
}
