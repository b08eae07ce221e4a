// Flows: scripted sequences alongside the load (undici). Each step: request → expect a status →
// poll until a condition holds (`until`, every/within) → capture JSON fields for later steps.
// `start` delays the flow, `copies` run in parallel, `repeat` runs the steps again. Every HTTP call
// is recorded in the run's Recorder (endpoint = step name, group = flow name), including calls
// that got no response (`empty reply`, `ECONNRESET`) at the latency they failed. A failed step ends
// that iteration and becomes a FlowOutcome — it does not throw.
import createDebug from 'debug';
import { type Dispatcher, request } from 'undici';
import { UsageError } from '../errors.js';
import type { Flow, FlowStep } from '../scenario/types.js';
import {
  type BodyTemplate,
  compileBody,
  compileTemplate,
  streamSeed,
  type Template,
  type TemplateContext,
  templateContext,
  tryRender,
} from '../templates/template.js';
import { formatDuration } from '../units/index.js';
import { pause } from '../util/pause.js';
import { type Expression, evaluate, getPath, parseExpression } from './expression.js';
import type { Recorder } from './recorder.js';

const debug = createDebug('smokestack:flows');

export interface FlowOutcome {
  flow: string;
  /** 1-based copy number. */
  copy: number;
  /** 1-based iteration of `repeat`. */
  iteration: number;
  ok: boolean;
  failedStep?: string;
  message?: string;
}

export interface FlowContext {
  baseUrl: string;
  values: Record<string, unknown>;
  recorder: Recorder;
  signal: AbortSignal;
  /** undici dispatcher whose headers/body timeouts exceed the server's worker timeout. */
  dispatcher: Dispatcher;
  /** Epoch ms the traffic started; `start` offsets count from here. Default: now. */
  startedAt?: number;
  seed?: number;
  /** Masks secrets in response text before it is shortened into a message (a cut secret would not match). */
  mask?: (text: string) => string;
}

interface CompiledStep {
  step: FlowStep;
  path: Template;
  headers: (readonly [string, Template])[];
  body?: BodyTemplate;
  until?: Expression;
}

/** Runs every copy of a flow to its end; one outcome per copy and iteration. */
export async function runFlow(flow: Flow, ctx: FlowContext): Promise<FlowOutcome[]> {
  const steps = flow.steps.map(compileStep);
  checkFlow(flow, ctx.values);
  for (const s of steps)
    ctx.recorder.declare({
      group: flow.name,
      endpoint: s.step.name,
      method: s.step.method,
      path: s.step.path,
    });
  const startAt = (ctx.startedAt ?? Date.now()) + flow.startMs;
  const copies = Array.from({ length: flow.copies }, async (_, c) => {
    const outcomes: FlowOutcome[] = [];
    if (!(await pause(startAt - Date.now(), ctx.signal))) return outcomes;
    const vars: Record<string, unknown> = {};
    const templates = templateContext({
      seed: streamSeed(ctx.seed ?? 1, `flow:${flow.name}:${c}`),
      values: ctx.values,
      vars,
    });
    for (let iteration = 1; iteration <= flow.repeat; iteration++) {
      for (const k of Object.keys(vars)) delete vars[k];
      const outcome = await runIteration(flow, steps, templates, ctx);
      if (outcome === 'aborted') break;
      outcomes.push({ flow: flow.name, copy: c + 1, iteration, ...outcome });
      debug('flow %s copy %d iteration %d: %o', flow.name, c + 1, iteration, outcome);
    }
    return outcomes;
  });
  return (await Promise.all(copies)).flat();
}

type StepResult = { ok: true } | { ok: false; failedStep: string; message: string };

async function runIteration(
  flow: Flow,
  steps: CompiledStep[],
  templates: TemplateContext & { vars: Record<string, unknown> },
  ctx: FlowContext,
): Promise<StepResult | 'aborted'> {
  for (const s of steps) {
    const result = await runStep(flow, s, templates, ctx);
    if (result === 'aborted' || !result.ok) return result;
  }
  return { ok: true };
}

