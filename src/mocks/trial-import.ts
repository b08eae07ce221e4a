// A user's mock module is imported once in a worker thread before it is imported here. A module
// whose top level never finishes (a `while (true)`, a top-level await that never settles) would
// otherwise hold the main thread, and with it the signal handlers: Ctrl-C and SIGTERM could not
// even be noticed. In a worker the main thread stays free, a deadline can end the trial
// (terminate() interrupts a busy loop), and so can the run's signal.
// The module's top level runs twice (once in the worker, once here); its handlers come from the
// second import. A module that takes T to load costs about 2T of start-up.
import { Worker } from 'node:worker_threads';
import { InterruptedError } from '../errors.js';
import { MOCK_MODULE_HOOKS } from './module-hooks.js';
import type { HandlerDescription } from './route-key.js';

/** How long a mock module may take to load (its top level, imports included). */
export const MODULE_LOAD_DEADLINE_MS = 10_000;

/** What the module offers, read in the worker: `validate` checks templates against it. */
export interface ModuleOffer {
  /** An array of handlers as its default or `handlers` export. */
  handlers: boolean;
  /** Keys of its `values` export and of `extension.values()`; undefined when the hook threw. */
  values?: string[];
  /** Keys of `extension.served()`; [] without that hook. */
  served?: string[];
  /** Each handler as it describes itself, for the route keys (src/mocks/route-key.ts). */
  routes?: HandlerDescription[];
  /** What is wrong with its values (not an object, a name also in extension.values()). */
  valuesProblem?: string;
}

export type TrialOutcome =
  | { ok: true; offer?: ModuleOffer }
  | { ok: false; reason: 'failed'; message: string }
  | { ok: false; reason: 'deadline' }
  /** The worker's event loop emptied with the import still pending: its top-level await never settles. */
  | { ok: false; reason: 'never-settles' };

// CommonJS eval code (a worker's `eval: true` default); `import()` still loads ES modules.
const TRIAL = `
const { parentPort, workerData } = require('node:worker_threads');
// The hooks the main thread's import uses (./module-hooks.ts): msw from smokestack's own install.
require('node:module').register(workerData.hooks.url, { data: workerData.hooks.data });
const keys = (hook) => {
  if (typeof hook !== 'function') return [];
  try {
    const v = hook();
    return v && typeof v === 'object' && typeof v.then !== 'function' ? Object.keys(v) : undefined;
  } catch {
    return undefined;
  }
};
// What a handler says of itself (msw's info), as a message carries it (a RegExp is cloned as one);
// src/mocks/route-key.ts makes the route keys from it on the other side.
const own = (v) => (v instanceof RegExp || typeof v === 'string' ? v : undefined);
const describe = (h) => {
  const info = (h && h.info) || {};
  return { header: String(info.header ?? ''), method: own(info.method), path: own(info.path) };
};
import(workerData.url).then(
  (mod) => {
    const found = mod.default ?? mod.handlers;
    const ext = mod.extension && typeof mod.extension === 'object' ? mod.extension : {};
    const dynamic = keys(ext.values);
    const v = mod.values;
    const isData = v !== null && typeof v === 'object' && !Array.isArray(v);
    const plain = isData ? Object.keys(v) : [];
    // The refusals of load-handlers.ts, found here so validate reports them before a run.
    const twice = plain.find((k) => dynamic && dynamic.includes(k));
    const valuesProblem =
      v !== undefined && !isData
        ? 'exports values that are not an object (' + (Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v) + ')'
        : twice
          ? twice + ' is both in its values export and in extension.values()'
          : undefined;
    const offer = {
      handlers: Array.isArray(found) && found.length > 0,
      values: dynamic && [...new Set([...plain, ...dynamic])],
      served: keys(ext.served),
      routes: Array.isArray(found) ? found.map(describe) : [],
      valuesProblem,
    };
    parentPort.postMessage({ ok: true, offer });
  },
  (e) => parentPort.postMessage({ ok: false, message: String((e && e.message) || e).split('\\n')[0] }),
);
`;

export function trialImport(
  url: string,
  options: { deadlineMs?: number; signal?: AbortSignal } = {},
): Promise<TrialOutcome> {
  const deadlineMs = options.deadlineMs ?? MODULE_LOAD_DEADLINE_MS;
  return new Promise((resolve, reject) => {
    const worker = new Worker(TRIAL, {
      eval: true,
      workerData: { url, hooks: MOCK_MODULE_HOOKS },
      stdout: true,
      stderr: true,
    });
    // Its output is the module's business; dropped so a chatty module cannot flood the console.
    worker.stdout.resume();
    worker.stderr.resume();
    let settled = false;
    const finish = (outcome: TrialOutcome | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onAbort = () => finish(new InterruptedError(String(options.signal?.reason ?? 'SIGINT')));
    const timer = setTimeout(() => finish({ ok: false, reason: 'deadline' }), deadlineMs);
    worker.on('message', (m: { ok: boolean; message?: string; offer?: ModuleOffer }) =>
      finish(
        m.ok
          ? { ok: true, offer: m.offer }
          : { ok: false, reason: 'failed', message: m.message ?? 'unknown error' },
      ),
    );
    worker.on('error', (e) => finish({ ok: false, reason: 'failed', message: e.message.split('\n')[0]! }));
    worker.on('exit', () => finish({ ok: false, reason: 'never-settles' }));
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
