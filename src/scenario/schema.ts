// The scenario schema in code (zod): the input shape users write, validated strictly, transformed
// into the normalised Scenario (src/scenario/types.ts). Also the source of scenarios/schema.json.
// Checks across sections (unique names, variables captured before use, budget names that exist)
// run once every section is valid on its own.
import { z } from 'zod';
import { compileTemplate, type Template } from '../templates/template.js';
import { BUDGET_DEFAULTS, defaultBudgets } from './defaults.js';
import { didYouMean } from './did-you-mean.js';
import {
  bool,
  duration,
  expected,
  noIssues,
  nonEmptyText,
  nonNegativeInt,
  positiveDuration,
  share,
  templated,
  text,
} from './fields.js';
import { edgeSchema } from './schema-edge.js';
import { compact, mocksSchema, serverSchema, stackSchema } from './schema-stack.js';
import { flowSchema, phaseSchema } from './schema-traffic.js';
import { countStatements } from './sql-statements.js';
import type {
  Budgets,
  Flow,
  IntegrityCheck,
  LoadPhase,
  LoginSpec,
  MockSpec,
  Scenario,
  SettleSpec,
} from './types.js';

const endpointBudget = z
  .strictObject({
    p50: duration().optional(),
    p95: duration().optional(),
    p99: duration().optional(),
    max: duration().optional(),
    errorRate: share().optional(),
  })
  .transform((b) =>
    compact({ p50Ms: b.p50, p95Ms: b.p95, p99Ms: b.p99, maxMs: b.max, errorRate: b.errorRate }),
  );

const budgets = z
  .strictObject({
    warnAt: share()
      .optional()
      .meta({ description: 'Share of the server timeout that flags a request approaching (0.5)' }),
    criticalAt: share()
      .optional()
      .meta({ description: 'Share of the server timeout that flags a request critical (0.8)' }),
    workerTimeouts: nonNegativeInt().optional().meta({ description: 'Worker timeouts allowed (0)' }),
    errorRate: share().optional().meta({ description: 'Overall error rate allowed (0.01)' }),
    rateShortfall: share().optional().meta({
      description:
        "Share of an open-model phase's planned requests that may go unsent (0.05): finding rate-not-reached",
    }),
    failOnCritical: bool().optional().meta({ description: 'Fail on any critical request (true)' }),
    endpoints: z
      .record(z.string(), endpointBudget, {
        error: expected('a mapping of endpoint, phase or flow names to budgets'),
      })
      .optional()
      .meta({ description: 'By endpoint, phase or flow name: p50, p95, p99, max, errorRate' }),
  })
  .superRefine((b, ctx) => {
    const warnAt = b.warnAt ?? BUDGET_DEFAULTS.warnAt;
    const criticalAt = b.criticalAt ?? BUDGET_DEFAULTS.criticalAt;
    if (warnAt <= 0)
      ctx.addIssue({ code: 'custom', path: ['warnAt'], message: `expected a share above 0, got ${warnAt}` });
    if (warnAt > criticalAt)
      ctx.addIssue({
        code: 'custom',
        path: [b.criticalAt === undefined ? 'warnAt' : 'criticalAt'],
        message: `warnAt (${warnAt}) must not be above criticalAt (${criticalAt})`,
      });
  }, noIssues)
  .transform(
    (b): Budgets => ({
      warnAt: b.warnAt ?? BUDGET_DEFAULTS.warnAt,
      criticalAt: b.criticalAt ?? BUDGET_DEFAULTS.criticalAt,
      workerTimeouts: b.workerTimeouts ?? BUDGET_DEFAULTS.workerTimeouts,
      errorRate: b.errorRate ?? BUDGET_DEFAULTS.errorRate,
      rateShortfall: b.rateShortfall ?? BUDGET_DEFAULTS.rateShortfall,
      failOnCritical: b.failOnCritical ?? BUDGET_DEFAULTS.failOnCritical,
      endpoints: b.endpoints ?? {},
    }),
  );

const expectedValue = () =>
  z.union([z.number(), templated()], {
    error: expected('a number or a template like "{{mocks.tmdb.served.movies}}"'),
  });

