// One extra service of the stack (a broker, a worker from the app's image, ...): started under its
// name as network alias, then ready when its log line has appeared and/or its port listens
// inside the container — or at once when the scenario asks for neither.
import { InfraError } from '../errors.js';
import type { ServiceSpec } from '../scenario/types.js';
import { formatDurationSpec } from '../units/index.js';
import { TrackedContainer } from './docker-ops.js';
import { type LaunchContext, type Launched, launch, type StartHooks } from './launch.js';
import type { LogBook } from './logs.js';
import { Wait, type WaitStrategy, waitUntilReady } from './wait.js';

export async function startService(
  ctx: LaunchContext,
  spec: ServiceSpec,
  image: string,
  env: Record<string, string>,
  hooks: StartHooks,
): Promise<Launched> {
  const builder = new TrackedContainer(image).withEnvironment(env);
  if (spec.command) builder.withCommand(spec.command);
  const launched = hooks.track(await launch(ctx, spec.name, image, builder, { oneShot: spec.oneShot }));
  const ready = spec.ready;
  if (!ready || (ready.log === undefined && ready.port === undefined)) return launched;
  const strategies: WaitStrategy[] = [];
  if (ready.log !== undefined) strategies.push(Wait.forLogMessage(ready.log));
  if (ready.port !== undefined) strategies.push(Wait.forListeningPort(ready.port));
  const target = { ...launched, docker: ctx.docker, logs: () => ctx.logs.lines(spec.name) };
  await waitUntilReady(target, Wait.forAll(strategies), {
    deadline: launched.requestedAt + ready.withinMs,
    onTimeout: (_what, last) =>
      notReady(
        spec.name,
        image,
        `not ready within ${formatDurationSpec(ready.withinMs)} (${last})`,
        ctx.logs,
      ),
    abort: hooks.anyDied(),
  });
  return launched;
}

function notReady(name: string, image: string, what: string, logs: LogBook): InfraError {
  return new InfraError('NOT_READY', `${name} (${image}) ${what}`, {
    details: logs.tail(name, 20),
    fix: 'its last log lines are shown; check its command and ready: settings, or raise ready.within if it is only slow',
  });
}
