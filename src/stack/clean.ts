// Removes what a run left behind — containers first (a network with members cannot go), then
// networks — found by the label every started thing carries: `smokestack.run=<runId>`.
// Used by `smokestack clean` for any run, and by a run's own teardown as its last sweep.
import createDebug from 'debug';
import { getContainerRuntimeClient } from 'testcontainers';

const debug = createDebug('smokestack:stack');

export const RUN_LABEL = 'smokestack.run';

export async function cleanLeftovers(runId?: string): Promise<{ containers: number; networks: number }> {
  const docker = (await getContainerRuntimeClient()).container.dockerode;
  const filters = JSON.stringify({ label: [runId === undefined ? RUN_LABEL : `${RUN_LABEL}=${runId}`] });
  let containers = 0;
  let networks = 0;
  const found = await docker.listContainers({ all: true, filters });
  await Promise.all(
    found.map(async (c) => {
      try {
        await docker.getContainer(c.Id).remove({ force: true, v: true });
        containers += 1;
      } catch (error) {
        if (!isGone(error)) throw error;
      }
    }),
  );
  for (const n of await docker.listNetworks({ filters })) {
    try {
      await docker.getNetwork(n.Id).remove();
      networks += 1;
    } catch (error) {
      if (!isGone(error)) throw error;
    }
  }
  debug('clean %s: %d container(s), %d network(s)', runId ?? 'all runs', containers, networks);
  return { containers, networks };
}

/** Already removed (by a parallel stop, or `--rm`): not a failure of cleaning. */
export function isGone(error: unknown): boolean {
  const status = (error as { statusCode?: number } | null)?.statusCode;
  const message = error instanceof Error ? error.message : '';
  return status === 404 || /no such|not found|already in progress|is already/i.test(message);
}
