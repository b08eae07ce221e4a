// Ties each access-log line to the client-side request it reports: same method, same path as
// sent, same status, and the line arriving when the client saw the response end (the server
// writes the line right after the last byte). One line to one request, nearest in time first.
// Pure: requests and entries in, the entry matched to each request (by index) out.
import type { FlaggedRequest } from '../result/types.js';
import type { AccessEntry } from './access-log.js';

export interface MatchOptions {
  /** Between a request's end and its line's arrival (log delay, busy host). Default 1 s. */
  toleranceMs?: number;
  /** Time in the worker may exceed client latency by this much (two clocks' rounding). Default 50 ms. */
  slackMs?: number;
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
  const byKey = new Map<string, number[]>();
  entries.forEach((e, j) => {
    const key = `${e.method} ${e.path} ${e.status}`;
    const list = byKey.get(key) ?? [];
    list.push(j);
    byKey.set(key, list);
  });

  const pairs: { i: number; j: number; distance: number }[] = [];
  requests.forEach((r, i) => {
    // No response, no access line (a killed sync worker logs none).
    if (r.status === undefined) return;
    const endMs = Date.parse(r.at) + r.latencyMs;
    for (const j of byKey.get(`${r.method} ${r.path} ${r.status}`) ?? []) {
      const e = entries[j]!;
      const distance = Math.abs(e.at - endMs);
      if (distance > tolerance || e.workerMs > r.latencyMs + slack) continue;
      pairs.push({ i, j, distance });
    }
  });
  // Nearest first; on a tie the longer time in the worker, so doubt never hides a slow request.
  pairs.sort((a, b) => a.distance - b.distance || entries[b.j]!.workerMs - entries[a.j]!.workerMs);

  const matched = new Array<AccessEntry | undefined>(requests.length).fill(undefined);
  const used = new Set<number>();
  for (const p of pairs) {
    if (matched[p.i] !== undefined || used.has(p.j)) continue;
    matched[p.i] = entries[p.j];
    used.add(p.j);
  }
  return matched;
}
