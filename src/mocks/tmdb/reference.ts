// TMDB's fixed reference data and error bodies, as its v3 API documents them: the movie genre
// list, /configuration, and the `{status_code, status_message, success:false}` errors.
// Status codes: 7 invalid key (401), 34 not found (404), 25 over the limit (429),
// 22 invalid page (400), 11 internal error (500), 9 service offline (503), 24 backend timeout (504).
import type { CannedResponse, FaultResponses } from '../fault-responses.js';

export const GENRES: readonly { id: number; name: string }[] = [
  { id: 28, name: 'Action' },
  { id: 12, name: 'Adventure' },
  { id: 16, name: 'Animation' },
  { id: 35, name: 'Comedy' },
  { id: 80, name: 'Crime' },
  { id: 99, name: 'Documentary' },
  { id: 18, name: 'Drama' },
  { id: 10751, name: 'Family' },
  { id: 14, name: 'Fantasy' },
  { id: 36, name: 'History' },
  { id: 27, name: 'Horror' },
  { id: 10402, name: 'Music' },
  { id: 9648, name: 'Mystery' },
  { id: 10749, name: 'Romance' },
  { id: 878, name: 'Science Fiction' },
  { id: 10770, name: 'TV Movie' },
  { id: 53, name: 'Thriller' },
  { id: 10752, name: 'War' },
  { id: 37, name: 'Western' },
];

export const CONFIGURATION = {
  change_keys: [
    'adult',
    'air_date',
    'also_known_as',
    'alternative_titles',
    'biography',
    'birthday',
    'budget',
    'cast',
    'certifications',
    'character_names',
    'created_by',
    'crew',
    'deathday',
    'episode',
    'episode_number',
    'episode_run_time',
    'freebase_id',
    'freebase_mid',
    'general',
    'genres',
    'guest_stars',
    'homepage',
    'images',
    'imdb_id',
    'languages',
    'name',
    'network',
    'origin_country',
    'original_name',
    'original_title',
    'overview',
    'parts',
    'place_of_birth',
    'plot_keywords',
    'production_code',
    'production_companies',
    'production_countries',
    'releases',
    'revenue',
    'runtime',
    'season',
    'season_number',
    'season_regular',
    'spoken_languages',
    'status',
    'tagline',
    'title',
    'translations',
    'tvdb_id',
    'tvrage_id',
    'type',
    'video',
    'videos',
  ],
  images: {
    base_url: 'http://image.tmdb.org/t/p/',
    secure_base_url: 'https://image.tmdb.org/t/p/',
    backdrop_sizes: ['w300', 'w780', 'w1280', 'original'],
    logo_sizes: ['w45', 'w92', 'w154', 'w185', 'w300', 'w500', 'original'],
    poster_sizes: ['w92', 'w154', 'w185', 'w342', 'w500', 'w780', 'original'],
    profile_sizes: ['w45', 'w185', 'h632', 'original'],
    still_sizes: ['w92', 'w185', 'w300', 'original'],
  },
} as const;

export interface TmdbError {
  status_code: number;
  status_message: string;
  success: false;
}

function tmdbError(code: number, message: string): TmdbError {
  return { status_code: code, status_message: message, success: false };
}

export const INVALID_API_KEY = tmdbError(7, 'Invalid API key: You must be granted a valid key.');
export const NOT_FOUND = tmdbError(34, 'The resource you requested could not be found.');
export const INVALID_PAGE = tmdbError(
  22,
  'Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.',
);
/** Pages past 500 (a 422 with a different body shape, as TMDB answers it). */
export const PAGE_CAP = { errors: ['page must be less than or equal to 500'] };
export const MAX_PAGE = 500;
export const PAGE_SIZE = 20;

export const tmdbFaultResponses: FaultResponses = {
  rateLimit: (limitPerSecond): CannedResponse => ({
    status: 429,
    body: tmdbError(
      25,
      `Your request count (#) is over the allowed limit of (${Number(limitPerSecond.toFixed(2))}).`,
    ),
  }),
  error: (status): CannedResponse => {
    if (status === 503)
      return {
        status,
        body: tmdbError(9, 'Service offline: This service is temporarily offline, try again later.'),
      };
    if (status === 504)
      return { status, body: tmdbError(24, 'Your request to the backend server timed out. Try again.') };
    return { status, body: tmdbError(11, 'Internal error: Something went wrong, contact TMDb.') };
  },
};
