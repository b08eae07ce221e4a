// The search for the cliff, as a pure loop over an injected runner (one run per value): run FROM;
// if it passes, grow the distance from FROM (doubling it each time, so a cliff near FROM is found
// in few runs and one near TO in log2 of the range) until a value fails or TO passes; then bisect
// between the last passing and the first failing value until they are within the precision.
// Values sit on a grid of the precision counted from FROM (whole numbers for integer targets),
// so the steps read as round numbers and no two runs differ by less than the precision.
// It assumes the verdict gets worse as the value grows (one cliff); a pass above a failure is
// not searched for.

export interface SearchOptions {
  from: number;
  to: number;
  /** The answer is good to this much: firstFailing - lastPassing <= precision when the search ends. */
  precision: number;
  /** At most this many runs in all (FROM included). */
  maxRuns: number;
  integer: boolean;
  /** Stop early (Ctrl-C): the steps done so far are kept. */
  signal?: AbortSignal;
}

export interface SearchStep<S> {
  value: number;
  passed: boolean;
  outcome: S;
}

export type SearchEnd =
  /** Within the precision of the cliff. */
  | 'boundary'
  /** It passed at TO: the cliff is further out than the range. */
  | 'passed-at-to'
  /** It failed at FROM: there is no headroom. */
  | 'failed-at-from'
  /** --max-runs reached before the precision. */
  | 'max-runs'
  | 'interrupted'
  /** A step ended in an infrastructure error (set by the sweep, not the search). */
  | 'error';

export interface SearchResult<S> {
  steps: SearchStep<S>[];
  lastPassing: number | null;
  firstFailing: number | null;
  end: SearchEnd;
}

/** The first distance grown from FROM: an eighth of the range, at least the precision. */
const FIRST_STEP_SHARE = 1 / 8;

export async function searchCliff<S>(
  run: (value: number) => Promise<{ passed: boolean; outcome: S }>,
  options: SearchOptions,
): Promise<SearchResult<S>> {
  const { from, to, maxRuns } = options;
  const precision = options.integer ? Math.max(1, Math.round(options.precision)) : options.precision;
  const steps: SearchStep<S>[] = [];
  // An object, not two lets: the runs set them inside `step`, which control-flow narrowing cannot see.
  const found: { lastPassing: number | null; firstFailing: number | null } = {
    lastPassing: null,
    firstFailing: null,
  };
  const snap = (v: number) => {
    const k = Math.round((v - from) / precision);
    return Math.min(to, Number((from + k * precision).toFixed(9)));
  };
  const step = async (value: number): Promise<boolean> => {
    const { passed, outcome } = await run(value);
    steps.push({ value, passed, outcome });
    if (passed) found.lastPassing = value;
    else found.firstFailing = value;
    return passed;
  };
  const stopped = () => options.signal?.aborted === true;
  const done = (end: SearchEnd): SearchResult<S> => ({
    steps,
    ...found,
    end: stopped() ? 'interrupted' : end,
  });

  if (maxRuns < 1) return done('max-runs');
  if (!(await step(from))) return done('failed-at-from');

  // Grow: FROM + d, FROM + 3d, FROM + 7d, ... (the distance doubles), TO at the latest.
  let distance = Math.max(precision, (to - from) * FIRST_STEP_SHARE);
  let value = from;
  while (found.firstFailing === null) {
    if (stopped()) return done('interrupted');
    if (value >= to) return done('passed-at-to');
    if (steps.length >= maxRuns) return done('max-runs');
    let next = snap(value + distance);
    if (next <= value) next = Math.min(to, value + precision);
    // TO itself is always a step of its own, even off the grid.
    if (to - next < precision && next < to) next = to;
    await step(next);
    value = next;
    distance *= 2;
  }

  // Bisect between the last pass and the first failure.
  while (found.firstFailing !== null && found.lastPassing !== null) {
    const lo = found.lastPassing;
    const hi = found.firstFailing;
    if (hi - lo <= precision + 1e-9) break;
    if (stopped()) return done('interrupted');
    if (steps.length >= maxRuns) return done('max-runs');
    const mid = snap((lo + hi) / 2);
    if (mid <= lo || mid >= hi) break;
    await step(mid);
  }
  return done('boundary');
}

/** A precision in round numbers when none is given: 0.1x for a latency factor, a 16th of the range otherwise. */
export function defaultPrecision(kind: string, from: number, to: number, integer: boolean): number {
  if (kind === 'latency') return 0.1;
  const raw = (to - from) / 16;
  const power = 10 ** Math.floor(Math.log10(raw));
  const nice = [1, 2, 5, 10].map((m) => m * power).find((n) => n >= raw) ?? raw;
  return integer ? Math.max(1, Math.round(nice)) : nice;
}

/** Room for the search (5-7 runs) and three repeats of each end, moved a few times. */
export const DEFAULT_MAX_RUNS = 30;
export const DEFAULT_REPEATS = 3;
