// Starts the services of a compose stack (./compose-plan.ts) with the stack's own machinery:
// every container through launch() (run labels, logs, teardown, the died-watch), the app service
// through startApp (its port on a free loopback port, setup, HTTP readiness). Services start in
// waves (startWaves), each once what it depends on meets its condition: service_started (it runs),
// service_healthy (Docker runs the compose healthcheck, given at create to the services something
// waits on that way, and only to them), service_completed_successfully
// (a one-shot: it exited 0; any other code stops the start with its last log lines). Named and
// anonymous volumes are fresh Docker volumes of this run, removed at teardown; the team's own
// volumes are never touched. Only the app's port and the Postgres service's 5432 are published.
import { type ContainerRuntimeClient, GenericContainer, ImageName } from 'testcontainers';
import type { ComposeDependency, ComposeService } from '../compose/index.js';
import { startWaves } from '../compose/index.js';
import { InfraError } from '../errors.js';
import { pause } from '../util/pause.js';
import type { ComposePlan } from './compose-plan.js';
import { lastLogLines, TrackedContainer } from './docker-ops.js';
import { type LaunchContext, type Launched, launch, oneShotFailed, type StartHooks } from './launch.js';
import { runLabels } from './run-owner.js';
import { type StartedApp, startApp } from './start-app.js';
import { databaseUrl } from './start-postgres.js';
import type { WaitStrategy } from './wait.js';

const CONDITION_WORDS: Record<ComposeDependency['condition'], string> = {
  service_started: 'started',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed',
};

export interface ComposeStartOptions {
  hooks: StartHooks;
  progress: (message: string) => void;
  /** The app's whole env: plan.appSpec.env under the harness's (Postgres wiring, mocks, access log). */
  appEnv: Record<string, string>;
  /** Each mock's URL by variable: it also replaces that variable in the other services that set it. */
  mockEnv: Record<string, string>;
  /** More names of the app for a proxy in front (stack.proxy.aliases). */
  aliases: string[];
  readiness?: WaitStrategy;
  /** Records when a service became ready (the result's startMs). */
  ready: (launched: Launched) => void;
}

export interface StartedCompose extends StartedApp {
  databaseUrl?: string;
  containerDatabaseUrl?: string;
}

export async function startComposeServices(
  ctx: LaunchContext,
  plan: ComposePlan,
  o: ComposeStartOptions,
): Promise<StartedCompose> {
  const mounts = await freshVolumes(ctx, plan);
  const launched = new Map<string, Launched>();
  const appName = plan.appService.name;
  const hooks: StartHooks = {
    ...o.hooks,
    track: (l) => {
      launched.set(l.name === 'app' ? appName : l.name, l);
      return o.hooks.track(l);
    },
  };
  const met = new Map<string, Promise<void>>();
  const condition = (of: string, d: ComposeDependency): Promise<void> => {
    const key = `${d.service} ${d.condition}`;
    let p = met.get(key);
    if (!p) {
      const dep = launched.get(d.service)!;
      const service = plan.services.find((s) => s.name === d.service)!;
      p =
        d.condition === 'service_healthy'
          ? untilHealthy(ctx, dep, service, of, hooks.anyDied())
          : d.condition === 'service_completed_successfully'
            ? untilCompleted(ctx, dep, of, hooks.anyDied())
            : Promise.resolve();
      p.catch(() => {});
      met.set(key, p);
    }
    return p;
  };

  let app: StartedApp | undefined;
  let pgUrl: string | undefined;
  for (const wave of startWaves(plan.services)) {
    await Promise.all(
      wave.map(async (s) => {
        await Promise.all(s.dependsOn.map((d) => condition(s.name, d)));
        const waited = s.dependsOn.map((d) => `${d.service} ${CONDITION_WORDS[d.condition]}`);
        o.progress(
          `starting ${s.name}${s.name === appName ? ` (the app, ${s.image})` : ''}${waited.length > 0 ? `: ${waited.join(', ')}` : ''}`,
        );
        const configure = (b: TrackedContainer) =>
          configureService(b, s, mounts.get(s.name) ?? [], plan.awaitedHealthy.has(s.name));
        const image = s.image!;
        if (s.name === appName) {
          app = await startApp(
            ctx,
            image,
            plan.appSpec,
            o.appEnv,
            { ...hooks, progress: o.progress, configure },
            [s.name, ...o.aliases],
            o.readiness,
          );
          return;
        }
        const builder = new TrackedContainer(image).withEnvironment(serviceEnv(s, o.mockEnv));
        configure(builder);
        if (s.command) builder.withCommand(s.command);
        const isPostgres = plan.postgres?.service === s.name;
        if (isPostgres) builder.withExposedPorts(5432);
        const l = hooks.track(
          await launch(ctx, s.name, image, builder, {
            oneShot: plan.oneShots.has(s.name),
            waitedBy: plan.services
              .filter((o) =>
                o.dependsOn.some(
                  (d) => d.service === s.name && d.condition === 'service_completed_successfully',
                ),
              )
              .map((o) => o.name),
          }),
        );
        if (isPostgres)
          pgUrl = databaseUrl(plan.postgres!.login, '127.0.0.1', l.container.getMappedPort(5432));
        o.ready(l);
      }),
    );
  }
  const pg = plan.postgres;
  return {
    ...app!,
    ...(pgUrl ? { databaseUrl: pgUrl } : {}),
    ...(pg ? { containerDatabaseUrl: databaseUrl(pg.login, pg.service, 5432) } : {}),
  };
}

