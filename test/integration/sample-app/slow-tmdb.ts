// A deliberately slow stand-in for TMDB's GET /3/movie/popular, for the sample-app tests only
// (the product's own TMDB mock lives in src/mocks). Pages of 20 generated movies, each answered
// after a fixed delay; it listens on 0.0.0.0 so containers reach it through host-gateway.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlowTmdbOptions {
  /** Pages the catalogue has (total_pages); 20 movies a page. */
  pages: number;
  /** Delay before each page is answered. */
  delayMs: number;
  /** The api_key every request must carry (TMDB's 401 otherwise). */
  apiKey: string;
}

export interface SlowTmdbCounts {
  /** Page requests received, including those the client abandoned before the answer. */
  requested: number;
  /** Pages written to the client in full. */
  delivered: number;
  /** Distinct movie ids in the delivered pages. */
  movies: number;
  /** Requests whose client went away before the answer was sent. */
  abandoned: number;
}

export interface SlowTmdb {
  port: number;
  /** The base URL for TMDB_API_BASE inside a container started with the host-gateway extra host. */
  containerBaseUrl: string;
  counts(): SlowTmdbCounts;
  stop(): Promise<void>;
}

const PAGE_SIZE = 20;

/** The generated movie at a 0-based catalogue position: ids start at 1001, dates and genres vary. */
function movie(index: number): Record<string, unknown> {
  const id = 1001 + index;
  const day = new Date(Date.UTC(1990, 0, 1) + (index % 12_000) * 86_400_000);
  return {
    adult: false,
    backdrop_path: `/backdrop${id}.jpg`,
    genre_ids: [28 + (index % 3), 12 + (index % 7)],
    id,
    original_language: 'en',
    original_title: `Movie ${id}`,
    overview: `The story of movie ${id}.`,
    popularity: 10_000 - index,
    poster_path: `/poster${id}.jpg`,
    release_date: index % 50 === 49 ? '' : day.toISOString().slice(0, 10),
    title: `Movie ${id}`,
    video: false,
    vote_average: (index % 100) / 10,
    vote_count: index,
  };
}

export async function startSlowTmdb(options: SlowTmdbOptions): Promise<SlowTmdb> {
  const served = new Set<number>();
  const counts = { requested: 0, delivered: 0, abandoned: 0 };
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== '/3/movie/popular') {
      json(404, {
        status_code: 34,
        status_message: 'The resource you requested could not be found.',
        success: false,
      });
      return;
    }
    if (url.searchParams.get('api_key') !== options.apiKey) {
      json(401, {
        status_code: 7,
        status_message: 'Invalid API key: You must be granted a valid key.',
        success: false,
      });
      return;
    }
    const page = Number(url.searchParams.get('page') ?? '1');
    counts.requested += 1;
    const first = (page - 1) * PAGE_SIZE;
    const ids: number[] = [];
    const results: Record<string, unknown>[] = [];
    if (page >= 1 && page <= options.pages) {
      for (let i = first; i < first + PAGE_SIZE; i++) {
        results.push(movie(i));
        ids.push(1001 + i);
      }
    }
    // A client that hangs up mid-delay (a killed gunicorn worker) gets nothing and is not counted.
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (res.destroyed) return;
      res.on('finish', () => {
        counts.delivered += 1;
        for (const id of ids) served.add(id);
      });
      json(200, { page, results, total_pages: options.pages, total_results: options.pages * PAGE_SIZE });
    }, options.delayMs);
    timers.add(timer);
    res.on('close', () => {
      if (!res.writableFinished) counts.abandoned += 1;
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '0.0.0.0', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    containerBaseUrl: `http://host.docker.internal:${port}`,
    counts: () => ({ ...counts, movies: served.size }),
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
