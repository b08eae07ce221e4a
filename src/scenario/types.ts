// The validated, normalised scenario every later stage reads: durations in milliseconds, rates in
// requests per second, defaults filled in. Produced only by src/scenario/load-scenario.ts.
import type { FaultSpec, LatencySpec } from '../behaviour/types.js';
import type { EdgeSpec } from '../edge/profiles.js';

export interface Scenario {
  /** [a-z0-9-]+ */
  name: string;
  description?: string;
  /** The file it was read from, as given by the user (for messages and result.scenario.file). */
  file: string;
  stack: StackSpec;
  server: ServerSpec;
  /** A managed layer in front (aws-alb, heroku, ...), emulated on the host: traffic goes to it. */
  edge?: EdgeSpec;
  mocks: MockSpec[];
  load: LoadPhase[];
  flows: Flow[];
  budgets: Budgets;
  integrity: IntegrityCheck[];
  /** Wait for background work before integrity checks run. */
  settle?: SettleSpec;
  /**
   * More secrets to mask in every output: env variable names (their values are masked) or literal
   * values. Names that look secret (KEY, TOKEN, PASSWORD, PAT, AUTH, DSN...) need no entry.
   */
  redact?: string[];
}

export interface StackSpec {
  /** Absent only when the scenario is meant for --url runs. */
  app?: AppSpec;
  /** Absent: no database in the stack. */
  postgres?: PostgresSpec;
  services: ServiceSpec[];
  /** A reverse proxy in front of the app: traffic goes to it. */
  proxy?: ProxySpec;
  /** The team's docker-compose.yml is the stack; `app` then describes its service under test. */
  compose?: ComposeStackSpec;
}

/** `stack.compose` and what the scenario wrote about the app service (the rest comes from the file). */
export interface ComposeStackSpec {
  /** As written: relative to the scenario file. */
  file: string;
  /** The service under test (`stack.app: web` or `stack.app.service`). */
  service: string;
  /** stack.app.port when written; otherwise the service's first `ports` target, else its `expose`. */
  port?: number;
  /** stack.app.ready.path when written; otherwise the path of the service's HTTP healthcheck, else /. */
  readyPath?: string;
}

export interface ProxySpec {
  image: string;
  /** Container port the proxy listens on. Default 80. */
  port: number;
  /** More network names of the app, beside `app`, as the proxy's configuration calls it. */
  aliases: string[];
  /** Files put into the proxy before it starts: container path → local path (relative to the scenario). */
  files: { path: string; from: string }[];
  /** How long the proxy may take to answer its first request. Default 30 s. */
  readyWithinMs: number;
}

export interface AppSpec {
  /** With stack.compose: the compose service under test. */
  service?: string;
  /** Required unless --image, --url or stack.compose is given (checked by `run`, not by the schema). */
  image?: string;
  /** Container port the server listens on. Default 8000. */
  port: number;
  env: Record<string, string>;
  /** Overrides the image's CMD. */
  command?: string[];
  /** Run once in the app container before traffic (e.g. migrations). */
  setup?: string[];
  ready: ReadySpec;
}

export interface ReadySpec {
  /** HTTP path that must answer 2xx. Default `/`. */
  path: string;
  /** Deadline in ms. Default 60 000. */
  withinMs: number;
}

export interface PostgresSpec {
  /** Default: SMOKESTACK_POSTGRES_IMAGE, else postgres:16-alpine (decided by the stack). */
  image?: string;
  /** Default `app`. */
  database: string;
  /** Default `smokestack`. */
  user: string;
  /** Default `smokestack` (no spaces or shell characters: the postgres healthcheck is unquoted). */
  password: string;
}

export interface ServiceSpec {
  /** The key under `stack.services`; also the network alias. */
  name: string;
  /** An image reference, or `app` for the app's image. */
  image: string;
  command?: string[];
  env: Record<string, string>;
  /** Optional readiness: a log line (regex source) and/or a TCP port inside the container. */
  ready?: { log?: string; port?: number; withinMs: number };
  /** Expected to exit (a migration, a seed job): exit code 0 is no error, at any time. */
  oneShot?: boolean;
}

export interface ServerSpec {
  /** Overrides detection from the image. */
  timeoutMs?: number;
}

export interface MockSpec {
  /** The key under `mocks`. `tmdb` is the built-in TMDB mock. */
  name: string;
  kind: 'tmdb' | 'handlers';
  /** For kind `handlers`: a module (path relative to the scenario file) exporting msw handlers. */
  module?: string;
  /** TMDB dataset size. Default 10 000. */
  movies?: number;
  latency?: LatencySpec;
  faults?: FaultSpec;
  /** Per-route overrides, keyed by a path pattern like `/3/movie/:id`. */
  routes?: { path: string; latency?: LatencySpec; faults?: FaultSpec }[];
  /** Env variable of the app (and of `image: app` services) that gets this mock's base URL. */
  env?: string;
  /** Fixed host port; default: any free port. */
  port?: number;
  /** Seed for latency, faults and the dataset. Default 1. */
  seed: number;
  /**
   * TMDB only: after the run, check that every movie the mock served is stored in this table
   * (the built-in reconciliation: "560 of 1,000 served movies stored").
   */
  reconcile?: { table: string; idColumn?: string; requiredColumns?: string[] };
}

