// The sweep's answer in one sentence, for the console, summary.md and index.html:
//   "TMDB may slow to 1.9x (p50 380 ms) and the scenario still passes (worst request at 74% of
//    the 10 s deadline); at 2.1x it fails: 1 request killed by the server's worker timeout."
// Pure: the sweep (and the scenario, for the latency a factor means) in, a string out.
import type { LatencyDist, LatencySpec } from '../behaviour/types.js';
import { formatDuration, formatShare } from '../units/index.js';
import { MIN_SPREAD } from './confirm.js';
import type { SweepJson, SweepStep } from './sweep-json.js';
import { formatValue, scaleLatency, type TargetKind } from './target.js';

export interface AnswerContext {
  kind: TargetKind;
  name: string;
  /** The mock's latency at 1x, for `mocks.<name>.latency` sweeps. */
  latency?: LatencySpec;
}

export function sweepAnswer(sweep: SweepJson, ctx: AnswerContext): string {
  // A value run several times is stated by its worst run (the highest ratio).
  const at = (v: number) => sweep.steps.filter((s) => s.value === v).sort((a, b) => b.ratio - a.ratio)[0];
  const show = (v: number) => `${formatValue(ctx, v)}${latencyNote(ctx, v)}`;
  const subject = subjectOf(ctx);
  const last = sweep.lastPassing === null ? undefined : at(sweep.lastPassing);
  const first = sweep.firstFailing === null ? undefined : at(sweep.firstFailing);
  const why = (s: SweepStep) => (s.reason ? `: ${lowerFirst(s.reason.replace(/\.$/, ''))}` : '');
  if (!last) {
    if (!first) return `No step of the sweep finished, so there is no answer for ${sweep.vary.target}.`;
    const fromPassed = sweep.steps.some((s) => s.value === sweep.vary.from && s.status === 'passed');
    if (fromPassed)
      return `No value held on all of its runs, not even ${show(sweep.vary.from)} (FROM): its runs went up to ${worstWords(at(sweep.vary.from)!)}, and the worst request moved by ${formatShare(sweep.spread)} between runs of one value, so the next run may reach the critical level. There is no margin this machine can confirm; at ${show(first.value)} it fails on every run${why(first)}.`;
    return `At ${show(first.value)} (FROM) the scenario already fails${why(first)}; there is no headroom to find.`;
  }
  const holds = `${subject} ${verbOf(ctx, last.value, show)} and the scenario still passes (${worstWords(last)})`;
  if (!first) {
    const stop =
      sweep.end === 'passed-at-to'
        ? 'that is the end of the range, so the cliff is further out: sweep a wider range'
        : `the search stopped there (${endWords(sweep)})`;
    return `${holds}; ${stop}.`;
  }
  const loose =
    sweep.end === 'max-runs'
      ? sweep.repeats > 1
        ? ` (not confirmed: --max-runs ${sweep.maxRuns} was reached before each end had ${sweep.repeats} runs that agree, so a plain run at either may go the other way)`
        : ` (the cliff lies between them: --max-runs ${sweep.maxRuns} was reached before the precision of ${formatValue(ctx, sweep.precision)})`
      : '';
  const after = sweep.repeats > 1 && sweep.confirmed ? confirmNote(sweep, ctx) : noiseNote(sweep, ctx);
  return `${holds}; at ${show(first.value)} it fails${why(first)}${loose}.${after}`;
}

/**
 * What the repeats showed: each end held on all its runs, the spread between runs of one value,
 * and the values in between that went either way (a plain run there is a coin toss).
 */
export function confirmNote(sweep: SweepJson, ctx: Pick<AnswerContext, 'kind'>): string {
  const v = (x: number) => formatValue(ctx, x);
  const guard = Math.max(sweep.spread, MIN_SPREAD);
  const spread = `, clear of the critical level by ${formatShare(guard)} (${
    sweep.spread >= MIN_SPREAD
      ? 'the most the worst request moved between runs of one value'
      : `the least the sweep assumes; runs of one value moved by ${formatShare(sweep.spread)}`
  })`;
  // The values run between the two ends: each went both ways, or held its verdict too close to
  // the critical level for the spread, so a plain run there may go either way.
  const lo = sweep.lastPassing ?? Number.NEGATIVE_INFINITY;
  const hi = sweep.firstFailing ?? Number.POSITIVE_INFINITY;
  const between = [...new Set(sweep.steps.map((s) => s.value))].filter((x) => x > lo && x < hi);
  const tally = (x: number) => {
    const runs = sweep.steps.filter((s) => s.value === x);
    return `${v(x)} passed ${runs.filter((s) => s.status === 'passed').length} of ${runs.length}`;
  };
  const band =
    between.length > 0
      ? ` Between them ${between.map(tally).join(', ')}: too close to the cliff to call on this machine.`
      : '';
  return ` Each end held on all ${sweep.repeats} of its runs${spread}.${band}`;
}

