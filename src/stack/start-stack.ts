// Starts a scenario's stack as production runs it: a network; Postgres and the other services
// (in parallel); then the app image and the services built on it (in parallel), the app's setup
// command, then its HTTP readiness (./start-app.ts). Every container is labelled smokestack.run=<runId>, registered
// with the run's Teardown the moment it exists, and a failed or interrupted start removes what it
// started before it throws. Reads SMOKESTACK_POSTGRES_IMAGE (the one documented env exception).
//
// Env of the app (and of `image: app` services, which also get the app's env): the Postgres
// variables, then the scenario's env (it may override them), then each mock's URL in its variable.
// Other services get only their own env.
//
// With stack.compose the team's compose file is the stack: planned by ./compose-plan.ts before
// anything starts, its services started in phase 2 by ./start-compose.ts (the app among them).

import { access } from 'node:fs/promises';
import path from 'node:path';
import createDebug from 'debug';
import { formatUnsupported } from '../compose/index.js';
import { InfraError, InterruptedError, isSmokestackError, UsageError } from '../errors.js';
import type { ChainLayer, ServerConfig } from '../result/types.js';
import type { Scenario } from '../scenario/types.js';
import { detectAppServer } from '../server/from-image.js';
import type { ImageReader } from '../server/image-reader.js';
import { detectProxyLayer, readProxy } from '../server/proxy-from-image.js';
import type { Teardown } from '../util/teardown.js';
import { cleanLeftovers } from './clean.js';
import { type ComposePlan, planCompose } from './compose-plan.js';
import { checkEngine } from './engine.js';
import { ensureImages, imageReader } from './images.js';
import type { LaunchContext, Launched, StartHooks } from './launch.js';
import { LogBook, type LogLine } from './logs.js';
import { createRunNetwork } from './network.js';
import { runLabels } from './run-owner.js';
import { startApp } from './start-app.js';
import { buildMissing, startComposeServices } from './start-compose.js';
import { postgresWiring, startPostgres } from './start-postgres.js';
import { PROXY_NAME, startProxy } from './start-proxy.js';
import { startService } from './start-service.js';
import { Started } from './started.js';
import type { WaitStrategy } from './wait.js';

export type { LogLine } from './logs.js';

const debug = createDebug('smokestack:stack');

export const DEFAULT_POSTGRES_IMAGE = 'postgres:16-alpine';

export interface StartStackOptions {
  runId: string;
  /** --image: the app image under test, over the scenario's. */
  image?: string;
  /** Container-reachable mock URLs (http://host.docker.internal:PORT) and the env variable each goes in. */
  mockUrls: { env: string; url: string }[];
  /** --server-timeout or the scenario's server.timeout, over what the image says. */
  serverTimeout?: { ms: number; source: 'flag' | 'scenario' };
  onLog?: (line: LogLine) => void;
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
  teardown: Teardown;
  /** The app's readiness instead of GET stack.app.ready.path 2xx (`smokestack init` probes paths itself). */
  appReadiness?: WaitStrategy;
}

