// Scenario schema, part 2: the traffic — load phases (autocannon) and flows (scripted sequences).

import { z } from 'zod';
import { checkRegex, checkSelector } from '../load/captures.js';
import { checkExpression } from '../load/expression.js';
import { KEYWORDS } from '../templates/template.js';
import { endpointName, pathPattern } from './endpoint-name.js';
import {
  bool,
  expected,
  headers,
  jsonBody,
  method,
  noIssues,
  nonEmptyText,
  positiveDuration,
  positiveInt,
  rate,
  requestPath,
  templated,
  text,
  duration as zeroOrMoreDuration,
} from './fields.js';
import { compact } from './schema-stack.js';
import type { Capture, Flow, FlowStep, LoadPhase, RequestSpec } from './types.js';

const request = z
  .strictObject({
    name: nonEmptyText('an endpoint name')
      .optional()
      .meta({ description: 'Endpoint name in reports (default "METHOD path", templates as :name)' }),
    weight: positiveInt().optional().meta({ description: 'Relative share of the mix (default 1)' }),
    method: method().optional().meta({ description: 'Default GET' }),
    path: requestPath().meta({ description: 'May contain {{random a b}}, {{seq}}, {{pick tmdb.ids}}' }),
    headers: headers().optional(),
    body: jsonBody()
      .optional()
      .meta({ description: 'JSON body (string leaves may contain templates) or a raw string' }),
  })
  .transform((r): RequestSpec => {
    const m = r.method ?? 'GET';
    return compact({
      name: r.name ?? endpointName(m, r.path),
      weight: r.weight ?? 1,
      method: m,
      path: r.path,
      headers: r.headers ?? {},
      body: r.body,
    });
  });

const rampStep = z
  .strictObject({
    duration: positiveDuration(),
    rate: rate(),
  })
  .transform((s) => ({ durationMs: s.duration, ratePerSecond: s.rate }));

export const phaseSchema = z
  .strictObject({
    name: nonEmptyText('a phase name like browse'),
    duration: positiveDuration().optional().meta({ description: 'How long the phase runs (or amount:)' }),
    amount: positiveInt().optional().meta({ description: 'Number of requests (or duration:)' }),
    connections: positiveInt().optional().meta({ description: 'Concurrent connections (default 10)' }),
    pipelining: positiveInt()
      .optional()
      .meta({ description: 'Requests in flight per connection (default 1)' }),
    rate: rate()
      .optional()
      .meta({ description: 'Arrival rate (open model: sent on schedule whatever the latency), like 200/s' }),
    maxConnections: positiveInt().optional().meta({
      description:
        'Open model: connections opened when all are busy, up to this (default: rate x client timeout, at most 1000)',
    }),
    ramp: z
      .array(rampStep, { error: expected('a list of { duration, rate } steps') })
      .min(1, { error: expected('a non-empty list of { duration, rate } steps') })
      .optional()
      .meta({
        description: 'Consecutive steps, each with its own rate and duration (instead of duration/rate)',
      }),
    requests: z
      .array(request, { error: expected('a list of requests like { method: GET, path: / }') })
      .min(1, { error: expected('at least one request like { method: GET, path: / }') }),
  })
  .superRefine((p, ctx) => {
    const given = (['duration', 'amount', 'ramp'] as const).filter((k) => p[k] !== undefined);
    if (given.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'missing duration: (or amount: or ramp:) — how long the phase runs',
      });
    if (given.length > 1)
      ctx.addIssue({
        code: 'custom',
        path: [given[1] as string],
        message: `give only one of duration, amount and ramp (this phase has ${given.join(' and ')})`,
      });
    if (p.ramp && p.rate !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['rate'],
        message: 'a ramp sets the rate of each step; remove rate: or ramp:',
      });
    const open = p.rate !== undefined || p.ramp !== undefined;
    if (p.maxConnections !== undefined && !open)
      ctx.addIssue({
        code: 'custom',
        path: ['maxConnections'],
        message:
          'maxConnections applies to a phase with rate: or ramp: (the open model); add a rate or remove it',
      });
    if (p.maxConnections !== undefined && p.maxConnections < (p.connections ?? 10))
      ctx.addIssue({
        code: 'custom',
        path: ['maxConnections'],
        message: `expected at least connections (${p.connections ?? 10}), got ${p.maxConnections}`,
      });
    if (open && (p.pipelining ?? 1) > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['pipelining'],
        message:
          'pipelining applies to closed-model phases (without rate:); an open-model request never waits behind another',
      });
    const connections = p.connections ?? 10;
    if (p.amount !== undefined && p.amount < connections)
      ctx.addIssue({
        code: 'custom',
        path: ['amount'],
        message: `expected at least as many requests as connections (${connections}), got ${p.amount}`,
      });
    uniqueNames(
      p.requests.map((r) => r.name),
      (i) => [
        'requests',
        i,
        p.requests[i]!.name === endpointName(p.requests[i]!.method, p.requests[i]!.path) ? 'path' : 'name',
      ],
      ctx,
      'request',
    );
  }, noIssues)
  .transform(
    (p): LoadPhase =>
      compact({
        name: p.name,
        durationMs: p.duration,
        amount: p.amount,
        connections: p.connections ?? 10,
        pipelining: p.pipelining ?? 1,
        ratePerSecond: p.rate,
        ramp: p.ramp,
        maxConnections: p.maxConnections,
        requests: p.requests,
      }),
  );

