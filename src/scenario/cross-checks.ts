// Checks across sections, on the merged data as written (not the schema's output), so they run
// in the same pass as the schema however many schema problems the file has: names unique,
// templates that name values which exist (mocks and what each offers, flow captures, datasets for
// {{pick}}), budgets that name endpoints; and (missingFiles) files that exist. A part the schema refuses is skipped
// here, never reported twice.

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { knownValues, type MockOffer, offers, showKnown } from '../templates/known-values.js';
import { compileTemplate, TAG, type Template } from '../templates/template.js';
import { didYouMean } from './did-you-mean.js';
import { endpointName, pathPattern } from './endpoint-name.js';
import type { FieldPath } from './read-document.js';

export interface PathProblem {
  path: FieldPath;
  message: string;
}

type Raw = Record<string, unknown>;
const isMapping = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The mocks the data declares, with what a trial import read from each module (by name). */
export function declaredMocks(data: Raw, read: ReadonlyMap<string, MockOffer> = new Map()): MockOffer[] {
  const mocks = isMapping(data.mocks) ? data.mocks : {};
  return Object.keys(mocks).map(
    (name) => read.get(name) ?? { name, kind: name === 'tmdb' ? 'tmdb' : 'handlers' },
  );
}

export function crossChecks(data: Raw, mocks: readonly MockOffer[]): PathProblem[] {
  const problems: PathProblem[] = [];
  const issue = (p: FieldPath, message: string) => problems.push({ path: p, message });
  const load = list(data.load);
  const flows = list(data.flows);
  const byName = new Map(mocks.map((m) => [m.name, m]));
  const mockList = mocks.length
    ? ` (mocks: ${mocks.map((m) => m.name).join(', ')})`
    : ' (the scenario has no mocks:)';

  // Phases and flows are the groups of the report: their names must not collide.
  const groups = new Map<string, string>();
  for (const [key, items] of [
    ['load', load],
    ['flows', flows],
  ] as const)
    items.forEach((item, i) => {
      const name = isMapping(item) ? str(item.name) : undefined;
      if (name === undefined) return;
      if (groups.has(name)) issue([key, i, 'name'], `${groups.get(name)} already has the name "${name}"`);
      else groups.set(name, `${key}[${i}]`);
    });

  /** A traffic template: `{{job}}` (captured), `{{tmdb.ids}}` / `{{pick tmdb.ids}}` (a mock's values). */
  const trafficRef = (t: Template, at: FieldPath, captured: Set<string> | undefined) => {
    if (t.readsCopy && !captured)
      issue(at, '{{copy}}: only flow steps have a copy number; use {{seq}} or {{uuid}} in load phases');
    for (const name of [...t.names, ...t.picks]) {
      const shown = t.picks.includes(name) ? `{{pick ${name}}}` : `{{${name}}}`;
      const [head, ...rest] = name.split('.') as [string, ...string[]];
      if (captured?.has(head)) continue;
      // {{cookies.NAME}}: the flow copy's cookie jar (src/load/cookie-jar.ts), filled at run time.
      if (head === 'cookies' && rest.length === 1 && !t.picks.includes(name)) {
        if (!captured) issue(at, `${shown}: load phases have no cookie jar; cookies belong to flow copies`);
        continue;
      }
      if (rest.length === 0) {
        issue(
          at,
          captured
            ? `${shown}: no earlier step captures ${name} (add capture: { ${name}: FIELD } to a step before)`
            : `${shown}: load phases have no variables; use {{random A B}}, {{seq}} or {{pick LIST}}`,
        );
        continue;
      }
      const mock = byName.get(head);
      if (!mock && head === 'mocks' && rest.length > 1) {
        issue(at, `${shown}: traffic templates name the mock directly, like {{${rest.join('.')}}}`);
        continue;
      }
      if (!mock) {
        issue(at, `${shown}: no mock named ${head}${mockList}`);
        continue;
      }
      const known = knownValues(mock).traffic;
      if (known && !offers(known, rest.join('.')))
        issue(
          at,
          `${shown}: the ${head} mock offers no ${rest.join('.')}${known.length ? ` (it offers ${showKnown(`${head}.`, known)})` : ' (its module exports no values)'}`,
        );
    }
  };

  load.forEach((phase, i) => {
    if (!isMapping(phase)) return;
    list(phase.requests).forEach((r, j) => {
      for (const [t, at] of requestTemplates(r, ['load', i, 'requests', j])) trafficRef(t, at, undefined);
    });
  });
  flows.forEach((flow, i) => {
    if (!isMapping(flow)) return;
    const captured = new Set<string>();
    list(flow.steps).forEach((st, j) => {
      for (const [t, at] of requestTemplates(st, ['flows', i, 'steps', j])) trafficRef(t, at, captured);
      if (isMapping(st) && isMapping(st.capture)) for (const v of Object.keys(st.capture)) captured.add(v);
    });
  });

  // Integrity templates read what the run produced: `{{mocks.NAME.VALUE}}`.
  list(data.integrity).forEach((check, i) => {
    if (!isMapping(check)) return;
    for (const key of ['sql', 'equals', 'atLeast', 'atMost']) {
      const text = str(check[key]);
      if (text === undefined) continue;
      for (const m of text.matchAll(TAG)) {
        const problem = integrityRef(m[1] as string, byName, mockList);
        if (problem) issue(['integrity', i, key], `${m[0]}: ${problem}`);
      }
    }
  });

  // Budgets name endpoints, phases or flows that exist.
  const known = new Set<string>([
    ...groups.keys(),
    ...load.flatMap((p) => (isMapping(p) ? list(p.requests).map(nameOf) : [])),
    ...flows.flatMap((f) => (isMapping(f) ? list(f.steps).map(nameOf) : [])),
  ]);
  known.delete('');
  const budgets = isMapping(data.budgets) && isMapping(data.budgets.endpoints) ? data.budgets.endpoints : {};
  for (const name of Object.keys(budgets)) {
    if (known.has(name)) continue;
    // A name written with the path's template text: the endpoint is named by its pattern.
    const space = name.indexOf(' ');
    const pattern =
      space < 0 ? pathPattern(name) : `${name.slice(0, space)} ${pathPattern(name.slice(space + 1))}`;
    const hint = known.has(pattern) ? pattern : didYouMean(name, [...known]);
    issue(
      ['budgets', 'endpoints', name],
      `no endpoint, phase or flow is named "${name}"${hint ? `; did you mean "${hint}"?` : known.size ? ` (known: ${[...known].join(', ')})` : ''}`,
    );
  }

  return problems;
}