export interface Stack {
  /** The app from the host: http://127.0.0.1:MAPPED. */
  baseUrl: string;
  /** Postgres from the host, for database checks. */
  databaseUrl?: string;
  /** Postgres as the containers reach it (postgres:5432). */
  containerDatabaseUrl?: string;
  server: ServerConfig;
  /** The proxy in front (stack.proxy) as a layer of the timeout chain. */
  proxy?: ChainLayer;
  /** gunicorn format of the app's access lines with request time (container `app`), if any. */
  accessLogFormat?: string;
  /** Per container: ms from its start request to ready. */
  containers: { name: string; image: string; startMs: number }[];
  /** The setup command's outcome (its output is in logs() as source `setup`). */
  setup?: { command: string[]; exitCode: number; durationMs: number };
  /**
   * Rejects with CONTAINER_DIED (its name, exit code and last log lines) when a container exits
   * during the run; one-shot services exiting with 0 do not count. Never settles otherwise.
   */
  died: Promise<never>;
  /** The last lines of every container (bounded per container), in arrival order. */
  logs(): LogLine[];
  stop(): Promise<void>;
  /** `await using stack = await startStack(...)`: stop() when the scope ends, as Testcontainers' handles do. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * When the app image runs nginx and passes to a service of the stack, that service's server is
 * the one whose worker timeout counts; undefined when the app is no nginx in front of a service.
 */
async function frontOfService(
  reader: ImageReader,
  appImage: string,
  port: number,
  services: (Scenario['stack']['services'][number] & { ofApp: boolean })[],
  app: NonNullable<Scenario['stack']['app']>,
  opts: StartStackOptions,
): Promise<{ proxy: ChainLayer; server: ServerConfig } | undefined> {
  const read = await readProxy({
    image: appImage,
    port,
    appNames: services.map((s) => s.name),
    files: [],
    container: 'app',
    reader,
  });
  const next = services.find((s) => read.upstreamHosts.includes(s.name));
  if (read.layer.kind !== 'nginx' || !next) return undefined;
  const nextImage = next.ofApp ? appImage : next.image;
  const env = next.ofApp ? { ...app.env, ...next.env } : next.env;
  const behind = await detectAppServer(reader, nextImage, { env, command: next.command }, opts.serverTimeout);
  behind.server.detectedFrom?.unshift(`service ${next.name} (behind the app's nginx)`);
  return { proxy: read.layer, server: behind.server };
}

/** The scenario's files for the proxy, resolved next to the scenario; a missing one is a usage error. */
async function localFiles(
  scenarioFile: string,
  files: { path: string; from: string }[],
): Promise<{ path: string; from: string }[]> {
  return Promise.all(
    files.map(async (f) => {
      const from = path.resolve(path.dirname(scenarioFile), f.from);
      await access(from).catch(() => {
        throw new UsageError(`${scenarioFile} stack.proxy.files.${f.path}: ${f.from} not found`, {
          fix: 'give a file path relative to the scenario file',
        });
      });
      return { path: f.path, from };
    }),
  );
}

export async function startStack(scenario: Scenario, opts: StartStackOptions): Promise<Stack> {
  // stack.compose: the team's compose file is the stack (./compose-plan.ts, ./start-compose.ts).
  const compose = scenario.stack.compose
    ? planCompose(scenario, scenario.stack.compose, {
        image: opts.image,
        postgresImage: process.env.SMOKESTACK_POSTGRES_IMAGE,
        env: process.env,
      })
    : undefined;
  const appSpec = compose ? compose.appSpec : scenario.stack.app;
  if (!appSpec) {
    throw new UsageError(`${scenario.file}: stack.app is missing`, {
      fix: 'describe the app under stack.app',
    });
  }
  const image = compose ? compose.appSpec.image : (opts.image ?? appSpec.image);
  if (!image) {
    throw new UsageError(`${scenario.file} stack.app.image: no image to start`, {
      fix: 'set stack.app.image or pass --image REF',
    });
  }
  const proxySpec = scenario.stack.proxy;
  const proxyFiles = proxySpec ? await localFiles(scenario.file, proxySpec.files) : [];
  if (proxySpec && scenario.stack.services.some((s) => s.name === PROXY_NAME)) {
    throw new UsageError(`${scenario.file} stack.services.proxy: the name proxy is taken by stack.proxy`, {
      fix: 'call the service another name',
    });
  }
  const progress = (message: string) => opts.onProgress?.(message);
  const started = new Started(opts.teardown);
  const logs = new LogBook();
  const cancel = new AbortController();
  const onAbort = () => cancel.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) onAbort();
  const cancelled = new Promise<never>((_, reject) => {
    const fail = () => reject(new InterruptedError(String(opts.signal?.reason ?? 'SIGINT')));
    if (cancel.signal.aborted) fail();
    cancel.signal.addEventListener('abort', fail, { once: true });
  });
  cancelled.catch(() => {});
  const race = <T>(p: Promise<T>): Promise<T> => {
    p.catch(() => {});
    return Promise.race([p, cancelled]);
  };
  const launched: Launched[] = [];
  try {
    const client = await race(checkEngine(undefined, undefined, opts.signal));
    // Registered first, so stopped last: whatever escaped the handles, found by its label. Only
    // once the engine answered: against a hung daemon the sweep itself would hang.
    started.add('containers and networks of the run', async () => {
      await cleanLeftovers(opts.runId);
    });
    const docker = client.container.dockerode;
    const pg = scenario.stack.postgres;
    const pgImage = pg
      ? (pg.image ?? process.env.SMOKESTACK_POSTGRES_IMAGE ?? DEFAULT_POSTGRES_IMAGE)
      : undefined;
    const services = scenario.stack.services.map((s) => ({ ...s, ofApp: s.image === 'app' }));
    if (compose) {
      const unused = formatUnsupported(compose.project, compose.shown);
      for (const w of [...(unused ? [unused] : []), ...compose.project.warnings]) progress(`warning: ${w}`);
      const replaced = compose.postgres?.replaced;
      if (replaced)
        progress(
          `service ${compose.postgres!.service}: ${replaced.by} instead of ${replaced.from} (SMOKESTACK_POSTGRES_IMAGE)`,
        );
      await race(buildMissing(client, compose, progress));
    }
    const images = [
      image,
      ...(compose?.services.map((s) => s.image!) ?? []),
      ...(pgImage ? [pgImage] : []),
      ...services.filter((s) => !s.ofApp).map((s) => s.image),
      ...(proxySpec ? [proxySpec.image] : []),
    ];
    progress(`checking images: ${[...new Set(images)].join(', ')}`);
    // The default Postgres image (not one the scenario names) is what SMOKESTACK_POSTGRES_IMAGE replaces.
    const composePg = compose?.postgres && !compose.postgres.replaced ? compose.postgres.service : undefined;
    const defaultPg = pg && !pg.image ? pgImage : compose?.services.find((s) => s.name === composePg)?.image;
    await race(ensureImages(client, images, defaultPg));
    const reader = imageReader(client, runLabels(opts.runId));
    const server = detectAppServer(reader, image, appSpec, opts.serverTimeout);
    server.catch(() => {});
    const proxyLayer = proxySpec
      ? detectProxyLayer({
          image: proxySpec.image,
          port: proxySpec.port,
          appNames: ['app', ...proxySpec.aliases],
          files: proxyFiles,
          container: PROXY_NAME,
          reader,
        })
      : undefined;
    proxyLayer?.catch(() => {});

    const network = await race(createRunNetwork(client, opts.runId));
    started.add('network', () => network.stop().then(() => {}));
    const ctx: LaunchContext = {
      docker,
      runId: opts.runId,
      network,
      started,
      logs,
      onLog: opts.onLog,
      cancelled,
      during: { stage: 'start' },
    };
    // Any container exiting before the stack is ready fails every wait at once.
    let anyDied: Promise<never> = cancelled;
    const track = (l: Launched) => {
      launched.push(l);
      anyDied = Promise.race([anyDied, l.died]);
      anyDied.catch(() => {});
      return l;
    };
    const readyAt = new Map<string, number>();
    const ready = (l: Launched) => readyAt.set(l.name, Date.now());

    const wiring = pg ? postgresWiring(pg) : undefined;
    const mockEnv = Object.fromEntries(opts.mockUrls.map((m) => [m.env, m.url]));
    const appEnv = { ...wiring?.env, ...appSpec.env, ...mockEnv };
    const hooks: StartHooks = { track, anyDied: () => anyDied };

    // Phase 1: what the app needs, in parallel.
    const phase1 = services.filter((s) => !s.ofApp);
    const phase1Names = [...(pg ? ['postgres'] : []), ...phase1.map((s) => s.name)];
    if (!compose || phase1Names.length > 0) progress(`starting ${phase1Names.join(', ') || 'no services'}`);
    let databaseUrl: string | undefined;
    let containerDatabaseUrl = wiring?.containerDatabaseUrl;
    await race(
      Promise.all([
        pg &&
          startPostgres(ctx, client, pg, pgImage!, hooks).then((p) => {
            databaseUrl = p.databaseUrl;
            ready(p.launched);
          }),
        ...phase1.map((s) => startService(ctx, s, s.image, s.env, hooks).then(ready)),
      ]),
    );

    // Phase 2: the app and the services built from its image, in parallel.
    const phase2 = services.filter((s) => s.ofApp);
    if (!compose) progress(`starting app (${image})${phase2.map((s) => `, ${s.name}`).join('')}`);
    let baseUrl = '';
    let setup: Stack['setup'];
    // stack.compose: the file's services in their waves, the app service among them.
    const startComposeStack = async (plan: ComposePlan) => {
      const injected = (await race(server)).env;
      const started = await startComposeServices(ctx, plan, {
        hooks,
        progress,
        appEnv: { ...appEnv, ...injected },
        mockEnv,
        aliases: proxySpec?.aliases ?? [],
        readiness: opts.appReadiness,
        ready,
      });
      baseUrl = started.baseUrl;
      setup = started.setup;
      readyAt.set('app', started.readyAt);
      databaseUrl ??= started.databaseUrl;
      containerDatabaseUrl ??= started.containerDatabaseUrl;
    };
    await race(
      Promise.all([
        (async () => {
          if (compose) return startComposeStack(compose);
          // The access log the harness turns on goes to the app only (./access-log-injection.ts).
          const injected = (await race(server)).env;
          const app = await startApp(
            ctx,
            image,
            appSpec,
            { ...appEnv, ...injected },
            { ...hooks, progress },
            proxySpec?.aliases,
            opts.appReadiness,
          );
          baseUrl = app.baseUrl;
          setup = app.setup;
          readyAt.set('app', app.readyAt);
        })(),
        ...phase2.map((s) => startService(ctx, s, image, { ...appEnv, ...s.env }, hooks).then(ready)),
      ]),
    );
    // Phase 3: the proxy in front, once what it passes to answers; traffic goes to it.
    let appUrl = baseUrl;
    if (proxySpec) {
      progress(`starting proxy (${proxySpec.image})`);
      const proxy = await race(startProxy(ctx, proxySpec, proxyFiles, hooks));
      ready(proxy.launched);
      appUrl = proxy.baseUrl;
    }
    let { server: serverConfig, accessLogFormat } = await race(server);
    let proxy = proxyLayer ? await race(proxyLayer) : undefined;
    // The app under test is itself an nginx in front of a service of the stack: the chain follows
    // the request to the server that runs it (docs/timeout-chain.md).
    if (!proxy && serverConfig.kind === 'unknown' && services.length > 0) {
      const inFront = await race(frontOfService(reader, image, appSpec.port, services, appSpec, opts));
      if (inFront) {
        proxy = inFront.proxy;
        serverConfig = inFront.server;
        accessLogFormat = undefined;
      }
    }
    // The watches stay on for the run: a container that dies mid-run is an infrastructure error.
    ctx.during.stage = 'run';
    const died = Promise.race(launched.map((l) => l.died));
    died.catch(() => {});
    opts.signal?.removeEventListener('abort', onAbort);
    // One step that stops all containers together, before the run's teardown reaches them one by one.
    const unregister = opts.teardown.add('stack', () => started.stopAll());
    debug('stack ready: %s', baseUrl);
    const stop = async () => {
      await started.stopAll();
      unregister();
    };
    return {
      baseUrl: appUrl,
      databaseUrl,
      containerDatabaseUrl,
      server: serverConfig,
      ...(proxy ? { proxy } : {}),
      ...(accessLogFormat ? { accessLogFormat } : {}),
      containers: launched.map((l) => ({
        name: l.name,
        image: l.image,
        startMs: (readyAt.get(l.name) ?? Date.now()) - l.requestedAt,
      })),
      setup,
      died,
      logs: () => logs.all(),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    cancel.abort('failed');
    for (const l of launched) l.stopWatching();
    opts.signal?.removeEventListener('abort', onAbort);
    progress('start failed: removing what was started');
    await started.stopAll();
    if (opts.signal?.aborted) throw new InterruptedError(String(opts.signal.reason ?? 'SIGINT'));
    if (isSmokestackError(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new InfraError('INFRA', `starting the stack failed: ${reason}`, {
      fix: 'run again with --debug (or DEBUG=smokestack:*,testcontainers*) to see the Docker calls',
      cause: error,
    });
  }
}
