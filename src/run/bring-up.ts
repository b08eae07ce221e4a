// Starts what a scenario needs before traffic: its mocks (on the host: loopback, and the Docker
// bridge gateway so containers reach them as host.docker.internal) and its container stack wired to them. Shared by `run` and `up`.
// Everything started is registered with the caller's Teardown, which owns stopping it.
import path from 'node:path';
import { type MockServer, startMocks } from '../mocks/index.js';
import type { Scenario } from '../scenario/types.js';
import { bridgeGateway } from '../stack/bridge-gateway.js';
import { checkEngine } from '../stack/engine.js';
import { type LogLine, type Stack, startStack } from '../stack/start-stack.js';
import type { Teardown } from '../util/teardown.js';

export interface BringUpOptions {
  runId: string;
  /** false in --url mode: mocks only. */
  containers: boolean;
  image?: string;
  serverTimeout?: { ms: number; source: 'flag' | 'scenario' };
  /** --seed: replaces every mock's own seed, so one flag reproduces a whole run. */
  seed?: number;
  teardown: Teardown;
  signal: AbortSignal;
  onStage?: (message: string) => void;
  onLog?: (line: LogLine) => void;
}

export interface Environment {
  mocks: MockServer[];
  stack?: Stack;
}

export async function bringUp(scenario: Scenario, options: BringUpOptions): Promise<Environment> {
  const stage = (m: string) => options.onStage?.(m);
  // Mocks listen on loopback, plus the Docker bridge gateway when containers must reach them.
  let alsoOn: string[] = [];
  if (options.containers) {
    stage('checking the container engine');
    const gateway = await bridgeGateway(
      (await checkEngine(undefined, undefined, options.signal)).container.dockerode,
    );
    alsoOn = gateway ? [gateway] : [];
  }
  const mocks: MockServer[] = [];
  if (scenario.mocks.length > 0) {
    stage(`starting mocks: ${scenario.mocks.map((m) => m.name).join(', ')}`);
    const specs =
      options.seed === undefined
        ? scenario.mocks
        : scenario.mocks.map((m) => ({ ...m, seed: options.seed! }));
    const started = await startMocks(specs, {
      scenarioDir: path.dirname(path.resolve(scenario.file)),
      alsoOn,
      signal: options.signal,
    });
    for (const m of started) {
      options.teardown.add(`mock ${m.name}`, () => m.stop());
      mocks.push(m);
    }
  }
  if (!options.containers || options.signal.aborted) return { mocks };
  const stack = await startStack(scenario, {
    runId: options.runId,
    image: options.image,
    mockUrls: scenario.mocks.flatMap((spec) => {
      const mock = mocks.find((m) => m.name === spec.name);
      return spec.env && mock ? [{ env: spec.env, url: mock.containerUrl() }] : [];
    }),
    serverTimeout: options.serverTimeout,
    teardown: options.teardown,
    signal: options.signal,
    onProgress: stage,
    onLog: options.onLog,
  });
  return { mocks, stack };
}
