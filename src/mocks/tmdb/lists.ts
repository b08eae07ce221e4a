// Ordered and filtered views of the TMDB dataset for the list endpoints (popular, top rated,
// discover, search), as arrays of movie indexes. Sorted orders are computed once; filtered
// views are kept in a small bounded cache because clients page through the same query.
import type { TmdbDataset } from './dataset.js';
import { GENRES } from './reference.js';

type Key = (d: TmdbDataset, i: number) => number | string;

const SORT_KEYS: Record<string, Key> = {
  popularity: (d, i) => d.popularity[i] as number,
  vote_average: (d, i) => d.voteAverage[i] as number,
  vote_count: (d, i) => d.voteCount[i] as number,
  primary_release_date: (d, i) => d.releaseDay[i] as number,
  release_date: (d, i) => d.releaseDay[i] as number,
  title: (d, i) => d.title(i),
};

export const DEFAULT_SORT = 'popularity.desc';
const CACHE_MAX = 128;

export interface DiscoverQuery {
  sortBy: string;
  /** Genre ids; `all` needs every genre (TMDB's comma), otherwise any (its pipe). */
  genres?: { ids: number[]; all: boolean };
  year?: number;
  /** Lower-cased search text (title or original title contains it). */
  text?: string;
}

export interface ListViews {
  /** Indexes in `sort_by` order (unknown sort keys fall back to popularity.desc). */
  ordered(sortBy: string): readonly number[];
  query(q: DiscoverQuery): readonly number[];
}

export function createListViews(dataset: TmdbDataset): ListViews {
  const orders = new Map<string, number[]>();
  const views = new Map<string, readonly number[]>();

  function ordered(sortBy: string): readonly number[] {
    const [field = '', direction = 'desc'] = sortBy.split('.');
    const key = SORT_KEYS[field];
    if (!key || (direction !== 'asc' && direction !== 'desc')) return ordered(DEFAULT_SORT);
    const name = `${field}.${direction}`;
    let order = orders.get(name);
    if (!order) {
      const values = Array.from({ length: dataset.size }, (_, i) => key(dataset, i));
      const sign = direction === 'asc' ? 1 : -1;
      order = Array.from({ length: dataset.size }, (_, i) => i).sort((a, b) => {
        const va = values[a] as number | string;
        const vb = values[b] as number | string;
        const c = va < vb ? -1 : va > vb ? 1 : 0;
        // Ties by id, so every order is total and stable across runs.
        return c === 0 ? a - b : sign * c;
      });
      orders.set(name, order);
    }
    return order;
  }

  function query(q: DiscoverQuery): readonly number[] {
    if (!q.genres && q.year === undefined && q.text === undefined) return ordered(q.sortBy);
    const cacheKey = JSON.stringify(q);
    const hit = views.get(cacheKey);
    if (hit) return hit;
    const wanted = q.genres ? maskOf(q.genres.ids) : 0;
    const out = ordered(q.sortBy).filter((i) => {
      if (q.genres) {
        const m = dataset.genreMask[i] as number;
        if (q.genres.all ? (m & wanted) !== wanted : (m & wanted) === 0) return false;
      }
      if (q.year !== undefined && yearOf(dataset.releaseDay[i] as number) !== q.year) return false;
      if (q.text !== undefined) {
        const movie = dataset.movie(i);
        if (
          !movie.title.toLowerCase().includes(q.text) &&
          !movie.original_title.toLowerCase().includes(q.text)
        )
          return false;
      }
      return true;
    });
    if (views.size >= CACHE_MAX) views.delete(views.keys().next().value as string);
    views.set(cacheKey, out);
    return out;
  }

  return { ordered, query };
}

/** Unknown genre ids match nothing (bit 30 is never set). */
function maskOf(ids: number[]): number {
  let m = 0;
  for (const id of ids) {
    const bit = GENRES.findIndex((g) => g.id === id);
    m |= bit < 0 ? 1 << 30 : 1 << bit;
  }
  return m;
}

function yearOf(day: number): number {
  return new Date(day * 86_400_000).getUTCFullYear();
}
