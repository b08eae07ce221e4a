// One run of one scenario, the whole flow in one direction:
//   scenario → mocks + stack → traffic (load phases + flows) → observe (server logs, database)
//   → verdict → result.json and reports.
// Everything started is registered with one Teardown that runs on every exit path. An interrupt
// (options.signal) stops the traffic, writes a partial result with status "aborted" and tears down.
import { availableParallelism } from 'node:os';
import createDebug from 'debug';
import { InfraError, InterruptedError, isSmokestackError, UsageError } from '../errors.js';
import { DEFAULT_CLIENT_TIMEOUT_MS } from '../load/phases.js';
import { Recorder, type Recorder as RecorderType } from '../load/recorder.js';
import { type PhaseAccount, runTraffic } from '../load/traffic.js';
import type { MockServer } from '../mocks/index.js';
import { createAccessLog } from '../observe/access-log.js';
import { correlate } from '../observe/correlate.js';
import {
  reconcileServedMovies,
  runIntegrityChecks,
  type SettleOutcome,
  waitForSettle,
} from '../observe/integrity.js';
import { createLogObserver } from '../observe/log-observer.js';
import { recount, relevel } from '../observe/relevel.js';
import { maskError } from '../redact/mask-error.js';
import { createMasker } from '../redact/rules.js';
import { secretValues } from '../redact/secret-values.js';
import { redactResult } from '../report/redact.js';
import { writeReports } from '../report/write-reports.js';
import type { IntegrityResult, RunResult, ServerConfig } from '../result/types.js';
import type { Scenario } from '../scenario/types.js';
import type { LogLine, Stack } from '../stack/start-stack.js';
import { checkUrlTarget } from '../stack/url-target.js';
import { Teardown } from '../util/teardown.js';
import { judge } from '../verdict/judge.js';
import { runtimeVersions } from '../version.js';
import { assembleResult, countByLevel } from './assemble-result.js';
import { bringUp } from './bring-up.js';
import { newRunId } from './run-id.js';
import { timeoutOverride, urlTargetServer } from './server-timeout.js';
import { type DeathWatch, stopOnDeath } from './stop-on-death.js';

const debug = createDebug('smokestack:run');

export interface RunOptions {
  image?: string;
  url?: string;
  databaseUrl?: string;
  allowRemote?: string[];
  /** Root of the reports tree; each run writes `<outRoot>/<runId>/`. */
  outRoot: string;
  serverTimeoutMs?: number;
  seed?: number;
  baseline?: RunResult;
  signal: AbortSignal;
  /** Stage messages ("starting postgres", "phase browse") for progress output. */
  onStage?: (message: string) => void;
  /** Called about once a second during traffic with the recorder's live figures. */
  onProgress?: (snapshot: ReturnType<RecorderType['snapshot']>, phase: string) => void;
  onLog?: (line: LogLine) => void;
  /** With --keep: called after the reports are written, before teardown; resolves when to tear down. */
  keepUntil?: (stack: { baseUrl: string; databaseUrl?: string; mocks: MockServer[] }) => Promise<void>;
}

export interface RunOutcome {
  result: RunResult;
  reportDir: string;
  /** What teardown could not stop within its deadline (`smokestack clean` removes it later). */
  notTornDown?: string[];
}

/** Time for the server's last log lines (a kill is logged up to ~1 s after the client saw it) to arrive. */
const LOG_SETTLE_MS = 2_000;

