// What `{{mocks.NAME.…}}` reads in integrity checks, built by one function for both sides: the run
// builds the tree from what the mock answered (src/run/snapshot.ts), and `validate` lists the
// paths of the same tree built from nothing but what the mock declares (./known-values.ts), so
// the two cannot drift:
//   {{mocks.NAME.KEY}}                       its values (a module's `values`, TMDB's ids, pages, movies)
//   {{mocks.NAME.served.KEY}}                what reached the app in full, by kind
//   {{mocks.NAME.calls}}                     every call it got
//   {{mocks.NAME.status.CODE}}               calls answered with that status (or ended so: reset…)
//   {{mocks.NAME.routes.ROUTE.calls}}        calls of one route (ROUTE: src/mocks/route-key.ts)
//   {{mocks.NAME.routes.ROUTE.status.CODE}}
// Every status of every known route is there, 0 when no call ended so: "no 503s" is a number to
// compare, never a missing value. The maps are plain data the renderer (./values.ts) walks.
import { UNMATCHED_KEY } from '../mocks/route-key.js';

/** How a call can end without a status: the call log's outcomes (src/mocks/call-log.ts). */
export const OUTCOMES = ['reset', 'hang', 'closed', 'stopped', 'pending'] as const;

/** Every CODE a status map holds: the HTTP statuses 100–599, then the outcomes. */
export const STATUS_KEYS: readonly string[] = [
  ...Array.from({ length: 500 }, (_, i) => String(100 + i)),
  ...OUTCOMES,
];
const IS_STATUS = new Set(STATUS_KEYS);

/** A known path's segment standing for any CODE (shown as `CODE`). */
export const STATUS_SEGMENT = '<status>';

/** The tree's own branches: a mock's values may not use these names. */
export const RESERVED_VALUE_NAMES = ['served', 'calls', 'status', 'routes'] as const;

export interface RouteCount {
  /** The route's key; absent in results written before keys existed. */
  key?: string;
  calls: number;
  statusCodes: Record<string, number>;
}

export interface MockValuesInput {
  /** The mock's own values (a module's `values` export and `extension.values()`). */
  values: Readonly<Record<string, unknown>>;
  served: Readonly<Record<string, number>>;
  calls: number;
  byRoute: readonly RouteCount[];
  /** The keys of its handlers' routes (every one reads 0 until called). */
  routes: readonly string[];
}

interface Counted {
  calls: number;
  status: Record<string, number>;
}

export function mockValues(input: MockValuesInput): Record<string, unknown> {
  const status = zeroStatus();
  const routes: Record<string, Counted> = {};
  for (const key of [...input.routes, UNMATCHED_KEY]) routes[key] = { calls: 0, status: zeroStatus() };
  for (const r of input.byRoute) {
    const key = r.key ?? UNMATCHED_KEY;
    routes[key] ??= { calls: 0, status: zeroStatus() };
    const route = routes[key];
    route.calls += r.calls;
    for (const [code, n] of Object.entries(r.statusCodes)) {
      route.status[code] = (route.status[code] ?? 0) + n;
      status[code] = (status[code] ?? 0) + n;
    }
  }
  return { ...input.values, served: { ...input.served }, calls: input.calls, status, routes };
}

/** The paths of the tree a mock with these values, served kinds and routes produces. */
export function mockValuePaths(declared: {
  values: readonly string[];
  served: readonly string[];
  routes: readonly string[];
}): string[] {
  const zeros = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, 0]));
  const tree = mockValues({
    values: zeros(declared.values),
    served: zeros(declared.served),
    calls: 0,
    byRoute: [],
    routes: declared.routes,
  });
  return [...new Set(pathsOf(tree, []))];
}

/** Leaf paths; the keys of a status map collapse into STATUS_SEGMENT. */
function pathsOf(value: unknown, at: string[]): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [at.join('.')];
  const entries = Object.entries(value);
  if (at.at(-1) === 'status' && entries.every(([k]) => IS_STATUS.has(k))) {
    return [[...at, STATUS_SEGMENT].join('.')];
  }
  return entries.flatMap(([k, v]) => pathsOf(v, [...at, k]));
}

/** Whether `segment` may stand where a known path has STATUS_SEGMENT. */
export function isStatusKey(segment: string): boolean {
  return IS_STATUS.has(segment);
}

function zeroStatus(): Record<string, number> {
  return Object.fromEntries(STATUS_KEYS.map((k) => [k, 0]));
}
