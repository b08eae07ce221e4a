// The margin made true: after the search (./search.ts, one run a value) has bracketed the cliff,
// each end of the bracket is run again until it has `repeats` runs. Why: on a shared machine the
// same value's worst request moves by 10-30 % from run to run (measured: docs/sweep.md), more
// than two neighbouring steps differ, so one pass below one failure says little about the next
// plain run. An end holds when
//   - every one of its runs has the end's verdict (all passed, or all failed), and
//   - its worst ratio clears the critical level by the spread measured between repeats of the
//     same value, and by at least MIN_SPREAD (15 %): a passing end's highest ratio x (1 + spread) stays below criticalAt, a failing
//     end that failed on the ratio has its lowest ratio / (1 + spread) still at or above it.
//     (A failure for another reason, a budget or a check, is judged on its verdicts alone.)
// An end that does not hold moves away from the cliff, the distance doubling, until one does.
// Repeats alone are not enough: with ±15 % noise, 3 of 3 passes still leaves about one plain run
// in five on the wrong side (test/unit/sweep/confirm.test.ts); the spread guard is what makes the
// answer as precise as the machine's noise allows and no finer. Pure, like the search.
import { type SearchEnd, type SearchOptions, searchCliff } from './search.js';

/** One run's verdict and its worst request against the deadline. */
export interface RunVerdict {
  passed: boolean;
  ratio: number;
}

export interface ConfirmOptions {
  /** The search's bracket: lo passed its one run, hi failed its (null: no such value). */
  lo: number | null;
  hi: number | null;
  from: number;
  to: number;
  /** Runs each end needs, all with the same verdict (1: no confirmation). */
  repeats: number;
  precision: number;
  integer: boolean;
  /** The scenario's critical level, the ratio at which a request fails the run. */
  criticalAt: number;
  /** The guard uses at least this spread (default MIN_SPREAD; 0 for the measured one alone). */
  minSpread?: number;
  /** Runs the whole sweep may still make. */
  runsLeft: number;
  signal?: AbortSignal;
  /** Runs already made (the search's count as each value's first repeat). */
  known: ReadonlyArray<{ value: number } & RunVerdict>;
}

export type ConfirmEnd = 'confirmed' | 'max-runs' | 'interrupted';

export interface ConfirmResult {
  /** The highest value that held (null: even FROM did not). */
  lastPassing: number | null;
  /** The lowest value that held as failing (null: even TO did not). */
  firstFailing: number | null;
  /** False when the runs ran out (or Ctrl-C) before both ends held. */
  confirmed: boolean;
  /** Values that both passed and failed: inside the noise band. */
  mixed: number[];
  /** The largest relative spread of the worst request between runs of one value (0.3 = 30 %). */
  spread: number;
  end: ConfirmEnd;
}

/**
 * The least spread the guard assumes. Why: the range of three runs underestimates how far the
 * next run may go, and the load of a shared machine moves between the sweep and a plain run
 * after it (measured here: 70-72 % in the sweep's three runs of a value, 85 % in a plain run
 * right after, when the load average went from 10 to 15). 15 % is the spread the incident
 * sample showed at one value on this machine (docs/sweep.md).
 */
export const MIN_SPREAD = 0.15;

/** How many times an end is re-checked after the spread grew (each re-check may move it). */
const MAX_RECHECKS = 4;

