// The margin of every run, without sweeping: how far the slowest request is from the deadline, in
// plain words, and, where its work grows with its calls to a dependency (the mock's calls inside
// the request's time window: TMDB pages), a projection of how many calls fit before the deadline:
//   "The slowest request (POST /api/import) spent 4.1 s in a worker: 41% of the 10 s deadline,
//    5.9 s of headroom."
//   "Its 20 pages from the tmdb mock took 4.1 s, 205 ms a page: past about 48 pages the worker
//    is killed."
// The projection assumes the time is spent call by call (time per call = the request's time /
// its calls), which holds for a loop over a paged API; the words say it is a projection.
// The shapes live in result.json (`headroom`, ../result/types.ts). Pure: the slowest work (./worker-time.ts), the deadline and the mocks' sampled calls in.
import type { CallProjection, Headroom } from '../result/types.js';
import { formatDuration, formatShare } from '../units/index.js';
import { plural, requestLabel } from './format.js';
import type { MockCall } from './types.js';
import type { SlowestWork } from './worker-time.js';

export interface HeadroomInput {
  slowest?: SlowestWork;
  deadlineMs: number;
  /**
   * The endpoint with the slowest max latency, to name the request when none was flagged (only
   * flagged requests keep their start time, so only they get a projection).
   */
  slowestEndpoint?: string;
  /** The mocks' sampled calls (epoch ms), as the verdict gets them. */
  mockCalls?: MockCall[];
}

/** Fewer calls than this in the window say nothing about a pace. */
const MIN_CALLS = 3;

export function headroom(input: HeadroomInput): Headroom | undefined {
  const w = input.slowest;
  if (!w) return undefined;
  const deadlineMs = Math.max(0, input.deadlineMs);
  const ratio = deadlineMs > 0 ? w.ms / deadlineMs : 0;
  const base = {
    slowestMs: w.ms,
    basis: w.basis,
    deadlineMs,
    ratio: Number(ratio.toFixed(4)),
    headroomMs: Math.max(0, deadlineMs - w.ms),
    cutShort: w.cutShort,
  };
  const projection = project(w, deadlineMs, input.mockCalls ?? []);
  const who = w.request
    ? `The slowest request (${requestLabel(w.request)})`
    : input.slowestEndpoint
      ? `The slowest request (${input.slowestEndpoint})`
      : 'The slowest request';
  return { ...base, summary: summaryOf(who, w, deadlineMs, ratio), ...(projection ? { projection } : {}) };
}

function summaryOf(who: string, w: SlowestWork, deadlineMs: number, ratio: number): string {
  const took =
    w.basis === 'worker'
      ? `spent ${formatDuration(w.ms)} in a worker`
      : `took ${formatDuration(w.ms)} of client latency (time queued for a worker included)`;
  if (!(deadlineMs > 0)) return `${who} ${took}; the server has no timeout, so nothing cuts it off.`;
  if (w.cutShort || w.ms >= deadlineMs)
    return `${who} was cut off at the ${formatDuration(deadlineMs)} deadline: no headroom, the work needs longer than that.`;
  const times = deadlineMs / w.ms;
  return `${who} ${took}: ${formatShare(ratio)} of the ${formatDuration(deadlineMs)} deadline, ${formatDuration(deadlineMs - w.ms)} of headroom (it may take ${Number(times.toFixed(1))}x as long before it is cut off).`;
}

function project(w: SlowestWork, deadlineMs: number, calls: MockCall[]): CallProjection | undefined {
  const f = w.request;
  if (!f || !(deadlineMs > 0) || w.ms <= 0) return undefined;
  const start = Date.parse(f.at);
  const end = start + f.latencyMs;
  const inWindow = calls.filter((c) => c.startedAt >= start && c.startedAt <= end);
  // The dependency the request called most is the one its work grows with.
  const byMock = new Map<string, MockCall[]>();
  for (const c of inWindow) byMock.set(c.mock, [...(byMock.get(c.mock) ?? []), c]);
  const [mock, its] = [...byMock.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
  if (!mock || !its) return undefined;
  const pages = new Set(its.flatMap((c) => /(?:^|&)page=(\d+)/.exec(c.query)?.[1] ?? []));
  const unit = pages.size >= MIN_CALLS ? 'page' : 'call';
  const n = unit === 'page' ? pages.size : its.length;
  if (n < MIN_CALLS) return undefined;
  const msPerCall = w.ms / n;
  const fit = Math.floor(deadlineMs / msPerCall + 1e-9);
  const things = (k: number) => plural(k, unit);
  const pace = `${formatDuration(msPerCall)} a ${unit}`;
  const words =
    w.cutShort || w.ms >= deadlineMs
      ? `It had fetched ${things(n)} from the ${mock} mock when it was cut off at ${formatDuration(deadlineMs)}, ${pace}: about ${fit} fit before the deadline, so the work needs fewer ${unit}s per request or a longer deadline.`
      : `Its ${things(n)} from the ${mock} mock took ${formatDuration(w.ms)}, ${pace}: past about ${fit} ${unit}s the worker is killed (a projection at that pace).`;
  return { mock, unit, calls: n, msPerCall: Math.round(msPerCall), fit, words };
}