export async function runScenario(scenario: Scenario, options: RunOptions): Promise<RunOutcome> {
  const runId = newRunId(scenario.name);
  const startedAt = new Date();
  const teardown = new Teardown();
  const stage = (m: string) => options.onStage?.(m);
  const logs = createLogObserver();
  const access = createAccessLog();
  const containerMode = options.url === undefined;
  const override = timeoutOverride(options.serverTimeoutMs, scenario);
  let server: ServerConfig = urlTargetServer(override);
  let baseUrl = options.url ?? '';
  let stack: Stack | undefined;
  let mocks: MockServer[] = [];
  let recorder: Recorder | undefined;
  let flowOutcomes: Awaited<ReturnType<typeof runTraffic>>['flows'] = [];
  let phases: PhaseAccount[] = [];
  let integrity: IntegrityResult[] = [];
  let settle: SettleOutcome | undefined;
  let failure: unknown;
  let death: DeathWatch | undefined;

  // The run's own secrets (its env, headers, credential parameters), masked in the result every
  // report and the console are made from (and in flow response snippets before they are cut short).
  const mask = createMasker(secretValues(scenario));

  const throwIfAborted = () => {
    if (options.signal.aborted) throw new InterruptedError(String(options.signal.reason ?? 'SIGINT'));
  };

  try {
    if (containerMode) {
      if (!scenario.stack.app) {
        throw new UsageError(`${scenario.file}: stack.app is missing`, {
          fix: 'describe the app under stack.app, or test a running deployment with --url',
        });
      }
      if (!options.image && !scenario.stack.app.image) {
        throw new UsageError(`${scenario.file} stack.app.image: no image to test`, {
          fix: 'set stack.app.image in the scenario or pass --image REF',
        });
      }
    } else {
      checkUrlTarget(options.url!, options.allowRemote);
    }

    const env = await bringUp(scenario, {
      runId,
      containers: containerMode,
      image: options.image,
      serverTimeout: override,
      seed: options.seed,
      teardown,
      signal: options.signal,
      onStage: stage,
      onLog: (line) => {
        logs.push(line);
        access.push(line);
        options.onLog?.(line);
      },
    });
    mocks = env.mocks;
    stack = env.stack;
    throwIfAborted();
    if (stack) {
      baseUrl = stack.baseUrl;
      server = stack.server;
      if (stack.accessLogFormat) access.useFormat(stack.accessLogFormat, 'app');
    }

    const serverTimeoutMs = server.timeoutS * 1000;
    recorder = new Recorder({
      serverTimeoutMs,
      warnAt: scenario.budgets.warnAt,
      criticalAt: scenario.budgets.criticalAt,
    });
    const values: Record<string, unknown> = {};
    for (const m of mocks) values[m.name] = m.values();

    stage(`traffic against ${baseUrl} (server timeout ${server.timeoutS}s, from ${server.timeoutSource})`);
    death = stopOnDeath(options.signal, stack?.died);
    const traffic = await runTraffic({
      baseUrl,
      phases: scenario.load,
      flows: scenario.flows,
      values,
      recorder,
      signal: death.signal,
      seed: options.seed,
      clientTimeoutMs: clientTimeoutFor(serverTimeoutMs),
      mask,
      onProgress: (snapshot, phase) => options.onProgress?.(snapshot, phase),
    });
    flowOutcomes = traffic.flows;
    phases = traffic.phases;
    throwIfAborted();
    death.throwIfDied();

    await sleep(LOG_SETTLE_MS, options.signal);
    death.throwIfDied();
    ({ integrity, settle } = await checkDatabase(
      scenario,
      mocks,
      stack?.databaseUrl ?? options.databaseUrl,
      options.signal,
      stage,
    ));
  } catch (error) {
    failure = error;
  }
  death?.stop();

  const aborted = options.signal.aborted || failure instanceof InterruptedError;
  const traffic = recorder?.finish();
  const correlation = traffic
    ? correlate({
        flagged: traffic.flagged,
        failures: traffic.failures,
        events: logs.events(),
        serverTimeoutMs: server.timeoutS * 1000,
      })
    : undefined;
  // Against the worker timeout, time in the worker where the access log tells it (not the queue).
  const levelled =
    traffic && correlation
      ? relevel({
          flagged: correlation.flagged,
          entries: access.entries(),
          serverTimeoutMs: server.timeoutS * 1000,
          warnAt: scenario.budgets.warnAt,
          criticalAt: scenario.budgets.criticalAt,
        })
      : undefined;
  const flaggedTotal =
    traffic && levelled
      ? countByLevel(levelled.flagged, recount(traffic.flaggedTotal, levelled.changes))
      : undefined;
  const verdict =
    traffic && !failure
      ? judge({
          scenario,
          server,
          requests: traffic.requests,
          flagged: levelled!.flagged,
          flaggedTotal: flaggedTotal!,
          queue: levelled!.queue,
          serverEvents: logs.events(),
          integrity,
          // What the app fetched while a request ran: the partial-write finding's evidence.
          mockCalls: mocks.flatMap((m) =>
            m.calls().map((c) => ({ mock: m.name, route: c.route, query: c.query, startedAt: c.startedAt })),
          ),
          flowOutcomes,
          byGroup: traffic.byGroup,
          phases,
          settle,
          // The containers share this machine's cores; a remote --url target's are unknown.
          cores: containerMode ? availableParallelism() : undefined,
        })
      : undefined;

  const assembled = assembleResult({
    runId,
    startedAt,
    finishedAt: new Date(),
    scenario,
    mode: containerMode ? 'containers' : 'url',
    baseUrl,
    image: containerMode ? (options.image ?? scenario.stack.app?.image) : undefined,
    server,
    traffic,
    phases,
    histograms: recorder?.encodedHistograms(),
    correlation: levelled,
    flaggedTotal,
    serverEvents: logs.events(),
    mocks: mocks.map((m) => m.summary()),
    integrity,
    verdict,
    containers: stack?.containers,
    status: aborted ? 'aborted' : failure ? 'error' : verdict!.status,
    error: failure && !aborted ? errorLine(failure) : undefined,
    versions: runtimeVersions(),
  });
  const result = redactResult(assembled, mask);

  let reportDir = '';
  let notTornDown: string[] = [];
  /** --keep ended by its Ctrl-C: that signal is how a kept stack ends, not an interrupted run. */
  let kept = false;
  try {
    // A usage error found at run time (no app, no image) started nothing: no report folder for it.
    if (!(failure instanceof UsageError)) {
      stage('writing reports');
      const written = await writeReports(result, {
        outRoot: options.outRoot,
        baseline: options.baseline,
        mask,
      });
      reportDir = written.dir;
      // The same comparison the reports show, for the terminal summary and --json.
      if (written.comparison) result.comparison = written.comparison;
    }
    if (options.keepUntil && stack && !aborted && !failure) {
      await options.keepUntil({ baseUrl, databaseUrl: stack.databaseUrl, mocks });
      kept = true;
    }
  } finally {
    stage('tearing down');
    const failures = await teardown.run();
    for (const f of failures) debug('teardown of %s failed: %O', f.name, f.error);
    notTornDown = failures.map((f) => `${f.name} (${errorLine(f.error)})`);
  }

  // Ctrl-C while the reports were written or the stack torn down is an interrupt too (130), and
  // the result on disk says so: the verdict stays, its status becomes "aborted" (as the exit code).
  if (options.signal.aborted && !kept && result.status !== 'aborted' && reportDir) {
    result.status = 'aborted';
    await writeReports(result, { dir: reportDir, baseline: options.baseline, mask }).catch((error) =>
      debug('rewriting the reports as aborted failed: %O', error),
    );
  }
  if (aborted || options.signal.aborted)
    throw Object.assign(new InterruptedError(String(options.signal.reason ?? 'SIGINT')), {
      result,
      reportDir,
      notTornDown,
    });
  if (failure) {
    if (isSmokestackError(failure))
      throw Object.assign(maskError(failure, mask), { result, reportDir, notTornDown });
    throw maskError(new InfraError('INFRA', errorLine(failure), { cause: failure }), mask);
  }
  return { result, reportDir, notTornDown };
}

