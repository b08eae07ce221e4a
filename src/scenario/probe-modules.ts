// Imports each handlers module a scenario names, in a worker under a deadline (the run's own trial,
// src/mocks/trial-import.ts), before anything starts: a syntax error, an `msw` it cannot resolve,
// a throwing or never-settling top level, or no handlers exported is a problem in the file, not a
// failure at "starting mocks". What the module offers (its extension's values) is read on the way,
// for the template checks.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { handlerInfo, routeTable } from '../mocks/route-key.js';
import { MODULE_LOAD_DEADLINE_MS, trialImport } from '../mocks/trial-import.js';
import type { MockOffer } from '../templates/known-values.js';
import { RESERVED_VALUE_NAMES } from '../templates/mock-values.js';
import type { PathProblem } from './cross-checks.js';

export interface ProbedModules {
  problems: PathProblem[];
  /** By mock name: what each module that imported offers. */
  offers: Map<string, MockOffer>;
}

export async function probeModules(
  data: Record<string, unknown>,
  scenarioDir: string,
  options: { deadlineMs?: number; signal?: AbortSignal } = {},
): Promise<ProbedModules> {
  const problems: PathProblem[] = [];
  const offers = new Map<string, MockOffer>();
  const mocks =
    typeof data.mocks === 'object' && data.mocks !== null ? (data.mocks as Record<string, unknown>) : {};
  const deadlineMs = options.deadlineMs ?? MODULE_LOAD_DEADLINE_MS;
  await Promise.all(
    Object.entries(mocks).map(async ([name, m]) => {
      const ref = (m as { module?: unknown } | null)?.module;
      if (name === 'tmdb' || typeof ref !== 'string' || ref === '') return;
      const file = path.resolve(scenarioDir, ref);
      // A missing file is reported by the cross-checks; TypeScript by its own message below.
      if (!existsSync(file)) return;
      const at = ['mocks', name, 'module'];
      if (/\.[cm]?tsx?$/.test(file)) {
        problems.push({
          path: at,
          message: `${file} is TypeScript, which Node cannot import as is; compile it to .js and point module: at that`,
        });
        return;
      }
      const trial = await trialImport(pathToFileURL(file).href, { deadlineMs, signal: options.signal });
      if (!trial.ok) {
        problems.push({ path: at, message: `${file} ${failure(trial, deadlineMs)}` });
        return;
      }
      if (trial.offer && !trial.offer.handlers) {
        problems.push({
          path: at,
          message: `${file} exports no msw handlers; export default [http.get(...)] or export const handlers = [...]`,
        });
        return;
      }
      if (trial.offer?.valuesProblem) {
        problems.push({
          path: at,
          message: `${file} ${trial.offer.valuesProblem}; export const values = { ids: [1, 2, 3] } (plain data), computed values in extension.values()`,
        });
        return;
      }
      const reserved = trial.offer?.values?.find((v) =>
        (RESERVED_VALUE_NAMES as readonly string[]).includes(v),
      );
      if (reserved) {
        problems.push({
          path: at,
          message: `${file} offers a value named ${reserved}, the name of what every mock offers ({{mocks.${name}.${reserved}}}); rename it`,
        });
        return;
      }
      offers.set(name, {
        name,
        kind: 'handlers',
        values: trial.offer?.values,
        served: trial.offer?.served,
        routes: routeTable((trial.offer?.routes ?? []).map((info) => handlerInfo({ info }))).map(
          (r) => r.key,
        ),
      });
    }),
  );
  return { problems, offers };
}

function failure(
  trial: Exclude<Awaited<ReturnType<typeof trialImport>>, { ok: true }>,
  deadlineMs: number,
): string {
  switch (trial.reason) {
    case 'deadline':
      return `did not finish loading within ${deadlineMs / 1000}s; a mock module must only define its handlers at the top level`;
    case 'never-settles':
      return 'never finished loading (a top-level await that never settles, or process.exit)';
    case 'failed':
      return /Cannot find (package|module) 'msw'/.test(trial.message)
        ? `cannot import msw (${trial.message}); write it as an ES module (import { http } from 'msw' resolves to smokestack's own msw), or install msw beside a CommonJS module`
        : `failed to load: ${trial.message}; fix the module (an ES module exporting msw handlers)`;
  }
}
