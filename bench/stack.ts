// `npm run bench stack`: time from startStack() to ready for the fixed sample stack (Postgres,
// Redis, the Celery worker, the app with its migrations), against the same containers started
// with plain `docker run` and the same readiness waits (Postgres healthcheck, Redis port inside
// the container, migrations beside an HTTP poll of /healthz), alternating, in one run.
//   oursMs / dockerRunMs   medians over the rounds; ratio = oursMs / dockerRunMs (goal <= 1.25)
// Bench-only environment defaults (as the CLI sets them): Ryuk off, host override 127.0.0.1, and
// the offline Postgres image when postgres:16-alpine is not present.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadScenario } from '../src/scenario/load-scenario.js';
import type { Scenario } from '../src/scenario/types.js';
import { cleanLeftovers } from '../src/stack/clean.js';
import { runLabels } from '../src/stack/run-owner.js';
import { startStack } from '../src/stack/start-stack.js';
import { httpProbe } from '../src/stack/wait.js';
import { Teardown } from '../src/util/teardown.js';

const run = promisify(execFile);
const FIXED = fileURLToPath(new URL('../../scenarios/tmdb-import-fixed.yaml', import.meta.url));
/** The mock is not needed to start: the app only calls it on an import. */
const MOCK_URL = 'http://host.docker.internal:9/3';

export interface BenchStackOptions {
  rounds?: number;
  log?: (line: string) => void;
}

export async function benchStackStartup(
  scenarioFixedStack?: Scenario,
  options: BenchStackOptions = {},
): Promise<{ oursMs: number; dockerRunMs: number; ratio: number }> {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  const log = options.log ?? ((line: string) => process.stderr.write(`  ${line}\n`));
  const scenario = scenarioFixedStack ?? (await loadScenario(FIXED));
  const pgImage = await postgresImage(scenario);
  const withImage: Scenario = {
    ...scenario,
    stack: {
      ...scenario.stack,
      postgres: scenario.stack.postgres && { ...scenario.stack.postgres, image: pgImage },
    },
  };
  const ours: number[] = [];
  const plain: number[] = [];
  // One warm-up of each so page cache and image layers do not favour the second.
  for (let round = -1; round < (options.rounds ?? 3); round += 1) {
    const a = await timeOurs(withImage, `bench-stack-ours-${process.pid}-${round + 1}`);
    const b = await timeDockerRun(withImage, `bench-stack-plain-${process.pid}-${round + 1}`);
    if (round >= 0) {
      ours.push(a);
      plain.push(b);
      log(`round ${round + 1}: startStack ${a} ms, docker run ${b} ms`);
    }
  }
  const oursMs = median(ours);
  const dockerRunMs = median(plain);
  return { oursMs, dockerRunMs, ratio: oursMs / dockerRunMs };
}

async function timeOurs(scenario: Scenario, runId: string): Promise<number> {
  const teardown = new Teardown();
  const t0 = performance.now();
  try {
    await startStack(scenario, { runId, mockUrls: [{ env: 'TMDB_API_BASE', url: MOCK_URL }], teardown });
    return Math.round(performance.now() - t0);
  } finally {
    await teardown.run();
  }
}

