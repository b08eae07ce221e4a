// The TMDB mock as plain msw handlers (through msw's own getResponse, no server): response shapes
// against fixtures of TMDB's documented examples, auth, paging and the 500-page cap, errors,
// and the served-movies record.
import { readFileSync } from 'node:fs';
import { getResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createTmdbMock } from '../../../src/mocks/tmdb/create-tmdb-mock.js';

const BASE = 'http://tmdb.test';
const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/tmdb/${name}`, import.meta.url), 'utf8'));

async function get(
  mock: ReturnType<typeof createTmdbMock>,
  path: string,
  headers: Record<string, string> = {},
) {
  const response = await getResponse(mock.handlers, new Request(`${BASE}${path}`, { headers }), {
    baseUrl: BASE,
  });
  if (!response) throw new Error(`no handler answered ${path}`);
  return {
    response,
    status: response.status,
    body: (await response.clone().json()) as Record<string, unknown>,
  };
}

/**
 * Same keys and JSON types, recursively. A null in the fixture means "nullable"; array items are
 * compared with the fixture's first item, a key being nullable if it is null in any fixture item.
 */
function shapeDiff(actual: unknown, expected: unknown, path = '$'): string[] {
  if (expected === null) return [];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array`];
    if (expected.length === 0) return [];
    let template: unknown = expected[0];
    if (typeof template === 'object' && template !== null) {
      template = { ...template };
      for (const item of expected.slice(1) as Record<string, unknown>[])
        for (const [k, v] of Object.entries(item))
          if (v === null) (template as Record<string, unknown>)[k] = null;
    }
    return actual.flatMap((item, i) => shapeDiff(item, template, `${path}[${i}]`));
  }
  if (typeof expected === 'object') {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual))
      return [`${path}: expected an object`];
    const want = Object.keys(expected as object).sort();
    const have = Object.keys(actual).sort();
    const keys = want.filter((k) => !have.includes(k)).map((k) => `${path}.${k}: missing`);
    const extra = have.filter((k) => !want.includes(k)).map((k) => `${path}.${k}: not in TMDB's shape`);
    return [
      ...keys,
      ...extra,
      ...want
        .filter((k) => have.includes(k))
        .flatMap((k) =>
          shapeDiff(
            (actual as Record<string, unknown>)[k],
            (expected as Record<string, unknown>)[k],
            `${path}.${k}`,
          ),
        ),
    ];
  }
  return typeof actual === typeof expected
    ? []
    : [`${path}: expected ${typeof expected}, got ${typeof actual}`];
}

const mock = createTmdbMock({ movies: 100, seed: 1 });

describe('TMDB mock: response shapes match the documented examples', () => {
  it.each([
    ['/3/movie/popular?page=1&api_key=k', 'movie-popular.json'],
    ['/3/discover/movie?sort_by=vote_average.desc&api_key=k', 'discover-movie.json'],
    ['/3/genre/movie/list?api_key=k', 'genre-movie-list.json'],
    ['/3/configuration?api_key=k', 'configuration.json'],
    ['/3/movie/popular?page=501&api_key=k', 'error-422-page.json'],
    ['/3/movie/popular', 'error-401.json'],
    ['/3/movie/1?api_key=k', 'error-404.json'],
    ['/3/tv/1?api_key=k', 'error-404.json'],
  ])('%s has the shape of %s', async (path, file) => {
    const { body } = await get(mock, path);
    expect(shapeDiff(body, fixture(file))).toEqual([]);
  });

  it('details and search results have their documented shapes', async () => {
    const id = mock.dataset.ids[10]!;
    expect(
      shapeDiff((await get(mock, `/3/movie/${id}?api_key=k`)).body, fixture('movie-details.json')),
    ).toEqual([]);
    const title = mock.dataset.movie(10).title;
    const found = await get(mock, `/3/search/movie?query=${encodeURIComponent(title)}&api_key=k`);
    expect(shapeDiff(found.body, fixture('search-movie.json'))).toEqual([]);
    expect((found.body.results as { id: number }[]).map((m) => m.id)).toContain(id);
  });

  it('answers the genre list and configuration with TMDB values', async () => {
    expect((await get(mock, '/3/genre/movie/list?api_key=k')).body).toEqual(fixture('genre-movie-list.json'));
    expect((await get(mock, '/3/configuration?api_key=k')).body).toEqual(fixture('configuration.json'));
  });
});

describe('TMDB mock: auth', () => {
  it('accepts an api_key query parameter or a bearer token', async () => {
    expect((await get(mock, '/3/movie/popular?api_key=abc')).status).toBe(200);
    expect((await get(mock, '/3/movie/popular', { authorization: 'Bearer eyJhbGciOi.x.y' })).status).toBe(
      200,
    );
  });

  it.each([
    ['no key', '/3/movie/popular', {}],
    ['an empty key', '/3/movie/popular?api_key=', {}],
    ['a non-bearer header', '/3/movie/popular', { authorization: 'Basic abc' }],
  ])('refuses %s with 401 and TMDB body', async (_what, path, headers) => {
    const { status, body } = await get(mock, path, headers);
    expect(status).toBe(401);
    expect(body).toEqual(fixture('error-401.json'));
  });

  it('accepts only the configured key when one is set', async () => {
    const strict = createTmdbMock({ movies: 20, seed: 1, apiKey: 'right' });
    expect((await get(strict, '/3/movie/popular?api_key=right')).status).toBe(200);
    expect((await get(strict, '/3/movie/popular?api_key=wrong')).status).toBe(401);
    expect((await get(strict, '/3/movie/popular', { authorization: 'Bearer right' })).status).toBe(200);
  });
});

