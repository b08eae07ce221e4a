// The built-in TMDB v3 mock as msw handlers over a generated dataset: popular, top rated,
// discover, movie details, search, genre list and configuration, with TMDB's auth (an
// `api_key` query parameter or `Authorization: Bearer`), paging (20 a page, pages past 500
// refused with 422) and error bodies. Routes answer with and without the `/3` prefix, for apps
// whose base URL already ends in /3.
// Answers are plain Responses over cached JSON text (the dataset is deterministic, so a page or a
// movie serialises the same every time): a mock that must keep up with 1,000 connections.
// It remembers which movies it served, counted only once a response reached the client in
// full (a request the app abandoned mid-delay served nothing): the database is reconciled
// against these ids after the run.
import { http, type RequestHandler } from 'msw';
import type { FaultResponses } from '../fault-responses.js';
import { createTmdbDataset, type TmdbDataset } from './dataset.js';
import { createListViews, DEFAULT_SORT, type DiscoverQuery } from './lists.js';
import {
  CONFIGURATION,
  GENRES,
  INVALID_API_KEY,
  INVALID_PAGE,
  MAX_PAGE,
  NOT_FOUND,
  PAGE_CAP,
  PAGE_SIZE,
  tmdbFaultResponses,
} from './reference.js';

const JSON_HEADERS = { 'content-type': 'application/json;charset=utf-8' };
const TEXT_CACHE_MAX = 5_000;

export interface TmdbMockOptions {
  /** Dataset size. */
  movies: number;
  seed: number;
  /** When set, only this key (or bearer token) is accepted; by default any non-empty one is. */
  apiKey?: string;
}

export interface TmdbMock {
  handlers: RequestHandler[];
  dataset: TmdbDataset;
  /** `{ movies }`: distinct movies delivered in list and detail responses. */
  served(): { movies: number };
  servedIds(): number[];
  /**
   * For templates: `{{pick tmdb.ids}}`, `{{random 1 tmdb.pages}}` in traffic; `{{mocks.tmdb.movies}}`
   * (the dataset's size: what a complete import stores) in integrity checks.
   */
  values(): { ids: number[]; pages: number; movies: number };
  /** For the mock server's `claim`: what to run once this response was delivered (marks its movies served). */
  claim(response: Response): (() => void) | undefined;
  faultResponses: FaultResponses;
}

/**
 * Long on purpose: the TMDB handlers are one closure over the dataset, its list views and the
 * served set they all read and write; each handler is a few lines of TMDB's own answer shapes.
 */
