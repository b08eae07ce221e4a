// Removes what runs left behind — containers first (a network with members cannot go), then
// networks — found by the label every started thing carries: `smokestack.run=<runId>`.
// `cleanLeftovers(runId)` is a run's own last sweep of its own things. `cleanRuns()` is
// `smokestack clean`: it removes only runs whose owner process is gone (see run-owner.ts) and
// spares live ones and those it cannot judge, unless asked for all.
import createDebug from 'debug';
import { getContainerRuntimeClient } from 'testcontainers';
import {
  localProbe,
  type OwnerState,
  ownerFromLabels,
  ownerState,
  type ProcessProbe,
  RUN_LABEL,
  type RunOwner,
} from './run-owner.js';

export { RUN_LABEL } from './run-owner.js';

const debug = createDebug('smokestack:stack');

type Docker = Awaited<ReturnType<typeof getContainerRuntimeClient>>['container']['dockerode'];

/** One run's containers and networks (and volumes, of stack.compose) as the engine lists them. */
export interface RunLeftovers {
  runId: string;
  containers: { id: string; name: string }[];
  networks: { id: string; name: string }[];
  /** A stack.compose run's fresh volumes (named volumes of the compose file). */
  volumes?: { name: string }[];
  owner: RunOwner | undefined;
}

export interface CleanDecision extends RunLeftovers {
  remove: boolean;
  owner: RunOwner | undefined;
  state: OwnerState['state'];
  why: string;
}

export async function cleanLeftovers(runId?: string): Promise<{ containers: number; networks: number }> {
  const docker = (await getContainerRuntimeClient()).container.dockerode;
  const runs = await findRuns(docker, runId === undefined ? undefined : [runId]);
  return removeRuns(docker, runs);
}

/** Pure: which runs go. A run goes when its owner is gone; with `all`, every run goes. */
export function planClean(
  runs: RunLeftovers[],
  probe: ProcessProbe,
  options: { all?: boolean } = {},
): CleanDecision[] {
  return runs.map((run) => {
    const judged = ownerState(run.owner, probe);
    return {
      ...run,
      state: judged.state,
      why: judged.why,
      remove: options.all === true || judged.state === 'gone',
    };
  });
}

export interface CleanOptions {
  /** Remove live runs too (`clean --all`). */
  all?: boolean;
  /** Only these runs (tests scope themselves to their own ids). */
  runIds?: string[];
  probe?: ProcessProbe;
  /** Asked with the plan before anything is removed; false removes nothing. */
  confirm?: (plan: CleanDecision[]) => Promise<boolean>;
}

/** `smokestack clean`: removes the runs that are gone (or all), and says which it spared and why. */
export async function cleanRuns(
  options: CleanOptions = {},
): Promise<{ removed: CleanDecision[]; spared: CleanDecision[] }> {
  const docker = (await getContainerRuntimeClient()).container.dockerode;
  const plan = planClean(await findRuns(docker, options.runIds), options.probe ?? localProbe(), options);
  const removed = plan.filter((d) => d.remove);
  if (removed.length > 0 && options.confirm && !(await options.confirm(plan))) {
    return { removed: [], spared: plan };
  }
  await removeRuns(docker, removed);
  return { removed, spared: plan.filter((d) => !d.remove) };
}

/** Every run that has a container or network on the engine, grouped by run id. */
export async function findRuns(docker: Docker, runIds?: string[]): Promise<RunLeftovers[]> {
  const filters = JSON.stringify({ label: [RUN_LABEL] });
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }).then((v) => v.Volumes ?? []),
  ]);
  const runs = new Map<string, RunLeftovers>();
  const runOf = (labels: Record<string, string> | undefined): RunLeftovers | undefined => {
    const runId = labels?.[RUN_LABEL];
    if (runId === undefined || (runIds && !runIds.includes(runId))) return undefined;
    let run = runs.get(runId);
    if (!run) {
      run = { runId, containers: [], networks: [], owner: undefined };
      runs.set(runId, run);
    }
    run.owner ??= ownerFromLabels(labels);
    return run;
  };
  for (const c of containers)
    runOf(c.Labels)?.containers.push({ id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, '') });
  for (const n of networks) runOf(n.Labels)?.networks.push({ id: n.Id, name: n.Name });
  for (const v of volumes) {
    const run = runOf(v.Labels ?? undefined);
    if (!run) continue;
    run.volumes ??= [];
    run.volumes.push({ name: v.Name });
  }
  return [...runs.values()];
}

async function removeRuns(
  docker: Docker,
  runs: RunLeftovers[],
): Promise<{ containers: number; networks: number }> {
  let containers = 0;
  let networks = 0;
  await Promise.all(
    runs.flatMap((run) =>
      run.containers.map(async (c) => {
        try {
          await docker.getContainer(c.id).remove({ force: true, v: true });
          containers += 1;
        } catch (error) {
          if (!isGone(error)) throw error;
        }
      }),
    ),
  );
  for (const n of runs.flatMap((run) => run.networks)) {
    try {
      await docker.getNetwork(n.id).remove();
      networks += 1;
    } catch (error) {
      if (!isGone(error)) throw error;
    }
  }
  // After the containers: a volume in use cannot be removed.
  for (const v of runs.flatMap((run) => run.volumes ?? [])) {
    try {
      await docker.getVolume(v.name).remove();
    } catch (error) {
      if (!isGone(error)) throw error;
    }
  }
  debug(
    'clean %s: %d container(s), %d network(s)',
    runs.map((r) => r.runId).join(', ') || 'nothing',
    containers,
    networks,
  );
  return { containers, networks };
}

/** Already removed (by a parallel stop, or `--rm`): not a failure of cleaning. */
export function isGone(error: unknown): boolean {
  const status = (error as { statusCode?: number } | null)?.statusCode;
  const message = error instanceof Error ? error.message : '';
  return status === 404 || /no such|not found|already in progress|is already/i.test(message);
}
