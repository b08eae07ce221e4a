// The database checks against a real Postgres: scenario checks (pass, fail, SQL error, templates,
// a missing template), the TMDB reconciliation of a partial import, the settle wait, and the
// infrastructure error when the database is unreachable.
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfraError, InterruptedError } from '../../../src/errors.js';
import { reconcileServedMovies, runIntegrityChecks, waitForSettle } from '../../../src/observe/integrity.js';
import { dockerAvailable, imageExists } from '../../support/docker.js';

const image = process.env.SMOKESTACK_POSTGRES_IMAGE!;
const ready = dockerAvailable && imageExists(image);
if (!ready && !process.env.CI)
  console.warn(`[observe] integrity tests skipped: needs Docker and ${image} (npm run images)`);

describe.skipIf(!ready && !process.env.CI)('database checks against Postgres', () => {
  let container: StartedPostgreSqlContainer;
  let stopped = false;
  let databaseUrl: string;
  const values = { mocks: { tmdb: { served: { movies: 600 } } } };

  beforeAll(async () => {
    container = await new PostgreSqlContainer(image)
      .withDatabase('movies')
      .withUsername('smokestack')
      .withPassword('smokestack')
      .withLabels({ 'smokestack.run': 'test-observe-integrity' })
      .start();
    databaseUrl = container.getConnectionUri();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    // A partial import: 580 of the 600 served movies (tmdb ids 1..600), two of them without a title.
    await client.query(
      `CREATE TABLE movies_movie (id serial PRIMARY KEY, tmdb_id integer UNIQUE, title text)`,
    );
    await client.query(
      `INSERT INTO movies_movie (tmdb_id, title)
       SELECT g, CASE WHEN g IN (7, 8) THEN '' ELSE 'Movie ' || g END FROM generate_series(1, 580) g`,
    );
    await client.query(`CREATE TABLE jobs (id serial PRIMARY KEY, state text)`);
    await client.query(`INSERT INTO jobs (state) VALUES ('running')`);
    await client.end();
  });

  afterAll(async () => {
    if (!stopped) await container?.stop();
  });

  it('runs scenario checks: pass, fail with the template named, SQL error, unknown template', async () => {
    const results = await runIntegrityChecks(
      [
        { name: 'some movies stored', sql: 'SELECT count(*) FROM movies_movie', atLeast: 100 },
        {
          name: 'no duplicate ids',
          sql: 'SELECT count(*) - count(DISTINCT tmdb_id) FROM movies_movie',
          zero: true,
        },
        {
          name: 'every served movie stored completely',
          sql: "SELECT count(*) FROM movies_movie WHERE title <> ''",
          equals: '{{mocks.tmdb.served.movies}}',
        },
        {
          name: 'at most what was served',
          sql: 'SELECT count(*) FROM movies_movie',
          atMost: '{{mocks.tmdb.served.movies}}',
        },
        { name: 'typo', sql: 'SELECT count(*) FROM movie_movies', zero: true },
        { name: 'unknown value', sql: 'SELECT 1', equals: '{{mocks.tmdb.served.shows}}' },
        {
          name: 'templated sql',
          sql: 'SELECT {{mocks.tmdb.served.movies}} - count(*) FROM movies_movie',
          equals: 20,
        },
        { name: 'no rows', sql: 'SELECT tmdb_id FROM movies_movie WHERE false', zero: true },
      ],
      { databaseUrl, values },
    );
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(byName['some movies stored']).toMatchObject({
      passed: true,
      expected: '>= 100',
      actual: '580',
      kind: 'passed',
    });
    expect(byName['no duplicate ids']).toMatchObject({ passed: true, expected: '0', actual: '0' });
    expect(byName['every served movie stored completely']).toEqual({
      name: 'every served movie stored completely',
      passed: false,
      expected: '600',
      actual: '578',
      detail: 'expected 600 ({{mocks.tmdb.served.movies}}), got 578',
      sql: "SELECT count(*) FROM movies_movie WHERE title <> ''",
      kind: 'partial',
      origin: 'scenario',
    });
    expect(byName['at most what was served']).toMatchObject({ passed: true, expected: '<= 600' });
    expect(byName.typo).toMatchObject({
      passed: false,
      kind: 'error',
      actual: 'SQL error',
      detail: 'the database refused the query: relation "movie_movies" does not exist',
    });
    expect(byName['unknown value']).toMatchObject({
      passed: false,
      actual: 'not run',
      detail: expect.stringContaining('{{mocks.tmdb.served.shows}}: no value shows under mocks.tmdb.served'),
    });
    expect(byName['templated sql']).toMatchObject({
      passed: true,
      sql: 'SELECT 600 - count(*) FROM movies_movie',
    });
    expect(byName['no rows']).toMatchObject({ passed: false, actual: 'no rows' });
  });

  it('reconciles the served TMDB ids: a shortfall names how many and which, kind partial', async () => {
    const servedIds = Array.from({ length: 600 }, (_, i) => i + 1);
    const r = await reconcileServedMovies({ databaseUrl, servedIds });
    expect(r).toMatchObject({
      passed: false,
      expected: '600 served movies stored',
      actual: '578 of 600',
      detail:
        '578 of 600 served movies stored (20 missing, e.g. tmdb ids 581, 582, 583, 584, 585, ...; 2 stored without title)',
      kind: 'partial',
      origin: 'reconcile',
    });
    const complete = await reconcileServedMovies({
      databaseUrl,
      servedIds: [1, 2, 3, 3],
      requiredColumns: [],
    });
    expect(complete).toMatchObject({ passed: true, actual: '3 of 3' });
    const thousand = await reconcileServedMovies({
      databaseUrl,
      servedIds: Array.from({ length: 1000 }, (_, i) => i + 1),
    });
    expect(thousand.detail).toMatch(/^578 of 1,000 served movies stored \(420 missing/);
  });

  it('a reconciliation against a table that does not exist is a failed result with the database message', async () => {
    const r = await reconcileServedMovies({ databaseUrl, servedIds: [1], table: 'films' });
    expect(r).toMatchObject({
      passed: false,
      actual: 'SQL error',
      detail: expect.stringContaining('"films" does not exist'),
    });
  });

  it('waits for background work to settle, or reports the deadline', async () => {
    const signal = new AbortController().signal;
    const done = await waitForSettle(
      { sql: 'SELECT count(*) = 1 FROM jobs', withinMs: 5_000, everyMs: 100 },
      databaseUrl,
      signal,
    );
    expect(done.settled).toBe(true);
    const stuck = await waitForSettle(
      { sql: "SELECT NOT EXISTS (SELECT 1 FROM jobs WHERE state = 'running')", withinMs: 600, everyMs: 200 },
      databaseUrl,
      signal,
    );
    expect(stuck).toMatchObject({ settled: false, detail: 'the settle query returned false' });
    expect(stuck.waitedMs).toBeGreaterThanOrEqual(600);
    expect(stuck.waitedMs).toBeLessThan(3_000);
  });

  const count = async (sql: string): Promise<number> => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return Number((await client.query({ text: sql, rowMode: 'array' })).rows[0]![0]);
    } finally {
      await client.end();
    }
  };
  /** Our sleeping queries still running on the server (a cancel is asynchronous: poll for it). */
  const sleepersGone = async () => {
    const sql =
      "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(100)%' AND pid <> pg_backend_pid()";
    for (let i = 0; i < 50 && (await count(sql)) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    return (await count(sql)) === 0;
  };

  it('refuses every write: DROP TABLE, DELETE, a write in a CTE, switching to read-write', async () => {
    const results = await runIntegrityChecks(
      [
        { name: 'drop', sql: 'DROP TABLE jobs', zero: true },
        { name: 'delete', sql: 'DELETE FROM movies_movie', zero: true },
        {
          name: 'cte',
          sql: 'WITH gone AS (DELETE FROM jobs RETURNING 1) SELECT count(*) FROM gone',
          zero: true,
        },
        {
          name: 'read-write',
          sql: "SELECT set_config('transaction_read_only', 'off', true), (SELECT count(*) FROM jobs)",
          zero: true,
        },
      ],
      { databaseUrl, values },
    );
    expect(results.map((r) => [r.name, r.actual, r.detail])).toEqual([
      [
        'drop',
        'SQL error',
        'the database refused the query: cannot execute DROP TABLE in a read-only transaction',
      ],
      [
        'delete',
        'SQL error',
        'the database refused the query: cannot execute DELETE in a read-only transaction',
      ],
      ['cte', 'SQL error', expect.stringContaining('in a read-only transaction')],
      ['read-write', 'SQL error', expect.stringContaining('read-write mode must be set before any query')],
    ]);
    expect(await count('SELECT count(*) FROM jobs')).toBe(1);
    expect(await count('SELECT count(*) FROM movies_movie')).toBe(580);
  });

  it('a second statement that got past validation is refused by the server, and nothing is deleted', async () => {
    const [r] = await runIntegrityChecks([{ name: 'two', sql: 'SELECT 1; DELETE FROM jobs', zero: true }], {
      databaseUrl,
      values,
    });
    expect(r).toMatchObject({
      passed: false,
      actual: 'SQL error',
      detail: 'the database refused the query: cannot insert multiple commands into a prepared statement',
    });
    expect(await count('SELECT count(*) FROM jobs')).toBe(1);
  });

  it('a check cannot lift its statement timeout, for itself or for the next check', async () => {
    const results = await runIntegrityChecks(
      [
        {
          name: 'lift and sleep',
          sql: "SELECT set_config('statement_timeout', '0', false), pg_sleep(100)",
          zero: true,
        },
        { name: 'the next sees ours', sql: "SELECT current_setting('statement_timeout')", equals: '1s' },
      ],
      { databaseUrl, values, statementTimeoutMs: 1_000 },
    );
    expect(results[0]).toMatchObject({
      passed: false,
      actual: 'timed out',
      detail: 'cancelled after the statement timeout of 1 s',
    });
    expect(results[1]).toMatchObject({ passed: true, actual: '1s' });
    expect(await sleepersGone()).toBe(true);
  });

  it('the deadline for all checks cuts the running one on the server; the rest are not run', async () => {
    const results = await runIntegrityChecks(
      [
        { name: 'sleeps', sql: 'SELECT pg_sleep(100)', zero: true },
        { name: 'after', sql: 'SELECT 1', equals: 1 },
      ],
      { databaseUrl, values, statementTimeoutMs: 200_000, deadlineMs: 1_500 },
    );
    expect(results.map((r) => [r.name, r.actual, r.detail])).toEqual([
      ['sleeps', 'not finished', 'cut by the deadline of 1.5 s for the database checks'],
      ['after', 'not finished', 'cut by the deadline of 1.5 s for the database checks'],
    ]);
    expect(await sleepersGone()).toBe(true);
  });

  it('Ctrl-C cancels the running check on the server and rejects with InterruptedError', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 300);
    const error = await runIntegrityChecks([{ name: 'sleeps', sql: 'SELECT pg_sleep(100)', zero: true }], {
      databaseUrl,
      values,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect(await sleepersGone()).toBe(true);
  });

  it('the reconciliation runs read-only: a table that writes when read is refused, nothing written', async () => {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query('CREATE TABLE reads_logged (at timestamptz DEFAULT now())');
    await admin.query(
      `CREATE FUNCTION log_read() RETURNS boolean LANGUAGE sql VOLATILE AS 'INSERT INTO reads_logged DEFAULT VALUES RETURNING true'`,
    );
    await admin.query(
      'CREATE VIEW logged_movies AS SELECT tmdb_id, title FROM movies_movie WHERE log_read()',
    );
    try {
      const r = await reconcileServedMovies({ databaseUrl, servedIds: [1, 2], table: 'logged_movies' });
      expect(r).toMatchObject({ passed: false, actual: 'SQL error', kind: 'error' });
      expect(r.detail).toMatch(/cannot execute INSERT in a read-only transaction/);
      expect((await admin.query('SELECT count(*)::int AS n FROM reads_logged')).rows[0].n).toBe(0);
    } finally {
      await admin.end();
    }
  });

  it('the reconciliation has a statement timeout and Ctrl-C cancels it on the server', async () => {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(
      'CREATE VIEW slow_movies AS SELECT m.tmdb_id, m.title FROM movies_movie m, LATERAL (SELECT pg_sleep(100)) s',
    );
    const slowGone = async () => {
      const sql =
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%slow_movies%' AND pid <> pg_backend_pid()";
      for (let i = 0; i < 50 && (await admin.query(sql)).rows[0].n > 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      return (await admin.query(sql)).rows[0].n === 0;
    };
    try {
      const timed = await reconcileServedMovies({
        databaseUrl,
        servedIds: [1],
        table: 'slow_movies',
        statementTimeoutMs: 1_000,
      });
      expect(timed).toMatchObject({ passed: false, actual: 'timed out' });
      expect(timed.detail).toMatch(/^cancelled after the statement timeout of 1 ?s$/);
      const controller = new AbortController();
      setTimeout(() => controller.abort('SIGINT'), 300);
      const t0 = Date.now();
      const error = await reconcileServedMovies({
        databaseUrl,
        servedIds: [1],
        table: 'slow_movies',
        signal: controller.signal,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InterruptedError);
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(await slowGone()).toBe(true);
    } finally {
      await admin.end();
    }
  });

  it('an unreachable database is an infrastructure error naming the URL without its password', async () => {
    const port = container.getPort();
    await container.stop();
    stopped = true;
    const url = `postgres://smokestack:secret@127.0.0.1:${port}/movies`;
    const error = await runIntegrityChecks([{ name: 'x', sql: 'SELECT 1', equals: 1 }], {
      databaseUrl: url,
      values,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InfraError);
    expect(error).toMatchObject({ code: 'DATABASE_UNREACHABLE', exitCode: 3 });
    expect((error as Error).message).toMatch(
      /^database postgres:\/\/••••@127\.0\.0\.1:\d+\/movies unreachable: /,
    );
    expect((error as Error).message).not.toContain('secret');
  });
});