async function checkDatabase(
  scenario: Scenario,
  mocks: MockServer[],
  databaseUrl: string | undefined,
  signal: AbortSignal,
  stage: (m: string) => void,
): Promise<{ integrity: IntegrityResult[]; settle?: SettleOutcome }> {
  const reconcile = scenario.mocks.filter((m) => m.reconcile);
  if (scenario.integrity.length === 0 && reconcile.length === 0) return { integrity: [] };
  if (!databaseUrl) {
    const integrity = scenario.integrity.map((c) => ({
      name: c.name,
      passed: false,
      expected: 'a database to check',
      actual: 'no database',
      detail: 'the stack has no postgres and no --database-url was given',
      kind: 'error' as const,
      origin: 'scenario' as const,
    }));
    return { integrity };
  }
  let settle: SettleOutcome | undefined;
  if (scenario.settle) {
    stage('waiting for background work to settle');
    settle = await waitForSettle(scenario.settle, databaseUrl, signal);
  }
  stage('checking the database');
  // `{{mocks.tmdb.served.movies}}` (what reached the app) and the mock's own values
  // (`{{mocks.tmdb.movies}}`: the dataset a complete import stores).
  const values: Record<string, unknown> = {};
  for (const m of mocks) values[m.name] = { ...m.values(), served: m.summary().served ?? {} };
  const results = await runIntegrityChecks(scenario.integrity, {
    databaseUrl,
    values: { mocks: values },
    signal,
  });
  for (const spec of reconcile) {
    const mock = mocks.find((m) => m.name === spec.name);
    if (!mock?.servedIds) continue;
    results.push(
      await reconcileServedMovies({
        databaseUrl,
        servedIds: mock.servedIds(),
        table: spec.reconcile!.table,
        idColumn: spec.reconcile!.idColumn,
        requiredColumns: spec.reconcile!.requiredColumns,
        signal,
      }),
    );
  }
  return { integrity: results, settle };
}

/**
 * Every request's client timeout. It must outlast the server's own kill (T, then SIGKILL about a
 * second later, then the log line), so what we observe is the kill: twice T plus 5 s, at least a
 * minute. It also bounds how long a phase's requests in flight are awaited when a hung or paused
 * app never answers: such a request ends as `client timeout` and is judged (killed: no response
 * past T). With no worker timeout (T = 0) nothing kills a request, so we wait up to 10 minutes.
 */
export function clientTimeoutFor(serverTimeoutMs: number): number {
  if (!(serverTimeoutMs > 0)) return DEFAULT_CLIENT_TIMEOUT_MS;
  return Math.max(60_000, serverTimeoutMs * 2 + 5_000);
}

function errorLine(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
