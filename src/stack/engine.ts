// Is a container engine there? Testcontainers' own probe throws at once when no socket answers
// but waits forever on a daemon that accepts and never replies, so it is raced against a timeout.
//
// The CLI edge sets, before the first container starts (Testcontainers reads them once):
//   TESTCONTAINERS_RYUK_DISABLED=true  — our teardown and `smokestack clean` replace the reaper,
//                                        whose image may not be pullable;
//   TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 — for a local engine; otherwise host detection pulls
//                                        alpine:3.14 once per process.
import createDebug from 'debug';
import { type ContainerRuntimeClient, getContainerRuntimeClient } from 'testcontainers';
import { InfraError } from '../errors.js';

const debug = createDebug('smokestack:stack');

const FIX = 'start Docker, or run `npm run engine` on Debian as root';

/** Resolves with the runtime client when an engine answers within `timeoutMs`, else InfraError NO_ENGINE. */
export async function checkEngine(timeoutMs = 10_000): Promise<ContainerRuntimeClient> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new InfraError('NO_ENGINE', `no container engine answered within ${timeoutMs / 1000}s`, {
            fix: FIX,
          }),
        ),
      timeoutMs,
    );
  });
  try {
    const client = await Promise.race([getContainerRuntimeClient(), timeout]);
    debug('engine: %s %s', client.info.containerRuntime.host, client.info.containerRuntime.serverVersion);
    return client;
  } catch (error) {
    if (error instanceof InfraError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new InfraError('NO_ENGINE', `no container engine: ${reason}`, { fix: FIX, cause: error });
  } finally {
    clearTimeout(timer);
  }
}
