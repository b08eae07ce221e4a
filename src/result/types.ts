// result.json, schemaVersion 1: the seam between running and reporting (docs/contract.md).
// Every report file can be rebuilt from it. Fields may be added; these keep their names.

export type RunStatus = 'passed' | 'failed' | 'error' | 'aborted';
export type FlagLevel = 'approaching' | 'critical' | 'killed';
export type ServerEventKind =
  | 'worker-timeout'
  | 'worker-exit'
  | 'worker-boot'
  | 'worker-killed'
  | 'proxy-timeout'
  | 'upstream-closed'
  | 'error';
export type Severity = 'fail' | 'warn' | 'info';
/** `profile-default`: an edge layer's documented default (src/edge/profiles.ts). */
export type TimeoutSource = 'flag' | 'scenario' | 'image' | 'server-default' | 'profile-default';

export type LayerName = 'edge' | 'proxy' | 'server';

/** One limit on a request's way to the worker (docs/timeout-chain.md). */
export interface ChainLayer {
  layer: LayerName;
  /** `nginx`, `aws-alb`, `gunicorn`, ... */
  kind: string;
  /** Its limit in seconds for the request at `/` (0 = none). */
  timeoutS: number;
  timeoutSource: TimeoutSource;
  /** What it counts and what the client gets, in words. */
  rule: string;
  /** The container it runs in, when it runs in the stack. */
  container?: string;
  /** Where the limit was read from (`/etc/nginx/conf.d/timeouts.conf:1: proxy_read_timeout 10s`). */
  detectedFrom?: string[];
  /** A proxy's locations that pass to the app, each with its own limit (nginx's location order). */
  locations?: { match: string; modifier: '' | '=' | '~' | '~*' | '^~'; uri: string; timeoutS: number }[];
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface ServerConfig {
  /** `gunicorn`, `uvicorn`, `uwsgi`, `unknown`. */
  kind: string;
  /** Worker timeout T in seconds (0 = disabled). */
  timeoutS: number;
  timeoutSource: TimeoutSource;
  workers?: number;
  workerClass?: string;
  keepAliveS?: number;
  gracefulTimeoutS?: number;
  /** Where the values were read from, e.g. `Cmd`, `GUNICORN_CMD_ARGS`, `/app/gunicorn.conf.py`. */
  detectedFrom?: string[];
  /**
   * Server settings the harness turned on because image and scenario left them unset, e.g.
   * `GUNICORN_CMD_ARGS: --access-logfile - --access-logformat ...` (the access log with request time).
   */
  injected?: string[];
}

export interface EndpointStats {
  name: string;
  method: string;
  path: string;
  /** The phase or flow the endpoint belongs to. */
  group?: string;
  count: number;
  errors: number;
  /** Status code (or `error:ECONNRESET` style key for failures without a status) -> count. */
  statusCodes: Record<string, number>;
  latencyMs: LatencySummary;
  /**
   * `intended`: from when the schedule said the request should go (open-model phases), so time a
   * request waited for the client or a stalled server counts; `sent`: from when it was written.
   */
  latencyFrom?: LatencyFrom;
}

export type LatencyFrom = 'intended' | 'sent';

export interface TimelineRow {
  /** Seconds since the start of traffic. */
  t: number;
  rps: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
  /** Open-model phases: requests due in this second (the target rate) and requests sent. */
  target?: number;
  sent?: number;
}

/**
 * What one load phase planned and did, counted request by request, so a phase that could not hold
 * its rate, or ended with requests in flight, says so instead of looking like a fast app.
 */
export interface PhaseAccount {
  name: string;
  /** `open`: sent at the arrival rate whatever the latency; `closed`: each connection waits for its answer. */
  model: 'open' | 'closed';
  /** Requests the plan called for (open model, or `amount:`); 0 when only a duration bounds it. */
  planned: number;
  /** Requests written to a connection. */
  sent: number;
  /** Requests that ended with a response or an error of their own (recorded). */
  completed: number;
  /** Open model: due while all `maxConnections` were busy, so never sent. */
  dropped: number;
  /** Due after the run was interrupted: never sent. */
  unsent: number;
  /** In flight when the run was interrupted: cut by us, not recorded as the server's failure. */
  cutOff: number;
  /** Open model: sent more than 100 ms behind schedule (the client itself could not keep up). */
  late: number;
  connections: number;
  maxConnections?: number;
  /** Connections the phase ended up opening. */
  connectionsOpened?: number;
  /** The most requests in flight at once. */
  peakInFlight: number;
  peakRatePerSecond?: number;
  /** ISO 8601 start of the phase. */
  startedAt: string;
  /** Time from the phase's start to its first dropped request, ms. */
  firstDroppedAfterMs?: number;
}

export interface ServerEvent {
  /** ISO 8601 time the line arrived (or the log's own timestamp when it has one). */
  at: string;
  kind: ServerEventKind;
  pid?: number;
  line: string;
  /** Container the line came from. */
  source?: string;
  /** The request path the server named with the event (gunicorn >= 22 `Error handling request /path`). */
  path?: string;
  /** The request's method, when the line names it (nginx's `request: "GET /slow HTTP/1.1"`). */
  method?: string;
  /**
   * The line arrived before the first request of the traffic (boot, setup, readiness): shown
   * apart in the reports and never counted by the verdict.
   */
  beforeTraffic?: true;
}

export interface FlaggedRequest {
  /** ISO 8601 start of the request. */
  at: string;
  endpoint: string;
  method: string;
  path: string;
  latencyMs: number;
  /** HTTP status, absent when there was no response. */
  status?: number;
  /** `ECONNRESET`, `empty reply`, `client timeout`, ... */
  error?: string;
  level: FlagLevel;
  /** latency / server timeout, on the basis `latencyBasis` names (client latency when absent). */
  ratio: number;
  serverEvent?: ServerEvent;
  /** Time in the worker, from the server's access log, when a line matched this request. */
  workerMs?: number;
  /** Client latency minus time in the worker: waiting for a free worker (and the network). */
  queueMs?: number;
  /** What level and ratio were taken from: time in the worker, or client latency (not known better). */
  latencyBasis?: 'worker' | 'client';
  /** The layer of the chain that cut this request, or would have: the one its ratio is against. */
  deadline?: { layer: LayerName; kind: string; timeoutS: number };
}

export interface MockSummary {
  name: string;
  baseUrl?: string;
  calls: number;
  /** `key`: the route's key in templates (`{{mocks.NAME.routes.KEY.calls}}`); absent in older results. */
  byRoute: {
    route: string;
    key?: string;
    method: string;
    calls: number;
    statusCodes: Record<string, number>;
  }[];
  latencyMs: LatencySummary;
  faults: Record<string, number>;
  /** Values later stages can template with, e.g. `{ movies: 1000 }` for `mocks.tmdb.served.movies`. */
  served?: Record<string, number>;
}

/**
 * What a database check found, typed so the verdict never reads its wording:
 * `passed`; `partial`: a number above zero but short of what was expected (some rows written, not
 * all); `none`: zero where rows were expected; `mismatch`: any other failed comparison (too many,
 * another value, not a number); `error`: nothing was measured (a bad template, an SQL error, no
 * rows, no database).
 */
export type IntegrityKind = 'passed' | 'partial' | 'none' | 'mismatch' | 'error';

export interface IntegrityResult {
  name: string;
  passed: boolean;
  expected: string;
  actual: string;
  detail?: string;
  sql?: string;
  /** Absent in results written before it was added. */
  kind?: IntegrityKind;
  /** A scenario `integrity` entry, or the built-in reconciliation of what a mock served. */
  origin?: 'scenario' | 'reconcile';
}

export interface Finding {
  severity: Severity;
  code: string;
  title: string;
  detail: string;
  /** What to change, in plain words. */
  advice?: string;
}

/** The slowest request's margin against the deadline (src/verdict/headroom.ts). */
export interface Headroom {
  /** The slowest work against the deadline, in the worker where the server's log gave it. */
  slowestMs: number;
  basis: 'worker' | 'client';
  /** 0: the server has no timeout. */
  deadlineMs: number;
  /** slowestMs / deadlineMs (0 without a deadline). */
  ratio: number;
  /** deadlineMs - slowestMs, never below 0. */
  headroomMs: number;
  /** The slowest work was cut short by the deadline. */
  cutShort: boolean;
  /** One sentence: the slowest request against the deadline. */
  summary: string;
  projection?: CallProjection;
}

export interface CallProjection {
  mock: string;
  /** `page` when the calls are pages of a list (`page=N`), else `call`. */
  unit: 'page' | 'call';
  calls: number;
  msPerCall: number;
  /** About how many calls fit in the deadline at that pace. */
  fit: number;
  /** One sentence. */
  words: string;
}

/** Why a run ended with status `error` (or the interrupt, for `aborted`): the error as the CLI shows it. */
export interface RunError {
  /** Stable: `CONTAINER_DIED`, `NOT_READY`, `INTERRUPTED`, `INFRA`... (src/errors.ts). */
  code: string;
  message: string;
  fix?: string;
}

export interface RunResult {
  schemaVersion: 1;
  runId: string;
  startedAt: string;
  finishedAt: string;
  /** ISO 8601 time of timeline second 0 (the start of traffic), for placing events on charts. */
  trafficStartedAt?: string;
  status: RunStatus;
  scenario: { name: string; file: string; description?: string };
  target: {
    mode: 'containers' | 'url';
    baseUrl: string;
    image?: string;
    server: ServerConfig;
    /** The smallest limit of the chain a request meets (T when no layer in front is known). */
    deadlineS?: number;
    /** Every layer a request passes, client side first, the server last. */
    chain?: ChainLayer[];
  };
  requests: { total: number; ok: number; errors: number; byEndpoint: EndpointStats[] };
  timeline: TimelineRow[];
  /** One entry per load phase that started, in order: its model, what it planned, sent, dropped, cut off. */
  phases?: PhaseAccount[];
  flagged: FlaggedRequest[];
  /** Flagged requests beyond the per-request cap are only counted. */
  flaggedDropped?: number;
  flaggedTotal: { approaching: number; critical: number; killed: number };
  serverEvents: ServerEvent[];
  mocks: MockSummary[];
  integrity: IntegrityResult[];
  findings: Finding[];
  /** The verdict's pass/fail lines (budgets, integrity items, flows): one JUnit test case each. */
  checks?: { name: string; passed: boolean; message: string; skipped?: boolean }[];
  /** Budgets as applied, for the report's lines (warnAt/criticalAt). */
  budgets?: { warnAt: number; criticalAt: number; workerTimeouts: number; errorRate: number };
  /**
   * Each endpoint's latency histogram, keyed `group/name` (phase or flow, then the request or step
   * name): HDR histograms of microseconds, compressed base64 (`HISTFAAA…`), so two results can be
   * compared (and merged) as distributions. Absent in results of older versions.
   */
  histograms?: Record<string, string>;
  /** Latency distribution over all requests: [upper bound ms, count] buckets for the report. */
  histogram?: { leMs: number; count: number }[];
  /** Run metadata for the report (secrets redacted before writing). */
  meta?: {
    versions?: Record<string, string>;
    containers?: { name: string; image: string; startMs: number }[];
    env?: Record<string, string>;
    durationMs?: number;
    error?: string;
  };
  /** How far the slowest request was from the deadline, and how many dependency calls fit. */
  headroom?: Headroom;
  /** Status `error`: what stopped the run (also a `run-error` finding). */
  error?: RunError;
  /** Filled by `run --baseline`. */
  comparison?: unknown;
}
