// One recorder for every request of a run — load phases and flows alike — bounded in memory so a
// run of millions of requests costs what a run of thousands does: HDR histograms per endpoint, per
// group (phase or flow), overall and for the current second (reset as each second closes into a
// timeline row); flagged requests kept one by one up to a cap, then only counted; failures (no
// response, or a status >= 500) kept up to a cap for correlation with the server's log.
// Requests that got no response count as samples at the latency they were observed at, so
// timeouts and resets are in the percentiles, not missing from them.
import * as hdr from 'hdr-histogram-js';
import type {
  EndpointStats,
  FlaggedRequest,
  FlagLevel,
  LatencyFrom,
  LatencySummary,
  RunResult,
  TimelineRow,
} from '../result/types.js';
import { type FlagThresholds, flagLevel, timeoutRatio } from './flag-level.js';

export { flagLevel, timeoutRatio } from './flag-level.js';

/** One request as the client saw it. */
export interface RequestSample {
  /** Endpoint name (request or step name). */
  endpoint: string;
  /** The phase or flow it belongs to. */
  group: string;
  method: string;
  /** The concrete path sent, templates filled in. */
  path: string;
  /** Epoch ms the request started. */
  startMs: number;
  latencyMs: number;
  /** Absent when there was no response. */
  status?: number;
  /** `ECONNRESET`, `empty reply`, `client timeout`, ... */
  error?: string;
  /**
   * A flow step listed this status in its `expect` (e.g. the 403 of "an anonymous write is
   * refused"): the answer the test asked for, so no error of the run (k6's expected statuses).
   */
  expected?: boolean;
}

export interface Traffic {
  startedAt: number;
  finishedAt: number;
  requests: RunResult['requests'];
  timeline: TimelineRow[];
  histogram: { leMs: number; count: number }[];
  flagged: FlaggedRequest[];
  flaggedDropped: number;
  flaggedTotal: RunResult['flaggedTotal'];
  /** Requests with no response or a status >= 500 (capped). */
  failures: RequestSample[];
  failuresDropped: number;
  byGroup: EndpointStats[];
}

export interface RecorderSnapshot {
  elapsedMs: number;
  total: number;
  /** Requests completed in the last full second. */
  rps: number;
  /** Over everything so far, ms. */
  p99: number;
  errors: number;
  flaggedTotal: RunResult['flaggedTotal'];
  /** Open-model phases: requests due and sent in the last full second. */
  targetRps?: number;
  sentRps?: number;
}

export interface RecorderOptions extends FlagThresholds {
  /** Flagged requests kept one by one; beyond, only counted. Default 10 000. */
  flaggedCap?: number;
  /** Failures kept for correlation; beyond, only counted. Default 10 000. */
  failureCap?: number;
  /** Clock (epoch ms); for tests. */
  now?: () => number;
}

/** Upper bounds (ms) of the distribution buckets in result.histogram, plus warn/critical/T. */
const BUCKETS_MS = [
  5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000,
];

export class Recorder {
  readonly options: Required<Omit<RecorderOptions, 'now'>>;
  private readonly now: () => number;
  private startedAt: number;
  private finishedAt: number | undefined;
  private readonly endpoints = new Map<string, Map<string, Stats>>();
  private readonly groups = new Map<string, Stats>();
  // Only endpoints record into histograms; groups and the whole run merge theirs when asked
  // (once a second for progress, once at the end), which halves the work per request.
  private readonly overall = new Stats('', '', '', '', []);
  private readonly bounds: number[];
  private readonly bucketCounts: number[];
  // A kept request is one compact sample (shared when it is both flagged and a failure); the
  // report's shape is made in finish().
  private readonly flagged: { sample: RequestSample; level: FlagLevel }[] = [];
  private flaggedDropped = 0;
  private readonly flaggedTotal = { approaching: 0, critical: 0, killed: 0 };
  private readonly failures: RequestSample[] = [];
  private failuresDropped = 0;
  // The second being filled: index since startedAt, its histogram (reused), count and errors.
  private second = 0;
  private readonly secondHist = newHistogram();
  private secondCount = 0;
  private secondErrors = 0;
  private readonly timeline: TimelineRow[] = [];
  // Open-model phases: requests planned and sent, by the second they were due / went out.
  private readonly plannedBySecond: number[] = [];
  private readonly sentBySecond: number[] = [];

