// Nothing a run starts listens beyond loopback and the Docker bridge: the app's and Postgres's
// published ports, read back from the engine, bind 127.0.0.1 only (no 0.0.0.0, no [::]); the mock,
// read back from its own sockets, listens on 127.0.0.1 and the bridge gateway; and the app still
// reaches the mock through host.docker.internal.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bringUp, type Environment } from '../../../src/run/bring-up.js';
import { Teardown } from '../../../src/util/teardown.js';
import { dockerAvailable, imageExists } from '../../support/docker.js';
import { leftovers, sampleApp, scenarioWith, uniqueRunId } from './helpers.js';

const run = promisify(execFile);
const docker = async (...args: string[]) => (await run('docker', args)).stdout.trim();
const ready = dockerAvailable && imageExists('localmovies:incident') && imageExists('smokestack/postgres:15');

describe.skipIf(!ready)('published ports and mock sockets', () => {
  const runId = uniqueRunId('stack-loopback');
  const teardown = new Teardown();
  let env: Environment;

  beforeAll(async () => {
    const scenario = scenarioWith({
      app: sampleApp({
        command: ['python3', '-m', 'http.server', '8000'],
        ready: { path: '/', withinMs: 30_000 },
      }),
      postgres: {
        image: 'smokestack/postgres:15',
        database: 'movies',
        user: 'smokestack',
        password: 'smokestack',
      },
      services: [],
    });
    scenario.mocks = [{ name: 'tmdb', kind: 'tmdb', movies: 20, seed: 1, env: 'TMDB_API_BASE' }];
    env = await bringUp(scenario, {
      runId,
      containers: true,
      teardown,
      signal: new AbortController().signal,
    });
  }, 120_000);

  afterAll(async () => {
    await teardown.run();
    expect(leftovers(runId)).toEqual({ containers: [], networks: [] });
  });

  it('publishes the app and Postgres on 127.0.0.1 only', async () => {
    const ids = (await docker('ps', '-q', '--filter', `label=smokestack.run=${runId}`)).split('\n');
    expect(ids).toHaveLength(2);
    const inspected = JSON.parse(await docker('inspect', ...ids)) as {
      Config: { Labels: Record<string, string> };
      HostConfig: { PortBindings: Record<string, { HostIp: string }[]> };
      NetworkSettings: { Ports: Record<string, { HostIp: string; HostPort: string }[] | null> };
    }[];
    const published = inspected.flatMap((c) =>
      Object.entries(c.NetworkSettings.Ports).flatMap(([port, bindings]) =>
        (bindings ?? []).map((b) => `${c.Config.Labels['smokestack.container']} ${port} ${b.HostIp}`),
      ),
    );
    expect(published.sort()).toEqual(['app 8000/tcp 127.0.0.1', 'postgres 5432/tcp 127.0.0.1']);
    const requested = inspected.flatMap((c) =>
      Object.values(c.HostConfig.PortBindings)
        .flat()
        .map((b) => b.HostIp),
    );
    expect(requested).toEqual(['127.0.0.1', '127.0.0.1']);
    expect(env.stack?.databaseUrl).toMatch(/@127\.0\.0\.1:\d+\//);
  });

  it('binds the mock to loopback and the bridge gateway, which the app reaches', async () => {
    const appId = await docker(
      'ps',
      '-q',
      '--filter',
      `label=smokestack.run=${runId}`,
      '--filter',
      'label=smokestack.container=app',
    );
    // Where the containers' host.docker.internal points (Docker's host-gateway).
    const gateway = (await docker('exec', appId, 'getent', 'hosts', 'host.docker.internal')).split(/\s+/)[0];
    const mock = env.mocks[0]!;
    expect(mock.listening).toEqual([
      { address: '127.0.0.1', port: mock.port },
      { address: gateway, port: mock.port },
    ]);

    const answer = await docker(
      'exec',
      appId,
      'python3',
      '-c',
      'import os,urllib.request;print(urllib.request.urlopen(os.environ["TMDB_API_BASE"]+"/3/configuration?api_key=k").status)',
    );
    expect(answer).toBe('200');
  });
});
