// msw handler resolution for the mock server: the first handler that matches answers, as in
// msw's own `executeHandlers`, plus what a served mock needs:
// - the route that answered (the handler's path pattern) for the call log;
// - handlers written against the real API's absolute URL (`https://api.stripe.com/v1/charges`)
//   still match when the app calls the mock's own origin: the request gets the handler's origin;
// - speed. msw's `handler.run()` costs ~100 µs a call (a request clone, cookie parsing, a path
//   pattern compiled per handler, an AbortController per call): a mock could not keep up with
//   1,000 connections. Plain HTTP handlers (a method and a string/RegExp path, an ordinary
//   resolver) are matched here, with the match per method + path cached (bounded), and their
//   resolver called directly with the same arguments msw gives it (request, params, cookies,
//   requestId, finalize), honouring `once`. The Request is built only if the resolver reads it.
//   Everything else (GraphQL, custom predicates, generator resolvers) goes through `run()`.
import { matchRequestUrl, type RequestHandler } from 'msw';
import { handlerInfo, type RouteInfo, routeTable, UNMATCHED_KEY } from './route-key.js';

export const UNMATCHED = '(unmatched)';

export interface Located {
  /** Index of the first handler that may match. */
  start: number;
  /** Origin the Request must carry (an absolute-URL handler's), or undefined for the mock's own. */
  origin?: string;
  /** Set when the handler at `start` certainly matches: its route label and path parameters. */
  route?: string;
  /** The route's key (./route-key.ts), with `route`. */
  key?: string;
  params?: Record<string, string | string[]>;
}

export interface Resolution {
  response?: Response;
  route: string;
  key: string;
}

export interface ResolveInput {
  /** Builds the fetch Request (called at most once, only when a handler reads it). */
  request: () => Request;
  method: string;
  pathname: string;
  requestId: string;
  /** The mock's own origin: relative handler paths resolve against it. */
  baseUrl: string;
}

export interface Resolver {
  /** The route labels of the plain handlers (their path patterns). */
  routes: ReadonlySet<string>;
  /** Every handler's route and key, in handler order. */
  table: readonly RouteInfo[];
  locate(method: string, pathname: string): Located;
  resolve(located: Located, input: ResolveInput): Promise<Resolution>;
}

type Resolve = (info: Record<string, unknown>) => unknown;

interface Plain {
  method: string | RegExp;
  path: string | RegExp;
  /** Origin of an absolute string path. */
  origin?: string;
  /** Literal start of the path pattern (before any parameter or wildcard): a cheap pre-check. */
  prefix: string;
}

interface Compiled {
  handler: RequestHandler;
  plain?: Plain;
  route: string;
  key: string;
  /** Its resolver can be called directly (plain handler, ordinary function). */
  direct: boolean;
}

/** What msw keeps protected/private but we need for the direct call. */
interface HandlerInternals {
  resolver?: unknown;
  options?: { once?: boolean };
}

