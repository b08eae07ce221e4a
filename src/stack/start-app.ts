// The app container: started with its port mapped to loopback, then its setup command (e.g.
// migrations), then its HTTP readiness. In that order: a readiness path that needs the tables
// (`relation ... does not exist`) would otherwise answer 500 while migrations run, and the server
// log every such answer as an error. `ready.within` counts from the end of setup (from the
// container's start when there is none), so a long migration does not eat the boot's deadline.
import { InfraError } from '../errors.js';
import type { AppSpec } from '../scenario/types.js';
import { formatDurationSpec } from '../units/index.js';
import { execStreaming, TrackedContainer } from './docker-ops.js';
import { type LaunchContext, launch, type StartHooks } from './launch.js';
import { Wait, type WaitStrategy, waitUntilReady } from './wait.js';

/** A hung migration must not hang CI forever. */
export const SETUP_DEADLINE_MS = 10 * 60_000;

export interface StartedApp {
  baseUrl: string;
  readyAt: number;
  setup?: { command: string[]; exitCode: number; durationMs: number };
}

export async function startApp(
  ctx: LaunchContext,
  image: string,
  spec: AppSpec,
  env: Record<string, string>,
  /** configure: what a compose service adds to the container (entrypoint, volumes, healthcheck). */
  hooks: StartHooks & { progress: (m: string) => void; configure?: (b: TrackedContainer) => void },
  aliases: string[] = [],
  /** Instead of GET ready.path 2xx: `smokestack init` waits for the port, then tries paths itself. */
  readiness?: WaitStrategy,
): Promise<StartedApp> {
  const strategy = readiness ?? Wait.forHttp(spec.ready.path, spec.port);
  const waitedFor = readiness?.what ?? `2xx to GET ${spec.ready.path}`;
  const builder = new TrackedContainer(image).withEnvironment(env).withExposedPorts(spec.port);
  // The names a proxy in front calls the app by, beside `app`.
  if (aliases.length > 0) builder.withNetworkAliases(...aliases);
  if (spec.command) builder.withCommand(spec.command);
  hooks.configure?.(builder);
  const app = hooks.track(await launch(ctx, 'app', image, builder));
  const port = app.container.getMappedPort(spec.port);
  const baseUrl = `http://127.0.0.1:${port}`;

  const runSetup = async (command: string[]) => {
    hooks.progress(`setup: ${command.join(' ')}`);
    const t0 = Date.now();
    const output: string[] = [];
    const exitCode = await withDeadline(
      execStreaming(ctx.docker, app.id, command, 'setup', (line) => {
        output.push(line.line);
        ctx.logs.push(line);
        ctx.onLog?.(line);
      }),
      SETUP_DEADLINE_MS,
      () =>
        new InfraError(
          'SETUP_FAILED',
          `setup \`${command.join(' ')}\` still running after ${SETUP_DEADLINE_MS / 60_000} min`,
          {
            details: output.slice(-20),
            fix: 'run it by hand in the app container (`smokestack up`, then `docker exec`) to see where it hangs',
          },
        ),
    );
    if (exitCode !== 0) {
      throw new InfraError(
        'SETUP_FAILED',
        `setup \`${command.join(' ')}\` exited with code ${exitCode} in the app container`,
        {
          details: output.slice(-20),
          fix: 'its last output lines are shown; fix the command (stack.app.setup) or what it needs (database, env)',
        },
      );
    }
    return { command, exitCode, durationMs: Date.now() - t0 };
  };

  const setup = spec.setup ? await Promise.race([runSetup(spec.setup), hooks.anyDied()]) : undefined;
  await waitUntilReady({ ...app, docker: ctx.docker, logs: () => ctx.logs.lines('app') }, strategy, {
    deadline: (setup ? Date.now() : app.requestedAt) + spec.ready.withinMs,
    onTimeout: (_what, last) =>
      new InfraError(
        'NOT_READY',
        `app (${image}) did not answer ${waitedFor} within ${formatDurationSpec(spec.ready.withinMs)}${setup ? ' after its setup' : ''}${last ? ` (last answer: ${last})` : ''}`,
        {
          details: ctx.logs.tail('app', 20),
          fix: `its last log lines are shown; check stack.app.port (${spec.port}: the port the server listens on) and stack.app.ready.path, or raise ready.within if it is only slow`,
        },
      ),
    abort: hooks.anyDied(),
  });
  return { baseUrl, readyAt: Date.now(), setup };
}

function withDeadline<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}
