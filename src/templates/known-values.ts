// What each mock offers to templates, known before anything starts, so `validate` can refuse
// `{{mocks.omdb.served.requests}}` and list what does exist. One place: a value a mock gains
// (e.g. its call counts) is one line here.
//   traffic (`{{pick tmdb.ids}}`, `{{tmdb.pages}}`): the mock's values
//   integrity (`{{mocks.tmdb.served.movies}}`): the values, `served.*` and `calls`
import { createTmdbMock } from '../mocks/tmdb/create-tmdb-mock.js';

/** A mock as the scenario declares it, with what a trial import of its module could read. */
export interface MockOffer {
  name: string;
  kind: 'tmdb' | 'handlers';
  /** Keys of a handlers module's `extension.values()`; undefined when the module was not read. */
  values?: readonly string[];
  /** Keys of its `extension.served()` ([] when it has no such hook). */
  served?: readonly string[];
}

/** Value paths (`ids`, `served.movies`); a path ending in `.*` admits anything below it. */
export interface KnownValues {
  traffic: string[] | undefined;
  integrity: string[] | undefined;
}

/** Every mock counts its calls (`{{mocks.NAME.calls}}`, and by route and status below it). */
const EVERY_MOCK = ['calls', 'calls.*'];

/** The built-in TMDB mock's values and served counts, read from a tiny instance so they never drift. */
const TMDB = (() => {
  const mock = createTmdbMock({ movies: 1, seed: 1 });
  return { values: Object.keys(mock.values()), served: Object.keys(mock.served()) };
})();

export function knownValues(mock: MockOffer): KnownValues {
  const values = mock.kind === 'tmdb' ? TMDB.values : mock.values;
  const served = mock.kind === 'tmdb' ? TMDB.served : mock.served;
  if (values === undefined) return { traffic: undefined, integrity: undefined };
  return {
    traffic: [...values],
    integrity: [...values, ...(served ?? []).map((k) => `served.${k}`), ...EVERY_MOCK],
  };
}

/** Whether `path` (below the mock's name) is one of `known`. */
export function offers(known: readonly string[], path: string): boolean {
  return known.some((k) => k === path || (k.endsWith('.*') && path.startsWith(k.slice(0, -1))));
}

/** The known paths as a user writes them, `.*` shown as `…`, for "known:" lists. */
export function showKnown(prefix: string, known: readonly string[]): string {
  return known.map((k) => `{{${prefix}${k.endsWith('.*') ? `${k.slice(0, -2)}.…` : k}}}`).join(', ');
}
