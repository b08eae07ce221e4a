// Ties what the client saw to what the server logged: a request that got no response (or the
// 5xx gunicorn >= 22 sends from a killed worker) ending when a worker was killed is `killed`,
// with the server's event attached. A proxy in front that cut a request (its 504, or the 502 of an
// upstream that closed) ties it to the proxy's event the same way, after the worker's kills: a
// worker killed behind nginx gives both, and the kill is the cause. Pure: flagged requests, failures and events in, the
// corrected flagged list out. Requests that returned keep their latency level.
import createDebug from 'debug';
import type { RequestSample } from '../load/recorder.js';
import type { FlaggedRequest, ServerEvent } from '../result/types.js';

const debug = createDebug('smokestack:observe');

export interface CorrelateInput {
  /** The recorder's flagged requests (levels from latency alone). */
  flagged: FlaggedRequest[];
  /** Requests with no response or a status >= 500. */
  failures: RequestSample[];
  events: ServerEvent[];
  serverTimeoutMs: number;
  /** Clock difference and log delay allowed between a request's end and the kill. Default 2 s. */
  toleranceMs?: number;
  /**
   * Requests one killed worker can take down. 1 for sync workers (the default); a gthread worker
   * takes its threads' requests with it.
   */
  requestsPerWorker?: number;
  /** Most flagged requests kept (the recorder's cap); default 10 000, or the input's length when larger. */
  maxFlagged?: number;
}

export interface Correlation {
  flagged: FlaggedRequest[];
  /** Requests killed by the server (matched to an event, or no response after the timeout). */
  killed: number;
  /** Kills no request of ours matched: still a finding (maybe someone else's request died). */
  unmatchedTimeouts: ServerEvent[];
}

/** gunicorn sends SIGKILL about a second after the timeout's SIGABRT when the worker is stuck. */
const SIGKILL_DELAY_MS = 1_000;
/** A `worker-killed` this soon after its worker's timeout is the same kill, not another one. */
const SAME_KILL_MS = 5_000;

interface Candidate {
  key: string;
  endMs: number;
  request: Omit<FlaggedRequest, 'level' | 'ratio' | 'serverEvent'>;
}

export function correlate(input: CorrelateInput): Correlation {
  const tolerance = input.toleranceMs ?? 2_000;
  const perWorker = input.requestsPerWorker ?? 1;
  const cap = Math.max(input.maxFlagged ?? 10_000, input.flagged.length);
  const kills = killEvents(input.events);
  const candidates = failedRequests(input.flagged, input.failures);

  const matched = new Map<string, ServerEvent>();
  const used = assign(kills, candidates, matched, perWorker, tolerance);
  // Proxy events: one request each, among the requests no kill explains.
  assign(proxyEvents(input.events), candidates, matched, 1, tolerance);

  const ratio = (latencyMs: number) =>
    input.serverTimeoutMs > 0 ? round3(latencyMs / input.serverTimeoutMs) : 0;
  const byKey = new Map<string, FlaggedRequest>();
  for (const f of input.flagged) byKey.set(keyOf(f), f);
  for (const c of candidates) {
    const event = matched.get(c.key);
    if (!event) continue;
    byKey.set(c.key, {
      ...c.request,
      level: 'killed',
      ratio: ratio(c.request.latencyMs),
      serverEvent: event,
    });
  }

  const flagged = keepMostSevere([...byKey.values()], cap).sort(
    (a, b) => Date.parse(a.at) - Date.parse(b.at) || a.endpoint.localeCompare(b.endpoint),
  );
  const unmatchedTimeouts = kills.filter((_, i) => used[i] === 0);
  const killed = [...byKey.values()].filter((f) => f.level === 'killed').length;
  debug(
    'correlate: %d kill events, %d matched requests, %d unmatched',
    kills.length,
    matched.size,
    unmatchedTimeouts.length,
  );
  return { flagged, killed, unmatchedTimeouts };
}

/**
 * Every plausible (request, event) pair, nearest first; then assigned greedily: each request once,
 * each event to as many requests as its worker could have held. Returns each event's use count.
 */
