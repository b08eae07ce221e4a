// One template language for the whole scenario: `{{…}}` tags with dotted value paths. In request
// paths, headers and JSON bodies (compiled here, rendered per request):
//   {{random 1 50}}    an integer in [1, 50]
//   {{seq}}            1, 2, 3 … (one counter per run: shared by every phase, flow and copy)
//   {{uuid}}           a random UUID (crypto.randomUUID: unique, not seeded)
//   {{copy}}           the flow copy's number, 1..copies (flows only)
//   {{pick tmdb.ids}}  a value from a list in the context's values (a mock's dataset)
//   {{job}}            a variable captured by a flow step, or a value like {{tmdb.pages}}
//   {{cookies.NAME}}   a cookie of the flow copy's jar (flows only)
// Compiled once, rendered per request (it runs inside autocannon's request loop), with a seeded
// random source so a run with the same seed sends the same sequence of values.
import { randomUUID } from 'node:crypto';
import { mulberry32 } from '../util/seeded-random.js';

/** A tag, wherever templates are written (traffic here, integrity SQL in ./values.ts). */
export const TAG = /\{\{\s*(.*?)\s*\}\}/g;
/** A value path: `job`, `tmdb.ids`, `mocks.my-api.served.items` (mock names may hold dashes). */
export const NAME = /^[A-Za-z_][\w-]*(\.[\w-]+)*$/;
const INT = /^-?\d+$/;

type Part =
  | { kind: 'text'; text: string }
  | { kind: 'random'; min: number; span: number }
  | { kind: 'seq' }
  | { kind: 'uuid' }
  | { kind: 'copy' }
  | { kind: 'pick'; path: string[] }
  | { kind: 'name'; path: string[] };

/** What a template draws from while rendering. */
export interface TemplateContext {
  /** Uniform in [0, 1). */
  random(): number;
  /** 1, 2, 3 … */
  nextSeq(): number;
  /** Flow variables first, then values (mock datasets); undefined when unknown. */
  lookup(path: readonly string[]): unknown;
  /** The flow copy's number (1-based); absent outside flows. */
  copy?: number;
}

/** Words a template gives a meaning of its own: never names of captured variables. */
export const KEYWORDS = ['random', 'seq', 'uuid', 'copy', 'pick', 'cookies'] as const;

export class TemplateError extends Error {
  override name = 'TemplateError';
}

export interface Template {
  readonly source: string;
  /** No tags: render() always returns source. */
  readonly isStatic: boolean;
  /** Bare names (`{{job}}`) and dotted names (`{{tmdb.pages}}`) it reads. */
  readonly names: readonly string[];
  /** Lists it picks from (`tmdb.ids`). */
  readonly picks: readonly string[];
  /** It uses {{copy}} (only flows have copies). */
  readonly readsCopy: boolean;
  render(ctx: TemplateContext): string;
  /** The raw value when the whole template is one tag (`"{{pick tmdb.ids}}"` → 27205), else render(). */
  renderValue(ctx: TemplateContext): unknown;
}

/** Parses a template; throws TemplateError naming the bad tag. */
export function compileTemplate(source: string): Template {
  const parts = parse(source);
  const names = parts.flatMap((p) => (p.kind === 'name' ? [p.path.join('.')] : []));
  const picks = parts.flatMap((p) => (p.kind === 'pick' ? [p.path.join('.')] : []));
  const isStatic = parts.every((p) => p.kind === 'text');
  const readsCopy = parts.some((p) => p.kind === 'copy');
  const single = parts.length === 1 && parts[0]!.kind !== 'text' ? parts[0]! : undefined;

  const render = isStatic
    ? () => source
    : (ctx: TemplateContext) => {
        let out = '';
        for (const part of parts) out += part.kind === 'text' ? part.text : String(value(part, ctx));
        return out;
      };
  return {
    source,
    isStatic,
    names,
    picks,
    readsCopy,
    render,
    renderValue: single ? (ctx) => value(single, ctx) : render,
  };
}