/** `{{mocks.tmdb.served.movies}}` → undefined, or what is wrong with it and what exists. */
function integrityRef(
  body: string,
  byName: ReadonlyMap<string, MockOffer>,
  mockList: string,
): string | undefined {
  const [root, name, ...rest] = body.trim().split('.');
  if (root !== 'mocks' || name === undefined)
    return "integrity templates read a mock's values, like {{mocks.tmdb.served.movies}}";
  const mock = byName.get(name);
  if (!mock) return `no mock named ${name}${mockList}`;
  const known = knownValues(mock).integrity;
  if (!known || offers(known, rest.join('.'))) return undefined;
  const what = rest.length ? `no value ${rest.join('.')}` : 'a mock is not a value; name one of its values';
  return `the ${name} mock offers ${what} (it offers ${showKnown(`mocks.${name}.`, known)})`;
}

function requestTemplates(r: unknown, base: FieldPath): [Template, FieldPath][] {
  if (!isMapping(r)) return [];
  const out: [Template, FieldPath][] = [];
  const add = (text: unknown, at: FieldPath) => {
    if (typeof text !== 'string') return;
    try {
      out.push([compileTemplate(text), at]);
    } catch {
      // A template that does not compile is the schema's problem (reported there, once).
    }
  };
  add(r.path, [...base, 'path']);
  if (isMapping(r.headers)) for (const [k, v] of Object.entries(r.headers)) add(v, [...base, 'headers', k]);
  if (isMapping(r.form)) for (const [k, v] of Object.entries(r.form)) add(v, [...base, 'form', k]);
  // A login step (src/load/login.ts) is written as login: { path, username, password, fields }.
  if (isMapping(r.login)) {
    const at = [...base, 'login'];
    for (const key of ['path', 'username', 'password']) add(r.login[key], [...at, key]);
    if (isMapping(r.login.fields))
      for (const [k, v] of Object.entries(r.login.fields)) add(v, [...at, 'fields', k]);
  }
  const walk = (v: unknown, at: FieldPath): void => {
    if (typeof v === 'string') add(v, at);
    else if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, [...at, i]);
    } else if (isMapping(v)) for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
  };
  walk(r.body, [...base, 'body']);
  return out;
}

/** The name reports use: `name:`, else "METHOD path-pattern" (the schema's default, ./endpoint-name.ts). */
function nameOf(r: unknown): string {
  if (!isMapping(r)) return '';
  if (isMapping(r.login) && str(r.name) === undefined) return `login ${pathPattern(str(r.login.path) ?? '')}`;
  return str(r.name) ?? endpointName((str(r.method) ?? 'GET').toUpperCase(), str(r.path) ?? '');
}

/** Local files the scenario names that are not there: mock modules, the proxy's files (relative to the scenario). */
export function missingFiles(data: Raw, scenarioDir: string): PathProblem[] {
  const problems: PathProblem[] = [];
  const check = (ref: unknown, at: FieldPath, what: string) => {
    if (typeof ref !== 'string' || ref === '') return;
    const file = path.resolve(scenarioDir, ref);
    if (!existsSync(file))
      problems.push({
        path: at,
        message: `${file} does not exist; fix the path (relative to the scenario file) or create ${what}`,
      });
    else if (statSync(file).isDirectory())
      problems.push({ path: at, message: `${file} is a directory; expected ${what}` });
  };
  if (isMapping(data.mocks))
    for (const [name, m] of Object.entries(data.mocks))
      if (isMapping(m)) check(m.module, ['mocks', name, 'module'], 'the module (msw handlers)');
  const proxy = isMapping(data.stack) ? data.stack.proxy : undefined;
  if (isMapping(proxy) && isMapping(proxy.files))
    for (const [k, v] of Object.entries(proxy.files)) check(v, ['stack', 'proxy', 'files', k], 'the file');
  return problems;
}
