// The few direct Docker calls the stack makes beside Testcontainers' builders, by container id:
// learn the id as soon as a container is created (so a start that fails or is interrupted can
// still be removed), follow and read its logs, watch it for an early exit, remove it.
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import createDebug from 'debug';
import {
  type ContainerRuntimeClient,
  GenericContainer,
  getContainerRuntimeClient,
  type WaitStrategy,
} from 'testcontainers';
import { pause } from '../util/pause.js';
import { isGone } from './clean.js';
import { type LogLine, lastLines, logLineReader } from './logs.js';
import { bindOnly, publishAddress } from './loopback-ports.js';

const debug = createDebug('smokestack:stack');

export type Docker = ContainerRuntimeClient['container']['dockerode'];

/** The bindings on loopback (a local engine) or on the one address a remote engine is reached by. */
async function publishedOnOneAddress(
  bindings: Parameters<typeof bindOnly>[0],
): Promise<ReturnType<typeof bindOnly>> {
  const client = await getContainerRuntimeClient();
  return bindOnly(bindings, await publishAddress(client.info.containerRuntime.host));
}

/**
 * A GenericContainer that reports its id right after `docker create`, before it starts, and
 * publishes its ports on one address only (Testcontainers leaves HostIp empty: every interface).
 */
export class TrackedContainer extends GenericContainer {
  onCreated?: (id: string) => void;
  protected override async beforeContainerCreated(): Promise<void> {
    this.hostConfig.PortBindings = await publishedOnOneAddress(this.hostConfig.PortBindings);
  }
  protected override async containerCreated(id: string): Promise<void> {
    this.onCreated?.(id);
  }
}

/** PostgreSqlContainer (its env, healthcheck and URL helpers) with the same id report and loopback ports. */
export class TrackedPostgres extends PostgreSqlContainer {
  onCreated?: (id: string) => void;
  protected override async beforeContainerCreated(): Promise<void> {
    this.hostConfig.PortBindings = await publishedOnOneAddress(this.hostConfig.PortBindings);
  }
  protected override async containerCreated(id: string): Promise<void> {
    this.onCreated?.(id);
  }
}

/**
 * Returns as soon as the container runs: readiness is checked by the stack itself, where it can
 * see the container exit, honour Ctrl-C and keep its own deadline.
 */
export const startedOnly: WaitStrategy = {
  waitUntilReady: async () => {},
  withStartupTimeout() {
    return this;
  },
  isStartupTimeoutSet: () => false,
  getStartupTimeout: () => 0,
};

/** Follows a container's output from its first line; returns a function that stops following. */
export async function followLogs(
  docker: Docker,
  id: string,
  source: string,
  emit: (line: LogLine) => void,
): Promise<() => void> {
  const stream = (await docker
    .getContainer(id)
    .logs({ follow: true, stdout: true, stderr: true, since: 0 })) as NodeJS.ReadableStream & {
    destroy?: () => void;
    socket?: { unref(): void };
  };
  // Like Testcontainers: following logs alone must not keep the process alive.
  stream.socket?.unref();
  const reader = logLineReader(source, emit);
  stream.on('data', (chunk: Buffer) => reader.push(chunk));
  stream.on('end', () => reader.end());
  stream.on('error', (error) => debug('logs of %s: %s', source, error));
  return () => stream.destroy?.();
}

/** The last `n` lines a container wrote (stdout and stderr), read once. */
export async function lastLogLines(docker: Docker, id: string, n = 30): Promise<string[]> {
  try {
    const raw = (await docker
      .getContainer(id)
      .logs({ follow: false, stdout: true, stderr: true, tail: n * 10 })) as unknown as Buffer;
    const lines: string[] = [];
    const reader = logLineReader('', (l) => lines.push(l.line));
    reader.push(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
    reader.end();
    return lastLines(lines, n);
  } catch (error) {
    debug('reading logs of %s failed: %s', id, error);
    return [];
  }
}

export interface ExitWatch {
  /**
   * Resolves with the exit code when the container stops running (or is removed), or with
   * `paused` when it stays paused (`docker pause`): a frozen container answers nothing, ever, so
   * the run would otherwise wait out every client timeout for a verdict about nothing.
   */
  exited: Promise<{ exitCode: number | undefined; paused?: boolean }>;
  stop(): void;
}

/** Paused this long (two polls during the run): not a blip of `docker pause; docker unpause`. */
export const PAUSED_FOR_MS = 2_000;

/** Polls the container's state (while the stack starts, and during the run); cheap, and immune to missed events. */
export function watchExit(docker: Docker, id: string, intervalMs: number | (() => number) = 250): ExitWatch {
  const every = typeof intervalMs === 'number' ? () => intervalMs : intervalMs;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let pausedSince: number | undefined;
  const exited = new Promise<{ exitCode: number | undefined; paused?: boolean }>((resolve) => {
    const tick = async () => {
      if (stopped) return;
      try {
        const { State } = await docker.getContainer(id).inspect();
        if (!State.Running && State.Status !== 'created' && State.Status !== 'restarting') {
          resolve({ exitCode: State.ExitCode });
          return;
        }
        pausedSince = State.Paused ? (pausedSince ?? Date.now()) : undefined;
        if (pausedSince !== undefined && Date.now() - pausedSince >= PAUSED_FOR_MS) {
          resolve({ exitCode: undefined, paused: true });
          return;
        }
      } catch (error) {
        if (isGone(error)) {
          resolve({ exitCode: undefined });
          return;
        }
      }
      if (!stopped) timer = setTimeout(tick, every());
    };
    void tick();
  });
  return {
    exited,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** Kills and removes a container with its anonymous volumes; already gone is fine. */
export async function removeContainer(docker: Docker, id: string): Promise<void> {
  try {
    await docker.getContainer(id).remove({ force: true, v: true });
  } catch (error) {
    if (!isGone(error)) throw error;
  }
}

/** Runs a command in a running container, streaming its output as lines; resolves with its exit code. */
export async function execStreaming(
  docker: Docker,
  id: string,
  command: string[],
  source: string,
  emit: (line: LogLine) => void,
): Promise<number> {
  const exec = await docker.getContainer(id).exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ Detach: false, Tty: false });
  const reader = logLineReader(source, emit);
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => reader.push(chunk));
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  reader.end();
  // The stream can end a moment before the engine records the exit code.
  for (let tries = 0; ; tries += 1) {
    const info = await exec.inspect();
    if (!info.Running || tries >= 40) return info.ExitCode ?? -1;
    await pause(50);
  }
}
