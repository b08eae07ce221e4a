// One stack for every step of a sweep, where its state can be put back to the start between
// steps; a fresh stack per step otherwise. What a step starts from must be what a plain
// `smokestack run` starts from:
//   - the database: a template database is copied from it once, after the app's setup (its
//     migrations) and before any traffic; before each later step the database is dropped and
//     created again from that template (connections ended first: CREATE DATABASE ... TEMPLATE
//     refuses a source anyone is connected to, and DROP one that is in use);
//   - the mocks: stopped and started again with the step's scenario (its latency, its dataset),
//     on the same ports, so the app's configured URLs still reach them, with fresh call logs,
//     counters and clocks;
//   - the app: its container stays up. Its workers keep no request state of ours between
//     requests; a worker killed in a step is replaced by gunicorn before the next one.
// Reuse needs the containers (not --url), a Postgres or none, and no other services: a queue,
// a cache or a worker service holds state we cannot reset, so such a stack is fresh per step.

import path from 'node:path';
import createDebug from 'debug';
import { type MockServer, startMocks } from '../mocks/index.js';
import { withDatabase } from '../observe/pg-session.js';
import type { Target, TargetOptions } from '../run/target.js';
import { bringUpTarget } from '../run/target.js';
import type { Scenario } from '../scenario/types.js';
import type { LogLine } from '../stack/start-stack.js';
import { Teardown } from '../util/teardown.js';

const debug = createDebug('smokestack:sweep');

/** Why a scenario's stack cannot be reused between steps, or undefined when it can. */
export function whyNotReusable(scenario: Scenario, options: { url?: string }): string | undefined {
  if (options.url !== undefined) return 'the target is a running deployment (--url), not our stack';
  if (!scenario.stack.app) return 'the scenario has no stack.app';
  if (scenario.stack.compose)
    return `its compose stack (${scenario.stack.compose.file}) holds state that cannot be reset`;
  if (scenario.stack.services.length > 0)
    return `its services (${scenario.stack.services.map((s) => s.name).join(', ')}) hold state that cannot be reset`;
  return undefined;
}

/** The per-run hooks runScenario takes in place of bringing a target up and tearing it down. */
export interface ReusedTarget {
  /** The target for one run, reset to the start; logs go to this run's `onLog` from now on. */
  acquire(scenario: Scenario, options: TargetOptions): Promise<Target>;
}

export interface StackReuse extends ReusedTarget {
  /** Stops the stack (after the last step, on every path). */
  close(): Promise<string[]>;
  /** Times of the last reset (database and mocks), for the bench and the progress line. */
  lastResetMs(): number | undefined;
}

export function createStackReuse(): StackReuse {
  const teardown = new Teardown();
  let target: Target | undefined;
  let template: { adminUrl: string; database: string; copy: string } | undefined;
  let sink: (line: LogLine) => void = () => {};
  let resetMs: number | undefined;
  let seed: number | undefined;
  let scenarioDir = '';

  return {
    async acquire(scenario, options) {
      sink = options.onLog;
      if (!target) {
        seed = options.seed;
        scenarioDir = path.dirname(path.resolve(scenario.file));
        // Owned by the sweep, not the run: the run's own teardown leaves it up.
        target = await bringUpTarget(scenario, {
          ...options,
          teardown,
          onLog: (line) => sink(line),
        });
        template = await makeTemplate(target);
        return target;
      }
      const started = Date.now();
      options.onStage('resetting the stack: database from its template, mocks restarted');
      if (template) await recreateFromTemplate(template);
      target = { ...target, mocks: await restartMocks(target.mocks, scenario, seed, scenarioDir) };
      resetMs = Date.now() - started;
      return target;
    },
    async close() {
      const failures = await teardown.run();
      for (const f of failures) debug('teardown of %s failed: %O', f.name, f.error);
      return failures.map((f) => f.name);
    },
    lastResetMs: () => resetMs,
  };

  async function restartMocks(
    old: MockServer[],
    scenario: Scenario,
    seedOverride: number | undefined,
    dir: string,
  ): Promise<MockServer[]> {
    const ports = new Map(old.map((m) => [m.name, m.port]));
    await Promise.all(old.map((m) => m.stop()));
    const specs = scenario.mocks.map((m) => ({
      ...m,
      port: ports.get(m.name) ?? m.port,
      ...(seedOverride === undefined ? {} : { seed: seedOverride }),
    }));
    // The same addresses as before: loopback, and the Docker bridge gateway the app reaches.
    const alsoOn = [
      ...new Set(old.flatMap((m) => m.listening.map((l) => l.address)).filter((a) => a !== '127.0.0.1')),
    ];
    const fresh = await startMocks(specs, { scenarioDir: dir, alsoOn });
    // The teardown stops whichever mocks are current when the sweep ends.
    for (const m of fresh) teardown.add(`mock ${m.name}`, () => m.stop());
    return fresh;
  }
}

/** The database the app uses, copied once as `<db>_smokestack_template`. */
async function makeTemplate(
  target: Target,
): Promise<{ adminUrl: string; database: string; copy: string } | undefined> {
  const url = target.stack?.databaseUrl;
  if (!url) return undefined;
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.slice(1));
  parsed.pathname = '/postgres';
  const adminUrl = parsed.toString();
  const copy = `${database}_smokestack_template`;
  await withDatabase(adminUrl, async (client) => {
    await endConnections(client, database);
    await client.query(`CREATE DATABASE ${ident(copy)} TEMPLATE ${ident(database)}`);
  });
  return { adminUrl, database, copy };
}

async function recreateFromTemplate(t: { adminUrl: string; database: string; copy: string }): Promise<void> {
  await withDatabase(t.adminUrl, async (client) => {
    // A connection may come back between the two statements (a health check): end it again once.
    for (let attempt = 0; ; attempt++) {
      await endConnections(client, t.database);
      try {
        await client.query(`DROP DATABASE IF EXISTS ${ident(t.database)}`);
        break;
      } catch (error) {
        if (attempt >= 2) throw error;
      }
    }
    await client.query(`CREATE DATABASE ${ident(t.database)} TEMPLATE ${ident(t.copy)}`);
  });
}

async function endConnections(
  client: { query: (sql: string, values?: unknown[]) => Promise<unknown> },
  database: string,
) {
  await client.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [database],
  );
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
