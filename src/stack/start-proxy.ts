// The reverse proxy in front of the app (stack.proxy): started after the app, under the alias
// `proxy`, with the scenario's files copied in before it starts, its port mapped to loopback;
// ready once it answers any HTTP at all (a 502 still means the proxy itself runs). Traffic then
// goes to it, and it reaches the app as `app` (and the app's aliases).
import { InfraError } from '../errors.js';
import type { ProxySpec } from '../scenario/types.js';
import { formatDurationSpec } from '../units/index.js';
import { TrackedContainer } from './docker-ops.js';
import { type LaunchContext, type Launched, launch, type StartHooks } from './launch.js';
import { httpProbe, type WaitStrategy, waitUntilReady } from './wait.js';

export const PROXY_NAME = 'proxy';

/** Any HTTP answer to GET / (a 502 is still the proxy's own answer); no answer at all is not ready. */
function forAnyHttpAnswer(containerPort: number): WaitStrategy {
  return {
    what: 'an HTTP answer to GET /',
    probe: async (t) => {
      const r = await httpProbe(t.container.getMappedPort(containerPort), '/');
      return typeof r === 'object' ? { ...r, ok: r.ok || /^\d{3}\b/.test(r.detail ?? '') } : r;
    },
  };
}

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
  await waitUntilReady(
    { ...launched, docker: ctx.docker, logs: () => ctx.logs.lines(PROXY_NAME) },
    forAnyHttpAnswer(spec.port),
    {
      deadline: launched.requestedAt + spec.readyWithinMs,
      onTimeout: (_what, last) =>
        new InfraError(
          'NOT_READY',
          `proxy (${spec.image}) did not answer HTTP on port ${spec.port} within ${formatDurationSpec(spec.readyWithinMs)}${last ? ` (last: ${last})` : ''}`,
          {
            details: ctx.logs.tail(PROXY_NAME, 20),
            fix: 'its last log lines are shown; check stack.proxy.port (the port it listens on) and its configuration (stack.proxy.files)',
          },
        ),
      abort: hooks.anyDied(),
    },
  );
  return { launched, baseUrl: `http://127.0.0.1:${launched.container.getMappedPort(spec.port)}` };
}
