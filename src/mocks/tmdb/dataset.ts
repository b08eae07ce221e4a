// The TMDB mock's movies: a deterministic catalogue of N movies from a seed. Only what lists are
// sorted and filtered by is stored (typed arrays: a million movies stay small); a movie's text
// (title, overview, images, details) is generated on demand from its own seeded stream, so the
// same seed always serves byte-identical movies and ids.
import { mulberry32 } from '../../util/seeded-random.js';
import { mixSeed, STREAM, streamFor } from '../rng.js';
import { GENRES } from './reference.js';
import {
  ADJECTIVES,
  COMPANIES,
  COUNTRY_NAMES,
  EVENTS,
  FOREIGN,
  NOUNS,
  PEOPLE,
  PLACES,
  TAGLINES,
  TWISTS,
} from './words.js';

/** A movie as TMDB lists it (popular, discover, search). */
export interface TmdbListMovie {
  adult: boolean;
  backdrop_path: string;
  genre_ids: number[];
  id: number;
  original_language: string;
  original_title: string;
  overview: string;
  popularity: number;
  poster_path: string;
  release_date: string;
  title: string;
  video: boolean;
  vote_average: number;
  vote_count: number;
}

/** A movie as /3/movie/{id} returns it. */
export interface TmdbMovieDetails extends Omit<TmdbListMovie, 'genre_ids'> {
  belongs_to_collection: null;
  budget: number;
  genres: { id: number; name: string }[];
  homepage: string;
  imdb_id: string;
  origin_country: string[];
  production_companies: { id: number; logo_path: string | null; name: string; origin_country: string }[];
  production_countries: { iso_3166_1: string; name: string }[];
  revenue: number;
  runtime: number;
  spoken_languages: { english_name: string; iso_639_1: string; name: string }[];
  status: string;
  tagline: string;
}

export interface TmdbDataset {
  size: number;
  seed: number;
  /** All ids, ascending. */
  ids: readonly number[];
  indexOf(id: number): number | undefined;
  movie(index: number): TmdbListMovie;
  details(index: number): TmdbMovieDetails;
  popularity: Float64Array;
  voteAverage: Float64Array;
  voteCount: Int32Array;
  /** Days since 1970-01-01. */
  releaseDay: Int32Array;
  /** Bit i set: the movie has GENRES[i]. */
  genreMask: Int32Array;
  title(index: number): string;
}

const LANGS = ['en', 'fr', 'es', 'de', 'it', 'ja'] as const;
const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(1930, 0, 1) / DAY_MS;
const LAST_DAY = Date.UTC(2025, 11, 31) / DAY_MS;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Long on purpose: one seeded generator draws every field of every movie in a fixed order, so a
 * seed always gives the same dataset; the steps read top to bottom as TMDB's fields do.
 */
