// The shipped sample scenarios' stacks, as `smokestack up` starts them: the incident (Postgres +
// app, migrations as setup) and the fixed one (Postgres, Redis, Celery worker, app). Server
// configuration is read from the images: the incident runs gunicorn's defaults (timeout 30 from
// server-default, 3 workers), the fixed image sets --timeout 60 --graceful-timeout 30 --keep-alive 5.

import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startMocks } from '../../../src/mocks/index.js';
import { loadScenario } from '../../../src/scenario/load-scenario.js';
import { bridgeGateway } from '../../../src/stack/bridge-gateway.js';
import { checkEngine } from '../../../src/stack/engine.js';
import { type LogLine, type Stack, startStack } from '../../../src/stack/start-stack.js';
import { Teardown } from '../../../src/util/teardown.js';
import { dockerAvailable, imageExists } from '../../support/docker.js';
import { leftovers, uniqueRunId } from './helpers.js';

const postgresImage = process.env.SMOKESTACK_POSTGRES_IMAGE ?? 'postgres:16-alpine';
const base = dockerAvailable && imageExists(postgresImage);
const incident = base && imageExists('localmovies:incident');
const fixed = base && imageExists('localmovies:fixed') && imageExists('smokestack/redis:7');
if (dockerAvailable && !(incident && fixed)) {
  console.warn('[stack tests] sample images missing: skipping the sample stacks (run `npm run images`)');
}

async function up(
  file: string,
  runId: string,
  teardown: Teardown,
  seen: LogLine[],
  // Default: nothing listens there; the stack must come up without calling the mock.
  mockUrl = 'http://host.docker.internal:9',
): Promise<Stack> {
  const scenario = await loadScenario(file);
  return startStack(scenario, {
    runId,
    mockUrls: [{ env: 'TMDB_API_BASE', url: mockUrl }],
    teardown,
    onLog: (l) => seen.push(l),
  });
}

describe.skipIf(!incident)('the incident sample stack', () => {
  const runId = uniqueRunId('stack-incident');
  const teardown = new Teardown();
  afterAll(async () => {
    await teardown.run();
    expect(leftovers(runId)).toEqual({ containers: [], networks: [] });
  });

  it('comes up migrated and reads gunicorn defaults with 3 workers from the image', async () => {
    const seen: LogLine[] = [];
    const stack = await up('scenarios/tmdb-import-incident.yaml', runId, teardown, seen);
    expect(stack.server).toMatchObject({
      kind: 'gunicorn',
      timeoutS: 30,
      timeoutSource: 'server-default',
      workers: 3,
      workerClass: 'sync',
      keepAliveS: 2,
      gracefulTimeoutS: 30,
    });
    expect(stack.server.detectedFrom).toContain('workers 3 (Cmd: --workers 3)');
    expect(stack.containers.map((c) => c.name)).toEqual(['postgres', 'app']);
    expect(await fetch(`${stack.baseUrl}/healthz`).then((r) => r.text())).toBe('ok');
    expect(stack.setup?.exitCode).toBe(0);
    expect(
      seen.some((l) => l.source === 'setup' && /Applying movies\.0001_initial\.\.\. OK/.test(l.line)),
    ).toBe(true);
    expect(seen.some((l) => l.source === 'app' && /Booting worker with pid/.test(l.line))).toBe(true);
    // The host-side database URL reaches the migrated database.
    expect(stack.databaseUrl).toMatch(/^postgres:\/\/smokestack:smokestack@127\.0\.0\.1:\d+\/movies$/);
    expect(stack.containerDatabaseUrl).toBe('postgres://smokestack:smokestack@postgres:5432/movies');
    const client = new pg.Client({ connectionString: stack.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'movies_movie'",
      );
      expect(rows[0].n).toBe(1);
    } finally {
      await client.end();
    }
    await teardown.run();
    expect(leftovers(runId)).toEqual({ containers: [], networks: [] });
  }, 120_000);
});

describe.skipIf(!fixed)('the fixed sample stack', () => {
  const runId = uniqueRunId('stack-fixed');
  const teardown = new Teardown();
  afterAll(async () => {
    await teardown.run();
    expect(leftovers(runId)).toEqual({ containers: [], networks: [] });
  });

  it('starts Postgres, Redis, the Celery worker and the app; reads --timeout 60 etc. from the image; an import through the host-side TMDB mock completes', async () => {
    const seen: LogLine[] = [];
    // The built-in TMDB mock on the host (no latency, to keep it quick), reached through
    // host.docker.internal: on loopback and the bridge gateway, as a run binds it.
    const gateway = await bridgeGateway((await checkEngine()).container.dockerode);
    const [tmdb] = await startMocks(
      [{ name: 'tmdb', kind: 'tmdb', movies: 200, env: 'TMDB_API_BASE', seed: 1 }],
      {
        scenarioDir: 'scenarios',
        alsoOn: gateway ? [gateway] : [],
      },
    );
    teardown.add('tmdb mock', () => tmdb!.stop());
    const stack = await up('scenarios/tmdb-import-fixed.yaml', runId, teardown, seen, tmdb!.containerUrl());
    expect(stack.server).toMatchObject({
      kind: 'gunicorn',
      timeoutS: 60,
      timeoutSource: 'image',
      workers: 3,
      gracefulTimeoutS: 30,
      keepAliveS: 5,
    });
    expect(stack.server.detectedFrom).toContain('timeout 60 (Cmd: --timeout 60)');
    expect(stack.containers.map((c) => c.name).sort()).toEqual(['app', 'postgres', 'redis', 'worker']);
    expect(stack.containers.find((c) => c.name === 'worker')?.image).toBe('localmovies:fixed');
    expect((await fetch(`${stack.baseUrl}/healthz`)).status).toBe(200);
    // The worker gets the app's env plus its own, and reaches Redis by its alias.
    const deadline = Date.now() + 30_000;
    while (
      !seen.some((l) => l.source === 'worker' && /celery@\S+ ready/.test(l.line)) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(seen.filter((l) => l.source === 'worker').map((l) => l.line)).toEqual(
      expect.arrayContaining([expect.stringMatching(/Connected to redis:\/\/redis:6379\/0/)]),
    );
    const started = await fetch(`${stack.baseUrl}/api/import?pages=3`, { method: 'POST' });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    let job: { status?: string } = {};
    const until = Date.now() + 60_000;
    while (job.status !== 'done' && job.status !== 'failed' && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 300));
      job = (await fetch(`${stack.baseUrl}/api/import/${id}`).then((r) => r.json())) as { status?: string };
    }
    expect(job).toMatchObject({ status: 'done' });
    const client = new pg.Client({ connectionString: stack.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT count(*)::int AS n FROM movies_movie');
      expect(rows[0].n).toBe(60);
    } finally {
      await client.end();
    }
  }, 150_000);
});
