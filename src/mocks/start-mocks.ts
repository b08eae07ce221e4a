// Starts a scenario's mocks: `tmdb` kinds get the built-in TMDB mock, `handlers` kinds the
// user's msw module; all with the scenario's latency, faults, per-route overrides and seed.
// If one fails to start, the ones already started are stopped before the error is rethrown.
import createDebug from 'debug';
import { UsageError } from '../errors.js';
import type { MockSpec } from '../scenario/types.js';
import { loadHandlers } from './load-handlers.js';
import { type MockServer, startMockServer } from './serve.js';
import { startTmdbMock } from './tmdb/start-tmdb-mock.js';

const debug = createDebug('smokestack:mocks');

export interface StartMocksOptions {
  /** Directory of the scenario file: `module:` paths are relative to it. */
  scenarioDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Also listen here: the Docker bridge gateway, where containers reach the host. */
  alsoOn?: string[];
  /** Aborts a mock module that is still loading (Ctrl-C during "starting mocks"). */
  signal?: AbortSignal;
  /** How long a `module:` may take to load; default MODULE_LOAD_DEADLINE_MS. */
  moduleDeadlineMs?: number;
}

export async function startMocks(specs: MockSpec[], options: StartMocksOptions): Promise<MockServer[]> {
  const started: MockServer[] = [];
  try {
    for (const spec of specs) started.push(await startOne(spec, options));
    return started;
  } catch (error) {
    await Promise.allSettled(started.map((m) => m.stop()));
    throw error;
  }
}

async function startOne(spec: MockSpec, options: StartMocksOptions): Promise<MockServer> {
  const common = {
    name: spec.name,
    host: options.host,
    alsoOn: options.alsoOn,
    port: spec.port ?? 0,
    latency: spec.latency,
    faults: spec.faults,
    routes: spec.routes,
    seed: spec.seed,
  };
  debug('starting mock %s (%s)', spec.name, spec.kind);
  if (spec.kind === 'tmdb') return startTmdbMock({ ...common, movies: spec.movies ?? 10_000 });
  if (!spec.module) {
    throw new UsageError(`mocks.${spec.name}: no module to serve`, {
      fix: `add module: ./mocks/${spec.name}.js (a module exporting msw handlers), or call the mock tmdb for the built-in one`,
    });
  }
  const { handlers, extension } = await loadHandlers(
    spec.module,
    options.scenarioDir,
    `mocks.${spec.name}.module`,
    { deadlineMs: options.moduleDeadlineMs, signal: options.signal },
  );
  return startMockServer({ ...common, handlers, extension });
}