/** A service's own env, with each mock's URL in the variables it sets (the mock answers instead). */
function serviceEnv(s: ComposeService, mockEnv: Record<string, string>): Record<string, string> {
  const env = { ...s.env };
  for (const [k, v] of Object.entries(mockEnv)) if (k in env) env[k] = v;
  return env;
}

function configureService(
  b: TrackedContainer,
  s: ComposeService,
  binds: { source: string; target: string; mode: 'ro' | 'rw' }[],
  awaited: boolean,
): void {
  if (s.entrypoint) b.withEntrypoint(s.entrypoint);
  const hc = s.healthcheck;
  if (awaited && hc && !hc.disabled && hc.test && (hc.test[0] === 'CMD' || hc.test[0] === 'CMD-SHELL'))
    b.withHealthCheck({
      test: hc.test as ['CMD', ...string[]],
      interval: hc.intervalMs,
      timeout: hc.timeoutMs,
      retries: hc.retries,
      startPeriod: hc.startPeriodMs,
    });
  if (binds.length > 0) b.withBindMounts(binds);
}

/** Every volume a service mounts: a bind mount as written, a named or anonymous one as a new volume of this run. */
async function freshVolumes(
  ctx: LaunchContext,
  plan: ComposePlan,
): Promise<Map<string, { source: string; target: string; mode: 'ro' | 'rw' }[]>> {
  const out = new Map<string, { source: string; target: string; mode: 'ro' | 'rw' }[]>();
  const made = new Map<string, string>();
  const prefix = `smokestack-${ctx.runId.replace(/[^a-zA-Z0-9_.-]/g, '-')}`;
  for (const s of plan.services) {
    const binds = [];
    for (const [i, m] of s.volumes.entries()) {
      const mode = m.readOnly ? ('ro' as const) : ('rw' as const);
      if (m.kind === 'bind') {
        binds.push({ source: m.source, target: m.target, mode });
        continue;
      }
      const key = m.name ?? `${s.name}-${i}`;
      let name = made.get(key);
      if (!name) {
        name = `${prefix}-${key}`;
        await ctx.docker.createVolume({ Name: name, Labels: runLabels(ctx.runId) });
        const created = name;
        // Registered before the containers that mount it, so removed after them.
        ctx.started.add(`volume ${key}`, async () => {
          await ctx.docker.getVolume(created).remove();
        });
        made.set(key, name);
      }
      binds.push({ source: name, target: m.target, mode });
    }
    out.set(s.name, binds);
  }
  return out;
}