  constructor(options: RecorderOptions) {
    this.options = {
      serverTimeoutMs: options.serverTimeoutMs,
      warnAt: options.warnAt,
      criticalAt: options.criticalAt,
      flaggedCap: options.flaggedCap ?? 10_000,
      failureCap: options.failureCap ?? 10_000,
    };
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    const t = options.serverTimeoutMs;
    const marks = t > 0 ? [options.warnAt * t, options.criticalAt * t, t] : [];
    this.bounds = [...new Set([...BUCKETS_MS, ...marks.map((m) => Math.round(m))])].sort((a, b) => a - b);
    this.bucketCounts = new Array<number>(this.bounds.length + 1).fill(0);
  }

  /** Restarts the clock of the timeline (traffic starts now); only before the first sample. */
  start(atMs = this.now()): void {
    if (this.overall.count === 0) this.startedAt = atMs;
  }

  /** Makes an endpoint known before traffic, so it is listed (in this order) even with no requests. */
  declare(endpoint: {
    group: string;
    endpoint: string;
    method: string;
    path: string;
    latencyFrom?: LatencyFrom;
  }): void {
    const stats = this.endpointStats(endpoint.group, endpoint.endpoint, endpoint.method, endpoint.path);
    if (endpoint.latencyFrom) stats.latencyFrom = endpoint.latencyFrom;
  }

  /** An open-model request was due at `atMs` (sent or not): the timeline's target rate. */
  planned(atMs: number): void {
    bump(this.plannedBySecond, Math.floor((atMs - this.startedAt) / 1000));
  }

  /** An open-model request went out at `atMs`: the timeline's achieved rate. */
  sent(atMs: number): void {
    bump(this.sentBySecond, Math.floor((atMs - this.startedAt) / 1000));
  }

  record(sample: RequestSample): void {
    const { latencyMs, status } = sample;
    const responded = status !== undefined;
    const isError = !responded || (status >= 400 && sample.expected !== true);
    const micros = Math.max(1, Math.round(latencyMs * 1000));

    const endpoint = this.endpointStats(sample.group, sample.endpoint, sample.method, sample.path);
    const group = this.groupStats(sample.group, sample.method);
    const key = responded ? status : `error:${sample.error ?? 'no response'}`;
    endpoint.add(micros, latencyMs, isError, key);
    group.add(micros, latencyMs, isError, key);
    this.overall.add(micros, latencyMs, isError, key);

    let b = 0;
    while (b < this.bounds.length && latencyMs > (this.bounds[b] as number)) b++;
    this.bucketCounts[b] = (this.bucketCounts[b] as number) + 1;

    const second = Math.floor((sample.startMs + latencyMs - this.startedAt) / 1000);
    if (second > this.second) this.closeSeconds(second);
    this.secondHist.recordValue(micros);
    this.secondCount++;
    if (isError) this.secondErrors++;

    let kept: RequestSample | undefined;
    const level = this.flagLevel(latencyMs, responded);
    if (level) {
      this.flaggedTotal[level]++;
      if (this.flagged.length < this.options.flaggedCap) {
        kept = keep(sample);
        this.flagged.push({ sample: kept, level });
      } else this.flaggedDropped++;
    }
    if (!responded || status >= 500) {
      if (this.failures.length < this.options.failureCap) this.failures.push(kept ?? keep(sample));
      else this.failuresDropped++;
    }
  }

  /** Live figures for progress lines (about once a second). */
  snapshot(): RecorderSnapshot {
    const now = this.now();
    const current = Math.floor((now - this.startedAt) / 1000);
    if (current > this.second) this.closeSeconds(current);
    const last = this.timeline.at(-1);
    return {
      elapsedMs: Math.max(0, now - this.startedAt),
      total: this.overall.count,
      rps: last?.rps ?? 0,
      p99: this.overall.count ? this.overall.percentileMs(99) : 0,
      errors: this.overall.errors,
      flaggedTotal: { ...this.flaggedTotal },
      ...(last && this.plannedBySecond[last.t] !== undefined
        ? { targetRps: this.plannedBySecond[last.t], sentRps: this.sentBySecond[last.t] ?? 0 }
        : {}),
    };
  }

