// Loads a user's module of msw handlers for a scenario mock (`mocks.<name>.module`): its default
// export or its `handlers` export, an array of msw request handlers; its optional `values` export
// (plain data for templates: `export const values = { ids: [...], pages: 3 }`); and its optional
// `extension` export (computed values, served counts: the mock server's one extension point, as
// the built-in TMDB mock uses it). Every way this can go wrong becomes a UsageError naming the
// file and what to do about it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RequestHandler } from 'msw';
import { UsageError } from '../errors.js';
import { RESERVED_VALUE_NAMES } from '../templates/mock-values.js';
import { registerMockModuleHooks } from './module-hooks.js';
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
    registerMockModuleHooks();
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const missingMsw = /Cannot find (package|module) 'msw'/.test(message ?? '');
    throw new UsageError(`${field}: ${file} failed to load: ${message}`, {
      fix: missingMsw
        ? "write it as an ES module (import { http } from 'msw': smokestack gives it its own msw); a CommonJS require('msw') needs msw installed beside the module"
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
  const where = `${field}: ${file}`;
  return {
    handlers: found,
    extension: withValues(valuesOf(mod.values, where), extensionOf(mod.extension, where), where),
  };
}

/** `export const values = { ids: [1, 2, 3] }`: plain data, read as it is when templates read it. */
function valuesOf(value: unknown, where: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(
      `${where} exports values that are not an object (${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value})`,
      {
        fix: 'export const values = { ids: [1, 2, 3], pages: 3 } (computed values: export const extension = { values: () => ({ … }) })',
      },
    );
  return value as Record<string, unknown>;
}

/** The plain `values` and the extension's computed ones, as one hook; a name in both is refused. */
function withValues(
  plain: Record<string, unknown> | undefined,
  extension: MockExtension | undefined,
  where: string,
): MockExtension | undefined {
  const computed = extension?.values;
  let names = Object.keys(plain ?? {});
  try {
    names = [...names, ...Object.keys(computed?.() ?? {})];
  } catch {
    // A hook that throws now may not later; the run reads it when traffic starts.
  }
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice)
    throw new UsageError(`${where}: ${twice} is both in its values export and in extension.values()`, {
      fix: 'name each value once: keep plain data in values, computed values in extension.values()',
    });
  const reserved = names.find((n) => (RESERVED_VALUE_NAMES as readonly string[]).includes(n));
  if (reserved)
    throw new UsageError(
      `${where}: a value may not be named ${reserved} ({{mocks.NAME.${reserved}}} is the mock's own)`,
      {
        fix: `rename it; ${RESERVED_VALUE_NAMES.join(', ')} are what every mock offers`,
      },
    );
  if (!plain) return extension;
  return { ...extension, values: () => ({ ...plain, ...computed?.() }) };
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
