// Is a container engine there? Testcontainers' own probe throws at once when no socket answers
// but waits forever on a daemon that accepts and never replies, so it is raced against a timeout.
// And is it the engine the user named? With DOCKER_HOST set and dead, Testcontainers silently falls
// back to /var/run/docker.sock and the run goes to another engine; that is refused (exit 3), naming
// DOCKER_HOST. DOCKER_HOST is read here (the documented exception): it is the user's choice of engine.
//
// The CLI edge sets, before the first container starts (Testcontainers reads them once):
//   TESTCONTAINERS_RYUK_DISABLED=true  — our teardown and `smokestack clean` replace the reaper,
//                                        whose image may not be pullable;
//   TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 — for a local engine; otherwise host detection pulls
//                                        alpine:3.14 once per process.
import createDebug from 'debug';
import { type ContainerRuntimeClient, getContainerRuntimeClient } from 'testcontainers';
import { InfraError, InterruptedError } from '../errors.js';
import { formatDurationSpec } from '../units/index.js';

const debug = createDebug('smokestack:stack');

const FIX = 'start Docker, or run `npm run engine` on Debian as root';

/** Resolves with the runtime client when an engine answers within `timeoutMs`, else InfraError NO_ENGINE. */
export async function checkEngine(
  timeoutMs = 10_000,
  dockerHost: string | undefined = process.env.DOCKER_HOST,
  /** Ctrl-C while a hung engine is asked ends the wait at once (InterruptedError), not at the timeout. */
  signal?: AbortSignal,
): Promise<ContainerRuntimeClient> {
  const named = dockerHost ? `DOCKER_HOST=${dockerHost}` : undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new InfraError(
            'NO_ENGINE',
            `${named ? `${named}: ` : ''}no container engine answered within ${formatDurationSpec(timeoutMs)}`,
            {
              fix: named
                ? 'the engine DOCKER_HOST names accepts connections but does not answer: restart it, or correct or unset DOCKER_HOST'
                : FIX,
            },
          ),
        ),
      timeoutMs,
    );
  });
  let onAbort: (() => void) | undefined;
  const interrupted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new InterruptedError(String(signal?.reason ?? 'SIGINT')));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const client = await Promise.race([getContainerRuntimeClient(), timeout, interrupted]);
    const modem = client.container.dockerode.modem as Endpoint;
    if (dockerHost && !endpointMatches(dockerHost, modem)) {
      throw new InfraError(
        'NO_ENGINE',
        `${named}: no container engine answers there (Testcontainers fell back to ${describeEndpoint(modem)}; smokestack does not)`,
        {
          fix: 'start the engine DOCKER_HOST names, correct DOCKER_HOST, or unset it to use the default socket',
        },
      );
    }
    debug('engine: %s %s', client.info.containerRuntime.host, client.info.containerRuntime.serverVersion);
    return client;
  } catch (error) {
    if (error instanceof InfraError || error instanceof InterruptedError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new InfraError(
      'NO_ENGINE',
      named ? `${named}: no container engine answers (${reason})` : `no container engine: ${reason}`,
      {
        fix: named
          ? 'start the engine DOCKER_HOST names, correct DOCKER_HOST, or unset it to use the default socket'
          : FIX,
        cause: error,
      },
    );
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/** What dockerode connects to. */
export interface Endpoint {
  socketPath?: string;
  host?: string;
  port?: number | string;
}

/**
 * Pure: does the client's endpoint come from DOCKER_HOST? Read the way Testcontainers reads it
 * (`new URL`: a host name gives host and port, none gives the socket path).
 */
export function endpointMatches(dockerHost: string, endpoint: Endpoint): boolean {
  let url: URL;
  try {
    url = new URL(dockerHost);
  } catch {
    return true; // not a URL Testcontainers can use either: its own error will say so
  }
  if (url.hostname !== '') return endpoint.host === url.hostname && String(endpoint.port ?? '') === url.port;
  return endpoint.socketPath === url.pathname;
}

function describeEndpoint(endpoint: Endpoint): string {
  return endpoint.socketPath ?? `${endpoint.host}:${endpoint.port}`;
}
