// The scenario schema in code (zod): the input shape users write, validated strictly, transformed
// into the normalised Scenario (src/scenario/types.ts). Also the source of scenarios/schema.json.
// Checks across sections (unique names, templates, budget names, files) are ./cross-checks.ts,
// on the data as written, so they run in the same pass as this schema.
import { z } from 'zod';
import { BUDGET_DEFAULTS, defaultBudgets } from './defaults.js';
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
import type { Budgets, IntegrityCheck, Scenario, SettleSpec } from './types.js';

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
    // Read before the schema (./extends.ts): here so editors know it and it is never "unknown".
    extends: text('the path of another scenario file, like ./smoke.yaml')
      .optional()
      .meta({ description: 'Start from another scenario (path relative to this file) and override fields' }),
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
