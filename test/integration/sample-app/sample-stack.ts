// Starts the sample app the way a harness would: a network, Postgres (alias `postgres`), for the
// fixed variant Redis (alias `redis`) and a Celery worker from the same image, then the app,
// migrated with `python3 manage.py migrate --noinput`. Every container carries `smokestack.run`;
// `stop()` tears down whatever was started, also after a failed start.
import { execFileSync } from 'node:child_process';
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import pg from 'pg';
import { GenericContainer, Network, type StartedTestContainer, Wait } from 'testcontainers';
import { followLogs, type LogTail } from './log-tail.js';

export const POSTGRES_IMAGE = 'smokestack/postgres:15';
export const REDIS_IMAGE = 'smokestack/redis:7';
export const appImage = (variant: Variant): string => `localmovies:${variant}`;

export type Variant = 'incident' | 'fixed';

export interface SampleStackOptions {
  variant: Variant;
  /** The value of the `smokestack.run` label, e.g. `test-sample-incident`. */
  run: string;
  /** TMDB_API_BASE as the containers reach it. */
  tmdbBaseUrl: string;
  tmdbApiKey: string;
}

export interface SampleStack {
  app: StartedTestContainer;
  /** http://127.0.0.1:<mapped port> */
  appUrl: string;
  appLog: LogTail;
  postgres: StartedPostgreSqlContainer;
  worker?: StartedTestContainer;
  workerLog?: LogTail;
  countMovies(): Promise<number>;
  stop(): Promise<void>;
}

/** Removes what a failed start left behind: Testcontainers gives no handle to a container it
 * created but could not start. Only containers carrying this test's own label. */
function sweep(run: string): void {
  try {
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=smokestack.run=${run}`], {
      encoding: 'utf8',
      timeout: 10_000,
    })
      .split(/\s+/)
      .filter(Boolean);
    if (ids.length > 0)
      execFileSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'pipe', timeout: 30_000 });
  } catch {
    // Best effort: the containers are labelled for a manual `docker rm`.
  }
}

const DB = { database: 'movies', user: 'localmovies', password: 'localmovies' };
// Containers reach host-side servers (the TMDB stub) through the engine's host gateway.
const HOST_GATEWAY = [{ host: 'host.docker.internal', ipAddress: 'host-gateway' }];

export async function startSampleStack(options: SampleStackOptions): Promise<SampleStack> {
  const labels = { 'smokestack.run': options.run };
  const stoppers: Array<() => Promise<unknown>> = [];
  const stop = async (): Promise<void> => {
    // Newest first: the app before the database, the network last.
    for (const s of stoppers.splice(0).reverse()) await s().catch(() => undefined);
    sweep(options.run);
  };

  try {
    const network = await new Network().start();
    stoppers.push(() => network.stop());

    const postgres = await new PostgreSqlContainer(POSTGRES_IMAGE)
      .withNetwork(network)
      .withNetworkAliases('postgres')
      .withDatabase(DB.database)
      .withUsername(DB.user)
      .withPassword(DB.password)
      .withLabels(labels)
      .start();
    stoppers.push(() => postgres.stop());

    const env: Record<string, string> = {
      DATABASE_URL: `postgres://${DB.user}:${DB.password}@postgres:5432/${DB.database}`,
      POSTGRES_HOST: 'postgres',
      POSTGRES_PORT: '5432',
      POSTGRES_USER: DB.user,
      POSTGRES_PASSWORD: DB.password,
      POSTGRES_DB: DB.database,
      TMDB_API_BASE: options.tmdbBaseUrl,
      TMDB_API_KEY: options.tmdbApiKey,
    };

    let worker: StartedTestContainer | undefined;
    let workerLog: LogTail | undefined;
    if (options.variant === 'fixed') {
      env.REDIS_URL = 'redis://redis:6379/0';
      const redis = await new GenericContainer(REDIS_IMAGE)
        .withNetwork(network)
        .withNetworkAliases('redis')
        .withLabels(labels)
        .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
        .start();
      stoppers.push(() => redis.stop());
      worker = await new GenericContainer(appImage('fixed'))
        .withNetwork(network)
        .withNetworkAliases('worker')
        .withEnvironment(env)
        .withExtraHosts(HOST_GATEWAY)
        .withLabels(labels)
        .withCommand(['celery', '-A', 'localmovies', 'worker', '--loglevel=INFO', '--concurrency=2'])
        .withWaitStrategy(Wait.forLogMessage(/celery@\S+ ready\./))
        .withStartupTimeout(60_000)
        .start();
      const started = worker;
      stoppers.push(() => started.stop({ timeout: 10_000 }));
      workerLog = await followLogs(worker);
    }

    const app = await new GenericContainer(appImage(options.variant))
      .withNetwork(network)
      .withNetworkAliases('app')
      .withEnvironment(env)
      .withExtraHosts(HOST_GATEWAY)
      .withExposedPorts(8000)
      .withLabels(labels)
      .withWaitStrategy(Wait.forHttp('/healthz', 8000).forStatusCode(200))
      .withStartupTimeout(60_000)
      .start();
    stoppers.push(() => app.stop({ timeout: 10_000 }));
    const appLog = await followLogs(app);

    const migrate = await app.exec(['python3', 'manage.py', 'migrate', '--noinput']);
    if (migrate.exitCode !== 0) throw new Error(`migrate failed (${migrate.exitCode}):\n${migrate.output}`);

    return {
      app,
      appUrl: `http://127.0.0.1:${app.getMappedPort(8000)}`,
      appLog,
      postgres,
      worker,
      workerLog,
      countMovies: async () => {
        const client = new pg.Client({ connectionString: postgres.getConnectionUri() });
        await client.connect();
        try {
          const r = await client.query<{ n: string }>('SELECT count(*) AS n FROM movies_movie');
          return Number(r.rows[0]?.n);
        } finally {
          await client.end();
        }
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