  /** Everything recorded, as result.json's traffic parts. Closes the current second. */
  finish(): Traffic {
    this.finishedAt ??= this.now();
    if (this.secondCount > 0) this.closeSeconds(this.second + 1);
    // Seconds in which requests were due or sent but none completed (a stall, a hung app) are
    // timeline rows too: the target line must not stop where the answers did.
    const lastPlanned = Math.max(this.plannedBySecond.length, this.sentBySecond.length);
    if (lastPlanned > this.second) this.closeSeconds(lastPlanned);
    const byEndpoint: EndpointStats[] = [];
    for (const inGroup of this.endpoints.values())
      for (const s of inGroup.values()) byEndpoint.push(s.toStats());
    return {
      startedAt: this.startedAt,
      finishedAt: this.finishedAt,
      requests: {
        total: this.overall.count,
        ok: this.overall.count - this.overall.errors,
        errors: this.overall.errors,
        byEndpoint,
      },
      timeline: this.timeline.map((row) => this.withRates(row)),
      histogram: this.histogram(),
      flagged: this.flagged.map((f) => this.flaggedRequest(f.sample, f.level)),
      flaggedDropped: this.flaggedDropped,
      flaggedTotal: { ...this.flaggedTotal },
      failures: [...this.failures],
      failuresDropped: this.failuresDropped,
      byGroup: [...this.groups.values()].map((s) => s.toStats()),
    };
  }

  /** A timeline row with the open model's target and achieved rate for its second, when it had any. */
  private withRates(row: TimelineRow): TimelineRow {
    const target = this.plannedBySecond[row.t];
    const sent = this.sentBySecond[row.t];
    if (target === undefined && sent === undefined) return { ...row };
    return { ...row, target: target ?? 0, sent: sent ?? 0 };
  }

  /** flagLevel() without an options object per request (this runs for every response). */
  private flagLevel(latencyMs: number, responded: boolean): FlagLevel | undefined {
    const t = this.options.serverTimeoutMs;
    if (!(t > 0) || latencyMs < this.options.warnAt * t) return undefined;
    return flagLevel(latencyMs, { ...this.options, responded });
  }

  private flaggedRequest(s: RequestSample, level: FlagLevel): FlaggedRequest {
    return {
      at: new Date(s.startMs).toISOString(),
      endpoint: s.endpoint,
      method: s.method,
      path: s.path,
      latencyMs: round2(s.latencyMs),
      ...(s.status !== undefined ? { status: s.status } : { error: s.error ?? 'no response' }),
      level,
      ratio: timeoutRatio(s.latencyMs, this.options.serverTimeoutMs),
    };
  }

  private endpointStats(group: string, name: string, method: string, path: string): Stats {
    let inGroup = this.endpoints.get(group);
    if (!inGroup) {
      inGroup = new Map();
      this.endpoints.set(group, inGroup);
    }
    let stats = inGroup.get(name);
    if (!stats) {
      stats = new Stats(name, method, path, group);
      inGroup.set(name, stats);
      this.groupStats(group, method).children?.push(stats);
    }
    return stats;
  }

  private groupStats(group: string, method: string): Stats {
    let stats = this.groups.get(group);
    if (!stats) {
      stats = new Stats(group, method, '*', group, []);
      this.groups.set(group, stats);
      this.overall.children?.push(stats);
    } else if (stats.method !== method && stats.method !== '*') stats.method = '*';
    return stats;
  }

  /** Closes every second before `second` into timeline rows (empty seconds as zero rows). */
  private closeSeconds(second: number): void {
    const h = this.secondHist;
    this.timeline.push({
      t: this.second,
      rps: this.secondCount,
      errors: this.secondErrors,
      p50: this.secondCount ? round2(Math.min(h.getValueAtPercentile(50), h.maxValue) / 1000) : 0,
      p99: this.secondCount ? round2(Math.min(h.getValueAtPercentile(99), h.maxValue) / 1000) : 0,
      max: this.secondCount ? round2(h.maxValue / 1000) : 0,
    });
    for (let t = this.second + 1; t < second; t++)
      this.timeline.push({ t, rps: 0, errors: 0, p50: 0, p99: 0, max: 0 });
    h.reset();
    this.secondCount = 0;
    this.secondErrors = 0;
    this.second = second;
  }

  private histogram(): { leMs: number; count: number }[] {
    const counts = this.bucketCounts;
    const first = counts.findIndex((c) => c > 0);
    if (first < 0) return [];
    let last = counts.length - 1;
    while (counts[last] === 0) last--;
    const out: { leMs: number; count: number }[] = [];
    for (let i = first; i <= last; i++) {
      const leMs = i < this.bounds.length ? (this.bounds[i] as number) : Math.ceil(this.overall.maxMs);
      out.push({ leMs, count: counts[i] as number });
    }
    return out;
  }

