// One extra service of the stack (a broker, a worker from the app's image, ...): started under its
// name as network alias, then ready when its log line has appeared and/or its port listens
// inside the container — or at once when the scenario asks for neither.
import { InfraError } from '../errors.js';
import type { ServiceSpec } from '../scenario/types.js';
import { formatDurationSpec } from '../units/index.js';
import { TrackedContainer } from './docker-ops.js';
import { type LaunchContext, type Launched, launch, type StartHooks } from './launch.js';
import type { LogBook } from './logs.js';
import { pollUntil, portListening } from './readiness.js';

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
  const pattern = ready.log === undefined ? undefined : new RegExp(ready.log);
  const waitingFor = [
    pattern && `no log line matching /${ready.log}/`,
    ready.port !== undefined && `port ${ready.port}`,
  ].filter(Boolean);
  await pollUntil({
    deadline: launched.requestedAt + ready.withinMs,
    intervalMs: 100,
    probe: async () =>
      (pattern === undefined || ctx.logs.lines(spec.name).some((l) => pattern.test(l.line))) &&
      (ready.port === undefined || (await portListening(launched.container, ready.port))),
    onTimeout: () =>
      notReady(
        spec.name,
        image,
        `not ready within ${formatDurationSpec(ready.withinMs)} (${waitingFor.join(', ')})`,
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
