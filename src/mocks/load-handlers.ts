// Loads a user's module of msw handlers for a scenario mock (`mocks.<name>.module`): its default
// export or its `handlers` export, an array of msw request handlers, and its optional `extension`
// export (values for templates, served counts: the mock server's one extension point, as the
// built-in TMDB mock uses it). Every way this can go wrong becomes a UsageError naming the file and
// what to do about it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RequestHandler } from 'msw';
import { UsageError } from '../errors.js';
import type { MockExtension } from './serve.js';
import { MODULE_LOAD_DEADLINE_MS, trialImport } from './trial-import.js';

const EXAMPLE = "export default [http.get('https://api.example.com/v1/things', () => HttpResponse.json([]))]";

export interface LoadedModule {
  handlers: RequestHandler[];
  extension?: MockExtension;
}

const EXTENSION_HOOKS = ['values', 'served', 'servedIds', 'onAnswer'] as const;

export async function loadHandlers(
  modulePath: string,
  scenarioDir: string,
  field: string,
  options: { deadlineMs?: number; signal?: AbortSignal } = {},
): Promise<LoadedModule> {
  const file = path.resolve(scenarioDir, modulePath);
  if (!existsSync(file)) {
    throw new UsageError(`${field}: ${file} does not exist`, {
      fix: `fix the path (relative to the scenario file) or create the module: ${EXAMPLE}`,
    });
  }
  if (/\.[cm]?tsx?$/.test(file)) {
    throw new UsageError(`${field}: ${file} is TypeScript, which Node cannot import as is`, {
      fix: 'compile it to .js or .mjs and point module: at the compiled file',
    });
  }
  // First in a worker, under a deadline: a top level that never finishes fails here, in bounded
  // time, with the signal handlers free to run meanwhile (see trial-import.ts).
  const deadlineMs = options.deadlineMs ?? MODULE_LOAD_DEADLINE_MS;
  const trial = await trialImport(pathToFileURL(file).href, { deadlineMs, signal: options.signal });
  if (!trial.ok && trial.reason !== 'failed') {
    throw new UsageError(
      trial.reason === 'deadline'
        ? `${field}: ${file} did not finish loading within ${deadlineMs / 1000}s`
        : `${field}: ${file} never finished loading (a top-level await that never settles, or process.exit)`,
      {
        fix: 'a mock module must only define its handlers at the top level: move long or endless work (loops, awaits) into the handlers',
      },
    );
  }
  // A trial failure is imported again below, so its error reads as Node gives it in this process.
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const missingMsw = /Cannot find (package|module) 'msw'/.test(message ?? '');
    throw new UsageError(`${field}: ${file} failed to load: ${message}`, {
      fix: missingMsw
        ? 'install msw where the module can import it (npm install --save-dev msw)'
        : 'fix the error in the module; it must be an ES module (or CommonJS) exporting msw handlers',
      cause: error,
    });
  }
  const found = mod.default ?? mod.handlers;
  if (!Array.isArray(found) || found.length === 0 || !found.every(isHandler)) {
    throw new UsageError(
      `${field}: ${file} exports no msw handlers (default: ${describe(mod.default)}, handlers: ${describe(mod.handlers)})`,
      { fix: `export an array of msw handlers, e.g. ${EXAMPLE}, or export const handlers = [...]` },
    );
  }
  return { handlers: found, extension: extensionOf(mod.extension, `${field}: ${file}`) };
}

/** `export const extension = { values: () => ({ ids: [...] }) }`: each hook a function, nothing else. */
function extensionOf(value: unknown, where: string): MockExtension | undefined {
  if (value === undefined) return undefined;
  const fix = `export const extension = { values: () => ({ ids: [1, 2, 3] }) } (hooks: ${EXTENSION_HOOKS.join(', ')})`;
  if (typeof value !== 'object' || value === null)
    throw new UsageError(`${where} exports an extension that is not an object`, { fix });
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(EXTENSION_HOOKS as readonly string[]).includes(key))
      throw new UsageError(`${where} extension.${key}: not a hook the mock server knows`, { fix });
    if (typeof record[key] !== 'function')
      throw new UsageError(`${where} extension.${key}: expected a function, got ${typeof record[key]}`, {
        fix,
      });
  }
  return record as MockExtension;
}

/** Duck-typed: the module may import its own copy of msw, so `instanceof` would lie. */
function isHandler(value: unknown): value is RequestHandler {
  const h = value as { run?: unknown; info?: unknown } | null;
  return typeof h === 'object' && h !== null && typeof h.run === 'function' && typeof h.info === 'object';
}

function describe(value: unknown): string {
  if (value === undefined) return 'none';
  if (Array.isArray(value))
    return `an array of ${value.length}${value.every(isHandler) ? ' handlers' : ' non-handlers'}`;
  return typeof value;
}
