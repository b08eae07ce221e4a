// Starts the built-in TMDB mock as a served mock: the TMDB handlers and dataset wired into the
// generic mock server through its one extension point (TMDB's error bodies for faults, `served`
// counts, dataset ids for templates, the served ids `reconcile:` checks).
import { type MockServer, type MockServerOptions, startMockServer } from '../serve.js';
import { createTmdbMock } from './create-tmdb-mock.js';

export interface TmdbServerOptions extends Omit<MockServerOptions, 'name' | 'handlers'> {
  /** Default `tmdb`. */
  name?: string;
  /** Dataset size. Default 10 000. */
  movies?: number;
  apiKey?: string;
}

export function startTmdbMock(options: TmdbServerOptions = {}): Promise<MockServer> {
  const { movies = 10_000, apiKey, name = 'tmdb', ...serve } = options;
  const seed = options.seed ?? 1;
  const tmdb = createTmdbMock({ movies, seed, apiKey });
  return startMockServer({
    ...serve,
    name,
    seed,
    handlers: tmdb.handlers,
    extension: {
      faultResponses: tmdb.faultResponses,
      values: () => tmdb.values(),
      served: () => tmdb.served(),
      servedIds: () => tmdb.servedIds(),
      onAnswer: (response) => tmdb.claim(response),
    },
  });
}