const integrityCheck = z
  .strictObject({
    name: nonEmptyText('a name saying what the check proves'),
    sql: nonEmptyText('an SQL query whose first column of the first row is compared'),
    equals: expectedValue().optional(),
    atLeast: expectedValue().optional(),
    atMost: expectedValue().optional(),
    zero: bool().optional().meta({ description: 'true: the value must be 0' }),
  })
  .superRefine((c, ctx) => {
    const given = (['equals', 'atLeast', 'atMost', 'zero'] as const).filter((k) => c[k] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: 'custom',
        path: given.length > 1 ? [given[1] as string] : [],
        message: `expected exactly one of equals, atLeast, atMost or zero${given.length ? ` (got ${given.join(' and ')})` : ''}`,
      });
    oneStatement(c.sql, `the check "${c.name}"`, ctx);
  }, noIssues)
  .transform((c): IntegrityCheck => compact({ ...c }));

const settle = z
  .strictObject({
    sql: nonEmptyText('an SQL query that is truthy once background work is done').optional(),
    within: positiveDuration().optional().meta({ description: 'Deadline (default 2m)' }),
    every: positiveDuration().optional().meta({ description: 'Poll interval (default 1s)' }),
  })
  .superRefine((s, ctx) => {
    if (s.sql !== undefined) oneStatement(s.sql, 'the settle query', ctx);
  }, noIssues)
  .transform(
    (s): SettleSpec => compact({ sql: s.sql, withinMs: s.within ?? 120_000, everyMs: s.every ?? 1_000 }),
  );

/** Database queries run one statement each, read-only: a second statement is refused here. */
function oneStatement(sql: string, what: string, ctx: z.RefinementCtx): void {
  const n = countStatements(sql);
  if (n > 1)
    ctx.addIssue({
      code: 'custom',
      path: ['sql'],
      message: `${what} holds ${n} SQL statements; it must be one read-only query (remove the ';' and what follows it)`,
    });
}

const NAME_EXPECTED = 'a name of lower-case letters, digits and dashes, like tmdb-import';

export const scenarioSchema = z
  .strictObject({
    $schema: text('a JSON Schema reference').optional(),
    name: text(NAME_EXPECTED).regex(/^[a-z0-9-]+$/, { error: expected(NAME_EXPECTED) }),
    description: text().optional(),
    stack: stackSchema.optional(),
    server: serverSchema.optional(),
    edge: edgeSchema.optional(),
    mocks: mocksSchema
      .optional()
      .meta({ description: 'Mocked dependencies: tmdb is built in, others need module:' }),
    load: z
      .array(phaseSchema, {
        error: expected('a list of phases like { name: browse, duration: 60s, requests: [...] }'),
      })
      .optional()
      .meta({ description: 'Load phases, run in order' }),
    flows: z
      .array(flowSchema, { error: expected('a list of flows like { name: import, steps: [...] }') })
      .optional()
      .meta({ description: 'Scripted sequences, alongside the load' }),
    budgets: budgets.optional(),
    integrity: z
      .array(integrityCheck, { error: expected('a list of checks like { name, sql, equals }') })
      .optional(),
    settle: settle.optional().meta({ description: 'Wait for background work before integrity checks' }),
    redact: z
      .array(nonEmptyText('an env variable name or a literal secret value'), {
        error: expected('a list of env variable names or values to mask, like [MY_VAR]'),
      })
      .optional()
      .meta({ description: 'More secrets to mask in every report and the console: env names or values' }),
  })
  .superRefine((s, ctx) => crossChecks(s, ctx), noIssues)
  .transform(
    (s): Omit<Scenario, 'file'> =>
      compact({
        name: s.name,
        description: s.description,
        stack: s.stack ?? { services: [] },
        server: s.server ?? {},
        edge: s.edge,
        mocks: s.mocks ?? [],
        load: s.load ?? [],
        flows: s.flows ?? [],
        budgets: s.budgets ?? defaultBudgets(),
        integrity: s.integrity ?? [],
        settle: s.settle,
        redact: s.redact,
      }),
  );

type Path = (string | number)[];