function assign(
  events: ServerEvent[],
  candidates: Candidate[],
  matched: Map<string, ServerEvent>,
  perEvent: number,
  tolerance: number,
): number[] {
  const open = candidates.filter((c) => !matched.has(c.key));
  const pairs: { c: Candidate; e: number; distance: number; pathMatch: boolean }[] = [];
  events.forEach((event, e) => {
    const at = Date.parse(event.at);
    for (const c of open) {
      if (c.endMs < at - tolerance || c.endMs > at + SIGKILL_DELAY_MS + tolerance) continue;
      const pathMatch = event.path !== undefined && samePath(event.path, c.request.path);
      if (event.path !== undefined && !pathMatch && hasPathMatch(event, open, at, tolerance)) continue;
      pairs.push({ c, e, distance: Math.abs(c.endMs - at), pathMatch });
    }
  });
  pairs.sort(
    (a, b) =>
      Number(b.pathMatch) - Number(a.pathMatch) ||
      a.distance - b.distance ||
      b.c.request.latencyMs - a.c.request.latencyMs,
  );
  const used = new Array<number>(events.length).fill(0);
  for (const p of pairs) {
    if (matched.has(p.c.key) || used[p.e]! >= perEvent) continue;
    matched.set(p.c.key, events[p.e]!);
    used[p.e]! += 1;
  }
  return used;
}

/** What a proxy in front logged when it cut a request or its upstream failed it. */
function proxyEvents(events: ServerEvent[]): ServerEvent[] {
  return events
    .filter((e) => e.kind === 'proxy-timeout' || e.kind === 'upstream-closed')
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/**
 * The kills: every worker timeout, and a worker killed without a timeout before it (the OOM
 * killer also takes the request in flight). The SIGKILL that follows a timeout is the same kill.
 */
function killEvents(events: ServerEvent[]): ServerEvent[] {
  const timeouts = events.filter((e) => e.kind === 'worker-timeout');
  const others = events.filter(
    (e) =>
      e.kind === 'worker-killed' &&
      !timeouts.some((t) => t.pid === e.pid && Math.abs(Date.parse(e.at) - Date.parse(t.at)) <= SAME_KILL_MS),
  );
  return [...timeouts, ...others].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** Requests a kill could explain: no response, or a 5xx (gunicorn >= 22 answers 500 from a killed worker). */
function failedRequests(flagged: FlaggedRequest[], failures: RequestSample[]): Candidate[] {
  const out = new Map<string, Candidate>();
  for (const s of failures) {
    if (s.status !== undefined && s.status < 500) continue;
    const request = {
      at: new Date(s.startMs).toISOString(),
      endpoint: s.endpoint,
      method: s.method,
      path: s.path,
      latencyMs: s.latencyMs,
      ...(s.status !== undefined ? { status: s.status } : {}),
      ...(s.error !== undefined ? { error: s.error } : {}),
    };
    const key = keyOf(request);
    out.set(key, { key, endMs: s.startMs + s.latencyMs, request });
  }
  // The failure list is capped; flagged requests without a response are candidates too.
  for (const f of flagged) {
    if (f.status !== undefined && f.status < 500) continue;
    const key = keyOf(f);
    if (out.has(key)) continue;
    const { level: _level, ratio: _ratio, serverEvent: _event, ...request } = f;
    out.set(key, { key, endMs: Date.parse(f.at) + f.latencyMs, request });
  }
  return [...out.values()];
}

/** When the server named the killed request's path, only requests to that path match it. */
function hasPathMatch(event: ServerEvent, candidates: Candidate[], at: number, tolerance: number): boolean {
  return candidates.some(
    (c) =>
      samePath(event.path!, c.request.path) &&
      c.endMs >= at - tolerance &&
      c.endMs <= at + SIGKILL_DELAY_MS + tolerance,
  );
}

function samePath(logged: string, sent: string): boolean {
  return logged === sent || logged.split('?')[0] === sent.split('?')[0];
}

function keyOf(r: { at: string; method: string; path: string; latencyMs: number }): string {
  return `${r.at}|${r.method}|${r.path}|${r.latencyMs}`;
}

const SEVERITY = { killed: 0, critical: 1, approaching: 2 } as const;

/** Over the cap, the least severe (then the fastest) requests go first. */
function keepMostSevere(flagged: FlaggedRequest[], cap: number): FlaggedRequest[] {
  if (flagged.length <= cap) return flagged;
  return [...flagged]
    .sort((a, b) => SEVERITY[a.level] - SEVERITY[b.level] || b.latencyMs - a.latencyMs)
    .slice(0, cap);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