const CACHE_MAX = 10_000;
const ABSOLUTE = /^([a-z][a-z0-9+.-]*:\/\/[^/*]+)(\/.*)?$/i;
// Any origin works for matching relative paths, as long as the pattern is resolved against it too.
const PROBE_ORIGIN = 'http://mock.invalid';

export function createResolver(handlers: readonly RequestHandler[]): Resolver {
  const table = routeTable(handlers.map(handlerInfo));
  const compiled = handlers.map((h, i) => compile(h, table[i]!));
  const cache = new Map<string, Located>();

  function matchAt(c: Compiled, method: string, pathname: string): Located['params'] | undefined {
    const p = c.plain as Plain;
    // Patterns match case-insensitively in msw (path-to-regexp's default), so the pre-check does too.
    if (!methodMatches(p.method, method) || !pathname.toLowerCase().startsWith(p.prefix)) return undefined;
    const m = matchRequestUrl(new URL(pathname, p.origin ?? PROBE_ORIGIN), p.path, PROBE_ORIGIN);
    return m.matches ? (m.params as Located['params']) : undefined;
  }

  function locate(method: string, pathname: string): Located {
    const key = `${method} ${pathname}`;
    const hit = cache.get(key);
    if (hit) return hit;
    let found: Located = { start: compiled.length };
    for (let i = 0; i < compiled.length; i++) {
      const c = compiled[i] as Compiled;
      if (!c.plain) {
        found = { start: i };
        break;
      }
      const params = matchAt(c, method, pathname);
      if (params) {
        found = { start: i, origin: c.plain.origin, route: c.route, key: c.key, params };
        break;
      }
    }
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(key, found);
    return found;
  }

  async function resolve(located: Located, input: ResolveInput): Promise<Resolution> {
    let route: string | undefined;
    let key: string | undefined;
    let request: Request | undefined;
    const getRequest = () => {
      request ??= input.request();
      return request;
    };
    for (let i = located.start; i < compiled.length; i++) {
      const c = compiled[i] as Compiled;
      let params = i === located.start ? located.params : undefined;
      if (c.plain && !params) params = matchAt(c, input.method, input.pathname);
      if (c.plain && !params) continue;
      let response: Response | undefined;
      if (c.direct && params) {
        const internals = c.handler as unknown as HandlerInternals;
        if (internals.options?.once && c.handler.isUsed) continue;
        c.handler.isUsed = true;
        response = await callResolver(c, params, input, getRequest);
      } else {
        const result = await c.handler.run({
          request: getRequest(),
          requestId: input.requestId,
          resolutionContext: { baseUrl: input.baseUrl },
        });
        if (result === null) continue;
        response = result.response;
      }
      route ??= c.route;
      key ??= c.key;
      // msw's passthrough() asks for the real server: a mock has none, so try the next handler.
      if (response && response.headers.get('x-msw-intention') !== 'passthrough')
        return { response, route: c.route, key: c.key };
    }
    return { route: route ?? UNMATCHED, key: key ?? UNMATCHED_KEY };
  }

  const routes = new Set(compiled.filter((c) => c.plain).map((c) => c.route));
  return { routes, table, locate, resolve };
}

async function callResolver(
  c: Compiled,
  params: NonNullable<Located['params']>,
  input: ResolveInput,
  getRequest: () => Request,
): Promise<Response | undefined> {
  const resolver = (c.handler as unknown as HandlerInternals).resolver as Resolve;
  const cleanups: (() => unknown)[] = [];
  let cookies: Record<string, string> | undefined;
  const info = {
    get request() {
      return getRequest();
    },
    requestId: input.requestId,
    params,
    get cookies() {
      cookies ??= parseCookies(getRequest().headers.get('cookie'));
      return cookies;
    },
    finalize: (cleanup: () => unknown) => {
      cleanups.push(cleanup);
    },
  };
  let result: unknown;
  try {
    result = await resolver(info);
  } catch (thrown) {
    // msw lets resolvers throw a Response (e.g. `throw HttpResponse.json(..., { status: 401 })`).
    if (!(thrown instanceof Response)) throw thrown;
    result = thrown;
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
  if (result === undefined || result === null || result instanceof Response) return result ?? undefined;
  throw new Error(`the handler for ${c.handler.info.header} returned ${typeof result}, not a Response`);
}

function compile(handler: RequestHandler, { route, key }: RouteInfo): Compiled {
  const info = handler.info as { header: string; method?: unknown; path?: unknown };
  const method = info.method;
  const path = info.path;
  const plainMethod = typeof method === 'string' || method instanceof RegExp;
  const resolver = (handler as unknown as HandlerInternals).resolver;
  // Only msw's own HttpHandler: subclasses refine matching (sse() also checks Accept). Generator
  // resolvers keep per-handler iterator state inside msw. Both are left to run().
  const direct =
    handler.constructor.name === 'HttpHandler' &&
    typeof resolver === 'function' &&
    !/GeneratorFunction/.test(Object.prototype.toString.call(resolver));
  if (plainMethod && path instanceof RegExp)
    return { handler, plain: { method, path, prefix: '' }, route, key, direct };
  if (plainMethod && typeof path === 'string') {
    const m = ABSOLUTE.exec(path);
    const prefix = route.startsWith('/') ? (/^[^:*(?{]*/.exec(route)?.[0] ?? '').toLowerCase() : '';
    return { handler, plain: { method, path, origin: m?.[1], prefix }, route, key, direct };
  }
  return { handler, route, key, direct: false };
}

function methodMatches(expected: string | RegExp, actual: string): boolean {
  return typeof expected === 'string'
    ? expected.toLowerCase() === actual.toLowerCase()
    : expected.test(actual);
}

function parseCookies(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
}