describe('TMDB mock: paging', () => {
  it('pages 20 at a time through the whole dataset in popularity order', async () => {
    const seen: number[] = [];
    let last = Number.POSITIVE_INFINITY;
    for (let page = 1; page <= 5; page++) {
      const { body } = await get(mock, `/3/movie/popular?page=${page}&api_key=k`);
      expect(body).toMatchObject({ page, total_pages: 5, total_results: 100 });
      const results = body.results as { id: number; popularity: number }[];
      expect(results).toHaveLength(20);
      for (const m of results) {
        expect(m.popularity).toBeLessThanOrEqual(last);
        last = m.popularity;
        seen.push(m.id);
      }
    }
    expect(new Set(seen)).toEqual(new Set(mock.dataset.ids));
    const past = await get(mock, '/3/movie/popular?page=6&api_key=k');
    expect(past.body).toMatchObject({ page: 6, results: [], total_pages: 5 });
  });

  it('caps paging at page 500 with a 422, and refuses page 0 or text with a 400', async () => {
    const big = createTmdbMock({ movies: 12_000, seed: 1 });
    const p500 = await get(big, '/3/movie/popular?page=500&api_key=k');
    expect(p500.status).toBe(200);
    expect(p500.body).toMatchObject({ page: 500, total_pages: 600, total_results: 12_000 });
    expect((p500.body.results as unknown[]).length).toBe(20);
    const p501 = await get(big, '/3/movie/popular?page=501&api_key=k');
    expect(p501.status).toBe(422);
    expect(p501.body).toEqual(fixture('error-422-page.json'));
    for (const page of ['0', 'two', '-1']) {
      const bad = await get(big, `/3/movie/popular?page=${page}&api_key=k`);
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ status_code: 22, success: false });
    }
  });

  it('discovers with sort and genre filters and searches by title', async () => {
    const byVotes = (await get(mock, '/3/discover/movie?sort_by=vote_count.desc&api_key=k')).body.results as {
      vote_count: number;
    }[];
    expect(byVotes.map((m) => m.vote_count)).toEqual(
      [...byVotes.map((m) => m.vote_count)].sort((a, b) => b - a),
    );
    const drama = await get(mock, '/3/discover/movie?with_genres=18&api_key=k');
    for (const m of drama.body.results as { genre_ids: number[] }[]) expect(m.genre_ids).toContain(18);
    const dramaOrComedy = (await get(mock, '/3/discover/movie?with_genres=18|35&api_key=k')).body;
    expect(dramaOrComedy.total_results as number).toBeGreaterThanOrEqual(drama.body.total_results as number);
    const none = await get(mock, '/3/search/movie?query=zzzz-no-such-title&api_key=k');
    expect(none.body).toEqual({ page: 1, results: [], total_pages: 1, total_results: 0 });
  });

  it('serves the same routes without the /3 prefix, for base URLs that already end in /3', async () => {
    expect((await get(mock, '/movie/popular?api_key=k')).body).toEqual(
      (await get(mock, '/3/movie/popular?api_key=k')).body,
    );
  });
});

describe('TMDB mock: served movies', () => {
  it('counts a movie once its response was delivered, not when it was built', async () => {
    const m = createTmdbMock({ movies: 100, seed: 2 });
    const page1 = await get(m, '/3/movie/popular?page=1&api_key=k');
    const page2 = await get(m, '/3/movie/popular?page=2&api_key=k');
    expect(m.served()).toEqual({ movies: 0 });
    const deliver1 = m.claim(page1.response);
    expect(m.claim(page1.response)).toBeUndefined(); // claimed once
    expect(m.served()).toEqual({ movies: 0 });
    deliver1?.();
    expect(m.served()).toEqual({ movies: 20 });
    const detailId = (page1.body.results as { id: number }[])[0]!.id;
    m.claim((await get(m, `/3/movie/${detailId}?api_key=k`)).response)?.();
    expect(m.served()).toEqual({ movies: 20 });
    m.claim(page2.response)?.();
    expect(m.servedIds()).toEqual(
      [...(page1.body.results as { id: number }[]), ...(page2.body.results as { id: number }[])]
        .map((x) => x.id)
        .sort((a, b) => a - b),
    );
    expect(m.claim((await get(m, '/3/genre/movie/list?api_key=k')).response)).toBeUndefined();
    expect(m.served().movies).toBe(40);
  });

  it('offers the dataset ids and page count for templates', () => {
    expect(mock.values()).toEqual({ ids: [...mock.dataset.ids], pages: 5, movies: 100 });
  });
});