export interface RequestSpec {
  /** Endpoint name in reports; default `METHOD path` with each template as `:name` (./endpoint-name.ts). */
  name: string;
  weight: number;
  method: string;
  /** May contain templates: `{{random 1 50}}`, `{{seq}}`, `{{pick tmdb.ids}}`. */
  path: string;
  headers: Record<string, string>;
  /** JSON body; string leaves may contain templates. */
  body?: unknown;
}

export interface LoadPhase {
  name: string;
  /** Exactly one of durationMs / amount. */
  durationMs?: number;
  amount?: number;
  connections: number;
  pipelining: number;
  /** Arrival rate (open model), requests per second: sent on schedule whatever the latency. */
  ratePerSecond?: number;
  /** Open model: connections opened when all are busy, up to this; `connections` is the initial pool. */
  maxConnections?: number;
  /** Ramp: consecutive steps, each with its own rate and duration, replacing durationMs/rate. */
  ramp?: { durationMs: number; ratePerSecond: number }[];
  requests: RequestSpec[];
}

export interface FlowStep {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded; values may contain templates. Never with `body`. */
  form?: Record<string, string>;
  /** Follow redirects (up to 10, cookies kept across them). Default false: the 3xx is the answer. */
  follow: boolean;
  expect?: { status?: number[] };
  /** Variable name -> where its value is read from the response. */
  capture: Record<string, Capture>;
  /** Poll: repeat the request every `everyMs` until the condition holds, within `withinMs`. */
  until?: string;
  everyMs?: number;
  withinMs?: number;
  /** A Django-style form login instead of one request (method POST, path = login.path). */
  login?: LoginSpec;
}

/** Where a captured value comes from: exactly one key. */
export type Capture =
  /** A dotted path into the JSON response (`id`, `job.id`). */
  | { json: string }
  /** A response header (the first value when repeated). */
  | { header: string }
  /** A cookie of the copy's jar after this response (set by it or earlier). */
  | { cookie: string }
  /** A regular expression over the body: its first group, or the whole match without groups. */
  | { regex: string }
  /** The first element a CSS selector matches: its attribute `attr`, or its text. */
  | { html: string; attr?: string };

export interface LoginSpec {
  /** The login form's path: GET shows it, POST submits it. */
  path: string;
  /** Templates allowed (`user{{copy}}`). */
  username: string;
  password: string;
  /** More form fields (`next: /books/`). */
  fields: Record<string, string>;
  /** The cookie a successful login sets. Default sessionid (Django's SESSION_COOKIE_NAME). */
  sessionCookie: string;
  /** Statuses of a successful submit. Default 302 or 303. */
  status: number[];
}

export interface Flow {
  name: string;
  /** Delay after the load starts. Default 0. */
  startMs: number;
  /** Parallel copies. Default 1. */
  copies: number;
  /** Times each copy runs the steps. Default 1. */
  repeat: number;
  steps: FlowStep[];
}

export interface EndpointBudget {
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  maxMs?: number;
  errorRate?: number;
}

export interface Budgets {
  /** Share of the server timeout at which a request is flagged `approaching`. Default 0.5. */
  warnAt: number;
  /** Share at which it is `critical`. Default 0.8. */
  criticalAt: number;
  /** Worker-timeout events allowed. Default 0. */
  workerTimeouts: number;
  /** Overall error rate allowed (0..1). Default 0.01. */
  errorRate: number;
  /** Share of an open-model phase's planned requests that may go unsent before the verdict fails. Default 0.05. */
  rateShortfall: number;
  /** Fail on any `critical` flagged request. Default true. */
  failOnCritical: boolean;
  /** Per endpoint (or phase/flow) name. */
  endpoints: Record<string, EndpointBudget>;
}

export interface IntegrityCheck {
  name: string;
  /** May contain `{{mocks.tmdb.served.movies}}` style templates. */
  sql: string;
  /** Exactly one comparison; values may be templates resolved after the run. */
  equals?: string | number;
  atLeast?: string | number;
  atMost?: string | number;
  zero?: boolean;
}

export interface SettleSpec {
  /** SQL whose first column of the first row must be truthy (e.g. no running import jobs). */
  sql?: string;
  withinMs: number;
  everyMs: number;
}