/** The same containers, as a shell script of `docker run`s would start them. */
async function timeDockerRun(scenario: Scenario, runId: string): Promise<number> {
  const app = scenario.stack.app!;
  const pg = scenario.stack.postgres!;
  const docker = async (...args: string[]) => (await run('docker', args)).stdout.trim();
  // The same owner labels a run writes, so `smokestack clean` spares this while it runs.
  const label = Object.entries(runLabels(runId)).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  const t0 = performance.now();
  try {
    await docker('network', 'create', ...label, runId);
    const net = ['--network', runId, ...label];
    const pgUrl = `postgres://${pg.user}:${pg.password}@postgres:5432/${pg.database}`;
    const env = {
      DATABASE_URL: pgUrl,
      POSTGRES_HOST: 'postgres',
      POSTGRES_PORT: '5432',
      POSTGRES_USER: pg.user,
      POSTGRES_PASSWORD: pg.password,
      POSTGRES_DB: pg.database,
      ...app.env,
      TMDB_API_BASE: MOCK_URL,
    };
    const envArgs = (e: Record<string, string>) => Object.entries(e).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const until = async (probe: () => Promise<boolean>) => {
      while (!(await probe().catch(() => false))) await sleep(100);
    };
    const pgData = (
      await docker('image', 'inspect', pg.image!, '--format', '{{range .Config.Env}}{{println .}}{{end}}')
    )
      .split('\n')
      .find((l) => l.startsWith('PGDATA='))
      ?.slice('PGDATA='.length);
    await Promise.all([
      (async () => {
        const id = await docker(
          'run',
          '-d',
          ...net,
          '--network-alias',
          'postgres',
          '-p',
          '127.0.0.1::5432',
          ...(pgData ? ['--tmpfs', `${pgData}:rw`] : []),
          ...envArgs({ POSTGRES_DB: pg.database, POSTGRES_USER: pg.user, POSTGRES_PASSWORD: pg.password }),
          '--health-cmd',
          `PGPASSWORD=${pg.password} pg_isready --host localhost --username ${pg.user} --dbname ${pg.database}`,
          '--health-interval',
          '250ms',
          '--health-timeout',
          '1s',
          '--health-retries',
          '1000',
          pg.image!,
        );
        await until(
          async () => (await docker('inspect', id, '--format', '{{.State.Health.Status}}')) === 'healthy',
        );
      })(),
      ...scenario.stack.services
        .filter((s) => s.image !== 'app')
        .map(async (s) => {
          const id = await docker(
            'run',
            '-d',
            ...net,
            '--network-alias',
            s.name,
            ...envArgs(s.env),
            s.image,
            ...(s.command ?? []),
          );
          const port = s.ready?.port;
          if (port !== undefined) {
            const hex = port.toString(16).toUpperCase().padStart(4, '0');
            const pattern = `^ *[0-9]+: [0-9A-F]+:${hex} [0-9A-F]+:0000 0A`;
            await until(async () => {
              await docker('exec', id, 'grep', '-qiE', pattern, '/proc/net/tcp', '/proc/net/tcp6');
              return true;
            });
          }
        }),
    ]);
    const appImage = app.image!;
    const hostGateway = ['--add-host', 'host.docker.internal:host-gateway'];
    await Promise.all([
      (async () => {
        const id = await docker(
          'run',
          '-d',
          ...net,
          '--network-alias',
          'app',
          ...hostGateway,
          '-p',
          `127.0.0.1::${app.port}`,
          ...envArgs(env),
          appImage,
          ...(app.command ?? []),
        );
        const mapped = Number((await docker('port', id, `${app.port}/tcp`)).split('\n')[0]!.split(':').pop());
        await Promise.all([
          app.setup ? docker('exec', id, ...app.setup) : undefined,
          until(async () => {
            const r = await httpProbe(mapped, app.ready.path);
            return typeof r === 'boolean' ? r : r.ok;
          }),
        ]);
      })(),
      ...scenario.stack.services
        .filter((s) => s.image === 'app')
        .map((s) =>
          docker(
            'run',
            '-d',
            ...net,
            '--network-alias',
            s.name,
            ...hostGateway,
            ...envArgs({ ...env, ...s.env }),
            appImage,
            ...(s.command ?? []),
          ),
        ),
    ]);
    return Math.round(performance.now() - t0);
  } finally {
    await cleanLeftovers(runId);
  }
}

async function postgresImage(scenario: Scenario): Promise<string> {
  const wanted = scenario.stack.postgres?.image ?? process.env.SMOKESTACK_POSTGRES_IMAGE;
  if (wanted) return wanted;
  const present = await run('docker', ['image', 'inspect', 'postgres:16-alpine']).then(
    () => true,
    () => false,
  );
  return present ? 'postgres:16-alpine' : 'smokestack/postgres:15';
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
