// Flows: scripted sequences alongside the load (undici). Each step: request → expect a status →
// poll until a condition holds (`until`, every/within) → capture values for later steps (./captures.ts).
// `start` delays the flow, `copies` run in parallel (each copy is one user with its own cookie jar,
// ./cookie-jar.ts), `repeat` runs the steps again (captures start afresh, cookies stay). A login
// step runs as two ordinary steps (./login.ts). Redirects are followed only where a step says
// `follow: true`, so a login's 302 stays checkable. Every HTTP call is recorded in the run's
// Recorder (endpoint = step name, group = flow name), including calls that got no response
// (`empty reply`, `ECONNRESET`) at the latency they failed. A failed step ends that iteration and
// becomes a FlowOutcome — it does not throw.
import createDebug from 'debug';
import { type Dispatcher, request } from 'undici';
import { UsageError } from '../errors.js';
import type { Flow, FlowStep, LoginSpec } from '../scenario/types.js';
import {
  type BodyTemplate,
  compileBody,
  compileTemplate,
  seqCounter,
  streamSeed,
  type Template,
  type TemplateContext,
  templateContext,
  tryRender,
} from '../templates/template.js';
import { formatDuration } from '../units/index.js';
import { pause } from '../util/pause.js';
import { capture, describeCapture } from './captures.js';
import { type FlowCookies, flowCookies } from './cookie-jar.js';
import { type Expression, evaluate, parseExpression } from './expression.js';
import { FORM_TYPE, formBody } from './form-body.js';
import { loginFormName, loginProblem, loginSteps, noLoginForm } from './login.js';
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
  /** The run's one `{{seq}}` counter (shared with the load phases). Default: one for this flow, shared by its copies. */
  nextSeq?: () => number;
}

interface CompiledStep {
  step: FlowStep;
  path: Template;
  headers: (readonly [string, Template])[];
  body?: BodyTemplate;
  form?: (readonly [string, Template])[];
  until?: Expression;
  /** The login this request submits: its answer is judged as a login. */
  login?: LoginSpec;
  /** The login whose form this request gets: a capture that finds no token says so. */
  loginForm?: LoginSpec;
}

/** What one copy carries from step to step: its template context and its cookie jar. */
interface Copy {
  templates: TemplateContext & { vars: Record<string, unknown> };
  cookies: FlowCookies;
}

/** Endpoints a flow's requests are recorded under, in order (a login step has two). */
export function flowEndpoints(flow: Flow): { endpoint: string; method: string; path: string }[] {
  return flow.steps.flatMap((s) => [
    ...(s.login ? [{ endpoint: loginFormName(s), method: 'GET', path: s.path }] : []),
    { endpoint: s.name, method: s.method, path: s.path },
  ]);
}

