// Stage 3, snapshot: one immutable record of what the run showed once the traffic was over. The
// mocks (values, calls, summaries), the server's events and access lines, and the database checks
// are read here, once each; analysis (./analyse.ts) reads only this record, never a live object.
import type { MockServer } from '../mocks/index.js';
import type { AccessEntry, AccessLog } from '../observe/access-log.js';
import {
  reconcileServedMovies,
  runIntegrityChecks,
  type SettleOutcome,
  waitForSettle,
} from '../observe/integrity.js';
import type { LogObserver } from '../observe/log-observer.js';
import type { IntegrityResult, MockSummary, ServerEvent } from '../result/types.js';
import type { Scenario } from '../scenario/types.js';
import { mockValues } from '../templates/mock-values.js';
import type { MockCall } from '../verdict/types.js';

/** One mock as the run left it. */
export interface MockRecord {
  readonly name: string;
  /** What integrity checks read (src/templates/mock-values.ts): values, served, calls, status, routes. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly summary: MockSummary;
  readonly calls: readonly MockCall[];
  /** The ids the mock served, for mocks that reconcile them with the database. */
  readonly servedIds?: readonly number[];
}

export interface Snapshot {
  readonly serverEvents: readonly ServerEvent[];
  readonly accessEntries: readonly AccessEntry[];
  readonly mocks: readonly MockRecord[];
  readonly integrity: readonly IntegrityResult[];
  readonly settle?: SettleOutcome;
}

export interface SnapshotInput {
  scenario: Scenario;
  mocks: MockServer[];
  logs: LogObserver;
  access: AccessLog;
  /** Postgres from the host; absent when the run has none. */
  databaseUrl?: string;
  /** false when the run already failed: the database is not read, the rest is still recorded. */
  checkDatabase: boolean;
  signal: AbortSignal;
  stage: (message: string) => void;
}

/**
 * Resolves with the snapshot however the database checks end; `failure` is what stopped them
 * (Ctrl-C, an unreachable database). Order matters: background work the settle wait lets finish
 * may still call the mocks, so they are recorded after it and before the checks that read them.
 */
export async function snapshotRun(input: SnapshotInput): Promise<{ snapshot: Snapshot; failure?: unknown }> {
  const { scenario, signal, stage } = input;
  let settle: SettleOutcome | undefined;
  let integrity: IntegrityResult[] = [];
  let mocks: MockRecord[] | undefined;
  let failure: unknown;
  try {
    if (input.checkDatabase && input.databaseUrl && scenario.settle && needsDatabase(scenario)) {
      stage('waiting for background work to settle');
      settle = await waitForSettle(scenario.settle, input.databaseUrl, signal);
    }
    mocks = recordMocks(input.mocks);
    if (input.checkDatabase)
      integrity = await checkDatabase(scenario, mocks, input.databaseUrl, signal, stage);
  } catch (error) {
    failure = error;
  }
  const snapshot: Snapshot = Object.freeze({
    serverEvents: Object.freeze(input.logs.events()),
    accessEntries: Object.freeze(input.access.entries()),
    mocks: Object.freeze(mocks ?? recordMocks(input.mocks)),
    integrity: Object.freeze(integrity),
    settle,
  });
  return { snapshot, failure };
}

function needsDatabase(scenario: Scenario): boolean {
  return scenario.integrity.length > 0 || scenario.mocks.some((m) => m.reconcile);
}

/** Exported for the test that validate knows what the run records (test/integration/mocks/mock-values.test.ts). */
export function recordMocks(mocks: MockServer[]): MockRecord[] {
  return mocks.map((m) => {
    const summary = m.summary();
    return Object.freeze({
      name: m.name,
      values: Object.freeze(
        mockValues({
          values: m.values(),
          served: summary.served ?? {},
          calls: summary.calls,
          byRoute: summary.byRoute,
          routes: m.routes.map((r) => r.key),
        }),
      ),
      summary,
      calls: m.calls().map((c) => ({ mock: m.name, route: c.route, query: c.query, startedAt: c.startedAt })),
      servedIds: m.servedIds?.(),
    });
  });
}

/**
 * The scenario's integrity checks (templated with the mock records) and the mocks'
 * reconciliation, read-only (src/observe/read-only-query.ts).
 */
async function checkDatabase(
  scenario: Scenario,
  mocks: readonly MockRecord[],
  databaseUrl: string | undefined,
  signal: AbortSignal,
  stage: (m: string) => void,
): Promise<IntegrityResult[]> {
  if (!needsDatabase(scenario)) return [];
  if (!databaseUrl) {
    return scenario.integrity.map((c) => ({
      name: c.name,
      passed: false,
      expected: 'a database to check',
      actual: 'no database',
      detail: 'the stack has no postgres and no --database-url was given',
      kind: 'error' as const,
      origin: 'scenario' as const,
    }));
  }
  stage('checking the database');
  // `{{mocks.tmdb.served.movies}}` (what reached the app) and the mock's own values
  // (`{{mocks.tmdb.movies}}`: the dataset a complete import stores).
  const values: Record<string, unknown> = {};
  for (const m of mocks) values[m.name] = m.values;
  const results = await runIntegrityChecks(scenario.integrity, {
    databaseUrl,
    values: { mocks: values },
    signal,
  });
  for (const spec of scenario.mocks) {
    const mock = mocks.find((m) => m.name === spec.name);
    if (!spec.reconcile || !mock?.servedIds) continue;
    results.push(
      await reconcileServedMovies({
        databaseUrl,
        servedIds: [...mock.servedIds],
        table: spec.reconcile.table,
        idColumn: spec.reconcile.idColumn,
        requiredColumns: spec.reconcile.requiredColumns,
        signal,
      }),
    );
  }
  return results;
}
