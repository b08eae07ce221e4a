// stack.compose with real containers: the bookshelf sample's own docker-compose.yml (db with its
// pg_isready healthcheck and a named volume, the one-shot migrate, web built as bookshelf:dev,
// adminer behind the debug profile) started by startStack as a run starts it.
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/scenario/load-scenario.js';
import { type Stack, startStack } from '../../../src/stack/start-stack.js';
import { Teardown } from '../../../src/util/teardown.js';
import { dockerAvailable, imageExists } from '../../support/docker.js';
import { leftovers, uniqueRunId } from './helpers.js';

const pgImage = process.env.SMOKESTACK_POSTGRES_IMAGE ?? 'smokestack/postgres:15';
const ready = dockerAvailable && imageExists('bookshelf:dev') && imageExists(pgImage);
if (dockerAvailable && !ready) console.warn('[stack tests] bookshelf:dev not built: run `npm run images`');

const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

describe.skipIf(!ready)('startStack: the bookshelf docker-compose.yml as the stack', () => {
  const runId = uniqueRunId('stack-compose');
  const teardown = new Teardown();
  const progress: string[] = [];
  let stack: Stack;
  const saved = process.env.SMOKESTACK_POSTGRES_IMAGE;

  beforeAll(async () => {
    // The compose file names postgres:16-alpine, which this machine may not be able to pull.
    process.env.SMOKESTACK_POSTGRES_IMAGE = pgImage;
    const scenario = await loadScenario('test/fixtures/compose/bookshelf/scenario.yaml');
    stack = await startStack(scenario, {
      runId,
      mockUrls: [],
      teardown,
      onProgress: (m) => progress.push(m),
    });
  }, 240_000);

  afterAll(async () => {
    await teardown.run();
    if (saved === undefined) delete process.env.SMOKESTACK_POSTGRES_IMAGE;
    else process.env.SMOKESTACK_POSTGRES_IMAGE = saved;
  });

  const byService = (name: string) =>
    docker(
      'ps',
      '-aq',
      '--filter',
      `label=smokestack.run=${runId}`,
      '--filter',
      `label=smokestack.container=${name}`,
    );

  it('starts db, migrate and web, never the profiled adminer', () => {
    expect(stack.containers.map((c) => c.name).sort()).toEqual(['app', 'db', 'migrate']);
    expect(byService('adminer')).toBe('');
    expect(progress).toContain(
      `service db: ${pgImage} instead of postgres:16-alpine (SMOKESTACK_POSTGRES_IMAGE)`,
    );
    expect(
      progress.some((m) => m.includes('not used by smokestack') && m.includes('services.migrate.restart')),
    ).toBe(true);
  });

  it('runs the one-shot migrate to completion before web starts', () => {
    const migrate = JSON.parse(docker('inspect', byService('migrate')))[0].State;
    const web = JSON.parse(docker('inspect', byService('app')))[0].State;
    expect(migrate.Status).toBe('exited');
    expect(migrate.ExitCode).toBe(0);
    expect(Date.parse(web.StartedAt)).toBeGreaterThanOrEqual(Date.parse(migrate.FinishedAt));
    expect(stack.logs().some((l) => l.source === 'migrate' && /Apply|No migrations/.test(l.line))).toBe(true);
  });

  it('publishes the app on a free loopback port, never the 8080 the file names', async () => {
    const url = new URL(stack.baseUrl);
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).not.toBe(8080);
    expect(docker('port', byService('app'))).toMatch(/^8000\/tcp -> 127\.0\.0\.1:\d+$/);
    const res = await fetch(`${stack.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    // db and migrate publish nothing but Postgres' 5432 for the checks, on loopback too.
    expect(docker('port', byService('db'))).toMatch(/^5432\/tcp -> 127\.0\.0\.1:\d+$/);
  });

  it('gives the checks the compose Postgres: the migrated tables, with its own credentials', async () => {
    expect(stack.databaseUrl).toMatch(/^postgres:\/\/bookshelf:bookshelf@127\.0\.0\.1:\d+\/bookshelf$/);
    expect(stack.containerDatabaseUrl).toBe('postgres://bookshelf:bookshelf@db:5432/bookshelf');
    const client = new pg.Client({ connectionString: stack.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT count(*)::int AS n FROM django_migrations WHERE app = 'books'",
      );
      expect(rows[0].n).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });

  it("mounts a fresh volume of the run as pgdata, never the team's, and the teardown removes everything", async () => {
    const volumes = lines(docker('volume', 'ls', '-q', '--filter', `label=smokestack.run=${runId}`));
    expect(volumes).toHaveLength(1);
    expect(volumes[0]).toContain(runId);
    expect(volumes[0]).toMatch(/pgdata$/);
    const mounts = JSON.parse(docker('inspect', byService('db')))[0].Mounts as {
      Name?: string;
      Destination: string;
    }[];
    expect(mounts).toContainEqual(
      expect.objectContaining({ Name: volumes[0], Destination: '/var/lib/postgresql/data' }),
    );
    await stack.stop();
    expect(leftovers(runId)).toEqual({ containers: [], networks: [] });
    expect(lines(docker('volume', 'ls', '-q', '--filter', `label=smokestack.run=${runId}`))).toEqual([]);
  });
});
