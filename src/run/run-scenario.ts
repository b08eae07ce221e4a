// One run of one scenario, in stages, each taking the previous stage's value:
//   bring up (./target.ts) → drive (./drive.ts) → snapshot (./snapshot.ts) → analyse (./analyse.ts)
// and always resolving to the run's result: an interrupt or an error is a status of the result
// (`aborted`, `error`), with the error beside it for the CLI, never a result carried on an
// exception. The caller decides what to do with it (the CLI writes the reports, keeps the stack
// with --keep, picks the exit code). Everything started is registered with one Teardown that runs
// on every path, after the caller's `beforeTeardown`.
import { availableParallelism } from 'node:os';
import createDebug from 'debug';
import { InfraError, InterruptedError, isSmokestackError, type SmokestackError } from '../errors.js';
import type { RecorderSnapshot } from '../load/recorder.js';
import type { MockServer } from '../mocks/index.js';
import { createAccessLog } from '../observe/access-log.js';
import { createLogObserver } from '../observe/log-observer.js';
import { composeEnvs } from '../redact/compose-env.js';
import { maskError } from '../redact/mask-error.js';
import { createMasker } from '../redact/rules.js';
import { secretValues } from '../redact/secret-values.js';
import type { RunResult } from '../result/types.js';
import type { Scenario } from '../scenario/types.js';
import { timeoutOverride, urlTargetServer } from '../server/override.js';
import type { LogLine } from '../stack/start-stack.js';
import { pause } from '../util/pause.js';
import { Teardown } from '../util/teardown.js';
import { runtimeVersions } from '../version.js';
import { analyse } from './analyse.js';
import { type Driven, drive } from './drive.js';
import { waitForOrphans } from './orphan-wait.js';
import { newRunId } from './run-id.js';
import { snapshotRun } from './snapshot.js';
import { stopOnDeath } from './stop-on-death.js';
import { bringUpTarget, type Target, type TargetOptions } from './target.js';

export { clientTimeoutFor } from './client-timeout.js';

const debug = createDebug('smokestack:run');

export interface RunOptions {
  image?: string;
  url?: string;
  databaseUrl?: string;
  allowRemote?: string[];
  serverTimeoutMs?: number;
  seed?: number;
  signal: AbortSignal;
  /** Stage messages ("starting postgres", "phase browse") for progress output. */
  onStage?: (message: string) => void;
  /** Called about once a second during traffic with the recorder's live figures. */
  onProgress?: (snapshot: RecorderSnapshot, phase: string) => void;
  onLog?: (line: LogLine) => void;
  /**
   * Called once with the finished result, before anything is torn down: the CLI writes the
   * reports here (they exist even if teardown then hangs) and, with --keep, holds the stack until
   * Ctrl-C. `live` is given when the run completed with a stack still up; `failure` when it did not
   * complete (the same error the outcome carries); `mask` masks the run's secret values (the
   * result is masked already: this is for what the caller adds, such as a baseline).
   */
  beforeTeardown?: (result: RunResult, context: TeardownContext) => Promise<void>;
  /**
   * A target someone else owns and resets between runs (a sweep's reused stack,
   * ../sweep/reuse-stack.ts) in place of bringing one up; this run's teardown leaves it up.
   */
  reuse?: { acquire: (scenario: Scenario, options: TargetOptions) => Promise<Target> };
}

export interface TeardownContext {
  live?: LiveStack;
  failure?: SmokestackError;
  mask: (text: string) => string;
}

/** What --keep shows the user while the stack stays up. */
export interface LiveStack {
  baseUrl: string;
  databaseUrl?: string;
  mocks: MockServer[];
}

export interface RunOutcome {
  result: RunResult;
  /** Why the run did not complete (masked): status `error` (exit 2 or 3) or an interrupt (130). */
  failure?: SmokestackError;
  /** What teardown could not stop within its deadline (`smokestack clean` removes it later). */
  notTornDown: string[];
}

/** Time for the server's last log lines (a kill is logged up to ~1 s after the client saw it) to arrive. */
const LOG_SETTLE_MS = 2_000;