export async function confirmBoundary(
  run: (value: number) => Promise<RunVerdict>,
  options: ConfirmOptions,
): Promise<ConfirmResult> {
  const { from, to, repeats, criticalAt } = options;
  const precision = options.integer ? Math.max(1, Math.round(options.precision)) : options.precision;
  const runs = new Map<number, RunVerdict[]>();
  const add = (value: number, v: RunVerdict) => runs.set(value, [...(runs.get(value) ?? []), v]);
  for (const k of options.known) add(k.value, k);
  let runsLeft = options.runsLeft;
  const spread = () => spreadOf(runs);
  const mixed = () =>
    [...runs.entries()]
      .filter(([, rs]) => rs.some((r) => r.passed) && rs.some((r) => !r.passed))
      .map(([v]) => v)
      .sort((a, b) => a - b);
  const snap = (v: number) => {
    const k = Math.round((v - from) / precision);
    return Math.min(to, Math.max(from, Number((from + k * precision).toFixed(9))));
  };

  /** Whether `value`'s runs so far hold as an end that passes (`want`) or fails. */
  const holds = (value: number, want: boolean): boolean => {
    const rs = runs.get(value) ?? [];
    if (rs.some((r) => r.passed !== want)) return false;
    const s = 1 + Math.max(spread(), options.minSpread ?? MIN_SPREAD);
    if (want) return Math.max(...rs.map((r) => r.ratio)) * s < criticalAt;
    const onRatio = rs.every((r) => r.ratio >= criticalAt);
    return !onRatio || Math.min(...rs.map((r) => r.ratio)) / s >= criticalAt;
  };

  /**
   * Runs `value` until it has `repeats` runs or a run of the other verdict (more would not make
   * it hold): 'holds', 'breaks', or why it stopped.
   */
  const settle = async (value: number, want: boolean): Promise<'holds' | 'breaks' | ConfirmEnd> => {
    for (;;) {
      const rs = runs.get(value) ?? [];
      if (rs.some((r) => r.passed !== want)) return 'breaks';
      if (rs.length >= repeats) return holds(value, want) ? 'holds' : 'breaks';
      if (options.signal?.aborted) return 'interrupted';
      if (runsLeft <= 0) return 'max-runs';
      runsLeft--;
      add(value, await run(value));
    }
  };

  /** Moves one end away from the cliff until it holds: the value, or null when the range ran out. */
  const end = async (start: number, want: boolean): Promise<{ value: number | null; stop?: ConfirmEnd }> => {
    let value = start;
    let distance = precision;
    for (;;) {
      const s = await settle(value, want);
      if (s === 'holds') return { value };
      if (s !== 'breaks') return { value, stop: s };
      if (value === (want ? from : to)) return { value: null };
      value = snap(want ? value - distance : value + distance);
      distance *= 2;
    }
  };

  let lower: { value: number | null; stop?: ConfirmEnd } = { value: options.lo };
  let upper: { value: number | null; stop?: ConfirmEnd } = { value: options.hi };
  // The upper end's repeats may widen the spread the lower end was judged with: check again.
  for (let round = 0; round < MAX_RECHECKS; round++) {
    if (lower.value !== null) lower = await end(lower.value, true);
    if (!lower.stop && upper.value !== null) upper = await end(upper.value, false);
    const stop = lower.stop ?? upper.stop;
    if (stop) return result(stop);
    const lowOk = lower.value === null || holds(lower.value, true);
    const highOk = upper.value === null || holds(upper.value, false);
    if (lowOk && highOk) return result('confirmed');
  }
  return result('confirmed');

  function result(e: ConfirmEnd): ConfirmResult {
    return {
      lastPassing: lower.value,
      firstFailing: upper.value,
      confirmed: e === 'confirmed',
      mixed: mixed(),
      spread: Number(spread().toFixed(4)),
      end: e,
    };
  }
}

/** The largest max/min - 1 of the worst ratio over the values run more than once. */
export function spreadOf(runs: ReadonlyMap<number, ReadonlyArray<RunVerdict>>): number {
  let spread = 0;
  for (const rs of runs.values()) {
    const ratios = rs.map((r) => r.ratio).filter((r) => r > 0);
    if (ratios.length < 2) continue;
    spread = Math.max(spread, Math.max(...ratios) / Math.min(...ratios) - 1);
  }
  return spread;
}

export interface ConfirmedSearch {
  lastPassing: number | null;
  firstFailing: number | null;
  /** The search's end, or the confirmation's stop when it ran out of runs or was interrupted. */
  end: SearchEnd;
  confirmed: boolean;
  mixed: number[];
  spread: number;
}

/**
 * The search, then the confirmation of its bracket within the same --max-runs. A search that
 * failed at FROM (no headroom) or ran out of runs is left as it is.
 */
export async function searchConfirmed(
  run: (value: number) => Promise<RunVerdict>,
  options: SearchOptions & { repeats: number; criticalAt: number; minSpread?: number },
): Promise<ConfirmedSearch> {
  let made = 0;
  const counted = async (value: number) => {
    made++;
    return run(value);
  };
  const searched = await searchCliff(async (v) => {
    const verdict = await counted(v);
    return { passed: verdict.passed, outcome: verdict };
  }, options);
  if (options.repeats <= 1 || !(searched.end === 'boundary' || searched.end === 'passed-at-to'))
    return {
      lastPassing: searched.lastPassing,
      firstFailing: searched.firstFailing,
      end: searched.end,
      confirmed: options.repeats <= 1,
      mixed: [],
      spread: 0,
    };
  const c = await confirmBoundary(counted, {
    lo: searched.lastPassing,
    hi: searched.firstFailing,
    from: options.from,
    to: options.to,
    repeats: options.repeats,
    precision: options.precision,
    integer: options.integer,
    criticalAt: options.criticalAt,
    minSpread: options.minSpread,
    runsLeft: options.maxRuns - made,
    signal: options.signal,
    known: searched.steps.map((s) => ({ value: s.value, ...s.outcome })),
  });
  return {
    lastPassing: c.lastPassing,
    firstFailing: c.firstFailing,
    end: c.end === 'confirmed' ? searched.end : c.end,
    confirmed: c.confirmed,
    mixed: c.mixed,
    spread: c.spread,
  };
}
