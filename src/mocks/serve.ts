// Serves msw request handlers over a real node:http server, slow and faulty the way production
// dependencies are: per call, a seeded latency draw and fault decision (per mock, overridable
// per route), the handler resolved while the delay runs, the answer written when it ends, and
// every call counted in a bounded call log. stop() ends delayed and hanging requests at once.
// The latency clock starts at the mock's first call, so `2s after 30s` means 30 s into the
// traffic, not 30 s after a stack that took a while to start.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import createDebug from 'debug';
import { matchRequestUrl, type RequestHandler } from 'msw';
import { sampleLatency } from '../behaviour/latency.js';
import type { FaultSpec, LatencySpec } from '../behaviour/types.js';
import type { MockSummary } from '../result/types.js';
import { type CallRecord, createCallLog } from './call-log.js';
import { createFaultPlan, type FaultDecision, type FaultPlan } from './fault-plan.js';
import { type FaultResponses, genericFaultResponses } from './fault-responses.js';
import {
  type Prepared,
  prepareCanned,
  prepareResponse,
  readBody,
  toFetchRequest,
  writePrepared,
} from './http-io.js';
import { listenOn } from './listen.js';
import { createResolver, UNMATCHED } from './resolve.js';
import { STREAM, streamFor } from './rng.js';
import { type RouteInfo, UNMATCHED_KEY, UNROUTED_KEY } from './route-key.js';

const debug = createDebug('smokestack:mocks');
const UNROUTED = '(faulted before routing)';

export interface MockRoute {
  /** An msw path pattern relative to the mock, e.g. `/3/movie/:id`. */
  path: string;
  latency?: LatencySpec;
  faults?: FaultSpec;
}

export interface MockServerOptions {
  name: string;
  handlers: RequestHandler[];
  /** Default 127.0.0.1: the harness and the user reach it there. */
  host?: string;
  /**
   * More addresses on the same port: the Docker bridge gateway, so containers reach it through
   * host.docker.internal. Never all interfaces unless the caller asks for 0.0.0.0 itself.
   */
  alsoOn?: string[];
  /** Default 0: any free port. */
  port?: number;
  latency?: LatencySpec;
  faults?: FaultSpec;
  /**
   * Per-route latency/faults, replacing the mock's for the calls they cover. A path written as a
   * handler's own pattern covers the calls that handler answers; any other pattern covers the
   * paths it matches. First match wins.
   */
  routes?: MockRoute[];
  /** Default 1. */
  seed?: number;
  /** Calls kept in the call sample. Default 1000. */
  sampleCap?: number;
  /** What this kind of mock knows beyond its handlers (the built-in TMDB mock's dataset, say). */
  extension?: MockExtension;
}

/**
 * The one extension point of the generic mock server: everything a kind of mock knows that the
 * server does not (its dataset, what it served, its error bodies). The built-in TMDB mock is one
 * (src/mocks/tmdb/start-tmdb-mock.ts); a handlers module may export its own as `extension`.
 */
export interface MockExtension {
  /** Values for templates: `{{pick NAME.ids}}` in traffic, `{{mocks.NAME.KEY}}` in integrity SQL. */
  values?(): Record<string, unknown>;
  /** Counts of what reached the app in full, by kind: `{{mocks.NAME.served.KEY}}`, the report's mocks table. */
  served?(): Record<string, number>;
  /** The ids of the records it served, for `reconcile:` (each must be stored in the database). */
  servedIds?(): number[];
  /**
   * Called with each handler Response as it is produced; what it returns runs once that answer
   * has reached the client in full (a request the app abandoned mid-delay served nothing).
   */
  onAnswer?(response: Response): (() => void) | undefined;
  /** Bodies of injected 429s and errors (a real API's own; default small JSON). */
  faultResponses?: FaultResponses;
}

