// Starts one container of the stack: on the run's network under its alias, labelled with the
// run id, able to reach host-side mocks through host.docker.internal, its output followed from
// the first line (and with its owner process, for `clean`), registered for teardown the moment
// Docker creates it. Resolves once it runs; `died` rejects with CONTAINER_DIED when it exits — while the stack starts or during the run —
// unless it is a one-shot service that exits with code 0.
import createDebug from 'debug';
import type { StartedNetwork, StartedTestContainer } from 'testcontainers';
import { InfraError } from '../errors.js';
import {
  type Docker,
  type ExitWatch,
  followLogs,
  lastLogLines,
  PAUSED_FOR_MS,
  removeContainer,
  startedOnly,
  type TrackedContainer,
  type TrackedPostgres,
  watchExit,
} from './docker-ops.js';
import type { LogBook, LogLine } from './logs.js';
import { RUN_LABEL, runLabels } from './run-owner.js';
import type { Started } from './started.js';

const debug = createDebug('smokestack:stack');

export const CONTAINER_LABEL = 'smokestack.container';

export interface LaunchContext {
  docker: Docker;
  runId: string;
  network: StartedNetwork;
  started: Started;
  logs: LogBook;
  onLog?: (line: LogLine) => void;
  /** Rejects when the start is given up (Ctrl-C, or another container failed). */
  cancelled: Promise<never>;
  /** Set to 'run' once the stack is ready: a death is then reported as during the run. */
  during: { stage: 'start' | 'run' };
}

export interface Launched {
  name: string;
  image: string;
  id: string;
  container: StartedTestContainer;
  /** Epoch ms the start was requested (startMs in the result counts from here to ready). */
  requestedAt: number;
  /** Rejects with CONTAINER_DIED when the container stops before stopWatching(). */
  died: Promise<never>;
  stopWatching(): void;
}

/** What the stack gives each starter: record a started container, and the wait-breaker of the moment. */
export interface StartHooks {
  track: (l: Launched) => Launched;
  /** Rejects when any container started so far exits, or the start is given up. */
  anyDied: () => Promise<never>;
}

export async function launch(
  ctx: LaunchContext,
  name: string,
  image: string,
  builder: TrackedContainer | TrackedPostgres,
  /** oneShot: a service meant to exit (a migration); waitedBy: who waits for its exit 0. */
  options: { oneShot?: boolean; waitedBy?: string[] } = {},
): Promise<Launched> {
  const requestedAt = Date.now();
  builder
    .withNetwork(ctx.network)
    .withNetworkAliases(name)
    .withLabels({ ...runLabels(ctx.runId), [CONTAINER_LABEL]: name })
    .withExtraHosts([{ host: 'host.docker.internal', ipAddress: 'host-gateway' }])
    .withWaitStrategy(startedOnly);

  let watch: ExitWatch | undefined;
  let stopFollowing: (() => void) | undefined;
  let onId: (id: string) => void = () => {};
  const created = new Promise<string>((resolve) => {
    onId = resolve;
  });
  builder.onCreated = (id) => {
    if (ctx.started.closed) {
      // The start was given up while Docker was creating this one.
      void removeContainer(ctx.docker, id).catch(() => {});
      return;
    }
    ctx.started.add(
      `container ${name}`,
      async () => {
        watch?.stop();
        stopFollowing?.();
        await removeContainer(ctx.docker, id);
      },
      { parallel: true },
    );
    // Fast while starting (a start waits on it), then once a second for the rest of the run.
    watch = watchExit(ctx.docker, id, () => (ctx.during.stage === 'start' ? 250 : 1_000));
    onId(id);
  };
  const died = created.then(async (id) => {
    const { exitCode, paused } = await watch!.exited;
    // A one-shot service that finished its job: expected, never a death.
    if (options.oneShot && exitCode === 0 && !paused) await new Promise<never>(() => {});
    // A failed one-shot says so in the words of what waits for it, whichever notices first: this
    // watch or the dependent's wait for its completion.
    if (options.oneShot && exitCode !== undefined && !paused && options.waitedBy?.length)
      throw oneShotFailed(name, image, exitCode, options.waitedBy, await lastLogLines(ctx.docker, id, 20));
    throw await diedError(ctx, name, image, id, exitCode, paused);
  });
  died.catch(() => {});

  const starting = builder.start();
  starting.catch(() => {});
  let container: StartedTestContainer;
  try {
    container = await Promise.race([starting, died, ctx.cancelled]);
  } catch (error) {
    watch?.stop();
    if (error instanceof InfraError || ctx.started.closed) throw error;
    throw await startError(ctx, name, image, error);
  }
  const id = container.getId();
  const following = followLogs(ctx.docker, id, name, (line) => {
    ctx.logs.push(line);
    ctx.onLog?.(line);
  });
  following.catch(() => {});
  stopFollowing = await Promise.race([following, ctx.cancelled]);
  debug('%s (%s) running as %s after %d ms', name, image, id.slice(0, 12), Date.now() - requestedAt);
  return { name, image, id, container, requestedAt, died, stopWatching: () => watch?.stop() };
}

/** A one-shot service (service_completed_successfully) that exited with another code than 0. */
export function oneShotFailed(
  name: string,
  image: string,
  exitCode: number,
  waitedBy: string[],
  lines: string[],
): InfraError {
  const who = waitedBy.join(', ');
  return new InfraError(
    'CONTAINER_DIED',
    `one-shot service ${name} (${image}) exited with code ${exitCode}: ${who} ${waitedBy.length > 1 ? 'wait' : 'waits'} for it to complete successfully`,
    {
      details: lines,
      fix: `its last log lines are shown; fix the command of ${name} or what it needs (the services it depends on, its env)`,
    },
  );
}

async function diedError(
  ctx: LaunchContext,
  name: string,
  image: string,
  id: string,
  exitCode: number | undefined,
  paused = false,
): Promise<InfraError> {
  const lines = await lastLogLines(ctx.docker, id, 20);
  const how = paused
    ? `was paused (docker pause) for ${PAUSED_FOR_MS / 1000}s`
    : exitCode === undefined
      ? 'was removed'
      : `exited with code ${exitCode}`;
  const running = ctx.during.stage === 'run';
  return new InfraError(
    'CONTAINER_DIED',
    `container ${name} (${image}) ${how} ${running ? 'during the run' : 'while the stack was starting'}`,
    {
      details: lines.length > 0 ? lines : ctx.logs.tail(name, 20),
      fix: running
        ? `its last log lines are shown; the traffic was stopped and the result kept (status error). Out of memory (code 137) or a crash? If ${name} is meant to exit, mark it oneShot: true`
        : `its last log lines are shown; check its command, environment and the services it needs (\`docker run --rm ${image}\` shows the same)`,
    },
  );
}

/** Docker refused to start it (a bad command, a port in use, ...): say so in Docker's words. */
async function startError(
  ctx: LaunchContext,
  name: string,
  image: string,
  error: unknown,
): Promise<InfraError> {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const id = await ctx.docker
    .listContainers({
      all: true,
      filters: JSON.stringify({ label: [`${RUN_LABEL}=${ctx.runId}`, `${CONTAINER_LABEL}=${name}`] }),
    })
    .then((found) => found[0]?.Id)
    .catch(() => undefined);
  const lines = id ? await lastLogLines(ctx.docker, id, 20) : [];
  return new InfraError('CONTAINER_DIED', `container ${name} (${image}) failed to start: ${reason}`, {
    details: lines,
    fix: 'check its command and image (the Docker error above says what failed)',
    cause: error,
  });
}