const statusCode = () =>
  z
    .number({ error: expected('an HTTP status like 200') })
    .int()
    .min(100)
    .max(599);

const variableName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: expected('a variable name like job') });

/** `{{seq}}`, `{{copy}}` … mean themselves: a variable of that name could never be read. */
function noKeywordNames(capture: Record<string, unknown> | undefined, ctx: z.RefinementCtx): void {
  for (const name of Object.keys(capture ?? {}))
    if ((KEYWORDS as readonly string[]).includes(name))
      ctx.addIssue({
        code: 'custom',
        path: ['capture', name],
        message: `{{${name}}} is a template of its own; choose another variable name`,
      });
}

const jsonPath = () =>
  text('a dotted path into the JSON response, like id or job.id').regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/, {
    error: expected('a dotted path into the JSON response, like id or job.id'),
  });

const CAPTURE_FORMS =
  'a JSON path like id, or one of { json: id }, { header: Location }, { cookie: csrftoken }, { regex: \'value="([^"]+)"\' }, { html: "input[name=csrfmiddlewaretoken]", attr: value }';

const captureSource = z.union(
  [
    jsonPath().transform((path): Capture => ({ json: path })),
    z.strictObject({ json: jsonPath() }),
    z.strictObject({ header: nonEmptyText('a header name like Location') }),
    z.strictObject({ cookie: nonEmptyText('a cookie name like csrftoken') }),
    z.strictObject({
      regex: nonEmptyText('a regular expression').superRefine((r, ctx) => {
        const problem = checkRegex(r);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    }),
    z.strictObject({
      html: nonEmptyText('a CSS selector like input[name=csrfmiddlewaretoken]').superRefine((sel, ctx) => {
        const problem = checkSelector(sel);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
      attr: nonEmptyText('an attribute name like value').optional(),
    }),
  ],
  { error: expected(CAPTURE_FORMS) },
);

const formFields = () =>
  z.record(
    nonEmptyText('a form field name'),
    z.union([templated(), z.number().transform(String), z.boolean().transform(String)], {
      error: expected('a form field value (a string)'),
    }),
    { error: expected('a mapping of form fields to values, like { title: "Book {{seq}}" }') },
  );

const statuses = () =>
  z.union([statusCode(), z.array(statusCode()).min(1)], {
    error: expected('a status or a list of statuses, like [200, 202]'),
  });

const login = z
  .strictObject({
    path: requestPath().meta({ description: 'The login form: GET shows it, POST submits it' }),
    username: templated('a username').meta({ description: 'May contain templates: user{{copy}}' }),
    password: templated('a password'),
    fields: formFields().optional().meta({ description: 'More form fields, like { next: /books/ }' }),
    sessionCookie: nonEmptyText('a cookie name like sessionid')
      .optional()
      .meta({ description: 'The cookie a successful login sets (default sessionid)' }),
    expect: z
      .strictObject({ status: statuses().optional() })
      .optional()
      .meta({ description: 'Statuses of a successful submit (default 302 or 303)' }),
  })
  .meta({
    description:
      'A Django-style form login: GET the form, take its csrfmiddlewaretoken, POST the credentials as a form',
  });

const REQUEST_ONLY = ['method', 'body', 'form', 'capture', 'until', 'expect', 'follow'] as const;

const step = z
  .strictObject({
    name: nonEmptyText('a step name').optional().meta({
      description: 'Endpoint name in reports (default "METHOD path", or "login PATH", templates as :name)',
    }),
    method: method().optional().meta({ description: 'Default GET' }),
    path: requestPath().optional().meta({
      description: 'May use values captured by earlier steps: /api/import/{{job}} (required unless login:)',
    }),
    headers: headers().optional(),
    body: jsonBody().optional(),
    form: formFields()
      .optional()
      .meta({ description: 'A form body (application/x-www-form-urlencoded); values may contain templates' }),
    follow: bool().optional().meta({
      description: 'Follow redirects, up to 10, keeping cookies (default false: a 3xx is the answer)',
    }),
    login: login.optional(),
    expect: z
      .strictObject({ status: statuses().optional() })
      .optional()
      .meta({ description: 'Default: any 2xx or 3xx status' }),
    capture: z
      .record(variableName, captureSource, {
        error: expected(
          'a mapping of variable names to sources, like { job: id } or { token: { cookie: csrftoken } }',
        ),
      })
      .optional()
      .meta({
        description:
          'Variables from the response (JSON, a header, a cookie, a regex, HTML), used later as {{name}}',
      }),
    until: text('a condition like "status == \'done\'"')
      .superRefine((s, ctx) => {
        const problem = checkExpression(s);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional()
      .meta({ description: "Poll until this holds on the JSON response, e.g. status == 'done'" }),
    every: positiveDuration().optional().meta({ description: 'Poll interval (default 1s)' }),
    within: positiveDuration().optional().meta({ description: 'Poll deadline (default 60s)' }),
  })
  .superRefine((s, ctx) => {
    noKeywordNames(s.capture, ctx);
    for (const key of ['every', 'within'] as const)
      if (s[key] !== undefined && s.until === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} only applies with until: (a condition to poll for)`,
        });
    if (s.form !== undefined && s.body !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['form'],
        message: 'give body: (JSON or raw text) or form: (form fields), not both',
      });
    if (s.login) {
      if (s.path !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['path'],
          message: 'a login step takes its path from login.path; remove path:',
        });
      for (const key of REQUEST_ONLY)
        if (s[key] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `a login step sends its own requests; ${key}: belongs on a step of its own${key === 'expect' ? ' (or login.expect)' : ''}`,
          });
    } else if (s.path === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['path'],
        message: 'missing path: (or login:) — the request to send',
      });
  }, noIssues)
  .transform((s): FlowStep => {
    if (s.login) {
      const l = s.login;
      const status = l.expect?.status;
      return {
        name: s.name ?? `login ${pathPattern(l.path)}`,
        method: 'POST',
        path: l.path,
        headers: s.headers ?? {},
        follow: false,
        capture: {},
        login: {
          path: l.path,
          username: l.username,
          password: l.password,
          fields: l.fields ?? {},
          sessionCookie: l.sessionCookie ?? 'sessionid',
          status: status === undefined ? [302, 303] : Array.isArray(status) ? status : [status],
        },
      };
    }
    const m = s.method ?? 'GET';
    const path = s.path as string;
    const status = s.expect?.status;
    return compact({
      name: s.name ?? endpointName(m, path),
      method: m,
      path,
      headers: s.headers ?? {},
      body: s.body,
      form: s.form,
      follow: s.follow ?? false,
      expect: status === undefined ? undefined : { status: Array.isArray(status) ? status : [status] },
      capture: s.capture ?? {},
      until: s.until,
      everyMs: s.until === undefined ? undefined : (s.every ?? 1_000),
      withinMs: s.until === undefined ? undefined : (s.within ?? 60_000),
    });
  });

export const flowSchema = z
  .strictObject({
    name: nonEmptyText('a flow name like import'),
    start: zeroOrMoreDuration().optional().meta({ description: 'Delay after the load starts (default 0s)' }),
    copies: positiveInt().optional().meta({ description: 'Copies run in parallel (default 1)' }),
    repeat: positiveInt().optional().meta({ description: 'Times each copy runs the steps (default 1)' }),
    steps: z
      .array(step, { error: expected('a list of steps like { method: POST, path: /api/import }') })
      .min(1, { error: expected('at least one step') }),
  })
  .superRefine((f, ctx) => {
    uniqueNames(
      f.steps.map((s) => s.name),
      (i) => [
        'steps',
        i,
        f.steps[i]!.name === endpointName(f.steps[i]!.method, f.steps[i]!.path) ? 'path' : 'name',
      ],
      ctx,
      'step',
    );
  }, noIssues)
  .transform(
    (f): Flow => ({
      name: f.name,
      startMs: f.start ?? 0,
      copies: f.copies ?? 1,
      repeat: f.repeat ?? 1,
      steps: f.steps,
    }),
  );

function uniqueNames(
  names: string[],
  pathOf: (i: number) => (string | number)[],
  ctx: z.RefinementCtx,
  what: string,
): void {
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (seen.has(n))
      ctx.addIssue({
        code: 'custom',
        path: pathOf(i),
        message: `another ${what} has the same name "${n}"; add name: to tell them apart in reports`,
      });
    seen.add(n);
  });
}
