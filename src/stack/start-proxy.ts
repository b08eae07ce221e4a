// The reverse proxy in front of the app (stack.proxy): started after the app, under the alias
// `proxy`, with the scenario's files copied in before it starts, its port mapped to loopback;
// ready once it answers any HTTP at all (a 502 still means the proxy itself runs). Traffic then
// goes to it, and it reaches the app as `app` (and the app's aliases).
import { InfraError } from '../errors.js';
import type { ProxySpec } from '../scenario/types.js';
import { TrackedContainer } from './docker-ops.js';
import { type LaunchContext, type Launched, launch, type StartHooks } from './launch.js';
import { httpProbe, pollUntil } from './readiness.js';

export const PROXY_NAME = 'proxy';

export async function startProxy(
  ctx: LaunchContext,
  spec: ProxySpec,
  files: { path: string; from: string }[],
  hooks: StartHooks,
): Promise<{ launched: Launched; baseUrl: string }> {
  const builder = new TrackedContainer(spec.image).withExposedPorts(spec.port);
  if (files.length > 0)
    builder.withCopyFilesToContainer(files.map((f) => ({ source: f.from, target: f.path })));
  const launched = hooks.track(await launch(ctx, PROXY_NAME, spec.image, builder));
  const port = launched.container.getMappedPort(spec.port);
  await pollUntil({
    deadline: launched.requestedAt + spec.readyWithinMs,
    intervalMs: 100,
    probe: async () => {
      const r = await httpProbe(port, '/');
      // Any status is an answer of the proxy's own; only no answer at all is not ready.
      return typeof r === 'object' ? r.ok || /^\d{3}\b/.test(r.detail ?? '') : r;
    },
    onTimeout: (last) =>
      new InfraError(
        'NOT_READY',
        `proxy (${spec.image}) did not answer HTTP on port ${spec.port} within ${spec.readyWithinMs / 1000}s${last ? ` (last: ${last})` : ''}`,
        {
          details: ctx.logs.tail(PROXY_NAME, 20),
          fix: 'its last log lines are shown; check stack.proxy.port (the port it listens on) and its configuration (stack.proxy.files)',
        },
      ),
    abort: hooks.anyDied(),
  });
  return { launched, baseUrl: `http://127.0.0.1:${port}` };
}
