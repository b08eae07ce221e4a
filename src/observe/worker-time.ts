// Ties each access-log line to the client-side request it reports: same method, same path as
// sent, same status, and the line arriving when the client saw the response end (the server
// writes the line right after the last byte). One line to one request, nearest in time first,
// except that among lines equally near the longest time in the worker wins.
// Pure: requests and entries in, the entry matched to each request (by index) out.
import type { FlaggedRequest } from '../result/types.js';
import type { AccessEntry } from './access-log.js';

export interface MatchOptions {
  /** Between a request's end and its line's arrival (log delay, busy host). Default 1 s. */
  toleranceMs?: number;
  /** Time in the worker may exceed client latency by this much (two clocks' rounding). Default 50 ms. */
  slackMs?: number;
  /**
   * Lines this near a request's end are equally likely its own (log delivery jitter; another
   * request to the same path ending in the same instant): among them the longest time in the
   * worker wins. Default 100 ms.
   */
  nearMs?: number;
}

type Request = Pick<FlaggedRequest, 'at' | 'method' | 'path' | 'latencyMs' | 'status'>;

/** `matched[i]` is the entry of `requests[i]`, or undefined when no line fits it. */
export function matchWorkerTimes(
  requests: readonly Request[],
  entries: readonly AccessEntry[],
  options: MatchOptions = {},
): (AccessEntry | undefined)[] {
  const tolerance = options.toleranceMs ?? 1_000;
  const slack = options.slackMs ?? 50;
  const near = options.nearMs ?? 100;
  const byKey = new Map<string, number[]>();
  entries.forEach((e, j) => {
    const key = `${e.method} ${e.path} ${e.status}`;
    const list = byKey.get(key) ?? [];
    list.push(j);
    byKey.set(key, list);
  });
  // By arrival, so each request looks only at the lines inside its window (a busy endpoint logs many).
  for (const list of byKey.values()) list.sort((a, b) => entries[a]!.at - entries[b]!.at);

  const pairs: { i: number; j: number; distance: number }[] = [];
  requests.forEach((r, i) => {
    // No response, no access line (a killed sync worker logs none).
    if (r.status === undefined) return;
    const endMs = Date.parse(r.at) + r.latencyMs;
    const list = byKey.get(`${r.method} ${r.path} ${r.status}`) ?? [];
    for (let k = firstAtOrAfter(list, entries, endMs - tolerance); k < list.length; k += 1) {
      const j = list[k]!;
      const e = entries[j]!;
      if (e.at > endMs + tolerance) break;
      if (e.workerMs > r.latencyMs + slack) continue;
      pairs.push({ i, j, distance: Math.abs(e.at - endMs) });
    }
  });
  // Near lines before far ones; among near ones the longer time in the worker first, so doubt
  // (an unflagged fast request to the same path ending in the same instant) never hides a slow
  // request; then nearest first.
  const tier = (d: number) => (d <= near ? 0 : 1);
  pairs.sort(
    (a, b) =>
      tier(a.distance) - tier(b.distance) ||
      (tier(a.distance) === 0 ? entries[b.j]!.workerMs - entries[a.j]!.workerMs : 0) ||
      a.distance - b.distance,
  );

  const matched = new Array<AccessEntry | undefined>(requests.length).fill(undefined);
  const used = new Set<number>();
  for (const p of pairs) {
    if (matched[p.i] !== undefined || used.has(p.j)) continue;
    matched[p.i] = entries[p.j];
    used.add(p.j);
  }
  return matched;
}

/** Index in `list` (sorted by arrival) of the first entry arriving at or after `t`. */
function firstAtOrAfter(list: number[], entries: readonly AccessEntry[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (entries[list[mid]!]!.at < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
