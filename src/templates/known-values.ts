// What each mock offers to templates, known before anything starts, so `validate` can refuse
// `{{mocks.omdb.served.requests}}` and list what does exist. The integrity paths are those of the
// tree the run builds (./mock-values.ts), built here from what the mock declares:
//   traffic (`{{pick tmdb.ids}}`, `{{tmdb.pages}}`): the mock's values
//   integrity (`{{mocks.tmdb.served.movies}}`): the values, `served.*`, calls, status and routes
import { handlerInfo, routeTable } from '../mocks/route-key.js';
import { createTmdbMock } from '../mocks/tmdb/create-tmdb-mock.js';
import { isStatusKey, mockValuePaths, OUTCOMES, STATUS_SEGMENT } from './mock-values.js';

/** A mock as the scenario declares it, with what a trial import of its module could read. */
export interface MockOffer {
  name: string;
  kind: 'tmdb' | 'handlers';
  /** Keys of a handlers module's values; undefined when the module was not read. */
  values?: readonly string[];
  /** Keys of its `extension.served()` ([] when it has no such hook). */
  served?: readonly string[];
  /** Keys of its handlers' routes (src/mocks/route-key.ts). */
  routes?: readonly string[];
}

/** Value paths (`ids`, `served.movies`, `routes.get-x.status.<status>`). */
export interface KnownValues {
  traffic: string[] | undefined;
  integrity: string[] | undefined;
}

/** The built-in TMDB mock's values, served counts and routes, read from a tiny instance so they never drift. */
const TMDB = (() => {
  const mock = createTmdbMock({ movies: 1, seed: 1 });
  return {
    values: Object.keys(mock.values()),
    served: Object.keys(mock.served()),
    routes: routeTable(mock.handlers.map(handlerInfo)).map((r) => r.key),
  };
})();

export function knownValues(mock: MockOffer): KnownValues {
  const declared = mock.kind === 'tmdb' ? TMDB : mock;
  if (declared.values === undefined) return { traffic: undefined, integrity: undefined };
  return {
    traffic: [...declared.values],
    integrity: mockValuePaths({
      values: declared.values,
      served: declared.served ?? [],
      routes: declared.routes ?? [],
    }),
  };
}

/** Whether `path` (below the mock's name) is one of `known`. */
export function offers(known: readonly string[], path: string): boolean {
  const parts = path.split('.');
  return known.some((k) => {
    const want = k.split('.');
    return (
      want.length === parts.length &&
      want.every((w, i) => w === parts[i] || (w === STATUS_SEGMENT && isStatusKey(parts[i]!)))
    );
  });
}

/**
 * The known paths as a user writes them, for "it offers" lists: each route's paths once, with
 * ROUTE and CODE spelled out after them (TMDB has sixteen routes).
 */
export function showKnown(prefix: string, known: readonly string[]): string {
  const routes: string[] = [];
  const shown = new Set<string>();
  for (const k of known) {
    const m = /^routes\.([^.]+)\.(.+)$/.exec(k);
    if (m && !routes.includes(m[1]!)) routes.push(m[1]!);
    shown.add((m ? `routes.ROUTE.${m[2]}` : k).replaceAll(STATUS_SEGMENT, 'CODE'));
  }
  const notes = [
    ...(routes.length ? [`ROUTE: ${routes.join(', ')}`] : []),
    ...(known.some((k) => k.includes(STATUS_SEGMENT))
      ? [`CODE: an HTTP status like 200 or 503, or ${OUTCOMES.join(', ')}`]
      : []),
  ];
  const list = [...shown].map((k) => `{{${prefix}${k}}}`).join(', ');
  return notes.length ? `${list}; ${notes.join('; ')}` : list;
}