export interface MockServer {
  name: string;
  port: number;
  /** For the host: http://127.0.0.1:PORT (or the bound address). */
  url: string;
  /** Every address:port it listens on, as its sockets report them (`up` prints them). */
  listening: { address: string; port: number }[];
  /** For containers: through the host gateway. */
  containerUrl(host?: string): string;
  summary(): MockSummary;
  /** The capped sample of calls. */
  calls(): CallRecord[];
  values(): Record<string, unknown>;
  /** Its handlers' routes and their keys (`{{mocks.NAME.routes.KEY.calls}}`), in handler order. */
  routes: readonly RouteInfo[];
  servedIds?(): number[];
  stop(): Promise<void>;
}

interface CompiledRoute {
  path: string;
  latency?: LatencySpec;
  plan?: FaultPlan;
}

/**
 * Long on purpose: one closure over the server's state (its call log, fault plan, pending timers,
 * latency clock), which every request handler and stop() share; split into files, that state would
 * have to travel as a mutable object through each of them.
 */
export async function startMockServer(options: MockServerOptions): Promise<MockServer> {
  const seed = options.seed ?? 1;
  const resolver = createResolver(options.handlers);
  const log = createCallLog({ sampleCap: options.sampleCap ?? 1000, seed });
  const plan = options.faults ? createFaultPlan(options.faults) : undefined;
  const routes: CompiledRoute[] = (options.routes ?? []).map((r) => ({
    path: r.path,
    latency: r.latency,
    plan: r.faults ? createFaultPlan(r.faults) : undefined,
  }));
  const extension = options.extension ?? {};
  const faultAnswers = extension.faultResponses ?? genericFaultResponses;
  const timers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  let clockStart: number | undefined;
  let callCount = 0;
  let stopping = false;
  let ownOrigin = '';

  /**
   * An override written as a handler's own pattern (`/3/movie/:id`) applies to the calls that
   * handler answers, not to every path the pattern happens to fit (`/3/movie/popular` is
   * answered by its own handler); any other pattern applies to the paths it matches.
   */
  function overrideFor(pathname: string, route: string | undefined): CompiledRoute | undefined {
    if (route !== undefined) {
      const own = routes.find((r) => r.path === route);
      if (own) return own;
    }
    for (const r of routes) {
      if (resolver.routes.has(r.path)) continue;
      if (matchRequestUrl(new URL(pathname, ownOrigin), r.path, ownOrigin).matches) return r;
    }
    return undefined;
  }

  /** Resolves after `ms`, or at once when the mock stops. */
  function pause(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const entry = {
        wake: () => {
          clearTimeout(entry.timer);
          timers.delete(entry);
          resolve();
        },
        timer: setTimeout(() => entry.wake(), ms),
      };
      timers.add(entry);
    });
  }

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = performance.now();
    clockStart ??= t0;
    const index = ++callCount;
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const located = resolver.locate(method, pathname);
    const override = routes.length > 0 ? overrideFor(pathname, located.route) : undefined;
    const unmatched = located.start >= options.handlers.length;
    const record: CallRecord = {
      index,
      // Settled by the handler that answers; calls faulted before routing keep this label.
      route: located.route ?? override?.path ?? (unmatched ? UNMATCHED : UNROUTED),
      key: located.key ?? (unmatched ? UNMATCHED_KEY : UNROUTED_KEY),
      method,
      path: pathname,
      query: q < 0 ? '' : rawUrl.slice(q + 1),
      outcome: 'pending',
      delayMs: 0,
      startedAt: performance.timeOrigin + t0,
    };
    const rng = streamFor(seed, STREAM.call, index);
    const faultDraw = rng();
    const decision: FaultDecision | undefined = (override?.plan ?? plan)?.decide(index, faultDraw, t0);
    if (decision) record.fault = decision.kind;
    log.begin(record);
    res.once('close', () => {
      if (!res.writableFinished)
        log.end(record, record.fault === 'hang' ? 'hang' : stopping ? 'stopped' : 'closed');
    });

    if (decision?.kind === 'rateLimit') {
      req.resume();
      const canned = faultAnswers.rateLimit(decision.limitPerSecond);
      send(res, record, prepareCanned(canned, { 'retry-after': String(decision.retryAfterS) }));
      return;
    }
    const latency = override?.latency ?? options.latency;
    const delay = latency ? sampleLatency(latency, t0 - clockStart, rng) : 0;
    record.delayMs = Math.round(delay * 10) / 10;
    if (decision?.kind === 'hang') {
      // Never answered: the socket stays open until the client leaves or the mock stops.
      req.resume();
      return;
    }

    let prepared: Prepared | undefined;
    if (decision?.kind === 'error') {
      req.resume();
      prepared = prepareCanned(faultAnswers.error(decision.status));
    } else if (decision?.kind !== 'reset') {
      prepared = await handle(req, located, index, record);
    } else req.resume();
    await pause(t0 + delay - performance.now());
    if (res.destroyed || stopping) return;
    if (!prepared) {
      log.end(record, 'reset');
      req.socket.destroy();
      return;
    }
    send(res, record, prepared);
  }

  async function handle(
    req: IncomingMessage,
    located: ReturnType<typeof resolver.locate>,
    index: number,
    record: CallRecord,
  ): Promise<Prepared> {
    try {
      const body = await readBody(req);
      // Handlers see the origin the client used (a container calls host.docker.internal:PORT),
      // or the real API's origin when their paths are absolute URLs.
      const clientOrigin = req.headers.host ? `http://${req.headers.host}` : ownOrigin;
      const url = `${located.origin ?? clientOrigin}${req.url ?? '/'}`;
      const { response, route, key } = await resolver.resolve(located, {
        request: () => toFetchRequest(req, url, body),
        method: record.method,
        pathname: record.path,
        requestId: `${options.name}-${index}`,
        baseUrl: clientOrigin,
      });
      record.route = route;
      record.key = key;
      if (!response) {
        return prepareCanned({
          status: 404,
          body: { error: `no mock handler for ${record.method} ${record.path}`, mock: options.name },
        });
      }
      return prepareResponse(response, record.method, extension.onAnswer?.(response));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      debug('%s: handler for %s %s failed: %O', options.name, record.method, record.path, error);
      return prepareCanned({
        status: 500,
        body: { error: `mock handler failed: ${message}`, mock: options.name },
      });
    }
  }

  function send(res: ServerResponse, record: CallRecord, prepared: Prepared): void {
    writePrepared(res, prepared, () => {
      log.end(record, String(prepared.status), prepared.status);
      prepared.onDelivered?.();
    });
  }

  const server = createServer({ requestTimeout: 0, keepAliveTimeout: 5_000 }, (req, res) => {
    answer(req, res).catch((error) => {
      debug('%s: serving %s failed: %O', options.name, req.url, error);
      res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  const bound = await listenOn(server, [host, ...(options.alsoOn ?? [])], options.port ?? 0, options.name);
  const port = bound.port;
  const hostForUrl =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${hostForUrl}:${port}`;
  ownOrigin = url;
  debug('%s listening on %s:%d', options.name, host, port);

  let stopped: Promise<void> | undefined;
  return {
    name: options.name,
    port,
    url,
    listening: bound.addresses.map((a) => ({ address: a.address, port: a.port })),
    containerUrl: (gateway = 'host.docker.internal') => `http://${gateway}:${port}`,
    summary: () => ({ name: options.name, baseUrl: url, ...log.summary(), served: extension.served?.() }),
    calls: () => log.calls(),
    values: () => extension.values?.() ?? {},
    routes: resolver.table,
    ...(extension.servedIds ? { servedIds: () => extension.servedIds!() } : {}),
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        stopping = true;
        void bound.closeExtra();
        server.close(() => resolve());
        // Delayed and hanging requests end now: their sockets are destroyed, their timers cleared.
        server.closeAllConnections();
        for (const t of [...timers]) t.wake();
        for (const r of log.inFlight()) log.end(r, r.fault === 'hang' ? 'hang' : 'stopped');
        debug('%s stopped after %d calls', options.name, callCount);
      });
      return stopped;
    },
  };
}