/** A ratio that falls this much as the value grows is run-to-run noise, not the app. */
const NOISE_DROP = 0.05;

/**
 * The search assumes the worst ratio rises with the value. When the steps say otherwise (a pass
 * above a failure, or a ratio that falls by more than NOISE_DROP), the boundary is as noisy as the
 * runs near it: say so, and which two plain runs would confirm it.
 */
export function noiseNote(sweep: SweepJson, ctx: Pick<AnswerContext, 'kind'>): string {
  const v = (x: number) => formatValue(ctx, x);
  const confirm =
    sweep.lastPassing !== null && sweep.firstFailing !== null
      ? ` Confirm the margin with plain runs at ${v(sweep.lastPassing)} and ${v(sweep.firstFailing)}.`
      : '';
  const steps = sweep.steps;
  const passAbove = steps.find(
    (s) => s.status === 'passed' && sweep.firstFailing !== null && s.value > sweep.firstFailing,
  );
  if (passAbove)
    return ` The steps disagree: ${v(passAbove.value)} passed above the first failure, so the verdict near the cliff varies from run to run.${confirm}`;
  for (let i = 0; i < steps.length; i++)
    for (let j = i + 1; j < steps.length; j++) {
      const [a, b] = [steps[i]!, steps[j]!];
      if (a.value < b.value && a.ratio - b.ratio > NOISE_DROP)
        return ` The worst ratio fell from ${formatShare(a.ratio)} at ${v(a.value)} to ${formatShare(b.ratio)} at ${v(b.value)}, so runs near the cliff vary (a busy machine, a noisy dependency).${confirm}`;
    }
  return '';
}

function subjectOf(ctx: AnswerContext): string {
  const name = ctx.name.toLowerCase() === 'tmdb' ? 'TMDB' : ctx.name;
  switch (ctx.kind) {
    case 'latency':
      return name;
    case 'movies':
      return `${name}'s dataset`;
    case 'rate':
      return `The rate of phase ${ctx.name}`;
    case 'copies':
      return `Flow ${ctx.name}`;
  }
}

function verbOf(ctx: AnswerContext, v: number, show: (v: number) => string): string {
  switch (ctx.kind) {
    case 'latency':
      return `may slow to ${show(v)}`;
    case 'movies':
      return `may grow to ${show(v)} movies`;
    case 'rate':
      return `may rise to ${show(v)}`;
    case 'copies':
      return `may run ${show(v)} ${v === 1 ? 'copy' : 'copies'} at once`;
  }
}

function worstWords(s: SweepStep): string {
  if (!(s.deadlineMs > 0)) return `the slowest request took ${formatDuration(s.worstMs)}`;
  return `the worst request took ${formatDuration(s.worstMs)}, ${formatShare(s.ratio)} of the ${formatDuration(s.deadlineMs)} deadline`;
}

function endWords(sweep: SweepJson): string {
  if (sweep.end === 'interrupted') return 'interrupted';
  if (sweep.end === 'max-runs') return `--max-runs ${sweep.maxRuns} reached`;
  return sweep.end;
}

/** ` (p50 380 ms)` for a latency factor: what the factor means for the mock. */
function latencyNote(ctx: AnswerContext, factor: number): string {
  if (ctx.kind !== 'latency' || !ctx.latency) return '';
  return ` (${distWords(scaleLatency(ctx.latency, factor).base)})`;
}

function distWords(d: LatencyDist): string {
  if (d.kind === 'fixed') return `${formatDuration(d.ms)} a call`;
  if (d.kind === 'uniform') return `${formatDuration(d.minMs)} to ${formatDuration(d.maxMs)} a call`;
  return `p50 ${formatDuration(d.p50Ms)}, p99 ${formatDuration(d.p99Ms)}`;
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}
