// Stage 1, bring up: what traffic will be sent to. In container mode the mocks and the stack
// (./bring-up.ts); with --url a running deployment, after the loopback guard, and the mocks.
import { startEdgeEmulator } from '../edge/emulator.js';
import { edgeLayer } from '../edge/profiles.js';
import { UsageError } from '../errors.js';
import type { MockServer } from '../mocks/index.js';
import type { ServerConfig } from '../result/types.js';
import type { Scenario } from '../scenario/types.js';
import { type TimeoutChain, timeoutChain } from '../server/chain.js';
import { type timeoutOverride, urlTargetServer } from '../server/override.js';
import type { LogLine, Stack } from '../stack/start-stack.js';
import { checkUrlTarget } from '../stack/url-target.js';
import type { Teardown } from '../util/teardown.js';
import { bringUp } from './bring-up.js';

export interface TargetOptions {
  runId: string;
  image?: string;
  url?: string;
  allowRemote?: string[];
  /** --server-timeout or the scenario's server.timeout, when given. */
  override?: ReturnType<typeof timeoutOverride>;
  seed?: number;
  teardown: Teardown;
  signal: AbortSignal;
  onStage: (message: string) => void;
  onLog: (line: LogLine) => void;
}

/** What the next stages drive and observe. */
export interface Target {
  mode: 'containers' | 'url';
  /** The deployment under test (what the result names). */
  baseUrl: string;
  /** Where traffic goes when not straight to baseUrl: the edge emulator in front of it. */
  trafficUrl?: string;
  image?: string;
  server: ServerConfig;
  /** Every limit in front of the worker and T, and the deadline (the smallest). */
  chain: TimeoutChain;
  mocks: MockServer[];
  /** Container mode only. */
  stack?: Stack;
}

/** Checks what can only be checked at run time (exit 2), then starts the mocks and the stack. */
export async function bringUpTarget(scenario: Scenario, options: TargetOptions): Promise<Target> {
  const containers = options.url === undefined;
  if (containers) {
    if (!scenario.stack.app) {
      throw new UsageError(`${scenario.file}: stack.app is missing`, {
        fix: 'describe the app under stack.app, or test a running deployment with --url',
      });
    }
    if (!options.image && !scenario.stack.app.image && !scenario.stack.compose) {
      throw new UsageError(`${scenario.file} stack.app.image: no image to test`, {
        fix: 'set stack.app.image in the scenario or pass --image REF',
      });
    }
  } else {
    checkUrlTarget(options.url!, options.allowRemote);
  }
  const env = await bringUp(scenario, {
    runId: options.runId,
    containers,
    image: options.image,
    serverTimeout: options.override,
    seed: options.seed,
    teardown: options.teardown,
    signal: options.signal,
    onStage: options.onStage,
    onLog: options.onLog,
  });
  if (!env.stack) {
    const server = urlTargetServer(options.override);
    return {
      mode: containers ? 'containers' : 'url',
      baseUrl: options.url ?? '',
      ...(await inFrontOf(options.url ?? '', scenario, options)),
      server,
      chain: timeoutChain({ edge: edge(scenario), server }),
      mocks: env.mocks,
    };
  }
  return {
    mode: 'containers',
    baseUrl: env.stack.baseUrl,
    ...(await inFrontOf(env.stack.baseUrl, scenario, options)),
    // A compose app service's image may come from the compose file: the started app says which.
    image:
      env.stack.containers.find((c) => c.name === 'app')?.image ?? options.image ?? scenario.stack.app?.image,
    server: env.stack.server,
    chain: timeoutChain({ edge: edge(scenario), proxy: env.stack.proxy, server: env.stack.server }),
    mocks: env.mocks,
    stack: env.stack,
  };
}

function edge(scenario: Scenario) {
  return scenario.edge ? edgeLayer(scenario.edge) : undefined;
}

/**
 * With `edge:`, the emulator of that layer runs on loopback in front of the target and traffic
 * goes to it; its log lines are the run's, from source `edge`.
 */
async function inFrontOf(
  baseUrl: string,
  scenario: Scenario,
  options: TargetOptions,
): Promise<{ trafficUrl?: string }> {
  if (!scenario.edge || baseUrl === '' || options.signal.aborted) return {};
  options.onStage(`starting the ${scenario.edge.profile} edge emulator in front of ${baseUrl}`);
  const emulator = await startEdgeEmulator(scenario.edge, {
    target: baseUrl,
    onLine: ({ at, line }) => options.onLog({ at, source: EDGE_SOURCE, stream: 'stdout', line }),
  });
  options.teardown.add(`${scenario.edge.profile} edge emulator`, () => emulator.stop());
  return { trafficUrl: emulator.baseUrl };
}

/** The source name of the emulator's log lines (serverEvents[].source). */
export const EDGE_SOURCE = 'edge';