/** service_healthy: Docker's health status of the container, which runs the compose healthcheck. */
async function untilHealthy(
  ctx: LaunchContext,
  dep: Launched,
  service: ComposeService,
  dependent: string,
  abort: Promise<never>,
): Promise<void> {
  const hc = service.healthcheck && !service.healthcheck.disabled ? service.healthcheck : undefined;
  // Docker declares it unhealthy after `retries` failures past the start period; this is the backstop.
  const deadline =
    Date.now() + (hc ? hc.startPeriodMs + (hc.intervalMs + hc.timeoutMs) * (hc.retries + 1) : 0) + 60_000;
  let stop = false;
  const loop = async () => {
    while (!stop) {
      const { State } = await ctx.docker.getContainer(dep.id).inspect();
      const health = State.Health;
      if (!health)
        throw new InfraError(
          'NOT_READY',
          `${dependent} waits for ${dep.name} to be healthy (service_healthy), but ${dep.name} (${dep.image}) has no healthcheck`,
          {
            fix: `give ${dep.name} a healthcheck: in the compose file, or depend on it with condition: service_started`,
          },
        );
      if (health.Status === 'healthy') return;
      if (health.Status === 'unhealthy' || Date.now() > deadline) {
        const checks = (health.Log ?? [])
          .slice(-3)
          .map((l) => `healthcheck exit ${l.ExitCode}: ${l.Output.trim()}`);
        throw new InfraError(
          'NOT_READY',
          `${dep.name} (${dep.image}) never became healthy: ${dependent} waits for it (service_healthy)`,
          {
            details: [...checks, ...(await lastLogLines(ctx.docker, dep.id, 15))],
            fix: `its healthcheck output and last log lines are shown; check the healthcheck: of ${dep.name} and what it needs`,
          },
        );
      }
      await pause(250);
    }
  };
  try {
    await Promise.race([loop(), abort]);
  } finally {
    stop = true;
  }
}

/** service_completed_successfully: the one-shot exited with code 0. */
async function untilCompleted(
  ctx: LaunchContext,
  dep: Launched,
  dependent: string,
  abort: Promise<never>,
): Promise<void> {
  const { StatusCode } = (await Promise.race([ctx.docker.getContainer(dep.id).wait(), abort])) as {
    StatusCode: number;
  };
  if (StatusCode === 0) return;
  throw oneShotFailed(
    dep.name,
    dep.image,
    StatusCode,
    [dependent],
    await lastLogLines(ctx.docker, dep.id, 20),
  );
}

/** Builds each image that has a build: and is not here yet, as `docker compose build` would. */
export async function buildMissing(
  client: ContainerRuntimeClient,
  plan: ComposePlan,
  progress: (message: string) => void,
): Promise<void> {
  for (const [image, { service, build }] of plan.builds) {
    if (await client.image.exists(ImageName.fromString(image))) continue;
    progress(`building ${image} for service ${service} (context ${build.context}, ${build.dockerfile})`);
    const t0 = Date.now();
    try {
      let builder = GenericContainer.fromDockerfile(build.context, build.dockerfile).withBuildArgs(
        build.args,
      );
      if (build.target) builder = builder.withTarget(build.target);
      await builder.build(image, { deleteOnExit: false });
    } catch (error) {
      throw new InfraError(
        'IMAGE_MISSING',
        `building ${image} for service ${service} failed: ${String((error as Error).message ?? error).split('\n')[0]}`,
        {
          fix: `run \`docker build -t ${image} -f ${build.dockerfile} ${build.context}\` to see the whole build output`,
          cause: error,
        },
      );
    }
    progress(`built ${image} in ${Math.round((Date.now() - t0) / 1000)} s`);
  }
}