export function createTmdbMock(options: TmdbMockOptions): TmdbMock {
  const dataset = createTmdbDataset({ movies: options.movies, seed: options.seed });
  const views = createListViews(dataset);
  const served = new Set<number>();
  const pending = new WeakMap<Response, number[]>();
  const ids = [...dataset.ids];
  const pages = Math.min(MAX_PAGE, Math.ceil(dataset.size / PAGE_SIZE));

  // Serialised answers by a canonical key (never the api_key), oldest dropped beyond the cap.
  // The byte length is kept too: measuring a 9 kB page on every answer cost more than building it.
  const texts = new Map<string, { text: string; length: string; ids: number[] }>();
  function cached(key: string, make: () => { body: unknown; ids: number[] }): Response {
    let entry = texts.get(key);
    if (!entry) {
      const made = make();
      const text = JSON.stringify(made.body);
      entry = { text, length: String(Buffer.byteLength(text)), ids: made.ids };
      if (texts.size >= TEXT_CACHE_MAX) texts.delete(texts.keys().next().value as string);
      texts.set(key, entry);
    }
    const response = new Response(entry.text, {
      status: 200,
      headers: { ...JSON_HEADERS, 'content-length': entry.length },
    });
    if (entry.ids.length > 0) pending.set(response, entry.ids);
    return response;
  }

  function authorized(request: Request, url: URL): boolean {
    const key = url.searchParams.get('api_key');
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    const given = key || bearer;
    return Boolean(given) && (options.apiKey === undefined || given === options.apiKey);
  }

  /** Runs `answer` only for authorised requests; 401 with TMDB's body otherwise. */
  function guarded(answer: (url: URL, params: Record<string, string>) => Response) {
    return ({
      request,
      params,
    }: {
      request: Request;
      params: Record<string, string | readonly string[] | undefined>;
    }) => {
      const url = new URL(request.url);
      if (!authorized(request, url)) return json(INVALID_API_KEY, 401);
      return answer(url, params as Record<string, string>);
    };
  }

  /** A page of a list view; `view` names it canonically for the cache. */
  function page(view: string, indexes: () => readonly number[], url: URL): Response {
    const raw = url.searchParams.get('page') ?? '1';
    if (!/^\d+$/.test(raw) || Number(raw) < 1) return json(INVALID_PAGE, 400);
    const n = Number(raw);
    if (n > MAX_PAGE) return json(PAGE_CAP, 422);
    return cached(`${view}|${n}`, () => {
      const all = indexes();
      const results = all.slice((n - 1) * PAGE_SIZE, n * PAGE_SIZE).map((i) => dataset.movie(i));
      return {
        body: {
          page: n,
          results,
          total_pages: Math.max(1, Math.ceil(all.length / PAGE_SIZE)),
          total_results: all.length,
        },
        ids: results.map((m) => m.id),
      };
    });
  }

  const popular = guarded((url) => page(DEFAULT_SORT, () => views.ordered(DEFAULT_SORT), url));
  const topRated = guarded((url) => page('top_rated', () => views.ordered('vote_average.desc'), url));
  const discover = guarded((url) => {
    const q = discoverQuery(url);
    return page(JSON.stringify(q), () => views.query(q), url);
  });
  const search = guarded((url) => {
    const text = (url.searchParams.get('query') ?? '').trim().toLowerCase();
    if (!text) return json({ page: 1, results: [], total_pages: 1, total_results: 0 }, 200);
    const q: DiscoverQuery = { sortBy: DEFAULT_SORT, text, year: year(url) };
    return page(JSON.stringify(q), () => views.query(q), url);
  });
  const details = guarded((_url, params) => {
    const id = params.id ?? '';
    const index = /^\d+$/.test(id) ? dataset.indexOf(Number(id)) : undefined;
    if (index === undefined) return json(NOT_FOUND, 404);
    return cached(`movie|${index}`, () => {
      const movie = dataset.details(index);
      return { body: movie, ids: [movie.id] };
    });
  });
  const genres = guarded(() => cached('genres', () => ({ body: { genres: GENRES }, ids: [] })));
  const configuration = guarded(() => cached('configuration', () => ({ body: CONFIGURATION, ids: [] })));
  const unknown = guarded(() => json(NOT_FOUND, 404));

  const handlers: RequestHandler[] = [];
  for (const prefix of ['/3', '']) {
    handlers.push(
      http.get(`${prefix}/movie/popular`, popular),
      http.get(`${prefix}/movie/top_rated`, topRated),
      http.get(`${prefix}/movie/:id`, details),
      http.get(`${prefix}/discover/movie`, discover),
      http.get(`${prefix}/search/movie`, search),
      http.get(`${prefix}/genre/movie/list`, genres),
      http.get(`${prefix}/configuration`, configuration),
    );
  }
  handlers.push(http.all('*', unknown));

  return {
    handlers,
    dataset,
    served: () => ({ movies: served.size }),
    servedIds: () => [...served].sort((a, b) => a - b),
    values: () => ({ ids, pages, movies: ids.length }),
    claim(response) {
      const movieIds = pending.get(response);
      if (!movieIds) return undefined;
      pending.delete(response);
      return () => {
        for (const id of movieIds) served.add(id);
      };
    },
    faultResponses: tmdbFaultResponses,
  };
}

function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });
}

function discoverQuery(url: URL): DiscoverQuery {
  const q: DiscoverQuery = { sortBy: url.searchParams.get('sort_by') ?? DEFAULT_SORT };
  const genres = url.searchParams.get('with_genres');
  if (genres) {
    const all = !genres.includes('|');
    q.genres = { ids: genres.split(/[,|]/).map(Number).filter(Number.isFinite), all };
  }
  const y = year(url);
  if (y !== undefined) q.year = y;
  return q;
}

function year(url: URL): number | undefined {
  const raw = url.searchParams.get('primary_release_year') ?? url.searchParams.get('year');
  return raw && /^\d{4}$/.test(raw) ? Number(raw) : undefined;
}