function crossChecks(
  s: { load?: LoadPhase[]; flows?: Flow[]; mocks?: MockSpec[]; budgets?: Budgets },
  ctx: z.RefinementCtx,
): void {
  const load = s.load ?? [];
  const flows = s.flows ?? [];
  const mockNames = (s.mocks ?? []).map((m) => m.name);
  const issue = (path: Path, message: string) => ctx.addIssue({ code: 'custom', path, message });

  // Phases and flows are the groups of the report: their names must not collide.
  const groups = new Map<string, string>();
  load.forEach((p, i) => {
    if (groups.has(p.name))
      issue(['load', i, 'name'], `${groups.get(p.name)} already has the name "${p.name}"`);
    else groups.set(p.name, `load[${i}]`);
  });
  flows.forEach((f, i) => {
    if (groups.has(f.name))
      issue(['flows', i, 'name'], `${groups.get(f.name)} already has the name "${f.name}"`);
    else groups.set(f.name, `flows[${i}]`);
  });

  const checkRefs = (t: Template, path: Path, captured: Set<string> | undefined) => {
    if (t.readsCopy && !captured)
      issue(path, '{{copy}}: only flow steps have a copy number; use {{seq}} or {{uuid}} in load phases');
    for (const name of [...t.names, ...t.picks]) {
      const head = name.split('.')[0] as string;
      const isPick = t.picks.includes(name);
      if (captured?.has(head)) continue;
      if (head === 'cookies' && name.split('.').length === 2 && !isPick) {
        if (!captured)
          issue(path, `{{${name}}}: load phases have no cookie jar; cookies belong to flow copies`);
        continue;
      }
      if (!name.includes('.')) {
        issue(
          path,
          captured
            ? `{{${name}}}: no earlier step captures ${name} (add capture: { ${name}: FIELD } to a step before)`
            : `{{${name}}}: load phases have no variables; use {{random A B}}, {{seq}} or {{pick LIST}}`,
        );
      } else if (!mockNames.includes(head)) {
        issue(
          path,
          `{{${isPick ? `pick ${name}` : name}}}: no mock named ${head}${mockNames.length ? ` (mocks: ${mockNames.join(', ')})` : ''}`,
        );
      }
    }
  };
  const templatesOf = (
    r: { path: string; headers: Record<string, string>; body?: unknown; form?: Record<string, string> },
    base: Path,
  ) => {
    const out: [Template, Path][] = [[compileTemplate(r.path), [...base, 'path']]];
    for (const [k, v] of Object.entries(r.headers)) out.push([compileTemplate(v), [...base, 'headers', k]]);
    collectBody(r.body, [...base, 'body'], out);
    for (const [k, v] of Object.entries(r.form ?? {})) out.push([compileTemplate(v), [...base, 'form', k]]);
    return out;
  };
  const loginTemplates = (l: LoginSpec, base: Path) => {
    const out: [Template, Path][] = [
      [compileTemplate(l.username), [...base, 'username']],
      [compileTemplate(l.password), [...base, 'password']],
    ];
    for (const [k, v] of Object.entries(l.fields)) out.push([compileTemplate(v), [...base, 'fields', k]]);
    return out;
  };

  for (const [i, p] of load.entries()) {
    for (const [j, r] of p.requests.entries()) {
      for (const [t, path] of templatesOf(r, ['load', i, 'requests', j])) checkRefs(t, path, undefined);
    }
  }
  flows.forEach((f, i) => {
    const captured = new Set<string>();
    f.steps.forEach((st, j) => {
      const base = ['flows', i, 'steps', j];
      // A login step's path is written as login.path: name that field in messages.
      const templates = st.login
        ? [
            ...templatesOf(st, base).map(([t, p]): [Template, Path] =>
              p.length === base.length + 1 && p.at(-1) === 'path' ? [t, [...base, 'login', 'path']] : [t, p],
            ),
            ...loginTemplates(st.login, [...base, 'login']),
          ]
        : templatesOf(st, base);
      for (const [t, path] of templates) checkRefs(t, path, captured);
      for (const v of Object.keys(st.capture)) captured.add(v);
    });
  });

  // Budgets name endpoints, phases or flows that exist.
  const known = new Set<string>([
    ...groups.keys(),
    ...load.flatMap((p) => p.requests.map((r) => r.name)),
    ...flows.flatMap((f) => f.steps.map((st) => st.name)),
  ]);
  for (const name of Object.keys(s.budgets?.endpoints ?? {})) {
    if (known.has(name)) continue;
    const hint = didYouMean(name, [...known]);
    issue(
      ['budgets', 'endpoints', name],
      `no endpoint, phase or flow is named "${name}"${hint ? `; did you mean "${hint}"?` : known.size ? ` (known: ${[...known].join(', ')})` : ''}`,
    );
  }
}

function collectBody(body: unknown, path: Path, out: [Template, Path][]): void {
  if (typeof body === 'string') out.push([compileTemplate(body), path]);
  else if (Array.isArray(body)) {
    for (const [i, v] of body.entries()) collectBody(v, [...path, i], out);
  } else if (body && typeof body === 'object')
    for (const [k, v] of Object.entries(body)) collectBody(v, [...path, k], out);
}
