// Postgres for the stack: PostgreSqlContainer (its env and pg_isready healthcheck) under the
// alias `postgres`, its data in tmpfs, ready when the healthcheck passes — which, unlike a
// host-side port check through Docker's proxy, proves the server accepts connections.
import type { ContainerRuntimeClient } from 'testcontainers';
import { InfraError } from '../errors.js';
import type { PostgresSpec } from '../scenario/types.js';
import { formatDurationSpec } from '../units/index.js';
import { TrackedPostgres } from './docker-ops.js';
import { imageConfig } from './images.js';
import { type LaunchContext, type Launched, launch, type StartHooks } from './launch.js';
import { envRecord } from './server-command.js';
import { Wait, waitUntilReady } from './wait.js';

export const POSTGRES_READY_MS = 120_000;

export function databaseUrl(spec: PostgresSpec, host: string, port: number): string {
  const auth = `${encodeURIComponent(spec.user)}:${encodeURIComponent(spec.password)}`;
  return `postgres://${auth}@${host}:${port}/${encodeURIComponent(spec.database)}`;
}

/** What the app is given to reach the database (CONTRACT: DATABASE_URL and POSTGRES_*). */
export function postgresWiring(spec: PostgresSpec): {
  containerDatabaseUrl: string;
  env: Record<string, string>;
} {
  const containerDatabaseUrl = databaseUrl(spec, 'postgres', 5432);
  return {
    containerDatabaseUrl,
    env: {
      DATABASE_URL: containerDatabaseUrl,
      POSTGRES_HOST: 'postgres',
      POSTGRES_PORT: '5432',
      POSTGRES_USER: spec.user,
      POSTGRES_PASSWORD: spec.password,
      POSTGRES_DB: spec.database,
    },
  };
}

export async function startPostgres(
  ctx: LaunchContext,
  client: ContainerRuntimeClient,
  spec: PostgresSpec,
  image: string,
  hooks: StartHooks,
): Promise<{ launched: Launched; databaseUrl: string }> {
  const builder = new TrackedPostgres(image)
    .withDatabase(spec.database)
    .withUsername(spec.user)
    .withPassword(spec.password);
  // A test database is thrown away: in tmpfs, initdb starts about twice as fast.
  const pgData = envRecord((await imageConfig(client, image)).env).PGDATA;
  if (pgData) builder.withTmpFs({ [pgData]: 'rw' });
  const launched = hooks.track(await launch(ctx, 'postgres', image, builder));
  const target = { ...launched, docker: ctx.docker, logs: () => ctx.logs.lines('postgres') };
  await waitUntilReady(target, Wait.forHealthCheck(), {
    deadline: launched.requestedAt + POSTGRES_READY_MS,
    onTimeout: () =>
      new InfraError(
        'DATABASE_UNREACHABLE',
        `postgres (${image}) not ready within ${formatDurationSpec(POSTGRES_READY_MS)}: its pg_isready healthcheck never passed`,
        {
          details: ctx.logs.tail('postgres', 20),
          fix: 'its last log lines are shown; check the image (stack.postgres.image, SMOKESTACK_POSTGRES_IMAGE) and free memory and disk',
        },
      ),
    abort: hooks.anyDied(),
  });
  return { launched, databaseUrl: databaseUrl(spec, '127.0.0.1', launched.container.getMappedPort(5432)) };
}