/** Runs every copy of a flow to its end; one outcome per copy and iteration. */
export async function runFlow(flow: Flow, ctx: FlowContext): Promise<FlowOutcome[]> {
  const target = new URL(ctx.baseUrl);
  const steps = flow.steps.flatMap((s) => compileSteps(s, target));
  checkFlow(flow, ctx.values);
  for (const e of flowEndpoints(flow)) ctx.recorder.declare({ group: flow.name, ...e });
  const startAt = (ctx.startedAt ?? Date.now()) + flow.startMs;
  // One counter for every copy and repeat: two copies never send the same {{seq}}.
  const nextSeq = ctx.nextSeq ?? seqCounter();
  const copies = Array.from({ length: flow.copies }, async (_, c) => {
    const outcomes: FlowOutcome[] = [];
    if (!(await pause(startAt - Date.now(), ctx.signal))) return outcomes;
    const vars: Record<string, unknown> = {};
    const cookies = flowCookies(target.origin);
    const templates = templateContext({
      seed: streamSeed(ctx.seed ?? 1, `flow:${flow.name}:${c}`),
      values: ctx.values,
      vars,
      nextSeq,
      copy: c + 1,
      cookie: cookies.get,
    });
    for (let iteration = 1; iteration <= flow.repeat; iteration++) {
      for (const k of Object.keys(vars)) delete vars[k];
      const outcome = await runIteration(flow, steps, { templates, cookies }, ctx);
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
  copy: Copy,
  ctx: FlowContext,
): Promise<StepResult | 'aborted'> {
  for (const s of steps) {
    const result = await runStep(flow, s, copy, ctx);
    if (result === 'aborted' || !result.ok) return result;
  }
  return { ok: true };
}

async function runStep(
  flow: Flow,
  s: CompiledStep,
  copy: Copy,
  ctx: FlowContext,
): Promise<StepResult | 'aborted'> {
  const { step } = s;
  const { templates, cookies } = copy;
  const fail = (message: string): StepResult => ({ ok: false, failedStep: step.name, message });
  const deadline = Date.now() + (step.withinMs ?? 0);
  for (;;) {
    let sent: Outgoing;
    try {
      sent = render(s, templates);
    } catch (error) {
      return fail((error as Error).message);
    }
    const res = await exchange(flow, step, sent, cookies, ctx);
    if (res === 'aborted') return 'aborted';
    if (res.error) return fail(`${res.error} after ${formatDuration(res.latencyMs)}`);
    const status = res.status as number;
    const loginFailed = s.login && loginProblem(s.login, { status, setCookie: res.headers['set-cookie'] });
    if (loginFailed) return fail(loginFailed);
    const allowed = step.expect?.status;
    if (allowed ? !allowed.includes(status) : status >= 400)
      return fail(
        `expected status ${allowed ? allowed.join(' or ') : '2xx or 3xx'}, got ${status}${snippet(res.text, ctx.mask)}`,
      );

    if (s.until) {
      let json: unknown;
      try {
        json = JSON.parse(res.text);
      } catch {
        return fail(`expected a JSON response, got${snippet(res.text, ctx.mask) || ' an empty body'}`);
      }
      if (!evaluate(s.until, json)) {
        if (Date.now() + (step.everyMs ?? 1000) > deadline)
          return fail(
            `"${step.until}" did not hold within ${formatDuration(step.withinMs ?? 0)}${snippet(res.text, ctx.mask)}`,
          );
        if (!(await pause(step.everyMs ?? 1000, ctx.signal))) return 'aborted';
        continue;
      }
    }
    const response = { headers: res.headers, text: res.text, cookie: cookies.get };
    for (const [name, source] of Object.entries(step.capture)) {
      const got = capture(source, response);
      if (!got.ok && s.loginForm) return fail(`${noLoginForm(s.loginForm)}${snippet(res.text, ctx.mask)}`);
      if (!got.ok)
        return fail(
          `capture ${name} (${describeCapture(source)}): ${got.problem}${snippet(res.text, ctx.mask)}`,
        );
      templates.vars[name] = got.value;
    }
    return { ok: true };
  }
}

interface Outgoing {
  path: string;
  body?: string;
  headers: Record<string, string>;
}

interface Sent {
  latencyMs: number;
  status?: number;
  error?: string;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** As k6 and browsers: at most 10 redirects in a row. */
const MAX_REDIRECTS = 10;

/** Sends a step's request with the copy's cookies; with `follow`, its redirects too (each one recorded). */
async function exchange(
  flow: Flow,
  step: FlowStep,
  first: Outgoing,
  cookies: FlowCookies,
  ctx: FlowContext,
): Promise<Sent | 'aborted'> {
  const target = new URL(ctx.baseUrl);
  let url = new URL(target.pathname.replace(/\/+$/, '') + first.path, target.origin);
  let out = { method: step.method, ...first };
  for (let hop = 0; ; hop++) {
    const res = await send(flow, step, url, out, cookies, ctx);
    if (res === 'aborted' || !step.follow || res.status === undefined || !REDIRECTS.has(res.status))
      return res;
    const location = res.headers.location;
    if (typeof location !== 'string') return res;
    if (hop === MAX_REDIRECTS)
      return { ...res, status: undefined, error: `more than ${MAX_REDIRECTS} redirects in a row` };
    const next = new URL(location, url);
    // Flows send only to the target: a redirect elsewhere (an SSO host, a CDN) is not followed.
    if (next.origin !== target.origin)
      return {
        ...res,
        status: undefined,
        error: `redirected to another host (${next.origin}), not followed`,
      };
    url = next;
    // 303, and 301/302 after a POST, become a GET without a body (as browsers do); 307/308 repeat the request.
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && out.method === 'POST'))
      out = { method: 'GET', path: '', headers: withoutBodyHeaders(out.headers) };
  }
}

async function send(
  flow: Flow,
  step: FlowStep,
  url: URL,
  out: Outgoing & { method: string },
  cookies: FlowCookies,
  ctx: FlowContext,
): Promise<Sent | 'aborted'> {
  const path = url.pathname + url.search;
  const headers = withCookies(out.headers, cookies.header(url.href));
  const startMs = Date.now();
  const t0 = performance.now();
  let status: number | undefined;
  let text = '';
  let error: string | undefined;
  let received: Sent['headers'] = {};
  try {
    const res = await request(url, {
      method: out.method as Dispatcher.HttpMethod,
      headers,
      body: out.body,
      dispatcher: ctx.dispatcher,
      signal: ctx.signal,
      // A fresh connection per call: no race with a server closing an idle keep-alive socket.
      reset: true,
    });
    status = res.statusCode;
    received = res.headers;
    cookies.store(url.href, res.headers['set-cookie']);
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
    method: out.method,
    path,
    startMs,
    latencyMs,
    ...(status !== undefined ? { status } : { error }),
    ...(status !== undefined && step.expect?.status?.includes(status) ? { expected: true } : {}),
  });
  return { latencyMs, status, error, headers: received, text };
}

/** The step's own Cookie header, if it has one, comes first; the jar's cookies follow it. */
function withCookies(headers: Record<string, string>, jar: string | undefined): Record<string, string> {
  if (!jar) return headers;
  const own = Object.keys(headers).find((h) => h.toLowerCase() === 'cookie');
  if (!own) return { ...headers, cookie: jar };
  return { ...headers, [own]: `${headers[own]}; ${jar}` };
}

function withoutBodyHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([h]) => !['content-type', 'content-length'].includes(h.toLowerCase())),
  );
}