async function runStep(
  flow: Flow,
  s: CompiledStep,
  templates: TemplateContext & { vars: Record<string, unknown> },
  ctx: FlowContext,
): Promise<StepResult | 'aborted'> {
  const { step } = s;
  const fail = (message: string): StepResult => ({ ok: false, failedStep: step.name, message });
  const deadline = Date.now() + (step.withinMs ?? 0);
  for (;;) {
    let sent: { path: string; body?: string; headers: Record<string, string> };
    try {
      sent = render(s, templates);
    } catch (error) {
      return fail((error as Error).message);
    }
    const res = await send(flow, step, sent, ctx);
    if (res === 'aborted') return 'aborted';
    if (res.error) return fail(`${res.error} after ${formatDuration(res.latencyMs)}`);
    const allowed = step.expect?.status;
    const status = res.status as number;
    if (allowed ? !allowed.includes(status) : status >= 400)
      return fail(
        `expected status ${allowed ? allowed.join(' or ') : '2xx or 3xx'}, got ${status}${snippet(res.text, ctx.mask)}`,
      );

    const needsJson = s.until !== undefined || Object.keys(step.capture).length > 0;
    let json: unknown;
    if (needsJson) {
      try {
        json = JSON.parse(res.text);
      } catch {
        return fail(`expected a JSON response, got${snippet(res.text, ctx.mask) || ' an empty body'}`);
      }
    }
    if (s.until && !evaluate(s.until, json)) {
      if (Date.now() + (step.everyMs ?? 1000) > deadline)
        return fail(
          `"${step.until}" did not hold within ${formatDuration(step.withinMs ?? 0)}${snippet(res.text, ctx.mask)}`,
        );
      if (!(await pause(step.everyMs ?? 1000, ctx.signal))) return 'aborted';
      continue;
    }
    for (const [name, field] of Object.entries(step.capture)) {
      const value = getPath(json, field);
      if (value === undefined)
        return fail(`capture ${name}: the response has no field ${field}${snippet(res.text, ctx.mask)}`);
      templates.vars[name] = value;
    }
    return { ok: true };
  }
}

interface Sent {
  latencyMs: number;
  status?: number;
  error?: string;
  text: string;
}

async function send(
  flow: Flow,
  step: FlowStep,
  sent: { path: string; body?: string; headers: Record<string, string> },
  ctx: FlowContext,
): Promise<Sent | 'aborted'> {
  const base = new URL(ctx.baseUrl);
  const path = base.pathname.replace(/\/+$/, '') + sent.path;
  const startMs = Date.now();
  const t0 = performance.now();
  let status: number | undefined;
  let text = '';
  let error: string | undefined;
  try {
    const res = await request(`${base.origin}${path}`, {
      method: step.method as Dispatcher.HttpMethod,
      headers: sent.headers,
      body: sent.body,
      dispatcher: ctx.dispatcher,
      signal: ctx.signal,
      // A fresh connection per call: no race with a server closing an idle keep-alive socket.
      reset: true,
    });
    status = res.statusCode;
    try {
      text = await res.body.text();
    } catch (e) {
      if (ctx.signal.aborted) return 'aborted';
      error = describe(e, true);
      status = undefined;
    }
  } catch (e) {
    if (ctx.signal.aborted) return 'aborted';
    error = describe(e, false);
  }
  const latencyMs = performance.now() - t0;
  ctx.recorder.record({
    endpoint: step.name,
    group: flow.name,
    method: step.method,
    path,
    startMs,
    latencyMs,
    ...(status !== undefined ? { status } : { error }),
  });
  return { latencyMs, status, error, text };
}

/** The words the report uses for a request that got no (complete) response. */
export function describe(error: unknown, afterHeaders: boolean): string {
  const code = (error as { code?: string }).code;
  if (code === 'UND_ERR_SOCKET') return afterHeaders ? 'incomplete response' : 'empty reply';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'client timeout';
  if (code) return code;
  return (error as Error).message ?? String(error);
}

function compileStep(step: FlowStep): CompiledStep {
  return {
    step,
    path: compileTemplate(step.path),
    headers: Object.entries(step.headers).map(([k, v]) => [k, compileTemplate(v)] as const),
    body: step.body === undefined ? undefined : compileBody(step.body),
    until: step.until === undefined ? undefined : parseExpression(step.until),
  };
}

function render(s: CompiledStep, ctx: TemplateContext) {
  const headers: Record<string, string> = {};
  for (const [k, t] of s.headers) headers[k] = t.render(ctx);
  let body: string | undefined;
  if (s.body) {
    body = s.body.render(ctx);
    if (
      typeof s.step.body !== 'string' &&
      !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')
    )
      headers['content-type'] = 'application/json';
  }
  const path = s.path.render(ctx).replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
  return { path, headers, body };
}

/** Values a flow reads (other than its captured variables) exist — else a usage error before traffic. */
export function checkFlow(flow: Flow, values: Record<string, unknown>): void {
  const captured = Object.fromEntries(flow.steps.flatMap((s) => Object.keys(s.capture)).map((k) => [k, 'x']));
  const probe = templateContext({ seed: 1, values, vars: captured });
  for (const step of flow.steps) {
    const s = compileStep(step);
    const problem = tryRender([s.path, ...s.headers.map(([, t]) => t), ...(s.body?.templates ?? [])], probe);
    if (problem)
      throw new UsageError(`flow ${flow.name}, step ${step.name}: ${problem}`, {
        fix: 'use values a mock provides (e.g. {{pick tmdb.ids}} with the tmdb mock) or capture them in an earlier step',
      });
  }
}

function snippet(text: string, mask: (t: string) => string = (t) => t): string {
  const t = mask(text).trim().replace(/\s+/g, ' ');
  return t ? ` (response: ${t.length > 120 ? `${t.slice(0, 117)}...` : t})` : '';
}
