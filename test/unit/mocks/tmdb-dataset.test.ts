import { describe, expect, it } from 'vitest';
import { createTmdbDataset } from '../../../src/mocks/tmdb/dataset.js';
import { GENRES } from '../../../src/mocks/tmdb/reference.js';

describe('TMDB dataset', () => {
  it('has N distinct ascending ids, each found again by id', () => {
    const d = createTmdbDataset({ movies: 5000, seed: 1 });
    expect(d.ids).toHaveLength(5000);
    expect(new Set(d.ids).size).toBe(5000);
    expect([...d.ids].sort((a, b) => a - b)).toEqual(d.ids);
    for (const i of [0, 1234, 4999]) expect(d.indexOf(d.ids[i]!)).toBe(i);
    expect(d.indexOf(1)).toBeUndefined();
  });

  it('is identical for a seed and different for another', () => {
    const a = createTmdbDataset({ movies: 300, seed: 7 });
    const b = createTmdbDataset({ movies: 300, seed: 7 });
    const c = createTmdbDataset({ movies: 300, seed: 8 });
    expect(b.ids).toEqual(a.ids);
    expect(JSON.stringify(b.details(42))).toBe(JSON.stringify(a.details(42)));
    expect(c.ids).not.toEqual(a.ids);
    expect(JSON.stringify(c.movie(42))).not.toBe(JSON.stringify(a.movie(42)));
  });

  it('keeps a movie the same in lists, details and the title index', () => {
    const d = createTmdbDataset({ movies: 100, seed: 3 });
    for (let i = 0; i < 100; i++) {
      const { genre_ids, ...listed } = d.movie(i);
      const { genres, ...detail } = d.details(i);
      expect(detail).toMatchObject(listed);
      expect(genres.map((g) => g.id)).toEqual(genre_ids);
      expect(d.title(i)).toBe(listed.title);
    }
  });

  it('generates plausible values: genres from the list, dates, paths, scores', () => {
    const d = createTmdbDataset({ movies: 2000, seed: 1 });
    const genreIds = new Set(GENRES.map((g) => g.id));
    const languages = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const m = d.movie(i);
      expect(m.genre_ids.length).toBeGreaterThanOrEqual(1);
      for (const g of m.genre_ids) expect(genreIds.has(g)).toBe(true);
      expect(m.release_date).toMatch(/^(19[3-9]\d|20[0-2]\d)-\d\d-\d\d$/);
      expect(m.poster_path).toMatch(/^\/[0-9A-Za-z]{27}\.jpg$/);
      expect(m.title.length).toBeGreaterThan(0);
      expect(m.overview.length).toBeGreaterThan(20);
      expect(m.vote_average).toBeGreaterThanOrEqual(0);
      expect(m.vote_average).toBeLessThanOrEqual(10);
      expect(m.popularity).toBeGreaterThanOrEqual(0.6);
      languages.add(m.original_language);
    }
    expect(languages.has('en')).toBe(true);
    expect(languages.size).toBeGreaterThan(3);
  });

  it('stays small for a large catalogue: text is generated on demand', () => {
    const before = process.memoryUsage().heapUsed;
    const d = createTmdbDataset({ movies: 200_000, seed: 1 });
    expect(d.movie(199_999).id).toBe(d.ids[199_999]);
    expect((process.memoryUsage().heapUsed - before) / 200_000).toBeLessThan(200);
  });

  it('refuses an empty catalogue', () => {
    expect(() => createTmdbDataset({ movies: 0, seed: 1 })).toThrow(
      'movies: expected a whole number >= 1, got 0',
    );
  });
});
