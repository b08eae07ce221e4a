// The stable, readable key of each handler's route, for templates and the report:
// `GET /3/movie/:id` → `get-3-movie-id`, so `{{mocks.tmdb.routes.get-3-movie-id.calls}}` reads.
// Template value paths are dotted names of word characters and dashes (src/templates/template.ts),
// so a key is the method and the path pattern in lower case, every other run of characters one
// dash (`:id` → `id`, `*` → `any`, `/` → `root`). Two handlers whose keys would be the same get
// `-2`, `-3` … in handler order (a module's handler list is its order), so a key never names two.
// One function for both sides: the mock server labels its calls with it, and `validate` reads the
// same handler descriptions from a trial import (src/mocks/trial-import.ts sends msw's own).

/** What a handler says about itself (msw's `handler.info`), RegExps already as text. */
export interface HandlerInfo {
  /** msw's header, e.g. `GET /3/movie/:id` or `query GetUser (origin: *)`. */
  header: string;
  /** `GET`, or a RegExp's text (`http.all` is /.+/) when `methodIsPattern`. */
  method?: string;
  methodIsPattern?: boolean;
  /** A path pattern (absolute or relative), or a RegExp's text when `pathIsPattern`. */
  path?: string;
  pathIsPattern?: boolean;
}

/** One handler's route as the call log counts it. */
export interface RouteInfo {
  key: string;
  /** `GET`, or `ANY` for a method pattern; absent for handlers that are not plain HTTP (GraphQL). */
  method?: string;
  /** The label calls carry: the path pattern relative to the origin, a RegExp's text, or msw's header. */
  route: string;
}

/** Calls no handler answered. */
export const UNMATCHED_KEY = 'unmatched';
/** Calls faulted before a handler that is not plain HTTP could look at them. */
export const UNROUTED_KEY = 'unrouted';

const ABSOLUTE = /^([a-z][a-z0-9+.-]*:\/\/[^/*]+)(\/.*)?$/i;

/** The route label of a handler (what the call log shows), from its description. */
export function routeLabel(info: HandlerInfo): string {
  if (info.path === undefined || info.method === undefined) return info.header;
  if (info.pathIsPattern) return info.path;
  const m = ABSOLUTE.exec(info.path);
  return m ? (m[2] ?? '/') : info.path;
}

/** Every handler's route with its key, in handler order. */
export function routeTable(infos: readonly HandlerInfo[]): RouteInfo[] {
  const taken = new Set<string>([UNMATCHED_KEY, UNROUTED_KEY]);
  return infos.map((info) => {
    const plain = info.path !== undefined && info.method !== undefined;
    const method = plain ? (info.methodIsPattern ? 'ANY' : info.method!.toUpperCase()) : undefined;
    const route = routeLabel(info);
    const base = plain ? `${slug(method!)}-${slug(route) || 'root'}` : slug(info.header) || 'handler';
    let key = base;
    for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
    taken.add(key);
    return { key, ...(method ? { method } : {}), route };
  });
}

/** The part of msw's `handler.info` a route key is made of (a worker sends just this). */
export interface HandlerDescription {
  header?: unknown;
  method?: unknown;
  path?: unknown;
}

/** A handler's description as plain data. */
export function handlerInfo(handler: { info: unknown }): HandlerInfo {
  const info = handler.info as HandlerDescription;
  const text = (v: unknown) => (v instanceof RegExp ? String(v) : typeof v === 'string' ? v : undefined);
  return {
    header: String(info.header ?? ''),
    method: text(info.method),
    methodIsPattern: info.method instanceof RegExp,
    path: text(info.path),
    pathIsPattern: info.path instanceof RegExp,
  };
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/\*/g, ' any ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
