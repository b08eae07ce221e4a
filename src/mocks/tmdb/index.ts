// The built-in TMDB v3 mock.

export type { TmdbMock, TmdbMockOptions } from './create-tmdb-mock.js';
export { createTmdbMock } from './create-tmdb-mock.js';
export type { TmdbDataset, TmdbListMovie, TmdbMovieDetails } from './dataset.js';
export { createTmdbDataset } from './dataset.js';
export type { TmdbServerOptions } from './start-tmdb-mock.js';
export { startTmdbMock } from './start-tmdb-mock.js';