/** The problem with a template, or undefined when it compiles (for the scenario schema). */
export function checkTemplate(source: string): string | undefined {
  try {
    compileTemplate(source);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function parse(source: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const m of source.matchAll(TAG)) {
    if (m.index > last) parts.push({ kind: 'text', text: source.slice(last, m.index) });
    parts.push(tag(m[1] as string, m[0]));
    last = m.index + m[0].length;
  }
  if (last < source.length) parts.push({ kind: 'text', text: source.slice(last) });
  const rest = parts.filter((p) => p.kind === 'text').map((p) => (p as { text: string }).text);
  if (rest.some((t) => t.includes('{{') || t.includes('}}')))
    throw new TemplateError(`unbalanced {{ }} in ${JSON.stringify(source)}`);
  return parts;
}

function tag(body: string, whole: string): Part {
  const words = body.split(/\s+/).filter(Boolean);
  const [head, ...args] = words;
  if (head === 'random') {
    const [a, b] = args;
    if (args.length !== 2 || !INT.test(a as string) || !INT.test(b as string))
      throw new TemplateError(
        `${whole}: expected {{random MIN MAX}} with two integers, like {{random 1 50}}`,
      );
    const min = Number(a);
    const max = Number(b);
    if (min > max) throw new TemplateError(`${whole}: MIN is above MAX`);
    return { kind: 'random', min, span: max - min + 1 };
  }
  if (head === 'seq') {
    if (args.length > 0) throw new TemplateError(`${whole}: {{seq}} takes no arguments`);
    return { kind: 'seq' };
  }
  if (head === 'uuid' || head === 'copy') {
    if (args.length > 0) throw new TemplateError(`${whole}: {{${head}}} takes no arguments`);
    return { kind: head };
  }
  if (head === 'pick') {
    if (args.length !== 1 || !NAME.test(args[0] as string))
      throw new TemplateError(`${whole}: expected {{pick LIST}} with a dotted name, like {{pick tmdb.ids}}`);
    return { kind: 'pick', path: (args[0] as string).split('.') };
  }
  if (head !== undefined && args.length === 0 && NAME.test(head))
    return { kind: 'name', path: head.split('.') };
  throw new TemplateError(
    `${whole}: unknown template; expected {{random MIN MAX}}, {{seq}}, {{uuid}}, {{copy}}, {{pick LIST}} or {{name}}`,
  );
}

function value(part: Exclude<Part, { kind: 'text' }>, ctx: TemplateContext): unknown {
  switch (part.kind) {
    case 'random':
      return part.min + Math.floor(ctx.random() * part.span);
    case 'seq':
      return ctx.nextSeq();
    case 'uuid':
      return randomUUID();
    case 'copy':
      if (ctx.copy === undefined) throw new TemplateError('{{copy}}: only flow steps have a copy number');
      return ctx.copy;
    case 'pick': {
      const list = ctx.lookup(part.path);
      if (!Array.isArray(list) || list.length === 0)
        throw new TemplateError(
          `{{pick ${part.path.join('.')}}}: ${part.path.join('.')} is not a non-empty list`,
        );
      return list[Math.floor(ctx.random() * list.length)];
    }
    case 'name': {
      const v = ctx.lookup(part.path);
      if (v === undefined || v === null || typeof v === 'object')
        throw new TemplateError(
          part.path[0] === 'cookies' && part.path.length === 2
            ? `{{${part.path.join('.')}}}: no cookie ${part.path[1]} in this copy's jar (an earlier response must set it)`
            : `{{${part.path.join('.')}}}: no value named ${part.path.join('.')}`,
        );
      return v;
    }
  }
}

/** A compiled request body: JSON with templated string leaves, or a templated raw string. */
export interface BodyTemplate {
  readonly isStatic: boolean;
  /** The body as sent (JSON text for structured bodies). */
  render(ctx: TemplateContext): string;
  readonly templates: readonly Template[];
}

export function compileBody(body: unknown): BodyTemplate {
  if (typeof body === 'string') {
    const t = compileTemplate(body);
    return { isStatic: t.isStatic, render: (ctx) => t.render(ctx), templates: [t] };
  }
  const templates: Template[] = [];
  const build = compileJson(body, templates);
  if (templates.every((t) => t.isStatic)) {
    const fixed = JSON.stringify(body);
    return { isStatic: true, render: () => fixed, templates };
  }
  return { isStatic: false, render: (ctx) => JSON.stringify(build(ctx)), templates };
}

type Builder = (ctx: TemplateContext) => unknown;

function compileJson(value: unknown, templates: Template[]): Builder {
  if (typeof value === 'string') {
    const t = compileTemplate(value);
    templates.push(t);
    return t.isStatic ? () => value : (ctx) => t.renderValue(ctx);
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => compileJson(v, templates));
    return (ctx) => items.map((b) => b(ctx));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, compileJson(v, templates)] as const);
    return (ctx) => {
      const out: Record<string, unknown> = {};
      for (const [k, b] of entries) out[k] = b(ctx);
      return out;
    };
  }
  return () => value;
}

/** Derives an independent seed for a named stream (a phase, a flow copy) from the run's seed. */
export function streamSeed(seed: number, stream: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** One `{{seq}}` counter: 1, 2, 3 … however many contexts share it. */
export function seqCounter(): () => number {
  let seq = 0;
  return () => ++seq;
}

/** A context over values (mock datasets), variables (flow captures) and a flow copy's cookies. */
export function templateContext(options: {
  seed: number;
  values?: Record<string, unknown>;
  vars?: Record<string, unknown>;
  /** Shared with other contexts so `{{seq}}` never repeats within a run. Default: its own counter. */
  nextSeq?: () => number;
  /** A flow copy's number, for `{{copy}}`. */
  copy?: number;
  /** A cookie of the flow copy's jar by name, for `{{cookies.NAME}}`. */
  cookie?: (name: string) => string | undefined;
}): TemplateContext & { vars: Record<string, unknown> } {
  const random = mulberry32(options.seed);
  const values = options.values ?? {};
  const vars = options.vars ?? {};
  const { cookie } = options;
  return {
    vars,
    random,
    nextSeq: options.nextSeq ?? seqCounter(),
    ...(options.copy === undefined ? {} : { copy: options.copy }),
    lookup(path) {
      const head = path[0] as string;
      if (head === 'cookies' && cookie) return path.length === 2 ? cookie(path[1] as string) : undefined;
      let v: unknown = Object.hasOwn(vars, head) ? vars : values;
      for (const key of path) {
        if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined;
        v = (v as Record<string, unknown>)[key];
      }
      return v;
    },
  };
}

/** Renders once against a context to find missing values before traffic starts; the problem or undefined. */
export function tryRender(templates: readonly Template[], ctx: TemplateContext): string | undefined {
  try {
    for (const t of templates) t.render(ctx);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