export function createTmdbDataset(options: { movies: number; seed: number }): TmdbDataset {
  const size = options.movies;
  const seed = options.seed;
  if (!Number.isSafeInteger(size) || size < 1)
    throw new Error(`movies: expected a whole number >= 1, got ${size}`);
  const ids: number[] = new Array(size);
  const byId = new Map<number, number>();
  const popularity = new Float64Array(size);
  const voteAverage = new Float64Array(size);
  const voteCount = new Int32Array(size);
  const releaseDay = new Int32Array(size);
  const genreMask = new Int32Array(size);
  const lang = new Uint8Array(size);

  // Ids rise with small random gaps, like a real catalogue with deleted entries.
  const gaps = mulberry32(mixSeed(seed, STREAM.dataset, 0x7fffffff));
  let id = 10;
  for (let i = 0; i < size; i++) {
    id += 1 + Math.floor(gaps() * gaps() * 40);
    ids[i] = id;
    byId.set(id, i);
    const r = streamFor(seed, STREAM.dataset, i);
    // Heavy-tailed, like TMDB's: most movies near 1, a few in the thousands.
    popularity[i] = round3(0.6 + 2500 * r() ** 9);
    const count = Math.floor(popularity[i]! * (2 + 60 * r()));
    voteCount[i] = count;
    voteAverage[i] = count === 0 ? 0 : round3(Math.min(10, 2.5 + 3.5 * (r() + r())));
    releaseDay[i] = Math.round(LAST_DAY - (LAST_DAY - FIRST_DAY) * r() ** 2.2);
    let mask = 0;
    const genres = 1 + Math.floor(r() * 3);
    for (let g = 0; g < genres; g++) mask |= 1 << Math.floor(r() * GENRES.length);
    genreMask[i] = mask;
    const l = r();
    lang[i] = l < 0.8 ? 0 : 1 + Math.floor(((l - 0.8) / 0.2) * (LANGS.length - 1));
  }

  function textStream(index: number): () => number {
    return streamFor(seed, STREAM.movie, ids[index] as number);
  }

  function title(index: number): string {
    return makeTitle(textStream(index));
  }

  function movie(index: number): TmdbListMovie {
    return build(index).list;
  }

  function details(index: number): TmdbMovieDetails {
    const { list, r } = build(index);
    const { genre_ids, ...rest } = list;
    const company = (k: number) => {
      const c = COMPANIES[Math.floor(r() * COMPANIES.length)]!;
      return {
        id: 1000 + k * 37 + Math.floor(r() * 30),
        logo_path: r() < 0.7 ? imagePath(r, 'png') : null,
        ...c,
      };
    };
    const companies = [company(0), ...(r() < 0.5 ? [company(1)] : [])];
    const countries = [...new Set(companies.map((c) => c.origin_country))];
    const language = list.original_language;
    const budget = r() < 0.3 ? 0 : Math.round(r() * 200) * 1_000_000;
    return {
      ...rest,
      belongs_to_collection: null,
      budget,
      genres: genre_ids.map((gid) => GENRES.find((g) => g.id === gid)!),
      homepage: '',
      imdb_id: `tt${String(1_000_000 + Math.floor(r() * 8_999_999))}`,
      origin_country: countries,
      production_companies: companies,
      production_countries: countries.map((c) => ({ iso_3166_1: c, name: COUNTRY_NAMES[c] ?? c })),
      revenue: budget === 0 ? 0 : Math.round(budget * (0.2 + r() * 4)),
      runtime: 75 + Math.floor(r() * 100),
      spoken_languages: [spokenLanguage(language)],
      status: 'Released',
      tagline: TAGLINES[Math.floor(r() * TAGLINES.length)]!,
    };
  }

  function build(index: number): { list: TmdbListMovie; r: () => number } {
    if (!Number.isInteger(index) || index < 0 || index >= size)
      throw new RangeError(`no movie at index ${index}`);
    const r = textStream(index);
    const englishTitle = makeTitle(r);
    const language = LANGS[lang[index] as number]!;
    const originalTitle = language === 'en' ? englishTitle : foreignTitle(r, language);
    const overview = `${cap(pick(r, PEOPLE))} ${pick(r, EVENTS)} ${pick(r, PLACES)}. ${pick(r, TWISTS)}`;
    const genre_ids: number[] = [];
    const mask = genreMask[index] as number;
    GENRES.forEach((g, bit) => {
      if (mask & (1 << bit)) genre_ids.push(g.id);
    });
    const list: TmdbListMovie = {
      adult: false,
      backdrop_path: imagePath(r, 'jpg'),
      genre_ids,
      id: ids[index] as number,
      original_language: language,
      original_title: originalTitle,
      overview,
      popularity: popularity[index] as number,
      poster_path: imagePath(r, 'jpg'),
      release_date: new Date((releaseDay[index] as number) * DAY_MS).toISOString().slice(0, 10),
      title: englishTitle,
      video: false,
      vote_average: voteAverage[index] as number,
      vote_count: voteCount[index] as number,
    };
    return { list, r };
  }

  return {
    size,
    seed,
    ids,
    indexOf: (movieId) => byId.get(movieId),
    movie,
    details,
    popularity,
    voteAverage,
    voteCount,
    releaseDay,
    genreMask,
    title,
  };
}

function makeTitle(r: () => number): string {
  const adj = pick(r, ADJECTIVES);
  const noun = pick(r, NOUNS);
  const other = pick(r, NOUNS);
  const form = r();
  if (form < 0.3) return `The ${adj} ${noun}`;
  if (form < 0.55) return `${adj} ${noun}`;
  if (form < 0.7) return `${noun} of the ${adj} ${other}`;
  if (form < 0.8) return `The ${noun}`;
  if (form < 0.9) return `${adj} ${noun} ${2 + Math.floor(r() * 3)}`;
  return `${noun}: ${adj} ${other}`;
}

function foreignTitle(r: () => number, language: string): string {
  const words = FOREIGN[language]?.words ?? [];
  const n = 2 + Math.floor(r() * 2);
  return Array.from({ length: n }, () => pick(r, words)).join(language === 'ja' ? '' : ' ');
}

function spokenLanguage(code: string): { english_name: string; iso_639_1: string; name: string } {
  const f = FOREIGN[code];
  return f
    ? { english_name: f.english, iso_639_1: code, name: f.name }
    : { english_name: 'English', iso_639_1: 'en', name: 'English' };
}

/** TMDB image paths: `/` + 27 base-62 characters + extension. */
function imagePath(r: () => number, ext: string): string {
  let s = '/';
  for (let k = 0; k < 27; k++) s += BASE62[Math.floor(r() * 62)];
  return `${s}.${ext}`;
}

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