export async function runScenario(scenario: Scenario, options: RunOptions): Promise<RunOutcome> {
  const runId = newRunId(scenario.name);
  const startedAt = new Date();
  const teardown = new Teardown();
  const stage = (m: string) => options.onStage?.(m);
  /** The app's last log line (epoch ms): work cut by a proxy shows it is still running. */
  let lastAppLine = 0;
  const logs = createLogObserver();
  const access = createAccessLog();
  const override = timeoutOverride(options.serverTimeoutMs, scenario);
  // The run's own secrets (its env, headers, credential parameters), masked in the result every
  // report and the console are made from (and in flow response snippets before they are cut short).
  const mask = createMasker(secretValues(scenario, {}, composeEnvs(scenario)));
  const { signal } = options;
  let failure: unknown;

  // 1. bring up
  let target: Target | undefined;
  try {
    target = await (options.reuse ? options.reuse.acquire.bind(options.reuse) : bringUpTarget)(scenario, {
      runId,
      image: options.image,
      url: options.url,
      allowRemote: options.allowRemote,
      override,
      seed: options.seed,
      teardown,
      signal,
      onStage: stage,
      onLog: (line) => {
        if (line.source === 'app') lastAppLine = line.at;
        logs.push(line);
        access.push(line);
        options.onLog?.(line);
      },
    });
    if (target.stack?.accessLogFormat) access.useFormat(target.stack.accessLogFormat, 'app');
  } catch (error) {
    failure = error;
  }

  // 2. drive: traffic stops at once on Ctrl-C or a container's death (./stop-on-death.ts).
  let driven: Driven | undefined;
  if (target && !failure && !signal.aborted) {
    const { server } = target;
    stage(
      `traffic against ${target.trafficUrl ?? target.baseUrl} (server timeout ${server.timeoutS}s, from ${server.timeoutSource}; deadline ${target.chain.deadlineS}s)`,
    );
    const death = stopOnDeath(signal, target.stack?.died);
    // What the server logged so far (boot, setup, readiness) is the stack starting, not the traffic.
    logs.trafficStarted(Date.now());
    driven = await drive(scenario, target, {
      signal: death.signal,
      seed: options.seed,
      mask,
      onProgress: options.onProgress,
    });
    failure = driven.failure;
    // Work a proxy in front cut may still run in the worker: let it finish (orphaned work).
    if (!failure && !signal.aborted) {
      stage('waiting for work cut by a layer in front to finish');
      await waitForOrphans({
        chain: target.chain,
        failures: driven.traffic.failures,
        entries: () => access.entries(),
        lastActivity: () =>
          target!.mocks.reduce(
            (last, m) => m.calls().reduce((l, c) => Math.max(l, c.startedAt), last),
            lastAppLine,
          ),
        signal,
      });
    }
    // The server's last lines (a kill is logged after the client saw it); a death meanwhile counts.
    if (!failure && !signal.aborted) await pause(LOG_SETTLE_MS, signal);
    try {
      death.throwIfDied();
    } catch (error) {
      failure ??= error;
    }
    death.stop();
  }

  // 3. snapshot: the database only when the run got that far.
  const taken = await snapshotRun({
    scenario,
    mocks: target?.mocks ?? [],
    logs,
    access,
    databaseUrl: target?.stack?.databaseUrl ?? options.databaseUrl,
    checkDatabase: driven !== undefined && !failure && !signal.aborted,
    signal,
    stage,
  });
  failure ??= taken.failure;

  // 4. analyse (pure)
  const aborted = signal.aborted || failure instanceof InterruptedError;
  const masked = failure === undefined ? undefined : maskError(asSmokestackError(failure), mask);
  const result = analyse({
    runId,
    startedAt,
    finishedAt: new Date(),
    scenario,
    target: target
      ? { ...target, containers: target.stack?.containers }
      : {
          mode: options.url === undefined ? 'containers' : 'url',
          baseUrl: options.url ?? '',
          server: urlTargetServer(override),
        },
    driven,
    snapshot: taken.snapshot,
    ended: {
      aborted,
      error: masked && !aborted ? { code: masked.code, message: masked.message, fix: masked.fix } : undefined,
    },
    // The containers share this machine's cores; a remote --url target's are unknown.
    cores: target?.mode === 'containers' ? availableParallelism() : undefined,
    versions: runtimeVersions(),
    mask,
  });

  let notTornDown: string[] = [];
  let late: unknown;
  try {
    const live =
      target?.stack && !aborted && !failure
        ? {
            baseUrl: target.trafficUrl ?? target.baseUrl,
            databaseUrl: target.stack.databaseUrl,
            mocks: target.mocks,
          }
        : undefined;
    await options.beforeTeardown?.(result, { live, failure: masked, mask });
  } catch (error) {
    late = error;
  } finally {
    stage('tearing down');
    const failures = await teardown.run();
    for (const f of failures) debug('teardown of %s failed: %O', f.name, f.error);
    notTornDown = failures.map((f) => `${f.name} (${errorLine(f.error)})`);
  }
  let ending = masked ?? (late === undefined ? undefined : maskError(asSmokestackError(late), mask));
  // Ctrl-C while the reports were written or the stack torn down is an interrupt too (130).
  if (signal.aborted && !(ending instanceof InterruptedError))
    ending = new InterruptedError(String(signal.reason ?? 'SIGINT'));
  return { result, failure: ending, notTornDown };
}

/** An error we did not foresee is an infrastructure error (exit 3) with its own message. */
function asSmokestackError(error: unknown): SmokestackError {
  if (isSmokestackError(error)) return error;
  return new InfraError('INFRA', errorLine(error), { cause: error });
}

function errorLine(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
