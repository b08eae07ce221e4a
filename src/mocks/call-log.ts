// What a mock served, in bounded memory: counters per route and outcome, a latency histogram
// (hdr-histogram-js, microsecond resolution) and a uniform random sample of the calls
// (reservoir sampling, capped), so a mock serving a million calls stays small.
import { performance } from 'node:perf_hooks';
import { build } from 'hdr-histogram-js';
import { isSecretName, REDACTED } from '../redact/rules.js';
import type { LatencySummary, MockSummary } from '../result/types.js';
import type { FaultKind } from './fault-plan.js';
import { STREAM, streamFor } from './rng.js';

/** One call as the mock saw it. Times are epoch milliseconds (fractional). */
export interface CallRecord {
  /** 1-based call number within this mock. */
  index: number;
  /** The handler's route pattern (`/3/movie/:id`), or `(unmatched)`. */
  route: string;
  /** The route's key for templates (src/mocks/route-key.ts): `get-3-movie-id`, `unmatched`. */
  key: string;
  method: string;
  path: string;
  /** The query string without `?`; values of key/token/secret/password parameters are redacted. */
  query: string;
  /** HTTP status sent; absent when no answer was sent. */
  status?: number;
  /** Status code as text, or why there was none: `reset`, `hang`, `closed` (the client left), `stopped`. */
  outcome: string;
  /** The injected delay. */
  delayMs: number;
  fault?: FaultKind;
  startedAt: number;
  endedAt?: number;
  durationMs?: number;
}

export interface CallLog {
  begin(record: CallRecord): void;
  /** Ends a call once (later calls for the same record are ignored). */
  end(record: CallRecord, outcome: string, status?: number): void;
  calls(): CallRecord[];
  inFlight(): CallRecord[];
  summary(): Omit<MockSummary, 'name' | 'baseUrl' | 'served'>;
}

interface RouteCounters {
  route: string;
  key: string;
  method: string;
  calls: number;
  statusCodes: Record<string, number>;
}

export function createCallLog(options: { sampleCap: number; seed: number }): CallLog {
  const histogram = build({ numberOfSignificantValueDigits: 3 });
  const routes = new Map<string, RouteCounters>();
  const faults: Record<FaultKind, number> = { rateLimit: 0, error: 0, reset: 0, hang: 0 };
  const open = new Set<CallRecord>();
  const sample: CallRecord[] = [];
  const pick = streamFor(options.seed, STREAM.sample, 0);
  let ended = 0;

  function count(record: CallRecord, outcome: string): void {
    const key = `${record.method} ${record.route} ${record.key}`;
    let c = routes.get(key);
    if (!c) {
      c = { route: record.route, key: record.key, method: record.method, calls: 0, statusCodes: {} };
      routes.set(key, c);
    }
    c.calls += 1;
    c.statusCodes[outcome] = (c.statusCodes[outcome] ?? 0) + 1;
  }

  return {
    begin(record) {
      open.add(record);
      if (record.fault) faults[record.fault] += 1;
    },
    end(record, outcome, status) {
      if (!open.delete(record)) return;
      record.outcome = outcome;
      if (status !== undefined) record.status = status;
      // performance.timeOrigin + now(): epoch milliseconds with sub-millisecond resolution.
      const endedAt = performance.timeOrigin + performance.now();
      record.endedAt = Math.round(endedAt * 10) / 10;
      record.durationMs = Math.round((endedAt - record.startedAt) * 10) / 10;
      count(record, outcome);
      histogram.recordValue(Math.max(0, Math.round((endedAt - record.startedAt) * 1000)));
      ended += 1;
      if (sample.length < options.sampleCap) sample.push(record);
      else {
        const j = Math.floor(pick() * ended);
        if (j < options.sampleCap) sample[j] = record;
      }
    },
    calls() {
      return [...sample].sort((a, b) => a.index - b.index).map((r) => ({ ...r, query: redact(r.query) }));
    },
    inFlight() {
      return [...open];
    },
    summary() {
      // Calls still open (hanging, or delayed right now) are counted as `pending`.
      const merged = new Map([...routes].map(([k, c]) => [k, { ...c, statusCodes: { ...c.statusCodes } }]));
      for (const r of open) {
        const key = `${r.method} ${r.route} ${r.key}`;
        const c = merged.get(key) ?? {
          route: r.route,
          key: r.key,
          method: r.method,
          calls: 0,
          statusCodes: {},
        };
        c.calls += 1;
        c.statusCodes.pending = (c.statusCodes.pending ?? 0) + 1;
        merged.set(key, c);
      }
      const byRoute = [...merged.values()].sort(
        (a, b) => b.calls - a.calls || a.route.localeCompare(b.route),
      );
      return {
        calls: ended + open.size,
        byRoute,
        latencyMs: latencySummary(histogram),
        faults: { ...faults },
      };
    },
  };
}

function latencySummary(h: ReturnType<typeof build>): LatencySummary {
  if (h.totalCount === 0) return { p50: 0, p90: 0, p95: 0, p99: 0, max: 0, mean: 0 };
  const ms = (us: number) => Math.round(us / 100) / 10;
  return {
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p95: ms(h.getValueAtPercentile(95)),
    p99: ms(h.getValueAtPercentile(99)),
    max: ms(h.maxValue),
    mean: ms(h.mean),
  };
}

/** Credential parameters (api_key=…) by the one rule set: a call sample is shown in reports. */
function redact(query: string): string {
  if (!query?.includes('=')) return query;
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq > 0 && isSecretName(pair.slice(0, eq)) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join('&');
}
