// The fix, proven with the real image: localmovies:fixed answers POST /api/import with 202 and a
// job id at once, a Celery worker (same image, Redis broker) imports the same 40 slow pages that
// kill the incident image, one batched upsert per page, and every served movie is stored. Also
// checks the API's shapes and errors, and captures the real gunicorn and Celery logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerAvailable, imageExists } from '../../support/docker.js';
import { gunicornLines, writeOrCheckFixture } from './gunicorn-fixture.js';
import { call, json } from './http-call.js';
import { appImage, POSTGRES_IMAGE, REDIS_IMAGE, type SampleStack, startSampleStack } from './sample-stack.js';
import { type SlowTmdb, startSlowTmdb } from './slow-tmdb.js';

const PAGES = 40;
const DELAY_MS = 1_000;
const API_KEY = 'test-key';
const images = [appImage('fixed'), POSTGRES_IMAGE, REDIS_IMAGE];
const ready = dockerAvailable && images.every(imageExists);
if (!ready && !process.env.CI)
  console.warn(`[sample-app] fixed test skipped: needs Docker and ${images.join(', ')} (npm run images)`);

interface Job {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  pages_total: number;
  pages_done: number;
  movies: number;
  error: string | null;
}
interface MoviePage {
  page: number;
  total: number;
  results: Array<{ tmdb_id: number; title: string; release_date: string | null; genres: number[] }>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!ready && !process.env.CI)('localmovies:fixed — the import as a background job', () => {
  let tmdb: SlowTmdb;
  let stack: SampleStack;

  beforeAll(async () => {
    tmdb = await startSlowTmdb({ pages: PAGES, delayMs: DELAY_MS, apiKey: API_KEY });
    stack = await startSampleStack({
      variant: 'fixed',
      run: 'test-sample-fixed',
      tmdbBaseUrl: tmdb.containerBaseUrl,
      tmdbApiKey: API_KEY,
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await tmdb?.stop();
  });

  it('starts gunicorn with the explicit timeouts', () => {
    const log = stack.appLog.lines.join('\n');
    expect(log).toMatch(/\[INFO\] Starting gunicorn 20\.1\.0/);
    expect(log.match(/Booting worker with pid: \d+/g)).toHaveLength(3);
  });

  it('answers the API with JSON, and JSON errors', async () => {
    const empty = await json<MoviePage>('GET', `${stack.appUrl}/api/movies`, 200);
    expect(empty).toMatchObject({ page: 1, results: [], total: 0 });
    expect(await json('GET', `${stack.appUrl}/api/movies/424242`, 404)).toEqual({
      error: 'movie 424242 not found',
    });
    expect((await call('GET', `${stack.appUrl}/api/movies?page=0`)).status).toBe(400);
    expect((await call('POST', `${stack.appUrl}/api/import?pages=0`)).status).toBe(400);
    expect((await call('POST', `${stack.appUrl}/api/import?pages=501`)).status).toBe(400);
    expect((await call('GET', `${stack.appUrl}/api/import/not-a-job`)).status).toBe(404);
    expect((await call('GET', `${stack.appUrl}/api/import`)).status).toBe(405);
    const health = await call('GET', `${stack.appUrl}/healthz`);
    expect(health).toMatchObject({ status: 200, body: 'ok' });
  });

  it('imports every page in the background: 202 at once, progress, done, every movie stored', async () => {
    const started = performance.now();
    const accepted = await call('POST', `${stack.appUrl}/api/import`, { pages: PAGES });
    expect(accepted.status).toBe(202);
    expect(accepted.ms).toBeLessThan(2_000);
    const job = JSON.parse(accepted.body ?? '{}') as Job;
    expect(job).toMatchObject({ status: 'queued', pages_total: PAGES });

    // Browsing stays fast while the worker imports.
    await sleep(3_000);
    const browse = await call('GET', `${stack.appUrl}/api/movies?page=1`);
    expect(browse.status).toBe(200);
    expect(browse.ms).toBeLessThan(1_000);

    let last: Job = job;
    const seen = new Set<number>();
    while (last.status !== 'done' && last.status !== 'failed' && performance.now() - started < 120_000) {
      await sleep(1_000);
      last = await json<Job>('GET', `${stack.appUrl}/api/import/${job.id}`, 200);
      seen.add(last.pages_done);
    }
    const durationMs = performance.now() - started;
    expect(last).toMatchObject({
      id: job.id,
      status: 'done',
      pages_total: PAGES,
      pages_done: PAGES,
      movies: PAGES * 20,
    });
    expect(seen.size).toBeGreaterThan(5); // progress was visible page by page

    const stored = await stack.countMovies();
    const counts = tmdb.counts();
    console.info(
      `[sample-app] fixed: job done in ${Math.round(durationMs)} ms; stub pages delivered ${counts.delivered}, ` +
        `movies served ${counts.movies}, stored ${stored}`,
    );
    expect(counts.movies).toBe(PAGES * 20);
    expect(stored).toBe(counts.movies);
    expect(stack.appLog.lines.join('\n')).not.toMatch(/WORKER TIMEOUT/);
  }, 150_000);

  it('serves what it imported, and a repeated import upserts instead of duplicating', async () => {
    const page2 = await json<MoviePage>('GET', `${stack.appUrl}/api/movies?page=2`, 200);
    expect(page2.total).toBe(PAGES * 20);
    expect(page2.results).toHaveLength(20);
    const movie = await json<MoviePage['results'][number]>('GET', `${stack.appUrl}/api/movies/1050`, 200);
    expect(movie).toMatchObject({ tmdb_id: 1050, title: 'Movie 1050', release_date: null }); // TMDB's "" date

    const again = await json<Job>('POST', `${stack.appUrl}/api/import?pages=2`, 202);
    let job = again;
    for (let i = 0; i < 30 && job.status !== 'done'; i++) {
      await sleep(500);
      job = await json<Job>('GET', `${stack.appUrl}/api/import/${again.id}`, 200);
    }
    expect(job).toMatchObject({ status: 'done', pages_done: 2, movies: 40 });
    expect(await stack.countMovies()).toBe(PAGES * 20);
  }, 60_000);

  it('shuts down gracefully; its real logs are the gunicorn/fixed.log and celery-worker.log fixtures', async () => {
    await Promise.all([stack.app.stop({ timeout: 10_000 }), stack.worker?.stop({ timeout: 10_000 })]);
    await Promise.all([stack.appLog.ended(10_000), stack.workerLog?.ended(10_000)]);
    const lines = stack.appLog.lines;
    expect(lines.join('\n')).toMatch(/\[INFO\] Shutting down: Master/);
    expect(gunicornLines(lines).length).toBeGreaterThan(6);
    expect(writeOrCheckFixture('fixed.log', lines).missing).toEqual([]);
    const workerLines = stack.workerLog?.lines ?? [];
    expect(workerLines.join('\n')).toMatch(/Task movies\.import_movies\[[0-9a-f-]+\] succeeded/);
    writeOrCheckFixture('celery-worker.log', workerLines);
  }, 60_000);
});
