// Stage 4, analyse: pure. From the run's facts (the target, what the traffic recorded, the
// snapshot) to result.json: correlation with the server's events, re-levelling on time in the
// worker, the verdict, assembly and redaction. No I/O and no clock: unit-tested on fixtures.
import { correlate } from '../observe/correlate.js';
import { recount, relevel } from '../observe/relevel.js';
import { redactResult } from '../redact/result.js';
import type { RunResult } from '../result/types.js';
import type { Scenario } from '../scenario/types.js';
import { judge, unfinishedChecks } from '../verdict/judge.js';
import { assembleResult, countByLevel } from './assemble-result.js';
import type { Driven } from './drive.js';
import type { Snapshot } from './snapshot.js';

export interface AnalyseInput {
  runId: string;
  startedAt: Date;
  finishedAt: Date;
  scenario: Scenario;
  /** What was tested; `server` is the detected (or given) server and its timeout. */
  target: Pick<import('./target.js').Target, 'mode' | 'baseUrl' | 'image' | 'server'> & {
    containers?: { name: string; image: string; startMs: number }[];
  };
  /** Absent when the run stopped before traffic. */
  driven?: Driven;
  snapshot: Snapshot;
  /** How the run ended when not by running to the end. */
  ended: { aborted: boolean; error?: { code: string; message: string; fix?: string } };
  /** CPU cores the containers share (the workers-vs-cores advice); absent for a remote --url. */
  cores?: number;
  versions?: Record<string, string>;
  /** Masks the run's secret values in every string of the result. */
  mask: (text: string) => string;
}

export function analyse(input: AnalyseInput): RunResult {
  const { scenario, driven, snapshot, ended } = input;
  const serverTimeoutMs = input.target.server.timeoutS * 1000;
  const serverEvents = [...snapshot.serverEvents];
  const traffic = driven?.traffic;
  const correlation = traffic
    ? correlate({
        flagged: traffic.flagged,
        failures: traffic.failures,
        events: serverEvents,
        serverTimeoutMs,
      })
    : undefined;
  // Against the worker timeout, time in the worker where the access log tells it (not the queue).
  const levelled = correlation
    ? relevel({
        flagged: correlation.flagged,
        entries: [...snapshot.accessEntries],
        serverTimeoutMs,
        warnAt: scenario.budgets.warnAt,
        criticalAt: scenario.budgets.criticalAt,
      })
    : undefined;
  const flaggedTotal =
    traffic && levelled
      ? countByLevel(levelled.flagged, recount(traffic.flaggedTotal, levelled.changes))
      : undefined;
  const failed = ended.aborted || ended.error !== undefined;
  const verdict =
    traffic && levelled && flaggedTotal && !failed
      ? judge({
          scenario,
          server: input.target.server,
          requests: traffic.requests,
          flagged: levelled.flagged,
          flaggedTotal,
          queue: levelled.queue,
          serverEvents,
          integrity: [...snapshot.integrity],
          // What the app fetched while a request ran: the partial-write finding's evidence.
          mockCalls: snapshot.mocks.flatMap((m) => m.calls),
          flowOutcomes: driven.flows,
          byGroup: traffic.byGroup,
          phases: driven.phases,
          settle: snapshot.settle,
          cores: input.cores,
        })
      : undefined;
  const assembled = assembleResult({
    runId: input.runId,
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    scenario,
    mode: input.target.mode,
    baseUrl: input.target.baseUrl,
    image: input.target.image,
    server: input.target.server,
    traffic,
    phases: driven?.phases ?? [],
    histograms: driven?.histograms,
    correlation: levelled,
    flaggedTotal,
    serverEvents,
    mocks: snapshot.mocks.map((m) => m.summary),
    integrity: [...snapshot.integrity],
    verdict: verdict ?? { findings: [], checks: unfinishedChecks(ended) },
    containers: input.target.containers,
    status: ended.aborted ? 'aborted' : ended.error || !verdict ? 'error' : verdict.status,
    error: ended.aborted ? undefined : ended.error,
    versions: input.versions,
  });
  return redactResult(assembled, input.mask);
}