  /**
   * Each endpoint's latency histogram (microseconds) as HDR compressed base64, keyed
   * `group/endpoint`: result.json's `histograms`, so `compare` can test two runs as distributions.
   */
  encodedHistograms(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [group, inGroup] of this.endpoints)
      for (const [name, stats] of inGroup)
        if (stats.count > 0) out[`${group}/${name}`] = hdr.encodeIntoCompressedBase64(stats.histogram());
    return out;
  }
}

/**
 * Counts and latencies of one endpoint (its own histogram, microseconds), or of a group or the
 * whole run (the merged histograms of its children).
 */
class Stats {
  count = 0;
  errors = 0;
  sumMs = 0;
  /** What latency counts from: the intended send time (open model) or the send (closed model, flows). */
  latencyFrom: LatencyFrom = 'sent';
  maxMs = 0;
  readonly statusCodes = new Map<string | number, number>();
  /**
   * Made on the first request, not when the endpoint is declared: an HDR histogram of this range
   * is ~75 KB, so a scenario declaring 20,000 request entries used to cost 1.5 GB before a single
   * request went out (docs/memory.md). An endpoint nothing was sent to has none.
   */
  private hist: hdr.Histogram | undefined;

  constructor(
    readonly name: string,
    public method: string,
    readonly path: string,
    readonly group: string,
    readonly children?: Stats[],
  ) {}

  add(micros: number, ms: number, isError: boolean, key: string | number): void {
    this.count++;
    if (isError) this.errors++;
    this.sumMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
    if (!this.children) {
      this.hist ??= newHistogram();
      this.hist.recordValue(micros);
    }
    this.statusCodes.set(key, (this.statusCodes.get(key) ?? 0) + 1);
  }

  /** The latency histogram; for a group or the run, rebuilt from the children's. */
  histogram(): hdr.Histogram {
    this.hist ??= newHistogram();
    if (!this.children) return this.hist;
    this.hist.reset();
    for (const child of this.children) if (child.count > 0) this.hist.add(child.histogram());
    return this.hist;
  }

  /** HDR reports a bucket's upper edge; never above the exact max. */
  percentileMs(p: number, histogram = this.histogram()): number {
    return round2(Math.min(histogram.getValueAtPercentile(p) / 1000, this.maxMs));
  }

  toStats(): EndpointStats {
    const h = this.count === 0 ? undefined : this.histogram();
    const latencyMs: LatencySummary =
      h === undefined
        ? { p50: 0, p90: 0, p95: 0, p99: 0, max: 0, mean: 0 }
        : {
            p50: this.percentileMs(50, h),
            p90: this.percentileMs(90, h),
            p95: this.percentileMs(95, h),
            p99: this.percentileMs(99, h),
            max: round2(this.maxMs),
            mean: round2(this.sumMs / this.count),
          };
    const statusCodes: Record<string, number> = {};
    for (const [k, v] of [...this.statusCodes].sort(([a], [b]) => String(a).localeCompare(String(b))))
      statusCodes[String(k)] = v;
    return {
      name: this.name,
      method: this.method,
      path: this.path,
      group: this.group,
      count: this.count,
      errors: this.errors,
      statusCodes,
      latencyMs,
      latencyFrom: this.latencyFrom,
    };
  }
}

/** A compact copy of a sample kept for the report (callers' objects may be larger or reused). */
/**
 * The one copy of a request kept for both lists (flagged and failures), at the precision results
 * report (0.01 ms), so a request on both lists is the same request to whoever joins them.
 */
function keep(s: RequestSample): RequestSample {
  const kept: RequestSample = {
    endpoint: s.endpoint,
    group: s.group,
    method: s.method,
    path: s.path,
    startMs: s.startMs,
    latencyMs: round2(s.latencyMs),
  };
  if (s.status !== undefined) kept.status = s.status;
  if (s.error !== undefined) kept.error = s.error;
  return kept;
}

function bump(bySecond: number[], second: number): void {
  if (second < 0) return;
  for (let i = bySecond.length; i < second; i++) bySecond[i] = 0;
  bySecond[second] = (bySecond[second] ?? 0) + 1;
}

/** One latency histogram as the recorder keeps them (also for tests that build results). */
export function newHistogram(): hdr.Histogram {
  // Microseconds, 3 significant digits (0.1 %); starts sized for 60 s and grows for longer requests.
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 32,
    autoResize: true,
    useWebAssembly: false,
  });
}

function round2(ms: number): number {
  return Math.round(ms * 100) / 100;
}