/** The words the report uses for a request that got no (complete) response. */
export function describe(error: unknown, afterHeaders: boolean): string {
  const code = (error as { code?: string }).code;
  if (code === 'UND_ERR_SOCKET') return afterHeaders ? 'incomplete response' : 'empty reply';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'client timeout';
  if (code) return code;
  return (error as Error).message ?? String(error);
}

/** A step as the requests it sends: one, or two for a login. */
function compileSteps(step: FlowStep, target: URL): CompiledStep[] {
  if (!step.login) return [compileStep(step)];
  const [form, submit] = loginSteps({ ...step, login: step.login }, target);
  return [
    { ...compileStep(form), loginForm: step.login },
    { ...compileStep(submit), login: step.login },
  ];
}

function compileStep(step: FlowStep): CompiledStep {
  return {
    step,
    path: compileTemplate(step.path),
    headers: Object.entries(step.headers).map(([k, v]) => [k, compileTemplate(v)] as const),
    body: step.body === undefined ? undefined : compileBody(step.body),
    form: step.form && Object.entries(step.form).map(([k, v]) => [k, compileTemplate(v)] as const),
    until: step.until === undefined ? undefined : parseExpression(step.until),
  };
}

function templatesOf(s: CompiledStep): Template[] {
  return [
    s.path,
    ...s.headers.map(([, t]) => t),
    ...(s.body?.templates ?? []),
    ...(s.form ?? []).map(([, t]) => t),
  ];
}

function render(s: CompiledStep, ctx: TemplateContext): Outgoing {
  const headers: Record<string, string> = {};
  for (const [k, t] of s.headers) headers[k] = t.render(ctx).replace(/[\r\n]/g, ' ');
  const hasType = () => Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  let body: string | undefined;
  if (s.body) {
    body = s.body.render(ctx);
    if (typeof s.step.body !== 'string' && !hasType()) headers['content-type'] = 'application/json';
  } else if (s.form) {
    body = formBody(s.form.map(([k, t]) => [k, t.render(ctx)] as const));
    if (!hasType()) headers['content-type'] = FORM_TYPE;
  }
  const path = s.path.render(ctx).replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
  return { path, headers, body };
}

/** Values a flow reads (other than its captured variables and cookies) exist — else a usage error before traffic. */
export function checkFlow(flow: Flow, values: Record<string, unknown>): void {
  const captured = Object.fromEntries(
    flow.steps
      .flatMap((s) => [...Object.keys(s.capture), ...(s.login ? ['_login_csrfmiddlewaretoken'] : [])])
      .map((k) => [k, 'x']),
  );
  const probe = templateContext({ seed: 1, values, vars: captured, copy: 1, cookie: () => 'x' });
  for (const step of flow.steps) {
    const compiled = compileSteps(step, new URL('http://target.invalid'));
    const problem = tryRender(compiled.flatMap(templatesOf), probe);
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
